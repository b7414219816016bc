package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/storage"
)

// tinySite is a two-page shop: a sweep of it takes about a second.
func tinySite(t *testing.T) *httptest.Server {
	t.Helper()
	page := func(title, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>%s</title></head>
<body><nav><a href="/">首页</a> <a href="/about.html">关于我们</a></nav>
<h1>%s</h1><p>%s</p></body></html>`, title, title, body)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", page("山野茶铺", "新茶上市。"))
	mux.HandleFunc("/about.html", page("关于我们", "山野茶铺始于 2009 年。"))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// schedule --every runs sweeps one after another, never two at once, each
// on the wall clock, logs each with its changes, and on SIGTERM stops the
// sweep in progress (kept, interrupted), starts no other and exits 0.
func TestScheduleEvery(t *testing.T) {
	needBrowser(t)
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := binary(t)
	srv := tinySite(t)
	dir := t.TempDir()
	tmp := filepath.Join(dir, "tmp") // the browser's profile lands here
	os.Mkdir(tmp, 0o755)
	cfgPath := filepath.Join(dir, "shop.yaml")
	cfgBody := fmt.Sprintf("name: tiny\nstart_urls: [%q]\npage_timeout: 10s\nviewports: [desktop]\n", srv.URL+"/")
	if err := os.WriteFile(cfgPath, []byte(cfgBody), 0o644); err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(dir, "runs.db")
	cmd := exec.Command(bin, "schedule", "--config", cfgPath, "--every", "2s", "--db", dbPath,
		"--concurrency", "1", "--settle", "100ms", "--quiet")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "STORECHECK_BROWSER="+browserPath)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var waitErr error
	exited := make(chan struct{})
	go func() { waitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill() // after a failure; a no-op once it exited
		<-exited
		if t.Failed() {
			t.Logf("stderr:\n%s", stderr.String())
		}
	})

	// Two complete runs, then stop the third while it runs. The bounds here
	// and below only catch a hang: a sweep of this two-page site took 7.6 s
	// on a 2-core machine running two other test lanes, about 1 s alone.
	waitForRuns(t, dbPath, exited, 4*time.Minute, func(runs []storage.Run) bool {
		return len(runs) >= 3 && runs[1].Status == storage.StatusComplete && runs[2].Status == storage.StatusRunning
	})
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
		if waitErr != nil {
			t.Errorf("schedule exited with %v after SIGTERM, want exit 0", waitErr)
		}
	case <-time.After(2 * time.Minute):
		t.Fatalf("schedule did not stop on SIGTERM")
	}
	t.Logf("schedule ran %v", time.Since(start).Round(100*time.Millisecond))

	db, err := storage.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	runs, err := db.Runs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) < 2 {
		t.Fatalf("%d runs stored, want at least 2", len(runs))
	}
	complete := 0
	for i, r := range runs {
		t.Logf("run %d: %s, %d pages, %s → %s", r.ID, r.Status, r.Pages,
			r.StartedAt.Format("15:04:05.000"), r.FinishedAt.Format("15:04:05.000"))
		switch r.Status {
		case storage.StatusComplete:
			complete++
		case storage.StatusRunning:
			t.Errorf("run %d still running after the schedule exited", r.ID)
		}
		if r.FinishedAt.IsZero() {
			t.Errorf("run %d has no finish time", r.ID)
		}
		if i == 0 {
			continue
		}
		prev := runs[i-1]
		if r.StartedAt.Before(prev.FinishedAt) {
			t.Errorf("run %d started %v, before run %d finished %v: sweeps overlapped", r.ID, r.StartedAt, prev.ID, prev.FinishedAt)
		}
		if !r.Now.After(prev.Now) {
			t.Errorf("run %d's clock %v is not after run %d's %v: want the wall clock per run", r.ID, r.Now, prev.ID, prev.Now)
		}
	}
	if complete < 2 {
		t.Errorf("%d complete runs, want at least 2", complete)
	}
	if last := runs[len(runs)-1]; len(runs) != 3 || last.Status != storage.StatusInterrupted {
		t.Errorf("%d runs, the last %s; want 3, the one SIGTERM stopped interrupted and none after it", len(runs), last.Status)
	}
	logs := stderr.String()
	for _, want := range []string{"schedule started", "sweep finished", "changes since the previous complete run",
		"schedule stopping", "sweep interrupted: finished pages kept", "schedule stopped"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	if n := strings.Count(logs, `msg="sweep finished"`); n < complete {
		t.Errorf("%d sweep summaries logged for %d complete runs", n, complete)
	}
	waitNoBrowser(t, tmp)
}

// waitForRuns polls the database until its runs satisfy ok.
func waitForRuns(t *testing.T, dbPath string, exited chan struct{}, limit time.Duration, ok func([]storage.Run) bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			t.Fatalf("schedule ended before it was stopped")
		default:
		}
		if _, err := os.Stat(dbPath); err == nil {
			if db, err := storage.Open(context.Background(), dbPath); err == nil {
				runs, err := db.Runs(context.Background())
				db.Close()
				if err == nil && ok(runs) {
					return
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("runs not as awaited after %v", limit)
}

// A sweep that cannot run (no start URL answers) is logged and the schedule
// goes on; --max-runs ends it with exit 0.
func TestScheduleKeepsGoing(t *testing.T) {
	needBrowser(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "runs.db")
	// Skipped ticks are logged from cron's goroutine while the sweep logs
	// from its own: the log must take concurrent writes, as os.Stderr does.
	var out, errb syncBuffer
	code := run(context.Background(), []string{"schedule", "http://127.0.0.1:1/", "--every", "1s", "--max-runs", "2",
		"--db", dbPath, "--browser", browserPath, "--viewport", "desktop", "--concurrency", "1", "--quiet"}, &out, &errb)
	stderr := errb.String()
	if code != 0 {
		t.Fatalf("exit %d, want 0 after --max-runs 2; stderr:\n%s", code, stderr)
	}
	if n := strings.Count(stderr, "sweep failed; the schedule goes on"); n != 2 {
		t.Errorf("%d failed sweeps logged, want 2:\n%s", n, stderr)
	}
	if !strings.Contains(stderr, "exit_code=3") {
		t.Errorf("failed sweeps do not say they could not run (exit_code=3):\n%s", stderr)
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Usage errors of schedule exit 2 and name the flag; what makes every sweep
// impossible exits 3 at once, not at the first tick.
func TestScheduleUsage(t *testing.T) {
	dir := t.TempDir()
	url := "http://127.0.0.1:1/"
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"bad cron field", []string{url, "--cron", "61 * * * *"}, exitUsage, "--cron"},
		{"too few cron fields", []string{url, "--cron", "0 9 * *"}, exitUsage, "--cron"},
		{"bad descriptor", []string{url, "--cron", "@fortnightly"}, exitUsage, "--cron"},
		{"bare time zone", []string{url, "--cron", "CRON_TZ=UTC"}, exitUsage, "--cron"},
		{"never fires", []string{url, "--cron", "0 0 30 2 *"}, exitUsage, "never fires"},
		{"cron before config", []string{"--config", filepath.Join(dir, "none.yaml"), "--cron", "nope"}, exitUsage, "--cron"},
		{"both", []string{url, "--cron", "@daily", "--every", "1h"}, exitUsage, "exactly one of --cron and --every"},
		{"neither", []string{url}, exitUsage, "exactly one of --cron and --every"},
		{"every too short", []string{url, "--every", "500ms"}, exitUsage, "--every"},
		{"every fraction", []string{url, "--every", "1500ms"}, exitUsage, "--every"},
		{"every not a duration", []string{url, "--every", "daily"}, exitUsage, "--every"},
		{"fail-on", []string{url, "--cron", "@daily", "--fail-on", "error"}, exitUsage, "--fail-on"},
		{"json", []string{url, "--cron", "@daily", "--json", "x.json"}, exitUsage, "--json"},
		{"negative max-runs", []string{url, "--cron", "@daily", "--max-runs", "-1"}, exitUsage, "--max-runs"},
		{"bad sweep flag", []string{url, "--cron", "@daily", "--viewport", "tablet"}, exitUsage, "--viewport"},
		{"no start URL", []string{"--cron", "@daily"}, exitUsage, "no start URL"},
		{"no browser", []string{url, "--cron", "@daily", "--browser", filepath.Join(dir, "no-chromium")}, exitCannot, "browser"},
		{"database unusable", []string{url, "--cron", "@daily", "--browser", "/bin/true", "--db", dir}, exitCannot, "database unusable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := cli(t, append([]string{"schedule"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, want %d; stderr %q, want it to mention %q", code, tt.code, stderr, tt.want)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
		})
	}
}

// seeded is a run for seedRuns: its target and age.
type seeded struct {
	name    string
	daysAgo int
}

// openSeedDB opens the database at path for a seeding helper, which closes
// it once it has seeded (the command under test opens the file next).
func openSeedDB(t *testing.T, path string) *storage.DB {
	t.Helper()
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// seedMeasures stores one picture measure per key in the database at path,
// last used the given number of days ago.
func seedMeasures(t *testing.T, path string, daysAgo map[string]int) {
	t.Helper()
	ctx := context.Background()
	db := openSeedDB(t, path)
	defer db.Close()
	for key, days := range daysAgo {
		db.Now = func() time.Time { return time.Now().AddDate(0, 0, -days) }
		if err := db.MeasureStore().SaveMeasures(ctx, map[string][]byte{key: []byte(`{}`)}, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// seedRuns stores complete runs of the given targets, one page each,
// started the given number of days ago, and returns their ids.
func seedRuns(t *testing.T, path string, runs ...seeded) []int64 {
	t.Helper()
	ctx := context.Background()
	db := openSeedDB(t, path)
	defer db.Close()
	var ids []int64
	for i, r := range runs {
		started := time.Now().AddDate(0, 0, -r.daysAgo)
		id, err := db.CreateRun(ctx, storage.RunInfo{Name: r.name, StartedAt: started, Concurrency: 1, CPUs: 1})
		if err != nil {
			t.Fatal(err)
		}
		w := db.Writer(id)
		u := fmt.Sprintf("https://%s.test/p%d", r.name, i)
		// Each run's screenshot differs (its index at the end): equal ones
		// would be stored once, and pruning would free nothing.
		shot := append(bytes.Repeat([]byte{0xff, 0xd8, 7}, 10000), byte(i), byte(i>>8))
		p := &crawler.Page{URL: u, FinalURL: u, Viewport: crawler.Desktop, Status: 200, Kind: crawler.KindOther,
			Screenshot: shot}
		if err := w.AddPage(ctx, storage.PageRecord{Page: p}); err != nil {
			t.Fatal(err)
		}
		if err := w.Finish(ctx, storage.StatusComplete, started.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// prune deletes what retention (flags over config) no longer keeps, for
// --target, else the config's target, else every target, and vacuums.
func TestPruneCommand(t *testing.T) {
	// ids 1-4: shop, 30, 20, 10 and 1 days old; 5: other, 40 days old.
	runs := []seeded{{"shop", 30}, {"shop", 20}, {"shop", 10}, {"shop", 1}, {"other", 40}}
	tests := []struct {
		name    string
		config  string // written to shop.yaml and passed with --config when set
		args    []string
		code    int
		removed []int64
		want    string // in stdout on success, stderr otherwise
	}{
		{"keep runs, every target", "", []string{"--keep-runs", "2"}, 0, []int64{1, 2}, "shop: removed 2 runs (2 pages), kept 2"},
		{"keep days, every target", "", []string{"--keep-days", "15"}, 0, []int64{1, 2}, "other: removed 0 runs (0 pages), kept 1"},
		{"target", "", []string{"--keep-runs", "1", "--target", "other"}, 0, nil, "other: removed 0 runs"},
		{"config target and retention", "name: shop\nretention: {keep_runs: 3}\n", nil, 0, []int64{1}, "removed run 1\tshop\tcomplete"},
		{"flag over config", "name: shop\nretention: {keep_runs: 3}\n", []string{"--keep-runs", "1"}, 0, []int64{1, 2, 3}, "kept 1"},
		{"no limits", "", nil, 0, nil, "retention keeps every run"},
		{"unknown target", "", []string{"--keep-runs", "1", "--target", "shpo"}, exitCannot, nil, `--target "shpo": no runs of it stored (targets: other, shop)`},
		{"negative", "", []string{"--keep-runs", "-1"}, exitUsage, nil, "--keep-runs"},
		{"bad config", "retention: {keep_runs: -2}\n", nil, exitUsage, nil, "retention.keep_runs"},
		{"argument", "", []string{"shop"}, exitUsage, nil, "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			dbPath := filepath.Join(dir, "runs.db")
			seedRuns(t, dbPath, runs...)
			seedMeasures(t, dbPath, map[string]int{"old": 40, "fresh": 1})
			args := append([]string{"prune", "--db", dbPath}, tt.args...)
			if tt.config != "" {
				cfg := filepath.Join(dir, "shop.yaml")
				os.WriteFile(cfg, []byte(tt.config), 0o644)
				args = append(args, "--config", cfg)
			}
			code, out, stderr := cli(t, args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", code, tt.code, out, stderr)
			}
			text := out
			if code != 0 {
				text = stderr
			}
			if !strings.Contains(text, tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, text)
			}
			if code == 0 && !strings.Contains(out, "bytes after vacuum") {
				t.Errorf("stdout lacks the file size:\n%s", out)
			}
			db, err := storage.Open(context.Background(), dbPath)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			// Whatever the runs' retention, a prune that ran drops the
			// picture measures no sweep used in 30 days, and only those.
			if code == 0 && !strings.Contains(out, "picture measures: removed 1 entries no sweep used in 30 days") {
				t.Errorf("stdout does not report the old picture measure removed:\n%s", out)
			}
			for key, want := range map[string]bool{"old": code != 0, "fresh": true} {
				if _, ok, err := db.MeasureStore().LoadMeasure(context.Background(), key); err != nil || ok != want {
					t.Errorf("picture measure %q stored: %v (%v), want %v", key, ok, err, want)
				}
			}
			stored, _ := db.Runs(context.Background())
			left := map[int64]bool{}
			for _, r := range stored {
				left[r.ID] = true
			}
			gone := map[int64]bool{}
			for _, id := range tt.removed {
				gone[id] = true
			}
			for id := int64(1); id <= int64(len(runs)); id++ {
				if left[id] == gone[id] {
					t.Errorf("run %d: stored %v, want removed %v", id, left[id], gone[id])
				}
			}
		})
	}
}

// prune shrinks the file, and never creates a database.
func TestPruneFileSize(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "runs.db")
	var runs []seeded
	for i := range 40 {
		runs = append(runs, seeded{"shop", 40 - i})
	}
	seedRuns(t, dbPath, runs...)
	code, out, stderr := cli(t, "prune", "--db", dbPath, "--keep-runs", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var before, after int64
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "bytes after vacuum") {
			fmt.Sscanf(line[len(dbPath)+2:], "%d bytes before, %d bytes after", &before, &after)
		}
	}
	t.Logf("%d bytes before, %d after", before, after)
	if before == 0 || after*4 > before {
		t.Errorf("file %d bytes before, %d after pruning 38 of 40 runs: want it to shrink to under a quarter\n%s", before, after, out)
	}

	missing := filepath.Join(dir, "none.db")
	if code, _, stderr := cli(t, "prune", "--db", missing, "--keep-runs", "1"); code != exitCannot || !strings.Contains(stderr, "database unusable") {
		t.Errorf("missing database: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("prune created %s", missing)
	}
}
