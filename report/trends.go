package report

import (
	"cmp"
	"fmt"
	"html"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/lang"
	"github.com/storecheck/storecheck/storage"
)

// Trends is what the dashboard's trend page of a target shows: the run
// report's charts over a longer window, the findings by inspection area,
// and the prices that moved.
type Trends struct {
	Metrics []template.HTML // p75 of each key metric per viewport, and the finding counts
	Areas   template.HTML   // findings by inspection area, per run
	Moves   template.HTML   // priced products whose price rose or fell since the run before
	Prices  []PriceTrend    // the products whose price changed in the window, most changes first
}

// PriceTrend is one product's current price across the window.
type PriceTrend struct {
	URL, Title  string
	First, Last float64
	Changes     int   // runs whose price differs from the run before's
	LastRun     int64 // the run of the last change
	Spark       template.HTML
}

// maxPriceRows bounds the price table: a shop-wide repricing moves every
// product, and a page of 2 000 rows says no more than its first 50.
const maxPriceRows = 50

// BuildTrends draws runs (oldest first) in tag's language, with the budget
// lines of the newest run's configuration.
func BuildTrends(runs []storage.TrendRun, tag lang.Tag) Trends {
	t := wordsIn(tag)
	if len(runs) == 0 {
		return Trends{}
	}
	trs := make([]TrendRun, len(runs))
	labels := make([]string, len(runs))
	for i, r := range runs {
		trs[i] = TrendRun{Run: r.Run, Pages: r.Pages}
		labels[i] = t("html.chart.run", strconv.FormatInt(r.Run.ID, 10), r.Run.StartedAt.Format("2006-01-02 15:04"))
	}
	out := Trends{Metrics: trendCharts(trs, runBudgets(runs[len(runs)-1].Run), t)}

	var areas []series
	for _, a := range checks.Areas {
		s := series{Name: t("area." + a), Class: "area-" + a}
		any := false
		for _, r := range runs {
			n := 0
			for rule, c := range r.Rules {
				if checks.AreaOf(rule) == a {
					n += c
				}
			}
			any = any || n > 0
			s.Values = append(s.Values, float64(n))
		}
		if any {
			areas = append(areas, s)
		}
	}
	if len(areas) > 0 {
		out.Areas = chart(t("trends.areas"), "count", labels, areas, math.NaN(), t)
	}
	out.Moves, out.Prices = priceTrends(runs, labels, t)
	return out
}

// priceTrends follows each product page's current price (its first
// viewport's, as the diff does) across runs.
func priceTrends(runs []storage.TrendRun, labels []string, t tfunc) (template.HTML, []PriceTrend) {
	type track struct {
		title  string
		prices []float64 // per run, NaN where the run has none
	}
	byURL := map[string]*track{}
	for i, r := range runs {
		for _, p := range r.Pages {
			if p.Price == nil {
				continue
			}
			tr := byURL[p.URL]
			if tr == nil {
				tr = &track{prices: make([]float64, len(runs))}
				for k := range tr.prices {
					tr.prices[k] = math.NaN()
				}
				byURL[p.URL] = tr
			}
			if math.IsNaN(tr.prices[i]) {
				tr.prices[i] = p.Price.Current
				tr.title = p.Title
			}
		}
	}
	up := series{Name: t("trends.price-up"), Class: "error", Values: make([]float64, len(runs))}
	down := series{Name: t("trends.price-down"), Class: "ok", Values: make([]float64, len(runs))}
	var rows []PriceTrend
	for u, tr := range byURL {
		row := PriceTrend{URL: u, Title: tr.title, First: math.NaN()}
		prev := math.NaN()
		for i, v := range tr.prices {
			if math.IsNaN(v) {
				continue
			}
			if math.IsNaN(row.First) {
				row.First = v
			}
			row.Last = v
			if !math.IsNaN(prev) && v != prev {
				row.Changes++
				row.LastRun = runs[i].Run.ID
				if v > prev {
					up.Values[i]++
				} else {
					down.Values[i]++
				}
			}
			prev = v
		}
		if row.Changes > 0 {
			row.Spark = sparkline(tr.prices, labels)
			rows = append(rows, row)
		}
	}
	slices.SortFunc(rows, func(a, b PriceTrend) int {
		return cmp.Or(cmp.Compare(b.Changes, a.Changes), cmp.Compare(b.LastRun, a.LastRun), cmp.Compare(a.URL, b.URL))
	})
	if len(rows) > maxPriceRows {
		rows = rows[:maxPriceRows]
	}
	if len(byURL) == 0 {
		return "", nil
	}
	return chart(t("trends.price-moves"), "count", labels, []series{up, down}, math.NaN(), t), rows
}

// sparkline is a small line of values (NaN: no value) with each point's
// run and value in its tooltip.
func sparkline(values []float64, labels []string) template.HTML {
	const w, h, pad = 120.0, 24.0, 3.0
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if !math.IsNaN(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if hi == lo {
		hi = lo + 1
	}
	x := func(i int) float64 {
		if len(values) == 1 {
			return w / 2
		}
		return pad + float64(i)*(w-2*pad)/float64(len(values)-1)
	}
	y := func(v float64) float64 { return pad + (h-2*pad)*(1-(v-lo)/(hi-lo)) }
	var pts []string
	var dots strings.Builder
	for i, v := range values {
		if math.IsNaN(v) {
			continue
		}
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(v)))
		fmt.Fprintf(&dots, `<circle class="dot" cx="%.1f" cy="%.1f" r="1.8"><title>%s: ¥%s</title></circle>`,
			x(i), y(v), html.EscapeString(labels[i]), strconv.FormatFloat(v, 'f', -1, 64))
	}
	// Built from numbers and escaped text only.
	return template.HTML(fmt.Sprintf(`<svg class="spark" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f"><polyline class="line" points="%s"/>%s</svg>`,
		w, h, w, h, strings.Join(pts, " "), dots.String()))
}

// ChartCSS is the report's style of its charts, for pages other than the
// report that draw them (the dashboard's).
func ChartCSS() (template.CSS, error) {
	css, err := htmlFiles.ReadFile("html/report.css")
	if err != nil {
		return "", err
	}
	s := string(css)
	root, _, _ := strings.Cut(s, "}")
	_, charts, ok := strings.Cut(s, "/* charts { */")
	if charts, _, ok2 := strings.Cut(charts, "/* } charts */"); ok && ok2 {
		// Our own embedded file: trusted as is.
		return template.CSS(root + "}\n" + charts), nil
	}
	return "", fmt.Errorf("report.css: no charts section")
}
