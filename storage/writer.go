package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/storecheck/storecheck/checks"
)

// Writer is the one goroutine that writes a run. Its methods may be called
// from any number of goroutines; each call is queued, committed in its own
// transaction, and returns that commit's error. While the run is open the
// Writer stamps runs.heartbeat_at every DB.HeartbeatEvery.
type Writer struct {
	db    *DB
	runID int64
	ops   chan op
	quit  chan struct{}
	done  chan struct{}
	once  sync.Once
}

type op struct {
	ctx  context.Context
	fn   func(context.Context, *sql.Tx) error
	last bool // Finish: stop after this op
	errc chan error
}

// Writer starts the writer goroutine of run runID; use one Writer per run.
// Stop it with Finish once every AddPage has returned (or with DB.Close, which
// leaves the run running until it reads as interrupted).
func (db *DB) Writer(runID int64) *Writer {
	w := &Writer{
		db:    db,
		runID: runID,
		ops:   make(chan op),
		quit:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	db.mu.Lock()
	db.writers[w] = struct{}{}
	db.mu.Unlock()
	go w.loop()
	return w
}

func (w *Writer) loop() {
	defer func() {
		w.db.mu.Lock()
		delete(w.db.writers, w)
		w.db.mu.Unlock()
		close(w.done)
	}()
	every := w.db.HeartbeatEvery
	if every <= 0 {
		every = DefaultHeartbeatEvery
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case o := <-w.ops:
			o.errc <- w.db.inTx(o.ctx, o.fn)
			if o.last {
				return
			}
		case <-tick.C:
			w.heartbeat()
		case <-w.quit:
			return
		}
	}
}

// heartbeat stamps the run. A missed beat is logged, not fatal: at worst a
// reader briefly sees the run as interrupted.
func (w *Writer) heartbeat() {
	ctx, cancel := context.WithTimeout(context.Background(), busyTimeout)
	defer cancel()
	_, err := w.db.sql.ExecContext(ctx, "UPDATE runs SET heartbeat_at = ? WHERE id = ?",
		formatTime(w.db.now()), w.runID)
	if err != nil {
		w.db.log().Warn("run heartbeat", "run", w.runID, "err", err)
	}
}

// stop ends the goroutine without touching the run.
func (w *Writer) stop() {
	w.once.Do(func() { close(w.quit) })
	<-w.done
}

// do queues fn and waits for its commit. ctx bounds the wait for the queue
// and the transaction; a transaction whose ctx ends is rolled back whole.
func (w *Writer) do(ctx context.Context, last bool, fn func(context.Context, *sql.Tx) error) error {
	o := op{ctx: ctx, fn: fn, last: last, errc: make(chan error, 1)}
	select {
	case w.ops <- o:
	case <-ctx.Done():
		return ctx.Err()
	case <-w.done:
		return ErrWriterClosed
	}
	return <-o.errc
}

