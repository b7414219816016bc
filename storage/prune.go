package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"
)

// PruneResult is what Prune removed.
type PruneResult struct {
	// Removed are the deleted runs as they read before deletion, oldest
	// first; their pages, findings, screenshots, prices, resources and
	// evidence pictures went with them.
	Removed []Run
	// Kept is how many runs of the target remain.
	Kept int
	// Blobs is how many stored pictures went with them: those no kept run
	// (of any target) still uses. A picture stored once serves every run
	// that took the same bytes.
	Blobs int64
}

// Pages is the number of page rows (URL × viewport visits) the removed runs
// held.
func (r PruneResult) Pages() int {
	n := 0
	for _, run := range r.Removed {
		n += run.Pages
	}
	return n
}

// Prune deletes the runs of target name that retention no longer keeps: those
// beyond the newest keepRuns (by id, whatever their status) and those started
// more than keepDays days before now; 0 means no limit of that kind. Two
// runs are always kept: every run still running (a sweep in progress; a
// running run whose heartbeat is stale reads as interrupted and may go), and
// the newest complete run, the base the next sweep is compared with. So
// keepRuns 1 after an interrupted sweep keeps two runs. The choice and the
// deletion happen in one write transaction, so a sweep that starts meanwhile
// is never touched. Deleting a run cascades to everything stored under it;
// then, in the same transaction, the pictures (blobs) that no row names any
// more are deleted, and those another run still names stay.
func (db *DB) Prune(ctx context.Context, name string, keepRuns, keepDays int, now time.Time) (PruneResult, error) {
	if keepRuns < 0 || keepDays < 0 {
		return PruneResult{}, fmt.Errorf("prune %s: keep runs %d, keep days %d: must not be negative", name, keepRuns, keepDays)
	}
	var res PruneResult
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		runs, err := db.runsOf(ctx, tx, name)
		if err != nil {
			return err
		}
		newestComplete := int64(0)
		for _, r := range runs {
			if r.Status == StatusComplete {
				newestComplete = r.ID // runs are oldest first
			}
		}
		// Day limits compare instants: started_at is stored with the offset
		// it was written in, so comparing the text in SQL would be wrong.
		cutoff := now.AddDate(0, 0, -keepDays)
		var ids []any
		for i, r := range runs {
			tooMany := keepRuns > 0 && len(runs)-i > keepRuns
			tooOld := keepDays > 0 && r.StartedAt.Before(cutoff)
			if !tooMany && !tooOld || r.Status == StatusRunning || r.ID == newestComplete {
				continue
			}
			res.Removed = append(res.Removed, r)
			ids = append(ids, r.ID)
		}
		res.Kept = len(runs) - len(ids)
		if len(ids) == 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM runs WHERE id IN (?"+strings.Repeat(", ?", len(ids)-1)+")", ids...)
		if err != nil {
			return err
		}
		res.Blobs, err = db.deleteUnreferencedBlobs(ctx, tx)
		return err
	})
	if err != nil {
		return PruneResult{}, fmt.Errorf("prune runs of %s: %w", name, err)
	}
	return res, nil
}

// runsOf returns the runs of target name, oldest first, as q sees them.
func (db *DB) runsOf(ctx context.Context, q querier, name string) ([]Run, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+runColumns+" FROM runs WHERE name = ? ORDER BY id", name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var runs []Run
	for rows.Next() {
		r, err := db.scanRun(rows)
		if err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	return runs, rows.Err()
}

// Targets returns the names of the targets with stored runs, sorted.
func (db *DB) Targets(ctx context.Context) ([]string, error) {
	rows, err := db.sql.QueryContext(ctx, "SELECT DISTINCT name FROM runs ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("list targets: %w", err)
	}
	defer rows.Close()
	names := []string{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("list targets: %w", err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list targets: %w", err)
	}
	return names, nil
}

// Vacuum gives the space of deleted runs back to the file system. Deleting
// rows only frees pages inside the file, which later sweeps reuse; VACUUM
// rewrites the file without them. In WAL mode the rewrite goes through the
// WAL, so the WAL is checkpointed and truncated before (the deletions reach
// the main file and the WAL restarts empty rather than growing by a copy of
// the whole database on top of them) and after (the main file is cut to its
// new size and the WAL emptied). A reader in another process can keep a
// checkpoint from completing; the database stays correct, it only shrinks
// later.
func (db *DB) Vacuum(ctx context.Context) error {
	if err := db.checkpoint(ctx); err != nil {
		return err
	}
	if _, err := db.sql.ExecContext(ctx, "VACUUM"); err != nil {
		return fmt.Errorf("vacuum %s: %w", db.path, err)
	}
	return db.checkpoint(ctx)
}

func (db *DB) checkpoint(ctx context.Context) error {
	if db.postgres {
		return nil // no WAL file of ours: the server manages its log
	}
	var busy, logFrames, checkpointed int
	err := db.sql.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &checkpointed)
	if err != nil {
		return fmt.Errorf("checkpoint %s: %w", db.path, err)
	}
	return nil
}

// FileSize is the bytes the database takes on disk: the main file plus its
// WAL (the shared-memory index is left out: it holds no data). For a
// PostgreSQL store, the database's size as the server counts it.
func (db *DB) FileSize(ctx context.Context) (int64, error) {
	if db.postgres {
		var n int64
		if err := db.sql.QueryRowContext(ctx, "SELECT pg_database_size(current_database())").Scan(&n); err != nil {
			return 0, fmt.Errorf("size of %s: %w", db.path, err)
		}
		return n, nil
	}
	var total int64
	for _, p := range []string{db.path, db.path + "-wal"} {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) && p != db.path {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("size of %s: %w", db.path, err)
		}
		total += fi.Size()
	}
	return total, nil
}

// MeasureCacheDays is how long a picture's stored measures outlive their
// last use by a sweep. A scheduled sweep reuses (and so keeps) every entry
// of an unchanged shop each time; a picture the shop no longer shows is not
// asked for again, and its entry goes once no sweep used it for this long.
// Days rather than runs: the cache is shared by every target of the
// database, which sweep at their own pace.
const MeasureCacheDays = 30

// PruneMeasures deletes the stored picture measures no sweep used since
// before, and returns how many it deleted.
func (db *DB) PruneMeasures(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.sql.ExecContext(ctx, "DELETE FROM measure_cache WHERE last_used < ?", before.Unix())
	if err != nil {
		return 0, fmt.Errorf("prune measure cache: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("prune measure cache: %w", err)
	}
	return n, nil
}
