package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/internal/pgtest"
)

// TestMain doubles as the helper process of the multi-process tests: with
// STORECHECK_STORAGE_HELPER set the test binary runs one sweep-like writer
// against STORECHECK_STORAGE_DB instead of the tests.
//
// With STORECHECK_TEST_STORE=postgres the tests run against PostgreSQL
// instead of SQLite: a throwaway cluster (internal/pgtest) for the test
// binary, a new database for each test's store (openTemp). The Makefile
// runs the package both ways; the tests of what only a SQLite file has
// (its path, WAL, older SQLite schemas) skip under PostgreSQL (sqliteOnly).
func TestMain(m *testing.M) {
	if mode := os.Getenv("STORECHECK_STORAGE_HELPER"); mode != "" {
		if err := helper(mode, os.Getenv("STORECHECK_STORAGE_DB")); err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	if os.Getenv("STORECHECK_TEST_STORE") == "postgres" {
		c, err := pgtest.New(context.Background())
		if errors.Is(err, pgtest.ErrNotInstalled) && os.Getenv("CI") != "true" {
			fmt.Fprintln(os.Stderr, "skipping the storage tests on PostgreSQL:", err)
			os.Exit(0)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "PostgreSQL for the storage tests:", err)
			os.Exit(2)
		}
		cluster = c
		code := m.Run()
		if err := c.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = max(code, 1)
		}
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// cluster is the PostgreSQL server the tests' stores live on, nil when
// they are SQLite files.
var cluster *pgtest.Cluster

// sqliteOnly skips a test of what only a SQLite store has when the tests
// run against PostgreSQL.
func sqliteOnly(t *testing.T) {
	t.Helper()
	if cluster != nil {
		t.Skip("a SQLite file's own behaviour")
	}
}

func helper(mode, path string) error {
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		return err
	}
	id, err := db.CreateRun(ctx, runInfo("helper-"+mode))
	if err != nil {
		return err
	}
	w := db.Writer(id)
	switch mode {
	case "kill":
		for i := range 3 {
			if err := w.AddPage(ctx, record(fmt.Sprintf("https://shop.test/p%d", i), "desktop", 2)); err != nil {
				return err
			}
		}
		// Die the way a killed sweep dies: no Finish, no Close, no flush.
		p, _ := os.FindProcess(os.Getpid())
		p.Kill()
		select {}
	case "write":
		if err := addPages(ctx, w, "https://shop.test/"+fmt.Sprint(os.Getpid()), 40, 4); err != nil {
			return err
		}
		return w.Finish(ctx, StatusComplete, time.Now())
	}
	return fmt.Errorf("unknown mode %q", mode)
}

var (
	t0   = time.Date(2025, 6, 18, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	jpeg = []byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0xff, 0xd9}
)

func runInfo(name string) RunInfo {
	return RunInfo{
		Name: name, StartedAt: t0, Now: t0, StartURLs: []string{"https://shop.test/"},
		ConfigJSON: []byte(`{"concurrency":2}`), Concurrency: 2, CPUs: 4, Browser: "Chromium 140.0",
	}
}

func ptr(f float64) *float64 { return &f }

func testPage(url, viewport string) *crawler.Page {
	return &crawler.Page{
		URL: url, FinalURL: url, Viewport: crawler.Viewport{Name: viewport}, Depth: 1,
		Status: 200, Kind: crawler.KindProduct, Title: "Title of " + url,
		Requests: []crawler.Request{
			{URL: url, Type: "Document", Status: 200, Bytes: 5000},
			{URL: url + "app.js", Type: "Script", Status: 0, Failure: "net::ERR_FAILED"},
		},
		Screenshot: jpeg,
		Metrics: crawler.Metrics{
			TTFBms: ptr(80), FCPms: ptr(900), LCPms: ptr(1500.5), Loadms: ptr(2100), CLS: ptr(0.05),
			Requests: 2, TransferBytes: 5000, // DOMContentLoaded and TBT not measured
		},
	}
}

func finding(rule string, sev checks.Severity, url, viewport, subject string) checks.Finding {
	return checks.Finding{
		Rule: rule, Severity: sev, URL: url, Viewport: viewport, Subject: subject,
		Message: rule + " on " + subject + ".", Evidence: map[string]any{"n": 3, "box": crawler.Box{X: 1, W: 2}},
		Fingerprint: fmt.Sprintf("%x", []byte(rule+viewport+url+subject))[:16],
	}
}

// record is a page with n findings: errors, then warnings, then infos.
func record(url, viewport string, n int) PageRecord {
	sevs := []checks.Severity{checks.SeverityError, checks.SeverityWarning, checks.SeverityInfo}
	var fs []checks.Finding
	for i := range n {
		fs = append(fs, finding("rule.r"+fmt.Sprint(i), sevs[i%3], url, viewport, fmt.Sprint("subject ", i)))
	}
	return PageRecord{Page: testPage(url, viewport), Findings: fs}
}

// addPages adds n pages under prefix, 2 findings each, from workers goroutines.
func addPages(ctx context.Context, w *Writer, prefix string, n, workers int) error {
	jobs := make(chan int)
	errc := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				if err := w.AddPage(ctx, record(fmt.Sprintf("%s/p%03d", prefix, i), "mobile", 2)); err != nil {
					errc <- err
					return
				}
			}
		})
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errc)
	return <-errc
}

