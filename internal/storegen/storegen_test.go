package storegen

import (
	"bytes"
	"image/jpeg"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/internal/pgtest"
	"github.com/storecheck/storecheck/storage"
)

// small is a history short enough for a test: every kind of finding,
// interrupted runs and a second target.
func small() []Spec {
	start := time.Date(2025, 1, 1, 2, 0, 0, 0, time.FixedZone("CST", 8*3600))
	return []Spec{
		{Target: "旗舰店", Runs: 60, Start: start, Every: 24 * time.Hour, Interrupted: 3, URLs: 30,
			Core: 20, Flap: 15, On: 0.1, Off: 0.2, NewPerRun: 0.5, EpisodeRuns: 5, Twice: 0.05, Assigned: 6, Marked: 3},
		{Target: "outlet", Runs: 8, Start: start.Add(time.Hour), Every: 7 * 24 * time.Hour, URLs: 5, Core: 3,
			Screenshots: true},
	}
}

// TestFill reads a generated store back through storage: the runs and
// their totals are what was written, and a sweep into the store after
// Fill gets new ids.
func TestFill(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			ctx := t.Context()
			dsn := filepath.Join(t.TempDir(), "gen.db")
			if store == "postgres" {
				if os.Getenv("STORECHECK_TEST_STORE") != "postgres" && testing.Short() {
					t.Skip("-short")
				}
				dsn = pgtest.Start(t).NewDatabase(t)
			}
			targets, err := Fill(ctx, dsn, 1, small()...)
			if err != nil {
				t.Fatal(err)
			}
			db, err := storage.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			runs, err := db.Runs(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(runs), 60+3+8; got != want {
				t.Fatalf("%d runs, want %d", got, want)
			}
			main := targets[0]
			if len(main.Complete) != 60 || len(targets[1].Complete) != 8 {
				t.Fatalf("complete runs: %d and %d, want 60 and 8", len(main.Complete), len(targets[1].Complete))
			}
			pages, findings := 0, 0
			for _, r := range runs {
				if r.Name != main.Name {
					continue
				}
				d, err := db.LoadRun(ctx, strconv.FormatInt(r.ID, 10))
				if err != nil {
					t.Fatal(err)
				}
				n := d.Run.Findings.Error + d.Run.Findings.Warning + d.Run.Findings.Info
				if d.Run.Pages != len(d.Pages) || n != len(d.Findings) {
					t.Fatalf("run %d: totals %d pages, %d findings; rows %d, %d", r.ID, d.Run.Pages, n, len(d.Pages), len(d.Findings))
				}
				pages += len(d.Pages)
				findings += len(d.Findings)
			}
			if pages != main.Pages || findings != main.Findings {
				t.Errorf("read %d pages, %d findings; Fill says %d, %d", pages, findings, main.Pages, main.Findings)
			}
			assigned, err := db.Assignments(ctx, main.Name)
			if err != nil || len(assigned) != 6 {
				t.Errorf("assignments: %d, %v; want 6", len(assigned), err)
			}
			marks, err := db.FixMarks(ctx, main.Name)
			if err != nil || len(marks) != 3 {
				t.Errorf("fix marks: %d, %v; want 3", len(marks), err)
			}
			// The outlet's visits have their first screens, the same
			// picture every run.
			first, err := db.LoadRun(ctx, strconv.FormatInt(targets[1].Complete[0], 10))
			if err != nil {
				t.Fatal(err)
			}
			last, err := db.LoadRun(ctx, strconv.FormatInt(targets[1].Complete[7], 10))
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range first.Pages {
				a, err1 := db.Screenshot(ctx, p.ID)
				b, err2 := db.Screenshot(ctx, last.Pages[i].ID)
				if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
					t.Fatalf("%s %s: screenshots %d and %d bytes, %v, %v", p.URL, p.Viewport, len(a), len(b), err1, err2)
				}
				cfg, err := jpeg.DecodeConfig(bytes.NewReader(a))
				if want := map[string]int{"desktop": 675, "mobile": 360}[p.Viewport]; err != nil || cfg.Width != want {
					t.Errorf("%s %s: %dx%d JPEG, %v; want %d wide", p.URL, p.Viewport, cfg.Width, cfg.Height, err, want)
				}
			}
			id, err := db.CreateRun(ctx, storage.RunInfo{Name: main.Name})
			if err != nil {
				t.Fatal(err)
			}
			if id <= runs[len(runs)-1].ID {
				t.Errorf("a new run got id %d, not past the generated %d", id, runs[len(runs)-1].ID)
			}
			// The sequences of pages and findings are past the generated
			// ids too.
			w := db.Writer(id)
			u := "https://shop.example.cn/new.html"
			err = w.AddPage(ctx, storage.PageRecord{Page: &crawler.Page{URL: u, FinalURL: u, Viewport: crawler.Desktop, Status: 200},
				Findings: []checks.Finding{{Rule: "page.missing-title", Severity: checks.SeverityWarning, URL: u,
					Viewport: "desktop", Fingerprint: "0123456789abcdef"}}})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Finish(ctx, storage.StatusComplete, time.Now()); err != nil {
				t.Fatal(err)
			}
		})
	}
}
