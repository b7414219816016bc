package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

//go:embed migrations_pg/*.sql
var migrationFSPostgres embed.FS

// IsPostgres reports whether dsn names a PostgreSQL database
// (postgres://… or postgresql://…) rather than a SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// openPostgres opens the PostgreSQL database at dsn through pgx's
// database/sql adapter, with the connections rewriting the package's ?
// placeholders to PostgreSQL's $n (see pgConn): the store's queries are
// written once, for both databases.
func openPostgres(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(pgConnector{stdlib.GetConnector(*cfg)}), nil
}

type pgConnector struct{ driver.Connector }

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return pgConn{conn.(*stdlib.Conn)}, nil
}

// pgConn is a pgx connection that takes SQLite's ? placeholders. Every
// other method (transactions, argument checks, session reset) is pgx's.
type pgConn struct{ *stdlib.Conn }

func (c pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(rebind(query))
}

func (c pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, rebind(query))
}

func (c pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, rebind(query), args)
}

func (c pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, rebind(query), args)
}

// rebind numbers the ? placeholders of query as $1, $2, … and turns ?NNN
// into $NNN. Question marks inside quoted strings, quoted identifiers and
// comments stay.
func rebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		switch c := query[i]; c {
		case '\'', '"':
			j := strings.IndexByte(query[i+1:], c)
			if j < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+j+2])
			i += j + 1
		case '-':
			if strings.HasPrefix(query[i:], "--") {
				j := strings.IndexByte(query[i:], '\n')
				if j < 0 {
					b.WriteString(query[i:])
					return b.String()
				}
				b.WriteString(query[i : i+j+1])
				i += j
				continue
			}
			b.WriteByte(c)
		case '?':
			// ?NNN is SQLite's numbered placeholder: PostgreSQL's $NNN.
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			if j > i+1 {
				b.WriteString("$" + query[i+1:j])
				i = j - 1
				continue
			}
			n++
			fmt.Fprintf(&b, "$%d", n)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// migrationLock is the advisory lock key under which a process migrates
// a PostgreSQL store: two sweep hosts starting on a new database at once
// take turns, and the second finds the schema applied.
const migrationLock = 0x73746f7265636b // "storeck"

// migratePostgres brings a PostgreSQL store's schema to the newest
// version. The version lives in the schema_version table, written in the
// migration's own transaction; each migration runs under an advisory
// transaction lock, so concurrent openers apply it once.
func (db *DB) migratePostgres(ctx context.Context) error {
	ms, err := readMigrations(migrationFSPostgres, "migrations_pg")
	if err != nil {
		return err
	}
	for _, m := range ms {
		err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", migrationLock); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)"); err != nil {
				return err
			}
			var have int
			if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_version").Scan(&have); err != nil {
				return err
			}
			if have > len(ms) {
				return fmt.Errorf("schema version %d is newer than this storecheck knows (%d)", have, len(ms))
			}
			if have >= m.version {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM schema_version"); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO schema_version (version) VALUES (?)", m.version)
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// retryLost runs try, and again with back-off (50 ms doubling to 5 s)
// while it fails for a lost connection (connectionLost), for up to
// db.RetryFor. Each try is a whole transaction: what a lost one did was
// rolled back. A connection lost while COMMIT was on its way leaves it
// unknown whether the server committed; the try is then made again. Most
// writes come out the same done twice (a visit replaces an earlier visit
// of its URL and viewport; Finish and the heartbeat set values); site
// findings (Writer.AddSiteFindings) and a new run (CreateRun) would be
// stored twice in that case, which is left as it is: the window is the
// round trip of one COMMIT.
func (db *DB) retryLost(ctx context.Context, try func() error) error {
	deadline := time.Now().Add(db.RetryFor)
	wait := 50 * time.Millisecond
	for {
		err := try()
		if err == nil || !connectionLost(err) || time.Now().After(deadline) {
			return err
		}
		db.log().Warn("database connection lost: trying again", "db", db.path, "in", wait, "err", err)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}

// connectionLost reports whether err means the connection to the server
// is gone rather than that the statement was refused: a network error, a
// closed connection, the server shutting down or refusing connections
// (SQLSTATE class 08, 57P01–57P03).
func connectionLost(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	return errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.As(err, &ne) || errors.As(err, &ce) || pgconn.SafeToRetry(err) ||
		strings.Contains(err.Error(), "conn closed")
}

// isForeignKeyViolation reports whether err is PostgreSQL's
// foreign_key_violation (SQLSTATE 23503).
func isForeignKeyViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}

// redactDSN is dsn without its password, for messages and Path.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}
