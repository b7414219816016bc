package storage

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// TestTrend: the last n complete runs of a target, oldest first, each with
// the metrics and prices of its visits and its findings by rule, the same
// as the full read has them.
func TestTrend(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	var complete []int64
	for i := range 4 {
		id, w := newRun(t, db)
		for j := range i + 1 {
			if err := w.AddPage(ctx, growthRecord(j, 1)); err != nil {
				t.Fatal(err)
			}
			if err := w.AddPage(ctx, record(fmt.Sprintf("https://shop.test/p/%d", j), "mobile", j+1)); err != nil {
				t.Fatal(err)
			}
		}
		status := StatusComplete
		if i == 2 {
			status = StatusInterrupted
		} else {
			complete = append(complete, id)
		}
		if err := w.Finish(ctx, status, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.CreateRun(ctx, runInfo("other")); err != nil {
		t.Fatal(err)
	}
	got, err := db.Trend(ctx, "shop", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Run.ID != complete[1] || got[1].Run.ID != complete[2] {
		t.Fatalf("trend runs %+v, want the last two complete: %v", got, complete[1:])
	}
	for _, tr := range got {
		full := load(t, db, fmt.Sprint(tr.Run.ID))
		if len(tr.Pages) != len(full.Pages) {
			t.Fatalf("run %d: %d pages, want %d", tr.Run.ID, len(tr.Pages), len(full.Pages))
		}
		for i, p := range tr.Pages {
			f := full.Pages[i]
			if p.URL != f.URL || p.Viewport != f.Viewport || p.Title != f.Title || p.Kind != f.Kind ||
				!reflect.DeepEqual(p.Metrics.LCPms, f.Metrics.LCPms) || !reflect.DeepEqual(p.Metrics.CLS, f.Metrics.CLS) ||
				(p.Price == nil) != (f.Price == nil) || p.Price != nil && p.Price.Current != f.Price.Current {
				t.Errorf("run %d page %d: %+v, want %+v", tr.Run.ID, i, p, f)
			}
		}
		rules := map[string]int{}
		for _, f := range full.Findings {
			rules[f.Rule]++
		}
		if !reflect.DeepEqual(tr.Rules, rules) {
			t.Errorf("run %d: rules %v, want %v", tr.Run.ID, tr.Rules, rules)
		}
	}
	if got, err := db.Trend(ctx, "nobody", 30); err != nil || len(got) != 0 {
		t.Errorf("trend of an unknown target: %v, %v", got, err)
	}
}
