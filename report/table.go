package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/lang"
	"github.com/storecheck/storecheck/storage"
)

// RunsTable writes one line per run: id, target, start, duration, pages,
// findings by severity (E/W/I) and status.
func RunsTable(w io.Writer, tag lang.Tag, runs []storage.Run) error {
	t := wordsIn(tag)
	var c columns
	c.add(t.cols("ID", "TARGET", "STARTED", "DURATION", "PAGES", "E", "W", "I", "STATUS")...)
	for _, r := range runs {
		c.add(strconv.FormatInt(r.ID, 10), r.Name, tableTime(r.StartedAt), duration(r), strconv.Itoa(r.Pages),
			strconv.Itoa(r.Findings.Error), strconv.Itoa(r.Findings.Warning), strconv.Itoa(r.Findings.Info),
			word(t, "html.run-status", string(r.Status)))
	}
	return c.write(w)
}

// ShowTable writes the summary of a run that ends a sweep and that `show`
// prints: the run header, page and finding counts, findings per rule, the top
// slowest pages (by load_ms, then lcp_ms; none when top <= 0) and every
// finding, errors first, grouped by rule.
func ShowTable(w io.Writer, tag lang.Tag, d *storage.RunData, top int) error {
	t := wordsIn(tag)
	r := d.Run
	failed := 0
	for _, p := range d.Pages {
		if p.Status == 0 || p.Status >= 400 {
			failed++
		}
	}
	head := columns{}
	head.add(t("table.run", strconv.FormatInt(r.ID, 10)), word(t, "html.run-status", string(r.Status)))
	head.add(t("table.target"), r.Name)
	head.add(t("table.started"), tableTime(r.StartedAt))
	head.add(t("table.duration"), duration(r))
	if !r.Now.Equal(r.StartedAt) {
		head.add(t("table.clock"), tableTime(r.Now)) // --now pinned another instant
	}
	head.add(t("table.start-urls"), strings.Join(r.StartURLs, " "))
	head.add(t("table.browser"), cmp.Or(r.Browser, "-"))
	head.add(t("table.concurrency"), t("table.concurrency-value", r.Concurrency, r.CPUs))
	host := hostLoadOf(r)
	if host.measured() {
		head.add(t("table.host"), host.describe(t))
	}
	head.add(t("table.pages"), t("table.pages-value", len(d.Pages), failed))
	head.add(t("table.findings"), t("table.findings-value", r.Findings.Error, r.Findings.Warning, r.Findings.Info))
	sections := []section{{c: head}}

	if len(d.Findings) > 0 {
		c := columns{indent: "  "}
		c.add(t.cols("SEVERITY", "RULE", "COUNT")...)
		for _, rc := range ruleCounts(d.Findings) {
			c.add(t.severity(rc.severity), rc.rule, strconv.Itoa(rc.n))
		}
		sections = append(sections, section{t("table.by-rule"), c})
	}
	if slow := slowest(d.Pages, top); len(slow) > 0 {
		c := columns{indent: "  "}
		c.add(t.cols("LOAD", "LCP", "URL", "VIEWPORT")...)
		for _, p := range slow {
			c.add(ms(p.Metrics.Loadms), ms(p.Metrics.LCPms), p.URL, p.Viewport)
		}
		sections = append(sections, section{t("table.slowest"), c})
	}
	for _, g := range bySeverity(d.Findings) {
		c := columns{indent: "  "}
		c.add(t.cols("RULE", "URL", "VIEWPORT", "SUBJECT", "MESSAGE")...)
		groups := Groups(g.findings)
		for _, gr := range groups {
			f := gr.Findings[0]
			c.add(f.Rule, groupURL(t, gr), strings.Join(gr.Viewports(), ","), tableSubject(t, f), f.Message)
		}
		title := t("table.section", t.groupTitle(g.severity), len(g.findings))
		if len(groups) < len(g.findings) {
			title = t("table.section-groups", t.groupTitle(g.severity), len(g.findings), len(groups))
		}
		sections = append(sections, section{title, c})
	}

	for i, s := range sections {
		if i > 0 {
			fmt.Fprintf(w, "\n%s\n", s.title)
		}
		if err := s.c.write(w); err != nil {
			return err
		}
		if warn := host.warning(t); i == 0 && warn != "" {
			fmt.Fprintf(w, "\n! %s\n", warn)
		}
	}
	if len(d.Findings) == 0 {
		_, err := fmt.Fprintf(w, "\n%s\n", t("table.no-findings"))
		return err
	}
	return nil
}

// groupURL is where a group was seen, for a table: its page, or its
// first page and how many more (show --format json lists every one).
func groupURL(t tfunc, g Group) string {
	urls := g.URLs()
	if len(urls) == 1 {
		return urls[0]
	}
	return t("table.more-page", urls[0], len(urls)-1)
}

// tableSubject is f's subject as a table shows it: "-" when empty, behind
// a mark ([image] / [图片], table.image-mark) when the evidence says it was
// read from a picture (alone or beside the page's text), where it cannot
// be found by searching the page's text. Subjects, JSON and fingerprints
// never carry the mark.
func tableSubject(t tfunc, f checks.Finding) string {
	s := cmp.Or(f.Subject, "-")
	if _, ok := checks.PictureOf(f.Evidence); ok {
		return t("table.image-mark") + " " + s
	}
	return s
}

