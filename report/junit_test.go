package report

import (
	"bytes"
	"context"
	"encoding/xml"
	"slices"
	"strings"
	"testing"
	"time"

	gojunit "github.com/joshdk/go-junit"
	"github.com/jstemmer/go-junit-report/v2/junit"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/diff"
	"github.com/storecheck/storecheck/storage"
)

func loadRun(t *testing.T, db *storage.DB, ref string) *storage.RunData {
	t.Helper()
	d, err := db.LoadRun(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// handRun is a run built without storage: a page answering 404, findings
// about a URL that has no page row (the site suite), several severities of
// one rule on one page, an info-only rule, a rule not in the catalog, and
// messages with what XML cannot carry.
func handRun() *storage.RunData {
	const a, b = "https://hand.test/a?x=1&y=2", "https://hand.test/b"
	d := &storage.RunData{
		Run: storage.Run{ID: 7, Name: "hand", Status: storage.StatusComplete, StartedAt: t0, Now: t0,
			FinishedAt: t0.Add(10 * time.Second), Pages: 2, Findings: storage.Counts{Error: 2, Warning: 2, Info: 3}},
		Pages: []storage.PageRow{
			{URL: a, FinalURL: a, Viewport: "desktop", Kind: crawler.KindHome, Status: 200, Metrics: crawler.Metrics{Loadms: ptr(1500)}},
			{URL: a, FinalURL: a, Viewport: "mobile", Kind: crawler.KindOther, Status: 404},
		},
		Findings: []checks.Finding{
			finding("text.banned-term", checks.SeverityWarning, a, "desktop", "第一", "“第一” is an absolute term.", nil),
			finding("text.banned-term", checks.SeverityError, a, "desktop", "最佳", "bad \x00\x1b term ]]> <end> & more", nil),
			finding("image.missing-alt", checks.SeverityInfo, a, "desktop", "https://cdn.hand.test/1.jpg", "No alt text.",
				map[string]any{"box": map[string]any{"x": 1, "y": 2, "w": 3, "h": 4}}),
			finding("x.not-in-catalog", checks.SeverityInfo, a, "desktop", "", "", nil),
			finding("page.http-error", checks.SeverityError, a, "mobile", "404", "The page answered 404.", nil),
			finding("page.broken-link", checks.SeverityWarning, b, "desktop", "https://hand.test/c", "The link answers 404.", nil),
			finding("image.missing-alt", checks.SeverityInfo, b, "desktop", "https://cdn.hand.test/2.jpg", "No alt text.", nil),
		},
	}
	checks.SortFindings(d.Findings)
	return d
}

// handDiff compares fixture run 1 (base) with a head that resolved
// image.broken, lost the failed page (its page.http-error resolved with it),
// raised one perf.slow-load to error, and brought a new logo.missing error
// (reopened) and a new image.missing-alt info.
func handDiff(base *storage.RunData) (*diff.Result, *storage.RunData) {
	head := &storage.RunData{Run: base.Run}
	head.Run.ID, head.Run.StartedAt = 4, base.Run.StartedAt.Add(24*time.Hour)
	head.Run.FinishedAt = head.Run.StartedAt.Add(time.Minute)
	for _, p := range base.Pages {
		if p.Status != 0 {
			head.Pages = append(head.Pages, p)
		}
	}
	for _, f := range base.Findings {
		switch {
		case f.Rule == "image.broken" || f.Rule == "page.http-error":
		case f.Rule == "perf.slow-load" && strings.HasPrefix(f.URL, "https://shop.test/p/1"):
			f.Severity = checks.SeverityError
			head.Findings = append(head.Findings, f)
		default:
			head.Findings = append(head.Findings, f)
		}
	}
	logo := finding("logo.missing", checks.SeverityError, "https://shop.test/", "desktop", "", "The brand logo is not on the page.", nil)
	head.Findings = append(head.Findings, logo,
		finding("image.missing-alt", checks.SeverityInfo, "https://shop.test/p/1?color=red&size=m", "mobile",
			"https://cdn.shop.test/b.jpg", "No alt text.", nil))
	checks.SortFindings(head.Findings)
	return diff.Compute(base, head, map[string]bool{logo.Fingerprint: true}), head
}

type junitCounts struct{ suites, tests, failures, errors int }

func TestJUnit(t *testing.T) {
	db := fixture(t)
	run1 := loadRun(t, db, "1")
	res, head := handDiff(run1)
	tests := []struct {
		name   string
		d      *storage.RunData // whose pages make the suites
		render func(*bytes.Buffer) error
		want   junitCounts
		// failing: for run renders, every (visit or "site", rule) with an
		// error or warning finding; for diffs, with a new one.
		failing []checks.Finding
	}{
		// 5 visits × 6 rules, except the failed visit: page.load + page.http-error.
		{"run", run1, func(b *bytes.Buffer) error { return RunJUnit(b, run1) }, junitCounts{5, 26, 6, 1}, run1.Findings},
		{"run without findings", loadRun(t, db, "3"), func(b *bytes.Buffer) error { return RunJUnit(b, loadRun(t, db, "3")) },
			junitCounts{1, 1, 0, 0}, nil},
		{"run without pages", loadRun(t, db, "2"), func(b *bytes.Buffer) error { return RunJUnit(b, loadRun(t, db, "2")) },
			junitCounts{0, 0, 0, 0}, nil},
		// 2 visits × 5 rules, site: image.missing-alt, page.broken-link.
		{"hand-built run", handRun(), func(b *bytes.Buffer) error { return RunJUnit(b, handRun()) }, junitCounts{3, 12, 3, 0}, handRun().Findings},
		// 4 visits × 6 rules; the site suite only lists what was resolved.
		{"diff", head, func(b *bytes.Buffer) error { return DiffJUnit(b, res, head) }, junitCounts{5, 24, 1, 0}, newFindings(res)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := tt.render(&out); err != nil {
				t.Fatal(err)
			}
			suites, err := gojunit.Ingest(out.Bytes())
			if err != nil {
				t.Fatalf("go-junit cannot read it: %v\n%s", err, out.Bytes())
			}
			var got junitCounts
			got.suites = len(suites)
			for _, s := range suites {
				got.tests += s.Totals.Tests
				got.failures += s.Totals.Failed
				got.errors += s.Totals.Error
			}
			if got != tt.want {
				t.Errorf("counts = %+v, want %+v\n%s", got, tt.want, out.Bytes())
			}
			if n := failingCases(tt.d, tt.failing); got.failures != n {
				t.Errorf("%d failures, the findings make %d", got.failures, n)
			}
			failedVisits := 0
			for _, p := range tt.d.Pages {
				if p.Status == 0 {
					failedVisits++
				}
			}
			if got.errors != failedVisits {
				t.Errorf("%d errors, %d failed visits", got.errors, failedVisits)
			}

			// The document survives encoding/xml both ways unchanged, and the
			// totals it states agree with its cases.
			var doc junit.Testsuites
			if err := xml.Unmarshal(out.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Tests != got.tests || doc.Failures != got.failures || doc.Errors != got.errors {
				t.Errorf("testsuites says %d/%d/%d, cases %+v", doc.Tests, doc.Failures, doc.Errors, got)
			}
			var again bytes.Buffer
			if err := doc.WriteXML(&again); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again.Bytes(), out.Bytes()) {
				t.Errorf("xml round trip differs:\n%s\n---\n%s", again.Bytes(), out.Bytes())
			}
			var twice bytes.Buffer
			if err := tt.render(&twice); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(twice.Bytes(), out.Bytes()) {
				t.Error("two renderings differ")
			}
		})
	}
}

// failingCases counts the (visit or site, rule) pairs among fs with an
// error or warning finding: the failures JUnit must show.
func failingCases(d *storage.RunData, fs []checks.Finding) int {
	pages := map[[2]string]bool{}
	for _, p := range d.Pages {
		pages[[2]string{p.URL, p.Viewport}] = true
	}
	cases := map[[3]string]bool{}
	for _, f := range fs {
		if f.Severity.Rank() < checks.SeverityWarning.Rank() {
			continue
		}
		k := [3]string{f.URL, f.Viewport, f.Rule}
		if !pages[[2]string{f.URL, f.Viewport}] {
			k = [3]string{"site", "", f.Rule}
		}
		cases[k] = true
	}
	return len(cases)
}

func newFindings(r *diff.Result) []checks.Finding {
	var out []checks.Finding
	for _, f := range r.New {
		out = append(out, f.Finding)
	}
	return out
}

// TestJUnitCases checks single cases: names, classnames, what fails and
// how, where info, persisting and resolved findings go.
func TestJUnitCases(t *testing.T) {
	db := fixture(t)
	run1 := loadRun(t, db, "1")
	res, head := handDiff(run1)
	ingest := func(render func(*bytes.Buffer) error) map[string]gojunit.Suite {
		t.Helper()
		var out bytes.Buffer
		if err := render(&out); err != nil {
			t.Fatal(err)
		}
		suites, err := gojunit.Ingest(out.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]gojunit.Suite{}
		var names []string
		for _, s := range suites {
			m[s.Name] = s
			names = append(names, s.Name)
		}
		if !slices.IsSorted(names) { // "site" sorts after every http(s) URL
			t.Errorf("suites not sorted: %q", names)
		}
		return m
	}
	run := ingest(func(b *bytes.Buffer) error { return RunJUnit(b, run1) })
	hand := ingest(func(b *bytes.Buffer) error { return RunJUnit(b, handRun()) })
	dif := ingest(func(b *bytes.Buffer) error { return DiffJUnit(b, res, head) })
	empty := ingest(func(b *bytes.Buffer) error { return RunJUnit(b, loadRun(t, db, "3")) })

	tests := []struct {
		name         string
		suites       map[string]gojunit.Suite
		suite, test  string
		status       gojunit.Status
		class        string
		message, typ string // of the failure or error
		body, out    string // contained in the failure body / system-out
	}{
		{"info does not fail", run, "https://shop.test/ (desktop)", "layout.nav-overloaded", gojunit.StatusPassed, "layout",
			"", "", "", "info #nav: The navigation has 15 top-level items."},
		{"a rule passes where another page fails it", run, "https://shop.test/p/1?color=red&size=m (mobile)", "perf.slow-load",
			gojunit.StatusPassed, "perf", "", "", "", ""},
		{"site finding on a visited page", run, "https://shop.test/ (desktop)", "page.broken-link", gojunit.StatusFailed, "page",
			"The link answers 404.", "warning", "warning https://shop.test/p/9: The link answers 404. [", ""},
		{"every finding in the body", run, "https://shop.test/ (mobile)", "perf.slow-load", gojunit.StatusFailed, "perf",
			"lcp_ms is 3900 ms, over the 2500 ms budget.", "warning", "warning load_ms: load_ms is 4200 ms", ""},
		{"failed visit", run, "https://shop.test/p/2 (mobile)", "page.load", gojunit.StatusError, "page",
			"timeout", "error", "status 0, timeout", ""},
		{"failed visit keeps its findings", run, "https://shop.test/p/2 (mobile)", "page.http-error", gojunit.StatusFailed, "page",
			"The page did not load within 30s.", "error", "", ""},
		{"worst finding names the failure", hand, "https://hand.test/a?x=1&y=2 (desktop)", "text.banned-term", gojunit.StatusFailed, "text",
			"bad \uFFFD\uFFFD term ]]> <end> & more", "error", "warning 第一: “第一” is an absolute term.", ""},
		{"404 is a visit, not a load error", hand, "https://hand.test/a?x=1&y=2 (mobile)", "page.http-error", gojunit.StatusFailed, "page",
			"The page answered 404.", "error", "", ""},
		{"site suite", hand, "site", "page.broken-link", gojunit.StatusFailed, "page",
			"The link answers 404.", "warning", "on https://hand.test/b (desktop)", ""},
		{"site info", hand, "site", "image.missing-alt", gojunit.StatusPassed, "image",
			"", "", "", "info https://cdn.hand.test/2.jpg: No alt text."},
		{"no findings at all", empty, "https://other.test/ (desktop)", "storecheck", gojunit.StatusPassed, "storecheck", "", "", "", ""},
		{"diff: new fails", dif, "https://shop.test/ (desktop)", "logo.missing", gojunit.StatusFailed, "logo",
			"The brand logo is not on the page.", "error", "reopened error -: The brand logo is not on the page. [", ""},
		{"diff: persisting does not fail", dif, "https://shop.test/p/1?color=red&size=m (desktop)", "price.original-not-higher",
			gojunit.StatusPassed, "price", "", "", "", "persisting error 原价 ¥99:"},
		{"diff: changed does not fail", dif, "https://shop.test/p/1?color=red&size=m (desktop)", "perf.slow-load",
			gojunit.StatusPassed, "perf", "", "", "", "changed (was warning) error lcp_ms:"},
		{"diff: new info does not fail", dif, "https://shop.test/p/1?color=red&size=m (mobile)", "image.missing-alt",
			gojunit.StatusPassed, "image", "", "", "", "info https://cdn.shop.test/b.jpg: No alt text."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := tt.suites[tt.suite]
			if !ok {
				t.Fatalf("no suite %q", tt.suite)
			}
			i := slices.IndexFunc(s.Tests, func(c gojunit.Test) bool { return c.Name == tt.test })
			if i < 0 {
				t.Fatalf("suite %q has no case %q", tt.suite, tt.test)
			}
			c := s.Tests[i]
			if c.Status != tt.status || c.Classname != tt.class {
				t.Errorf("status %s classname %q, want %s %q", c.Status, c.Classname, tt.status, tt.class)
			}
			var e gojunit.Error
			if c.Error != nil {
				e = c.Error.(gojunit.Error)
			}
			if c.Message != tt.message || e.Type != tt.typ {
				t.Errorf("message %q type %q, want %q %q", c.Message, e.Type, tt.message, tt.typ)
			}
			if !strings.Contains(e.Body, tt.body) {
				t.Errorf("body %q does not contain %q", e.Body, tt.body)
			}
			if !strings.Contains(c.SystemOut, tt.out) {
				t.Errorf("system-out %q does not contain %q", c.SystemOut, tt.out)
			}
		})
	}

	if got := run["https://shop.test/ (desktop)"].Properties; got["viewport"] != "desktop" || got["kind"] != "product" {
		t.Errorf("suite properties %v", got)
	}
	var doc junit.Testsuites
	var out bytes.Buffer
	if err := RunJUnit(&out, run1); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, s := range doc.Suites {
		want := map[string]string{"https://shop.test/ (desktop)": "2.100", "https://shop.test/p/1?color=red&size=m (mobile)": "0.000"}[s.Name]
		if want != "" && s.Time != want {
			t.Errorf("suite %q time %q, want %q (load_ms in s)", s.Name, s.Time, want)
		}
		if s.Timestamp != "2025-06-18T10:00:00+08:00" {
			t.Errorf("suite %q timestamp %q, want the run's start", s.Name, s.Timestamp)
		}
	}
	if doc.Time != "83.400" || doc.Name != "storecheck run 1 (shop)" {
		t.Errorf("testsuites time %q name %q", doc.Time, doc.Name)
	}
	for suite, want := range map[string]string{
		"https://shop.test/p/1?color=red&size=m (desktop)": "resolved error image.broken https://cdn.shop.test/a.jpg?w=800&h=800: The image answered 404.",
		"site": "resolved error page.http-error timeout: The page did not load within 30s. [" + fingerprint("page.http-error", "mobile", "https://shop.test/p/2", "timeout") + "] on https://shop.test/p/2 (mobile)",
	} {
		if out := dif[suite].SystemOut; !strings.Contains(out, want) {
			t.Errorf("diff suite %q system-out %q does not contain %q", suite, out, want)
		}
	}
}
