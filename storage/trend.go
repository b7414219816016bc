package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/storecheck/storecheck/checks"
)

// TrendRun is what the dashboard's trend page draws of one run: its
// visits' metrics and prices, and its findings counted by rule.
type TrendRun struct {
	Run   Run
	Pages []PageRow // URL, Title, Viewport, Kind, Metrics and Price only
	Rules map[string]int
}

// Trend returns the last n complete runs of target name, oldest first,
// with what a trend needs and nothing more: a trend over 30 runs of 500
// pages reads 15 000 visits, and the report's full page rows (OCR counts,
// errors) would triple that.
func (db *DB) Trend(ctx context.Context, name string, n int) ([]TrendRun, error) {
	runs, err := db.CompleteRuns(ctx, name)
	if err != nil {
		return nil, err
	}
	if len(runs) > n {
		runs = runs[len(runs)-n:]
	}
	if len(runs) == 0 {
		return nil, nil
	}
	out := make([]TrendRun, len(runs))
	at := make(map[int64]*TrendRun, len(runs))
	args := make([]any, len(runs))
	for i, r := range runs {
		out[i] = TrendRun{Run: r, Rules: map[string]int{}}
		at[r.ID] = &out[i]
		args[i] = r.ID
	}
	in := "(?" + strings.Repeat(", ?", len(args)-1) + ")"
	// One snapshot: a prune between the two reads must not leave counts
	// without their pages.
	tx, err := db.snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("trend of %s: %w", name, err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT run_id, url, title, viewport, kind, fcp_ms, lcp_ms, load_ms, cls, tbt_ms,
		ttfb_ms, pr.current, pr.original FROM pages LEFT JOIN prices pr ON pr.page_id = pages.id
		WHERE run_id IN `+in+` ORDER BY run_id, url, viewport`, args...)
	if err != nil {
		return nil, fmt.Errorf("trend of %s: %w", name, err)
	}
	for rows.Next() {
		var id int64
		var p PageRow
		m := &p.Metrics
		var cur, orig sql.NullFloat64
		if err := rows.Scan(&id, &p.URL, &p.Title, &p.Viewport, &p.Kind, &m.FCPms, &m.LCPms, &m.Loadms, &m.CLS, &m.TBTms,
			&m.TTFBms, &cur, &orig); err != nil {
			rows.Close()
			return nil, fmt.Errorf("trend of %s: %w", name, err)
		}
		if cur.Valid {
			p.Price = &checks.PagePrice{Current: cur.Float64, Original: orig.Float64}
		}
		at[id].Pages = append(at[id].Pages, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("trend of %s: %w", name, err)
	}
	rows, err = tx.QueryContext(ctx, `SELECT run_id, rule, count(*) FROM findings WHERE run_id IN `+in+` GROUP BY run_id, rule`, args...)
	if err != nil {
		return nil, fmt.Errorf("trend of %s: %w", name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var rule string
		var c int
		if err := rows.Scan(&id, &rule, &c); err != nil {
			return nil, fmt.Errorf("trend of %s: %w", name, err)
		}
		at[id].Rules[rule] = c
	}
	return out, rows.Err()
}
