package report

import (
	"fmt"
	"io"
	"strconv"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/diff"
	"github.com/storecheck/storecheck/lang"
)

// JSONNewFinding is a finding of the diff's "new" list.
type JSONNewFinding struct {
	JSONFinding
	Reopened bool   `json:"reopened"`
	Owner    string `json:"owner"`
	Due      string `json:"due"`
}

// JSONChange is a finding whose severity moved.
type JSONChange struct {
	Before JSONFinding `json:"before"`
	After  JSONFinding `json:"after"`
}

// JSONMetricChange is one entry of "metric_changes".
type JSONMetricChange struct {
	URL        string  `json:"url"`
	Viewport   string  `json:"viewport"`
	Metric     string  `json:"metric"`
	Before     float64 `json:"before"`
	After      float64 `json:"after"`
	BandBefore *string `json:"band_before"` // null for metrics without bands
	BandAfter  *string `json:"band_after"`
	Direction  string  `json:"direction"`
}

// JSONPrice is a product price in a price change.
type JSONPrice struct {
	Current  float64  `json:"current"`
	Original *float64 `json:"original"` // null when none was shown
}

// JSONPriceChange is one entry of "price_changes".
type JSONPriceChange struct {
	URL      string    `json:"url"`
	Viewport string    `json:"viewport"`
	Before   JSONPrice `json:"before"`
	After    JSONPrice `json:"after"`
}

// JSONVisit names a page in "pages_added" / "pages_removed".
type JSONVisit struct {
	URL      string `json:"url"`
	Viewport string `json:"viewport"`
}

type diffDoc struct {
	Base          JSONRun            `json:"base"`
	Head          JSONRun            `json:"head"`
	New           []JSONNewFinding   `json:"new"`
	Resolved      []JSONFinding      `json:"resolved"`
	Persisting    []JSONFinding      `json:"persisting"`
	Changed       []JSONChange       `json:"changed"`
	MetricChanges []JSONMetricChange `json:"metric_changes"`
	PriceChanges  []JSONPriceChange  `json:"price_changes"`
	PagesAdded    []JSONVisit        `json:"pages_added"`
	PagesRemoved  []JSONVisit        `json:"pages_removed"`
	Overdue       []JSONOwned        `json:"overdue"`
}

// JSONOwned is a finding with its owner and due date.
type JSONOwned struct {
	JSONFinding
	Owner string `json:"owner"`
	Due   string `json:"due"`
}

// DiffJSON writes the contract's diff document; every list is present
// (empty, not null) and in the order diff.Compute sorted it.
func DiffJSON(w io.Writer, r *diff.Result) error {
	doc := diffDoc{
		Base: NewJSONRun(r.Base), Head: NewJSONRun(r.Head),
		New: []JSONNewFinding{}, Resolved: findingsJSON(r.Resolved), Persisting: findingsJSON(r.Persisting),
		Changed: []JSONChange{}, MetricChanges: []JSONMetricChange{}, PriceChanges: []JSONPriceChange{},
		PagesAdded: visitsJSON(r.PagesAdded), PagesRemoved: visitsJSON(r.PagesRemoved),
		Overdue: []JSONOwned{},
	}
	for _, o := range r.Overdue {
		doc.Overdue = append(doc.Overdue, JSONOwned{JSONFinding: NewJSONFinding(o.Finding), Owner: o.Owner, Due: o.Due})
	}
	for _, f := range r.New {
		doc.New = append(doc.New, JSONNewFinding{JSONFinding: NewJSONFinding(f.Finding), Reopened: f.Reopened, Owner: f.Owner, Due: f.Due})
	}
	for _, c := range r.Changed {
		doc.Changed = append(doc.Changed, JSONChange{Before: NewJSONFinding(c.Before), After: NewJSONFinding(c.After)})
	}
	for _, m := range r.MetricChanges {
		doc.MetricChanges = append(doc.MetricChanges, JSONMetricChange{URL: m.URL, Viewport: m.Viewport, Metric: m.Metric,
			Before: m.Before, After: m.After, BandBefore: orNull(m.BandBefore), BandAfter: orNull(m.BandAfter), Direction: m.Direction})
	}
	for _, p := range r.PriceChanges {
		doc.PriceChanges = append(doc.PriceChanges, JSONPriceChange{URL: p.URL, Viewport: p.Viewport,
			Before: priceJSON(p.Before), After: priceJSON(p.After)})
	}
	return encode(w, doc)
}

func findingsJSON(fs []checks.Finding) []JSONFinding {
	out := []JSONFinding{}
	for _, f := range fs {
		out = append(out, NewJSONFinding(f))
	}
	return out
}

func visitsJSON(vs []diff.Visit) []JSONVisit {
	out := []JSONVisit{}
	for _, v := range vs {
		out = append(out, JSONVisit{URL: v.URL, Viewport: v.Viewport})
	}
	return out
}

func priceJSON(p checks.PagePrice) JSONPrice {
	j := JSONPrice{Current: p.Current}
	if p.Original > 0 {
		o := p.Original
		j.Original = &o
	}
	return j
}

