package report

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/lang"
	"github.com/storecheck/storecheck/storage"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

var (
	cst = time.FixedZone("CST", 8*3600)
	t0  = time.Date(2025, 6, 18, 10, 0, 0, 0, cst)
)

func ptr(f float64) *float64 { return &f }

func page(url, viewport, title string, load, lcp *float64) *crawler.Page {
	return &crawler.Page{
		URL: url, FinalURL: url, Viewport: crawler.Viewport{Name: viewport}, Status: 200,
		Kind: crawler.KindProduct, Title: title,
		Metrics: crawler.Metrics{
			TTFBms: ptr(120), FCPms: ptr(800), LCPms: lcp, DOMContentLoadedms: ptr(950), Loadms: load,
			CLS: ptr(0.02), TBTms: ptr(30), Requests: 12, TransferBytes: 345678,
		},
	}
}

func finding(rule string, sev checks.Severity, url, viewport, subject, message string, ev map[string]any) checks.Finding {
	return checks.Finding{
		Rule: rule, Severity: sev, URL: url, Viewport: viewport, Subject: subject, Message: message,
		Evidence: ev, Fingerprint: fingerprint(rule, viewport, url, subject),
	}
}

// fingerprint stands in for checks.Fingerprint so the goldens do not change
// with its normalisation rules.
func fingerprint(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "|")))
	return hex.EncodeToString(sum[:8])
}

// fixture builds a database of three runs: 1 complete with pages and
// findings, 2 interrupted and empty, 3 still running.
func fixture(t *testing.T) *storage.DB {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "report.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return t0.Add(10 * time.Minute) } // heartbeats stay fresh

	info := storage.RunInfo{
		Name: "shop", StartedAt: t0, Now: t0, StartURLs: []string{"https://shop.test/"},
		Concurrency: 2, CPUs: 4, Browser: "Chromium 140.0.7339.80",
	}
	id, err := db.CreateRun(ctx, info)
	if err != nil {
		t.Fatal(err)
	}
	w := db.Writer(id)
	const (
		home = "https://shop.test/"
		p1   = "https://shop.test/p/1?color=red&size=m"
		p2   = "https://shop.test/p/2"
	)
	failed := &crawler.Page{URL: p2, FinalURL: p2, Viewport: crawler.Viewport{Name: "mobile"}, Kind: crawler.KindOther,
		Error: "timeout", TimedOut: true}
	recs := []storage.PageRecord{
		{Page: page(home, "desktop", "首页", ptr(2100), ptr(1500.4)), Findings: []checks.Finding{
			finding("layout.nav-overloaded", checks.SeverityInfo, home, "desktop", "#nav", "The navigation has 15 top-level items.",
				map[string]any{"items": 15, "max": 12, "box": crawler.Box{X: 0, Y: 60, W: 1350, H: 48}}),
		}},
		{Page: page(home, "mobile", "首页", ptr(4200), ptr(3900)), Findings: []checks.Finding{
			finding("perf.slow-load", checks.SeverityWarning, home, "mobile", "load_ms", "load_ms is 4200 ms, over the 3000 ms budget.",
				map[string]any{"value": 4200, "budget": 3000}),
			finding("perf.slow-load", checks.SeverityWarning, home, "mobile", "lcp_ms", "lcp_ms is 3900 ms, over the 2500 ms budget.",
				map[string]any{"value": 3900, "budget": 2500}),
		}},
		{Page: page(p1, "desktop", "红色T恤 ¥129", ptr(4200), ptr(2600)), Findings: []checks.Finding{
			finding("image.broken", checks.SeverityError, p1, "desktop", "https://cdn.shop.test/a.jpg?w=800&h=800", "The image answered 404.",
				map[string]any{"status": 404}),
			finding("price.original-not-higher", checks.SeverityError, p1, "desktop", "原价 ¥99", "The original price ¥99 is not above the current price ¥129.",
				map[string]any{"current": 129, "original": 99}),
			finding("perf.slow-load", checks.SeverityWarning, p1, "desktop", "lcp_ms", "lcp_ms is 2600 ms, over the 2500 ms budget.",
				map[string]any{"value": 2600, "budget": 2500}),
		}},
		{Page: page(p1, "mobile", "红色T恤 ¥129", nil, nil)},
		{Page: failed, Findings: []checks.Finding{
			finding("page.http-error", checks.SeverityError, p2, "mobile", "timeout", "The page did not load within 30s.", nil),
		}},
	}
	for _, r := range recs {
		if err := w.AddPage(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.AddSiteFindings(ctx, []checks.Finding{
		finding("page.broken-link", checks.SeverityWarning, home, "desktop", "https://shop.test/p/9", "The link answers 404.",
			map[string]any{"status": 404}),
	}); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(ctx, storage.StatusComplete, t0.Add(83*time.Second+400*time.Millisecond)); err != nil {
		t.Fatal(err)
	}

	info.StartedAt, info.Now = t0.Add(time.Hour), time.Date(2025, 6, 20, 0, 0, 0, 0, cst)
	id, err = db.CreateRun(ctx, info)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Writer(id).Finish(ctx, storage.StatusInterrupted, t0.Add(time.Hour+5*time.Second)); err != nil {
		t.Fatal(err)
	}

	info.Name, info.StartURLs, info.Browser = "other", []string{"https://other.test/", "https://other.test/sale"}, ""
	info.StartedAt, info.Now = t0.Add(2*time.Hour), t0.Add(2*time.Hour)
	id, err = db.CreateRun(ctx, info)
	if err != nil {
		t.Fatal(err)
	}
	w = db.Writer(id)
	t.Cleanup(func() { w.Finish(context.Background(), storage.StatusFailed, t0) })
	if err := w.AddPage(ctx, storage.PageRecord{Page: &crawler.Page{
		URL: "https://other.test/", FinalURL: "https://other.test/", Viewport: crawler.Viewport{Name: "desktop"},
		Kind: crawler.KindHome, Status: 200, Title: "Other",
	}}); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestGolden(t *testing.T) {
	db := fixture(t)
	ctx := context.Background()
	runs, err := db.Runs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	load := func(ref string) *storage.RunData {
		d, err := db.LoadRun(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		golden string
		render func(*bytes.Buffer) error
	}{
		{"runs.json", func(b *bytes.Buffer) error { return RunsJSON(b, runs) }},
		{"runs.txt", func(b *bytes.Buffer) error { return RunsTable(b, lang.EN, runs) }},
		{"runs-empty.json", func(b *bytes.Buffer) error { return RunsJSON(b, nil) }},
		{"show.json", func(b *bytes.Buffer) error { return RunJSON(b, load("1")) }},
		{"show.txt", func(b *bytes.Buffer) error { return ShowTable(b, lang.EN, load("1"), 3) }},
		{"show-interrupted.json", func(b *bytes.Buffer) error { return RunJSON(b, load("2")) }},
		{"show-interrupted.txt", func(b *bytes.Buffer) error { return ShowTable(b, lang.EN, load("2"), 3) }},
		{"show-running.json", func(b *bytes.Buffer) error { return RunJSON(b, load("latest")) }},
		{"show-running.txt", func(b *bytes.Buffer) error { return ShowTable(b, lang.EN, load("latest"), 0) }},
		{"runs.zh-CN.txt", func(b *bytes.Buffer) error { return RunsTable(b, lang.ZH, runs) }},
		{"show.zh-CN.txt", func(b *bytes.Buffer) error { return ShowTable(b, lang.ZH, load("1"), 3) }},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			var got bytes.Buffer
			if err := tt.render(&got); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.golden+".golden")
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("output differs from %s (go test -update rewrites it)\n--- got\n%s\n--- want\n%s", path, got.Bytes(), want)
			}
		})
	}
}

