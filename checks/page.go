package checks

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/storecheck/storecheck/checks/fingerprint"
	"github.com/storecheck/storecheck/checks/pagemodel"
	"github.com/storecheck/storecheck/crawler"
)

// pageChecks judge the visit itself: its status, the resources it needed,
// the errors its scripts raised and (across the sweep) the links it carries.
func pageChecks() []*Check {
	return []*Check{
		{
			ID:       "page.http-error",
			Doc:      "the page answered ≥ 400, failed, or timed out",
			Severity: SeverityError,
			Subject:  "status or error text",
			Run:      runHTTPError,
		},
		{
			ID:       "page.broken-resource",
			Doc:      "a script, stylesheet, font, media or fetch/XHR failed or answered ≥ 400",
			Severity: SeverityWarning,
			Subject:  "resource URL",
			Run:      runBrokenResource,
		},
		{
			ID:       "page.js-error",
			Doc:      "an uncaught exception or `console.error`",
			Severity: SeverityWarning,
			Subject:  "the message, excerpted",
			Run:      runJSError,
		},
		{
			ID:       "page.missing-font",
			Doc:      "a web font failed and text (or icon glyphs) falls back",
			Severity: SeverityWarning,
			Subject:  "the font family",
			Run:      runMissingFont,
		},
		{
			ID:       "page.missing-title",
			Doc:      "empty or placeholder `<title>` (Document, 无标题文档 …), or one title on every page of the site while their h1s differ",
			Severity: SeverityWarning,
			Subject:  "the title",
			Run:      runMissingTitle,
			RunSite:  runSameTitle,
		},
		{
			ID:       "page.missing-viewport-meta",
			Doc:      "in the mobile viewport, a page without `<meta name=viewport>`: phones lay it out 980 px wide and shrink it",
			Severity: SeverityInfo,
			Subject:  `""`,
			Run:      runMissingViewportMeta,
		},
		{
			ID:       "page.broken-link",
			Doc:      "a same-site link whose target answers ≥ 400 (also checked when beyond max_pages / max_depth)",
			Severity: SeverityWarning,
			Subject:  "target URL",
			RunSite:  runBrokenLink,
		},
	}
}

// runHTTPError reports a visit without a usable page. The subject is the
// status when the server answered ≥ 400 (even if the visit also timed out:
// the answer is the more specific fact), else "timeout" when page_timeout
// expired (whatever the status), else the renderer's error text, else
// "no response".
func runHTTPError(p *Pass) {
	pg := p.Page
	if !pageFailed(pg) {
		return
	}
	var subject string
	var msg Msg
	switch {
	case pg.Status >= 400:
		subject = strconv.Itoa(pg.Status)
		msg = M("page.http-error", pg.Status)
	case strings.HasPrefix(pg.Error, "navigation loop"):
		subject = "navigation loop"
		msg = navigationLoopMsg(pg.Error)
	case pg.TimedOut:
		subject = "timeout"
		msg = M("page.http-error/timeout")
	case pg.Error == "redirected off-site":
		subject = pg.Error
		msg = M("page.http-error/off-site")
		if pg.FinalURL != "" && pg.FinalURL != pg.URL {
			msg = M("page.http-error/off-site-to", pg.FinalURL)
		}
	case pg.Error != "":
		// The renderer's error text (net::ERR_…) is the browser's, quoted
		// as is in either language.
		subject = pg.Error
		msg = M("page.http-error/failed", strings.TrimSuffix(pg.Error, "."))
	default:
		subject = "no response"
		msg = M("page.http-error/no-response")
	}
	p.Report("", subject, msg, map[string]any{
		"status": pg.Status, "error": pg.Error, "timed_out": pg.TimedOut, "final_url": pg.FinalURL,
	})
}

// navigationLoopMsg is page.http-error's message for the renderer's
// "navigation loop: the page navigated itself N times": the count is
// taken out of the English so that the sentence can be put in either
// language; an error text of another shape is quoted as is.
func navigationLoopMsg(errText string) Msg {
	if m := navigationLoopRE.FindStringSubmatch(errText); m != nil {
		n, _ := strconv.Atoi(m[1])
		return M("page.http-error/loop", n)
	}
	return M("page.http-error/loop-other", strings.TrimPrefix(errText, "navigation loop: "))
}

