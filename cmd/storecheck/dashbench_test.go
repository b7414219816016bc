package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/storecheck/storecheck/internal/pgtest"
	"github.com/storecheck/storecheck/internal/storegen"
	"github.com/storecheck/storecheck/lang"
	"github.com/storecheck/storecheck/report"
	"github.com/storecheck/storecheck/serve"
	"github.com/storecheck/storecheck/storage"
	"github.com/storecheck/storecheck/track"
)

// dashTarget is the shop of BenchmarkDashboard's 1 000 runs.
const dashTarget = "天猫旗舰店"

// dashSpecs is BenchmarkDashboard's store: 1 000 daily complete runs of
// 250 URLs × 2 viewports (500 page rows) with about 200 findings each (150
// in every run, about 40 that come and go, a few new ones that last two
// weeks), 5 interrupted runs, 40 assignments and 10 fix marks; two smaller
// targets swept weekly and monthly over the same three years; a campaign
// target of three runs with 10 000 findings each (8 000 in every run,
// 2 000 of 4 000 others that half change between two runs), whose last
// two /api/diff compares; and a target of two runs shaped like the
// first's whose visits have their first-screen screenshots.
func dashSpecs() []storegen.Spec {
	cst := time.FixedZone("CST", 8*3600)
	start := time.Date(2023, 3, 1, 2, 0, 0, 0, cst)
	day := 24 * time.Hour
	return []storegen.Spec{
		{Target: dashTarget, Runs: 1000, Start: start, Every: day, Interrupted: 5, URLs: 250,
			Core: 150, Flap: 120, On: 0.05, Off: 0.1, NewPerRun: 0.6, EpisodeRuns: 15, Twice: 0.02, Assigned: 40, Marked: 10},
		{Target: "京东自营店", Runs: 143, Start: start.Add(3 * time.Hour), Every: 7 * day, URLs: 40,
			Core: 20, Flap: 10, On: 0.2, Off: 0.2, NewPerRun: 0.3, EpisodeRuns: 3},
		{Target: "outlet", Runs: 33, Start: start.Add(5 * time.Hour), Every: 30 * day, URLs: 10, Core: 4},
		{Target: "双11主会场", Runs: 3, Start: start.Add(990*day + 6*time.Hour), Every: day, URLs: 250,
			Core: 8000, Flap: 4000, On: 0.5, Off: 0.5},
		{Target: "品牌直营店", Runs: 2, Start: start.Add(998*day + 7*time.Hour), Every: day, URLs: 250,
			Core: 150, Flap: 60, On: 0.3, Off: 0.3, Screenshots: true},
	}
}

