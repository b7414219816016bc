// Package diff compares two stored runs of a target: which findings are new,
// resolved, persisting or changed in severity, which metrics crossed a
// band, which prices changed, which pages came and went. It reads
// storage's plain data and renders nothing (package report does).
package diff

import (
	"cmp"
	"slices"
	"sort"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/checks/cnprice"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/storage"
	"github.com/storecheck/storecheck/track"
)

// Result is the comparison of base (older) with head.
type Result struct {
	Base, Head    storage.Run
	New           []NewFinding
	Resolved      []checks.Finding
	Persisting    []checks.Finding
	Changed       []Change
	MetricChanges []MetricChange
	PriceChanges  []PriceChange
	PagesAdded    []Visit
	PagesRemoved  []Visit
	// Overdue are findings of head whose assignment's due day ended before
	// head's clock (Result.Assign).
	Overdue []Owned
}

// Owned is a finding with its assignment.
type Owned struct {
	checks.Finding
	Owner, Due string
}

// NewFinding is a finding of head that base did not have. Reopened: an
// earlier run of the target had it, so it was fixed once and came back.
// Owner and Due come from its assignment (Result.Assign); empty when it
// has none.
type NewFinding struct {
	checks.Finding
	Reopened bool
	Owner    string
	Due      string
}

// Change is a finding whose severity moved.
type Change struct{ Before, After checks.Finding }

// MetricChange is a metric of a visit that crossed a band, or moved enough
// where the metric has no bands.
type MetricChange struct {
	URL, Viewport, Metric string
	Before, After         float64
	BandBefore, BandAfter string // "" for metrics without bands
	Direction             string // "better" or "worse"
}

// PriceChange is a product page's price before and after.
type PriceChange struct {
	URL, Viewport string
	Before, After checks.PagePrice
}

// Visit names one URL in one viewport.
type Visit struct{ URL, Viewport string }

// Compute compares base with head. seenBefore reports the fingerprints
// (of those asked) that a run of the target older than base had; nil
// means none did.
func Compute(base, head *storage.RunData, seenBefore map[string]bool) *Result {
	r := &Result{Base: base.Run, Head: head.Run}
	before := map[string]checks.Finding{}
	for _, f := range base.Findings {
		before[f.Fingerprint] = f
	}
	after := map[string]bool{}
	for _, f := range head.Findings {
		after[f.Fingerprint] = true
		b, ok := before[f.Fingerprint]
		switch {
		case !ok:
			r.New = append(r.New, NewFinding{Finding: f, Reopened: seenBefore[f.Fingerprint]})
		case b.Severity != f.Severity:
			r.Changed = append(r.Changed, Change{Before: b, After: f})
		default:
			r.Persisting = append(r.Persisting, f)
		}
	}
	for _, f := range base.Findings {
		if !after[f.Fingerprint] {
			r.Resolved = append(r.Resolved, f)
		}
	}
	r.comparePages(base.Pages, head.Pages)
	return r
}

// Assign fills in the owner and due date of new findings from assigned
// (by fingerprint) and lists in Overdue every finding of head, new or not,
// still there after its due day at head's clock.
func (r *Result) Assign(assigned map[string]storage.Assignment) {
	r.Overdue = nil
	check := func(f checks.Finding) {
		if a, ok := assigned[f.Fingerprint]; ok && track.Overdue(a.Due, r.Head.Now) {
			r.Overdue = append(r.Overdue, Owned{Finding: f, Owner: a.Owner, Due: a.Due})
		}
	}
	for i, f := range r.New {
		if a, ok := assigned[f.Fingerprint]; ok {
			r.New[i].Owner, r.New[i].Due = a.Owner, a.Due
		}
		check(f.Finding)
	}
	for _, f := range r.Persisting {
		check(f)
	}
	for _, c := range r.Changed {
		check(c.After)
	}
	slices.SortStableFunc(r.Overdue, func(a, b Owned) int {
		return cmp.Or(cmp.Compare(a.Due, b.Due), cmp.Compare(b.Severity.Rank(), a.Severity.Rank()),
			cmp.Compare(a.URL, b.URL), cmp.Compare(a.Viewport, b.Viewport), cmp.Compare(a.Rule, b.Rule))
	})
}

func (r *Result) comparePages(base, head []storage.PageRow) {
	old := map[Visit]storage.PageRow{}
	for _, p := range base {
		old[Visit{p.URL, p.Viewport}] = p
	}
	seen := map[Visit]bool{}
	for _, p := range head {
		k := Visit{p.URL, p.Viewport}
		seen[k] = true
		b, ok := old[k]
		if !ok {
			r.PagesAdded = append(r.PagesAdded, k)
			continue
		}
		r.MetricChanges = append(r.MetricChanges, metricChanges(k, b.Metrics, p.Metrics)...)
		if b.Price != nil && p.Price != nil && (cnprice.Cents(b.Price.Current) != cnprice.Cents(p.Price.Current) ||
			cnprice.Cents(b.Price.Original) != cnprice.Cents(p.Price.Original)) {
			r.PriceChanges = append(r.PriceChanges, PriceChange{URL: k.URL, Viewport: k.Viewport, Before: *b.Price, After: *p.Price})
		}
	}
	for _, p := range base {
		if k := (Visit{p.URL, p.Viewport}); !seen[k] {
			r.PagesRemoved = append(r.PagesRemoved, k)
		}
	}
	sortVisits(r.PagesAdded)
	sortVisits(r.PagesRemoved)
	sort.SliceStable(r.MetricChanges, func(i, j int) bool {
		a, b := r.MetricChanges[i], r.MetricChanges[j]
		if a.URL != b.URL {
			return a.URL < b.URL
		}
		if a.Viewport != b.Viewport {
			return a.Viewport < b.Viewport
		}
		return a.Metric < b.Metric
	})
	sort.SliceStable(r.PriceChanges, func(i, j int) bool {
		a, b := r.PriceChanges[i], r.PriceChanges[j]
		if a.URL != b.URL {
			return a.URL < b.URL
		}
		return a.Viewport < b.Viewport
	})
}

func sortVisits(v []Visit) {
	sort.Slice(v, func(i, j int) bool {
		if v[i].URL != v[j].URL {
			return v[i].URL < v[j].URL
		}
		return v[i].Viewport < v[j].Viewport
	})
}

// metricChanges lists the metrics of one visit that changed enough.
func metricChanges(v Visit, before, after crawler.Metrics) []MetricChange {
	var out []MetricChange
	for _, m := range metrics {
		b, a := m.get(before), m.get(after)
		if b == nil || a == nil {
			continue
		}
		if c, ok := m.changed(v.Viewport, *b, *a); ok {
			c.URL, c.Viewport, c.Metric = v.URL, v.Viewport, m.key
			out = append(out, c)
		}
	}
	return out
}
