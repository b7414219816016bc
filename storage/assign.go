package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/storecheck/storecheck/checks"
)

// Assignment records who fixes a finding by when.
type Assignment struct {
	Owner      string
	Due        string // YYYY-MM-DD
	Note       string
	AssignedAt time.Time
}

// Assign records a for each of fingerprints of target name, replacing an
// earlier assignment of the same finding. Assigning a finding marked fixed
// withdraws the mark: someone is to work on it again.
func (db *DB) Assign(ctx context.Context, name string, fingerprints []string, a Assignment) error {
	if a.AssignedAt.IsZero() {
		a.AssignedAt = db.now()
	}
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, fp := range fingerprints {
			if _, err := tx.ExecContext(ctx, "DELETE FROM fix_marks WHERE name = ? AND fingerprint = ?", name, fp); err != nil {
				return fmt.Errorf("assign %s: %w", fp, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO assignments (name, fingerprint, owner, due, note, assigned_at)
				VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (name, fingerprint) DO UPDATE SET owner = excluded.owner, due = excluded.due,
					note = excluded.note, assigned_at = excluded.assigned_at`,
				name, fp, a.Owner, a.Due, a.Note, formatTime(a.AssignedAt)); err != nil {
				return fmt.Errorf("assign %s: %w", fp, err)
			}
		}
		return nil
	})
}

// Assignments returns the assignments of target name by fingerprint.
func (db *DB) Assignments(ctx context.Context, name string) (map[string]Assignment, error) {
	rows, err := db.sql.QueryContext(ctx,
		"SELECT fingerprint, owner, due, note, assigned_at FROM assignments WHERE name = ?", name)
	if err != nil {
		return nil, fmt.Errorf("assignments of %s: %w", name, err)
	}
	defer rows.Close()
	out := map[string]Assignment{}
	for rows.Next() {
		var fp, at string
		var a Assignment
		if err := rows.Scan(&fp, &a.Owner, &a.Due, &a.Note, &at); err != nil {
			return nil, fmt.Errorf("assignments of %s: %w", name, err)
		}
		if a.AssignedAt, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("assignment of %s: %w", fp, err)
		}
		out[fp] = a
	}
	return out, rows.Err()
}

// FixMark records that someone marked a finding fixed: the runs begun
// after it re-check it.
type FixMark struct {
	At   time.Time
	Note string // what was done, as the marker put it
	// AfterRun is the newest run id when the mark was set: runs with a
	// higher id began after it. Ids, not clocks: a sweep's clock may be
	// pinned (--now).
	AfterRun int64
}

// MarkFixed marks each of fingerprints of target name fixed, replacing an
// earlier mark of the same finding. The assignment, if any, stays.
// m.AfterRun is set from the store.
func (db *DB) MarkFixed(ctx context.Context, name string, fingerprints []string, m FixMark) error {
	if m.At.IsZero() {
		m.At = db.now()
	}
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM runs").Scan(&m.AfterRun); err != nil {
			return fmt.Errorf("mark fixed: newest run: %w", err)
		}
		for _, fp := range fingerprints {
			if _, err := tx.ExecContext(ctx, `INSERT INTO fix_marks (name, fingerprint, marked_at, after_run, note) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (name, fingerprint) DO UPDATE SET marked_at = excluded.marked_at,
					after_run = excluded.after_run, note = excluded.note`,
				name, fp, formatTime(m.At), m.AfterRun, m.Note); err != nil {
				return fmt.Errorf("mark %s fixed: %w", fp, err)
			}
		}
		return nil
	})
}

// FixMarks returns the fix marks of target name by fingerprint.
func (db *DB) FixMarks(ctx context.Context, name string) (map[string]FixMark, error) {
	rows, err := db.sql.QueryContext(ctx, "SELECT fingerprint, marked_at, after_run, note FROM fix_marks WHERE name = ?", name)
	if err != nil {
		return nil, fmt.Errorf("fix marks of %s: %w", name, err)
	}
	defer rows.Close()
	out := map[string]FixMark{}
	for rows.Next() {
		var fp, at string
		var m FixMark
		if err := rows.Scan(&fp, &at, &m.AfterRun, &m.Note); err != nil {
			return nil, fmt.Errorf("fix marks of %s: %w", name, err)
		}
		if m.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("fix mark of %s: %w", fp, err)
		}
		out[fp] = m
	}
	return out, rows.Err()
}

// TargetsOf returns, per fingerprint, the targets whose runs reported it;
// a fingerprint no run has is absent.
func (db *DB) TargetsOf(ctx context.Context, fingerprints []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(fingerprints) == 0 {
		return out, nil
	}
	args := make([]any, len(fingerprints))
	for i, f := range fingerprints {
		args[i] = f
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT DISTINCT f.fingerprint, r.name FROM findings f
		JOIN runs r ON r.id = f.run_id WHERE f.fingerprint IN (?`+strings.Repeat(", ?", len(args)-1)+`)
		ORDER BY f.fingerprint, r.name`, args...)
	if err != nil {
		return nil, fmt.Errorf("targets of findings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var fp, name string
		if err := rows.Scan(&fp, &name); err != nil {
			return nil, err
		}
		out[fp] = append(out[fp], name)
	}
	return out, rows.Err()
}

// Occurrence is one finding as one run reported it.
type Occurrence struct {
	RunID   int64
	Finding checks.Finding
}

// Occurrences returns every finding of the complete runs of target name,
// oldest run first, without evidence: what following findings across runs
// needs. Within a run they are in url, viewport, rule, subject,
// fingerprint order, then as stored, so that the last of a fingerprint's
// is always the same one (FindingSpans picks it too).
func (db *DB) Occurrences(ctx context.Context, name string) ([]Occurrence, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT r.id, f.rule, f.severity, f.url, f.viewport, f.subject,
		f.message, f.fingerprint, f.message_key, f.message_args FROM findings f JOIN runs r ON r.id = f.run_id
		WHERE r.name = ? AND r.status = ? ORDER BY r.id, f.url, f.viewport, f.rule, f.subject, f.fingerprint, f.id`,
		name, string(StatusComplete))
	if err != nil {
		return nil, fmt.Errorf("findings of %s: %w", name, err)
	}
	defer rows.Close()
	var out []Occurrence
	for rows.Next() {
		var o Occurrence
		f := &o.Finding
		var key, args string
		if err := rows.Scan(&o.RunID, &f.Rule, &f.Severity, &f.URL, &f.Viewport, &f.Subject, &f.Message,
			&f.Fingerprint, &key, &args); err != nil {
			return nil, fmt.Errorf("findings of %s: %w", name, err)
		}
		var err error
		if f.Msg, err = checks.ParseMsg(key, args); err != nil {
			return nil, fmt.Errorf("findings of %s: %w", name, err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
