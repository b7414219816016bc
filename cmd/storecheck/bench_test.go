package main

import (
	"context"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/crawler/rodrender"
	"github.com/storecheck/storecheck/internal/benchshop"
	"github.com/storecheck/storecheck/internal/testsite"
	"github.com/storecheck/storecheck/storage"
)

// BenchmarkSweep sweeps a generated 200-page shop at concurrency 1, 2 and 4
// with every check and storage on, and times the bare loop over the same
// pages in the same kind of pool (navigate, wait for paint and settle, nothing
// else). It reports pages/s for both and their ratio; `make bench` prints
// the table for the README's Performance section.
func BenchmarkSweep(b *testing.B) {
	if browserPath == "" {
		b.Skip("no Chromium installed")
	}
	const pages = 200
	shop := benchshop.New(pages, 800)
	srv := httptest.NewServer(shop)
	defer srv.Close()
	var urls []string
	for _, p := range shop.URLs() {
		urls = append(urls, srv.URL+p)
	}

	for _, conc := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				bare := bareLoop(b, urls, conc)
				full := fullSweep(b, srv.URL+"/", conc, pages)
				b.ReportMetric(float64(pages)/full.Seconds(), "pages/s")
				b.ReportMetric(float64(pages)/bare.Seconds(), "bare-pages/s")
				b.ReportMetric(full.Seconds()/bare.Seconds(), "full/bare")
				b.Logf("concurrency %d: full %.2f pages/s (%v), bare %.2f pages/s (%v), ratio %.2f",
					conc, float64(pages)/full.Seconds(), full.Round(time.Millisecond),
					float64(pages)/bare.Seconds(), bare.Round(time.Millisecond), full.Seconds()/bare.Seconds())
			}
		})
	}
}

// fullSweep runs the real sweep command (crawl, capture, checks, SQLite)
// over the shop in the desktop viewport and returns its wall time.
func fullSweep(b *testing.B, start string, conc, pages int) time.Duration {
	db := filepath.Join(b.TempDir(), "bench.db")
	t0 := time.Now()
	var out, errb nopWriter
	code := run(context.Background(), []string{"sweep", start, "--db", db, "--browser", browserPath,
		"--viewport", "desktop", "--concurrency", fmt.Sprint(conc), "--max-pages", fmt.Sprint(pages),
		"--quiet"}, &out, &errb)
	if code != 0 && code != exitFindings {
		b.Fatalf("sweep exit %d", code)
	}
	return time.Since(t0)
}

// bareLoop renders every URL once in the desktop viewport with a renderer in
// bare mode and a pool of conc workers, and returns the wall time.
func bareLoop(b *testing.B, urls []string, conc int) time.Duration {
	ctx := context.Background()
	r, err := rodrender.New(ctx, crawler.RenderOptions{Bin: browserPath, Bare: true,
		PageTimeout: 30 * time.Second, Settle: time.Second, Locale: "zh-CN", Timezone: "Asia/Shanghai"})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	t0 := time.Now()
	work := make(chan string)
	var wg sync.WaitGroup
	for i := 0; i < conc; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range work {
				if _, err := r.Render(ctx, crawler.RenderRequest{URL: u, Viewport: crawler.Desktop,
					AllowedHosts: []string{hostOf(u)}}); err != nil {
					b.Error(err)
				}
			}
		}()
	}
	for _, u := range urls {
		work <- u
	}
	close(work)
	wg.Wait()
	return time.Since(t0)
}

type nopWriter struct{}

func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }

