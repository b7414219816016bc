package storage

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// CompleteRuns returns the complete runs of the target name, oldest first.
func (db *DB) CompleteRuns(ctx context.Context, name string) ([]Run, error) {
	return db.completeRuns(ctx, db.sql, name)
}

// completeRuns reads only the target's complete runs: the dashboard asks
// for them on most pages, and a store of several targets' years of runs
// holds many more.
func (db *DB) completeRuns(ctx context.Context, q querier, name string) ([]Run, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+runColumns+" FROM runs WHERE name = ? AND status = ? ORDER BY id",
		name, string(StatusComplete))
	if err != nil {
		return nil, fmt.Errorf("complete runs of %s: %w", name, err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		r, err := db.scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("complete runs of %s: %w", name, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("complete runs of %s: %w", name, err)
	}
	return out, nil
}

// SeenBefore returns which of fingerprints a complete run of the target
// older than run before had: a finding that comes back after it was fixed
// is "reopened".
//
// Each fingerprint is asked whether any such run had it (EXISTS), not for
// every run that had it: a finding present in each of 1 000 daily runs is
// then one index probe, not 1 000 rows to join and de-duplicate (a run's
// 205 findings after 1 000 runs: 267 ms in the sqlite3 shell, 0.2 ms so).
func (db *DB) SeenBefore(ctx context.Context, name string, before int64, fingerprints []string) (map[string]bool, error) {
	seen := map[string]bool{}
	for i := 0; i < len(fingerprints); i += chunk {
		part := fingerprints[i:min(i+chunk, len(fingerprints))]
		args := make([]any, 0, len(part)+3)
		for _, f := range part {
			args = append(args, f)
		}
		args = append(args, before, name, string(StatusComplete))
		q := `WITH fps (fp) AS (VALUES (?)` + strings.Repeat(", (?)", len(part)-1) + `)
			SELECT fp FROM fps WHERE EXISTS (SELECT 1 FROM findings f JOIN runs r ON r.id = f.run_id
				WHERE f.fingerprint = fps.fp AND f.run_id < ? AND r.name = ? AND r.status = ?)`
		rows, err := db.sql.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("findings seen before run %d: %w", before, err)
		}
		for rows.Next() {
			var fp string
			if err = rows.Scan(&fp); err != nil {
				break
			}
			seen[fp] = true
		}
		if err == nil {
			err = rows.Err()
		}
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("findings seen before run %d: %w", before, err)
		}
	}
	return seen, nil
}

// LowestPrices returns, per product page URL, the lowest current price that
// complete runs of the target showed whose clock (--now) fell in
// [from, to): the reference price history price.reference-suspect judges
// original prices against.
func (db *DB) LowestPrices(ctx context.Context, name string, from, to time.Time) (map[string]float64, error) {
	runs, err := db.CompleteRuns(ctx, name)
	if err != nil {
		return nil, err
	}
	var ids []any
	for _, r := range runs {
		if !r.Now.Before(from) && r.Now.Before(to) {
			ids = append(ids, r.ID)
		}
	}
	out := map[string]float64{}
	if len(ids) == 0 {
		return out, nil
	}
	q := `SELECT p.url, MIN(pr.current) FROM pages p JOIN prices pr ON pr.page_id = p.id
		WHERE p.run_id IN (?` + strings.Repeat(", ?", len(ids)-1) + `) GROUP BY p.url`
	rows, err := db.sql.QueryContext(ctx, q, ids...)
	if err != nil {
		return nil, fmt.Errorf("price history of %s: %w", name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var url string
		var low float64
		if err := rows.Scan(&url, &low); err != nil {
			return nil, err
		}
		out[url] = low
	}
	return out, rows.Err()
}