// newStore names a store not created yet: a SQLite file name in the
// test's folder, or a new empty PostgreSQL database (which Open migrates).
func newStore(t *testing.T, file string) string {
	t.Helper()
	if cluster != nil {
		return cluster.NewDatabase(t)
	}
	return filepath.Join(t.TempDir(), file)
}

func openTemp(t *testing.T) (*DB, string) {
	t.Helper()
	if cluster != nil {
		u := cluster.NewDatabase(t)
		return openPath(t, u), u
	}
	path := filepath.Join(t.TempDir(), "store check?#%.db") // URI-hostile on purpose
	return openPath(t, path), path
}

func openPath(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func newRun(t *testing.T, db *DB) (int64, *Writer) {
	t.Helper()
	id, err := db.CreateRun(t.Context(), runInfo("shop"))
	if err != nil {
		t.Fatal(err)
	}
	return id, db.Writer(id)
}

func load(t *testing.T, db *DB, ref string) *RunData {
	t.Helper()
	d, err := db.LoadRun(t.Context(), ref)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestOpenTwice(t *testing.T) {
	sqliteOnly(t)
	db, path := openTemp(t)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at the path given: %v", err)
	}
	id, w := newRun(t, db)
	if err := w.AddPage(t.Context(), record("https://shop.test/", "desktop", 1)); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(t.Context(), StatusComplete, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db2 := openPath(t, path)
	var version int
	if err := db2.sql.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	ms, _ := migrations()
	if version != len(ms) {
		t.Errorf("user_version = %d, want %d", version, len(ms))
	}
	var mode string
	if err := db2.sql.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	if d := load(t, db2, fmt.Sprint(id)); len(d.Pages) != 1 || len(d.Findings) != 1 {
		t.Errorf("reopened run has %d pages, %d findings; want 1, 1", len(d.Pages), len(d.Findings))
	}
}

func TestOpenNewConcurrently(t *testing.T) {
	path := newStore(t, "new.db")
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			db, err := Open(t.Context(), path)
			if err == nil {
				_, err = db.CreateRun(t.Context(), runInfo("shop"))
				db.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("handle %d: %v", i, err)
		}
	}
	runs, err := openPath(t, path).Runs(t.Context())
	if err != nil || len(runs) != len(errs) {
		t.Errorf("Runs = %d runs, %v; want %d", len(runs), err, len(errs))
	}
}

func TestUnusable(t *testing.T) {
	if cluster != nil {
		unusablePostgres(t)
		return
	}
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("this is not a database\n", 500)), 0o644); err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(dir, "newer.db")
	db := openPath(t, newer)
	if _, err := db.sql.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	wantUnusable(t, map[string]string{
		"garbage":        garbage,
		"newer schema":   newer,
		"missing folder": filepath.Join(dir, "no", "such", "dir", "x.db"),
	})
}

// wantUnusable opens each named store and wants ErrUnusable.
func wantUnusable(t *testing.T, stores map[string]string) {
	for name, path := range stores {
		t.Run(name, func(t *testing.T) {
			db, err := Open(t.Context(), path)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			t.Log(err)
			if !errors.Is(err, ErrUnusable) {
				t.Errorf("error %v does not wrap ErrUnusable", err)
			}
		})
	}
}

