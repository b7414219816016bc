package checks

import (
	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
)

// perfChecks compare a visit's web vitals with the configured budgets. A
// metric that was not measured (nil) never fires, a budget of 0 or less
// switches its metric off, and a visit that failed (see pageFailed) gets no
// perf findings: its page.http-error is the finding, and its metrics describe
// an error page or a cut-short load.
//
// Timings (not bytes) grow when the machine is busy, so a visit over a
// timing budget is a suspect: the sweep loads it again alone
// (budgets.confirm_runs) and the rule judges the median of all its loads,
// listing them in evidence.samples. A suspect that could not be
// re-measured (Page.Unconfirmed) gets no timing verdict.
func perfChecks() []*Check {
	return []*Check{
		{
			ID:       "perf.slow-load",
			Doc:      "a timing is over its budget (one finding per metric)",
			Severity: SeverityWarning,
			Subject:  "metric key (`load_ms`, `lcp_ms`, `fcp_ms`)",
			Run:      runSlowLoad,
			Suspect:  suspect(slowLoadTimings),
		},
		{
			ID:       "perf.layout-shift",
			Doc:      "CLS (session windows: gap 1 s, cap 5 s, no shifts after input) over budget",
			Severity: SeverityWarning,
			Subject:  "`cls`",
			Run:      runLayoutShift,
			Suspect:  suspect(clsTiming),
		},
		{
			ID:       "perf.long-tasks",
			Doc:      "total blocking time (long-task time over 50 ms, after FCP) over budget",
			Severity: SeverityWarning,
			Subject:  "`tbt_ms`",
			Run:      runLongTasks,
			Suspect:  suspect(tbtTiming),
		},
		{
			ID:       "perf.heavy-page",
			Doc:      "bytes transferred over budget",
			Severity: SeverityWarning,
			Subject:  "`transfer_bytes`",
			Run:      runHeavyPage,
		},
	}
}

// budgets returns the configured budgets, or false when the visit is not one
// perf rules judge.
func budgets(p *Pass) (config.Budgets, bool) {
	if pageFailed(p.Page) {
		return config.Budgets{}, false
	}
	return p.Env.Budgets, true
}

// timing is one web vital a perf rule holds to a budget.
type timing struct {
	key    string // subject, and the metric's JSON key
	msg    string // message key; it takes the value and the budget
	value  func(*crawler.Metrics) *float64
	budget func(config.Budgets) float64
	format func(float64) string
}

var (
	slowLoadTimings = []timing{
		{"load_ms", "perf.slow-load/load", func(m *crawler.Metrics) *float64 { return m.Loadms },
			func(b config.Budgets) float64 { return b.LoadMs }, formatMs},
		{"lcp_ms", "perf.slow-load/lcp", func(m *crawler.Metrics) *float64 { return m.LCPms },
			func(b config.Budgets) float64 { return b.LCPMs }, formatMs},
		{"fcp_ms", "perf.slow-load/fcp", func(m *crawler.Metrics) *float64 { return m.FCPms },
			func(b config.Budgets) float64 { return b.FCPMs }, formatMs},
	}
	clsTiming = []timing{{"cls", "perf.layout-shift", func(m *crawler.Metrics) *float64 { return m.CLS },
		func(b config.Budgets) float64 { return b.CLS }, formatCLS}}
	tbtTiming = []timing{{"tbt_ms", "perf.long-tasks", func(m *crawler.Metrics) *float64 { return m.TBTms },
		func(b config.Budgets) float64 { return b.TBTMs }, formatMs}}
)

// suspect is a timing rule's Check.Suspect: one of its metrics is over
// budget on a visit the rule judges.
func suspect(ts []timing) func(*Env, *crawler.Page) bool {
	return func(env *Env, pg *crawler.Page) bool {
		if pageFailed(pg) {
			return false
		}
		for _, t := range ts {
			if over(t.value(&pg.Metrics), t.budget(env.Budgets)) {
				return true
			}
		}
		return false
	}
}

// reportTimings reports each timing of ts over its budget, with every
// load's value when the visit was measured more than once.
func reportTimings(p *Pass, ts []timing) {
	b, ok := budgets(p)
	if !ok || p.Page.Unconfirmed {
		return
	}
	for _, t := range ts {
		v, budget := t.value(&p.Page.Metrics), t.budget(b)
		if !over(v, budget) {
			continue
		}
		ev := map[string]any{"value": *v, "budget": budget}
		if ss := p.Page.Samples; len(ss) > 1 {
			samples := make([]any, len(ss))
			for i := range ss {
				if sv := t.value(&ss[i]); sv != nil {
					samples[i] = *sv
				}
			}
			ev["samples"] = samples
		}
		p.Report("", t.key, M(t.msg, t.format(*v), t.format(budget)), ev)
	}
}

func runSlowLoad(p *Pass)    { reportTimings(p, slowLoadTimings) }
func runLayoutShift(p *Pass) { reportTimings(p, clsTiming) }
func runLongTasks(p *Pass)   { reportTimings(p, tbtTiming) }

func runHeavyPage(p *Pass) {
	b, ok := budgets(p)
	v := p.Page.Metrics.TransferBytes
	if !ok || b.PageBytes <= 0 || v <= b.PageBytes {
		return
	}
	p.Report("", "transfer_bytes", M("perf.heavy-page", formatBytes(v), formatBytes(b.PageBytes)),
		map[string]any{"value": v, "budget": b.PageBytes})
}

// over reports whether a measured value is strictly over a positive budget.
func over(v *float64, budget float64) bool {
	return v != nil && budget > 0 && *v > budget
}
