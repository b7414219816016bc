package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
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
// delete the blob between the two.
func putBlob(ctx context.Context, tx *sql.Tx, hash string, b []byte) error {
	_, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO blobs (hash, size, data) VALUES (?, ?, ?)", hash, len(b), b)
	if err != nil {
		return fmt.Errorf("store blob %s: %w", hash, err)
	}
	return nil
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
func deleteUnreferencedBlobs(ctx context.Context, tx *sql.Tx) (int64, error) {
	res, err := tx.ExecContext(ctx, "DELETE FROM blobs WHERE hash IN (SELECT hash FROM blobs AS b WHERE "+unreferenced+")")
	if err != nil {
		return 0, fmt.Errorf("delete unreferenced blobs: %w", err)
	}
	return res.RowsAffected()
}

// deleteBlobsIfUnreferenced deletes those of hashes that no row names any
// more: the pictures of a visit that a second visit of the same URL and
// viewport replaced.
func deleteBlobsIfUnreferenced(ctx context.Context, tx *sql.Tx, hashes []string) error {
	for _, h := range hashes {
		if _, err := tx.ExecContext(ctx, "DELETE FROM blobs AS b WHERE hash = ? AND "+unreferenced, h); err != nil {
			return fmt.Errorf("delete blob %s: %w", h, err)
		}
	}
	return nil
}
