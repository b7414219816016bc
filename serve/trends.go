package serve

import (
	"net/http"
	"strconv"

	"github.com/storecheck/storecheck/report"
)

// Trend windows: the default shows a quarter of daily sweeps; the bound
// keeps one request from reading a year of 500-page runs.
const (
	trendDefault = 30
	trendMax     = 200
)

// trends draws a target's last runs (?runs=N): the key metrics' p75 per
// viewport against the budgets, findings by severity and by inspection
// area, and the products whose price moved.
func (s *Server) trends(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("target")
	n := trendDefault
	if v := r.URL.Query().Get("runs"); v != "" {
		k, err := strconv.Atoi(v)
		if err != nil || k < 1 {
			http.Error(w, "runs: want a number of runs", http.StatusBadRequest)
			return
		}
		n = min(k, trendMax)
	}
	var err error
	if name == "" {
		if name, err = s.newestTarget(r.Context()); err != nil {
			s.fail(w, err)
			return
		}
	}
	runs, err := s.opts.Store.Trend(r.Context(), name, n)
	if err != nil {
		s.fail(w, err)
		return
	}
	s.render(w, http.StatusOK, "trends", s.withSession(r, map[string]any{
		"Target": name, "Runs": len(runs), "Window": n, "Trends": report.BuildTrends(runs, s.opts.Lang),
	}))
}
