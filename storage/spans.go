package storage

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/storecheck/storecheck/checks"
)

// Span is one finding followed across the complete runs of a target.
type Span struct {
	// Finding is the finding as the last complete run that had it reported
	// it, without evidence, as Occurrences reads it; of two with its
	// fingerprint in that run, the later in Occurrences' order.
	Finding checks.Finding
	// First and Last are the ids of the first and the last complete run
	// that had it.
	First, Last int64
	// Stretches counts the series of consecutive complete runs that had
	// it: 1, plus 1 each time it came back after a complete run without it.
	Stretches int
}

// FindingSpans returns the complete runs of target name, oldest first, and
// a Span for every fingerprint they reported, by fingerprint, read from one
// snapshot. It is what track.Follow makes of Occurrences, computed in the
// database: Occurrences reads every finding of every run (200 000 rows,
// about a second through the driver for 1 000 daily runs of 200
// findings), this reads an aggregate per fingerprint and a few rows more.
//
// The DB remembers the answer per target. Findings of a complete run never
// change, and a run only ever becomes complete, never stops being so: while
// the target's complete runs are the remembered ones and newer ones (the
// next day's sweeps), only the newer runs' findings are read, and the
// spans extended by them. Anything else (a run pruned, one completed after
// a newer one) computes them again.
func (db *DB) FindingSpans(ctx context.Context, name string) ([]Run, []Span, error) {
	tx, err := db.snapshot(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("findings of %s: %w", name, err)
	}
	defer tx.Rollback()
	runs, err := db.completeRuns(ctx, tx, name)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]int64, len(runs))
	for i, r := range runs {
		ids[i] = r.ID
	}
	db.mu.Lock()
	m, ok := db.spans[name]
	db.mu.Unlock()
	var spans []Span
	if ok && len(ids) >= len(m.ids) && len(ids)-len(m.ids) <= maxExtend && slices.Equal(ids[:len(m.ids)], m.ids) {
		spans, err = extendSpans(ctx, tx, m, ids[len(m.ids):])
	} else {
		spans, err = findingSpans(ctx, tx, name, runs)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("findings of %s: %w", name, err)
	}
	db.mu.Lock()
	if db.spans == nil {
		db.spans = map[string]spanMemo{}
	}
	db.spans[name] = spanMemo{ids: ids, spans: spans}
	db.mu.Unlock()
	// The memo's slice is shared: callers get their own.
	return runs, slices.Clone(spans), nil
}

// spanMemo is FindingSpans' answer over the complete runs ids; never
// changed once made.
type spanMemo struct {
	ids   []int64
	spans []Span
}

// maxExtend is how many new complete runs FindingSpans reads to extend
// remembered spans; more are cheaper computed again at once.
const maxExtend = 50

