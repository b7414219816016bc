package sweep

import (
	"context"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/storecheck/storecheck/storage"
)

// benchmarkLoop is how long each of the two loops of the start-up CPU
// benchmark runs: long enough that the timer's resolution does not matter
// (±10 % between runs on an idle machine), short enough to add 0.3 s to a
// sweep. Lighthouse runs its loops for 500 ms each.
const benchmarkLoop = 150 * time.Millisecond

// indexer is the browser's start-up benchmark (rodrender.Renderer).
type indexer interface {
	BenchmarkIndex(ctx context.Context, d time.Duration) (float64, error)
}

// measureHost records how fast and how busy the machine is as the sweep
// starts, before any page renders. A figure that cannot be read is left
// nil and logged: it never stops a sweep.
func measureHost(ctx context.Context, b indexer, log *slog.Logger) storage.Host {
	var h storage.Host
	if v, err := loadAverage(); err != nil {
		log.Debug("load average not read", "err", err)
	} else {
		h.LoadAvg = &v
	}
	if v, err := b.BenchmarkIndex(ctx, benchmarkLoop); err != nil {
		log.Warn("CPU benchmark failed", "err", err)
	} else {
		h.BenchmarkIndex = &v
	}
	return h
}

// hostAttrs are h's figures as log attributes: the values, not the
// pointers that mark them optional; a figure not read is left out.
func hostAttrs(h storage.Host) []any {
	var out []any
	if h.BenchmarkIndex != nil {
		out = append(out, "benchmark_index", *h.BenchmarkIndex)
	}
	if h.LoadAvg != nil {
		out = append(out, "load_avg", *h.LoadAvg)
	}
	return out
}

// loadAverage is the 1-minute load average of the machine (Linux's
// /proc/loadavg; elsewhere an error).
func loadAverage() (float64, error) {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0, err
	}
	first, _, _ := strings.Cut(string(b), " ")
	return strconv.ParseFloat(first, 64)
}