// unusablePostgres is TestUnusable on PostgreSQL: a schema newer than
// this program, a database that does not exist, a URL that does not parse.
func unusablePostgres(t *testing.T) {
	newer := cluster.NewDatabase(t)
	db := openPath(t, newer)
	if _, err := db.sql.Exec("UPDATE schema_version SET version = 999"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	wantUnusable(t, map[string]string{
		"newer schema":     newer,
		"missing database": cluster.URL("no_such_db"),
		"bad URL":          "postgres://%zz/",
	})
}

func TestPageVisibleAtOnce(t *testing.T) {
	writer, path := openTemp(t)
	reader := openPath(t, path)
	id, w := newRun(t, writer)
	ref := fmt.Sprint(id)

	if err := w.AddPage(t.Context(), record("https://shop.test/a/", "desktop", 3)); err != nil {
		t.Fatal(err)
	}
	d := load(t, reader, ref)
	if len(d.Pages) != 1 || len(d.Findings) != 3 {
		t.Fatalf("after one AddPage the reader sees %d pages, %d findings; want 1, 3", len(d.Pages), len(d.Findings))
	}
	if got, want := d.Run.Findings, (Counts{Error: 1, Warning: 1, Info: 1}); got != want || d.Run.Pages != 1 {
		t.Errorf("running counts = %d pages, %+v; want 1, %+v", d.Run.Pages, got, want)
	}
	if d.Run.Status != StatusRunning || !d.Run.FinishedAt.IsZero() {
		t.Errorf("status %s, finished %v; want running, zero", d.Run.Status, d.Run.FinishedAt)
	}

	p := d.Pages[0]
	want := PageRow{
		ID: p.ID, URL: "https://shop.test/a/", FinalURL: "https://shop.test/a/", Viewport: "desktop",
		Kind: crawler.KindProduct, Status: 200, Title: "Title of https://shop.test/a/", Depth: 1,
		Metrics: testPage("x", "desktop").Metrics,
	}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("page row\n got %+v\nwant %+v", p, want)
	}
	if p.Metrics.DOMContentLoadedms != nil || p.Metrics.TBTms != nil {
		t.Error("unmeasured metrics read back non-nil")
	}
	f := d.Findings[0]
	if f.Evidence["n"] != 3.0 || !reflect.DeepEqual(f.Evidence["box"], map[string]any{"x": 1.0, "y": 0.0, "w": 2.0, "h": 0.0}) {
		t.Errorf("evidence = %#v", f.Evidence)
	}

	shot, err := reader.Screenshot(t.Context(), p.ID)
	if err != nil || string(shot) != string(jpeg) {
		t.Errorf("Screenshot = %x, %v; want %x", shot, err, jpeg)
	}
	if shot, err := reader.Screenshot(t.Context(), p.ID+100); shot != nil || err != nil {
		t.Errorf("Screenshot of a missing page = %x, %v; want nil, nil", shot, err)
	}
	if has, err := reader.ScreenshotPages(t.Context(), d.Run.ID); err != nil || !has[p.ID] || has[p.ID+100] {
		t.Errorf("ScreenshotPages = %v, %v; want page %d's", has, err, p.ID)
	}
	res, err := reader.Resources(t.Context(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantRes := []Resource{
		{URL: "https://shop.test/a/", Type: "Document", Status: 200, Bytes: 5000},
		{URL: "https://shop.test/a/app.js", Type: "Script", Failure: "net::ERR_FAILED"},
	}
	if !reflect.DeepEqual(res, wantRes) {
		t.Errorf("Resources = %+v, want %+v", res, wantRes)
	}
}

func TestFinish(t *testing.T) {
	db, _ := openTemp(t)
	id, w := newRun(t, db)
	ctx := t.Context()
	if err := w.Finish(ctx, StatusRunning, t0); err == nil {
		t.Error("Finish(running) succeeded")
	}
	for _, vp := range []string{"desktop", "mobile"} {
		if err := w.AddPage(ctx, record("https://shop.test/", vp, 4)); err != nil {
			t.Fatal(err)
		}
	}
	// A second visit replaces the first, findings included.
	if err := w.AddPage(ctx, record("https://shop.test/", "mobile", 1)); err != nil {
		t.Fatal(err)
	}
	end := t0.Add(90 * time.Second)
	if err := w.Finish(ctx, StatusComplete, end); err != nil {
		t.Fatal(err)
	}
	if err := w.AddPage(ctx, record("https://shop.test/late", "desktop", 0)); !errors.Is(err, ErrWriterClosed) {
		t.Errorf("AddPage after Finish = %v, want ErrWriterClosed", err)
	}
	if err := w.Finish(ctx, StatusComplete, end); !errors.Is(err, ErrWriterClosed) {
		t.Errorf("second Finish = %v, want ErrWriterClosed", err)
	}

	r := load(t, db, "latest").Run
	for name, tt := range map[string][2]time.Time{
		"started_at": {r.StartedAt, t0}, "finished_at": {r.FinishedAt, end}, "now": {r.Now, t0},
	} {
		got, want := tt[0], tt[1]
		_, gotOff := got.Zone()
		_, wantOff := want.Zone()
		if !got.Equal(want) || gotOff != wantOff {
			t.Errorf("%s = %v, want %v in the same offset", name, got, want)
		}
	}
	want := Run{
		ID: id, Name: "shop", Status: StatusComplete, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt,
		HeartbeatAt: r.HeartbeatAt, Now: r.Now, StartURLs: []string{"https://shop.test/"}, ConfigJSON: []byte(`{"concurrency":2}`),
		Concurrency: 2, CPUs: 4, Browser: "Chromium 140.0", Pages: 2, Findings: Counts{Error: 3, Warning: 1, Info: 1},
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("run\n got %+v\nwant %+v", r, want)
	}
	// Long finished runs are never stale.
	db.Now = func() time.Time { return time.Now().Add(24 * time.Hour) }
	if got := load(t, db, "latest").Run.Status; got != StatusComplete {
		t.Errorf("finished run reads %s a day later", got)
	}
	if err := db.SetBrowser(ctx, 99, "x"); !errors.Is(err, ErrRunNotFound) {
		t.Errorf("SetBrowser(99) = %v, want ErrRunNotFound", err)
	}
}

// TestKillSafety kills a writing process without Finish or Close and reads
// what it left.
func TestKillSafety(t *testing.T) {
	path := newStore(t, "killed.db")
	out, err := helperCmd(t, "kill", path).CombinedOutput()
	if err == nil {
		t.Fatalf("helper exited cleanly, want killed; output: %s", out)
	}
	if ee := (*exec.ExitError)(nil); !errors.As(err, &ee) || ee.Exited() {
		t.Fatalf("helper: %v, want death by signal; output: %s", err, out)
	}

	db := openPath(t, path)
	d := load(t, db, "latest")
	if len(d.Pages) != 3 || len(d.Findings) != 6 || d.Run.Pages != 3 {
		t.Errorf("killed run kept %d pages (run says %d), %d findings; want 3, 6",
			len(d.Pages), d.Run.Pages, len(d.Findings))
	}
	if d.Run.Status != StatusRunning {
		t.Errorf("with a fresh heartbeat status = %s, want running", d.Run.Status)
	}

	db.Now = func() time.Time { return time.Now().Add(DefaultStaleAfter + time.Second) }
	r := load(t, db, "latest").Run
	if r.Status != StatusInterrupted || !r.FinishedAt.Equal(r.HeartbeatAt) {
		t.Errorf("stale run: status %s, finished %v, heartbeat %v; want interrupted, finished at heartbeat",
			r.Status, r.FinishedAt, r.HeartbeatAt)
	}
	runs, err := db.Runs(t.Context())
	if err != nil || len(runs) != 1 || runs[0].Status != StatusInterrupted {
		t.Errorf("Runs = %+v, %v; want one interrupted run", runs, err)
	}

	if err := db.MarkInterrupted(t.Context(), r.ID); err != nil {
		t.Fatal(err)
	}
	var status, finished string
	if err := db.sql.QueryRow("SELECT status, finished_at FROM runs WHERE id = ?", r.ID).Scan(&status, &finished); err != nil {
		t.Fatal(err)
	}
	if status != "interrupted" || finished != formatTime(r.HeartbeatAt) {
		t.Errorf("after MarkInterrupted: status %q, finished_at %q", status, finished)
	}
	if err := db.MarkInterrupted(t.Context(), 42); !errors.Is(err, ErrRunNotFound) {
		t.Errorf("MarkInterrupted(42) = %v, want ErrRunNotFound", err)
	}
}

func helperCmd(t *testing.T, mode, path string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), exe)
	cmd.Env = append(os.Environ(), "STORECHECK_STORAGE_HELPER="+mode, "STORECHECK_STORAGE_DB="+path)
	return cmd
}

