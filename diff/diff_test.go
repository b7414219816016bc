package diff

import (
	"testing"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/storage"
)

func f(fp string, sev checks.Severity) checks.Finding {
	return checks.Finding{Rule: "r." + fp, Severity: sev, URL: "https://s/" + fp, Viewport: "desktop", Fingerprint: fp}
}

func ms(v float64) *float64 { return &v }

func page(url, vp string, lcp, load float64, price *checks.PagePrice) storage.PageRow {
	return storage.PageRow{URL: url, Viewport: vp, Metrics: crawler.Metrics{LCPms: ms(lcp), Loadms: ms(load)}, Price: price}
}

func TestCompute(t *testing.T) {
	base := &storage.RunData{
		Run:      storage.Run{ID: 1, Name: "shop"},
		Findings: []checks.Finding{f("a", checks.SeverityError), f("b", checks.SeverityWarning), f("c", checks.SeverityWarning)},
		Pages: []storage.PageRow{
			page("https://s/1", "desktop", 800, 900, &checks.PagePrice{Current: 629, Original: 899}),
			page("https://s/1", "mobile", 2400, 3000, nil),
			page("https://s/gone", "desktop", 500, 600, nil),
			page("https://s/edge", "desktop", 1190, 1000, nil),
		},
	}
	head := &storage.RunData{
		Run:      storage.Run{ID: 2, Name: "shop"},
		Findings: []checks.Finding{f("a", checks.SeverityError), f("b", checks.SeverityError), f("d", checks.SeverityInfo), f("e", checks.SeverityWarning)},
		Pages: []storage.PageRow{
			page("https://s/1", "desktop", 2600, 950, &checks.PagePrice{Current: 599, Original: 899}),
			page("https://s/1", "mobile", 2450, 3700, nil),
			page("https://s/new", "desktop", 500, 600, nil),
			page("https://s/edge", "desktop", 1215, 1090, nil), // crosses 1200 by noise only
		},
	}
	r := Compute(base, head, map[string]bool{"e": true})
	if len(r.New) != 2 || r.New[0].Fingerprint != "d" || r.New[0].Reopened || r.New[1].Fingerprint != "e" || !r.New[1].Reopened {
		t.Errorf("new %+v", r.New)
	}
	if len(r.Resolved) != 1 || r.Resolved[0].Fingerprint != "c" {
		t.Errorf("resolved %+v", r.Resolved)
	}
	if len(r.Persisting) != 1 || r.Persisting[0].Fingerprint != "a" {
		t.Errorf("persisting %+v", r.Persisting)
	}
	if len(r.Changed) != 1 || r.Changed[0].Before.Severity != checks.SeverityWarning || r.Changed[0].After.Severity != checks.SeverityError {
		t.Errorf("changed %+v", r.Changed)
	}
	// Desktop LCP 800 → 2600 crosses good → poor; mobile LCP 2400 → 2450
	// stays good; mobile load 3000 → 3700 (+23 %, +700 ms) is listed; the
	// edge page's LCP crosses 1200 by 25 ms: noise.
	want := []MetricChange{
		{URL: "https://s/1", Viewport: "desktop", Metric: "lcp_ms", Before: 800, After: 2600, BandBefore: "good", BandAfter: "poor", Direction: "worse"},
		{URL: "https://s/1", Viewport: "mobile", Metric: "load_ms", Before: 3000, After: 3700, Direction: "worse"},
	}
	if len(r.MetricChanges) != len(want) {
		t.Fatalf("metric changes %+v", r.MetricChanges)
	}
	for i := range want {
		if r.MetricChanges[i] != want[i] {
			t.Errorf("metric change %d = %+v, want %+v", i, r.MetricChanges[i], want[i])
		}
	}
	if len(r.PriceChanges) != 1 || r.PriceChanges[0].Before.Current != 629 || r.PriceChanges[0].After.Current != 599 {
		t.Errorf("price changes %+v", r.PriceChanges)
	}
	if len(r.PagesAdded) != 1 || r.PagesAdded[0].URL != "https://s/new" || len(r.PagesRemoved) != 1 || r.PagesRemoved[0].URL != "https://s/gone" {
		t.Errorf("pages +%v −%v", r.PagesAdded, r.PagesRemoved)
	}
}

func TestBands(t *testing.T) {
	for _, tt := range []struct {
		vp, metric string
		v          float64
		want       string
	}{
		{"desktop", "lcp_ms", 1200, "good"}, {"desktop", "lcp_ms", 1201, "needs-improvement"}, {"desktop", "lcp_ms", 2401, "poor"},
		{"mobile", "lcp_ms", 2500, "good"}, {"mobile", "lcp_ms", 4000, "needs-improvement"}, {"mobile", "lcp_ms", 4001, "poor"},
		{"desktop", "fcp_ms", 934, "good"}, {"mobile", "fcp_ms", 1801, "needs-improvement"},
		{"desktop", "tbt_ms", 351, "poor"}, {"mobile", "tbt_ms", 600, "needs-improvement"},
		{"mobile", "cls", 0.1, "good"}, {"desktop", "cls", 0.26, "poor"},
	} {
		b, ok := BandsFor(tt.vp, tt.metric)
		if !ok || b.Band(tt.v) != tt.want {
			t.Errorf("%s %s %v: %q, want %q", tt.vp, tt.metric, tt.v, b.Band(tt.v), tt.want)
		}
	}
	if _, ok := BandsFor("desktop", "load_ms"); ok {
		t.Error("load_ms has bands")
	}
}
