package testsite

import (
	"fmt"
	"html"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Expectations reads every .html file under root and returns the rules each
// page must produce, keyed by the URL path the page is served at: "/" for
// index.html, "/help/" for help/index.html, "/item/1001.html".
//
// A page's rules are the union of the data-expect attributes of its
// elements (the page-level ones sit on <html>), split on spaces; a rule
// that holds in one viewport only is written "rule@mobile". A page without
// any maps to an empty list: it must produce no finding.
//
// A link's data-expect-target names the rules the page it points to must
// produce; that target path (a missing page, "/status/500") gets them too,
// since it has no file of its own to carry them.
//
// Lists are sorted and free of duplicates.
func Expectations(root string) (map[string][]string, error) {
	pages, err := readPages(root)
	if err != nil {
		return nil, err
	}
	sets := map[string]map[string]bool{}
	add := func(p string, rules string) {
		if sets[p] == nil {
			sets[p] = map[string]bool{}
		}
		for _, r := range strings.Fields(rules) {
			sets[p][r] = true
		}
	}
	for _, pg := range pages {
		add(pg.path, "")
		for _, t := range pg.tags {
			add(pg.path, t.attrs["data-expect"])
			if rules, ok := t.attrs["data-expect-target"]; ok {
				target, err := pg.resolve(t.attrs["href"])
				if err != nil || target == "" {
					return nil, fmt.Errorf("%s: data-expect-target on <%s href=%q>: not a same-site link", pg.file, t.name, t.attrs["href"])
				}
				add(target, rules)
			}
		}
	}
	out := make(map[string][]string, len(sets))
	for p, set := range sets {
		rules := make([]string, 0, len(set))
		for r := range set {
			rules = append(rules, r)
		}
		sort.Strings(rules)
		out[p] = rules
	}
	return out, nil
}

// page is one parsed .html file of a site.
type page struct {
	file string // path on disk
	path string // URL path it is served at
	tags []tag
}

func readPages(root string) ([]page, error) {
	var pages []page
	err := filepath.WalkDir(root, func(file string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(file) != ".html" {
			return err
		}
		rel, err := filepath.Rel(root, file)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		p := "/" + filepath.ToSlash(rel)
		if path.Base(p) == "index.html" {
			p = strings.TrimSuffix(p, "index.html")
		}
		pages = append(pages, page{file: file, path: p, tags: scanTags(string(b))})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read site %s: %w", root, err)
	}
	return pages, nil
}

// placeholderRE matches the origin placeholders the handler substitutes.
var placeholderRE = regexp.MustCompile(`^\{\{(?:BASE|HTTPBASE)\}\}`)

// resolve turns a reference on the page into a same-site URL path (with its
// query, without its fragment); "" for other schemes and other hosts, and
// for a reference to the page itself.
func (p page) resolve(ref string) (string, error) {
	ref = strings.TrimSpace(placeholderRE.ReplaceAllString(ref, ""))
	if ref == "" || strings.HasPrefix(ref, "#") {
		return "", nil
	}
	u, err := url.Parse(ref)
	if err != nil {
		return "", err
	}
	if u.Scheme != "" || u.Host != "" {
		return "", nil
	}
	base := &url.URL{Scheme: "http", Host: "site", Path: p.path}
	r := base.ResolveReference(u)
	r.Fragment = ""
	out := r.Path
	if r.RawQuery != "" {
		out += "?" + r.RawQuery
	}
	return out, nil
}

// tag is a start tag with its attributes (names lower-cased, values
// unescaped).
type tag struct {
	name  string
	attrs map[string]string
}

var (
	tagNameRE = regexp.MustCompile(`^<([a-zA-Z][a-zA-Z0-9-]*)`)
	attrRE    = regexp.MustCompile(`^\s*([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?`)
)

// scanTags lists the start tags of an HTML document in order. It is a
// scanner for the sites' own hand-written pages, not a general parser: it
// skips comments, doctypes, end tags and the contents of <script> and
// <style>.
func scanTags(src string) []tag {
	var tags []tag
	for i := 0; i < len(src); {
		j := strings.IndexByte(src[i:], '<')
		if j < 0 {
			break
		}
		i += j
		rest := src[i:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			end := strings.Index(rest, "-->")
			if end < 0 {
				return tags
			}
			i += end + 3
			continue
		case strings.HasPrefix(rest, "<!"), strings.HasPrefix(rest, "</"):
			end := strings.IndexByte(rest, '>')
			if end < 0 {
				return tags
			}
			i += end + 1
			continue
		}
		m := tagNameRE.FindStringSubmatch(rest)
		if m == nil {
			i++
			continue
		}
		t := tag{name: strings.ToLower(m[1]), attrs: map[string]string{}}
		k := len(m[0])
		for {
			a := attrRE.FindStringSubmatch(rest[k:])
			if a == nil {
				break
			}
			v := a[2] + a[3] + a[4]
			if _, dup := t.attrs[strings.ToLower(a[1])]; !dup {
				t.attrs[strings.ToLower(a[1])] = html.UnescapeString(v)
			}
			k += len(a[0])
		}
		end := strings.IndexByte(rest[k:], '>')
		if end < 0 {
			return append(tags, t)
		}
		i += k + end + 1
		tags = append(tags, t)
		if t.name == "script" || t.name == "style" {
			stop := strings.Index(strings.ToLower(src[i:]), "</"+t.name)
			if stop < 0 {
				return tags
			}
			i += stop
		}
	}
	return tags
}