// TestRunJSONStable renders one run from two loads and two handles: the
// bytes must not depend on anything but what is stored.
func TestRunJSONStable(t *testing.T) {
	db := fixture(t)
	var a, b bytes.Buffer
	for _, buf := range []*bytes.Buffer{&a, &b} {
		d, err := db.LoadRun(context.Background(), "1")
		if err != nil {
			t.Fatal(err)
		}
		if err := RunJSON(buf, d); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two renderings of run 1 differ")
	}
	if !bytes.HasSuffix(a.Bytes(), []byte("}\n")) {
		t.Error("no trailing newline")
	}
}

// TestRunJSONShape checks the contract's keys and their order.
func TestRunJSONShape(t *testing.T) {
	db := fixture(t)
	d, err := db.LoadRun(context.Background(), "1")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := RunJSON(&buf, d); err != nil {
		t.Fatal(err)
	}
	wantKeys := map[string][]string{
		"":        {"run", "pages", "findings"},
		"run":     {"id", "name", "status", "started_at", "finished_at", "now", "start_urls", "concurrency", "cpus", "browser", "host", "pages", "findings"},
		"host":    {"benchmark_index", "load_avg", "cpus"},
		"counts":  {"error", "warning", "info"},
		"page":    {"url", "final_url", "viewport", "kind", "status", "error", "title", "metrics"},
		"metrics": {"ttfb_ms", "fcp_ms", "lcp_ms", "dom_content_loaded_ms", "load_ms", "cls", "tbt_ms", "requests", "transfer_bytes"},
		"finding": {"rule", "severity", "url", "viewport", "subject", "message", "evidence", "fingerprint"},
	}
	var doc struct {
		Run      json.RawMessage
		Pages    []json.RawMessage
		Findings []json.RawMessage
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var run struct{ Findings, Host json.RawMessage }
	json.Unmarshal(doc.Run, &run)
	var pg struct{ Metrics json.RawMessage }
	json.Unmarshal(doc.Pages[0], &pg)
	for name, raw := range map[string][]byte{
		"": buf.Bytes(), "run": doc.Run, "host": run.Host, "counts": run.Findings, "page": doc.Pages[0],
		"metrics": pg.Metrics, "finding": doc.Findings[0],
	} {
		if got := keys(t, raw); strings.Join(got, " ") != strings.Join(wantKeys[name], " ") {
			t.Errorf("%q keys = %v, want %v", name, got, wantKeys[name])
		}
	}
}

// keys returns the top-level keys of the JSON object raw, in order.
func keys(t *testing.T, raw []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", raw)
	}
	var out []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestColumnsWidth(t *testing.T) {
	var c columns
	c.add("原价 ¥99", "x")
	c.add("abc", "y")
	c.add("￥5\t折", "z")
	var b bytes.Buffer
	if err := c.write(&b); err != nil {
		t.Fatal(err)
	}
	want := "原价 ¥99  x\nabc       y\n￥5 折    z\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
