// Package track follows findings across the complete runs of a target for
// the rectification follow-up: when each was first and last seen, the run
// that resolved it, how often it came back, who owns it and whether it is
// overdue.
package track

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/storage"
)

// DueLayout is the form of a due date.
const DueLayout = "2006-01-02"

// Seen names a run and its clock (the sweep's --now).
type Seen struct {
	RunID int64
	At    time.Time
}

// Life is one finding followed across the runs.
type Life struct {
	// Finding is the finding as the last run that had it reported it.
	checks.Finding
	FirstSeen, LastSeen Seen
	// ResolvedIn is the first run after LastSeen; nil while the finding is
	// open (the newest run has it).
	ResolvedIn *Seen
	Open       bool
	// Reopened counts the times it came back after a run without it.
	Reopened int
	// AgeDays is whole days from FirstSeen to ResolvedIn, or to now while
	// open.
	AgeDays    int
	Assignment *storage.Assignment
	// Overdue: open, assigned, and its due day has ended.
	Overdue bool
	// Mark is the fix mark someone set on the finding (nil: none), and
	// Recheck what the runs since say of it (Mark sets both).
	Mark    *storage.FixMark
	Recheck Recheck
}

// Recheck is the state of a finding marked fixed (复查), as the runs after
// the mark tell it.
type Recheck string

const (
	RecheckNone      Recheck = ""          // not marked fixed
	RecheckPending   Recheck = "pending"   // marked fixed, no run since (待复查)
	RecheckFailed    Recheck = "failed"    // marked fixed, a later run still has it (复查未通过)
	RecheckConfirmed Recheck = "confirmed" // marked fixed, and the runs no longer have it (复查通过)
)

// Mark sets each life's fix mark from marks (keyed by fingerprint) and
// what the runs say of it. Only a run that began after the mark (a higher
// id than the mark's AfterRun) can show the fix: one under way when the
// mark was set may have seen the page before.
func Mark(lives []Life, marks map[string]storage.FixMark) {
	for i := range lives {
		l := &lives[i]
		m, ok := marks[l.Fingerprint]
		if !ok {
			continue
		}
		l.Mark = &m
		switch {
		case !l.Open:
			l.Recheck = RecheckConfirmed
		case l.LastSeen.RunID > m.AfterRun:
			l.Recheck = RecheckFailed
		default:
			l.Recheck = RecheckPending
		}
	}
}

// Follow builds the life of every finding that runs (the target's complete
// runs) reported. occ must hold only findings of those runs; assigned is
// keyed by fingerprint. The result lists open findings first, overdue
// first among them, then by severity, age and URL.
func Follow(runs []storage.Run, occ []storage.Occurrence, assigned map[string]storage.Assignment, now time.Time) []Life {
	runs = sortedRuns(runs)
	index := runIndex(runs)
	type trace struct {
		last    checks.Finding
		present []int // run indices, ascending
	}
	traces := map[string]*trace{}
	var order []string
	for _, o := range occ {
		i, ok := index[o.RunID]
		if !ok {
			continue
		}
		t := traces[o.Finding.Fingerprint]
		if t == nil {
			t = &trace{}
			traces[o.Finding.Fingerprint] = t
			order = append(order, o.Finding.Fingerprint)
		}
		// The same fingerprint twice in one run (a rule reporting one
		// subject twice) is one presence.
		if n := len(t.present); n == 0 || t.present[n-1] != i {
			t.present = append(t.present, i)
		}
		t.last = o.Finding
	}
	spans := make([]storage.Span, 0, len(order))
	for _, fp := range order {
		t := traces[fp]
		slices.Sort(t.present)
		s := storage.Span{Finding: t.last, First: runs[t.present[0]].ID, Last: runs[t.present[len(t.present)-1]].ID, Stretches: 1}
		for k := 1; k < len(t.present); k++ {
			if t.present[k] > t.present[k-1]+1 {
				s.Stretches++
			}
		}
		spans = append(spans, s)
	}
	return lives(runs, index, spans, assigned, now)
}

