package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"strconv"
	"strings"

	"github.com/storecheck/storecheck/checks"
)

// querier is what reads need of *sql.DB and *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

const runColumns = `id, name, status, started_at, finished_at, heartbeat_at, now, start_urls, config,
	concurrency, cpus, browser, pages, errors, warnings, infos, benchmark_index, load_avg`

// snapshot begins a read-only transaction that sees one state of the
// database for all its queries. SQLite's read transaction (a plain
// deferred BEGIN) is one and never blocks a writer; PostgreSQL's default,
// read committed, takes a snapshot per statement, and a run read while a
// sweep writes would count pages the run's totals do not have yet
// (TestConcurrentWriters): it needs repeatable read.
func (db *DB) snapshot(ctx context.Context) (*sql.Tx, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	return db.sql.BeginTx(ctx, opts)
}

// Runs returns every run, oldest first.
func (db *DB) Runs(ctx context.Context) ([]Run, error) {
	rows, err := db.sql.QueryContext(ctx, "SELECT "+runColumns+" FROM runs ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	defer rows.Close()
	runs := []Run{}
	for rows.Next() {
		r, err := db.scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("list runs: %w", err)
		}
		runs = append(runs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return runs, nil
}

// LoadRun returns run ref (an id, or "latest" for the highest id) with its
// pages and findings, read from one snapshot of the database. A ref that names
// no run, or is neither an id nor "latest", yields ErrRunNotFound.
func (db *DB) LoadRun(ctx context.Context, ref string) (*RunData, error) {
	tx, err := db.snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("load run %s: %w", ref, err)
	}
	defer tx.Rollback()

	var id int64
	if ref == "latest" {
		var max sql.NullInt64
		if err := tx.QueryRowContext(ctx, "SELECT max(id) FROM runs").Scan(&max); err != nil {
			return nil, fmt.Errorf("load run %s: %w", ref, err)
		}
		if !max.Valid {
			return nil, fmt.Errorf("run latest: no runs stored: %w", ErrRunNotFound)
		}
		id = max.Int64
	} else if id, err = strconv.ParseInt(ref, 10, 64); err != nil || id <= 0 {
		return nil, fmt.Errorf("run %q: want an id or \"latest\": %w", ref, ErrRunNotFound)
	}

	run, err := db.scanRun(tx.QueryRowContext(ctx, "SELECT "+runColumns+" FROM runs WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("run %d: %w", id, ErrRunNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load run %d: %w", id, err)
	}
	d := &RunData{Run: run}
	if d.Pages, err = loadPages(ctx, tx, id); err != nil {
		return nil, fmt.Errorf("load run %d pages: %w", id, err)
	}
	if d.Findings, err = loadFindings(ctx, tx, id); err != nil {
		return nil, fmt.Errorf("load run %d findings: %w", id, err)
	}
	return d, nil
}

func loadPages(ctx context.Context, q querier, runID int64) ([]PageRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, url, final_url, viewport, kind, status, error, title, depth,
		timed_out, ttfb_ms, fcp_ms, lcp_ms, dom_content_loaded_ms, load_ms, cls, tbt_ms, requests, transfer_bytes,
		pr.current, pr.original, pr.current_text, pr.original_text, ocr
		FROM pages LEFT JOIN prices pr ON pr.page_id = pages.id
		WHERE run_id = ? ORDER BY url, viewport`, runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	pages := []PageRow{}
	for rows.Next() {
		var p PageRow
		m := &p.Metrics
		var cur, orig sql.NullFloat64
		var curText, origText, ocrJSON sql.NullString
		if err := rows.Scan(&p.ID, &p.URL, &p.FinalURL, &p.Viewport, &p.Kind, &p.Status, &p.Error, &p.Title,
			&p.Depth, &p.TimedOut, &m.TTFBms, &m.FCPms, &m.LCPms, &m.DOMContentLoadedms, &m.Loadms, &m.CLS,
			&m.TBTms, &m.Requests, &m.TransferBytes, &cur, &orig, &curText, &origText, &ocrJSON); err != nil {
			return nil, err
		}
		if ocrJSON.Valid {
			p.OCR = &OCRCounts{}
			if err := json.Unmarshal([]byte(ocrJSON.String), p.OCR); err != nil {
				return nil, fmt.Errorf("ocr counts of %s (%s): %w", p.URL, p.Viewport, err)
			}
		}
		if cur.Valid {
			p.Price = &checks.PagePrice{Current: cur.Float64, Original: orig.Float64,
				CurrentText: curText.String, OriginalText: origText.String}
		}
		pages = append(pages, p)
	}
	return pages, rows.Err()
}

func loadFindings(ctx context.Context, q querier, runID int64) ([]checks.Finding, error) {
	rows, err := q.QueryContext(ctx, `SELECT rule, severity, url, viewport, subject, message, evidence, fingerprint,
		message_key, message_args FROM findings WHERE run_id = ? ORDER BY url, viewport, rule, subject, fingerprint, id`, runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	fs := []checks.Finding{}
	for rows.Next() {
		var f checks.Finding
		var ev []byte
		var key, args string
		if err := rows.Scan(&f.Rule, &f.Severity, &f.URL, &f.Viewport, &f.Subject, &f.Message, &ev,
			&f.Fingerprint, &key, &args); err != nil {
			return nil, err
		}
		if f.Msg, err = checks.ParseMsg(key, args); err != nil {
			return nil, fmt.Errorf("finding %s on %s: %w", f.Rule, f.URL, err)
		}
		if err := json.Unmarshal(ev, &f.Evidence); err != nil {
			return nil, fmt.Errorf("evidence of %s on %s: %w", f.Rule, f.URL, err)
		}
		if f.Evidence == nil {
			f.Evidence = map[string]any{}
		}
		fs = append(fs, f)
	}
	return fs, rows.Err()
}

// EvidenceImages returns the pictures of run runID's findings, keyed by
// finding fingerprint, each finding's in the order it reported them;
// findings without pictures have no key. LoadRun leaves them out so that
// listing and diffing runs never read image bytes. Should two findings of
// the run share a fingerprint, the pictures of the first stored are kept.
func (db *DB) EvidenceImages(ctx context.Context, runID int64) (map[string][]checks.EvidenceImage, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT f.id, f.fingerprint, e.role, e.mime, e.width, e.height, b.data,
		e.region_x, e.region_y, e.region_w, e.region_h
		FROM evidence_images e JOIN findings f ON f.id = e.finding_id JOIN blobs b ON b.hash = e.blob_hash
		WHERE f.run_id = ? ORDER BY f.id, e.seq`, runID)
	if err != nil {
		return nil, fmt.Errorf("evidence images of run %d: %w", runID, err)
	}
	defer rows.Close()
	out := map[string][]checks.EvidenceImage{}
	owner := map[string]int64{} // fingerprint -> the finding whose pictures are kept
	for rows.Next() {
		var id int64
		var fp string
		var im checks.EvidenceImage
		var rx, ry, rw, rh int
		if err := rows.Scan(&id, &fp, &im.Role, &im.MIME, &im.W, &im.H, &im.Data, &rx, &ry, &rw, &rh); err != nil {
			return nil, fmt.Errorf("evidence images of run %d: %w", runID, err)
		}
		if rw > 0 && rh > 0 {
			im.Region = image.Rect(rx, ry, rx+rw, ry+rh)
		}
		if first, ok := owner[fp]; ok && first != id {
			continue
		}
		owner[fp] = id
		out[fp] = append(out[fp], im)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("evidence images of run %d: %w", runID, err)
	}
	return out, nil
}

