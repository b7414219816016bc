package storage

import (
	"fmt"
	"testing"
	"time"

	"github.com/storecheck/storecheck/checks"
)

// SeenBefore counts only complete runs of the target older than the run
// asked about, and answers for any number of fingerprints.
func TestSeenBefore(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	day := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.UTC) }
	addRun := func(name string, d int, status Status, fps ...string) int64 {
		t.Helper()
		ri := runInfo(name)
		ri.StartedAt, ri.Now = day(d), day(d)
		id, err := db.CreateRun(ctx, ri)
		if err != nil {
			t.Fatal(err)
		}
		w := db.Writer(id)
		rec := record("https://shop.test/item/1", "desktop", 0)
		for _, fp := range fps {
			f := finding("rule.r", checks.SeverityWarning, "https://shop.test/item/1", "desktop", fp)
			f.Fingerprint = fp
			rec.Findings = append(rec.Findings, f, f) // twice: one sighting still
		}
		if err := w.AddPage(ctx, rec); err != nil {
			t.Fatal(err)
		}
		if err := w.Finish(ctx, status, day(d).Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		return id
	}
	r1 := addRun("shop", 1, StatusComplete, "a", "gone")
	addRun("other", 2, StatusComplete, "b")
	addRun("shop", 3, StatusInterrupted, "c")
	r4 := addRun("shop", 4, StatusComplete, "a", "d")
	r5 := addRun("shop", 5, StatusComplete, "a", "d", "e")

	many := []string{"a"}
	for i := range 1200 { // past the 500 of one statement
		many = append(many, fmt.Sprintf("%016x", i))
	}
	many = append(many, "d")
	tests := []struct {
		before int64
		fps    []string
		want   []string
	}{
		{r4, []string{"a", "b", "c", "d", "e", "nope"}, []string{"a"}}, // b: another target; c: an interrupted run
		{r5, []string{"a", "b", "c", "d", "e"}, []string{"a", "d"}},
		{r1, []string{"a", "gone"}, nil},
		{r5, []string{"gone", "gone"}, []string{"gone"}},
		{r5, many, []string{"a", "d"}},
		{r5, nil, nil},
	}
	for _, tt := range tests {
		seen, err := db.SeenBefore(ctx, "shop", tt.before, tt.fps)
		if err != nil {
			t.Fatal(err)
		}
		ok := len(seen) == len(tt.want)
		for _, fp := range tt.want {
			ok = ok && seen[fp]
		}
		if !ok {
			t.Errorf("seen before run %d (%d fingerprints): %v, want %v", tt.before, len(tt.fps), seen, tt.want)
		}
	}
}