// navigationLoopRE matches the error text crawler/rodrender gives a page
// that kept navigating itself.
var navigationLoopRE = regexp.MustCompile(`^navigation loop: the page navigated itself (\d+) times$`)

// runBrokenResource reports each resource URL of a judged type that failed
// or answered ≥ 400, once per visit (URLs that fingerprint alike count as
// one, e.g. the same script with two cache-busters).
func runBrokenResource(p *Pass) {
	seen := map[string]bool{}
	for _, r := range p.Page.Requests {
		kind, ok := resourceKinds[r.Type]
		if !ok || !requestBroken(r) || !isHTTP(r.URL) || isFavicon(r.URL) {
			continue
		}
		key := fingerprint.Normalize(r.URL)
		if seen[key] {
			continue
		}
		seen[key] = true
		msg := M("page.broken-resource/"+kind+"-status", r.Status)
		if r.Status < 400 {
			msg = M("page.broken-resource/"+kind+"-failed", r.Failure)
		}
		p.Report("", r.URL, msg, map[string]any{"type": r.Type, "status": r.Status, "error": r.Failure})
	}
}

// runJSError reports each distinct uncaught exception or console.error
// message once per visit, with how often it occurred and where it was
// raised first. Messages that differ only in what the fingerprint
// normalises (a cache-buster in a script URL) count as one.
func runJSError(p *Pass) {
	type group struct {
		first crawler.ConsoleMessage
		text  string
		count int
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, m := range p.Page.Console {
		if m.Kind != "exception" && m.Kind != "console.error" ||
			strings.HasPrefix(m.Text, "Failed to load resource:") {
			// The browser's own network log line is page.broken-resource's
			// (or image.broken's) defect, not a script error.
			continue
		}
		text := fingerprint.Excerpt(m.Text)
		key := fingerprint.Normalize(text)
		if g := byKey[key]; g != nil {
			g.count++
			continue
		}
		g := &group{first: m, text: text, count: 1}
		byKey[key] = g
		groups = append(groups, g)
	}
	for _, g := range groups {
		m := g.first
		// One key per shape of the sentence: kind, where (when the
		// source is known) and how often (when more than once). Line,
		// column and count go as plain digits: the catalog's %d groups
		// thousands (1,234), which a file position must not.
		key, args := "page.js-error/exception", []any{}
		if m.Kind == "console.error" {
			key = "page.js-error/console-error"
		}
		if m.Source != "" {
			key, args = key+"-at", append(args, m.Source, strconv.Itoa(m.Line), strconv.Itoa(m.Column))
		}
		if g.count > 1 {
			key, args = key+"-times", append(args, strconv.Itoa(g.count))
		}
		p.Report("", g.text, M(key, args...), map[string]any{
			"kind": m.Kind, "source": m.Source, "line": m.Line, "column": m.Column, "count": g.count,
		})
	}
}

// runBrokenLink reports, on every visit, each same-site link whose target
// answered ≥ 400 (whether the target was visited or only link-checked).
//
// Network errors without an answer (status 0) are deliberately not broken
// links: the contract's rule is "answers ≥ 400"; a visited target that fails
// that way is already page.http-error on its own page, and reporting it again
// on every page linking to it would multiply one defect; and for a target
// that was only link-checked, a lone connection reset or timeout on a host
// that just served the sweep is most often transient, so it would make diffs
// flap between runs.
func runBrokenLink(p *SitePass) {
	if p.Site == nil {
		return
	}
	for _, d := range p.Site.Digests {
		seen := map[string]bool{}
		for _, target := range d.Links {
			st, ok := p.Site.LinkStatus[target]
			key := fingerprint.Normalize(target)
			if !ok || st.Status < 400 || seen[key] {
				continue
			}
			seen[key] = true
			p.Report(d.URL, d.Viewport, "", target, M("page.broken-link", st.Status),
				map[string]any{"status": st.Status, "error": st.Error})
		}
	}
}

// placeholderTitles are the titles page templates, editors and site
// builders write before anyone names the page, folded to lower case, with
// the placeholder source (see placeholderSources) each comes from. Words a
// real page may carry as its whole title (首页, Home, 商品详情) are left
// out on purpose.
var placeholderTitles = map[string]string{
	"document":                              "emmet",
	"untitled document":                     "dreamweaver",
	"无标题文档":                                 "dreamweaver-zh",
	"untitled":                              "editors",
	"无标题":                                   "editors-zh",
	"untitled page":                         "webforms",
	"无标题页":                                  "webforms-zh",
	"untitled-1":                            "save-for-web",
	"new page 1":                            "frontpage",
	"新建网页 1":                                "frontpage-zh",
	"新建网页":                                  "frontpage-zh",
	"title":                                 "jetbrains",
	"insert title here":                     "eclipse",
	"page title":                            "boilerplate",
	"index":                                 "file-name",
	"react app":                             "create-react-app",
	"vite app":                              "vite",
	"vite + react":                          "vite-react",
	"vite + react + ts":                     "vite-react-ts",
	"vite + vue":                            "vite-vue",
	"vite + vue + ts":                       "vite-vue-ts",
	"hello, world!":                         "bootstrap",
	"bootstrap demo":                        "bootstrap-5.2",
	"undefined":                             "script-unset",
	"null":                                  "script-unset",
	"nan":                                   "script-nan",
	"[object object]":                       "script-object",
	"welcome to nginx!":                     "nginx",
	"apache2 ubuntu default page: it works": "apache",
}

// templateSource is the placeholder source of a title that is only
// template syntax (templateOnly).
const templateSource = "template"

// placeholderSources say where each placeholder title comes from, in the
// words of the finding's evidence ("source"); each has its message,
// page.missing-title/placeholder-<source>, since the explanation is part
// of the sentence in either language.
var placeholderSources = map[string]string{
	"emmet":            "the HTML boilerplate of VS Code's Emmet (!)",
	"dreamweaver":      "Dreamweaver's new-page default",
	"dreamweaver-zh":   "Dreamweaver's new-page default (Chinese)",
	"editors":          "the new-page default of many editors and site builders",
	"editors-zh":       "the new-page default of many editors and site builders (Chinese)",
	"webforms":         "Visual Studio's Web Forms page default",
	"webforms-zh":      "Visual Studio's Web Forms page default (Chinese)",
	"save-for-web":     "Photoshop / Fireworks \"Save for Web\" HTML",
	"frontpage":        "FrontPage / Expression Web's new-page default",
	"frontpage-zh":     "FrontPage's new-page default (Chinese)",
	"jetbrains":        "JetBrains IDEs' HTML file template",
	"eclipse":          "Eclipse's HTML / JSP file template",
	"boilerplate":      "tutorial and snippet boilerplate",
	"file-name":        "a title filled in from the file name index.html",
	"create-react-app": "create-react-app's public/index.html",
	"vite":             "create-vite's index.html (early templates)",
	"vite-react":       "create-vite's React template",
	"vite-react-ts":    "create-vite's React + TypeScript template",
	"vite-vue":         "create-vite's Vue template",
	"vite-vue-ts":      "create-vite's Vue + TypeScript template",
	"bootstrap":        "Bootstrap 4 / 5.0's starter template",
	"bootstrap-5.2":    "Bootstrap 5.2+'s starter template",
	"script-unset":     "a script set document.title to an unset value",
	"script-nan":       "a script set document.title to a failed number",
	"script-object":    "a script set document.title to an object",
	"nginx":            "nginx's default page",
	"apache":           "Apache's default page on Ubuntu",
	templateSource:     "unrendered template syntax",
}

// templateOnly matches a title that is nothing but unrendered template
// syntax: {{ title }}, ${title}, <%= htmlWebpackPlugin.options.title %>.
var templateOnly = regexp.MustCompile(`^(\{\{[^{}]+\}\}|\$\{[^{}]+\}|<%=?[^%]*%>|\{%[^%]*%\})$`)

// placeholderTitle says which placeholder source (a key of
// placeholderSources) a title comes from; "" when the title is not a
// placeholder.
func placeholderTitle(title string) string {
	t := strings.ToLower(pagemodel.Collapse(title))
	if id, ok := placeholderTitles[t]; ok {
		return id
	}
	if templateOnly.MatchString(t) {
		return templateSource
	}
	return ""
}

// placeholderMsg is page.missing-title's message for title, a placeholder
// from source id.
func placeholderMsg(id, title string) Msg {
	return M("page.missing-title/placeholder-"+id, title)
}

// runMissingTitle reports a 2xx page whose title (document.title) is empty
// or a template placeholder.
func runMissingTitle(p *Pass) {
	if !is2xx(p.Page.Status) || p.Page.HTML == "" {
		return
	}
	title := pagemodel.Collapse(p.Page.Title)
	if title == "" {
		// A renderer that captured no document.title (a bare capture, a
		// hand-built snapshot) still serialised the <title> element.
		title = pagemodel.Collapse(p.Model.Doc.Find("head > title, title").First().Text())
	}
	if title == "" {
		p.Report("", "", M("page.missing-title"), map[string]any{"title": ""})
		return
	}
	if id := placeholderTitle(title); id != "" {
		p.Report("", title, placeholderMsg(id, title),
			map[string]any{"title": title, "source": placeholderSources[id]})
	}
}

// Thresholds of the one-title-everywhere check.
const (
	sameTitleMinPages    = 3 // 2xx pages with a title, per host and viewport
	sameTitleMinHeadings = 2 // distinct main headings among them
)

// runSameTitle reports, per host and viewport, every page when all the 2xx
// pages with a title share one title although their main headings (first
// h1) differ: the template's title was never set per page. A placeholder
// title is left to the page check, which already reports it.
func runSameTitle(p *SitePass) {
	type group struct {
		titles   map[string]bool
		headings map[string]bool
		pages    map[string]bool // distinct final URLs
		visits   []int           // indexes into Digests
	}
	groups := map[string]*group{}
	var keys []string
	for i, d := range p.Site.Digests {
		title := pagemodel.Collapse(d.Title)
		if !is2xx(d.Status) || title == "" {
			continue
		}
		host := ""
		if u, err := url.Parse(d.URL); err == nil {
			host = u.Host
		}
		k := host + " " + d.Viewport
		g := groups[k]
		if g == nil {
			g = &group{titles: map[string]bool{}, headings: map[string]bool{}, pages: map[string]bool{}}
			groups[k] = g
			keys = append(keys, k)
		}
		g.titles[title] = true
		for _, h := range d.Headings {
			if h = pagemodel.Collapse(h); h != "" {
				g.headings[h] = true
				break
			}
		}
		final := d.FinalURL
		if final == "" {
			final = d.URL
		}
		g.pages[final] = true
		g.visits = append(g.visits, i)
	}
	sort.Strings(keys)
	for _, k := range keys {
		g := groups[k]
		if len(g.titles) != 1 || len(g.pages) < sameTitleMinPages || len(g.headings) < sameTitleMinHeadings {
			continue
		}
		title := pagemodel.Collapse(p.Site.Digests[g.visits[0]].Title)
		if placeholderTitle(title) != "" {
			continue
		}
		for _, i := range g.visits {
			d := p.Site.Digests[i]
			p.Report(d.URL, d.Viewport, "", title, M("page.missing-title/same", title,
				strconv.Itoa(len(g.pages)), strconv.Itoa(len(g.headings))),
				map[string]any{"title": title, "pages": len(g.pages), "headings": len(g.headings)})
		}
	}
}

// page.missing-font and page.broken-resource are different defects and may
// both fire for one font file: page.broken-resource is the request (a font
// URL that answered 404 wastes a round trip whoever needed it; the contract
// lists fonts among its resources), page.missing-font is what the visitor
// sees (text, or icon glyphs, drawn in a font the page did not intend). Each
// reports its defect once, under its own subject: the URL for the one, the
// family for the other. A face that fails without a failed request (a file
// that cannot be decoded, a CORS refusal the network layer does not flag) is
// page.missing-font's alone; a failed request that a later src of the same
// face made up for (the face loaded) is page.broken-resource's alone.
//
// runMissingFont reports, once per family, a web font that failed while
// visible text is drawn without it.
//
// Failed: a face of the family has status "error", or the family did not
// load ("loading" or "unloaded" when the capture ended) and a request for
// one of its src URLs failed or answered ≥ 400. A family whose faces loaded
// is not failed even if one src URL failed: the browser fell through to the
// next src.
//
// Drawn without it: WebFont.Fallback, the visible elements whose computed
// font-family names the family first and whose text the family's faces for
// that style did not draw. That is stricter than "the family is used": when
// only the bold face fails and nothing is bold, every text is drawn as
// intended and nothing is reported. A family that failed and that no
// visible text uses (declared for nothing, or only by hidden text) is not
// reported either.
//
// The family is reported even when the page names another web font after
// it that loaded: the text is drawn, but not in the face the page asked for
// first (a brand typeface or an icon font has no real substitute).
//
// A font that storecheck itself kept from loading is not the site's fault:
// when a request for the family's src was blocked (block_external shows as
// net::ERR_BLOCKED_BY_CLIENT) and none failed, or when the src URLs are
// unknown (a cross-origin stylesheet) and the page had a blocked font
// request, nothing is reported.
func runMissingFont(p *Pass) {
	for _, f := range p.Page.Fonts {
		if f.Fallback == 0 {
			continue
		}
		broken, blocked := fontRequests(p.Page.Requests, f.Srcs)
		failed := f.Status == "error" || (f.Status != "loaded" && broken != nil)
		if !failed || (broken == nil && blocked) {
			continue
		}
		url := ""
		if len(f.Srcs) > 0 {
			url = f.Srcs[0]
		}
		// One key per shape of the sentence: why the font failed (it
		// could not be decoded, an HTTP status, a network error) and
		// whether icon glyphs are among the fallback text.
		variant, args := "", []any{f.Family}
		status, failure := 0, ""
		if broken != nil {
			url, status, failure = broken.URL, broken.Status, broken.Failure
			if status >= 400 {
				variant, args = "status", append(args, status)
			} else {
				variant, args = "failed", append(args, failure)
			}
		}
		args = append(args, f.Fallback)
		if f.FallbackPrivateUse > 0 {
			variant, args = strings.TrimPrefix(variant+"-icons", "-"), append(args, strconv.Itoa(f.FallbackPrivateUse))
		}
		key := "page.missing-font"
		if variant != "" {
			key += "/" + variant
		}
		examples := []map[string]any{}
		for _, e := range f.Examples {
			if !e.Fallback {
				continue
			}
			ex := map[string]any{"selector": e.Selector, "text": e.Text, "icon_glyphs": e.PrivateUse}
			if e.PrivateUse {
				// A private-use character prints as nothing legible.
				ex["code_points"] = privateUseCodes(e.Text)
			}
			examples = append(examples, ex)
		}
		p.Report("", f.Family, M(key, args...), map[string]any{
			"family": f.Family, "status": f.Status, "url": url, "http_status": status, "error": failure,
			"elements": f.Fallback, "icon_glyphs": f.FallbackPrivateUse, "elements_using": f.Elements,
			"examples": examples,
		})
	}
}

// fontRequests finds the requests for srcs: the first that is broken (see
// requestBroken), and whether any was blocked. With no srcs known, any
// blocked font request of the page counts, since it may have been one of
// them.
func fontRequests(reqs []crawler.Request, srcs []string) (broken *crawler.Request, blocked bool) {
	want := map[string]bool{}
	for _, s := range srcs {
		want[s] = true
	}
	for i, r := range reqs {
		if len(srcs) > 0 && !want[r.URL] || len(srcs) == 0 && r.Type != "Font" {
			continue
		}
		if r.Blocked != "" || strings.Contains(r.Failure, "ERR_BLOCKED_BY_CLIENT") {
			blocked = true
			continue
		}
		if broken == nil && len(srcs) > 0 && requestBroken(r) {
			broken = &reqs[i]
		}
	}
	return broken, blocked
}

// privateUseCodes lists the private-use code points of s, "U+E600 U+E601".
func privateUseCodes(s string) string {
	var codes []string
	for _, r := range s {
		if r >= 0xE000 && r <= 0xF8FF {
			codes = append(codes, fmt.Sprintf("U+%04X", r))
		}
	}
	return strings.Join(codes, " ")
}

// runMissingViewportMeta reports an answered page that, seen by a phone,
// declares no viewport: without <meta name="viewport"> a mobile browser lays
// the page out at a desktop width (980 px) and scales it down, so its text
// and buttons come out a third of their size. The rendered DOM is read, so
// a tag a script added counts.
func runMissingViewportMeta(p *Pass) {
	if !p.Page.Viewport.Mobile || !is2xx(p.Page.Status) || p.Page.HTML == "" {
		return
	}
	found := false
	p.Model.Doc.Find("meta[name]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		name, _ := s.Attr("name")
		found = strings.EqualFold(strings.TrimSpace(name), "viewport")
		return !found
	})
	if found {
		return
	}
	p.Report("", "", M("page.missing-viewport-meta"),
		map[string]any{"viewport": p.Page.Viewport.Name})
}
