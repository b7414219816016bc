package checks

import (
	"fmt"
	"strings"

	"github.com/storecheck/storecheck/crawler"
)

// fontChecks judge the page's web fonts.
//
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
func fontChecks() []*Check {
	return []*Check{
		{
			ID:       "page.missing-font",
			Doc:      "a web font failed and text (or icon glyphs) falls back",
			Severity: SeverityWarning,
			Subject:  "the font family",
			Run:      runMissingFont,
		},
	}
}

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
		why := "it could not be downloaded or decoded"
		status, failure := 0, ""
		if broken != nil {
			url, status, failure = broken.URL, broken.Status, broken.Failure
			why = fmt.Sprintf("HTTP %d", status)
			if status < 400 {
				why = failure
			}
		}
		msg := fmt.Sprintf("The web font %q failed to load (%s): %s of visible text %s drawn in a fallback font",
			f.Family, why, plural(f.Fallback, "element"), isAre(f.Fallback))
		if f.FallbackPrivateUse > 0 {
			msg += fmt.Sprintf(", %d of them icon glyphs (private-use code points) that show as empty boxes or stray characters",
				f.FallbackPrivateUse)
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
		p.Report("", f.Family, msg+".", map[string]any{
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

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
