package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/jstemmer/go-junit-report/v2/junit"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/diff"
	"github.com/storecheck/storecheck/storage"
)

// Names of the JUnit suites and test cases that are not rules.
const (
	junitSiteSuite = "site"       // findings about a visit that has no page row
	junitPageLoad  = "page.load"  // the visit itself failed: an <error>
	junitChecked   = "storecheck" // the one case of a page in a run without findings
)

// RunJUnit writes d as JUnit XML: one <testsuite> per visit ("URL
// (viewport)"), one <testcase> per rule that reported anywhere in the run
// (classname the rule's family, name its ID). A case fails when the rule has
// an error or warning finding on that visit; info findings are its
// <system-out>. A visit that failed to load has a page.load <error> case and
// cases only for the rules that reported on it (nothing else was checked).
// Findings about visits without a page row go to the suite "site". In a run
// without findings every visit has one passing case, "storecheck".
func RunJUnit(w io.Writer, d *storage.RunData) error {
	b := newJUnitBuilder(d, func(checks.Finding) findingState { return stateFails })
	b.suites.Name = fmt.Sprintf("storecheck run %d (%s)", d.Run.ID, d.Run.Name)
	return b.write(w, nil)
}

// DiffJUnit writes r as JUnit XML with the suites and cases of RunJUnit
// built from head, the run r.Head was loaded from. Only new findings fail a
// case; persisting and changed ones are its <system-out>, marked as such.
// Resolved findings are listed in the <system-out> of their visit's suite,
// or of the suite "site" when head has no such visit. A visit of head that
// failed to load is still a page.load <error>.
func DiffJUnit(w io.Writer, r *diff.Result, head *storage.RunData) error {
	state := map[string]findingState{}
	for _, f := range r.Persisting {
		state[f.Fingerprint] = statePersisting
	}
	for _, c := range r.Changed {
		state[c.After.Fingerprint] = stateChanged
	}
	before := map[string]checks.Severity{}
	for _, c := range r.Changed {
		before[c.After.Fingerprint] = c.Before.Severity
	}
	reopened := map[string]bool{}
	for _, f := range r.New {
		reopened[f.Fingerprint] = f.Reopened
	}
	b := newJUnitBuilder(head, func(f checks.Finding) findingState {
		if s, ok := state[f.Fingerprint]; ok {
			return s
		}
		return stateFails // new, and anything diff did not classify
	})
	b.before, b.reopened = before, reopened
	b.suites.Name = fmt.Sprintf("storecheck diff %d..%d (%s)", r.Base.ID, r.Head.ID, r.Head.Name)
	return b.write(w, r.Resolved)
}

// findingState is how a finding counts in a JUnit case.
type findingState int

const (
	stateFails      findingState = iota // fails the case at error or warning
	statePersisting                     // diff: also in base, same severity
	stateChanged                        // diff: also in base, other severity
)

type visitKey struct{ url, viewport string }

type junitBuilder struct {
	d        *storage.RunData
	state    func(checks.Finding) findingState
	before   map[string]checks.Severity // diff: the base severity of changed findings
	reopened map[string]bool            // diff: new findings an earlier run had
	suites   junit.Testsuites
}

func newJUnitBuilder(d *storage.RunData, state func(checks.Finding) findingState) *junitBuilder {
	b := &junitBuilder{d: d, state: state}
	if !d.Run.FinishedAt.IsZero() {
		b.suites.Time = seconds(d.Run.FinishedAt.Sub(d.Run.StartedAt).Seconds())
	}
	return b
}

// write builds every suite, adds resolved findings (diff) to their suites'
// output and writes the document.
func (b *junitBuilder) write(w io.Writer, resolved []checks.Finding) error {
	d := b.d
	byVisit := map[visitKey][]checks.Finding{}
	var rules []string
	for _, f := range d.Findings {
		k := visitKey{f.URL, f.Viewport}
		byVisit[k] = append(byVisit[k], f)
		if !slices.Contains(rules, f.Rule) {
			rules = append(rules, f.Rule)
		}
	}
	slices.Sort(rules)
	gone := map[visitKey][]checks.Finding{}
	for _, f := range resolved {
		k := visitKey{f.URL, f.Viewport}
		gone[k] = append(gone[k], f)
	}

	pages := slices.Clone(d.Pages)
	slices.SortStableFunc(pages, func(a, b storage.PageRow) int {
		return cmp.Or(cmp.Compare(a.URL, b.URL), cmp.Compare(a.Viewport, b.Viewport))
	})
	var suites []junit.Testsuite
	for _, p := range pages {
		k := visitKey{p.URL, p.Viewport}
		fs := byVisit[k]
		delete(byVisit, k)
		s := junit.Testsuite{Name: p.URL + " (" + p.Viewport + ")", Time: "0.000"}
		if p.Metrics.Loadms != nil {
			s.Time = seconds(*p.Metrics.Loadms / 1000)
		}
		s.AddProperty("url", p.URL)
		s.AddProperty("viewport", p.Viewport)
		s.AddProperty("kind", string(p.Kind))
		s.AddProperty("status", strconv.Itoa(p.Status))
		if p.FinalURL != "" && p.FinalURL != p.URL {
			s.AddProperty("final_url", p.FinalURL)
		}
		if failedVisit(p) {
			s.AddTestcase(junit.Testcase{
				Classname: "page", Name: junitPageLoad,
				Error: &junit.Result{Message: xmlText(cmp.Or(p.Error, "no usable response")), Type: "error",
					Data: xmlText(fmt.Sprintf("The visit of %s in %s failed: status %d, %s.", p.URL, p.Viewport, p.Status, cmp.Or(p.Error, "no error text")))},
			})
			for _, rule := range rules {
				if g := ofRule(fs, rule); len(g) > 0 {
					s.AddTestcase(b.testcase(rule, g, false))
				}
			}
		} else {
			for _, rule := range rules {
				s.AddTestcase(b.testcase(rule, ofRule(fs, rule), false))
			}
			if len(rules) == 0 {
				s.AddTestcase(junit.Testcase{Classname: junitChecked, Name: junitChecked})
			}
		}
		if g := gone[k]; len(g) > 0 {
			delete(gone, k)
			s.SystemOut = &junit.Output{Data: xmlText(resolvedText(g, false))}
		}
		suites = append(suites, s)
	}

	// What is left has no page row: site findings about pages beyond the
	// crawl, and resolved findings of visits head no longer has.
	var site []checks.Finding
	for _, fs := range byVisit {
		site = append(site, fs...)
	}
	var siteGone []checks.Finding
	for _, fs := range gone {
		siteGone = append(siteGone, fs...)
	}
	if len(site) > 0 || len(siteGone) > 0 {
		checks.SortFindings(site)
		checks.SortFindings(siteGone)
		s := junit.Testsuite{Name: junitSiteSuite, Time: "0.000"}
		for _, rule := range rules {
			if g := ofRule(site, rule); len(g) > 0 {
				s.AddTestcase(b.testcase(rule, g, true))
			}
		}
		if len(siteGone) > 0 {
			s.SystemOut = &junit.Output{Data: xmlText(resolvedText(siteGone, true))}
		}
		suites = append(suites, s)
	}

	for i, s := range suites {
		s.ID = i
		if !d.Run.StartedAt.IsZero() {
			s.SetTimestamp(d.Run.StartedAt)
		}
		b.suites.AddSuite(s)
	}
	return b.suites.WriteXML(w)
}

