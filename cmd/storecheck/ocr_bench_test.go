package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/ocr/ocrtest"
)

// benchOCRConcurrency is the concurrency of both sweeps of
// BenchmarkSweepOCR: the suite's machines have 2 cores, and the OCR step
// runs one tesseract per CPU whatever the concurrency.
const benchOCRConcurrency = 2

// benchOCRRounds is how often BenchmarkSweepOCR alternates the two sweeps;
// each keeps its fastest, as the machine may be busy with other work.
const benchOCRRounds = 2

// BenchmarkSweepOCR is the OCR cost target on photos without
// text: the generated shop of STORECHECK_BENCH_PAGES pages (default 300;
// product photos and card pictures only, every one at least ocr.min_px on
// screen) swept by the real binary at concurrency 2, desktop, with
// ocr.enabled false and true, alternated benchOCRRounds times. Every sweep
// writes a new database, so the OCR cache is empty and every picture goes
// through the detector: a first sweep's cost, not a scheduled one's. It
// reports pages/s of both (fastest sweep of each), the ratio of time per
// page (target: on ≤ 1.10 × off), the CPU of both (storecheck, its browser
// and tesseract), and what the OCR step did: pictures read, skipped, and
// sent to tesseract by the detector (results with regions in the store's
// OCR cache).
func BenchmarkSweepOCR(b *testing.B) {
	if browserPath == "" {
		b.Skip("no Chromium installed")
	}
	ocrtest.NeedTesseract(b, config.Defaults().OCR.Languages)
	pages := benchEnvInt(b, "STORECHECK_BENCH_PAGES", 300)
	bin := benchBuild(b)
	site := benchShop(b, pages)
	base, err := os.ReadFile(site.config)
	if err != nil {
		b.Fatal(err)
	}
	cfgs := map[bool]string{}
	for _, on := range []bool{false, true} {
		// Beside the shop's configuration: its logo paths are relative.
		cfgs[on] = filepath.Join(filepath.Dir(site.config), fmt.Sprintf("ocr-%t.yaml", on))
		body := fmt.Sprintf("%socr: {enabled: %t}\n", base, on)
		if err := os.WriteFile(cfgs[on], []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < b.N; i++ {
		best := map[bool]benchSweepResult{}
		var all []string
		for round := range benchOCRRounds {
			for _, on := range []bool{false, true} {
				res := benchRunSweep(b, bin, cfgs[on], site.url+"/", benchOCRConcurrency, pages)
				benchCheckOCR(b, on, res)
				all = append(all, fmt.Sprintf("round %d ocr %-5t: %d visits in %.1f s (%.2f pages/s), CPU %.1f s",
					round+1, on, res.DB.Visits, res.DB.Run.Seconds(), benchRate(res), res.CPU.Seconds()))
				if prev, ok := best[on]; !ok || res.DB.Run.Seconds()/float64(res.DB.Visits) < prev.DB.Run.Seconds()/float64(prev.DB.Visits) {
					best[on] = res
				}
			}
		}
		off, on := best[false], best[true]
		ratio := benchRate(off) / benchRate(on) // time per page, on over off
		b.ReportMetric(benchRate(off), "off-pages/s")
		b.ReportMetric(benchRate(on), "on-pages/s")
		b.ReportMetric(ratio, "on/off-time")
		b.ReportMetric(on.CPU.Seconds()/off.CPU.Seconds(), "on/off-cpu")
		b.ReportMetric(float64(on.DB.OCR.Sent), "sent")
		benchPrintOCR(os.Stdout, pages, off, on, all)
	}
}

// benchRate is a sweep's visits per second from its stored start (browser
// up) to its end.
func benchRate(r benchSweepResult) float64 {
	return float64(r.DB.Visits) / r.DB.Run.Seconds()
}

// benchCheckOCR fails the benchmark when a sweep did not do what it
// measures: with OCR off no visit has OCR counts; with OCR on every visit
// has them and pictures were read.
func benchCheckOCR(b *testing.B, on bool, r benchSweepResult) {
	o := r.DB.OCR
	switch {
	case !on && (o.Visits > 0 || o.Results > 0):
		b.Fatalf("ocr.enabled false: %d visits with OCR counts, %d cached results; want none", o.Visits, o.Results)
	case on && (o.Visits != r.DB.Visits || o.Read == 0):
		b.Fatalf("ocr.enabled true: %d of %d visits with OCR counts, %d pictures read; want every visit, some read",
			o.Visits, r.DB.Visits, o.Read)
	}
}

// benchPrintOCR prints the OCR cost lines.
func benchPrintOCR(w io.Writer, pages int, off, on benchSweepResult, all []string) {
	o := on.DB.OCR
	ratio := benchRate(off) / benchRate(on)
	verdict := "ok"
	if ratio > 1.10 {
		verdict = "OVER"
	}
	fmt.Fprintf(w, "\nOCR cost: generated %d-page shop (photos without text), concurrency %d, desktop, %d CPUs, fastest of %d sweeps each\n",
		pages, benchOCRConcurrency, runtime.NumCPU(), benchOCRRounds)
	fmt.Fprintf(w, "  ocr off: %.2f pages/s, CPU %.1f s (%.0f ms/visit)\n", benchRate(off), off.CPU.Seconds(), benchPerVisitMs(off))
	fmt.Fprintf(w, "  ocr on:  %.2f pages/s, CPU %.1f s (%.0f ms/visit)\n", benchRate(on), on.CPU.Seconds(), benchPerVisitMs(on))
	fmt.Fprintf(w, "  time per page on/off %.3f (+%.1f %%, target ≤ +10 %%: %s); CPU on/off %.3f\n",
		ratio, (ratio-1)*100, verdict, on.CPU.Seconds()/off.CPU.Seconds())
	fmt.Fprintf(w, "  OCR step over %d visits: %d pictures read, %d cached, skipped %d small / %d large / %d over the limit, %d failed;"+
		" sent to tesseract %d of %d results (%.1f %%), %d lines read\n",
		o.Visits, o.Read, o.Cached, o.SkippedSmall, o.SkippedLarge, o.SkippedLimit, o.Failed,
		o.Sent, o.Results, 100*float64(o.Sent)/math.Max(1, float64(o.Results)), o.Lines)
	for _, l := range all {
		fmt.Fprintln(w, "  "+l)
	}
}

// benchPerVisitMs is a sweep's CPU per visit, in ms.
func benchPerVisitMs(r benchSweepResult) float64 {
	return float64(r.CPU/time.Millisecond) / math.Max(1, float64(r.DB.Visits))
}
