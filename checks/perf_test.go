package checks

import (
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
)

// configZero has every budget at 0: every perf rule is switched off.
var configZero config.Config

func TestPerfRules(t *testing.T) {
	tests := []struct {
		name    string
		rule    string
		edit    func(*crawler.Page)
		want    []string // subjects
		message string   // of the first finding, when set
	}{
		{"all metrics nil", "perf.slow-load", func(p *crawler.Page) {}, []string{}, ""},
		{"all under budget", "perf.slow-load", func(p *crawler.Page) {
			p.Metrics.Loadms, p.Metrics.LCPms, p.Metrics.FCPms = f64(2999), f64(2400), f64(1700)
		}, []string{}, ""},
		{"at budget is not over", "perf.slow-load", func(p *crawler.Page) {
			p.Metrics.Loadms, p.Metrics.LCPms, p.Metrics.FCPms = f64(3000), f64(2500), f64(1800)
		}, []string{}, ""},
		{"lcp over", "perf.slow-load", func(p *crawler.Page) {
			p.Metrics.Loadms, p.Metrics.LCPms = f64(2000), f64(3120.4)
		}, []string{"lcp_ms"}, "Largest contentful paint took 3,120 ms, over the 2,500 ms budget."},
		{"one finding per metric", "perf.slow-load", func(p *crawler.Page) {
			p.Metrics.Loadms, p.Metrics.LCPms, p.Metrics.FCPms = f64(12000), f64(2500.1), f64(1800.5)
		}, []string{"fcp_ms", "lcp_ms", "load_ms"}, ""},
		{"load over", "perf.slow-load", func(p *crawler.Page) { p.Metrics.Loadms = f64(10250) },
			[]string{"load_ms"}, "The page took 10,250 ms to load, over the 3,000 ms budget."},
		{"404 page is not judged", "perf.slow-load", func(p *crawler.Page) {
			p.Status, p.Metrics.LCPms = 404, f64(9000)
		}, []string{}, ""},
		{"status 0 is not judged", "perf.slow-load", func(p *crawler.Page) {
			p.Status, p.Error, p.Metrics.LCPms = 0, "net::ERR_CONNECTION_REFUSED", f64(9000)
		}, []string{}, ""},
		{"timed out is not judged", "perf.slow-load", func(p *crawler.Page) {
			p.TimedOut, p.Error, p.Metrics.LCPms = true, "timeout", f64(29000)
		}, []string{}, ""},

		{"cls nil", "perf.layout-shift", func(p *crawler.Page) {}, []string{}, ""},
		{"cls at budget", "perf.layout-shift", func(p *crawler.Page) { p.Metrics.CLS = f64(0.1) }, []string{}, ""},
		{"cls zero", "perf.layout-shift", func(p *crawler.Page) { p.Metrics.CLS = f64(0) }, []string{}, ""},
		{"cls over", "perf.layout-shift", func(p *crawler.Page) { p.Metrics.CLS = f64(0.2534) },
			[]string{"cls"}, "Cumulative layout shift is 0.253, over the 0.1 budget."},
		{"cls on 500 page", "perf.layout-shift", func(p *crawler.Page) { p.Status, p.Metrics.CLS = 500, f64(0.9) }, []string{}, ""},

		{"tbt nil", "perf.long-tasks", func(p *crawler.Page) {}, []string{}, ""},
		{"tbt at budget", "perf.long-tasks", func(p *crawler.Page) { p.Metrics.TBTms = f64(200) }, []string{}, ""},
		{"tbt over", "perf.long-tasks", func(p *crawler.Page) { p.Metrics.TBTms = f64(1234) },
			[]string{"tbt_ms"}, "Long tasks blocked the main thread for 1,234 ms, over the 200 ms budget."},

		{"bytes zero", "perf.heavy-page", func(p *crawler.Page) {}, []string{}, ""},
		{"bytes at budget", "perf.heavy-page", func(p *crawler.Page) { p.Metrics.TransferBytes = 3000000 }, []string{}, ""},
		{"bytes over", "perf.heavy-page", func(p *crawler.Page) { p.Metrics.TransferBytes = 4210000 },
			[]string{"transfer_bytes"}, "The page transferred 4.2 MB, over the 3 MB budget."},
		{"bytes on failed page", "perf.heavy-page", func(p *crawler.Page) {
			p.Status, p.Metrics.TransferBytes = 503, 9000000
		}, []string{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := okPage()
			tt.edit(p)
			fs := runRule(t, tt.rule, p)
			if got := subjects(fs); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("subjects = %q, want %q", got, tt.want)
			}
			for _, f := range fs {
				if f.Rule != tt.rule || f.Severity != SeverityWarning || f.URL != p.URL || f.Viewport != "desktop" {
					t.Errorf("finding header wrong: %+v", f)
				}
				if _, ok := f.Evidence["value"]; !ok {
					t.Errorf("evidence without value: %v", f.Evidence)
				}
				if _, ok := f.Evidence["budget"]; !ok {
					t.Errorf("evidence without budget: %v", f.Evidence)
				}
			}
			if tt.message != "" && fs[0].Message != tt.message {
				t.Errorf("message = %q, want %q", fs[0].Message, tt.message)
			}
		})
	}
}

