package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// CopyResult counts what Copy did.
type CopyResult struct {
	Runs        int // runs copied
	Present     int // runs the destination had already (copied before)
	Running     int // runs still being swept, left for a later copy
	Pages       int64
	Findings    int64
	Blobs       int64 // pictures stored new in the destination
	Assignments int64 // assignments the destination did not have
}

// Copy copies every finished run of from into to, with its pages,
// requests, prices, findings, screenshots and evidence pictures, then the
// assignments, the fix marks and the picture caches: `storecheck migrate` from a SQLite
// file into the team store. A run is known by its target name and start
// time (to the nanosecond): one the destination has already is not copied
// again, so running Copy twice copies nothing twice. A run still being
// swept (running, with a fresh heartbeat) is left out, to be copied once it
// has ended. Each run is copied in one transaction of to.
func Copy(ctx context.Context, from, to *DB) (CopyResult, error) {
	var res CopyResult
	runs, err := from.Runs(ctx)
	if err != nil {
		return res, err
	}
	// Each copied run's id in to, for the fix marks' run ids.
	ids := map[int64]int64{}
	for _, r := range runs {
		if r.Status == StatusRunning {
			res.Running++
			continue
		}
		copied, err := copyRun(ctx, from, to, r.ID, &res, ids)
		if err != nil {
			return res, fmt.Errorf("copy run %d: %w", r.ID, err)
		}
		if copied {
			res.Runs++
		} else {
			res.Present++
		}
	}
	err = to.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		n, err := copyRows(ctx, from.sql, tx, "SELECT name, fingerprint, owner, due, note, assigned_at FROM assignments",
			"assignments", "ON CONFLICT (name, fingerprint) DO NOTHING", nil)
		res.Assignments = n
		if err != nil {
			return err
		}
		if err := copyFixMarks(ctx, from, tx, runs, ids); err != nil {
			return err
		}
		// The caches: the team store need not read or measure again the
		// pictures this file's sweeps already did.
		if _, err := copyRows(ctx, from.sql, tx, "SELECT key, result, created_at FROM ocr_cache",
			"ocr_cache", "ON CONFLICT (key) DO NOTHING", nil); err != nil {
			return err
		}
		_, err = copyRows(ctx, from.sql, tx, "SELECT key, measures, last_used FROM measure_cache",
			"measure_cache", "ON CONFLICT (key) DO NOTHING", nil)
		return err
	})
	return res, err
}