// FullScreenshot returns the full-page JPEG of page row pageID and the CSS
// px height it covers; nil when none was kept (no finding with a box).
func (db *DB) FullScreenshot(ctx context.Context, pageID int64) ([]byte, int, error) {
	var b []byte
	var h int
	err := db.sql.QueryRowContext(ctx, `SELECT b.data, s.height FROM full_screenshots s
		JOIN blobs b ON b.hash = s.blob_hash WHERE s.page_id = ?`, pageID).Scan(&b, &h)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("full screenshot of page %d: %w", pageID, err)
	}
	return b, h, nil
}

// Screenshot returns the JPEG of page row pageID; nil when the visit has none.
func (db *DB) Screenshot(ctx context.Context, pageID int64) ([]byte, error) {
	var b []byte
	err := db.sql.QueryRowContext(ctx, `SELECT b.data FROM screenshots s
		JOIN blobs b ON b.hash = s.blob_hash WHERE s.page_id = ?`, pageID).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("screenshot of page %d: %w", pageID, err)
	}
	return b, nil
}

// ScreenshotPages returns the pages of run runID that have a screenshot.
func (db *DB) ScreenshotPages(ctx context.Context, runID int64) (map[int64]bool, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT s.page_id FROM screenshots s JOIN pages p ON p.id = s.page_id
		WHERE p.run_id = ?`, runID)
	if err != nil {
		return nil, fmt.Errorf("screenshots of run %d: %w", runID, err)
	}
	ids, err := scanIDs(rows)
	if err != nil {
		return nil, fmt.Errorf("screenshots of run %d: %w", runID, err)
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// Resources returns the requests of page row pageID in the order the page
// made them.
func (db *DB) Resources(ctx context.Context, pageID int64) ([]Resource, error) {
	rows, err := db.sql.QueryContext(ctx,
		"SELECT url, type, status, bytes, failure FROM resources WHERE page_id = ? ORDER BY rowid", pageID)
	if err != nil {
		return nil, fmt.Errorf("resources of page %d: %w", pageID, err)
	}
	defer rows.Close()
	rs := []Resource{}
	for rows.Next() {
		var r Resource
		if err := rows.Scan(&r.URL, &r.Type, &r.Status, &r.Bytes, &r.Failure); err != nil {
			return nil, fmt.Errorf("resources of page %d: %w", pageID, err)
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("resources of page %d: %w", pageID, err)
	}
	return rs, nil
}

// scanRun reads one row of runColumns and applies staleness: a running run
// whose heartbeat is older than db.StaleAfter reads as interrupted, finished
// at its last heartbeat.
func (db *DB) scanRun(row interface{ Scan(...any) error }) (Run, error) {
	var (
		r                                  Run
		started, heartbeat, now, urls, cfg string
		finished                           sql.NullString
		index, load                        sql.NullFloat64
	)
	err := row.Scan(&r.ID, &r.Name, &r.Status, &started, &finished, &heartbeat, &now, &urls, &cfg,
		&r.Concurrency, &r.CPUs, &r.Browser, &r.Pages, &r.Findings.Error, &r.Findings.Warning, &r.Findings.Info,
		&index, &load)
	if err != nil {
		return Run{}, err
	}
	if index.Valid {
		r.Host.BenchmarkIndex = &index.Float64
	}
	if load.Valid {
		r.Host.LoadAvg = &load.Float64
	}
	if r.StartedAt, err = parseTime(started); err != nil {
		return Run{}, fmt.Errorf("run %d started_at: %w", r.ID, err)
	}
	if r.HeartbeatAt, err = parseTime(heartbeat); err != nil {
		return Run{}, fmt.Errorf("run %d heartbeat_at: %w", r.ID, err)
	}
	if r.Now, err = parseTime(now); err != nil {
		return Run{}, fmt.Errorf("run %d now: %w", r.ID, err)
	}
	if finished.Valid {
		if r.FinishedAt, err = parseTime(finished.String); err != nil {
			return Run{}, fmt.Errorf("run %d finished_at: %w", r.ID, err)
		}
	}
	if err := json.Unmarshal([]byte(urls), &r.StartURLs); err != nil {
		return Run{}, fmt.Errorf("run %d start_urls: %w", r.ID, err)
	}
	if r.StartURLs == nil {
		r.StartURLs = []string{}
	}
	r.ConfigJSON = json.RawMessage(cfg)
	if r.Status == StatusRunning && db.now().Sub(r.HeartbeatAt) > db.StaleAfter {
		r.Status = StatusInterrupted
		r.FinishedAt = r.HeartbeatAt
	}
	return r, nil
}

// TrendPages returns the page rows of runs ids by run id, each run's
// sorted by url, viewport, with what a trend draws only: URL, Title,
// Viewport, Kind, Metrics and the current and original Price. One query
// for all the runs, without the OCR counts LoadRun decodes: the report's
// 20-run trend read 9 500 rows in 19 queries, a run at a time, before.
func (db *DB) TrendPages(ctx context.Context, ids []int64) (map[int64][]PageRow, error) {
	return trendPages(ctx, db.sql, ids)
}

func trendPages(ctx context.Context, q querier, ids []int64) (map[int64][]PageRow, error) {
	out := make(map[int64][]PageRow, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := q.QueryContext(ctx, `SELECT run_id, url, title, viewport, kind, ttfb_ms, fcp_ms, lcp_ms,
		dom_content_loaded_ms, load_ms, cls, tbt_ms, requests, transfer_bytes, pr.current, pr.original
		FROM pages LEFT JOIN prices pr ON pr.page_id = pages.id
		WHERE run_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY run_id, url, viewport`, args...)
	if err != nil {
		return nil, fmt.Errorf("pages of %d runs: %w", len(ids), err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var p PageRow
		m := &p.Metrics
		var cur, orig sql.NullFloat64
		if err := rows.Scan(&id, &p.URL, &p.Title, &p.Viewport, &p.Kind, &m.TTFBms, &m.FCPms, &m.LCPms, &m.DOMContentLoadedms,
			&m.Loadms, &m.CLS, &m.TBTms, &m.Requests, &m.TransferBytes, &cur, &orig); err != nil {
			return nil, fmt.Errorf("pages of %d runs: %w", len(ids), err)
		}
		if cur.Valid {
			p.Price = &checks.PagePrice{Current: cur.Float64, Original: orig.Float64}
		}
		out[id] = append(out[id], p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pages of %d runs: %w", len(ids), err)
	}
	return out, nil
}
