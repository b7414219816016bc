package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/storecheck/storecheck/internal/pgtest"
	"github.com/storecheck/storecheck/storage"
)

// BenchmarkSweepPostgres is issue 21's store target: a first sweep of the
// generated shop (STORECHECK_BENCH_PAGES, default 300; concurrency 4,
// desktop, every rule) into PostgreSQL against the same sweep into a new
// SQLite file, alternating twice, each rate the run's stored pages over
// its stored duration. The server syncs as a production one does
// (pgtest.StartDurable). Target: PostgreSQL within 5 % of SQLite
// (pg-rate/sqlite-rate ≥ 0.95).
func BenchmarkSweepPostgres(b *testing.B) {
	if browserPath == "" {
		b.Skip("no Chromium installed")
	}
	pages := benchEnvInt(b, "STORECHECK_BENCH_PAGES", 300)
	bin := benchBuild(b)
	site := benchShop(b, pages)
	cluster := pgtest.StartDurable(b)
	for range b.N {
		var lite, pg []float64
		for round := range 2 {
			for _, store := range []string{"sqlite", "postgres"} {
				db := filepath.Join(b.TempDir(), "bench.db")
				if store == "postgres" {
					db = cluster.NewDatabase(b)
				}
				rate := benchStoreSweep(b, bin, site.config, site.url+"/", pages, db)
				b.Logf("round %d, %s: %.2f pages/s", round+1, store, rate)
				if store == "postgres" {
					pg = append(pg, rate)
				} else {
					lite = append(lite, rate)
				}
			}
		}
		mean := func(xs []float64) float64 { return (xs[0] + xs[1]) / 2 }
		b.ReportMetric(mean(lite), "sqlite-pages/s")
		b.ReportMetric(mean(pg), "pg-pages/s")
		b.ReportMetric(mean(pg)/mean(lite), "pg/sqlite")
	}
}

// benchStoreSweep sweeps start into db (a SQLite file or a PostgreSQL
// URL) at concurrency 4 and returns the run's pages per second, from its
// stored start (browser up) to its end.
func benchStoreSweep(tb testing.TB, bin, cfg, start string, pages int, db string) float64 {
	tb.Helper()
	dir := tb.TempDir()
	cmd := exec.Command(bin, "sweep", start, "--config", cfg, "--db", db, "--browser", browserPath,
		"--viewport", "desktop", "--concurrency", "4", "--max-pages", strconv.Itoa(pages),
		"--now", benchNow, "--quiet")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TMPDIR="+dir)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	var ee *exec.ExitError
	if err := cmd.Run(); err != nil && !(errors.As(err, &ee) && ee.ExitCode() == exitFindings) {
		tb.Fatalf("sweep into %s: %v\n%s", db, err, stderr.String())
	}
	s, err := storage.Open(context.Background(), db)
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Close()
	d, err := s.LoadRun(context.Background(), "latest")
	if err != nil {
		tb.Fatal(err)
	}
	took := d.Run.FinishedAt.Sub(d.Run.StartedAt)
	if took <= 0 || d.Run.Status != storage.StatusComplete {
		tb.Fatalf("run %d: %s in %v", d.Run.ID, d.Run.Status, took)
	}
	return float64(len(d.Pages)) / took.Seconds()
}