func TestPerfEvidence(t *testing.T) {
	p := okPage()
	p.Metrics.LCPms = f64(3120.4)
	p.Metrics.TransferBytes = 3500000
	fs := RunPage(Registry(), testEnv(), p)
	got := map[string]map[string]any{}
	for _, f := range fs {
		got[f.Subject] = f.Evidence
	}
	want := map[string]map[string]any{
		"lcp_ms":         {"value": 3120.4, "budget": 2500.0},
		"transfer_bytes": {"value": int64(3500000), "budget": int64(3000000)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("evidence = %v, want %v", got, want)
	}
}

func TestPerfWithoutBudgets(t *testing.T) {
	p := okPage()
	p.Metrics.LCPms, p.Metrics.CLS, p.Metrics.TransferBytes = f64(99999), f64(5), 1<<40
	for _, env := range []*Env{envFor(&configZero, time.Time{})} {
		if fs := RunPage(Registry(), env, p); len(fs) != 0 {
			t.Errorf("fired without budgets: %v", subjects(fs))
		}
	}
}

func TestFormatting(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{groupThousands(0), "0"},
		{groupThousands(999), "999"},
		{groupThousands(1000), "1,000"},
		{groupThousands(-1234567), "-1,234,567"},
		{formatMs(2499.6), "2,500"},
		{formatCLS(0.1), "0.1"},
		{formatCLS(0.25), "0.25"},
		{formatBytes(950), "950 bytes"},
		{formatBytes(3000000), "3 MB"},
		{formatBytes(1250), "1.3 KB"},
		{formatBytes(2_100_000_000), "2.1 GB"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// TestPerfConfirmed: a timing rule names the visits to load again
// (Suspect), judges the median it is then given, lists every load in
// evidence.samples, and draws no timing verdict from a suspect the sweep
// could not re-measure.
func TestPerfConfirmed(t *testing.T) {
	env := testEnv()
	tests := []struct {
		name     string
		edit     func(*crawler.Page)
		suspects []string // rules whose Suspect is true
		findings map[string]any
	}{
		{"under every budget", func(p *crawler.Page) { p.Metrics.TBTms, p.Metrics.LCPms = f64(150), f64(900) },
			nil, map[string]any{}},
		{"bytes over are no suspect", func(p *crawler.Page) { p.Metrics.TransferBytes = 9_000_000 },
			nil, map[string]any{"transfer_bytes": nil}},
		{"tbt over is a suspect", func(p *crawler.Page) { p.Metrics.TBTms = f64(260) },
			[]string{"perf.long-tasks"}, map[string]any{"tbt_ms": nil}},
		{"lcp and cls over", func(p *crawler.Page) { p.Metrics.LCPms, p.Metrics.CLS = f64(2600), f64(0.3) },
			[]string{"perf.layout-shift", "perf.slow-load"}, map[string]any{"lcp_ms": nil, "cls": nil}},
		{"failed visit is no suspect", func(p *crawler.Page) { p.Status, p.Metrics.TBTms = 500, f64(900) },
			nil, map[string]any{}},
		{"confirmed median over lists its samples", func(p *crawler.Page) {
			p.Samples = []crawler.Metrics{{TBTms: f64(2400)}, {TBTms: f64(2100)}, {TBTms: nil}}
			p.Metrics.TBTms = f64(2100)
		}, []string{"perf.long-tasks"}, map[string]any{"tbt_ms": []any{2400.0, 2100.0, nil}}},
		{"confirmed median under", func(p *crawler.Page) {
			p.Samples = []crawler.Metrics{{TBTms: f64(290)}, {TBTms: f64(40)}, {TBTms: f64(60)}}
			p.Metrics.TBTms = f64(60)
		}, nil, map[string]any{}},
		{"unconfirmed suspect gets no timing verdict", func(p *crawler.Page) {
			p.Unconfirmed = true
			p.Metrics.TBTms, p.Metrics.TransferBytes = f64(900), 9_000_000
		}, []string{"perf.long-tasks"}, map[string]any{"transfer_bytes": nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := okPage()
			tt.edit(p)
			var suspects []string
			for _, c := range Registry() {
				if c.Suspect != nil && c.Suspect(env, p) {
					suspects = append(suspects, c.ID)
				}
			}
			sort.Strings(suspects)
			if !reflect.DeepEqual(suspects, tt.suspects) {
				t.Errorf("suspect for %q, want %q", suspects, tt.suspects)
			}
			if got, want := Suspect(Registry(), env, p), len(tt.suspects) > 0; got != want {
				t.Errorf("Suspect = %v, want %v", got, want)
			}
			got := map[string]any{}
			for _, f := range RunPage(Registry(), env, p) {
				if !strings.HasPrefix(f.Rule, "perf.") {
					continue
				}
				got[f.Subject] = f.Evidence["samples"]
			}
			if !reflect.DeepEqual(got, tt.findings) {
				t.Errorf("findings (subject: samples) = %v, want %v", got, tt.findings)
			}
		})
	}
}
