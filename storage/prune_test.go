package storage

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/storecheck/storecheck/checks"
)

// pruneNow is the instant the retention tests prune at.
var pruneNow = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// stored is one run a retention test stores: its target, status and age.
type stored struct {
	name   string
	status Status // StatusRunning: created and never finished
	age    time.Duration
	stale  bool // running, but its heartbeat is an hour old (its process is gone)
}

const day = 24 * time.Hour

// storeRuns stores runs in order (ids ascending) and returns their ids. A
// finished run gets one page with findings, a price and pictures, so that
// deleting it has something to cascade to.
func storeRuns(t *testing.T, db *DB, runs []stored) []int64 {
	t.Helper()
	ids := make([]int64, len(runs))
	for i, r := range runs {
		ri := runInfo(r.name)
		ri.StartedAt, ri.Now = pruneNow.Add(-r.age), pruneNow.Add(-r.age)
		if r.stale {
			db.Now = func() time.Time { return time.Now().Add(-time.Hour) }
		}
		id, err := db.CreateRun(t.Context(), ri)
		db.Now = time.Now
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
		if r.status == StatusRunning {
			continue
		}
		w := db.Writer(id)
		if err := w.AddPage(t.Context(), fullRecord(fmt.Sprintf("https://%s.test/item/%d", r.name, i))); err != nil {
			t.Fatal(err)
		}
		if err := w.Finish(t.Context(), r.status, ri.StartedAt.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

// fullRecord is a visit that fills every table under a run: a page with
// resources, a screenshot and a full-page one, a price, and findings with
// pictures.
func fullRecord(url string) PageRecord {
	rec := record(url, "desktop", 2) // finding() evidence has a box: the full screenshot is kept
	rec.Page.FullScreenshot, rec.Page.FullScreenshotHeight = []byte("\xff\xd8 full"), 2000
	rec.Price = &checks.PagePrice{Current: 99, Original: 129, CurrentText: "¥99", OriginalText: "¥129"}
	rec.Findings[0].Images = []checks.EvidenceImage{{Role: checks.ImageFlagged, MIME: "image/jpeg", Data: []byte("thumb"), W: 1, H: 1}}
	return rec
}

func TestPrune(t *testing.T) {
	tests := []struct {
		name               string
		runs               []stored
		keepRuns, keepDays int
		want               []int // indexes into runs of the runs removed
	}{
		{
			name: "no limits keep everything",
			runs: []stored{{"shop", StatusComplete, 400 * day, false}, {"shop", StatusFailed, 300 * day, false}},
			want: nil,
		},
		{
			name: "keep runs drops the oldest",
			runs: []stored{
				{"shop", StatusComplete, 5 * day, false}, {"shop", StatusComplete, 4 * day, false},
				{"shop", StatusComplete, 3 * day, false}, {"shop", StatusComplete, 2 * day, false},
				{"shop", StatusComplete, 1 * day, false},
			},
			keepRuns: 2,
			want:     []int{0, 1, 2},
		},
		{
			name: "keep days drops runs started before the cut-off",
			runs: []stored{
				{"shop", StatusComplete, 30 * day, false}, {"shop", StatusInterrupted, 10 * day, false},
				{"shop", StatusFailed, 7*day + time.Minute, false}, {"shop", StatusComplete, 7*day - time.Minute, false},
				{"shop", StatusComplete, time.Hour, false},
			},
			keepDays: 7,
			want:     []int{0, 1, 2},
		},
		{
			name: "either limit removes a run",
			runs: []stored{
				{"shop", StatusComplete, 20 * day, false}, {"shop", StatusComplete, 3 * day, false},
				{"shop", StatusComplete, 2 * day, false}, {"shop", StatusComplete, 1 * day, false},
			},
			keepRuns: 3, keepDays: 14,
			want: []int{0},
		},
		{
			name: "the newest complete run stays as the diff base",
			runs: []stored{
				{"shop", StatusComplete, 3 * day, false}, {"shop", StatusComplete, 2 * day, false},
				{"shop", StatusInterrupted, 1 * day, false}, {"shop", StatusFailed, time.Hour, false},
			},
			keepRuns: 1,
			want:     []int{0, 2},
		},
		{
			name:     "the newest complete run stays however old",
			runs:     []stored{{"shop", StatusComplete, 90 * day, false}, {"shop", StatusComplete, 60 * day, false}, {"shop", StatusFailed, 40 * day, false}},
			keepDays: 30,
			want:     []int{0, 2},
		},
		{
			name: "a sweep in progress is never removed",
			runs: []stored{
				{"shop", StatusRunning, 9 * day, false}, {"shop", StatusComplete, 2 * day, false},
				{"shop", StatusComplete, 1 * day, false},
			},
			keepRuns: 1, keepDays: 1,
			want: []int{1},
		},
		{
			name: "a running run whose process is gone may go",
			runs: []stored{
				{"shop", StatusRunning, 9 * day, true}, {"shop", StatusComplete, 1 * day, false},
			},
			keepRuns: 1,
			want:     []int{0},
		},
		{
			name: "other targets are neither counted nor removed",
			runs: []stored{
				{"other", StatusComplete, 50 * day, false}, {"shop", StatusComplete, 40 * day, false},
				{"other", StatusComplete, 30 * day, false}, {"shop", StatusComplete, 20 * day, false},
				{"other", StatusComplete, 10 * day, false},
			},
			keepRuns: 1,
			want:     []int{1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := openTemp(t)
			ids := storeRuns(t, db, tt.runs)
			res, err := db.Prune(t.Context(), "shop", tt.keepRuns, tt.keepDays, pruneNow)
			if err != nil {
				t.Fatal(err)
			}
			var wantIDs, gotIDs []int64
			removed := map[int64]bool{}
			shop := 0
			for _, i := range tt.want {
				wantIDs = append(wantIDs, ids[i])
				removed[ids[i]] = true
			}
			for _, r := range tt.runs {
				if r.name == "shop" {
					shop++
				}
			}
			for _, r := range res.Removed {
				gotIDs = append(gotIDs, r.ID)
			}
			if !reflect.DeepEqual(gotIDs, wantIDs) {
				t.Errorf("removed runs %v, want %v", gotIDs, wantIDs)
			}
			if res.Kept != shop-len(wantIDs) {
				t.Errorf("kept %d, want %d", res.Kept, shop-len(wantIDs))
			}
			runs, err := db.Runs(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			left := map[int64]bool{}
			for _, r := range runs {
				left[r.ID] = true
			}
			for _, id := range ids {
				if left[id] == removed[id] {
					t.Errorf("run %d: stored %v, removed %v", id, left[id], removed[id])
				}
			}
			// Nothing stored under a removed run is left behind.
			assertNoOrphans(t, db)
		})
	}
}

// assertNoOrphans fails when a row of any table belongs to no stored run.
func assertNoOrphans(t *testing.T, db *DB) {
	t.Helper()
	queries := map[string]string{
		"pages":            "SELECT count(*) FROM pages WHERE run_id NOT IN (SELECT id FROM runs)",
		"findings":         "SELECT count(*) FROM findings WHERE run_id NOT IN (SELECT id FROM runs)",
		"resources":        "SELECT count(*) FROM resources WHERE page_id NOT IN (SELECT id FROM pages)",
		"screenshots":      "SELECT count(*) FROM screenshots WHERE page_id NOT IN (SELECT id FROM pages)",
		"full_screenshots": "SELECT count(*) FROM full_screenshots WHERE page_id NOT IN (SELECT id FROM pages)",
		"prices":           "SELECT count(*) FROM prices WHERE page_id NOT IN (SELECT id FROM pages)",
		"evidence_images":  "SELECT count(*) FROM evidence_images WHERE finding_id NOT IN (SELECT id FROM findings)",
	}
	for table, q := range queries {
		var n int
		if err := db.sql.QueryRow(q).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d rows of removed runs left (%v)", table, n, err)
		}
	}
}

// A pruned run takes every row stored under it, and only those: the kept
// run's rows are all still there.
func TestPruneCascades(t *testing.T) {
	db, _ := openTemp(t)
	ids := storeRuns(t, db, []stored{{"shop", StatusComplete, 2 * day, false}, {"shop", StatusComplete, day, false}})
	tables := []string{"pages", "findings", "resources", "screenshots", "full_screenshots", "prices", "evidence_images"}
	count := func(table string) int {
		var n int
		if err := db.sql.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := map[string]int{}
	for _, table := range tables {
		if before[table] = count(table); before[table] == 0 || before[table]%2 != 0 {
			t.Fatalf("%s: %d rows for two equal runs", table, before[table])
		}
	}
	res, err := db.Prune(t.Context(), "shop", 1, 0, pruneNow)
	if err != nil || len(res.Removed) != 1 || res.Removed[0].ID != ids[0] || res.Pages() != 1 {
		t.Fatalf("prune: %+v, %v", res, err)
	}
	for _, table := range tables {
		if n := count(table); n != before[table]/2 {
			t.Errorf("%s: %d rows after pruning one of two runs, want %d", table, n, before[table]/2)
		}
	}
	kept := load(t, db, fmt.Sprint(ids[1]))
	if len(kept.Pages) != 1 || kept.Pages[0].Price == nil || len(kept.Findings) != 2 {
		t.Errorf("kept run lost data: %d pages, %d findings", len(kept.Pages), len(kept.Findings))
	}
}

func TestPruneNegative(t *testing.T) {
	db, _ := openTemp(t)
	for _, keep := range [][2]int{{-1, 0}, {0, -1}} {
		if _, err := db.Prune(t.Context(), "shop", keep[0], keep[1], pruneNow); err == nil {
			t.Errorf("Prune(keepRuns %d, keepDays %d): no error", keep[0], keep[1])
		}
	}
}

func TestTargets(t *testing.T) {
	db, _ := openTemp(t)
	if got, err := db.Targets(t.Context()); err != nil || len(got) != 0 {
		t.Errorf("empty database: %v, %v", got, err)
	}
	storeRuns(t, db, []stored{{"shop", StatusComplete, day, false}, {"alpha", StatusRunning, 0, false}, {"shop", StatusFailed, 0, false}})
	if got, err := db.Targets(t.Context()); err != nil || !reflect.DeepEqual(got, []string{"alpha", "shop"}) {
		t.Errorf("targets %v, %v", got, err)
	}
}

// Vacuum gives the space of pruned runs back: the file shrinks, the WAL is
// emptied, and the kept run reads as before.
func TestVacuum(t *testing.T) {
	sqliteOnly(t) // PostgreSQL's VACUUM makes the space reusable, not smaller
	db, path := openTemp(t)
	shot := bytes.Repeat([]byte{0xff, 0xd8, 1, 2, 3, 4, 5, 6}, 8<<10) // 64 KB, stored as is
	// shotOf is page i's screenshot: each different, or they would be stored once.
	shotOf := func(i int) []byte { return append(bytes.Clone(shot), byte(i)) }
	for r := range 2 {
		id, err := db.CreateRun(t.Context(), runInfo("shop"))
		if err != nil {
			t.Fatal(err)
		}
		w := db.Writer(id)
		pages := 60
		if r == 1 {
			pages = 2 // the kept run is small
		}
		for i := range pages {
			rec := fullRecord(fmt.Sprintf("https://shop.test/p%d", i))
			rec.Page.Screenshot = shotOf(i)
			if err := w.AddPage(t.Context(), rec); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Finish(t.Context(), StatusComplete, t0); err != nil {
			t.Fatal(err)
		}
	}
	before, err := db.FileSize(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if before < 60*int64(len(shot)) {
		t.Fatalf("database is %d bytes before pruning, want at least the screenshots' %d", before, 60*len(shot))
	}
	if res, err := db.Prune(t.Context(), "shop", 1, 0, pruneNow); err != nil || len(res.Removed) != 1 {
		t.Fatalf("prune: %+v, %v", res, err)
	}
	if err := db.Vacuum(t.Context()); err != nil {
		t.Fatal(err)
	}
	after, err := db.FileSize(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d bytes before, %d after pruning 60 of 62 pages and vacuuming", before, after)
	if after > before/5 {
		t.Errorf("database is %d bytes after vacuum, was %d: want less than a fifth", after, before)
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		t.Errorf("WAL holds %d bytes after vacuum, want it truncated", fi.Size())
	}
	kept := load(t, db, "latest")
	if len(kept.Pages) != 2 || len(kept.Findings) != 4 {
		t.Errorf("kept run reads %d pages, %d findings; want 2, 4", len(kept.Pages), len(kept.Findings))
	}
	if b, err := db.Screenshot(t.Context(), kept.Pages[0].ID); err != nil || !bytes.Equal(b, shotOf(0)) {
		t.Errorf("kept screenshot: %d bytes, %v", len(b), err)
	}
}
