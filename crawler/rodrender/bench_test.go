package rodrender

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storecheck/storecheck/crawler"
)

// TestIsolationBenchmark compares the two ways of isolating visits over 20
// simple local pages at concurrency 4. It only runs with STORECHECK_BENCH=1:
//
//	STORECHECK_BENCH=1 go test -run IsolationBenchmark -v ./crawler/rodrender/
func TestIsolationBenchmark(t *testing.T) {
	if os.Getenv("STORECHECK_BENCH") == "" {
		t.Skip("set STORECHECK_BENCH=1 to run")
	}
	img := pngBytes(600, 400)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/img.png" {
			w.Header().Set("Content-Type", "image/png")
			w.Write(img)
			return
		}
		fmt.Fprintf(w, `<!doctype html><title>%[1]s</title><h1>Page %[1]s</h1><p>Some text.</p>
<img src="/img.png?%[1]s" width="600" height="400"><script>document.title += ' ' + document.visibilityState;localStorage.setItem('k', location.pathname); document.cookie = 'c=' + location.pathname.slice(1)</script>`, r.URL.Path)
	}))
	defer srv.Close()
	const pages, workers = 20, 4
	for _, round := range []int{1, 2} {
		for _, mode := range benchModes() {
			opts := testOpts()
			opts.Bare = os.Getenv("STORECHECK_BENCH_BARE") != ""
			r, err := New(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			r.mode = mode
			// Warm up the browser process itself.
			if _, err := r.Render(context.Background(), crawler.RenderRequest{URL: srv.URL + "/warm", Viewport: crawler.Desktop}); err != nil {
				t.Fatal(err)
			}
			cpu0 := browserCPU(r)
			jobs := make(chan int)
			var mu sync.Mutex
			var sum time.Duration
			painted := 0
			start := time.Now()
			var wg sync.WaitGroup
			for range workers {
				wg.Go(func() {
					for i := range jobs {
						t0 := time.Now()
						p, err := r.Render(context.Background(), crawler.RenderRequest{URL: fmt.Sprintf("%s/p%d", srv.URL, i), Viewport: crawler.Desktop})
						d := time.Since(t0)
						if err != nil {
							t.Error(err)
							continue
						}
						mu.Lock()
						sum += d
						// Bare captures no title; a full capture also proves the page was visible.
						if p.Metrics.FCPms != nil && p.Metrics.LCPms != nil && (opts.Bare || strings.Contains(p.Title, "visible")) {
							painted++
						}
						mu.Unlock()
					}
				})
			}
			for i := range pages {
				jobs <- i
			}
			close(jobs)
			wg.Wait()
			wall := time.Since(start)
			cpu := browserCPU(r) - cpu0
			r.Close()
			name := map[isolation]string{contextPerPage: "context per page", tabPerWorker: "tab per worker"}[mode]
			t.Logf("round %d %-16s: %d pages in %v (%.0f ms/page wall), mean Render %.0f ms, browser CPU %.0f ms/page, FCP+LCP on %d/%d",
				round, name, pages, wall.Round(time.Millisecond), float64(wall.Milliseconds())/pages,
				float64(sum.Milliseconds())/pages, float64(cpu.Milliseconds())/pages, painted, pages)
		}
	}
}

// browserCPU sums the CPU time of the launched browser's process group,
// including its reaped children (renderers of closed pages).
func browserCPU(r *Renderer) time.Duration {
	pgid := r.insts[0].l.PID()
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ticks int64
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		s := string(b)
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
		// fields[0] is state (field 3); pgrp is field 5, utime..cstime 14..17.
		if len(fields) < 15 || fields[2] != strconv.Itoa(pgid) {
			continue
		}
		for _, i := range []int{11, 12, 13, 14} {
			n, _ := strconv.ParseInt(fields[i], 10, 64)
			ticks += n
		}
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}

func benchModes() []isolation {
	switch os.Getenv("STORECHECK_BENCH_MODE") {
	case "A":
		return []isolation{contextPerPage}
	case "B":
		return []isolation{tabPerWorker}
	}
	return []isolation{contextPerPage, tabPerWorker}
}
