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

// Fixtures is what the pages of a site declare about a sweep of it, read
// from their markup: the only record of what the sweep must find.
//
//   - data-expect="rule …" on any element (page-level rules sit on <html>):
//     the page must produce these rules and no other; a rule that holds in
//     one viewport only is written "rule@mobile". A page without any must
//     produce no finding.
//   - data-expect-target="rule …" on a link: the URL it points to, which has
//     no file of its own (a missing page, "/status/500"), must produce these
//     rules. A target that has a file carries its own data-expect instead.
//   - data-clean="rule …" on any element: the page is a near-miss for these
//     rules (they run on it and must not fire), so a rule's fixtures can show
//     that it keeps quiet where it should. A page cannot be clean for a rule
//     it expects.
//
// An error page (NNN.html at the site's root) is the body of every response
// with status NNN, not a page of its own: it carries no expectation; the
// links to the URLs that answer with it do.
type Fixtures struct {
	// Expect maps the URL path of every page ("/" for index.html, "/help/"
	// for help/index.html, "/item/1001.html") and every data-expect-target
	// to its rules, sorted and free of duplicates; a page that must produce
	// nothing maps to an empty list.
	Expect map[string][]string
	// Clean maps the path of every page that carries data-clean to those
	// rules, sorted.
	Clean map[string][]string
	// Files maps the URL path of every .html file, error pages included, to
	// the file.
	Files map[string]string
}

// Read reads every .html file under root. It fails on a data-expect-target
// that is not a same-site link or points at a file, on data-clean with a
// viewport or for a rule the page expects, and on expectations in an error
// page.
func Read(root string) (*Fixtures, error) {
	pages, err := readPages(root)
	if err != nil {
		return nil, err
	}
	expect := map[string]map[string]bool{}
	clean := map[string]map[string]bool{}
	add := func(sets map[string]map[string]bool, p string, rules string) {
		if sets[p] == nil {
			sets[p] = map[string]bool{}
		}
		for _, r := range strings.Fields(rules) {
			sets[p][r] = true
		}
	}
	f := &Fixtures{Files: map[string]string{}}
	for _, pg := range pages {
		f.Files[pg.path] = pg.file
	}
	for _, pg := range pages {
		errorPage := errorPageRE.MatchString(pg.path)
		if !errorPage {
			add(expect, pg.path, "")
		}
		for _, t := range pg.tags {
			rules, ok := t.attrs["data-expect"]
			if ok && errorPage {
				return nil, fmt.Errorf("%s: data-expect on an error page: put the rules on the links to the URLs that answer with it (data-expect-target)", pg.file)
			}
			if !errorPage {
				add(expect, pg.path, rules)
			}
			if rules, ok := t.attrs["data-clean"]; ok {
				if strings.Contains(rules, "@") {
					return nil, fmt.Errorf("%s: data-clean=%q: a near-miss holds in every viewport", pg.file, rules)
				}
				add(clean, pg.path, rules)
			}
			if rules, ok := t.attrs["data-expect-target"]; ok {
				target, err := pg.resolve(t.attrs["href"])
				if err != nil || target == "" {
					return nil, fmt.Errorf("%s: data-expect-target on <%s href=%q>: not a same-site link", pg.file, t.name, t.attrs["href"])
				}
				if file, ok := f.Files[target]; ok && !errorPageRE.MatchString(target) {
					return nil, fmt.Errorf("%s: data-expect-target on <%s href=%q>: %s carries its own data-expect", pg.file, t.name, t.attrs["href"], file)
				}
				add(expect, target, rules)
			}
		}
	}
	for p, set := range clean {
		for r := range set {
			for _, e := range sortedKeys(expect[p]) {
				if rule, _, _ := strings.Cut(e, "@"); rule == r {
					return nil, fmt.Errorf("%s: data-clean=%q on a page that expects %s", f.Files[p], r, e)
				}
			}
		}
	}
	f.Expect = make(map[string][]string, len(expect))
	for p, set := range expect {
		f.Expect[p] = sortedKeys(set)
	}
	f.Clean = make(map[string][]string, len(clean))
	for p, set := range clean {
		f.Clean[p] = sortedKeys(set)
	}
	return f, nil
}

// Expectations is Read(root).Expect: the rules each page must produce,
// keyed by URL path.
func Expectations(root string) (map[string][]string, error) {
	f, err := Read(root)
	if err != nil {
		return nil, err
	}
	return f.Expect, nil
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
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
