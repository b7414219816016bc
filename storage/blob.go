package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"

	"modernc.org/sqlite"
)

// blobHash is the key of b in the blobs table: its SHA-256, hex, lower case.
func blobHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// The migration that moved pictures into blobs (0010_blobs.sql) hashes the
// stored bytes in SQL; SQLite has no SHA-256 of its own, so the function is
// registered with the driver for every connection it opens.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("storecheck_sha256", 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			switch v := args[0].(type) {
			case []byte:
				return blobHash(v), nil
			case string:
				return blobHash([]byte(v)), nil
			default:
				return nil, fmt.Errorf("storecheck_sha256: want a blob, got %T", v)
			}
		})
}

// putBlob stores b under hash (blobHash(b)) unless the same bytes are stored
// already. Callers insert the row naming hash in the same transaction, so a
// Prune, which takes the write lock for its whole transaction, can never
// delete the blob between the two. PostgreSQL runs write transactions side
// by side, so there the blob's row is also locked against deletion (FOR
// KEY SHARE) until the transaction ends; a blob that another transaction
// deleted between the insert and the lock is inserted again.
func (db *DB) putBlob(ctx context.Context, tx *sql.Tx, hash string, b []byte) error {
	for {
		_, err := tx.ExecContext(ctx, "INSERT INTO blobs (hash, size, data) VALUES (?, ?, ?) ON CONFLICT (hash) DO NOTHING", hash, len(b), b)
		if err != nil {
			return fmt.Errorf("store blob %s: %w", hash, err)
		}
		if !db.postgres {
			return nil
		}
		var one int
		err = tx.QueryRowContext(ctx, "SELECT 1 FROM blobs WHERE hash = ? FOR KEY SHARE", hash).Scan(&one)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("lock blob %s: %w", hash, err)
		}
	}
}

// unreferenced is the condition on blobs b that no row names b.
const unreferenced = `NOT EXISTS (SELECT 1 FROM screenshots WHERE blob_hash = b.hash)
	AND NOT EXISTS (SELECT 1 FROM full_screenshots WHERE blob_hash = b.hash)
	AND NOT EXISTS (SELECT 1 FROM evidence_images WHERE blob_hash = b.hash)`

// deleteUnreferencedBlobs deletes every blob that no screenshot, full-page
// screenshot or evidence picture names, and returns how many. It looks at
// all blobs, not only those of the rows just deleted, so blobs a replaced
// visit or an older program left behind go too. The candidates come from
// the hash index, not the table: a blob's row holds the first kilobytes of
// its picture, so scanning the table would read a page per blob. Each check
// is an index lookup. Within the write transaction nobody can add a
// reference meanwhile.
func (db *DB) deleteUnreferencedBlobs(ctx context.Context, tx *sql.Tx) (int64, error) {
	if db.postgres {
		return db.deleteUnreferencedBlobsPostgres(ctx, tx)
	}
	res, err := tx.ExecContext(ctx, "DELETE FROM blobs WHERE hash IN (SELECT hash FROM blobs AS b WHERE "+unreferenced+")")
	if err != nil {
		return 0, fmt.Errorf("delete unreferenced blobs: %w", err)
	}
	return res.RowsAffected()
}

// deleteBlobsIfUnreferenced deletes those of hashes that no row names any
// more: the pictures of a visit that a second visit of the same URL and
// viewport replaced.
func (db *DB) deleteBlobsIfUnreferenced(ctx context.Context, tx *sql.Tx, hashes []string) error {
	for _, h := range hashes {
		if _, err := db.deleteBlob(ctx, tx, h); err != nil {
			return err
		}
	}
	return nil
}

// deleteBlob deletes blob h if no row names it, and reports whether it
// did. On PostgreSQL another transaction may name it meanwhile (its
// putBlob locks the row, and its reference commits first): the foreign
// keys then refuse the delete, which is undone to a savepoint, and the
// blob stays.
func (db *DB) deleteBlob(ctx context.Context, tx *sql.Tx, h string) (bool, error) {
	const del = "DELETE FROM blobs AS b WHERE hash = ? AND " + unreferenced
	if !db.postgres {
		res, err := tx.ExecContext(ctx, del, h)
		if err != nil {
			return false, fmt.Errorf("delete blob %s: %w", h, err)
		}
		n, err := res.RowsAffected()
		return n > 0, err
	}
	if _, err := tx.ExecContext(ctx, "SAVEPOINT blob_delete"); err != nil {
		return false, err
	}
	res, err := tx.ExecContext(ctx, del, h)
	if err != nil {
		if !isForeignKeyViolation(err) {
			return false, fmt.Errorf("delete blob %s: %w", h, err)
		}
		_, err := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT blob_delete")
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	_, err = tx.ExecContext(ctx, "RELEASE SAVEPOINT blob_delete")
	return n > 0, err
}

// deleteUnreferencedBlobsPostgres is deleteUnreferencedBlobs for
// PostgreSQL: the candidates, then each alone (deleteBlob), since a sweep
// writing beside the prune may name one of them before the prune commits.
func (db *DB) deleteUnreferencedBlobsPostgres(ctx context.Context, tx *sql.Tx) (int64, error) {
	rows, err := tx.QueryContext(ctx, "SELECT hash FROM blobs AS b WHERE "+unreferenced)
	if err != nil {
		return 0, fmt.Errorf("delete unreferenced blobs: %w", err)
	}
	var hashes []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			rows.Close()
			return 0, fmt.Errorf("delete unreferenced blobs: %w", err)
		}
		hashes = append(hashes, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("delete unreferenced blobs: %w", err)
	}
	var n int64
	for _, h := range hashes {
		deleted, err := db.deleteBlob(ctx, tx, h)
		if err != nil {
			return n, err
		}
		if deleted {
			n++
		}
	}
	return n, nil
}
