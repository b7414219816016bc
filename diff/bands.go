package diff

import (
	"math"

	"github.com/storecheck/storecheck/crawler"
)

// Bands are Lighthouse's score bands of a metric: a value up to Good scores
// 90 or more ("good"), up to Poor 50 or more ("needs-improvement"), above it
// less ("poor"). Good and Poor are Lighthouse's p10 and median control
// points of the metric's log-normal scoring curve.
type Bands struct{ Good, Poor float64 }

// Band names a value's band.
func (b Bands) Band(v float64) string {
	switch {
	case v <= b.Good:
		return "good"
	case v <= b.Poor:
		return "needs-improvement"
	}
	return "poor"
}

// Lighthouse 12 scoring control points (core/audits/metrics/*.js): the
// mobile profile, and the desktop one for desktop visits.
var (
	mobileBands = map[string]Bands{
		"fcp_ms": {1800, 3000}, "lcp_ms": {2500, 4000}, "tbt_ms": {200, 600}, "cls": {0.1, 0.25},
	}
	desktopBands = map[string]Bands{
		"fcp_ms": {934, 1600}, "lcp_ms": {1200, 2400}, "tbt_ms": {150, 350}, "cls": {0.1, 0.25},
	}
)

// BandsFor returns the bands of metric in viewport; ok is false for metrics
// without bands (ttfb, DOMContentLoaded, load).
func BandsFor(viewport, metric string) (Bands, bool) {
	m := mobileBands
	if viewport == "desktop" {
		m = desktopBands
	}
	b, ok := m[metric]
	return b, ok
}

// Noise floors. Crossing a band counts only when the value also moved by
// at least bandNoisePct and bandNoiseMs (bandNoiseCLS for CLS): a page that
// sits on a band edge must not flip between runs of an unchanged site.
// Metrics without bands count when they moved by ≥ 20 % and ≥ 100 ms
// (the contract).
const (
	bandNoisePct = 0.10
	bandNoiseMs  = 50
	bandNoiseCLS = 0.02
	unbandedPct  = 0.20
	unbandedMs   = 100
)

// MetricValue is the value of the metric named key ("lcp_ms", "cls" …) in
// m; nil when it was not measured or key names no timing.
func MetricValue(m crawler.Metrics, key string) *float64 {
	for _, x := range metrics {
		if x.key == key {
			return x.get(m)
		}
	}
	return nil
}

// MetricKeys are the metrics diff compares, in the contract's order.
func MetricKeys() []string {
	out := make([]string, len(metrics))
	for i, x := range metrics {
		out[i] = x.key
	}
	return out
}

type metric struct {
	key string
	get func(crawler.Metrics) *float64
}

var metrics = []metric{
	{"ttfb_ms", func(m crawler.Metrics) *float64 { return m.TTFBms }},
	{"fcp_ms", func(m crawler.Metrics) *float64 { return m.FCPms }},
	{"lcp_ms", func(m crawler.Metrics) *float64 { return m.LCPms }},
	{"dom_content_loaded_ms", func(m crawler.Metrics) *float64 { return m.DOMContentLoadedms }},
	{"load_ms", func(m crawler.Metrics) *float64 { return m.Loadms }},
	{"cls", func(m crawler.Metrics) *float64 { return m.CLS }},
	{"tbt_ms", func(m crawler.Metrics) *float64 { return m.TBTms }},
}

// changed reports whether before → after is a change worth listing.
func (m metric) changed(viewport string, before, after float64) (MetricChange, bool) {
	c := MetricChange{Before: before, After: after, Direction: "better"}
	if after > before {
		c.Direction = "worse" // every metric here is lower-is-better
	}
	delta := math.Abs(after - before)
	rel := delta / math.Max(math.Abs(before), 1e-9)
	if b, ok := BandsFor(viewport, m.key); ok {
		c.BandBefore, c.BandAfter = b.Band(before), b.Band(after)
		if c.BandBefore == c.BandAfter || rel < bandNoisePct {
			return c, false
		}
		if m.key == "cls" {
			return c, delta >= bandNoiseCLS
		}
		return c, delta >= bandNoiseMs
	}
	return c, rel >= unbandedPct && delta >= unbandedMs
}
