package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/diff"
	"github.com/storecheck/storecheck/lang"
	"github.com/storecheck/storecheck/storage"
	"github.com/storecheck/storecheck/track"
)

// Verdict is the outcome of a pre-campaign check.
type Verdict struct {
	Go       bool
	Campaign string
	At       time.Time // the clock the site was seen at
	Run      storage.Run
	// Blocking are the run's errors with their owners: every one must go
	// before the campaign can.
	Blocking []diff.Owned
	Warnings int
	// Diff compares the run with the target's previous complete run; nil
	// when there is none.
	Diff       *diff.Result
	ReportPath string // "" when no report was written
}

// NewVerdict judges run d: GO when no finding is an error. assigned gives
// the owners of blocking findings.
func NewVerdict(d *storage.RunData, campaign string, at time.Time, assigned map[string]storage.Assignment) Verdict {
	v := Verdict{Campaign: campaign, At: at, Run: d.Run}
	for _, f := range d.Findings {
		switch f.Severity {
		case checks.SeverityError:
			a := assigned[f.Fingerprint]
			v.Blocking = append(v.Blocking, diff.Owned{Finding: f, Owner: a.Owner, Due: a.Due})
		case checks.SeverityWarning:
			v.Warnings++
		}
	}
	slices.SortStableFunc(v.Blocking, func(a, b diff.Owned) int {
		return cmp.Or(cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.URL, b.URL), cmp.Compare(a.Viewport, b.Viewport))
	})
	v.Go = len(v.Blocking) == 0
	return v
}

// VerdictWord is "GO" or "NO-GO".
func (v Verdict) VerdictWord() string {
	if v.Go {
		return "GO"
	}
	return "NO-GO"
}

// PreflightTable writes the one-screen verdict: the word, why, what blocks
// it and who owns each, then what changed since the last run.
func PreflightTable(w io.Writer, tag lang.Tag, v Verdict) error {
	t := wordsIn(tag)
	name := cmp.Or(v.Campaign, t("preflight.the-campaign"))
	fmt.Fprintf(w, "%s\n\n", t("preflight.title", v.VerdictWord(), name,
		v.At.Format("2006-01-02 15:04 -07:00"), strconv.FormatInt(v.Run.ID, 10), v.Run.Pages))
	if v.Go {
		fmt.Fprintf(w, "%s\n", t("preflight.go", v.Warnings))
	} else {
		fmt.Fprintf(w, "%s\n\n", t("preflight.no-go", len(v.Blocking), v.Warnings))
		c := columns{indent: "  "}
		c.add(t.cols("RULE", "URL", "VIEWPORT", "OWNER", "DUE", "MESSAGE")...)
		for _, b := range v.Blocking {
			owner, due := t("preflight.unassigned"), "-"
			if b.Owner != "" {
				owner, due = cell(b.Owner), b.Due
				if track.Overdue(b.Due, v.At) {
					due = t("preflight.overdue", due)
				}
			}
			c.add(b.Rule, cell(b.URL), b.Viewport, owner, due, cell(b.Message))
		}
		if err := c.write(w); err != nil {
			return err
		}
	}
	if d := v.Diff; d != nil {
		fmt.Fprintf(w, "\n%s\n", t("preflight.since",
			strconv.FormatInt(d.Base.ID, 10), len(d.New), len(d.Resolved), len(d.Changed), len(d.MetricChanges), len(d.PriceChanges)))
	} else {
		fmt.Fprintf(w, "\n%s\n", t("preflight.no-base"))
	}
	if v.ReportPath != "" {
		fmt.Fprintf(w, "%s\n", t("preflight.report", v.ReportPath))
	}
	return nil
}

type preflightDoc struct {
	Verdict  string            `json:"verdict"`
	Campaign string            `json:"campaign"`
	At       string            `json:"at"`
	Run      JSONRun           `json:"run"`
	Blocking []JSONOwned       `json:"blocking"`
	Warnings int               `json:"warnings"`
	Changes  *JSONChangeCounts `json:"changes"` // null: no earlier run
	Report   string            `json:"report"`
}

// JSONChangeCounts counts a diff's lists.
type JSONChangeCounts struct {
	Base          int64 `json:"base"`
	New           int   `json:"new"`
	Resolved      int   `json:"resolved"`
	Changed       int   `json:"changed"`
	MetricChanges int   `json:"metric_changes"`
	PriceChanges  int   `json:"price_changes"`
}

// PreflightJSON writes the verdict as JSON.
func PreflightJSON(w io.Writer, v Verdict) error {
	doc := preflightDoc{Verdict: v.VerdictWord(), Campaign: v.Campaign, At: jsonTime(v.At), Run: NewJSONRun(v.Run),
		Blocking: []JSONOwned{}, Warnings: v.Warnings, Report: v.ReportPath}
	for _, b := range v.Blocking {
		doc.Blocking = append(doc.Blocking, JSONOwned{JSONFinding: NewJSONFinding(b.Finding), Owner: b.Owner, Due: b.Due})
	}
	if d := v.Diff; d != nil {
		doc.Changes = &JSONChangeCounts{d.Base.ID, len(d.New), len(d.Resolved), len(d.Changed), len(d.MetricChanges), len(d.PriceChanges)}
	}
	return encode(w, doc)
}
