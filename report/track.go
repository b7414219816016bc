package report

import (
	"fmt"
	"io"
	"strconv"

	"github.com/storecheck/storecheck/lang"
	"github.com/storecheck/storecheck/track"
)

// JSONSeen is a run and its clock.
type JSONSeen struct {
	Run int64  `json:"run"`
	At  string `json:"at"`
}

// JSONLife is one entry of `track --format json`.
type JSONLife struct {
	JSONFinding
	Status     string    `json:"status"` // open | resolved
	FirstSeen  JSONSeen  `json:"first_seen"`
	LastSeen   JSONSeen  `json:"last_seen"`
	ResolvedIn *JSONSeen `json:"resolved_in"` // null while open
	Reopened   int       `json:"reopened"`    // times it came back after a run without it
	AgeDays    int       `json:"age_days"`
	Owner      string    `json:"owner"`
	Due        string    `json:"due"`
	Note       string    `json:"note"`
	Overdue    bool      `json:"overdue"`
	// MarkedFixed is when someone marked it fixed (null: not marked), and
	// Recheck what the runs since say: "" (not marked), pending, failed or
	// confirmed.
	MarkedFixed *string `json:"marked_fixed"`
	FixNote     string  `json:"fix_note"`
	Recheck     string  `json:"recheck"`
}

type trackDoc struct {
	Target   string     `json:"target"`
	Now      string     `json:"now"`
	Findings []JSONLife `json:"findings"`
}

func newJSONLife(l track.Life) JSONLife {
	j := JSONLife{JSONFinding: NewJSONFinding(l.Finding), Status: "resolved",
		FirstSeen: JSONSeen{l.FirstSeen.RunID, jsonTime(l.FirstSeen.At)},
		LastSeen:  JSONSeen{l.LastSeen.RunID, jsonTime(l.LastSeen.At)},
		Reopened:  l.Reopened, AgeDays: l.AgeDays, Overdue: l.Overdue}
	// Occurrences carry no evidence; say so rather than print null.
	j.Evidence = map[string]any{}
	if l.Open {
		j.Status = "open"
	}
	if l.ResolvedIn != nil {
		j.ResolvedIn = &JSONSeen{l.ResolvedIn.RunID, jsonTime(l.ResolvedIn.At)}
	}
	if a := l.Assignment; a != nil {
		j.Owner, j.Due, j.Note = a.Owner, a.Due, a.Note
	}
	if m := l.Mark; m != nil {
		at := jsonTime(m.At)
		j.MarkedFixed, j.FixNote = &at, m.Note
	}
	j.Recheck = string(l.Recheck)
	return j
}

// TrackJSON writes {"target", "now", "findings": [...]}.
func TrackJSON(w io.Writer, target string, now string, lives []track.Life) error {
	doc := trackDoc{Target: target, Now: now, Findings: []JSONLife{}}
	for _, l := range lives {
		doc.Findings = append(doc.Findings, newJSONLife(l))
	}
	return encode(w, doc)
}

// TrackTable writes the counts over all of the target's findings, then one
// line per finding of shown (all, or a filtered part): status, age, owner
// and due date first, since that is what a follow-up meeting reads.
func TrackTable(w io.Writer, tag lang.Tag, target string, all, shown []track.Life) error {
	t := wordsIn(tag)
	open, overdue, unassigned := 0, 0, 0
	for _, l := range all {
		if l.Open {
			open++
			if l.Assignment == nil {
				unassigned++
			}
		}
		if l.Overdue {
			overdue++
		}
	}
	fmt.Fprintf(w, "%s\n", t("track.summary", target, open, overdue, unassigned, len(all)-open))
	if len(shown) == 0 {
		fmt.Fprintln(w, t("track.none"))
		return nil
	}
	var c columns
	c.add(t.cols("STATUS", "AGE", "OWNER", "DUE", "SEVERITY", "RULE", "URL", "VIEWPORT", "SEEN", "FINGERPRINT")...)
	for _, l := range shown {
		status := t("track.open")
		if !l.Open {
			status = t("track.resolved-in", strconv.FormatInt(l.ResolvedIn.RunID, 10))
		}
		if l.Reopened > 0 {
			status = t("track.reopened", status)
		}
		if l.Recheck != track.RecheckNone {
			status = t("track.recheck-"+string(l.Recheck), status)
		}
		if l.Overdue {
			status = t("track.overdue", status)
		}
		owner, due := "-", "-"
		if a := l.Assignment; a != nil {
			owner, due = cell(a.Owner), a.Due
		}
		c.add(status, strconv.Itoa(l.AgeDays)+"d", owner, due, t.severity(l.Severity), l.Rule, cell(l.URL), l.Viewport,
			fmt.Sprintf("%d–%d", l.FirstSeen.RunID, l.LastSeen.RunID), l.Fingerprint)
	}
	return c.write(w)
}
