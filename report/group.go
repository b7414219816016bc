package report

import (
	"cmp"
	"slices"

	"github.com/storecheck/storecheck/checks"
	fp "github.com/storecheck/storecheck/checks/fingerprint"
)

// Group is one defect as a shop's staff fix it: the findings of one rule
// about one subject (normalised as fingerprints normalise it) on however
// many pages and viewports. A distorted icon in the shared header is one
// group on 300 pages, not 600 findings. JSON keeps one finding per page
// visit (the contract); tables and the report show groups.
type Group struct {
	Rule     string
	Severity checks.Severity // the most severe of its findings
	Subject  string          // the first finding's subject
	Findings []checks.Finding
	pages    int // len(URLs()), for sorting
}

// URLs are the group's pages, each once, in the order of its findings.
func (g Group) URLs() []string {
	var out []string
	for _, f := range g.Findings {
		if !slices.Contains(out, f.URL) {
			out = append(out, f.URL)
		}
	}
	return out
}

// Viewports are the viewports the group was seen in, each once, sorted.
func (g Group) Viewports() []string {
	var out []string
	for _, f := range g.Findings {
		if !slices.Contains(out, f.Viewport) {
			out = append(out, f.Viewport)
		}
	}
	slices.Sort(out)
	return out
}

// Groups gathers fs into groups, keeping fs's order within each: the most
// severe first, then those on the most pages, then by rule and subject.
func Groups(fs []checks.Finding) []Group {
	idx := map[[2]string]int{}
	var out []Group
	for _, f := range fs {
		k := [2]string{f.Rule, fp.Normalize(f.Subject)}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, Group{Rule: f.Rule, Severity: f.Severity, Subject: f.Subject})
		}
		g := &out[i]
		g.Findings = append(g.Findings, f)
		if f.Severity.Rank() > g.Severity.Rank() {
			g.Severity = f.Severity
		}
	}
	for i := range out {
		out[i].pages = len(out[i].URLs())
	}
	slices.SortStableFunc(out, func(a, b Group) int {
		return cmp.Or(
			cmp.Compare(b.Severity.Rank(), a.Severity.Rank()),
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(b.pages, a.pages),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Subject, b.Subject),
		)
	})
	return out
}
