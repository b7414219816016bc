package report

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/diff"
)

// Chart geometry, in SVG user units.
const (
	chartW, chartH         = 320.0, 140.0
	padL, padR, padT, padB = 56.0, 10.0, 22.0, 20.0
)

// series is one line of a chart: a value per run, NaN where the run has none.
type series struct {
	Name, Class string
	Values      []float64
}

// trendCharts draws one chart per key metric (the 75th percentile of the
// run's visits, per viewport, the way CrUX summarises a site) and one of the
// finding counts. Charts are inline SVG built here; every text in them is
// escaped, and in t's language.
func trendCharts(runs []TrendRun, b config.Budgets, t tfunc) []template.HTML {
	if len(runs) == 0 {
		return nil
	}
	labels := make([]string, len(runs))
	for i, r := range runs {
		labels[i] = t("html.chart.run", strconv.FormatInt(r.Run.ID, 10), r.Run.StartedAt.Format("2006-01-02 15:04"))
	}
	budgets := map[string]float64{"lcp_ms": b.LCPMs, "fcp_ms": b.FCPMs, "cls": b.CLS, "tbt_ms": b.TBTMs, "load_ms": b.LoadMs}
	var out []template.HTML
	for _, key := range []string{"lcp_ms", "fcp_ms", "cls", "tbt_ms", "load_ms"} {
		var ss []series
		for _, vp := range []string{"desktop", "mobile"} {
			s := series{Name: word(t, "html.viewport", vp), Class: vp}
			any := false
			for _, r := range runs {
				v := p75(r, vp, key)
				any = any || !math.IsNaN(v)
				s.Values = append(s.Values, v)
			}
			if any {
				ss = append(ss, s)
			}
		}
		if len(ss) == 0 {
			continue
		}
		out = append(out, chart(t("html.chart.p75", word(t, "html.metric", metricTitle(key))), key, labels, ss, budgets[key], t))
	}
	counts := []series{{Name: t("html.filter.errors"), Class: "error"}, {Name: t("html.filter.warnings"), Class: "warning"},
		{Name: t("html.filter.info"), Class: "info"}}
	for _, r := range runs {
		c := r.Run.Findings
		counts[0].Values = append(counts[0].Values, float64(c.Error))
		counts[1].Values = append(counts[1].Values, float64(c.Warning))
		counts[2].Values = append(counts[2].Values, float64(c.Info))
	}
	out = append(out, chart(t("html.chart.findings"), "count", labels, counts, math.NaN(), t))
	return out
}

// p75 is the nearest-rank 75th percentile of metric over run's visits in
// viewport; NaN when none measured it.
func p75(r TrendRun, viewport, metric string) float64 {
	var vs []float64
	for _, p := range r.Pages {
		if p.Viewport != viewport {
			continue
		}
		if v := diff.MetricValue(p.Metrics, metric); v != nil {
			vs = append(vs, *v)
		}
	}
	if len(vs) == 0 {
		return math.NaN()
	}
	slices.Sort(vs)
	return vs[int(math.Ceil(0.75*float64(len(vs))))-1]
}

func chart(title, key string, labels []string, ss []series, budget float64, t tfunc) template.HTML {
	hi := 0.0
	for _, s := range ss {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				hi = math.Max(hi, v)
			}
		}
	}
	if !math.IsNaN(budget) {
		hi = math.Max(hi, budget)
	}
	if hi == 0 {
		hi = 1
	}
	hi *= 1.1
	n := len(labels)
	x := func(i int) float64 {
		if n == 1 {
			return padL + (chartW-padL-padR)/2
		}
		return padL + float64(i)*(chartW-padL-padR)/float64(n-1)
	}
	y := func(v float64) float64 { return padT + (chartH-padT-padB)*(1-v/hi) }
	fmtV := func(v float64) string {
		if key == "count" {
			return fmt.Sprintf("%.0f", v)
		}
		return metricValue(key, v)
	}

	var sb strings.Builder
	esc := html.EscapeString
	fmt.Fprintf(&sb, `<figure class="chart"><svg viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`, chartW, chartH, esc(title))
	fmt.Fprintf(&sb, `<text class="t" x="%.0f" y="14">%s</text>`, padL, esc(title))
	// Axis: zero and the top value.
	fmt.Fprintf(&sb, `<line class="axis" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, padL, y(0), chartW-padR, y(0))
	fmt.Fprintf(&sb, `<text class="y" x="%.0f" y="%.1f">%s</text>`, padL-4, y(0)+3, esc(fmtV(0)))
	fmt.Fprintf(&sb, `<text class="y" x="%.0f" y="%.1f">%s</text>`, padL-4, y(hi/1.1)+3, esc(fmtV(hi/1.1)))
	if !math.IsNaN(budget) {
		fmt.Fprintf(&sb, `<line class="budget" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"><title>%s</title></line>`,
			padL, y(budget), chartW-padR, y(budget), esc(t("html.chart.budget-at", fmtV(budget))))
	}
	for _, s := range ss {
		var pts []string
		for i, v := range s.Values {
			if math.IsNaN(v) {
				continue
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(v)))
		}
		fmt.Fprintf(&sb, `<polyline class="line %s" points="%s"/>`, esc(s.Class), strings.Join(pts, " "))
		for i, v := range s.Values {
			if math.IsNaN(v) {
				continue
			}
			fmt.Fprintf(&sb, `<circle class="dot %s" cx="%.1f" cy="%.1f" r="2.5"><title>%s · %s: %s</title></circle>`,
				esc(s.Class), x(i), y(v), esc(labels[i]), esc(s.Name), esc(fmtV(v)))
		}
	}
	sb.WriteString(`</svg><figcaption>`)
	for _, s := range ss {
		fmt.Fprintf(&sb, `<span class="key %s">%s</span> `, esc(s.Class), esc(s.Name))
	}
	if !math.IsNaN(budget) {
		fmt.Fprintf(&sb, `<span class="key budget">%s</span>`, esc(t("html.budget")))
	}
	sb.WriteString(`</figcaption></figure>`)
	// Built from escaped text and numbers only.
	return template.HTML(sb.String())
}

// metricTitle is a metric's name for a chart.
func metricTitle(key string) string {
	switch key {
	case "lcp_ms":
		return "LCP"
	case "fcp_ms":
		return "FCP"
	case "cls":
		return "CLS"
	case "tbt_ms":
		return "TBT"
	case "load_ms":
		return "load"
	case "ttfb_ms":
		return "TTFB"
	case "dom_content_loaded_ms":
		return "DOMContentLoaded"
	}
	return key
}