// testcase is rule's case on one visit (or in the site suite, where lines
// name the visit): it fails when a finding that fails is at error or
// warning; every other finding is its output.
func (b *junitBuilder) testcase(rule string, fs []checks.Finding, site bool) junit.Testcase {
	tc := junit.Testcase{Classname: family(rule), Name: rule}
	var failing, other []checks.Finding
	for _, f := range fs {
		if b.state(f) == stateFails && f.Severity.Rank() >= checks.SeverityWarning.Rank() {
			failing = append(failing, f)
		} else {
			other = append(other, f)
		}
	}
	if len(failing) > 0 {
		first := failing[0]
		var body strings.Builder
		for _, f := range failing {
			body.WriteString(b.line(f, site))
		}
		for _, f := range other {
			body.WriteString(b.line(f, site))
		}
		tc.Failure = &junit.Result{Message: xmlText(first.Message), Type: string(first.Severity), Data: xmlText(body.String())}
		return tc
	}
	if len(other) > 0 {
		var out strings.Builder
		for _, f := range other {
			out.WriteString(b.line(f, site))
		}
		tc.SystemOut = &junit.Output{Data: xmlText(out.String())}
	}
	return tc
}

// line is one finding of a case's body: severity, subject, message and
// fingerprint; in the site suite also the visit; in a diff whether it
// persists, changed severity or was reopened.
func (b *junitBuilder) line(f checks.Finding, site bool) string {
	var s strings.Builder
	switch b.state(f) {
	case statePersisting:
		s.WriteString("persisting ")
	case stateChanged:
		fmt.Fprintf(&s, "changed (was %s) ", b.before[f.Fingerprint])
	case stateFails:
		if b.reopened[f.Fingerprint] {
			s.WriteString("reopened ")
		}
	}
	fmt.Fprintf(&s, "%s %s: %s [%s]", f.Severity, cmp.Or(f.Subject, "-"), f.Message, f.Fingerprint)
	if site {
		fmt.Fprintf(&s, " on %s (%s)", f.URL, f.Viewport)
	}
	s.WriteByte('\n')
	return s.String()
}

// resolvedText lists findings of base that head no longer has.
func resolvedText(fs []checks.Finding, site bool) string {
	var s strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&s, "resolved %s %s %s: %s [%s]", f.Severity, f.Rule, cmp.Or(f.Subject, "-"), f.Message, f.Fingerprint)
		if site {
			fmt.Fprintf(&s, " on %s (%s)", f.URL, f.Viewport)
		}
		s.WriteByte('\n')
	}
	return s.String()
}

// ofRule returns rule's findings of fs, most severe first, then by subject,
// so a failure's message is that of its worst finding.
func ofRule(fs []checks.Finding, rule string) []checks.Finding {
	var out []checks.Finding
	for _, f := range fs {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b checks.Finding) int {
		return cmp.Or(
			cmp.Compare(b.Severity.Rank(), a.Severity.Rank()),
			cmp.Compare(a.URL, b.URL),
			cmp.Compare(a.Viewport, b.Viewport),
			cmp.Compare(a.Subject, b.Subject),
			cmp.Compare(a.Fingerprint, b.Fingerprint),
		)
	})
	return out
}

// failedVisit reports whether the page gave no usable response, so no page
// rule ran on it.
func failedVisit(p storage.PageRow) bool { return p.Status == 0 || p.Error != "" }

// family is the part of a rule ID before its first dot: "logo" of
// "logo.missing".
func family(rule string) string {
	f, _, _ := strings.Cut(rule, ".")
	return f
}

func seconds(s float64) string { return strconv.FormatFloat(s, 'f', 3, 64) }

// xmlText replaces what XML 1.0 cannot carry (control characters, lone
// surrogates) with U+FFFD; encoding/xml escapes attributes so but writes
// CDATA as it is.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		if r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
			r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF {
			return r
		}
		return '\uFFFD'
	}, s)
}
