// Package report renders what storage holds: the run list and one run as
// JSON or as tables. Every output of a run goes through here, so
// `sweep --json` and `show --format json` are the same bytes.
package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/storage"
)

// JSONRun is a run object of the public JSON shapes. Field order is the
// contract's key order.
type JSONRun struct {
	ID          int64      `json:"id"`
	Name        string     `json:"name"`
	Status      string     `json:"status"`
	StartedAt   string     `json:"started_at"`
	FinishedAt  *string    `json:"finished_at"` // null while running
	Now         string     `json:"now"`
	StartURLs   []string   `json:"start_urls"`
	Concurrency int        `json:"concurrency"`
	CPUs        int        `json:"cpus"`
	Browser     string     `json:"browser"`
	Host        JSONHost   `json:"host"`
	Pages       int        `json:"pages"`
	Findings    JSONCounts `json:"findings"`
}

// JSONHost is the machine a run swept on, measured as it started: its
// browser's CPU benchmark index (Lighthouse-style) and the 1-minute load
// average; null when not measured (runs stored before they were).
type JSONHost struct {
	BenchmarkIndex *float64 `json:"benchmark_index"`
	LoadAvg        *float64 `json:"load_avg"`
	CPUs           int      `json:"cpus"`
}

// JSONCounts are findings by severity; every key is always present.
type JSONCounts struct {
	Error   int `json:"error"`
	Warning int `json:"warning"`
	Info    int `json:"info"`
}

// JSONPage is one visit of one URL in one viewport.
type JSONPage struct {
	URL      string      `json:"url"`
	FinalURL string      `json:"final_url"`
	Viewport string      `json:"viewport"`
	Kind     string      `json:"kind"`
	Status   int         `json:"status"`
	Error    string      `json:"error"`
	Title    string      `json:"title"`
	Metrics  JSONMetrics `json:"metrics"`
	// OCR is what reading the visit's pictures did (an extension of the
	// contract's shape); absent when pictures were not read.
	OCR *storage.OCRCounts `json:"ocr,omitempty"`
}

// JSONMetrics are a visit's web vitals; a metric not measured is null.
type JSONMetrics struct {
	TTFBms             *float64 `json:"ttfb_ms"`
	FCPms              *float64 `json:"fcp_ms"`
	LCPms              *float64 `json:"lcp_ms"`
	DOMContentLoadedms *float64 `json:"dom_content_loaded_ms"`
	Loadms             *float64 `json:"load_ms"`
	CLS                *float64 `json:"cls"`
	TBTms              *float64 `json:"tbt_ms"`
	Requests           int      `json:"requests"`
	TransferBytes      int64    `json:"transfer_bytes"`
}

// JSONFinding is a finding object; Evidence is never null.
type JSONFinding struct {
	Rule        string         `json:"rule"`
	Severity    string         `json:"severity"`
	URL         string         `json:"url"`
	Viewport    string         `json:"viewport"`
	Subject     string         `json:"subject"`
	Message     string         `json:"message"`
	Evidence    map[string]any `json:"evidence"`
	Fingerprint string         `json:"fingerprint"`
}

type runDoc struct {
	Run      JSONRun       `json:"run"`
	Pages    []JSONPage    `json:"pages"`
	Findings []JSONFinding `json:"findings"`
}

type runsDoc struct {
	Runs []JSONRun `json:"runs"`
}

// RunJSON writes d as {"run", "pages", "findings"}, indented two spaces, with
// a trailing newline. d's lists are written in the order storage sorted them.
func RunJSON(w io.Writer, d *storage.RunData) error {
	doc := runDoc{
		Run:      NewJSONRun(d.Run),
		Pages:    make([]JSONPage, len(d.Pages)),
		Findings: make([]JSONFinding, len(d.Findings)),
	}
	for i, p := range d.Pages {
		doc.Pages[i] = NewJSONPage(p)
	}
	for i, f := range d.Findings {
		doc.Findings[i] = NewJSONFinding(f)
	}
	return encode(w, doc)
}

// RunsJSON writes {"runs": [...]} in the order given (storage: oldest first).
func RunsJSON(w io.Writer, runs []storage.Run) error {
	doc := runsDoc{Runs: make([]JSONRun, len(runs))}
	for i, r := range runs {
		doc.Runs[i] = NewJSONRun(r)
	}
	return encode(w, doc)
}

// NewJSONRun converts a stored run to its JSON object.
func NewJSONRun(r storage.Run) JSONRun {
	j := JSONRun{
		ID:          r.ID,
		Name:        r.Name,
		Status:      string(r.Status),
		StartedAt:   jsonTime(r.StartedAt),
		Now:         jsonTime(r.Now),
		StartURLs:   r.StartURLs,
		Concurrency: r.Concurrency,
		CPUs:        r.CPUs,
		Browser:     r.Browser,
		Host:        JSONHost{BenchmarkIndex: r.Host.BenchmarkIndex, LoadAvg: r.Host.LoadAvg, CPUs: r.CPUs},
		Pages:       r.Pages,
		Findings:    JSONCounts{Error: r.Findings.Error, Warning: r.Findings.Warning, Info: r.Findings.Info},
	}
	if j.StartURLs == nil {
		j.StartURLs = []string{}
	}
	if !r.FinishedAt.IsZero() {
		s := jsonTime(r.FinishedAt)
		j.FinishedAt = &s
	}
	return j
}

// NewJSONPage converts a stored visit to its JSON object.
func NewJSONPage(p storage.PageRow) JSONPage {
	m := p.Metrics
	return JSONPage{
		URL: p.URL, FinalURL: p.FinalURL, Viewport: p.Viewport, Kind: string(p.Kind),
		Status: p.Status, Error: p.Error, Title: p.Title,
		Metrics: JSONMetrics{
			TTFBms: m.TTFBms, FCPms: m.FCPms, LCPms: m.LCPms, DOMContentLoadedms: m.DOMContentLoadedms,
			Loadms: m.Loadms, CLS: m.CLS, TBTms: m.TBTms, Requests: m.Requests, TransferBytes: m.TransferBytes,
		},
		OCR: p.OCR,
	}
}

// NewJSONFinding converts a finding to its JSON object.
func NewJSONFinding(f checks.Finding) JSONFinding {
	ev := f.Evidence
	if ev == nil {
		ev = map[string]any{}
	}
	return JSONFinding{
		Rule: f.Rule, Severity: string(f.Severity), URL: f.URL, Viewport: f.Viewport,
		Subject: f.Subject, Message: f.Message, Evidence: ev, Fingerprint: f.Fingerprint,
	}
}

// jsonTime is RFC 3339 to the second, in the offset the time was stored with.
func jsonTime(t time.Time) string { return t.Format(time.RFC3339) }

// encode writes v as indented JSON. HTML escaping is off: URLs keep their &.
func encode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
