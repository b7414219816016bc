package checks

import (
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/storecheck/storecheck/checks/fingerprint"
	"github.com/storecheck/storecheck/checks/pagemodel"
	"github.com/storecheck/storecheck/checks/pii"
)

// securityChecks judge what a visit exposes or loads insecurely.
func securityChecks() []*Check {
	return []*Check{
		{
			ID:       "security.mixed-content",
			Doc:      "an `http:` resource on an `https:` page (by URL scheme)",
			Severity: SeverityWarning,
			Subject:  "resource URL",
			Run:      runMixedContent,
		},
		{
			ID:          "security.pii-exposed",
			Doc:         "an unmasked mainland mobile number or a checksum-valid 18-digit ID number is visible; the full number is stored nowhere",
			Severity:    SeverityError,
			Subject:     "the number, masked (`138****5678`)",
			Run:         runPIIExposed,
			PictureText: true,
		},
	}
}

// mixedContentAttrs are, per tag, the DOM attributes that make the browser
// load a resource for the page. Links (<a href>) are navigations, not mixed
// content; <link> only counts for the rel values that load something.
var mixedContentAttrs = map[string][]string{
	"img":    {"src", "srcset"},
	"script": {"src"},
	"link":   {"href"},
	"iframe": {"src"},
	"frame":  {"src"},
	"video":  {"src", "poster"},
	"audio":  {"src"},
	"source": {"src", "srcset"},
	"track":  {"src"},
	"embed":  {"src"},
	"object": {"data"},
}

// mixedContentTags selects every element of mixedContentAttrs in one pass.
const mixedContentTags = "img, script, link, iframe, frame, video, audio, source, track, embed, object"

// loadingRels are the <link rel> tokens that load a resource.
var loadingRels = map[string]bool{"stylesheet": true, "icon": true, "preload": true, "modulepreload": true}

// runMixedContent reports each http: resource of an https: page once: the
// requests the browser made (including the ones it blocked or upgraded, which
// is why the scheme decides and not the browser's verdict: Chromium treats
// http://127.0.0.1 as secure), then the resources the DOM references, which
// catches what the browser upgraded or blocked before any request was seen.
// Document requests are left to the DOM pass (iframes): on the network they
// are also the main frame's own http→https redirect hops.
func runMixedContent(p *Pass) {
	page := p.Page.FinalURL
	if page == "" {
		page = p.Page.URL
	}
	if !hasScheme(page, "https") {
		return
	}
	seen := map[string]bool{}
	first := func(u string) bool {
		key := fingerprint.Normalize(canonicalURL(u))
		if seen[key] {
			return false
		}
		seen[key] = true
		return true
	}
	for _, r := range p.Page.Requests {
		if r.Type == "Document" || !hasScheme(r.URL, "http") || !first(r.URL) {
			continue
		}
		p.Report("", r.URL, mixedRequestMsg(r.Type, r.Blocked != ""),
			map[string]any{"type": r.Type, "blocked": r.Blocked != ""})
	}
	p.Model.Doc.Find(mixedContentTags).Each(func(_ int, el *goquery.Selection) {
		tag := goquery.NodeName(el)
		if tag == "link" && !loadsResource(el) || el.Closest("template").Length() > 0 {
			return // a <link> that loads nothing, or inert <template> content
		}
		for _, attr := range mixedContentAttrs[tag] {
			val, ok := el.Attr(attr)
			if !ok {
				continue
			}
			urls := []string{val}
			if attr == "srcset" {
				urls = srcsetURLs(val)
			}
			for _, raw := range urls {
				u := canonicalURL(raw)
				if !hasScheme(u, "http") || !first(u) {
					continue
				}
				p.Report("", u, M("security.mixed-content/reference", tag, attr),
					map[string]any{"tag": tag, "attr": attr, "blocked": nil})
			}
		}
	})
}

func loadsResource(link *goquery.Selection) bool {
	rel, _ := link.Attr("rel")
	for _, tok := range strings.Fields(strings.ToLower(rel)) {
		if loadingRels[tok] {
			return true
		}
	}
	return false
}

// srcsetURLs returns the URLs of a srcset's candidates ("a.jpg 1x, b.jpg 2x").
func srcsetURLs(srcset string) []string {
	var out []string
	for _, cand := range strings.Split(srcset, ",") {
		if f := strings.Fields(cand); len(f) > 0 {
			out = append(out, f[0])
		}
	}
	return out
}

// canonicalURL writes an attribute URL the way the browser reports requests:
// surrounding whitespace and embedded tabs/newlines dropped, host
// lower-cased, path percent-encoded, fragment dropped. Unparsable values are
// returned trimmed.
func canonicalURL(raw string) string {
	s := strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, strings.TrimSpace(raw))
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		return s
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}

func hasScheme(u, scheme string) bool {
	return len(u) > len(scheme) && u[len(scheme)] == ':' && strings.EqualFold(u[:len(scheme)], scheme)
}

// mixedRequestMsg is security.mixed-content's message for a request of
// CDP resource type t: one key per kind of resource that has a noun in
// both languages (resourceKinds, images, anything else a "resource"). A
// rarer CDP type (TextTrack, Manifest, Ping …) is named by the protocol's
// type name, lower-cased, which the message quotes as an identifier.
func mixedRequestMsg(t string, blocked bool) Msg {
	key, args := "", []any{}
	switch k, ok := resourceKinds[t]; {
	case ok:
		key = k
	case t == "Image":
		key = "image"
	case t == "" || t == "Other":
		key = "resource"
	default:
		key, args = "type", append(args, strings.ToLower(t))
	}
	if blocked {
		key += "-blocked"
	}
	return M("security.mixed-content/"+key, args...)
}

// runPIIExposed reports each unmasked consumer mobile number or valid
// resident ID number in the page's shown text and the text read from its
// pictures, masked; pii.allow numbers (the shop's own lines) are fine. The
// full number goes nowhere.
func runPIIExposed(p *Pass) {
	if p.Page.HTML == "" {
		return
	}
	allow := p.Env.PIIAllow
	type seen struct {
		kind     pii.Kind
		n        int
		selector string
	}
	found := map[string]*seen{}
	var where sightings
	for _, blk := range textBlocks(p.Model) {
		for _, m := range pii.Find(blk.Shown) {
			if allow[m.Digits] {
				continue
			}
			if s := found[m.Masked]; s != nil {
				s.n++
				where.seen(m.Masked, blk)
				continue
			}
			s := &seen{kind: m.Kind, n: 1, selector: pagemodel.NodeSelector(blk.Node)}
			found[m.Masked] = s
			key := "security.pii-exposed/mobile"
			if s.kind == pii.ResidentID {
				key = "security.pii-exposed/id"
			}
			if blk.Picture != nil {
				key += "-picture"
			}
			where.add(m.Masked, blk, m.Masked, M(key, m.Masked),
				map[string]any{"kind": string(s.kind), "selector": s.selector})
		}
	}
	for _, masked := range where.order {
		where.by[masked].evidence["occurrences"] = found[masked].n
	}
	where.report(p)
}