// section is a titled block of the summary.
type section struct {
	title string
	c     columns
}

type ruleCount struct {
	severity checks.Severity
	rule     string
	n        int
}

// ruleCounts counts findings per rule and severity (a rule can report at
// several), most severe first, then most frequent, then by rule.
func ruleCounts(fs []checks.Finding) []ruleCount {
	idx := map[[2]string]int{}
	var out []ruleCount
	for _, f := range fs {
		k := [2]string{string(f.Severity), f.Rule}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, ruleCount{severity: f.Severity, rule: f.Rule})
		}
		out[i].n++
	}
	slices.SortFunc(out, func(a, b ruleCount) int {
		return cmp.Or(
			cmp.Compare(b.severity.Rank(), a.severity.Rank()),
			cmp.Compare(b.n, a.n),
			cmp.Compare(a.rule, b.rule),
			cmp.Compare(a.severity, b.severity),
		)
	})
	return out
}

type severityGroup struct {
	severity checks.Severity
	findings []checks.Finding
}

// bySeverity groups findings errors first; within a group they are sorted by
// rule, then url, viewport, subject, so one rule's findings stand together.
func bySeverity(fs []checks.Finding) []severityGroup {
	sorted := slices.Clone(fs)
	slices.SortStableFunc(sorted, func(a, b checks.Finding) int {
		return cmp.Or(
			cmp.Compare(b.Severity.Rank(), a.Severity.Rank()),
			cmp.Compare(a.Severity, b.Severity), // unknown severities apart from each other
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.URL, b.URL),
			cmp.Compare(a.Viewport, b.Viewport),
			cmp.Compare(a.Subject, b.Subject),
			cmp.Compare(a.Fingerprint, b.Fingerprint),
		)
	})
	var out []severityGroup
	for _, f := range sorted {
		if len(out) == 0 || out[len(out)-1].findings[0].Severity != f.Severity {
			out = append(out, severityGroup{severity: f.Severity})
		}
		g := &out[len(out)-1]
		g.findings = append(g.findings, f)
	}
	return out
}

// groupTitle is the heading of a severity's findings.
func (t tfunc) groupTitle(s checks.Severity) string {
	switch s {
	case checks.SeverityError:
		return t("table.errors")
	case checks.SeverityWarning:
		return t("table.warnings")
	case checks.SeverityInfo:
		return t("table.infos")
	}
	return "Severity " + strconv.Quote(string(s))
}

// cols are table headings in t's language (col.<HEADING>).
func (t tfunc) cols(headings ...string) []string {
	out := make([]string, len(headings))
	for i, h := range headings {
		if h != "" {
			out[i] = t("col." + h)
		}
	}
	return out
}

// severity is a severity's name for people; an unknown one as it is.
func (t tfunc) severity(s checks.Severity) string {
	switch s {
	case checks.SeverityError, checks.SeverityWarning, checks.SeverityInfo:
		return t("severity." + string(s))
	}
	return string(s)
}

// slowest returns up to top pages with a load or LCP time, slowest load
// first, then slowest LCP; a page without load_ms ranks below every page
// with it.
func slowest(pages []storage.PageRow, top int) []storage.PageRow {
	if top <= 0 {
		return nil
	}
	var out []storage.PageRow
	for _, p := range pages {
		if p.Metrics.Loadms != nil || p.Metrics.LCPms != nil {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b storage.PageRow) int {
		return cmp.Or(
			cmpDesc(a.Metrics.Loadms, b.Metrics.Loadms),
			cmpDesc(a.Metrics.LCPms, b.Metrics.LCPms),
			cmp.Compare(a.URL, b.URL),
			cmp.Compare(a.Viewport, b.Viewport),
		)
	})
	return out[:min(top, len(out))]
}

// cmpDesc orders larger values first and nil last.
func cmpDesc(a, b *float64) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return cmp.Compare(*b, *a)
}

func ms(v *float64) string {
	if v == nil {
		return "-"
	}
	return strconv.FormatFloat(*v, 'f', 0, 64) + " ms"
}

// duration is how long the run took, to the second; "-" while it runs.
func duration(r storage.Run) string {
	if r.FinishedAt.IsZero() {
		return "-"
	}
	return r.FinishedAt.Sub(r.StartedAt).Round(time.Second).String()
}

func tableTime(t time.Time) string { return t.Format("2006-01-02 15:04:05 -07:00") }

// cell keeps a value on one line and out of tabwriter's column logic.
var cellReplacer = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")

func cell(s string) string { return cellReplacer.Replace(s) }

// RulesTable writes one line per rule: ID, default severity, subject and
// when it fires (the rule's documentation, in English like the help).
func RulesTable(w io.Writer, tag lang.Tag, rules []*checks.Check) error {
	t := wordsIn(tag)
	var c columns
	c.add(t.cols("RULE", "SEVERITY", "SUBJECT", "FIRES WHEN")...)
	for _, r := range rules {
		c.add(r.ID, r.SeverityLabel(), r.Subject, r.Doc)
	}
	return c.write(w)
}
