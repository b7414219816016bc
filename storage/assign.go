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
// earlier assignment of the same finding.
func (db *DB) Assign(ctx context.Context, name string, fingerprints []string, a Assignment) error {
	if a.AssignedAt.IsZero() {
		a.AssignedAt = db.now()
	}
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, fp := range fingerprints {
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
// needs.
func (db *DB) Occurrences(ctx context.Context, name string) ([]Occurrence, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT r.id, f.rule, f.severity, f.url, f.viewport, f.subject,
		f.message, f.fingerprint, f.message_key, f.message_args FROM findings f JOIN runs r ON r.id = f.run_id
		WHERE r.name = ? AND r.status = ? ORDER BY r.id, f.url, f.viewport, f.rule, f.subject, f.fingerprint`,
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
