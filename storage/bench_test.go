package storage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/internal/pgtest"
)

// BenchmarkInsertFindings stores 100 000 findings per iteration, either as
// 1 000 pages of 100 findings, each page its own transaction as in a sweep,
// or as one AddSiteFindings transaction.
func BenchmarkInsertFindings(b *testing.B) {
	const pages, perPage = 1000, 100
	recs := make([]PageRecord, pages)
	var all []checks.Finding
	for i := range recs {
		recs[i] = record(fmt.Sprintf("https://shop.test/p%04d", i), "desktop", perPage)
		all = append(all, recs[i].Findings...)
	}
	bench := func(b *testing.B, write func(context.Context, *Writer) error) {
		db, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		ctx := context.Background()
		for b.Loop() {
			id, err := db.CreateRun(ctx, runInfo("bench"))
			if err != nil {
				b.Fatal(err)
			}
			w := db.Writer(id)
			if err := write(ctx, w); err != nil {
				b.Fatal(err)
			}
			if err := w.Finish(ctx, StatusComplete, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(all)), "ns/finding")
	}
	b.Run("per-page", func(b *testing.B) {
		bench(b, func(ctx context.Context, w *Writer) error {
			for _, rec := range recs {
				if err := w.AddPage(ctx, rec); err != nil {
					return err
				}
			}
			return nil
		})
	})
	b.Run("one-tx", func(b *testing.B) {
		bench(b, func(ctx context.Context, w *Writer) error { return w.AddSiteFindings(ctx, all) })
	})
}

