// Package storage keeps every sweep in one SQLite file: runs, the pages they
// visited, the findings, each page's requests and its screenshot.
//
// Or in a PostgreSQL database (Open with a postgres:// URL; postgres.go):
// the same tables (migrations_pg), the same queries through pgx's
// database/sql adapter, whose connections take SQLite's ? placeholders.
// What differs is said where it differs: migrations under an advisory lock
// and a schema_version table instead of PRAGMA user_version, reads in one
// repeatable-read snapshot, and pictures locked against a concurrent
// prune (putBlob, deleteBlob), since PostgreSQL runs write transactions side
// by side where SQLite takes turns. The rest of this comment is about the
// SQLite file.
//
// One goroutine per run writes (see Writer); each finished page is committed
// with its requests, screenshot and findings in a single transaction, so a
// sweep killed at any moment leaves only whole pages behind. The database is
// opened in WAL mode with a busy timeout and write transactions start with
// BEGIN IMMEDIATE: readers (runs, show, report) never wait for a sweep, and
// two sweeps writing the same file take turns instead of failing. WAL with
// synchronous=NORMAL survives a crash of the process; only a power loss can
// drop the last commits.
//
// A run whose status is still "running" but whose heartbeat is older than
// DB.StaleAfter reads as "interrupted": the process that wrote it is gone.
//
// Screenshots are BLOBs in the database rather than files beside it. The
// database stays the one file to copy, back up or attach to a ticket; a
// screenshot is committed in the same transaction as its page, so there is
// never a page without its picture after a crash; and deleting a run needs
// no directory to sweep. Keeping them out of the pages table means listing
// and loading pages never reads image bytes. A JPEG of the first viewport is
// some 50-300 KB, well inside what SQLite serves as fast as the file system.
// The pictures behind image and logo findings (checks.Finding.Images,
// thumbnails of a few KB) are read by DB.EvidenceImages, never by LoadRun.
//
// Every picture is stored once per content, in the blobs table keyed by the
// hex SHA-256 of its bytes; screenshots, full_screenshots and
// evidence_images name theirs by hash. A daily sweep of an unchanged shop
// takes the same pictures every day, and a month of them would otherwise
// store each thirty times. Not all: of three sweeps of the demo shop, any two
// took 30-31 of 32 first screens and 23-26 of 30 full pages byte for byte
// the same; the others differed by a few levels in one to a few 8×8 blocks
// on the anti-aliased edge of a rounded corner (an image's border-radius, a
// rounded button), different visits each time with nothing on the page
// moving. One page rendered again and again in one browser flips between
// two versions of such an edge: apparently Chromium's rasterisation, mostly
// of the full page, drawn at a fractional scale (0.5 of a 1.75 DPR) beyond
// the viewport. Such a picture is stored again. The writer inserts a blob with INSERT OR IGNORE
// and the row naming it in the visit's own transaction. Deleting a run
// cascades to the rows naming pictures, not to the pictures: Prune then
// deletes, in its transaction, every blob no row names (as does AddPage for
// the pictures of a visit it replaces). SQLite runs one write transaction at
// a time, across processes too, so no sweep can name a blob between Prune's
// check and its delete; the foreign keys from the naming rows to blobs turn
// a mistake there into an error instead of a lost picture.
package storage