// BenchmarkDashboard is issue 21's dashboard target: every page of
// storecheck serve (through its real handler, with the report and diff
// commands' code behind the run and comparison pages) answering in under
// 200 ms with 1 000 runs × 500 pages stored, on a SQLite file and on
// PostgreSQL (a throwaway server on the same machine, not syncing: the
// pages only read). Its store is generated (dashSpecs, internal/storegen,
// 14–19 s per store). Only report-screenshots' run has screenshots: the
// report's pictures cost the same whatever the number of runs stored
// (BenchmarkHTMLReport), and the other routes show what the runs cost.
// api-diff-10k is the diff target (under 300 ms from PostgreSQL):
// /api/diff of two runs with 10 000 findings each, what storecheck diff
// --format json prints.
//
// Each route is asked dashRequests times per iteration after one request
// that warms the caches (the server's and the database's, and the spans
// storage.FindingSpans remembers), and reports the mean (ms/req) and the
// slowest (max-ms) of the timed requests, so that make bench's
// -benchtime 1x measures as much as a longer run. board-data-load-cold is
// the board's data on a DB that remembers nothing yet.
func BenchmarkDashboard(b *testing.B) {
	for _, store := range []string{"sqlite", "postgres"} {
		b.Run(store, func(b *testing.B) {
			ctx := context.Background()
			dsn := filepath.Join(b.TempDir(), "dashboard.db")
			if store == "postgres" {
				dsn = pgtest.Start(b).NewDatabase(b)
			}
			t0 := time.Now()
			targets, err := storegen.Fill(ctx, dsn, 21, dashSpecs()...)
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: generated %d runs of %s, %d pages, %d findings (%d fingerprints) in %v", store,
				len(targets[0].Complete), dashTarget, targets[0].Pages, targets[0].Findings, targets[0].Fingerprints,
				time.Since(t0).Round(time.Millisecond))
			db, err := storage.Open(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			a := &app{stdout: io.Discard, stderr: io.Discard, log: slog.New(slog.DiscardHandler), lang: lang.ZH}
			srv, err := a.dashboard(db, "bench-token", "")
			if err != nil {
				b.Fatal(err)
			}
			main, campaign, shots := targets[0].Complete, targets[3].Complete, targets[4].Complete
			head, base := main[len(main)-1], main[len(main)-2]
			q := url.QueryEscape(dashTarget)
			// A card's screenshot, as the report's script asks for it once
			// the card nears the view.
			withShot, err := db.ScreenshotPages(ctx, shots[len(shots)-1])
			if err != nil || len(withShot) == 0 {
				b.Fatalf("no screenshot in the run with screenshots: %v", err)
			}
			var shotPage int64
			for id := range withShot {
				shotPage = max(shotPage, id)
			}
			for _, rt := range []struct{ name, path string }{
				{"targets", "/"},
				{"runs", "/runs"},
				{"runs-target", "/runs?target=" + q},
				{"report", fmt.Sprintf("/runs/%d", head)},
				{"report-screenshots", fmt.Sprintf("/runs/%d", shots[len(shots)-1])},
				{"shot", serve.ShotURL(shotPage, report.ShotWidth)},
				{"board", "/board?target=" + q},
				{"board-all", "/board?all=1&target=" + q},
				{"trends", "/trends?target=" + q},
				{"api-track", "/api/track?target=" + q},
				{"diff-page", fmt.Sprintf("/diff?base=%d&head=%d", base, head)},
				{"api-runs", "/api/runs"},
				{"api-run", fmt.Sprintf("/api/runs/%d", head)},
				{"api-diff-10k", fmt.Sprintf("/api/diff?base=%d&head=%d", campaign[1], campaign[2])},
			} {
				b.Run(rt.name, func(b *testing.B) { benchRoute(b, srv, rt.path) })
			}
			// The board's data without the page, as serve/board.go reads
			// it (every occurrence, each message put in words, followed by
			// track.Follow) and as track.Load reads it
			// (storage.FindingSpans, the lives' messages in words).
			now := time.Now()
			words := func(lives []track.Life) {
				for i := range lives {
					if f := &lives[i].Finding; f.Msg.Key != "" {
						f.Message = f.Msg.Render(lang.ZH)
					}
				}
			}
			b.Run("board-data-follow", func(b *testing.B) {
				benchCall(b, func() (int, error) {
					runs, err := db.CompleteRuns(ctx, dashTarget)
					if err != nil {
						return 0, err
					}
					occ, err := db.Occurrences(ctx, dashTarget)
					if err != nil {
						return 0, err
					}
					for i := range occ {
						if f := &occ[i].Finding; f.Msg.Key != "" {
							f.Message = f.Msg.Render(lang.ZH)
						}
					}
					assigned, err := db.Assignments(ctx, dashTarget)
					if err != nil {
						return 0, err
					}
					marks, err := db.FixMarks(ctx, dashTarget)
					if err != nil {
						return 0, err
					}
					lives := track.Follow(runs, occ, assigned, now)
					track.Mark(lives, marks)
					return len(lives), nil
				})
			})
			// The first time a DB is asked (a dashboard just started):
			// FindingSpans has nothing to extend, and computes every span.
			b.Run("board-data-load-cold", func(b *testing.B) {
				benchTimes(b, func() time.Duration {
					fresh, err := storage.Open(ctx, dsn)
					if err != nil {
						b.Fatal(err)
					}
					defer fresh.Close()
					t0 := time.Now()
					lives, err := track.Load(ctx, fresh, dashTarget, now)
					took := time.Since(t0)
					if err != nil || len(lives) == 0 {
						b.Fatalf("%d lives, %v", len(lives), err)
					}
					return took
				})
			})
			b.Run("board-data-load", func(b *testing.B) {
				benchCall(b, func() (int, error) {
					lives, err := track.Load(ctx, db, dashTarget, now)
					if err != nil {
						return 0, err
					}
					words(lives)
					return len(lives), nil
				})
			})
		})
	}
}

// dashRequests is how many requests one iteration of a route times.
const dashRequests = 5

func benchRoute(b *testing.B, h http.Handler, path string) {
	benchTimes(b, func() time.Duration {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer bench-token")
		rec := httptest.NewRecorder()
		t0 := time.Now()
		h.ServeHTTP(rec, req)
		took := time.Since(t0)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body.String())
		}
		return took
	})
}

// benchCall times call as benchRoute times a request; call returns how
// many things it found, which must not be none.
func benchCall(b *testing.B, call func() (int, error)) {
	benchTimes(b, func() time.Duration {
		t0 := time.Now()
		n, err := call()
		took := time.Since(t0)
		if err != nil || n == 0 {
			b.Fatalf("%d, %v", n, err)
		}
		return took
	})
}

// benchTimes calls ask once to warm the caches, then dashRequests times
// per iteration, and reports the mean and the slowest of the timed calls.
func benchTimes(b *testing.B, ask func() time.Duration) {
	ask()
	var times []time.Duration
	for b.Loop() {
		for range dashRequests {
			times = append(times, ask())
		}
	}
	var sum time.Duration
	for _, t := range times {
		sum += t
	}
	b.ReportMetric(float64(sum.Microseconds())/1000/float64(len(times)), "ms/req")
	b.ReportMetric(float64(slices.Max(times).Microseconds())/1000, "max-ms")
}
