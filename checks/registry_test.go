package checks

import (
	"regexp"
	"strings"
	"testing"

	"github.com/storecheck/storecheck/crawler"
)

// catalogRows are the contract's catalog rows for the rules of this package,
// copied verbatim: the README table is generated from the registry, so a
// drift here is a drift of the public contract.
var catalogRows = map[string]CatalogEntry{ // ID, severity, severity_doc, subject, doc
	"perf.slow-load":         {"perf.slow-load", "warning", "", "metric key (`load_ms`, `lcp_ms`, `fcp_ms`)", "a timing is over its budget (one finding per metric)"},
	"perf.layout-shift":      {"perf.layout-shift", "warning", "", "`cls`", "CLS (session windows: gap 1 s, cap 5 s, no shifts after input) over budget"},
	"perf.long-tasks":        {"perf.long-tasks", "warning", "", "`tbt_ms`", "total blocking time (long-task time over 50 ms, after FCP) over budget"},
	"perf.heavy-page":        {"perf.heavy-page", "warning", "", "`transfer_bytes`", "bytes transferred over budget"},
	"page.http-error":        {"page.http-error", "error", "", "status or error text", "the page answered ≥ 400, failed, or timed out"},
	"page.broken-resource":   {"page.broken-resource", "warning", "", "resource URL", "a script, stylesheet, font, media or fetch/XHR failed or answered ≥ 400"},
	"page.js-error":          {"page.js-error", "warning", "", "the message, excerpted", "an uncaught exception or `console.error`"},
	"page.broken-link":       {"page.broken-link", "warning", "", "target URL", "a same-site link whose target answers ≥ 400 (also checked when beyond max_pages / max_depth)"},
	"security.mixed-content": {"security.mixed-content", "warning", "", "resource URL", "an `http:` resource on an `https:` page (by URL scheme)"},
	"image.broken":           {"image.broken", "error", "", "image URL", "an image failed, answered ≥ 400, or does not decode though the browser could not draw it"},
	"image.low-resolution":   {"image.low-resolution", "warning", "", "image URL", "decoded pixel size < rendered size × DPR × 0.75 (× 1.0 when ≤ 64 px)"},
	"image.distorted":        {"image.distorted", "warning", "", "image URL", "`object-fit: fill` and rendered vs natural aspect differ by ≥ 3 px and ≥ 4 % (what a person can see; one finding per image URL per page)"},
	"image.oversized-file":   {"image.oversized-file", "info", "", "image URL", "natural area > 4 × (rendered × DPR)² and > 200 KB, or > 3 MB"},
	"image.missing-alt":      {"image.missing-alt", "info", "", "image URL", "a product image without alt text"},
	"image.too-large":        {"image.too-large", "info", "", "image URL", "over `images.max_megapixels`: not decoded, not analysed"},
	"image.blurry":           {"image.blurry", "warning", "", "image URL", "the picture is blurred (size- and content-robust sharpness)"},
}

var ruleIDRE = regexp.MustCompile(`^[a-z]+\.[a-z-]+$`)

