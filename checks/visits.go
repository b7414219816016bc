package checks

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/storecheck/storecheck/crawler"
)

func is2xx(status int) bool { return status >= 200 && status < 300 }

// pageFailed reports whether the visit had no usable page: an HTTP error, no
// response, an error that cut the visit short, or the page timeout. These
// are exactly the visits page.http-error reports.
func pageFailed(pg *crawler.Page) bool {
	return pg.Status == 0 || pg.Status >= 400 || pg.TimedOut || pg.Error != ""
}

func isHTTP(u string) bool {
	s := strings.ToLower(u)
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// isFavicon reports whether u is the site-root /favicon.ico the browser
// fetches on its own.
func isFavicon(u string) bool {
	pu, err := url.Parse(u)
	return err == nil && pu.Path == "/favicon.ico"
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

// resourceKinds are the request types page.broken-resource judges, with
// the name their messages go by in the catalog
// (page.broken-resource/<kind>-status, security.mixed-content/<kind>): the
// noun differs per type in both languages, so each type has its own
// sentence. Images are image.broken's; the main document is
// page.http-error's; "Other" is mostly the browser's own business.
var resourceKinds = map[string]string{
	"Script":     "script",
	"Stylesheet": "stylesheet",
	"Font":       "font",
	"Media":      "media",
	"Fetch":      "fetch",
	"XHR":        "xhr",
}

// judgedForLogo reports whether a visit is one the logo rules judge: a page
// that answered 2xx/3xx and was captured.
func judgedForLogo(p *crawler.Page) bool {
	return p.Status >= 200 && p.Status < 400 && p.HTML != ""
}