// FollowSpans is Follow over spans (storage.FindingSpans: each
// fingerprint's first and last run and its stretches, computed by the
// store) instead of every occurrence; the lives are the same. Spans whose
// runs are not in runs are left out.
func FollowSpans(runs []storage.Run, spans []storage.Span, assigned map[string]storage.Assignment, now time.Time) []Life {
	runs = sortedRuns(runs)
	return lives(runs, runIndex(runs), spans, assigned, now)
}

// Store is what Load reads; *storage.DB is one.
type Store interface {
	FindingSpans(ctx context.Context, name string) ([]storage.Run, []storage.Span, error)
	Assignments(ctx context.Context, name string) (map[string]storage.Assignment, error)
	FixMarks(ctx context.Context, name string) (map[string]storage.FixMark, error)
}

// Load follows the findings of the complete runs of target name in st,
// with their assignments and fix marks: Follow(CompleteRuns, Occurrences,
// Assignments, now) then Mark, without reading every occurrence
// (FollowSpans).
func Load(ctx context.Context, st Store, name string, now time.Time) ([]Life, error) {
	runs, spans, err := st.FindingSpans(ctx, name)
	if err != nil {
		return nil, err
	}
	assigned, err := st.Assignments(ctx, name)
	if err != nil {
		return nil, err
	}
	marks, err := st.FixMarks(ctx, name)
	if err != nil {
		return nil, err
	}
	lives := FollowSpans(runs, spans, assigned, now)
	Mark(lives, marks)
	return lives, nil
}

func sortedRuns(runs []storage.Run) []storage.Run {
	runs = slices.Clone(runs)
	slices.SortFunc(runs, func(a, b storage.Run) int { return cmp.Compare(a.ID, b.ID) })
	return runs
}

func runIndex(runs []storage.Run) map[int64]int {
	index := make(map[int64]int, len(runs))
	for i, r := range runs {
		index[r.ID] = i
	}
	return index
}

// lives turns spans into lives, sorted; runs are sorted by id and index
// maps their ids to their positions.
func lives(runs []storage.Run, index map[int64]int, spans []storage.Span, assigned map[string]storage.Assignment, now time.Time) []Life {
	seen := func(i int) Seen { return Seen{RunID: runs[i].ID, At: runs[i].Now} }
	out := make([]Life, 0, len(spans))
	for _, s := range spans {
		first, ok1 := index[s.First]
		last, ok2 := index[s.Last]
		if !ok1 || !ok2 {
			continue
		}
		l := Life{Finding: s.Finding, FirstSeen: seen(first), LastSeen: seen(last), Open: last == len(runs)-1,
			Reopened: s.Stretches - 1}
		end := now
		if !l.Open {
			r := seen(last + 1)
			l.ResolvedIn = &r
			end = r.At
		}
		if d := end.Sub(l.FirstSeen.At); d > 0 {
			l.AgeDays = int(d / (24 * time.Hour))
		}
		if a, ok := assigned[s.Finding.Fingerprint]; ok {
			l.Assignment = &a
			l.Overdue = l.Open && Overdue(a.Due, now)
		}
		out = append(out, l)
	}
	slices.SortStableFunc(out, func(a, b Life) int {
		return cmp.Or(
			TrueFirst(a.Open, b.Open),
			TrueFirst(a.Overdue, b.Overdue),
			cmp.Compare(b.Severity.Rank(), a.Severity.Rank()),
			cmp.Compare(b.AgeDays, a.AgeDays),
			cmp.Compare(a.URL, b.URL),
			cmp.Compare(a.Viewport, b.Viewport),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Fingerprint, b.Fingerprint),
		)
	})
	return out
}

// Overdue reports whether the due day (YYYY-MM-DD, in now's zone) has ended
// by now. A due date that does not parse is never overdue.
func Overdue(due string, now time.Time) bool {
	d, err := time.ParseInLocation(DueLayout, due, now.Location())
	if err != nil {
		return false
	}
	return !now.Before(d.AddDate(0, 0, 1))
}

// TrueFirst compares two flags for sorting: true before false.
func TrueFirst(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}