// extendSpans is m's spans extended by the complete runs ids, which follow
// m's runs.
func extendSpans(ctx context.Context, tx *sql.Tx, m spanMemo, ids []int64) ([]Span, error) {
	if len(ids) == 0 {
		return m.spans, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := tx.QueryContext(ctx, `SELECT run_id, id, rule, severity, url, viewport, subject, message, fingerprint,
		message_key, message_args FROM findings WHERE run_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	// Each new run's findings, its last by fingerprint.
	byRun := map[int64]map[string]found{}
	for rows.Next() {
		var run int64
		var x found
		f := &x.f
		var key, margs string
		if err := rows.Scan(&run, &x.id, &f.Rule, &f.Severity, &f.URL, &f.Viewport, &f.Subject, &f.Message,
			&f.Fingerprint, &key, &margs); err != nil {
			rows.Close()
			return nil, err
		}
		if f.Msg, err = checks.ParseMsg(key, margs); err != nil {
			rows.Close()
			return nil, fmt.Errorf("finding %s on %s: %w", f.Rule, f.URL, err)
		}
		last := byRun[run]
		if last == nil {
			last = map[string]found{}
			byRun[run] = last
		}
		if y, ok := last[f.Fingerprint]; !ok || x.later(y) {
			last[f.Fingerprint] = x
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	at := make(map[string]Span, len(m.spans))
	for _, s := range m.spans {
		at[s.Finding.Fingerprint] = s
	}
	var prev int64 // the complete run before each new one
	if len(m.ids) > 0 {
		prev = m.ids[len(m.ids)-1]
	}
	for _, id := range ids {
		for fp, x := range byRun[id] {
			s, ok := at[fp]
			switch {
			case !ok:
				s = Span{First: id, Stretches: 1}
			case s.Last != prev:
				s.Stretches++ // back after a run without it
			}
			s.Last, s.Finding = id, x.f
			at[fp] = s
		}
		prev = id
	}
	spans := make([]Span, 0, len(at))
	for _, s := range at {
		spans = append(spans, s)
	}
	slices.SortFunc(spans, func(a, b Span) int { return strings.Compare(a.Finding.Fingerprint, b.Finding.Fingerprint) })
	return spans, nil
}

// found is a finding as stored, with its row id.
type found struct {
	f  checks.Finding
	id int64
}

// later reports whether x comes after y in Occurrences' order within one
// run (url, viewport, rule, subject, id).
func (x found) later(y found) bool {
	return cmp.Or(cmp.Compare(x.f.URL, y.f.URL), cmp.Compare(x.f.Viewport, y.f.Viewport), cmp.Compare(x.f.Rule, y.f.Rule),
		cmp.Compare(x.f.Subject, y.f.Subject), cmp.Compare(x.id, y.id)) > 0
}

func findingSpans(ctx context.Context, tx *sql.Tx, name string, runs []Run) ([]Span, error) {
	index := make(map[int64]int, len(runs))
	for i, r := range runs {
		index[r.ID] = i
	}
	// First, last and how many runs had it, per fingerprint. A finding
	// that every complete run between its first and its last had is one
	// stretch; most are (a defect stays until it is fixed), and only the
	// others need their runs looked at. No ORDER BY: SQLite would read
	// the whole (fingerprint, run_id) index in its order rather than sort
	// the few hundred groups.
	rows, err := tx.QueryContext(ctx, `SELECT fingerprint, min(run_id), max(run_id), count(DISTINCT run_id)
		FROM findings WHERE run_id IN (SELECT id FROM runs WHERE name = ? AND status = ?)
		GROUP BY fingerprint`, name, string(StatusComplete))
	if err != nil {
		return nil, err
	}
	var spans []Span
	var gappy []string
	for rows.Next() {
		var s Span
		var n int
		if err := rows.Scan(&s.Finding.Fingerprint, &s.First, &s.Last, &n); err != nil {
			rows.Close()
			return nil, err
		}
		s.Stretches = 1
		if n < index[s.Last]-index[s.First]+1 {
			gappy = append(gappy, s.Finding.Fingerprint)
		}
		spans = append(spans, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(spans, func(a, b Span) int { return strings.Compare(a.Finding.Fingerprint, b.Finding.Fingerprint) })
	at := make(map[string]*Span, len(spans))
	for i := range spans {
		at[spans[i].Finding.Fingerprint] = &spans[i]
	}
	if err := countStretches(ctx, tx, name, gappy, at); err != nil {
		return nil, err
	}
	if err := lastFindings(ctx, tx, spans, at); err != nil {
		return nil, err
	}
	return spans, nil
}

// chunk bounds the fingerprints one statement names: SQLite's limit on
// bound parameters is far above, and statements stay small.
const chunk = 500

// countStretches sets the Stretches of fingerprints: the complete runs
// that had it while the complete run before did not (or that are the
// target's first).
func countStretches(ctx context.Context, tx *sql.Tx, name string, fingerprints []string, at map[string]*Span) error {
	for i := 0; i < len(fingerprints); i += chunk {
		part := fingerprints[i:min(i+chunk, len(fingerprints))]
		args := []any{name, string(StatusComplete)}
		for _, fp := range part {
			args = append(args, fp)
		}
		rows, err := tx.QueryContext(ctx, `WITH cr AS (SELECT id, lag(id) OVER (ORDER BY id) AS prev
				FROM runs WHERE name = ? AND status = ?),
			fps (fp) AS (VALUES (?)`+strings.Repeat(", (?)", len(part)-1)+`)
			SELECT f.fingerprint, count(DISTINCT f.run_id) FROM fps
				JOIN findings f ON f.fingerprint = fps.fp JOIN cr ON cr.id = f.run_id
			WHERE cr.prev IS NULL OR NOT EXISTS (SELECT 1 FROM findings p
				WHERE p.fingerprint = f.fingerprint AND p.run_id = cr.prev)
			GROUP BY f.fingerprint`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var fp string
			var n int
			if err := rows.Scan(&fp, &n); err != nil {
				rows.Close()
				return err
			}
			if s := at[fp]; s != nil {
				s.Stretches = n
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// lastFindings fills each span's Finding from the last run that had it:
// of two with its fingerprint in that run, the later in Occurrences'
// order (url, viewport, rule, subject, id).
func lastFindings(ctx context.Context, tx *sql.Tx, spans []Span, at map[string]*Span) error {
	last := make(map[string]found, len(spans))
	for i := 0; i < len(spans); i += chunk {
		part := spans[i:min(i+chunk, len(spans))]
		args := make([]any, 0, 2*len(part))
		for _, s := range part {
			args = append(args, s.Finding.Fingerprint, s.Last)
		}
		// The run id is cast: PostgreSQL types a VALUES column of bare
		// parameters as text. CROSS JOIN keeps SQLite probing the index
		// for each wanted row; sorted here, not by ORDER BY, which made it
		// read the whole index in fingerprint order instead (44 ms for
		// 858 findings against 5).
		rows, err := tx.QueryContext(ctx, `WITH want (fp, run_id) AS (VALUES (?, CAST(? AS BIGINT))`+
			strings.Repeat(", (?, CAST(? AS BIGINT))", len(part)-1)+`)
			SELECT f.id, f.rule, f.severity, f.url, f.viewport, f.subject, f.message, f.fingerprint, f.message_key, f.message_args
			FROM want CROSS JOIN findings f WHERE f.fingerprint = want.fp AND f.run_id = want.run_id`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var x found
			f := &x.f
			var key, margs string
			if err := rows.Scan(&x.id, &f.Rule, &f.Severity, &f.URL, &f.Viewport, &f.Subject, &f.Message, &f.Fingerprint,
				&key, &margs); err != nil {
				rows.Close()
				return err
			}
			if f.Msg, err = checks.ParseMsg(key, margs); err != nil {
				rows.Close()
				return fmt.Errorf("finding %s on %s: %w", f.Rule, f.URL, err)
			}
			if y, ok := last[f.Fingerprint]; !ok || x.later(y) {
				last[f.Fingerprint] = x
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for fp, x := range last {
		at[fp].Finding = x.f
	}
	return nil
}
