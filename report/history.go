package report

import (
	"fmt"
	"io"
	"strconv"

	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/diff"
	"github.com/storecheck/storecheck/lang"
	"github.com/storecheck/storecheck/storage"
)

// JSONHistoryVisit is one entry of `history --format json`.
type JSONHistoryVisit struct {
	Run        int64       `json:"run"`
	Name       string      `json:"name"`
	Status     string      `json:"status"`
	Now        string      `json:"now"`
	Viewport   string      `json:"viewport"`
	PageStatus int         `json:"page_status"`
	Metrics    JSONMetrics `json:"metrics"`
	Findings   JSONCounts  `json:"findings"`
	Price      *JSONPrice  `json:"price"` // null: not a product page, or no price shown
}

type historyDoc struct {
	URL    string             `json:"url"`
	Visits []JSONHistoryVisit `json:"visits"`
}

// HistoryJSON writes {"url", "visits": [...]}, oldest run first.
func HistoryJSON(w io.Writer, url string, vs []storage.Visit) error {
	doc := historyDoc{URL: url, Visits: []JSONHistoryVisit{}}
	for _, v := range vs {
		j := JSONHistoryVisit{Run: v.Run.ID, Name: v.Run.Name, Status: string(v.Run.Status), Now: jsonTime(v.Run.Now),
			Viewport: v.Page.Viewport, PageStatus: v.Page.Status, Metrics: NewJSONPage(v.Page).Metrics,
			Findings: JSONCounts{Error: v.Findings.Error, Warning: v.Findings.Warning, Info: v.Findings.Info}}
		if v.Page.Price != nil {
			p := priceJSON(*v.Page.Price)
			j.Price = &p
		}
		doc.Visits = append(doc.Visits, j)
	}
	return encode(w, doc)
}

// HistoryMetrics are the metric keys `history --metric` accepts.
func HistoryMetrics() []string { return diff.MetricKeys() }

// HistoryTable writes one line per visit: run, clock, viewport, the chosen
// metric, findings by severity and the price.
func HistoryTable(w io.Writer, tag lang.Tag, url, metric string, vs []storage.Visit) error {
	t := wordsIn(tag)
	fmt.Fprintf(w, "%s\n\n", url)
	var c columns
	head := t.cols("RUN", "CLOCK", "VIEWPORT", "STATUS", "", "E", "W", "I", "PRICE")
	head[4] = metricHeader(metric)
	c.add(head...)
	for _, v := range vs {
		price := "-"
		if v.Page.Price != nil {
			price = priceText(*v.Page.Price)
		}
		c.add(strconv.FormatInt(v.Run.ID, 10), tableTime(v.Run.Now), v.Page.Viewport, strconv.Itoa(v.Page.Status),
			metricCell(metric, v.Page.Metrics), strconv.Itoa(v.Findings.Error), strconv.Itoa(v.Findings.Warning),
			strconv.Itoa(v.Findings.Info), price)
	}
	if len(vs) == 0 {
		_, err := fmt.Fprintln(w, t("history.none"))
		return err
	}
	return c.write(w)
}

func metricHeader(metric string) string {
	if metric == "" {
		return "LCP"
	}
	return metric
}

func metricCell(metric string, m crawler.Metrics) string {
	if metric == "" {
		metric = "lcp_ms"
	}
	v := diff.MetricValue(m, metric)
	if v == nil {
		return "-"
	}
	return metricValue(metric, *v)
}