// AddPage commits a visit with its requests, screenshot and findings in one
// transaction, visible to other readers when AddPage returns nil. A second
// visit of the same URL and viewport replaces the first. On SIGINT the caller
// should pass a context that outlives the signal so finished pages are kept.
func (w *Writer) AddPage(ctx context.Context, rec PageRecord) error {
	p := rec.Page
	if p == nil {
		return fmt.Errorf("add page: nil page")
	}
	// Encode outside the writer goroutine: callers are concurrent workers.
	fs := encodeFindings(w.db.log(), rec.Findings)
	var ocrJSON sql.NullString
	if rec.OCR != nil {
		b, err := json.Marshal(rec.OCR)
		if err != nil {
			return fmt.Errorf("add page %s (%s): ocr counts: %w", p.URL, p.Viewport.Name, err)
		}
		ocrJSON = sql.NullString{String: string(b), Valid: true}
	}
	m := p.Metrics
	// Only a finding about a region of the page makes the full-page
	// screenshot worth its bytes.
	keepFull := len(p.FullScreenshot) > 0 && checks.Outlines(rec.Findings)
	var shotHash, fullHash string // hashed here, outside the one writer goroutine
	if len(p.Screenshot) > 0 {
		shotHash = blobHash(p.Screenshot)
	}
	if keepFull {
		fullHash = blobHash(p.FullScreenshot)
	}
	err := w.do(ctx, false, func(ctx context.Context, tx *sql.Tx) error {
		old, err := pageBlobs(ctx, tx, w.runID, p.URL, p.Viewport.Name)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM pages WHERE run_id = ? AND url = ? AND viewport = ?",
			w.runID, p.URL, p.Viewport.Name)
		if err != nil {
			return err
		}
		replaced, err := res.RowsAffected()
		if err != nil {
			return err
		}
		var pageID int64
		err = tx.QueryRowContext(ctx, `INSERT INTO pages
			(run_id, url, final_url, viewport, kind, status, error, title, depth, timed_out,
			 ttfb_ms, fcp_ms, lcp_ms, dom_content_loaded_ms, load_ms, cls, tbt_ms, requests, transfer_bytes, ocr)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			w.runID, p.URL, p.FinalURL, p.Viewport.Name, string(p.Kind), p.Status, p.Error, p.Title,
			p.Depth, p.TimedOut, m.TTFBms, m.FCPms, m.LCPms, m.DOMContentLoadedms, m.Loadms, m.CLS, m.TBTms,
			m.Requests, m.TransferBytes, ocrJSON).Scan(&pageID)
		if err != nil {
			return err
		}
		if len(p.Requests) > 0 {
			st, err := tx.PrepareContext(ctx,
				"INSERT INTO resources (page_id, url, type, status, bytes, failure) VALUES (?, ?, ?, ?, ?, ?)")
			if err != nil {
				return err
			}
			defer st.Close()
			for _, r := range p.Requests {
				if _, err := st.ExecContext(ctx, pageID, r.URL, r.Type, r.Status, r.Bytes, r.Failure); err != nil {
					return err
				}
			}
		}
		if pr := rec.Price; pr != nil {
			var orig sql.NullFloat64
			if pr.Original > 0 {
				orig = sql.NullFloat64{Float64: pr.Original, Valid: true}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO prices (page_id, current, original, current_text, original_text)
				VALUES (?, ?, ?, ?, ?)`, pageID, pr.Current, orig, pr.CurrentText, pr.OriginalText); err != nil {
				return err
			}
		}
		if keepFull {
			if err := w.db.putBlob(ctx, tx, fullHash, p.FullScreenshot); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO full_screenshots (page_id, blob_hash, height) VALUES (?, ?, ?)",
				pageID, fullHash, p.FullScreenshotHeight); err != nil {
				return err
			}
		}
		if shotHash != "" {
			if err := w.db.putBlob(ctx, tx, shotHash, p.Screenshot); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO screenshots (page_id, blob_hash) VALUES (?, ?)",
				pageID, shotHash); err != nil {
				return err
			}
		}
		if err := w.db.insertFindings(ctx, tx, w.runID, sql.NullInt64{Int64: pageID, Valid: true}, fs); err != nil {
			return err
		}
		if replaced > 0 {
			if err := w.db.deleteBlobsIfUnreferenced(ctx, tx, old); err != nil {
				return err
			}
			return w.recount(ctx, tx)
		}
		return w.addCounts(ctx, tx, 1, fs)
	})
	if err != nil {
		return fmt.Errorf("add page %s (%s): %w", p.URL, p.Viewport.Name, err)
	}
	return nil
}

// AddSiteFindings commits findings of the site checks in one transaction.
// Each attaches to the run's page row with the same URL and viewport, when
// there is one.
func (w *Writer) AddSiteFindings(ctx context.Context, findings []checks.Finding) error {
	fs := encodeFindings(w.db.log(), findings)
	err := w.do(ctx, false, func(ctx context.Context, tx *sql.Tx) error {
		if err := w.db.insertFindings(ctx, tx, w.runID, sql.NullInt64{}, fs); err != nil {
			return err
		}
		return w.addCounts(ctx, tx, 0, fs)
	})
	if err != nil {
		return fmt.Errorf("add site findings: %w", err)
	}
	return nil
}

// Finish records the run's end: status (complete, interrupted or failed),
// finishedAt and counts recomputed from the stored rows. The Writer is closed
// afterwards, whatever the error.
func (w *Writer) Finish(ctx context.Context, status Status, finishedAt time.Time) error {
	switch status {
	case StatusComplete, StatusInterrupted, StatusFailed:
	default:
		return fmt.Errorf("finish run %d: status %q is not an end state", w.runID, status)
	}
	err := w.do(ctx, true, func(ctx context.Context, tx *sql.Tx) error {
		if err := w.recount(ctx, tx); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "UPDATE runs SET status = ?, finished_at = ?, heartbeat_at = ? WHERE id = ?",
			status, formatTime(finishedAt), formatTime(w.db.now()), w.runID)
		return err
	})
	if err == nil {
		return nil
	}
	// do failed before the op was taken (ctx done): stop the goroutine anyway.
	w.stop()
	return fmt.Errorf("finish run %d: %w", w.runID, err)
}

// RunID returns the id of the run the Writer writes.
func (w *Writer) RunID() int64 { return w.runID }

type encodedFinding struct {
	f        checks.Finding
	evidence string
	hashes   []string // blobHash of each of f.Images
}

// encodeFindings encodes each finding's evidence and hashes its pictures.
// Evidence that JSON cannot
// hold (NaN, a channel) is replaced by {"unencodable": "<error>"} and logged:
// one bad number must not cost the page its row and its other findings.
func encodeFindings(log *slog.Logger, fs []checks.Finding) []encodedFinding {
	out := make([]encodedFinding, len(fs))
	for i, f := range fs {
		ev := "{}"
		if len(f.Evidence) > 0 {
			b, err := json.Marshal(f.Evidence)
			if err != nil {
				log.Warn("finding evidence not stored", "rule", f.Rule, "url", f.URL, "viewport", f.Viewport, "err", err)
				b, _ = json.Marshal(map[string]string{"unencodable": err.Error()})
			}
			ev = string(b)
		}
		out[i] = encodedFinding{f: f, evidence: ev}
		for _, im := range f.Images {
			out[i].hashes = append(out[i].hashes, blobHash(im.Data))
		}
	}
	return out
}

