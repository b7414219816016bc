package report

import (
	"strconv"

	"github.com/storecheck/storecheck/storage"
)

// hostLoad is what a run's host calibration says about its timings.
type hostLoad struct {
	// Factor is how many times longer than on an idle machine of the
	// stated speed a timing may have taken: the load average over the
	// CPUs, or the stated benchmark index over the measured one, whichever
	// is larger. Above 1 only when the host was loaded beyond its cores or
	// slower than budgets.min_benchmark_index.
	Factor float64
	Load   *float64 // 1-minute load average; nil: not measured
	CPUs   int
	Index  *float64 // the host's benchmark index; nil: not measured
	Min    float64  // budgets.min_benchmark_index of the run's config; 0: off
}

// hostLoadOf reads a run's host calibration against its config.
func hostLoadOf(r storage.Run) hostLoad {
	h := hostLoad{Load: r.Host.LoadAvg, CPUs: r.CPUs, Index: r.Host.BenchmarkIndex,
		Min: runBudgets(r).MinBenchmarkIndex, Factor: 1}
	if h.Load != nil && h.CPUs > 0 && *h.Load > float64(h.CPUs) {
		h.Factor = *h.Load / float64(h.CPUs)
	}
	if h.Index != nil && *h.Index > 0 && h.Min > *h.Index {
		h.Factor = max(h.Factor, h.Min / *h.Index)
	}
	return h
}

// measured reports whether the run recorded its host at all (runs stored
// before hosts were did not).
func (h hostLoad) measured() bool { return h.Index != nil || h.Load != nil }

// inflated reports whether the host may have inflated the run's timings.
func (h hostLoad) inflated() bool { return h.Factor > 1 }

// describe is the host's figures as one phrase ("CPU benchmark index 980,
// load average 0.4").
func (h hostLoad) describe(t tfunc) string {
	return t("host.value", figure(h.Index, 0), figure(h.Load, 1))
}

// warning is the sentence that says by how much the run's timings may be
// inflated; "" when they may not be.
func (h hostLoad) warning(t tfunc) string {
	if !h.inflated() {
		return ""
	}
	var least *float64 // "-" when off
	if h.Min > 0 {
		least = &h.Min
	}
	return t("host.inflated", figure(h.Load, 1), strconv.Itoa(h.CPUs), figure(h.Index, 0),
		figure(least, 0), strconv.FormatFloat(h.Factor, 'f', 1, 64))
}

// figure writes a measured number with prec decimals, "-" when it was not
// measured. Numbers go to the catalog as strings: %d and %f would group
// their digits.
func figure(v *float64, prec int) string {
	if v == nil {
		return "-"
	}
	return strconv.FormatFloat(*v, 'f', prec, 64)
}
