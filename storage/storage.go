package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

var (
	// ErrUnusable wraps every failure to open or migrate a database: not a
	// SQLite file, a schema newer than this program, a path that cannot be
	// created. The command maps it to exit code 3.
	ErrUnusable = errors.New("database unusable")
	// ErrRunNotFound is returned when a run reference names no stored run.
	ErrRunNotFound = errors.New("run not found")
	// ErrWriterClosed is returned by a Writer after Finish or DB.Close.
	ErrWriterClosed = errors.New("run writer closed")
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Defaults of the DB fields Open sets.
const (
	DefaultStaleAfter     = 30 * time.Second
	DefaultHeartbeatEvery = 5 * time.Second
	DefaultRetryFor       = time.Minute
)

// DB is an open storecheck database. Its fields may be changed after Open and
// before the DB is used, not while a Writer runs.
type DB struct {
	// Now is the wall clock for heartbeats and staleness; default time.Now.
	// It is not the sweep's pinned clock, which is stored as Run.Now.
	Now func() time.Time
	// StaleAfter is how old a running run's heartbeat may be before the run
	// reads as interrupted; default 30 s.
	StaleAfter time.Duration
	// HeartbeatEvery is how often a Writer stamps its run; default 5 s.
	HeartbeatEvery time.Duration
	// RetryFor is how long a PostgreSQL transaction whose connection was
	// lost is tried again before its error is returned; default 1 min.
	// Then a sweep fails, and its run reads as interrupted once its
	// heartbeat is StaleAfter old, with every page committed before kept.
	RetryFor time.Duration
	// Log receives what goes wrong without failing a call (a missed
	// heartbeat, evidence JSON cannot hold), at Warn; default: discarded.
	Log *slog.Logger

	sql  *sql.DB
	path string
	// postgres: the store is a PostgreSQL database (path is its URL,
	// without the password), not a SQLite file.
	postgres bool

	mu      sync.Mutex
	writers map[*Writer]struct{}
	// spans is FindingSpans' last answer per target (spans.go), under mu.
	spans map[string]spanMemo
}

// Open opens the database at path, creating it if needed, and applies the
// migrations it lacks. path is a SQLite file, or a PostgreSQL URL
// (postgres://…, see IsPostgres) of an existing database. Every failure
// wraps ErrUnusable. Several processes may open the same new database at
// once: each migration runs in its own write transaction and re-reads the
// schema version inside it.
func Open(ctx context.Context, path string) (*DB, error) {
	db := &DB{
		Now:            time.Now,
		StaleAfter:     DefaultStaleAfter,
		HeartbeatEvery: DefaultHeartbeatEvery,
		RetryFor:       DefaultRetryFor,
		Log:            slog.New(slog.DiscardHandler),
		path:           path,
		postgres:       IsPostgres(path),
		writers:        map[*Writer]struct{}{},
	}
	var err error
	migrate := db.migrateRetrying
	if db.postgres {
		db.path = redactDSN(path)
		db.sql, err = openPostgres(path)
		migrate = db.migratePostgres
	} else {
		db.sql, err = sql.Open("sqlite", dsn(path))
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w: %w", db.path, ErrUnusable, err)
	}
	if err := migrate(ctx); err != nil {
		db.sql.Close()
		return nil, fmt.Errorf("open %s: %w: %w", db.path, ErrUnusable, err)
	}
	return db, nil
}

// dsn builds the driver's data source name. The pragmas live in the DSN
// because the driver runs them on every new pooled connection; a PRAGMA sent
// through one Exec would reach a single connection only. _txlock=immediate
// makes write transactions take the write lock at BEGIN, so two writers wait
// on busy_timeout instead of failing with SQLITE_BUSY on lock upgrade.
// Read-only transactions (sql.TxOptions.ReadOnly) stay deferred.
func dsn(path string) string {
	// The path is a URI path: escape '?', '#' and '%' so they stay in the name.
	p := (&url.URL{Path: filepath.Clean(path)}).EscapedPath()
	return "file:" + p + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)" +
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
}

