package storage

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"image"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/storecheck/storecheck/checks"
)

// picture is n bytes that look like a JPEG to nobody but differ by seed:
// random, so that neither SQLite nor the file system could make copies
// cheap by any means but storing them once.
func picture(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 20))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return append([]byte{0xff, 0xd8}, b...)
}

// count runs a count(*) query.
func count(t *testing.T, db *DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.sql.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// storedSize is the database's bytes with the WAL checkpointed into the
// main file, so that two sizes compare the data, not the WAL's fill level.
func storedSize(t *testing.T, db *DB) int64 {
	t.Helper()
	if err := db.checkpoint(t.Context()); err != nil {
		t.Fatal(err)
	}
	n, err := db.FileSize(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A picture taken again by later runs is stored once, whichever kind it
// is; pruning keeps it while a run names it and deletes it with the last.
func TestBlobsStoredOnce(t *testing.T) {
	const runs, size = 30, 80 << 10
	cases := []struct {
		name string
		set  func(rec *PageRecord, pic []byte)
		get  func(t *testing.T, db *DB, run *RunData) []byte
	}{
		{"screenshot",
			func(rec *PageRecord, pic []byte) { rec.Page.Screenshot = pic },
			func(t *testing.T, db *DB, run *RunData) []byte {
				b, err := db.Screenshot(t.Context(), run.Pages[0].ID)
				if err != nil {
					t.Fatal(err)
				}
				return b
			}},
		{"full screenshot",
			func(rec *PageRecord, pic []byte) { rec.Page.FullScreenshot, rec.Page.FullScreenshotHeight = pic, 3000 },
			func(t *testing.T, db *DB, run *RunData) []byte {
				b, h, err := db.FullScreenshot(t.Context(), run.Pages[0].ID)
				if err != nil || (b != nil && h != 3000) {
					t.Fatalf("full screenshot %d bytes, height %d, %v", len(b), h, err)
				}
				return b
			}},
		{"evidence image",
			func(rec *PageRecord, pic []byte) {
				rec.Findings[0].Images = []checks.EvidenceImage{{Role: checks.ImageFlagged, MIME: "image/jpeg", Data: pic, W: 240, H: 240}}
			},
			func(t *testing.T, db *DB, run *RunData) []byte {
				ims, err := db.EvidenceImages(t.Context(), run.Run.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range run.Findings {
					if len(ims[f.Fingerprint]) > 0 {
						return ims[f.Fingerprint][0].Data
					}
				}
				return nil
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, _ := openTemp(t)
			pic, pic2 := picture(1, size), picture(2, size)
			store := func(pic []byte) *RunData {
				t.Helper()
				id, w := newRun(t, db)
				rec := record("https://shop.test/tea", "desktop", 2)
				rec.Page.Screenshot = nil // only the picture under test
				c.set(&rec, pic)
				if err := w.AddPage(t.Context(), rec); err != nil {
					t.Fatal(err)
				}
				if err := w.Finish(t.Context(), StatusComplete, t0); err != nil {
					t.Fatal(err)
				}
				return load(t, db, fmt.Sprint(id))
			}
			blobsOf := func(pic []byte) int {
				return count(t, db, "SELECT count(*) FROM blobs WHERE hash = ?", blobHash(pic))
			}

			store(pic)
			one := storedSize(t, db)
			var last *RunData
			for range runs - 1 {
				last = store(pic)
			}
			all := storedSize(t, db)
			if n := count(t, db, "SELECT count(*) FROM blobs"); n != 1 {
				t.Errorf("%d runs of one picture: %d blobs, want 1", runs, n)
			}
			t.Logf("%d KB after one run, %d KB after %d; the picture is %d KB", one>>10, all>>10, runs, size>>10)
			if grown := all - one; grown > int64((runs-1)*size/10) {
				t.Errorf("%d more runs of one %d KB picture grew the database by %d KB, want under a tenth of %d copies",
					runs-1, size>>10, grown>>10, runs-1)
			}
			if got := c.get(t, db, last); !bytes.Equal(got, pic) {
				t.Errorf("read back %d bytes, want the %d stored", len(got), len(pic))
			}

			res, err := db.Prune(t.Context(), "shop", 1, 0, pruneNow)
			if err != nil || len(res.Removed) != runs-1 || res.Blobs != 0 || blobsOf(pic) != 1 {
				t.Fatalf("prune to 1 run: removed %d runs, %d blobs, %v; picture stored %d times, want once",
					len(res.Removed), res.Blobs, err, blobsOf(pic))
			}
			if got := c.get(t, db, load(t, db, "latest")); !bytes.Equal(got, pic) {
				t.Errorf("after pruning, the kept run reads %d bytes, want its %d", len(got), len(pic))
			}

			other := store(pic2)
			if n := count(t, db, "SELECT count(*) FROM blobs"); n != 2 || blobsOf(pic2) != 1 {
				t.Errorf("a different picture: %d blobs, want 2", n)
			}
			res, err = db.Prune(t.Context(), "shop", 1, 0, pruneNow)
			if err != nil || len(res.Removed) != 1 || res.Blobs != 1 || blobsOf(pic) != 0 || blobsOf(pic2) != 1 {
				t.Errorf("prune the last run naming the first picture: removed %d runs, %d blobs, %v; pictures stored %d, %d times; want 0, 1",
					len(res.Removed), res.Blobs, err, blobsOf(pic), blobsOf(pic2))
			}
			if got := c.get(t, db, other); !bytes.Equal(got, pic2) {
				t.Errorf("the kept run reads %d bytes, want its %d", len(got), len(pic2))
			}
			assertNoOrphans(t, db)
		})
	}
}

// A visit stored again replaces the first one's pictures: a picture only
// the first named goes with it, one the second names again stays.
func TestReplacedVisitBlobs(t *testing.T) {
	db, _ := openTemp(t)
	_, w := newRun(t, db)
	a, b, thumb := picture(1, 1000), picture(2, 1000), picture(3, 100)
	for _, shot := range [][]byte{a, b, b} {
		rec := record("https://shop.test/tea", "desktop", 1)
		rec.Page.Screenshot = shot
		rec.Findings[0].Images = []checks.EvidenceImage{{Role: checks.ImageFlagged, MIME: "image/jpeg", Data: thumb, W: 1, H: 1}}
		if err := w.AddPage(t.Context(), rec); err != nil {
			t.Fatal(err)
		}
		for _, pic := range [][]byte{shot, thumb} {
			if n := count(t, db, "SELECT count(*) FROM blobs WHERE hash = ?", blobHash(pic)); n != 1 {
				t.Errorf("picture of the visit stored %d times, want once", n)
			}
		}
		if n := count(t, db, "SELECT count(*) FROM blobs"); n != 2 {
			t.Errorf("%d blobs after a visit replaced, want 2 (its screenshot and thumbnail)", n)
		}
	}
}

// Deleting a blob that a row still names fails: a bug in the collection
// would surface as an error, never as a lost picture.
func TestBlobStillNamed(t *testing.T) {
	db, _ := openTemp(t)
	_, w := newRun(t, db)
	if err := w.AddPage(t.Context(), record("https://shop.test/tea", "desktop", 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.sql.Exec("DELETE FROM blobs"); err == nil {
		t.Error("deleted a blob a screenshot names")
	}
}

// Two writers on one file, as two sweeps of one target in two processes,
// while retention prunes: every stored screenshot reads back, and the
// blobs left are exactly those named.
func TestPruneWhileWriting(t *testing.T) {
	db, path := openTemp(t)
	other := openPath(t, path) // a second connection pool: another process as SQLite sees it
	shot := picture(1, 20<<10)
	var wg sync.WaitGroup
	errc := make(chan error, 3)
	for _, d := range []*DB{db, other} {
		wg.Go(func() {
			for i := range 10 {
				id, err := d.CreateRun(t.Context(), runInfo("shop"))
				if err != nil {
					errc <- err
					return
				}
				w := d.Writer(id)
				rec := record("https://shop.test/tea", "desktop", 1)
				rec.Page.Screenshot = shot
				if i%2 == 1 {
					rec.Page.Screenshot = picture(uint64(100+i), 20<<10) // a changed page
				}
				if err := w.AddPage(t.Context(), rec); err != nil {
					errc <- err
					return
				}
				if err := w.Finish(t.Context(), StatusComplete, t0); err != nil {
					errc <- err
					return
				}
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			if _, err := db.Prune(context.Background(), "shop", 1, 0, pruneNow); err != nil {
				errc <- err
				return
			}
		}
	})
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	runs, err := db.Runs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		d := load(t, db, fmt.Sprint(r.ID))
		if len(d.Pages) != 1 {
			continue // pruned after Runs
		}
		if b, err := db.Screenshot(t.Context(), d.Pages[0].ID); err != nil || len(b) != len(shot) {
			t.Errorf("run %d: screenshot %d bytes, %v", r.ID, len(b), err)
		}
	}
	if n := count(t, db, "SELECT count(*) FROM blobs b WHERE "+unreferenced); n != 0 {
		t.Errorf("%d blobs no row names", n)
	}
	var named sql.NullInt64
	if err := db.sql.QueryRow("SELECT count(DISTINCT blob_hash) FROM screenshots").Scan(&named); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, "SELECT count(*) FROM blobs"); int64(n) != named.Int64 {
		t.Errorf("%d blobs, %d named", n, named.Int64)
	}
}

// A database written before pictures were stored once (schema 0008) opens
// with every picture readable as before, equal pictures collapsed into one
// blob.
func TestMigrateToBlobs(t *testing.T) {
	path := t.TempDir() + "/old.db"
	shot, full, thumb := picture(1, 5000), picture(2, 9000), picture(3, 300)
	old, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms[:8] {
		if _, err := old.Exec(m.sql); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
	}
	// Two runs of one page that looked the same both times, as 0008 stored
	// them: the bytes in each row.
	stmts := []struct {
		q    string
		args []any
	}{
		{"PRAGMA user_version = 8", nil},
		{`INSERT INTO runs (id, name, status, started_at, heartbeat_at, now, concurrency, cpus)
			VALUES (1, 'shop', 'complete', ?1, ?1, ?1, 1, 1), (2, 'shop', 'complete', ?1, ?1, ?1, 1, 1)`,
			[]any{formatTime(t0)}},
		{`INSERT INTO pages (id, run_id, url, final_url, viewport, kind, status, error, title, depth, timed_out,
			requests, transfer_bytes) VALUES (?1, ?1, 'https://shop.test/', 'https://shop.test/', 'desktop',
			'product', 200, '', 'Tea', 0, 0, 1, 100)`, []any{1}},
		{`INSERT INTO pages (id, run_id, url, final_url, viewport, kind, status, error, title, depth, timed_out,
			requests, transfer_bytes) VALUES (?1, ?1, 'https://shop.test/', 'https://shop.test/', 'desktop',
			'product', 200, '', 'Tea', 0, 0, 1, 100)`, []any{2}},
		{"INSERT INTO screenshots (page_id, jpeg) VALUES (1, ?1), (2, ?1)", []any{shot}},
		{"INSERT INTO full_screenshots (page_id, jpeg, height) VALUES (1, ?1, 4000), (2, ?1, 4000)", []any{full}},
		{`INSERT INTO findings (id, run_id, page_id, rule, severity, url, viewport, subject, message, fingerprint)
			VALUES (1, 1, 1, 'image.blurry', 'warning', 'https://shop.test/', 'desktop', 'a.jpg', 'Blurry.', 'fp'),
			       (2, 2, 2, 'image.blurry', 'warning', 'https://shop.test/', 'desktop', 'a.jpg', 'Blurry.', 'fp')`, nil},
		{`INSERT INTO evidence_images (finding_id, seq, role, mime, width, height, data, region_x, region_y, region_w, region_h)
			VALUES (1, 0, 'flagged', 'image/jpeg', 24, 16, ?1, 1, 2, 3, 4), (2, 0, 'flagged', 'image/jpeg', 24, 16, ?1, 1, 2, 3, 4),
			       (2, 1, 'reference', 'image/png', 8, 8, ?2, 0, 0, 0, 0)`, []any{thumb, shot}},
	}
	for _, s := range stmts {
		if _, err := old.Exec(s.q, s.args...); err != nil {
			t.Fatalf("%s: %v", s.q, err)
		}
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	db := openPath(t, path)
	if v := count(t, db, "PRAGMA user_version"); v != len(ms) {
		t.Errorf("schema version %d after Open, want %d", v, len(ms))
	}
	for page := int64(1); page <= 2; page++ {
		if b, err := db.Screenshot(t.Context(), page); err != nil || !bytes.Equal(b, shot) {
			t.Errorf("page %d: screenshot %d bytes, %v; want the %d stored", page, len(b), err, len(shot))
		}
		if b, h, err := db.FullScreenshot(t.Context(), page); err != nil || !bytes.Equal(b, full) || h != 4000 {
			t.Errorf("page %d: full screenshot %d bytes, height %d, %v", page, len(b), h, err)
		}
		ims, err := db.EvidenceImages(t.Context(), page) // run id = page id
		if err != nil || len(ims["fp"]) != int(page) || !bytes.Equal(ims["fp"][0].Data, thumb) ||
			ims["fp"][0].Region != image.Rect(1, 2, 4, 6) {
			t.Errorf("run %d: evidence images %+v, %v", page, ims, err)
		}
	}
	// shot is a screenshot and, in run 2, a picture of a finding: one blob.
	if n := count(t, db, "SELECT count(*) FROM blobs"); n != 3 {
		t.Errorf("%d blobs, want 3 (screenshot, full page, thumbnail)", n)
	}
	if n := count(t, db, "SELECT count(*) FROM blobs WHERE size != length(data) OR hash != lower(hash)"); n != 0 {
		t.Errorf("%d blobs with a wrong size or hash", n)
	}
	assertNoOrphans(t, db)

	// The migrated rows work as new ones: pruning run 1 keeps run 2's pictures.
	if res, err := db.Prune(t.Context(), "shop", 1, 0, pruneNow); err != nil || len(res.Removed) != 1 || res.Blobs != 0 {
		t.Fatalf("prune: %+v, %v", res, err)
	}
	if b, err := db.Screenshot(t.Context(), 2); err != nil || !bytes.Equal(b, shot) {
		t.Errorf("after pruning run 1, run 2's screenshot: %d bytes, %v", len(b), err)
	}
}
