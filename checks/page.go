package checks

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

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
	var subject, msg string
	switch {
	case pg.Status >= 400:
		subject = strconv.Itoa(pg.Status)
		msg = fmt.Sprintf("The page answered HTTP %d.", pg.Status)
	case strings.HasPrefix(pg.Error, "navigation loop"):
		subject = "navigation loop"
		msg = "The page kept navigating itself (meta refresh or script) and never settled: " + strings.TrimPrefix(pg.Error, "navigation loop: ") + "."
	case pg.TimedOut:
		subject = "timeout"
		msg = "The page did not finish loading within the page timeout."
	case pg.Error == "redirected off-site":
		subject = pg.Error
		msg = "The page redirected off the sweep's hosts, so it was not followed."
		if pg.FinalURL != "" && pg.FinalURL != pg.URL {
			msg = fmt.Sprintf("The page redirected off the sweep's hosts to %s, so it was not followed.", pg.FinalURL)
		}
	case pg.Error != "":
		subject = pg.Error
		msg = fmt.Sprintf("The page failed to load: %s.", strings.TrimSuffix(pg.Error, "."))
	default:
		subject = "no response"
		msg = "The page gave no usable response."
	}
	p.Report("", subject, msg, map[string]any{
		"status": pg.Status, "error": pg.Error, "timed_out": pg.TimedOut, "final_url": pg.FinalURL,
	})
}

// resourceNouns are the request types page.broken-resource judges, with the
// noun its message uses. Images are image.broken's; the main document is
// page.http-error's; "Other" is mostly the browser's own business.
var resourceNouns = map[string]string{
	"Script":     "script",
	"Stylesheet": "stylesheet",
	"Font":       "font",
	"Media":      "media file",
	"Fetch":      "fetch request",
	"XHR":        "XHR request",
}

// runBrokenResource reports each resource URL of a judged type that failed
// or answered ≥ 400, once per visit (URLs that fingerprint alike count as
// one, e.g. the same script with two cache-busters).
func runBrokenResource(p *Pass) {
	seen := map[string]bool{}
	for _, r := range p.Page.Requests {
		noun, ok := resourceNouns[r.Type]
		if !ok || !requestBroken(r) || !isHTTP(r.URL) || isFavicon(r.URL) {
			continue
		}
		key := NormalizeForFingerprint(r.URL)
		if seen[key] {
			continue
		}
		seen[key] = true
		msg := fmt.Sprintf("The %s answered HTTP %d.", noun, r.Status)
		if r.Status < 400 {
			msg = fmt.Sprintf("The %s failed to load: %s.", noun, r.Failure)
		}
		p.Report("", r.URL, msg, map[string]any{"type": r.Type, "status": r.Status, "error": r.Failure})
	}
}

// requestBroken reports whether a request failed through the site's fault:
// an answer ≥ 400, or a network failure. Blocked requests (a CDP
// blockedReason, or net::ERR_BLOCKED_BY_CLIENT, which is how storecheck's own
// block_external shows up) are not broken, nor are requests the page
// aborted itself (Canceled, net::ERR_ABORTED) before an answer came. An
// answer ≥ 400 is broken even when aborted: Chromium cancels the body of a
// 404 script, so that request carries the status, Canceled and ERR_ABORTED.
func requestBroken(r crawler.Request) bool {
	if r.Blocked != "" || strings.Contains(r.Failure, "ERR_BLOCKED_BY_CLIENT") {
		return false
	}
	if r.Status >= 400 {
		// 416 answers a media player's range probe past the end: not a defect.
		return r.Status != http.StatusRequestedRangeNotSatisfiable
	}
	if r.Canceled || strings.Contains(r.Failure, "ERR_ABORTED") {
		return false
	}
	return r.Failure != ""
}

// isFavicon reports whether u is the site-root /favicon.ico the browser
// fetches on its own.
func isFavicon(u string) bool {
	pu, err := url.Parse(u)
	return err == nil && pu.Path == "/favicon.ico"
}

func isHTTP(u string) bool {
	s := strings.ToLower(u)
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
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
		text := Excerpt(m.Text)
		key := NormalizeForFingerprint(text)
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
		what := "The page threw an uncaught exception"
		if m.Kind == "console.error" {
			what = "The page logged a console.error"
		}
		where := ""
		if m.Source != "" {
			where = fmt.Sprintf(" in %s:%d:%d", m.Source, m.Line, m.Column)
		}
		times := ""
		if g.count > 1 {
			times = fmt.Sprintf(" (%d times)", g.count)
		}
		p.Report("", g.text, what+where+times+".", map[string]any{
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
			key := NormalizeForFingerprint(target)
			if !ok || st.Status < 400 || seen[key] {
				continue
			}
			seen[key] = true
			p.Report(d.URL, d.Viewport, "", target,
				fmt.Sprintf("The link target answered HTTP %d.", st.Status),
				map[string]any{"status": st.Status, "error": st.Error})
		}
	}
}
