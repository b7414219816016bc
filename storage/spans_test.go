package storage

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/storecheck/storecheck/checks"
)

// FindingSpans follows each fingerprint over the complete runs of one
// target only: its first and last run, the stretches it came back in, and
// the finding as its last run reported it.
func TestFindingSpans(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	day := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.UTC) }
	// f is finding fp as reported with message msg.
	f := func(fp, msg string) checks.Finding {
		x := finding("rule."+fp, checks.SeverityWarning, "https://shop.test/item/1", "desktop", "subject "+fp)
		x.Fingerprint, x.Message = fp, msg
		return x
	}
	addRun := func(name string, d int, status Status, fs ...checks.Finding) int64 {
		t.Helper()
		ri := runInfo(name)
		ri.StartedAt, ri.Now = day(d), day(d)
		id, err := db.CreateRun(ctx, ri)
		if err != nil {
			t.Fatal(err)
		}
		w := db.Writer(id)
		rec := record("https://shop.test/item/1", "desktop", 0)
		rec.Findings = fs
		if err := w.AddPage(ctx, rec); err != nil {
			t.Fatal(err)
		}
		if err := w.Finish(ctx, status, day(d).Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		return id
	}
	r1 := addRun("shop", 1, StatusComplete, f("stays", "1"), f("flaps", "1"), f("fixed", "1"))
	addRun("other", 2, StatusComplete, f("flaps", "other")) // another target: no presence
	r3 := addRun("shop", 3, StatusComplete, f("stays", "3"), f("fixed", "3"), f("twice", "a"), f("twice", "b"))
	addRun("shop", 4, StatusInterrupted, f("flaps", "interrupted")) // not complete: no presence
	r5 := addRun("shop", 5, StatusComplete, f("stays", "5"), f("flaps", "5"), f("twice", "c"))
	r6 := addRun("shop", 6, StatusComplete, f("stays", "6"), f("twice", "z"), f("twice", "d"))

	runs, spans, err := db.FindingSpans(ctx, "shop")
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 4 || runs[0].ID != r1 || runs[3].ID != r6 {
		t.Fatalf("runs %+v, want the 4 complete runs of shop", runs)
	}
	type span struct {
		first, last int64
		stretches   int
		message     string
	}
	want := map[string]span{
		"stays": {r1, r6, 1, "6"},
		"flaps": {r1, r5, 2, "5"}, // gone in r3 (other's and the interrupted run's sightings do not count)
		"fixed": {r1, r3, 1, "3"},
		"twice": {r3, r6, 1, "d"}, // twice in r3 and r6: one presence each; of r6's two, the one stored later
	}
	if len(spans) != len(want) {
		t.Fatalf("%d spans, want %d: %+v", len(spans), len(want), spans)
	}
	for i, s := range spans {
		if i > 0 && spans[i-1].Finding.Fingerprint >= s.Finding.Fingerprint {
			t.Errorf("spans not sorted by fingerprint at %d", i)
		}
		got := span{s.First, s.Last, s.Stretches, s.Finding.Message}
		if w := want[s.Finding.Fingerprint]; got != w {
			t.Errorf("%s: got %+v, want %+v", s.Finding.Fingerprint, got, w)
		}
		if s.Finding.Rule != "rule."+s.Finding.Fingerprint || s.Finding.Severity != checks.SeverityWarning {
			t.Errorf("%s: finding %+v", s.Finding.Fingerprint, s.Finding)
		}
	}
	// A target without complete runs has no spans.
	runs, spans, err = db.FindingSpans(ctx, "nobody")
	if err != nil || len(runs) != 0 || len(spans) != 0 {
		t.Errorf("nobody: %v, %v, %v", runs, spans, err)
	}
}

// FindingSpans remembers its answer and extends it by the runs completed
// since: after every change to the store, what it answers equals what a
// DB that remembers nothing computes.
func TestFindingSpansRemembered(t *testing.T) {
	db, path := openTemp(t)
	ctx := t.Context()
	day := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.UTC) }
	f := func(fp, msg string) checks.Finding {
		x := finding("rule."+fp, checks.SeverityWarning, "https://shop.test/item/1", "desktop", "subject "+fp)
		x.Fingerprint, x.Message = fp, msg
		return x
	}
	begin := func(d int) (int64, *Writer) {
		t.Helper()
		ri := runInfo("shop")
		ri.StartedAt, ri.Now = day(d), day(d)
		id, err := db.CreateRun(ctx, ri)
		if err != nil {
			t.Fatal(err)
		}
		return id, db.Writer(id)
	}
	end := func(w *Writer, d int, fs ...checks.Finding) {
		t.Helper()
		rec := record("https://shop.test/item/1", "desktop", 0)
		rec.Findings = fs
		if err := w.AddPage(ctx, rec); err != nil {
			t.Fatal(err)
		}
		if err := w.Finish(ctx, StatusComplete, day(d).Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	run := func(d int, fs ...checks.Finding) {
		t.Helper()
		_, w := begin(d)
		end(w, d, fs...)
	}
	check := func(step string) {
		t.Helper()
		runs, spans, err := db.FindingSpans(ctx, "shop")
		if err != nil {
			t.Fatal(err)
		}
		fresh := openPath(t, path)
		wantRuns, want, err := fresh.FindingSpans(ctx, "shop")
		if err != nil {
			t.Fatal(err)
		}
		fresh.Close()
		if !reflect.DeepEqual(runs, wantRuns) || !reflect.DeepEqual(spans, want) {
			t.Errorf("%s:\nremembered %+v\nfresh      %+v", step, spans, want)
		}
	}
	run(1, f("a", "1"), f("b", "1"), f("gone", "1"))
	run(2, f("a", "2"), f("gone", "2"))
	check("first answer")
	check("nothing new")
	run(3, f("a", "3"), f("b", "3"), f("new", "3"), f("new", "3b"))
	run(4, f("a", "4"), f("new", "4"))
	// Dashboard requests ask at once: each gets whole spans of its own.
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			_, spans, err := db.FindingSpans(ctx, "shop")
			if err != nil || len(spans) != 4 {
				t.Errorf("%d spans, %v", len(spans), err)
				return
			}
			spans[0].Finding.Message = "mine" // not the next caller's
		})
	}
	wg.Wait()
	check("two runs more") // b back after a gap, new twice in a run
	_, w := begin(5)
	run(6, f("a", "6"), f("b", "6"))
	check("a run still going")
	end(w, 5, f("a", "5"), f("gone", "5"))
	check("the older run completed after the newer")
	if _, err := db.Prune(ctx, "shop", 3, 0, day(30)); err != nil {
		t.Fatal(err)
	}
	check("pruned")
	run(7, f("a", "7"), f("gone", "7"))
	check("after the prune")
}