// BenchmarkDBGrowth replays the same sweep of an unchanged shop into one
// database STORECHECK_BENCH_RUNS times (default 30, a month of daily sweeps)
// and reports the file's size after the first run and after the last, and
// their ratio (target: at most 2). Each of STORECHECK_BENCH_PAGES visits
// (default 300) is shaped like a visit of the demo shop (two sweeps
// measured with the crawler): a first-screen JPEG of 86 KB, a full-page JPEG
// of 55 KB (kept for most visits: their findings name a region), 2 findings
// with evidence, a finding picture of 9 KB on every third visit, and
// STORECHECK_BENCH_REQUESTS requests (default 40; the demo's pages make 10,
// shops more). The pictures are random bytes of those sizes: SQLite stores a
// blob as it is, so they cost what JPEGs do, and no two visits' pictures are
// equal. STORECHECK_BENCH_REDRAWN_SHOT and _FULL (percent, default 0) of the
// visits of each later run come out with a different first screen or full
// page, as Chromium's rendering noise makes some of an unchanged shop's
// (see storage/doc.go).
// rowB/visit is what each later run added per visit beyond new pictures:
// the rows of pages, resources and findings.
func BenchmarkDBGrowth(b *testing.B) {
	runs, pages := envInt(b, "STORECHECK_BENCH_RUNS", 30, 1), envInt(b, "STORECHECK_BENCH_PAGES", 300, 1)
	requests := envInt(b, "STORECHECK_BENCH_REQUESTS", 40, 0)
	redrawnShot, redrawnFull := envInt(b, "STORECHECK_BENCH_REDRAWN_SHOT", 0, 0), envInt(b, "STORECHECK_BENCH_REDRAWN_FULL", 0, 0)
	// redrawn tells whether visit i of run r comes out different, evenly
	// spread, the same every iteration.
	redrawn := func(r, i, salt, pct int) bool { return r > 0 && ((r*pages+i)*7919+salt)%100 < pct }
	recs := make([]PageRecord, pages)
	var picBytes int64 // the pictures one run stores
	for i := range recs {
		recs[i] = growthRecord(i, requests)
		p := recs[i].Page
		picBytes += int64(len(p.Screenshot) + len(p.FullScreenshot))
		for _, f := range recs[i].Findings {
			for _, im := range f.Images {
				picBytes += int64(len(im.Data))
			}
		}
	}
	ctx := context.Background()
	var first, last, redrawnBytes int64
	for b.Loop() {
		redrawnBytes = 0
		db, err := Open(ctx, filepath.Join(b.TempDir(), "growth.db"))
		if err != nil {
			b.Fatal(err)
		}
		for r := range runs {
			id, err := db.CreateRun(ctx, runInfo("shop"))
			if err != nil {
				b.Fatal(err)
			}
			w := db.Writer(id)
			for i, rec := range recs {
				shot, full := redrawn(r, i, 0, redrawnShot), redrawn(r, i, 37, redrawnFull)
				if shot || full {
					p := *rec.Page
					if shot {
						p.Screenshot = picture(uint64(r*pages+i)<<8|1, len(p.Screenshot))
						redrawnBytes += int64(len(p.Screenshot))
					}
					if full {
						p.FullScreenshot = picture(uint64(r*pages+i)<<8|2, len(p.FullScreenshot))
						redrawnBytes += int64(len(p.FullScreenshot))
					}
					rec.Page = &p
				}
				if err := w.AddPage(ctx, rec); err != nil {
					b.Fatal(err)
				}
			}
			if err := w.Finish(ctx, StatusComplete, time.Now()); err != nil {
				b.Fatal(err)
			}
			if r == 0 || r == runs-1 {
				// The WAL's fill level is not data: count the main file only
				// once the WAL is checkpointed into it.
				if err := db.checkpoint(ctx); err != nil {
					b.Fatal(err)
				}
				size, err := db.FileSize(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if r == 0 {
					first = size
				}
				last = size
			}
		}
		db.Close()
	}
	b.ReportMetric(float64(first)/(1<<20), "MB-run1")
	b.ReportMetric(float64(last)/(1<<20), "MB-runN")
	b.ReportMetric(float64(last)/float64(first), "runN/run1")
	if runs > 1 {
		b.ReportMetric(float64(last-first-redrawnBytes)/float64((runs-1)*pages), "rowB/visit")
	}
	b.ReportMetric(float64(picBytes)/float64(pages)/1024, "picKB/visit")
	b.ReportMetric(float64(runs), "runs")
}

// growthRecord is visit i of BenchmarkDBGrowth's shop, the same every run.
func growthRecord(i, requests int) PageRecord {
	url := fmt.Sprintf("https://shop.example.cn/item/%06d.html", 100000+i)
	p := testPage(url, "desktop")
	p.Title = fmt.Sprintf("山野茶铺 祁门红茶 200g 罐装 第%d款 - 双11好茶节", i)
	p.Requests = nil
	types := []string{"Script", "Stylesheet", "Image", "Image", "Font", "XHR", "Image", "Script"}
	for j := range requests {
		p.Requests = append(p.Requests, crawler.Request{
			URL:    fmt.Sprintf("https://img.alicdn.example.cn/imgextra/i%d/O1CN01%08d_!!%d-0-tps-800-800.jpg_q90.jpg", j%4, i*100+j, 2200000000+j),
			Type:   types[j%len(types)],
			Status: 200, Bytes: int64(2000 + 37*j),
		})
	}
	p.Screenshot = picture(uint64(3*i), 86_000)
	p.FullScreenshot, p.FullScreenshotHeight = picture(uint64(3*i+1), 55_000), 4200
	rec := PageRecord{Page: p, Price: &checks.PagePrice{Current: 128, Original: 158, CurrentText: "¥128.00", OriginalText: "¥158.00"}}
	for j, rule := range []string{"image.blurry", "price.reference-unverified"} {
		f := finding(rule, checks.SeverityWarning, url, "desktop", fmt.Sprintf("https://img.example.cn/item/%d/%d.jpg", i, j))
		f.Message = "图片模糊：清晰度 0.31 低于 0.45（主图 800×800 显示为 400×400）。"
		f.Evidence = map[string]any{"box": crawler.Box{X: 88, Y: 216, W: 528, H: 528}, "sharpness": 0.31, "min": 0.45,
			"natural": []int{800, 800}, "shown": []int{400, 400}}
		if j == 0 && i%3 == 0 {
			f.Images = []checks.EvidenceImage{{Role: checks.ImageFlagged, MIME: "image/jpeg", Data: picture(uint64(3*i+2), 9_000), W: 240, H: 240}}
		}
		rec.Findings = append(rec.Findings, f)
	}
	return rec
}

// envInt is the integer, at least least, in environment variable name, or def.
func envInt(b *testing.B, name string, def, least int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < least {
		b.Fatalf("%s=%q: want an integer of at least %d", name, s, least)
	}
	return n
}

// BenchmarkCopy times storecheck migrate's copy of a SQLite file of
// STORECHECK_BENCH_RUNS runs × STORECHECK_BENCH_PAGES visits (BenchmarkDBGrowth's
// shop, 40 requests a visit) into a fresh PostgreSQL database on a syncing
// server, as a team moving its laptop history into the team store would.
func BenchmarkCopy(b *testing.B) {
	runs, pages := envInt(b, "STORECHECK_BENCH_RUNS", 10, 1), envInt(b, "STORECHECK_BENCH_PAGES", 300, 1)
	requests := envInt(b, "STORECHECK_BENCH_REQUESTS", 40, 0)
	ctx := context.Background()
	src, err := Open(ctx, filepath.Join(b.TempDir(), "laptop.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	for r := range runs {
		ri := runInfo("shop")
		ri.StartedAt = t0.Add(time.Duration(r) * time.Hour) // a run is known by its target and start
		id, err := src.CreateRun(ctx, ri)
		if err != nil {
			b.Fatal(err)
		}
		w := src.Writer(id)
		for i := range pages {
			if err := w.AddPage(ctx, growthRecord(i, requests)); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Finish(ctx, StatusComplete, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	pg := pgtest.StartDurable(b)
	var res CopyResult
	var took time.Duration
	for b.Loop() {
		dst, err := Open(ctx, pg.NewDatabase(b))
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if res, err = Copy(ctx, src, dst); err != nil {
			b.Fatal(err)
		}
		took += time.Since(start)
		dst.Close()
	}
	if res.Runs != runs || res.Pages != int64(runs*pages) {
		b.Fatalf("copied %+v, want %d runs of %d pages", res, runs, pages)
	}
	b.ReportMetric(float64(res.Pages)*float64(b.N)/took.Seconds(), "visits/s")
	b.ReportMetric(float64(res.Findings)/float64(res.Pages), "findings/visit")
}