// BenchmarkImageChecks sweeps the demo shop (both viewports, its own brand
// logo, concurrency 2) with every rule, and with the image, logo and gallery
// rules skipped (so no picture is decoded and no logo candidate is
// screenshotted), alternating the two twice and keeping each one's faster
// sweep. It reports the wall time each adds per page visit and their ratio:
// the target is image checks adding at most 15 %.
func BenchmarkImageChecks(b *testing.B) {
	if browserPath == "" {
		b.Skip("no Chromium installed")
	}
	root := testsite.Dir(b, "demo")
	site := testsite.Start(b, root, testsite.Options{})
	dir := b.TempDir()
	cfg := filepath.Join(dir, "storecheck.yaml")
	body := fmt.Sprintf("start_urls: [%q]\nbrand: {name: 山野茶铺, logo: %q}\n", site.URL+"/", filepath.Join(root, "img", "logo.png"))
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		b.Fatal(err)
	}
	sweep := func(extra ...string) (time.Duration, int) {
		db := filepath.Join(b.TempDir(), "bench.db")
		args := append([]string{"sweep", "--config", cfg, "--db", db, "--browser", browserPath,
			"--concurrency", "2", "--now", "2026-11-05T10:00:00+08:00", "--quiet"}, extra...)
		t0 := time.Now()
		var out, errb nopWriter
		if code := run(context.Background(), args, &out, &errb); code != 0 && code != exitFindings {
			b.Fatalf("sweep exit %d", code)
		}
		d := time.Since(t0)
		st, err := storage.Open(context.Background(), db)
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		data, err := st.LoadRun(context.Background(), "latest")
		if err != nil {
			b.Fatal(err)
		}
		return d, data.Run.Pages
	}
	for i := 0; i < b.N; i++ {
		with, without := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
		var visits int
		for range 2 {
			d, _ := sweep("--skip-rules", "image.,logo.,product.")
			without = min(without, d)
			d, visits = sweep()
			with = min(with, d)
		}
		perVisit := func(d time.Duration) float64 { return float64(d.Milliseconds()) / float64(visits) }
		b.ReportMetric(perVisit(with), "ms/visit")
		b.ReportMetric(perVisit(without), "ms/visit-without")
		b.ReportMetric(perVisit(with)-perVisit(without), "added-ms/visit")
		b.ReportMetric(with.Seconds()/without.Seconds(), "with/without")
		b.Logf("demo shop, %d visits: with image checks %v (%.0f ms/visit), without %v (%.0f ms/visit): +%.1f %%",
			visits, with.Round(time.Millisecond), perVisit(with), without.Round(time.Millisecond), perVisit(without),
			(with.Seconds()/without.Seconds()-1)*100)
	}
}

// BenchmarkDiff times `storecheck diff --format json` of two complete runs
// with 10 000 findings each (500 pages × 20, a fifth of them different
// between the runs), generated into the database: loading both runs, the
// reopened lookup, the comparison and the JSON.
func BenchmarkDiff(b *testing.B) {
	dbPath := filepath.Join(b.TempDir(), "diff.db")
	ctx := context.Background()
	db, err := storage.Open(ctx, dbPath)
	if err != nil {
		b.Fatal(err)
	}
	const pages, perPage = 500, 20
	for run := range 2 {
		id, err := db.CreateRun(ctx, storage.RunInfo{Name: "bench", StartedAt: time.Date(2026, 11, 1+run, 9, 0, 0, 0, time.UTC),
			StartURLs: []string{"https://shop.test/"}, Concurrency: 2, CPUs: 2})
		if err != nil {
			b.Fatal(err)
		}
		w := db.Writer(id)
		for i := range pages {
			url := fmt.Sprintf("https://shop.test/item/%d.html", i)
			p := &crawler.Page{URL: url, FinalURL: url, Viewport: crawler.Desktop, Status: 200, Kind: crawler.KindProduct}
			var fs []checks.Finding
			for j := range perPage {
				subject := fmt.Sprintf("subject %d", j)
				if j%5 == 0 {
					subject = fmt.Sprintf("subject %d run %d", j, run) // differs between the runs
				}
				fs = append(fs, checks.Finding{Rule: "text.banned-term", Severity: checks.SeverityError, URL: url,
					Viewport: "desktop", Subject: subject, Message: "m", Evidence: map[string]any{"n": j},
					Fingerprint: checks.Fingerprint("text.banned-term", "desktop", url, subject)})
			}
			if err := w.AddPage(ctx, storage.PageRecord{Page: p, Findings: fs}); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Finish(ctx, storage.StatusComplete, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	db.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var out, errb nopWriter
		if code := run(ctx, []string{"diff", "--db", dbPath, "--format", "json"}, &out, &errb); code != 0 {
			b.Fatalf("diff exit %d", code)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/diff")
}
