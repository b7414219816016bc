package storage

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// CompleteRuns returns the complete runs of the target name, oldest first.
func (db *DB) CompleteRuns(ctx context.Context, name string) ([]Run, error) {
	runs, err := db.Runs(ctx)
	if err != nil {
		return nil, err
	}
	var out []Run
	for _, r := range runs {
		if r.Name == name && r.Status == StatusComplete {
			out = append(out, r)
		}
	}
	return out, nil
}

// SeenBefore returns which of fingerprints a complete run of the target
// older than run before had: a finding that comes back after it was fixed
// is "reopened".
func (db *DB) SeenBefore(ctx context.Context, name string, before int64, fingerprints []string) (map[string]bool, error) {
	seen := map[string]bool{}
	const chunk = 500 // SQLite's bound-parameter limit is far above; keeps statements small
	for i := 0; i < len(fingerprints); i += chunk {
		part := fingerprints[i:min(i+chunk, len(fingerprints))]
		args := []any{name, before, string(StatusComplete)}
		for _, f := range part {
			args = append(args, f)
		}
		q := `SELECT DISTINCT f.fingerprint FROM findings f JOIN runs r ON r.id = f.run_id
			WHERE r.name = ? AND r.id < ? AND r.status = ? AND f.fingerprint IN (?` +
			strings.Repeat(", ?", len(part)-1) + `)`
		rows, err := db.sql.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("findings seen before run %d: %w", before, err)
		}
		for rows.Next() {
			var fp string
			if err := rows.Scan(&fp); err != nil {
				rows.Close()
				return nil, err
			}
			seen[fp] = true
		}
		if err := rows.Close(); err != nil {
			return nil, err
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
