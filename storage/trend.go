package storage

import (
	"context"
	"fmt"
	"strings"
)

// TrendRun is what the dashboard's trend page draws of one run: its
// visits' metrics and prices, and its findings counted by rule.
type TrendRun struct {
	Run   Run
	Pages []PageRow // as TrendPages reads them
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
	ids := make([]int64, len(runs))
	args := make([]any, len(runs))
	for i, r := range runs {
		out[i] = TrendRun{Run: r, Rules: map[string]int{}}
		at[r.ID] = &out[i]
		ids[i], args[i] = r.ID, r.ID
	}
	// One snapshot: a prune between the two reads must not leave counts
	// without their pages.
	tx, err := db.snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("trend of %s: %w", name, err)
	}
	defer tx.Rollback()
	pages, err := trendPages(ctx, tx, ids)
	if err != nil {
		return nil, fmt.Errorf("trend of %s: %w", name, err)
	}
	for id, ps := range pages {
		at[id].Pages = ps
	}
	rows, err := tx.QueryContext(ctx, `SELECT run_id, rule, count(*) FROM findings WHERE run_id IN (?`+
		strings.Repeat(", ?", len(args)-1)+`) GROUP BY run_id, rule`, args...)
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