func TestHeartbeat(t *testing.T) {
	db, _ := openTemp(t)
	var mu sync.Mutex
	clock := t0
	db.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	db.HeartbeatEvery = 10 * time.Millisecond
	id, w := newRun(t, db)
	defer w.Finish(context.Background(), StatusComplete, t0)

	mu.Lock()
	clock = t0.Add(time.Hour)
	mu.Unlock()
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := load(t, db, fmt.Sprint(id)).Run
		if r.HeartbeatAt.Equal(t0.Add(time.Hour)) && r.Status == StatusRunning {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("heartbeat never advanced: %v, status %s", r.HeartbeatAt, r.Status)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSortOrder(t *testing.T) {
	db, _ := openTemp(t)
	_, w := newRun(t, db)
	ctx := t.Context()
	urls := []string{"https://shop.test/z", "https://shop.test/a", "https://shop.test/m", "https://shop.test/B"}
	var wg sync.WaitGroup
	for _, u := range urls {
		for _, vp := range []string{"mobile", "desktop"} {
			wg.Go(func() {
				rec := PageRecord{Page: testPage(u, vp), Findings: []checks.Finding{
					finding("perf.slow-load", checks.SeverityWarning, u, vp, "load_ms"),
					finding("image.broken", checks.SeverityError, u, vp, "b.jpg"),
					finding("image.broken", checks.SeverityError, u, vp, "a.jpg"),
				}}
				if err := w.AddPage(ctx, rec); err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	if err := w.Finish(ctx, StatusComplete, t0); err != nil {
		t.Fatal(err)
	}
	d := load(t, db, "latest")
	var pages []string
	for _, p := range d.Pages {
		pages = append(pages, p.URL+" "+p.Viewport)
	}
	if !sort.StringsAreSorted(pages) || len(pages) != 8 {
		t.Errorf("pages not sorted by url, viewport: %q", pages)
	}
	want := append([]checks.Finding(nil), d.Findings...)
	rand := func(fs []checks.Finding) { // reverse, then sort: order must come back
		for i, j := 0, len(fs)-1; i < j; i, j = i+1, j-1 {
			fs[i], fs[j] = fs[j], fs[i]
		}
	}
	rand(want)
	checks.SortFindings(want)
	if !reflect.DeepEqual(d.Findings, want) || len(want) != 24 {
		t.Errorf("findings not in checks.SortFindings order")
	}
	if f := d.Findings[0]; f.URL != "https://shop.test/B" || f.Viewport != "desktop" || f.Subject != "a.jpg" {
		t.Errorf("first finding = %s %s %s", f.URL, f.Viewport, f.Subject)
	}
}

func TestRunNotFound(t *testing.T) {
	db, _ := openTemp(t)
	for _, ref := range []string{"latest", "1", "0", "-1", "abc", ""} {
		if _, err := db.LoadRun(t.Context(), ref); !errors.Is(err, ErrRunNotFound) {
			t.Errorf("LoadRun(%q) on an empty DB = %v, want ErrRunNotFound", ref, err)
		}
	}
	id, _ := newRun(t, db)
	if d := load(t, db, "latest"); d.Run.ID != id || len(d.Pages) != 0 || d.Pages == nil || d.Findings == nil {
		t.Errorf("latest = run %d with pages %#v findings %#v; want run %d, empty non-nil lists",
			d.Run.ID, d.Pages, d.Findings, id)
	}
	if _, err := db.LoadRun(t.Context(), fmt.Sprint(id+1)); !errors.Is(err, ErrRunNotFound) {
		t.Errorf("LoadRun(%d) = %v, want ErrRunNotFound", id+1, err)
	}
}

func TestSiteFindings(t *testing.T) {
	db, _ := openTemp(t)
	_, w := newRun(t, db)
	ctx := t.Context()
	if err := w.AddPage(ctx, record("https://shop.test/", "desktop", 0)); err != nil {
		t.Fatal(err)
	}
	site := []checks.Finding{
		finding("page.missing-title", checks.SeverityWarning, "https://shop.test/", "desktop", "Shop"),
		finding("page.broken-link", checks.SeverityWarning, "https://shop.test/", "mobile", "https://shop.test/x"),
		finding("price.inconsistent", checks.SeverityError, "https://shop.test/gone", "desktop", "https://shop.test/p"),
	}
	site[0].Evidence = nil
	if err := w.AddSiteFindings(ctx, site); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(ctx, StatusComplete, t0); err != nil {
		t.Fatal(err)
	}

	rows, err := db.sql.Query(`SELECT f.rule, coalesce(p.url || ' ' || p.viewport, '')
		FROM findings f LEFT JOIN pages p ON p.id = f.page_id ORDER BY f.rule`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var rule, page string
		if err := rows.Scan(&rule, &page); err != nil {
			t.Fatal(err)
		}
		got[rule] = page
	}
	want := map[string]string{
		"page.missing-title": "https://shop.test/ desktop", // attached to its visit
		"page.broken-link":   "",                           // no mobile visit stored
		"price.inconsistent": "",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("page of each site finding = %v, want %v", got, want)
	}
	d := load(t, db, "latest")
	if len(d.Findings) != 3 || d.Run.Findings != (Counts{Error: 1, Warning: 2}) {
		t.Errorf("loaded %d findings, counts %+v", len(d.Findings), d.Run.Findings)
	}
	for _, f := range d.Findings {
		if f.Evidence == nil {
			t.Errorf("%s: nil evidence, want empty map", f.Rule)
		}
	}
}

func TestDeleteRunCascades(t *testing.T) {
	db, _ := openTemp(t)
	id, w := newRun(t, db)
	rec := record("https://shop.test/", "desktop", 2)
	rec.Findings[0].Images = []checks.EvidenceImage{{Role: checks.ImageFlagged, MIME: "image/png", Data: []byte("png"), W: 1, H: 1}}
	rec.Page.FullScreenshot, rec.Page.FullScreenshotHeight = []byte("\xff\xd8 full"), 1200 // kept: the findings have a box
	rec.Price = &checks.PagePrice{Current: 99, CurrentText: "¥99"}
	if err := w.AddPage(t.Context(), rec); err != nil {
		t.Fatal(err)
	}
	site := finding("page.broken-link", checks.SeverityWarning, "https://shop.test/none", "mobile", "x")
	site.Images = rec.Findings[0].Images
	if err := w.AddSiteFindings(t.Context(), []checks.Finding{site}); err != nil {
		t.Fatal(err)
	}
	w.Finish(t.Context(), StatusComplete, t0)
	tables := []string{"pages", "findings", "resources", "screenshots", "full_screenshots", "prices", "evidence_images"}
	for _, table := range tables {
		var n int
		if err := db.sql.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil || n == 0 {
			t.Fatalf("%s: %d rows before deleting the run (%v): nothing to cascade to", table, n, err)
		}
	}
	if _, err := db.sql.Exec("DELETE FROM runs WHERE id = ?", id); err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		var n int
		if err := db.sql.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d rows left after deleting the run (%v)", table, n, err)
		}
	}
}

// TestConcurrentWriters has two handles sweep into one file while a third
// reads throughout.
func TestConcurrentWriters(t *testing.T) {
	a, path := openTemp(t)
	b := openPath(t, path)
	reader := openPath(t, path)
	ctx := t.Context()

	stop := make(chan struct{})
	var readerErr error
	reads := 0
	var rwg sync.WaitGroup
	rwg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			runs, err := reader.Runs(ctx)
			if err == nil && len(runs) > 0 {
				var d *RunData
				d, err = reader.LoadRun(ctx, fmt.Sprint(runs[0].ID))
				// One snapshot: the counters match the rows read with them.
				if err == nil && (d.Run.Pages != len(d.Pages) || d.Run.Findings.Error+d.Run.Findings.Warning != len(d.Findings)) {
					err = fmt.Errorf("inconsistent snapshot: run says %d pages %+v, read %d pages %d findings",
						d.Run.Pages, d.Run.Findings, len(d.Pages), len(d.Findings))
				}
			}
			if err != nil {
				readerErr = err
				return
			}
			reads++
		}
	})

	var wg sync.WaitGroup
	ids := make([]int64, 2)
	for i, db := range []*DB{a, b} {
		wg.Go(func() {
			id, w := newRun(t, db)
			ids[i] = id
			if err := addPages(ctx, w, fmt.Sprintf("https://shop%d.test", i), 60, 4); err != nil {
				t.Error(err)
			}
			if err := w.Finish(ctx, StatusComplete, t0); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	close(stop)
	rwg.Wait()
	if readerErr != nil {
		t.Errorf("reader: %v", readerErr)
	}
	t.Logf("%d reads during the writes", reads)
	for _, id := range ids {
		d := load(t, reader, fmt.Sprint(id))
		if len(d.Pages) != 60 || len(d.Findings) != 120 || d.Run.Status != StatusComplete {
			t.Errorf("run %d: %d pages, %d findings, %s; want 60, 120, complete", id, len(d.Pages), len(d.Findings), d.Run.Status)
		}
	}
}

func TestConcurrentProcesses(t *testing.T) {
	path := newStore(t, "shared.db") // new: every process migrates it
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if out, err := helperCmd(t, "write", path).CombinedOutput(); err != nil {
				t.Errorf("helper: %v: %s", err, out)
			}
		})
	}
	wg.Wait()
	db := openPath(t, path)
	runs, err := db.Runs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 3 {
		t.Fatalf("%d runs, want 3", len(runs))
	}
	for _, r := range runs {
		if r.Status != StatusComplete || r.Pages != 40 || r.Findings != (Counts{Error: 40, Warning: 40}) {
			t.Errorf("run %d: %s, %d pages, %+v", r.ID, r.Status, r.Pages, r.Findings)
		}
	}
}

func TestCloseStopsWriters(t *testing.T) {
	db, path := openTemp(t)
	_, w := newRun(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.AddPage(context.Background(), record("https://shop.test/", "desktop", 0)); !errors.Is(err, ErrWriterClosed) {
		t.Errorf("AddPage after Close = %v, want ErrWriterClosed", err)
	}
	if r := load(t, openPath(t, path), "latest").Run; r.Status != StatusRunning {
		t.Errorf("status after Close = %s, want running (interrupted once stale)", r.Status)
	}
}

func TestAddPageCanceled(t *testing.T) {
	db, _ := openTemp(t)
	_, w := newRun(t, db)
	defer w.Finish(context.Background(), StatusComplete, t0)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := w.AddPage(ctx, record("https://shop.test/", "desktop", 1)); !errors.Is(err, context.Canceled) {
		t.Errorf("AddPage(canceled) = %v, want context.Canceled", err)
	}
	var n int
	if err := db.sql.QueryRow("SELECT count(*) FROM pages").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d pages stored by a canceled AddPage (%v)", n, err)
	}
}

func TestRunsOldestFirst(t *testing.T) {
	db, _ := openTemp(t)
	clock := t0.Add(time.Hour)
	db.Now = func() time.Time { return clock }
	for range 3 {
		if _, err := db.CreateRun(t.Context(), RunInfo{Name: "shop"}); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := db.Runs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range runs {
		ids = append(ids, r.ID)
		if !r.StartedAt.Equal(clock) || !r.Now.Equal(clock) || r.StartURLs == nil || string(r.ConfigJSON) != "{}" {
			t.Errorf("run %d defaults: started %v, now %v, urls %#v, config %s",
				r.ID, r.StartedAt, r.Now, r.StartURLs, r.ConfigJSON)
		}
	}
	if !reflect.DeepEqual(ids, []int64{1, 2, 3}) {
		t.Errorf("Runs ids = %v, want [1 2 3]", ids)
	}
}

func TestUnencodableEvidence(t *testing.T) {
	db, _ := openTemp(t)
	var logged bytes.Buffer
	db.Log = slog.New(slog.NewTextHandler(&logged, nil))
	_, w := newRun(t, db)
	rec := record("https://shop.test/", "desktop", 2)
	rec.Findings[0].Evidence = map[string]any{"cls": math.NaN()}
	if err := w.AddPage(t.Context(), rec); err != nil {
		t.Fatalf("AddPage with NaN evidence: %v", err)
	}
	d := load(t, db, "latest")
	if len(d.Findings) != 2 {
		t.Fatalf("%d findings stored, want 2", len(d.Findings))
	}
	if _, ok := d.Findings[0].Evidence["unencodable"]; !ok {
		t.Errorf("evidence = %v, want the encoding error", d.Findings[0].Evidence)
	}
	if !strings.Contains(logged.String(), "finding evidence not stored") {
		t.Errorf("DB.Log got %q, want the evidence warning", logged.String())
	}
}

// A product page's price is stored with its visit and read back with it;
// a page without one reads back nil, and a second visit replaces it.
func TestPrices(t *testing.T) {
	db, _ := openTemp(t)
	id, w := newRun(t, db)
	priced := record("https://shop.test/item/1", "desktop", 0)
	priced.Price = &checks.PagePrice{Current: 1299, Original: 1599, CurrentText: "促销价¥1,299.00", OriginalText: "¥1,599"}
	noOriginal := record("https://shop.test/item/2", "mobile", 0)
	noOriginal.Price = &checks.PagePrice{Current: 99.5, CurrentText: "¥99.50"}
	for _, rec := range []PageRecord{priced, noOriginal, record("https://shop.test/", "desktop", 0)} {
		if err := w.AddPage(t.Context(), rec); err != nil {
			t.Fatal(err)
		}
	}
	again := record("https://shop.test/item/1", "desktop", 0)
	again.Price = &checks.PagePrice{Current: 1199, Original: 1599, CurrentText: "¥1,199", OriginalText: "¥1,599"}
	if err := w.AddPage(t.Context(), again); err != nil {
		t.Fatal(err)
	}
	got := map[string]*checks.PagePrice{}
	for _, p := range load(t, db, fmt.Sprint(id)).Pages {
		got[p.URL] = p.Price
	}
	want := map[string]*checks.PagePrice{
		"https://shop.test/item/1": again.Price,
		"https://shop.test/item/2": noOriginal.Price,
		"https://shop.test/":       nil,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("prices = %+v, want %+v", got, want)
	}
}

// A full-page screenshot is kept only for a visit with a finding about a
// region of the page (evidence.box).
func TestFullScreenshotKeptWithBox(t *testing.T) {
	db, _ := openTemp(t)
	id, w := newRun(t, db)
	shot := []byte("\xff\xd8 full page jpeg")
	withBox := record("https://shop.test/a", "mobile", 1) // finding() evidence has a box
	withBox.Page.FullScreenshot, withBox.Page.FullScreenshotHeight = shot, 3200
	noBox := record("https://shop.test/b", "mobile", 1)
	noBox.Findings[0].Evidence = map[string]any{"n": 1}
	noBox.Page.FullScreenshot, noBox.Page.FullScreenshotHeight = shot, 3200
	clean := record("https://shop.test/c", "mobile", 0)
	clean.Page.FullScreenshot = shot
	for _, rec := range []PageRecord{withBox, noBox, clean} {
		if err := w.AddPage(t.Context(), rec); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range load(t, db, fmt.Sprint(id)).Pages {
		got, h, err := db.FullScreenshot(t.Context(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		kept := p.URL == "https://shop.test/a"
		if kept != (got != nil) || kept && (string(got) != string(shot) || h != 3200) {
			t.Errorf("%s: kept %d bytes, height %d", p.URL, len(got), h)
		}
	}
}

// The queries diff, history and price.reference-suspect read: complete
// runs of a target, fingerprints seen before a run, the week's lowest
// prices, one URL's visits.
func TestCompareQueries(t *testing.T) {
	db, _ := openTemp(t)
	day := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.UTC) }
	addRun := func(name string, d int, price float64, status Status, findings int) int64 {
		ri := runInfo(name)
		ri.StartedAt, ri.Now = day(d), day(d)
		id, err := db.CreateRun(t.Context(), ri)
		if err != nil {
			t.Fatal(err)
		}
		w := db.Writer(id)
		rec := record("https://shop.test/item/1", "desktop", findings)
		rec.Price = &checks.PagePrice{Current: price, CurrentText: "¥"}
		if err := w.AddPage(t.Context(), rec); err != nil {
			t.Fatal(err)
		}
		if err := w.Finish(t.Context(), status, day(d).Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		return id
	}
	r1 := addRun("shop", 1, 99, StatusComplete, 2)
	addRun("other", 2, 10, StatusComplete, 1)
	addRun("shop", 3, 89, StatusInterrupted, 0)
	r4 := addRun("shop", 5, 129, StatusComplete, 0)

	complete, err := db.CompleteRuns(t.Context(), "shop")
	if err != nil || len(complete) != 2 || complete[0].ID != r1 || complete[1].ID != r4 {
		t.Fatalf("complete runs %+v, %v", complete, err)
	}
	fp := record("https://shop.test/item/1", "desktop", 2).Findings[1].Fingerprint
	seen, err := db.SeenBefore(t.Context(), "shop", r4, []string{fp, "nope"})
	if err != nil || !seen[fp] || seen["nope"] || len(seen) != 1 {
		t.Errorf("seen before run %d: %v, %v", r4, seen, err)
	}
	low, err := db.LowestPrices(t.Context(), "shop", day(5).AddDate(0, 0, -7), day(5))
	if err != nil || low["https://shop.test/item/1"] != 99 || len(low) != 1 {
		t.Errorf("lowest prices %v, %v (the interrupted run's 89 and the other target's 10 do not count)", low, err)
	}
	vs, err := db.History(t.Context(), "https://shop.test/item/1")
	if err != nil || len(vs) != 4 {
		t.Fatalf("history: %d visits, %v", len(vs), err)
	}
	if vs[0].Run.ID != r1 || vs[0].Findings.Error != 1 || vs[0].Findings.Warning != 1 || vs[0].Page.Price.Current != 99 {
		t.Errorf("first visit %+v", vs[0])
	}
}

// The pictures of a finding are stored with it and read back by fingerprint,
// in order, by EvidenceImages only: LoadRun never reads them. A visit done
// again replaces its findings' pictures with the new ones.
func TestEvidenceImages(t *testing.T) {
	db, _ := openTemp(t)
	id, w := newRun(t, db)
	flagged := checks.EvidenceImage{Role: checks.ImageFlagged, MIME: "image/jpeg", Data: []byte("\xff\xd8 thumb\x00"), W: 240, H: 160}
	drawn := checks.EvidenceImage{Role: checks.ImageDrawn, MIME: "image/png", Data: []byte("\x89PNG drawn"), W: 72, H: 40}
	ref := checks.EvidenceImage{Role: checks.ImageReference, MIME: "image/png", Data: []byte("\x89PNG ref"), W: 240, H: 240}
	// A crop of a picture text was read from keeps which part it shows.
	read := checks.EvidenceImage{Role: checks.ImageRead, MIME: "image/jpeg", Data: []byte("\xff\xd8 crop"), W: 480, H: 154,
		Region: image.Rect(0, 1410, 750, 1650)}

	a := record("https://shop.test/a", "mobile", 3) // 0: logo, 1: image, 2: no pictures
	a.Findings[0].Images = []checks.EvidenceImage{drawn, ref}
	a.Findings[1].Images = []checks.EvidenceImage{flagged, read}
	b := record("https://shop.test/b", "mobile", 1)
	b.Findings[0].Images = []checks.EvidenceImage{flagged}
	site := finding("product.few-images", checks.SeverityWarning, "https://shop.test/a", "mobile", "")
	site.Images = []checks.EvidenceImage{flagged, flagged}
	for _, rec := range []PageRecord{a, b} {
		if err := w.AddPage(t.Context(), rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.AddSiteFindings(t.Context(), []checks.Finding{site}); err != nil {
		t.Fatal(err)
	}
	// b visited again, its finding now without a picture.
	b2 := record("https://shop.test/b", "mobile", 1)
	if err := w.AddPage(t.Context(), b2); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(t.Context(), StatusComplete, t0); err != nil {
		t.Fatal(err)
	}

	for _, f := range load(t, db, fmt.Sprint(id)).Findings {
		if f.Images != nil {
			t.Errorf("LoadRun read the pictures of %s", f.Rule)
		}
	}
	got, err := db.EvidenceImages(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]checks.EvidenceImage{
		a.Findings[0].Fingerprint: {drawn, ref},
		a.Findings[1].Fingerprint: {flagged, read},
		site.Fingerprint:          {flagged, flagged},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("EvidenceImages =\n%+v\nwant\n%+v", got, want)
	}
	var rows int
	if err := db.sql.QueryRow("SELECT count(*) FROM evidence_images").Scan(&rows); err != nil || rows != 6 {
		t.Errorf("%d picture rows (%v), want 6: the replaced visit's picture is left behind", rows, err)
	}

	other, _ := newRun(t, db)
	if got, err := db.EvidenceImages(t.Context(), other); err != nil || len(got) != 0 {
		t.Errorf("run without pictures: %v, %v", got, err)
	}
}

// TestMessageKeys: a finding's message key and arguments come back as
// stored, each argument of its kind (2.0 a float, 2 an integer), from
// LoadRun and Occurrences; a finding without a key comes back without one.
func TestMessageKeys(t *testing.T) {
	db, _ := openTemp(t)
	_, w := newRun(t, db)
	ctx := t.Context()
	rec := record("https://shop.test/", "desktop", 2)
	msg := checks.M("perf.slow-load/load", "2 100", 2.0, 2, "¥39.9")
	rec.Findings[0].Msg = msg
	if err := w.AddPage(ctx, rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(ctx, StatusComplete, t0); err != nil {
		t.Fatal(err)
	}
	occ, err := db.Occurrences(ctx, "shop")
	if err != nil {
		t.Fatal(err)
	}
	loaded := load(t, db, "latest").Findings
	for name, fs := range map[string][]checks.Finding{"LoadRun": loaded, "Occurrences": {occ[0].Finding, occ[1].Finding}} {
		byRule := map[string]checks.Msg{}
		for _, f := range fs {
			byRule[f.Rule] = f.Msg
		}
		if got := byRule[rec.Findings[0].Rule]; !reflect.DeepEqual(got, msg) {
			t.Errorf("%s: message %#v, want %#v", name, got, msg)
		}
		if got := byRule[rec.Findings[1].Rule]; got.Key != "" || got.Args != nil {
			t.Errorf("%s: a finding stored without a key came back with %#v", name, got)
		}
	}
}

// TestRunHost: the host a run measured is read back as stored, and a run
// that measured nothing reads as zero (NULL), not as a fast idle machine.
func TestRunHost(t *testing.T) {
	db, _ := openTemp(t)
	f := func(v float64) *float64 { return &v }
	hosts := []Host{{BenchmarkIndex: f(987.5), LoadAvg: f(2.75)}, {}, {LoadAvg: f(0)}}
	for _, h := range hosts {
		if _, err := db.CreateRun(t.Context(), RunInfo{Name: "shop", CPUs: 2, Host: h}); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := db.Runs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range runs {
		if !reflect.DeepEqual(r.Host, hosts[i]) || r.CPUs != 2 {
			t.Errorf("run %d host %+v on %d CPUs, want %+v on 2", r.ID, r.Host, r.CPUs, hosts[i])
		}
	}
	var nulls int
	if err := db.sql.QueryRowContext(t.Context(), "SELECT count(*) FROM runs WHERE benchmark_index IS NULL").Scan(&nulls); err != nil {
		t.Fatal(err)
	}
	if nulls != 2 {
		t.Errorf("%d runs store no benchmark index, want 2", nulls)
	}
}

// TestConnectionLost cuts every connection of a PostgreSQL store in the
// middle of a run (pg_terminate_backend, as a server restart or a proxy
// does): the writer's next page is committed on a new connection, and the
// run completes with every page.
func TestConnectionLost(t *testing.T) {
	if cluster == nil {
		t.Skip("a PostgreSQL store's connections")
	}
	db, url := openTemp(t)
	_, w := newRun(t, db)
	ctx := t.Context()
	if err := w.AddPage(ctx, record("https://shop.test/a", "desktop", 2)); err != nil {
		t.Fatal(err)
	}
	admin := openPath(t, url)
	var cut int
	if err := admin.sql.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&cut); err != nil {
		t.Fatal(err)
	}
	if cut == 0 {
		t.Fatal("no connection of the writer's to cut")
	}
	if err := w.AddPage(ctx, record("https://shop.test/b", "desktop", 2)); err != nil {
		t.Fatalf("AddPage after %d connections were cut: %v", cut, err)
	}
	if err := w.Finish(ctx, StatusComplete, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if d := load(t, admin, "latest"); d.Run.Status != StatusComplete || len(d.Pages) != 2 || len(d.Findings) != 4 {
		t.Errorf("run after the cut: %s, %d pages, %d findings; want complete, 2, 4", d.Run.Status, len(d.Pages), len(d.Findings))
	}
}