// copyFixMarks copies the fix marks of from, each with the id in to of
// the newest run it came after (runs are copied in id order, so ids keep
// their order).
func copyFixMarks(ctx context.Context, from *DB, tx *sql.Tx, runs []Run, ids map[int64]int64) error {
	rows, err := from.sql.QueryContext(ctx, "SELECT name, fingerprint, marked_at, after_run, note FROM fix_marks")
	if err != nil {
		return fmt.Errorf("copy fix marks: %w", err)
	}
	type mark struct {
		name, fp, at, note string
		after              int64
	}
	var marks []mark
	for rows.Next() {
		var m mark
		if err := rows.Scan(&m.name, &m.fp, &m.at, &m.after, &m.note); err != nil {
			rows.Close()
			return fmt.Errorf("copy fix marks: %w", err)
		}
		marks = append(marks, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("copy fix marks: %w", err)
	}
	for _, m := range marks {
		var after int64
		for _, r := range runs { // oldest first
			if r.ID > m.after {
				break
			}
			if id, ok := ids[r.ID]; ok {
				after = id
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO fix_marks (name, fingerprint, marked_at, after_run, note)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (name, fingerprint) DO NOTHING`, m.name, m.fp, m.at, after, m.note); err != nil {
			return fmt.Errorf("copy fix mark %s: %w", m.fp, err)
		}
	}
	return nil
}

// copyRun copies run id of from into to unless to has it already, and
// records its id in to in dstIDs.
func copyRun(ctx context.Context, from, to *DB, id int64, res *CopyResult, dstIDs map[int64]int64) (bool, error) {
	var name, started string
	if err := from.sql.QueryRowContext(ctx, "SELECT name, started_at FROM runs WHERE id = ?", id).Scan(&name, &started); err != nil {
		return false, err
	}
	copied := false
	err := to.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var have int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM runs WHERE name = ? AND started_at = ?", name, started).Scan(&have)
		switch {
		case err == nil:
			dstIDs[id] = have
			return nil
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		var newRun int64
		if err := copyOne(ctx, from.sql, tx, `SELECT name, status, started_at, finished_at, heartbeat_at, now, start_urls,
			config, concurrency, cpus, browser, pages, errors, warnings, infos, benchmark_index, load_avg
			FROM runs WHERE id = ?`, []any{id}, "runs", nil, &newRun); err != nil {
			return err
		}
		dstIDs[id] = newRun
		// Old page and finding ids to the destination's.
		pages, findings := map[int64]int64{}, map[int64]int64{}
		rows, err := from.sql.QueryContext(ctx, "SELECT id FROM pages WHERE run_id = ? ORDER BY id", id)
		if err != nil {
			return err
		}
		ids, err := scanIDs(rows)
		if err != nil {
			return err
		}
		for _, p := range ids {
			var np int64
			if err := copyOne(ctx, from.sql, tx, `SELECT ? AS run_id, url, final_url, viewport, kind, status, error, title, depth,
				timed_out, ttfb_ms, fcp_ms, lcp_ms, dom_content_loaded_ms, load_ms, cls, tbt_ms, requests,
				transfer_bytes, ocr FROM pages WHERE id = ?`, []any{newRun, p}, "pages",
				func(cols []string, v []any) { boolColumn(cols, v, "timed_out") }, &np); err != nil {
				return err
			}
			pages[p] = np
			res.Pages++
			if _, err := copyRows(ctx, from.sql, tx, "SELECT "+fmt.Sprint(np)+` AS page_id, url, type, status, bytes, failure
				FROM resources WHERE page_id = ? ORDER BY rowid`, "resources", "", []any{p}); err != nil {
				return err
			}
			if _, err := copyRows(ctx, from.sql, tx, "SELECT "+fmt.Sprint(np)+` AS page_id, current, original, current_text,
				original_text FROM prices WHERE page_id = ?`, "prices", "", []any{p}); err != nil {
				return err
			}
			for _, table := range []string{"screenshots", "full_screenshots"} {
				if err := copyBlobs(ctx, from, to, tx, "SELECT blob_hash FROM "+table+" WHERE page_id = ?", p, res); err != nil {
					return err
				}
			}
			if _, err := copyRows(ctx, from.sql, tx, "SELECT "+fmt.Sprint(np)+" AS page_id, blob_hash FROM screenshots WHERE page_id = ?",
				"screenshots", "", []any{p}); err != nil {
				return err
			}
			if _, err := copyRows(ctx, from.sql, tx, "SELECT "+fmt.Sprint(np)+" AS page_id, blob_hash, height FROM full_screenshots WHERE page_id = ?",
				"full_screenshots", "", []any{p}); err != nil {
				return err
			}
		}
		rows, err = from.sql.QueryContext(ctx, "SELECT id FROM findings WHERE run_id = ? ORDER BY id", id)
		if err != nil {
			return err
		}
		if ids, err = scanIDs(rows); err != nil {
			return err
		}
		for _, f := range ids {
			var nf int64
			err := copyOne(ctx, from.sql, tx, `SELECT ? AS run_id, page_id, rule, severity, url, viewport, subject, message,
				evidence, fingerprint, message_key, message_args FROM findings WHERE id = ?`, []any{newRun, f}, "findings",
				func(cols []string, v []any) {
					// A site finding has no page; a page's finding names the copy.
					if old, ok := v[1].(int64); ok {
						v[1] = pages[old]
					}
				}, &nf)
			if err != nil {
				return err
			}
			findings[f] = nf
			res.Findings++
			if err := copyBlobs(ctx, from, to, tx, "SELECT blob_hash FROM evidence_images WHERE finding_id = ?", f, res); err != nil {
				return err
			}
			if _, err := copyRows(ctx, from.sql, tx, "SELECT "+fmt.Sprint(nf)+` AS finding_id, seq, role, mime, width, height,
				blob_hash, region_x, region_y, region_w, region_h FROM evidence_images WHERE finding_id = ?`,
				"evidence_images", "", []any{f}); err != nil {
				return err
			}
		}
		copied = true
		return nil
	})
	return copied, err
}

// copyBlobs stores in to the pictures of from that query (with arg) names.
func copyBlobs(ctx context.Context, from, to *DB, tx *sql.Tx, query string, arg int64, res *CopyResult) error {
	rows, err := from.sql.QueryContext(ctx, query, arg)
	if err != nil {
		return err
	}
	var hashes []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			rows.Close()
			return err
		}
		hashes = append(hashes, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, h := range hashes {
		var have int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM blobs WHERE hash = ?", h).Scan(&have); err != nil {
			return err
		}
		if have > 0 && !to.postgres {
			continue // stored; SQLite's write lock keeps it until the run's rows name it
		}
		var data []byte
		if err := from.sql.QueryRowContext(ctx, "SELECT data FROM blobs WHERE hash = ?", h).Scan(&data); err != nil {
			return fmt.Errorf("picture %s: %w", h, err)
		}
		if err := to.putBlob(ctx, tx, h, data); err != nil {
			return err
		}
		if have == 0 {
			res.Blobs++
		}
	}
	return nil
}

// scanIDs reads a column of ids and closes rows.
func scanIDs(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// copyOne copies the one row query selects into table and scans the new
// row's id into id. The query's column names are the table's.
func copyOne(ctx context.Context, src *sql.DB, tx *sql.Tx, query string, args []any, table string,
	fix func(cols []string, v []any), id *int64) error {
	rows, err := src.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	cols, vals, err := oneRow(rows)
	if err != nil {
		return err
	}
	if fix != nil {
		fix(cols, vals)
	}
	return tx.QueryRowContext(ctx, insertSQL(table, cols, "")+" RETURNING id", vals...).Scan(id)
}

// copyRows copies every row query selects into table (columns named as
// the table's), with conflict as the insert's ON CONFLICT clause, and
// returns how many rows the destination took.
func copyRows(ctx context.Context, src querier, tx *sql.Tx, query, table, conflict string, args []any) (int64, error) {
	rows, err := src.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	var all [][]any
	for rows.Next() {
		v, err := scanAny(rows, len(cols))
		if err != nil {
			return 0, err
		}
		all = append(all, v)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	rows.Close()
	return InsertRows(ctx, tx, table, cols, all, conflict)
}

// InsertRows writes rows (each a value per column of cols) into table,
// many rows a statement, in their order, with conflict as the inserts' ON
// CONFLICT clause (or ""), and returns how many rows the table took. A
// statement a row was a round trip a row: migrate's copy ran at 170
// visits a second (BenchmarkCopy). For bulk loaders: migrate's copy, and
// internal/storegen's generated sweeps.
func InsertRows(ctx context.Context, tx *sql.Tx, table string, cols []string, all [][]any, conflict string) (int64, error) {
	per := max(1, min(copyBatchRows, copyBatchArgs/len(cols)))
	var n int64
	for len(all) > 0 {
		k, size := 0, 0
		for k < min(per, len(all)) && (k == 0 || size < copyBatchBytes) {
			for _, v := range all[k] {
				switch v := v.(type) {
				case []byte:
					size += len(v)
				case string:
					size += len(v)
				}
			}
			k++
		}
		batch := all[:k]
		all = all[k:]
		args := make([]any, 0, len(batch)*len(cols))
		for _, v := range batch {
			args = append(args, v...)
		}
		r, err := tx.ExecContext(ctx, insertManySQL(table, cols, len(batch), conflict), args...)
		if err != nil {
			return n, fmt.Errorf("insert into %s: %w", table, err)
		}
		took, err := r.RowsAffected()
		if err != nil {
			return n, err
		}
		n += took
	}
	return n, nil
}

// A multi-row insert's bounds: far under SQLite's 32 766 bound parameters
// and PostgreSQL's 65 535, and about 4 MB of text and bytes (the picture
// caches' rows run to tens of KB each).
const (
	copyBatchRows  = 500
	copyBatchArgs  = 5000
	copyBatchBytes = 4 << 20
)

// insertManySQL inserts n rows of cols into table.
func insertManySQL(table string, cols []string, n int, conflict string) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	return "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(row+", ", n), ", ") + " " + conflict
}

// oneRow reads the single row of rows, closing it.
func oneRow(rows *sql.Rows) ([]string, []any, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, nil, err
	}
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
		return nil, nil, sql.ErrNoRows
	}
	v, err := scanAny(rows, len(cols))
	return cols, v, err
}

func scanAny(rows *sql.Rows, n int) ([]any, error) {
	v := make([]any, n)
	ptrs := make([]any, n)
	for i := range v {
		ptrs[i] = &v[i]
	}
	return v, rows.Scan(ptrs...)
}

// boolColumn turns column name of a row into a bool: SQLite keeps a flag
// as 0 or 1, PostgreSQL as a boolean.
func boolColumn(cols []string, v []any, name string) {
	for i, c := range cols {
		if c == name {
			if n, ok := v[i].(int64); ok {
				v[i] = n != 0
			}
		}
	}
}

func insertSQL(table string, cols []string, conflict string) string {
	return "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" +
		strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ") " + conflict
}
