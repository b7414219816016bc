package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/storecheck/storecheck/internal/testsite"
)

// ocrRunJSON is the part of `show --format json` the OCR tests read: the
// pages' OCR counts beside the findings.
type ocrRunJSON struct {
	Pages []struct {
		URL      string          `json:"url"`
		Viewport string          `json:"viewport"`
		OCR      *map[string]int `json:"ocr"`
	} `json:"pages"`
	Findings []ocrFinding `json:"findings"`
}

type ocrFinding struct {
	Rule     string         `json:"rule"`
	Subject  string         `json:"subject"`
	Evidence map[string]any `json:"evidence"`
}

// ocrSweep sweeps page (desktop, depth 0) under the config extra into db
// and returns the run's JSON and the sweep's stderr.
func ocrSweep(t *testing.T, page, db, extra string) (ocrRunJSON, string) {
	t.Helper()
	cfg := filepath.Join(t.TempDir(), "storecheck.yaml")
	if err := os.WriteFile(cfg, []byte("tls_insecure: true\npage_timeout: 15s\n"+extra), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := cli(t, "sweep", page, "--config", cfg, "--db", db, "--browser", browserPath,
		"--max-depth", "0", "--viewport", "desktop", "--now", fixtureNow)
	if code != 0 && code != exitFindings {
		t.Fatalf("sweep exit %d:\n%s", code, stderr)
	}
	scode, shown, serr := cli(t, "show", "latest", "--db", db, "--format", "json")
	if scode != 0 {
		t.Fatalf("show exit %d: %s", scode, serr)
	}
	var out ocrRunJSON
	if err := json.Unmarshal([]byte(shown), &out); err != nil {
		t.Fatal(err)
	}
	return out, stderr
}

func ocrRules(r ocrRunJSON) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Rule+" "+f.Subject)
	}
	slices.Sort(out)
	return out
}

// With ocr.tesseract pointing at a missing program a sweep says so once,
// reads no picture, and every other judgment still runs.
func TestOCRWithoutTesseract(t *testing.T) {
	needBrowser(t)
	root := testsite.Dir(t, "fixtures")
	site := testsite.Start(t, root, testsite.Options{})
	db := filepath.Join(t.TempDir(), "run.db")
	run, stderr := ocrSweep(t, site.TLSURL+"/text/banned.html", db, "ocr: {tesseract: /nonexistent/tesseract}\n")
	if n := strings.Count(stderr, "tesseract not found"); n != 1 {
		t.Errorf("%d warnings about the missing tesseract, want 1:\n%s", n, stderr)
	}
	if !slices.ContainsFunc(run.Findings, func(f ocrFinding) bool { return f.Rule == "text.banned-term" }) {
		t.Errorf("no text.banned-term on the banned-term page: %v", ocrRules(run))
	}
	for _, p := range run.Pages {
		if p.OCR != nil {
			t.Errorf("%s (%s) has OCR counts %v, want none", p.URL, p.Viewport, *p.OCR)
		}
	}
}

// A second sweep of an unchanged page reads every picture from the
// store's cache: tesseract runs 0 times, and the findings are the same.
// ocr.max_per_page 2 keeps it cheap and counts the rest (8 of the page's
// 10 pictures) as skipped.
func TestOCRCacheAcrossRuns(t *testing.T) {
	needBrowser(t)
	root := testsite.Dir(t, "fixtures")
	site := testsite.Start(t, root, testsite.Options{})
	db := filepath.Join(t.TempDir(), "run.db")
	page := site.TLSURL + "/ocr/banners.html"
	counts := func(r ocrRunJSON) map[string]int {
		if len(r.Pages) != 1 || r.Pages[0].OCR == nil {
			t.Fatalf("pages %+v: want one with OCR counts", r.Pages)
		}
		return *r.Pages[0].OCR
	}
	first, _ := ocrSweep(t, page, db, "ocr: {max_per_page: 2}\n")
	second, _ := ocrSweep(t, page, db, "ocr: {max_per_page: 2}\n")
	c1, c2 := counts(first), counts(second)
	if c1["read"] != 2 || c1["cached"] != 0 || c1["skipped_limit"] != 8 {
		t.Errorf("first sweep counts %v, want 2 read, 0 cached, 8 skipped_limit", c1)
	}
	if c2["read"] != 0 || c2["cached"] != 2 || c2["skipped_limit"] != 8 {
		t.Errorf("second sweep counts %v, want 0 read (tesseract never ran), 2 cached, 8 skipped_limit", c2)
	}
	a, b := ocrRules(first), ocrRules(second)
	if !slices.Equal(a, b) || !slices.Contains(a, "text.banned-term 全网最低价") {
		t.Errorf("first sweep %v, second %v: want the same, with the banner's 全网最低价", a, b)
	}
}
