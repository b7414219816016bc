// Package storage keeps every sweep in one SQLite file: runs, the pages they
// visited, the findings, each page's requests and its screenshot.
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
// Screenshots are BLOBs in their own table rather than files beside the
// database. The database stays the one file to copy, back up or attach to a
// ticket; a screenshot is committed in the same transaction as its page, so
// there is never a page without its picture or an orphaned picture after a
// crash; and deleting a run (retention) removes its screenshots through ON
// DELETE CASCADE, with no directory to sweep. Keeping them out of the pages
// table means listing and loading pages never reads image bytes. A JPEG of
// the first viewport is some 50-300 KB, well inside what SQLite serves as fast
// as the file system. The pictures behind image and logo findings
// (checks.Finding.Images, thumbnails of a few KB) live the same way, in
// evidence_images, read by DB.EvidenceImages and never by LoadRun.
package storage
