package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/storecheck/storecheck/checks"
)

// Visit is one stored visit of a URL in one run: what `history` lists.
type Visit struct {
	Run      Run
	Page     PageRow
	Findings Counts // of the visit (site findings about it included)
}

// History returns every stored visit of url (a normalised page URL), oldest
// run first, desktop before mobile.
func (db *DB) History(ctx context.Context, url string) ([]Visit, error) {
	runs, err := db.Runs(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[int64]Run{}
	for _, r := range runs {
		byID[r.ID] = r
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT p.id, p.run_id, p.url, p.final_url, p.viewport, p.kind, p.status,
		p.error, p.title, p.depth, p.timed_out, p.ttfb_ms, p.fcp_ms, p.lcp_ms, p.dom_content_loaded_ms, p.load_ms,
		p.cls, p.tbt_ms, p.requests, p.transfer_bytes, pr.current, pr.original, pr.current_text, pr.original_text,
		(SELECT COUNT(*) FROM findings f WHERE f.run_id = p.run_id AND f.url = p.url AND f.viewport = p.viewport AND f.severity = ?),
		(SELECT COUNT(*) FROM findings f WHERE f.run_id = p.run_id AND f.url = p.url AND f.viewport = p.viewport AND f.severity = ?),
		(SELECT COUNT(*) FROM findings f WHERE f.run_id = p.run_id AND f.url = p.url AND f.viewport = p.viewport AND f.severity = ?)
		FROM pages p LEFT JOIN prices pr ON pr.page_id = p.id
		WHERE p.url = ? ORDER BY p.run_id, p.viewport`,
		string(checks.SeverityError), string(checks.SeverityWarning), string(checks.SeverityInfo), url)
	if err != nil {
		return nil, fmt.Errorf("history of %s: %w", url, err)
	}
	defer rows.Close()
	var out []Visit
	for rows.Next() {
		var v Visit
		var runID int64
		p := &v.Page
		m := &p.Metrics
		var cur, orig sql.NullFloat64
		var curText, origText sql.NullString
		if err := rows.Scan(&p.ID, &runID, &p.URL, &p.FinalURL, &p.Viewport, &p.Kind, &p.Status, &p.Error, &p.Title,
			&p.Depth, &p.TimedOut, &m.TTFBms, &m.FCPms, &m.LCPms, &m.DOMContentLoadedms, &m.Loadms, &m.CLS,
			&m.TBTms, &m.Requests, &m.TransferBytes, &cur, &orig, &curText, &origText,
			&v.Findings.Error, &v.Findings.Warning, &v.Findings.Info); err != nil {
			return nil, err
		}
		if cur.Valid {
			p.Price = &checks.PagePrice{Current: cur.Float64, Original: orig.Float64,
				CurrentText: curText.String, OriginalText: origText.String}
		}
		v.Run = byID[runID]
		out = append(out, v)
	}
	return out, rows.Err()
}
