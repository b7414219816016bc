package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/storecheck/storecheck/ocr"
)

// OCRCache keeps what pictures read as, by the ocr.Reader's key, across
// runs (ocr.Cache). The sweep uses it; checks never do.
type OCRCache struct {
	db *DB
}

// OCRCache returns the database's OCR cache.
func (db *DB) OCRCache() *OCRCache { return &OCRCache{db: db} }

var _ ocr.Cache = (*OCRCache)(nil)

// Get returns the result stored under key; ok is false when none is.
func (c *OCRCache) Get(ctx context.Context, key string) (ocr.Result, bool, error) {
	var raw []byte
	err := c.db.sql.QueryRowContext(ctx, "SELECT result FROM ocr_cache WHERE key = ?", key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return ocr.Result{}, false, nil
	}
	if err != nil {
		return ocr.Result{}, false, fmt.Errorf("ocr cache get: %w", err)
	}
	var r ocr.Result
	if err := json.Unmarshal(raw, &r); err != nil {
		return ocr.Result{}, false, fmt.Errorf("ocr cache entry %s: %w", key, err)
	}
	return r, true, nil
}

// Put stores r under key, replacing what was there. It writes outside the
// run's Writer: the cache belongs to no run, and busy_timeout orders it
// with the Writer's transactions.
func (c *OCRCache) Put(ctx context.Context, key string, r ocr.Result) error {
	raw, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("ocr cache put: %w", err)
	}
	if _, err := c.db.sql.ExecContext(ctx, `INSERT INTO ocr_cache (key, result, created_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET result = excluded.result, created_at = excluded.created_at`,
		key, string(raw), formatTime(c.db.now())); err != nil {
		return fmt.Errorf("ocr cache put: %w", err)
	}
	return nil
}
