package track

import (
	"cmp"
	"slices"

	"github.com/storecheck/storecheck/checks"
	fp "github.com/storecheck/storecheck/checks/fingerprint"
	"github.com/storecheck/storecheck/storage"
)

// Group is one defect of the rectification board as the inspection sheet
// counts it: the lives of one rule about one subject (normalised as
// fingerprints normalise it) on however many pages and viewports. A wrong
// logo in the shared header is one group to assign and re-check, not 300
// rows.
type Group struct {
	Rule     string
	Severity checks.Severity // the most severe of its lives
	Subject  string          // the first life's
	Lives    []Life          // in Follow's order: open ones first
	// Open: some page still has it in the newest run; Overdue: one of the
	// open lives is overdue.
	Open, Overdue bool
	// FirstSeen is the earliest first sighting of its lives; ResolvedIn,
	// once none is open, the latest run that resolved one.
	FirstSeen  Seen
	ResolvedIn *Seen
	Reopened   int // the most any of its lives came back
	AgeDays    int // the oldest of its lives
	// Recheck sums up the marks of its lives: failed when a marked life
	// still shows, else pending when one awaits its run, else confirmed
	// when a marked life is gone.
	Recheck Recheck
	pages   int
}

// OpenFingerprints are the fingerprints of the group's open lives: what
// assigning or marking the group fixed applies to.
func (g Group) OpenFingerprints() []string {
	var out []string
	for _, l := range g.Lives {
		if l.Open {
			out = append(out, l.Fingerprint)
		}
	}
	return out
}

// Assignment is the assignment its open lives share (all its lives' when
// none is open): the first one's, nil when one has none or they differ in
// owner or due day.
func (g Group) Assignment() *storage.Assignment {
	var a *storage.Assignment
	for _, l := range g.Lives {
		switch {
		case g.Open && !l.Open:
			continue
		case l.Assignment == nil:
			return nil
		case a == nil:
			a = l.Assignment
		case a.Owner != l.Assignment.Owner || a.Due != l.Assignment.Due:
			return nil
		}
	}
	return a
}

// Pages counts the distinct pages of the group's lives.
func (g Group) Pages() int { return g.pages }

// Groups gathers lives (Follow's result, marked or not) into groups: open
// groups first, overdue and failed re-checks first among them, then by
// severity, pages and age.
func Groups(lives []Life) []Group {
	idx := map[[2]string]int{}
	var out []Group
	for _, l := range lives {
		k := [2]string{l.Rule, fp.Normalize(l.Subject)}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, Group{Rule: l.Rule, Severity: l.Severity, Subject: l.Subject, FirstSeen: l.FirstSeen})
		}
		g := &out[i]
		g.Lives = append(g.Lives, l)
		if l.Severity.Rank() > g.Severity.Rank() {
			g.Severity = l.Severity
		}
		g.Open = g.Open || l.Open
		g.Overdue = g.Overdue || l.Overdue
		if l.FirstSeen.RunID < g.FirstSeen.RunID {
			g.FirstSeen = l.FirstSeen
		}
		g.Reopened = max(g.Reopened, l.Reopened)
		g.AgeDays = max(g.AgeDays, l.AgeDays)
	}
	for i := range out {
		g := &out[i]
		urls := map[string]bool{}
		for _, l := range g.Lives {
			urls[l.URL] = true
			if !g.Open && l.ResolvedIn != nil && (g.ResolvedIn == nil || l.ResolvedIn.RunID > g.ResolvedIn.RunID) {
				r := *l.ResolvedIn
				g.ResolvedIn = &r
			}
			if g.Open && !l.Open {
				continue // a closed page of an open group says nothing of its re-check
			}
			switch {
			case l.Recheck == RecheckFailed || g.Recheck == RecheckFailed:
				g.Recheck = RecheckFailed
			case l.Recheck == RecheckPending || g.Recheck == RecheckPending:
				g.Recheck = RecheckPending
			case l.Recheck == RecheckConfirmed:
				g.Recheck = RecheckConfirmed
			}
		}
		g.pages = len(urls)
	}
	slices.SortStableFunc(out, func(a, b Group) int {
		return cmp.Or(
			TrueFirst(a.Open, b.Open),
			TrueFirst(a.Overdue, b.Overdue),
			TrueFirst(a.Recheck == RecheckFailed, b.Recheck == RecheckFailed),
			cmp.Compare(b.Severity.Rank(), a.Severity.Rank()),
			cmp.Compare(b.Pages(), a.Pages()),
			cmp.Compare(b.AgeDays, a.AgeDays),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Subject, b.Subject),
		)
	})
	return out
}
