package checks

import (
	"github.com/storecheck/storecheck/config"
)

// perfChecks compare a visit's web vitals with the configured budgets. A
// metric that was not measured (nil) never fires, a budget of 0 or less
// switches its metric off, and a visit that failed (see pageFailed) gets no
// perf findings: its page.http-error is the finding, and its metrics describe
// an error page or a cut-short load.
func perfChecks() []*Check {
	return []*Check{
		{
			ID:       "perf.slow-load",
			Doc:      "a timing is over its budget (one finding per metric)",
			Severity: SeverityWarning,
			Subject:  "metric key (`load_ms`, `lcp_ms`, `fcp_ms`)",
			Run:      runSlowLoad,
		},
		{
			ID:       "perf.layout-shift",
			Doc:      "CLS (session windows: gap 1 s, cap 5 s, no shifts after input) over budget",
			Severity: SeverityWarning,
			Subject:  "`cls`",
			Run:      runLayoutShift,
		},
		{
			ID:       "perf.long-tasks",
			Doc:      "total blocking time (long-task time over 50 ms, after FCP) over budget",
			Severity: SeverityWarning,
			Subject:  "`tbt_ms`",
			Run:      runLongTasks,
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

func runSlowLoad(p *Pass) {
	b, ok := budgets(p)
	if !ok {
		return
	}
	m := p.Page.Metrics
	for _, t := range []struct {
		key, msg string // msg takes the value and the budget, in ms
		value    *float64
		budget   float64
	}{
		{"load_ms", "perf.slow-load/load", m.Loadms, b.LoadMs},
		{"lcp_ms", "perf.slow-load/lcp", m.LCPms, b.LCPMs},
		{"fcp_ms", "perf.slow-load/fcp", m.FCPms, b.FCPMs},
	} {
		if !over(t.value, t.budget) {
			continue
		}
		p.Report("", t.key, M(t.msg, formatMs(*t.value), formatMs(t.budget)),
			map[string]any{"value": *t.value, "budget": t.budget})
	}
}

func runLayoutShift(p *Pass) {
	b, ok := budgets(p)
	if !ok || !over(p.Page.Metrics.CLS, b.CLS) {
		return
	}
	v := *p.Page.Metrics.CLS
	p.Report("", "cls", M("perf.layout-shift", formatCLS(v), formatCLS(b.CLS)),
		map[string]any{"value": v, "budget": b.CLS})
}

func runLongTasks(p *Pass) {
	b, ok := budgets(p)
	if !ok || !over(p.Page.Metrics.TBTms, b.TBTMs) {
		return
	}
	v := *p.Page.Metrics.TBTms
	p.Report("", "tbt_ms", M("perf.long-tasks", formatMs(v), formatMs(b.TBTMs)),
		map[string]any{"value": v, "budget": b.TBTMs})
}

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
