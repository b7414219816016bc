package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/crawler"
)

// Status is a run's state.
type Status string

const (
	StatusRunning     Status = "running"
	StatusComplete    Status = "complete"
	StatusInterrupted Status = "interrupted" // stopped by a signal, or its process vanished
	StatusFailed      Status = "failed"
)

// RunInfo is what is known of a run when it starts.
type RunInfo struct {
	Name        string    // target name
	StartedAt   time.Time // wall clock; zero means DB.Now()
	Now         time.Time // the sweep's pinned clock (--now); zero means StartedAt
	StartURLs   []string
	ConfigJSON  []byte // the effective configuration, JSON; nil stores {}
	Concurrency int
	CPUs        int
	Browser     string // browser version; may be set later with SetBrowser
	// Host is how busy and how fast the machine was as the sweep started.
	Host Host
}

// Host describes the machine a sweep ran on, measured as it started. A
// figure that could not be measured is nil (NULL), as in runs stored
// before hosts were.
type Host struct {
	// BenchmarkIndex is the browser's score on a short fixed CPU benchmark,
	// Lighthouse-style (higher is faster; see rodrender.BenchmarkIndex).
	BenchmarkIndex *float64
	// LoadAvg is the 1-minute load average (/proc/loadavg).
	LoadAvg *float64
}

// Counts are findings by severity.
type Counts struct {
	Error, Warning, Info int
}

// Run is one stored sweep.
type Run struct {
	ID     int64
	Name   string
	Status Status // "interrupted" also for a running run whose heartbeat is stale
	// StartedAt and FinishedAt are wall-clock times; FinishedAt is zero while
	// running, and the last heartbeat for a run that vanished.
	StartedAt   time.Time
	FinishedAt  time.Time
	HeartbeatAt time.Time
	Now         time.Time // the sweep's pinned clock
	StartURLs   []string
	ConfigJSON  json.RawMessage
	Concurrency int
	CPUs        int
	Browser     string
	Host        Host
	Pages       int // page rows: one per URL × viewport visit
	Findings    Counts
}

// CreateRun stores a new run in status running and returns its id.
func (db *DB) CreateRun(ctx context.Context, ri RunInfo) (int64, error) {
	if ri.StartedAt.IsZero() {
		ri.StartedAt = db.now()
	}
	if ri.Now.IsZero() {
		ri.Now = ri.StartedAt
	}
	urls := ri.StartURLs
	if urls == nil {
		urls = []string{}
	}
	urlsJSON, err := json.Marshal(urls)
	if err != nil {
		return 0, err
	}
	cfg := ri.ConfigJSON
	if len(cfg) == 0 {
		cfg = []byte("{}")
	}
	if !json.Valid(cfg) {
		return 0, fmt.Errorf("create run: config is not valid JSON")
	}
	var id int64
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		// RETURNING rather than LastInsertId, which PostgreSQL lacks.
		return tx.QueryRowContext(ctx, `INSERT INTO runs
			(name, status, started_at, heartbeat_at, now, start_urls, config, concurrency, cpus, browser,
			 benchmark_index, load_avg)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			ri.Name, StatusRunning, formatTime(ri.StartedAt), formatTime(db.now()), formatTime(ri.Now),
			string(urlsJSON), string(cfg), ri.Concurrency, ri.CPUs, ri.Browser,
			ri.Host.BenchmarkIndex, ri.Host.LoadAvg).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("create run: %w", err)
	}
	return id, nil
}

// SetBrowser records the browser version of run id, known only once the
// browser has started.
func (db *DB) SetBrowser(ctx context.Context, id int64, version string) error {
	return db.updateRun(ctx, id, "UPDATE runs SET browser = ? WHERE id = ?", version, id)
}

// MarkInterrupted persists what reading already shows: run id, if still
// running, becomes interrupted, finished at its last heartbeat. Use it for a
// run whose process is known to be gone; a run that is not running is left
// as it is.
func (db *DB) MarkInterrupted(ctx context.Context, id int64) error {
	var n int
	if err := db.sql.QueryRowContext(ctx, "SELECT count(*) FROM runs WHERE id = ?", id).Scan(&n); err != nil {
		return fmt.Errorf("mark run %d interrupted: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("run %d: %w", id, ErrRunNotFound)
	}
	_, err := db.sql.ExecContext(ctx, `UPDATE runs SET status = ?, finished_at = heartbeat_at
		WHERE id = ? AND status = ?`, StatusInterrupted, id, StatusRunning)
	if err != nil {
		return fmt.Errorf("mark run %d interrupted: %w", id, err)
	}
	return nil
}

func (db *DB) updateRun(ctx context.Context, id int64, query string, args ...any) error {
	res, err := db.sql.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("update run %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("run %d: %w", id, ErrRunNotFound)
	}
	return nil
}

// PageRecord is one finished visit and what the page checks found on it.
type PageRecord struct {
	Page     *crawler.Page
	Findings []checks.Finding
	// Price is the product's price as the page showed it; nil for pages
	// that are not product pages or show no current price.
	Price *checks.PagePrice
	// OCR is what the sweep's picture-reading step did on the visit; nil
	// when it did not run (ocr.enabled false, no tesseract).
	OCR *OCRCounts
}

// OCRCounts are what the sweep's picture-reading step did on one visit,
// in pictures: read by the engine, taken from the cache, and skipped as
// too small (under ocr.min_px), too large (over images.max_megapixels) or
// past ocr.max_per_page, or failed (undecodable, timed out, engine
// crashed). Pictures that are not candidates at all (hidden, SVG, no
// bytes, a second copy of a picture already read) are not counted.
type OCRCounts struct {
	Read         int `json:"read"`
	Cached       int `json:"cached"`
	SkippedSmall int `json:"skipped_small"`
	SkippedLarge int `json:"skipped_large"`
	SkippedLimit int `json:"skipped_limit"`
	Failed       int `json:"failed"`
}

// PageRow is a stored visit: one URL in one viewport.
type PageRow struct {
	ID       int64
	URL      string // normalised requested URL
	FinalURL string
	Viewport string
	Kind     crawler.Kind
	Status   int
	Error    string
	Title    string
	Depth    int
	TimedOut bool
	Metrics  crawler.Metrics   // nil pointers: not measured
	Price    *checks.PagePrice // nil: no price stored for the visit
	OCR      *OCRCounts        // nil: pictures were not read on the visit
}

// Resource is one request a page made, as stored.
type Resource struct {
	URL     string
	Type    string
	Status  int
	Bytes   int64
	Failure string
}

// RunData is a run with its pages and findings, both sorted: pages by url,
// viewport; findings by url, viewport, rule, subject, fingerprint.
type RunData struct {
	Run      Run
	Pages    []PageRow
	Findings []checks.Finding
}
