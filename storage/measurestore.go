package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/storecheck/storecheck/checks"
)

// MeasureStore keeps the pixel measures of pictures across runs
// (checks.MeasureStore), by the key the checks give. The sweep hands it to
// the checks' measure cache; checks never open the database.
type MeasureStore struct {
	db *DB
}

// MeasureStore returns the database's store of picture measures.
func (db *DB) MeasureStore() *MeasureStore { return &MeasureStore{db: db} }

var _ checks.MeasureStore = (*MeasureStore)(nil)

// LoadMeasure returns the record stored under key; ok is false when none is.
// It does not mark the entry used: SaveMeasures does, once per sweep, in one
// transaction, rather than a write per picture during the crawl.
func (s *MeasureStore) LoadMeasure(ctx context.Context, key string) ([]byte, bool, error) {
	var rec []byte
	err := s.db.sql.QueryRowContext(ctx, "SELECT measures FROM measure_cache WHERE key = ?", key).Scan(&rec)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("measure cache get %s: %w", key, err)
	}
	return rec, true, nil
}

// SaveMeasures stores recs by key, replacing what was there, and sets the
// last use of them and of the entries under used to now, in one write
// transaction. It writes outside the run's Writer: the cache belongs to no
// run, and busy_timeout orders it with the Writer's transactions.
func (s *MeasureStore) SaveMeasures(ctx context.Context, recs map[string][]byte, used []string) error {
	now := s.db.now().Unix()
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		put, err := tx.PrepareContext(ctx, `INSERT INTO measure_cache (key, measures, last_used) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET measures = excluded.measures, last_used = excluded.last_used`)
		if err != nil {
			return err
		}
		defer put.Close()
		for k, rec := range recs {
			if _, err := put.ExecContext(ctx, k, rec, now); err != nil {
				return err
			}
		}
		touch, err := tx.PrepareContext(ctx, "UPDATE measure_cache SET last_used = ? WHERE key = ?")
		if err != nil {
			return err
		}
		defer touch.Close()
		for _, k := range used {
			if _, err := touch.ExecContext(ctx, now, k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("measure cache save (%d records, %d used): %w", len(recs), len(used), err)
	}
	return nil
}