func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// DiffTable writes a readable summary: the two runs and the counts first,
// then the new errors, then the other new findings, changed severities,
// resolved findings, metric and price changes, and pages added or removed.
func DiffTable(w io.Writer, tag lang.Tag, r *diff.Result) error {
	t := wordsIn(tag)
	head := columns{}
	head.add(t("diff.base"), t("diff.run-at", strconv.FormatInt(r.Base.ID, 10), tableTime(r.Base.StartedAt)))
	head.add(t("diff.head"), t("diff.run-at", strconv.FormatInt(r.Head.ID, 10), tableTime(r.Head.StartedAt)))
	head.add(t("table.target"), r.Head.Name)
	reopened := 0
	for _, f := range r.New {
		if f.Reopened {
			reopened++
		}
	}
	head.add(t("diff.new"), t("diff.new-value", len(r.New), reopened))
	head.add(t("diff.resolved"), strconv.Itoa(len(r.Resolved)))
	head.add(t("diff.persisting"), strconv.Itoa(len(r.Persisting)))
	head.add(t("diff.changed"), strconv.Itoa(len(r.Changed)))
	head.add(t("diff.metric-changes"), strconv.Itoa(len(r.MetricChanges)))
	head.add(t("diff.price-changes"), strconv.Itoa(len(r.PriceChanges)))
	head.add(t("table.pages"), fmt.Sprintf("+%d −%d", len(r.PagesAdded), len(r.PagesRemoved)))
	if len(r.Overdue) > 0 {
		head.add(t("diff.overdue"), strconv.Itoa(len(r.Overdue)))
	}
	sections := []section{{c: head}}

	var newErrors, newOther []checks.Finding
	for _, f := range r.New {
		if f.Severity == checks.SeverityError {
			newErrors = append(newErrors, f.Finding)
		} else {
			newOther = append(newOther, f.Finding)
		}
	}
	findings := func(title string, fs []checks.Finding) {
		if len(fs) == 0 {
			return
		}
		c := columns{indent: "  "}
		c.add(t.cols("SEVERITY", "RULE", "URL", "VIEWPORT", "SUBJECT", "MESSAGE")...)
		for _, g := range bySeverity(fs) {
			for _, f := range g.findings {
				c.add(t.severity(f.Severity), f.Rule, f.URL, f.Viewport, tableSubject(t, f), f.Message)
			}
		}
		sections = append(sections, section{t("table.section", title, len(fs)), c})
	}
	findings(t("diff.new-errors"), newErrors)
	findings(t("diff.other-new"), newOther)
	// Findings someone promised to fix by a day that has passed.
	if len(r.Overdue) > 0 {
		c := columns{indent: "  "}
		c.add(t.cols("DUE", "OWNER", "SEVERITY", "RULE", "URL", "VIEWPORT", "FINGERPRINT")...)
		for _, o := range r.Overdue {
			c.add(o.Due, cell(o.Owner), t.severity(o.Severity), o.Rule, cell(o.URL), o.Viewport, o.Fingerprint)
		}
		sections = append(sections, section{t("table.section", t("diff.overdue"), len(r.Overdue)), c})
	}
	if len(r.Changed) > 0 {
		c := columns{indent: "  "}
		c.add(t.cols("BEFORE", "AFTER", "RULE", "URL", "VIEWPORT", "SUBJECT")...)
		for _, ch := range r.Changed {
			c.add(t.severity(ch.Before.Severity), t.severity(ch.After.Severity), ch.After.Rule, ch.After.URL, ch.After.Viewport, tableSubject(t, ch.After))
		}
		sections = append(sections, section{t("table.section", t("diff.changed-severity"), len(r.Changed)), c})
	}
	findings(t("diff.resolved"), r.Resolved)
	if len(r.MetricChanges) > 0 {
		c := columns{indent: "  "}
		c.add(t.cols("METRIC", "BEFORE", "AFTER", "BANDS", "", "URL", "VIEWPORT")...)
		for _, m := range r.MetricChanges {
			bands := "-"
			if m.BandBefore != "" {
				bands = m.BandBefore + " → " + m.BandAfter
			}
			c.add(m.Metric, metricValue(m.Metric, m.Before), metricValue(m.Metric, m.After), bands, m.Direction, m.URL, m.Viewport)
		}
		sections = append(sections, section{t("table.section", t("diff.metric-changes"), len(r.MetricChanges)), c})
	}
	if len(r.PriceChanges) > 0 {
		c := columns{indent: "  "}
		c.add(t.cols("BEFORE", "AFTER", "URL", "VIEWPORT")...)
		for _, p := range r.PriceChanges {
			c.add(priceText(p.Before), priceText(p.After), p.URL, p.Viewport)
		}
		sections = append(sections, section{t("table.section", t("diff.price-changes"), len(r.PriceChanges)), c})
	}
	visits := func(title string, vs []diff.Visit) {
		if len(vs) == 0 {
			return
		}
		c := columns{indent: "  "}
		c.add(t.cols("URL", "VIEWPORT")...)
		for _, v := range vs {
			c.add(v.URL, v.Viewport)
		}
		sections = append(sections, section{t("table.section", title, len(vs)), c})
	}
	visits(t("diff.pages-added"), r.PagesAdded)
	visits(t("diff.pages-removed"), r.PagesRemoved)
	for i, s := range sections {
		if i > 0 {
			fmt.Fprintf(w, "\n%s\n", s.title)
		}
		if err := s.c.write(w); err != nil {
			return err
		}
	}
	return nil
}

func metricValue(metric string, v float64) string {
	if metric == "cls" {
		return strconv.FormatFloat(v, 'f', 3, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + " ms"
}

func priceText(p checks.PagePrice) string {
	s := "¥" + strconv.FormatFloat(p.Current, 'f', -1, 64)
	if p.Original > 0 {
		s += " (原价 ¥" + strconv.FormatFloat(p.Original, 'f', -1, 64) + ")"
	}
	return s
}