// SQL is the store's connection pool, for bulk loaders that write rows as
// the store's writers would (internal/storegen, with InsertRows). Its
// statements take ? placeholders on either store; nothing else guards
// what goes through it.
func (db *DB) SQL() *sql.DB { return db.sql }

// Close stops every Writer still running (their runs stay "running" and read
// as interrupted once stale) and closes the database.
func (db *DB) Close() error {
	db.mu.Lock()
	ws := make([]*Writer, 0, len(db.writers))
	for w := range db.writers {
		ws = append(ws, w)
	}
	db.mu.Unlock()
	for _, w := range ws {
		w.stop()
	}
	return db.sql.Close()
}

// Path returns the file name the database was opened with, or its
// PostgreSQL URL without the password.
func (db *DB) Path() string { return db.path }

func (db *DB) log() *slog.Logger {
	if db.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return db.Log
}

func (db *DB) now() time.Time {
	if db.Now == nil {
		return time.Now()
	}
	return db.Now()
}

type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the SQLite store's migrations (readMigrations).
func migrations() ([]migration, error) { return readMigrations(migrationFS, "migrations") }

// readMigrations returns the migrations in dir of fsys sorted by version.
// Their file names are NNNN_description.sql, numbered from 1 without gaps.
func readMigrations(fsys embed.FS, dir string) ([]migration, error) {
	names, err := fs.Glob(fsys, dir+"/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		base := path.Base(name)
		num, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number", base)
		}
		b, err := fsys.ReadFile(name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: want number %d", m.name, i+1)
		}
	}
	return ms, nil
}

// busyTimeout matches the busy_timeout pragma of dsn.
const busyTimeout = 10 * time.Second

// migrateRetrying runs migrate, retrying on SQLITE_BUSY for up to
// busyTimeout. When several processes open a new file at once, the first
// connection's switch to WAL can fail with SQLITE_BUSY at once, bypassing the
// busy handler, while another process converts the file; once the file is in
// WAL mode that cannot happen again, so only Open retries.
func (db *DB) migrateRetrying(ctx context.Context) error {
	deadline := time.Now().Add(busyTimeout)
	wait := 5 * time.Millisecond
	for {
		err := db.migrate(ctx)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 200*time.Millisecond)
	}
}

func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// migrate brings the schema to the newest version. The version lives in
// PRAGMA user_version, which is part of the database header and so commits
// or rolls back with the migration's transaction.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	for _, m := range ms {
		err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
			var have int
			if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
				return err
			}
			if have > len(ms) {
				return fmt.Errorf("schema version %d is newer than this storecheck knows (%d)", have, len(ms))
			}
			if have >= m.version {
				return nil // applied, possibly by another process a moment ago
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			// PRAGMA takes no parameters; the version is an int from the file name.
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version))
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// inTx runs fn in a write transaction (BEGIN IMMEDIATE) and commits it.
// On PostgreSQL a transaction that lost its connection (the server
// restarted, a proxy or the network dropped it) is run again on a new one,
// with back-off, for up to RetryFor; see retryLost.
func (db *DB) inTx(ctx context.Context, fn func(context.Context, *sql.Tx) error) error {
	if !db.postgres {
		return db.inTxOnce(ctx, fn)
	}
	return db.retryLost(ctx, func() error { return db.inTxOnce(ctx, fn) })
}

func (db *DB) inTxOnce(ctx context.Context, fn func(context.Context, *sql.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(ctx, tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Times are stored as RFC 3339 text with nanoseconds and the instant's own
// offset, so a run's clock reads back in the zone it was given in.
func formatTime(t time.Time) string { return t.Format(time.RFC3339Nano) }

func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }

func nullTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: formatTime(t), Valid: true}
}
