package storage

import (
	"testing"
)

// TrendPages reads the pages of several runs at once, each run's sorted,
// with the URL, viewport, kind and metrics a trend chart draws.
func TestTrendPages(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	var ids []int64
	for _, urls := range [][]string{{"https://shop.test/b", "https://shop.test/a"}, {"https://shop.test/c"}, nil} {
		id, w := newRun(t, db)
		for _, u := range urls {
			for _, vp := range []string{"mobile", "desktop"} {
				if err := w.AddPage(ctx, record(u, vp, 1)); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := w.Finish(ctx, StatusComplete, t0); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	got, err := db.TrendPages(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64][]string{
		ids[0]: {"https://shop.test/a desktop", "https://shop.test/a mobile", "https://shop.test/b desktop", "https://shop.test/b mobile"},
		ids[1]: {"https://shop.test/c desktop", "https://shop.test/c mobile"},
	}
	if len(got) != len(want) {
		t.Fatalf("pages of %d runs, want %d: %+v", len(got), len(want), got)
	}
	for id, w := range want {
		if len(got[id]) != len(w) {
			t.Fatalf("run %d: %d pages, want %d", id, len(got[id]), len(w))
		}
		for i, p := range got[id] {
			if p.URL+" "+p.Viewport != w[i] {
				t.Errorf("run %d page %d: %s %s, want %s", id, i, p.URL, p.Viewport, w[i])
			}
			m := p.Metrics
			if p.Kind != "product" || m.LCPms == nil || *m.LCPms != 1500.5 || m.DOMContentLoadedms != nil || m.Requests != 2 {
				t.Errorf("run %d page %d: %+v", id, i, p)
			}
		}
	}
	if got, err := db.TrendPages(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("no runs: %v, %v", got, err)
	}
}
