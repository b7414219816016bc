package main

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/storecheck/storecheck/internal/testsite"
	"github.com/storecheck/storecheck/storage"
)

// BenchmarkDemoUnderLoad sweeps the demo shop (both viewports, concurrency
// 4, default budgets and confirmation, its planted 3.5 s slow page) once on
// the machine as it is and once with two busy-loop processes beside it,
// and holds the loaded sweep to issue 20's target: no perf finding the
// unloaded sweep does not report. It logs both sweeps' perf findings and
// recorded hosts. A benchmark, not a test: it measures this machine.
func BenchmarkDemoUnderLoad(b *testing.B) {
	if browserPath == "" {
		b.Skip("no Chromium installed")
	}
	root := testsite.Dir(b, "demo")
	site := testsite.Start(b, root, testsite.Options{SlowDelay: testsite.DemoSlowDelay})
	sweep := func(loops int) (perf []string, host storage.Host) {
		for range loops {
			cmd := exec.Command("sh", "-c", "while :; do :; done")
			if err := cmd.Start(); err != nil {
				b.Fatal(err)
			}
			defer func() { cmd.Process.Kill(); cmd.Wait() }()
		}
		db := filepath.Join(b.TempDir(), "load.db")
		args := []string{"sweep", "--config", filepath.Join(root, "storecheck.yaml"), "--db", db, "--browser", browserPath,
			"--concurrency", "4", "--viewport", "both", "--now", "2026-11-05T10:00:00+08:00", "--quiet", site.URL + "/"}
		var out, errb nopWriter
		if code := run(context.Background(), args, &out, &errb); code != 0 && code != exitFindings {
			b.Fatalf("sweep exit %d", code)
		}
		data := loadLatest(b, db)
		for _, f := range data.Findings {
			if strings.HasPrefix(f.Rule, "perf.") {
				perf = append(perf, fmt.Sprintf("%s %s %s %s %v", f.Rule, pathOf(f.URL), f.Viewport, f.Subject, f.Evidence["samples"]))
			}
		}
		slices.Sort(perf)
		return perf, data.Run.Host
	}
	key := func(s string) string { // rule, page, viewport, subject
		return strings.Join(strings.Fields(s)[:4], " ")
	}
	for range b.N {
		idle, idleHost := sweep(0)
		loaded, loadedHost := sweep(2)
		var extra []string
		for _, f := range loaded {
			if !slices.ContainsFunc(idle, func(g string) bool { return key(g) == key(f) }) {
				extra = append(extra, f)
			}
		}
		hostLine := func(h storage.Host) string {
			return fmt.Sprintf("benchmark index %s, load average %s", deref(h.BenchmarkIndex), deref(h.LoadAvg))
		}
		b.Logf("unloaded (%s): %d perf findings\n  %s", hostLine(idleHost), len(idle), strings.Join(idle, "\n  "))
		b.Logf("two busy loops (%s): %d perf findings\n  %s", hostLine(loadedHost), len(loaded), strings.Join(loaded, "\n  "))
		b.ReportMetric(float64(len(extra)), "extra-perf-findings")
		if len(extra) > 0 {
			b.Errorf("under load, perf findings the unloaded sweep does not report:\n  %s", strings.Join(extra, "\n  "))
		}
	}
}

func deref(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f", *v)
}

// loadLatest reads the newest run of the database at path.
func loadLatest(tb testing.TB, path string) *storage.RunData {
	tb.Helper()
	st, err := storage.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	data, err := st.LoadRun(context.Background(), "latest")
	if err != nil {
		tb.Fatal(err)
	}
	return data
}