func TestRegistry(t *testing.T) {
	reg := Registry()
	if len(reg) == 0 {
		t.Fatal("empty registry")
	}
	seen := map[string]bool{}
	for i, c := range reg {
		if i > 0 && reg[i-1].ID >= c.ID {
			t.Errorf("registry not sorted or duplicate: %s before %s", reg[i-1].ID, c.ID)
		}
		if seen[c.ID] {
			t.Errorf("duplicate ID %s", c.ID)
		}
		seen[c.ID] = true
		if !ruleIDRE.MatchString(c.ID) {
			t.Errorf("ID %q does not match %s", c.ID, ruleIDRE)
		}
		if c.Run == nil && c.RunSite == nil {
			t.Errorf("%s: neither Run nor RunSite is set", c.ID)
		}
		if strings.TrimSpace(c.Doc) == "" || strings.TrimSpace(c.Subject) == "" {
			t.Errorf("%s: Doc and Subject must be set", c.ID)
		}
		if c.Severity.Rank() == 0 {
			t.Errorf("%s: invalid severity %q", c.ID, c.Severity)
		}
		if c.SeverityDoc != "" && c.SeverityDoc != "home / else" {
			t.Errorf("%s: unknown SeverityDoc %q", c.ID, c.SeverityDoc)
		}
	}
	for id := range catalogRows {
		if !seen[id] {
			t.Errorf("rule %s of the catalog is not registered", id)
		}
	}
	for _, e := range Catalog(reg) {
		if want, ok := catalogRows[e.ID]; ok && e != want {
			t.Errorf("catalog row of %s = %+v,\n want %+v", e.ID, e, want)
		}
	}
	withDoc := Catalog([]*Check{{ID: "a.b", Severity: SeverityWarning, SeverityDoc: "home / else"}})
	if withDoc[0].Severity != "warning" || withDoc[0].SeverityDoc != "home / else" {
		t.Errorf("catalog entry = %+v", withDoc[0])
	}
	// A fresh slice every call: callers may filter it.
	reg[0] = nil
	if Registry()[0] == nil {
		t.Error("Registry shares its slice")
	}
}

func TestRunPageCleanPage(t *testing.T) {
	p := okPage()
	p.Metrics.LCPms, p.Metrics.CLS, p.Metrics.TBTms = f64(1200), f64(0.01), f64(50)
	if fs := RunPage(Registry(), testEnv(), p); len(fs) != 0 {
		t.Errorf("a clean page has findings: %+v", fs)
	}
}

func TestFindingsCarryFingerprints(t *testing.T) {
	a, b := okPage(), okPage()
	b.URL = "https://shop.example:8443/p/1?_=1700000000"
	a.Requests = []crawler.Request{{URL: "https://cdn.example/app-3f9a2c1b.js?v=1", Type: "Script", Status: 404}}
	b.Requests = []crawler.Request{{URL: "https://cdn.example:444/app-0badc0de.js?v=2", Type: "Script", Status: 404}}
	fa, fb := RunPage(Registry(), testEnv(), a), RunPage(Registry(), testEnv(), b)
	if len(fa) != 1 || len(fb) != 1 {
		t.Fatalf("findings: %v / %v", fa, fb)
	}
	if fa[0].Fingerprint == "" || fa[0].Fingerprint != fb[0].Fingerprint {
		t.Errorf("same defect, fingerprints %q and %q", fa[0].Fingerprint, fb[0].Fingerprint)
	}
	if fa[0].Subject != "https://cdn.example/app-3f9a2c1b.js?v=1" {
		t.Errorf("subject is stored normalised: %q", fa[0].Subject)
	}
}

func TestMarkdownTable(t *testing.T) {
	reg := []*Check{
		{ID: "a.one", Severity: SeverityError, Subject: "x | y", Doc: "fires\nwhen"},
		{ID: "b.two", Severity: SeverityWarning, SeverityDoc: "home / else", Subject: `""`, Doc: "d"},
	}
	want := "| rule | severity | subject | fires when |\n|---|---|---|---|\n" +
		"| a.one | error | x \\| y | fires when |\n" +
		"| b.two | home / else | \"\" | d |\n"
	if got := MarkdownTable(reg); got != want {
		t.Errorf("MarkdownTable =\n%s\nwant\n%s", got, want)
	}
	full := MarkdownTable(Registry())
	if !strings.Contains(full, "| perf.slow-load | warning | metric key (`load_ms`, `lcp_ms`, `fcp_ms`) | a timing is over its budget (one finding per metric) |\n") {
		t.Errorf("registry table misses the contract row:\n%s", full)
	}
	if n := strings.Count(full, "\n"); n != len(Registry())+2 {
		t.Errorf("table has %d lines, want %d", n, len(Registry())+2)
	}
}