// insertFindings inserts fs with their pictures. With pageID NULL each
// finding looks up the page row of its URL and viewport.
func (db *DB) insertFindings(ctx context.Context, tx *sql.Tx, runID int64, pageID sql.NullInt64, fs []encodedFinding) error {
	if len(fs) == 0 {
		return nil
	}
	st, err := tx.PrepareContext(ctx, `INSERT INTO findings
		(run_id, page_id, rule, severity, url, viewport, subject, message, evidence, fingerprint,
		 message_key, message_args)
		VALUES (?1, coalesce(?2, (SELECT id FROM pages WHERE run_id = ?1 AND url = ?5 AND viewport = ?6)),
		        ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id`)
	if err != nil {
		return err
	}
	defer st.Close()
	var img *sql.Stmt // prepared on the first finding with pictures
	for _, e := range fs {
		f := e.f
		var id int64
		if err := st.QueryRowContext(ctx, runID, pageID, f.Rule, string(f.Severity), f.URL, f.Viewport,
			f.Subject, f.Message, e.evidence, f.Fingerprint, f.Msg.Key, msgArgs(f.Msg)).Scan(&id); err != nil {
			return err
		}
		if len(f.Images) == 0 {
			continue
		}
		if img == nil {
			if img, err = tx.PrepareContext(ctx, `INSERT INTO evidence_images
				(finding_id, seq, role, mime, width, height, blob_hash, region_x, region_y, region_w, region_h)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
				return err
			}
			defer img.Close()
		}
		for seq, im := range f.Images {
			if err := db.putBlob(ctx, tx, e.hashes[seq], im.Data); err != nil {
				return fmt.Errorf("picture %d of %s on %s: %w", seq, f.Rule, f.URL, err)
			}
			if _, err := img.ExecContext(ctx, id, seq, im.Role, im.MIME, im.W, im.H, e.hashes[seq],
				im.Region.Min.X, im.Region.Min.Y, im.Region.Dx(), im.Region.Dy()); err != nil {
				return fmt.Errorf("picture %d of %s on %s: %w", seq, f.Rule, f.URL, err)
			}
		}
	}
	return nil
}

// addCounts adds pages and fs to the run's counters and stamps the heartbeat,
// so a run that is never finished still lists its true totals.
func (w *Writer) addCounts(ctx context.Context, tx *sql.Tx, pages int, fs []encodedFinding) error {
	var c Counts
	for _, e := range fs {
		c.add(e.f.Severity, 1)
	}
	_, err := tx.ExecContext(ctx, `UPDATE runs SET pages = pages + ?, errors = errors + ?,
		warnings = warnings + ?, infos = infos + ?, heartbeat_at = ? WHERE id = ?`,
		pages, c.Error, c.Warning, c.Info, formatTime(w.db.now()), w.runID)
	return err
}

// recount sets the run's counters from its rows.
func (w *Writer) recount(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE runs SET
		pages    = (SELECT count(*) FROM pages WHERE run_id = ?1),
		errors   = (SELECT count(*) FROM findings WHERE run_id = ?1 AND severity = 'error'),
		warnings = (SELECT count(*) FROM findings WHERE run_id = ?1 AND severity = 'warning'),
		infos    = (SELECT count(*) FROM findings WHERE run_id = ?1 AND severity = 'info'),
		heartbeat_at = ?2
		WHERE id = ?1`, w.runID, formatTime(w.db.now()))
	return err
}

func (c *Counts) add(s checks.Severity, n int) {
	switch s {
	case checks.SeverityError:
		c.Error += n
	case checks.SeverityWarning:
		c.Warning += n
	case checks.SeverityInfo:
		c.Info += n
	}
}

// msgArgs is m's arguments as stored; "" for a finding without a key.
func msgArgs(m checks.Msg) string {
	if m.Key == "" {
		return ""
	}
	return m.ArgsJSON()
}

// pageBlobs returns the hashes of the pictures stored under the page row of
// run runID, url and viewport (its screenshots and its findings' pictures),
// none when there is no such row.
func pageBlobs(ctx context.Context, tx *sql.Tx, runID int64, url, viewport string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `WITH p AS (SELECT id FROM pages WHERE run_id = ? AND url = ? AND viewport = ?)
		SELECT blob_hash FROM screenshots WHERE page_id IN (SELECT id FROM p)
		UNION SELECT blob_hash FROM full_screenshots WHERE page_id IN (SELECT id FROM p)
		UNION SELECT e.blob_hash FROM evidence_images e JOIN findings f ON f.id = e.finding_id WHERE f.page_id IN (SELECT id FROM p)`,
		runID, url, viewport)
	if err != nil {
		return nil, fmt.Errorf("pictures of the visit replaced: %w", err)
	}
	defer rows.Close()
	var hs []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, fmt.Errorf("pictures of the visit replaced: %w", err)
		}
		hs = append(hs, h)
	}
	return hs, rows.Err()
}
