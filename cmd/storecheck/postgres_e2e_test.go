package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storecheck/storecheck/internal/benchshop"
	"github.com/storecheck/storecheck/internal/pgtest"
	"github.com/storecheck/storecheck/internal/testsite"
	"github.com/storecheck/storecheck/storage"
)

// TestCommandsOnPostgres sweeps the same fixture pages into a SQLite file
// and, twice, into a real PostgreSQL database (a throwaway cluster), and
// holds the reading commands on PostgreSQL to what they give on SQLite:
// the same findings, runs listed, diff, history, report, track, assign
// (and --fixed, re-checked by a scheduled sweep), preflight and prune
// (issue 21: every command works the same on either store); and migrate
// copies the file's runs into PostgreSQL once.
func TestCommandsOnPostgres(t *testing.T) {
	needBrowser(t)
	cluster := pgtest.Start(t)
	pg := cluster.NewDatabase(t)
	site := testsite.Start(t, testsite.Dir(t, "fixtures"), testsite.Options{})
	pages := []string{site.URL + "/page/js-error.html", site.URL + "/page/missing-title.html"}
	lite := filepath.Join(t.TempDir(), "x.db")
	sweep := func(db string) {
		t.Helper()
		args := append([]string{"sweep", "--db", db, "--browser", browserPath, "--max-depth", "0",
			"--viewport", "desktop", "--settle", "200ms", "--now", "2026-11-05T10:00:00+08:00"}, pages...)
		if code, _, stderr := cli(t, args...); code > 1 {
			t.Fatalf("sweep into %s: exit %d\n%s", db, code, stderr)
		}
	}
	sweep(lite)
	sweep(pg)
	sweep(pg)

	// ok runs a command that must succeed and returns its stdout.
	ok := func(args ...string) string {
		t.Helper()
		code, out, stderr := cli(t, args...)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s", strings.Join(args, " "), code, stderr)
		}
		return out
	}
	// findings are the rule, URL and subject of the latest run's findings.
	findings := func(db string) []string {
		t.Helper()
		var shown struct {
			Findings []struct{ Rule, URL, Subject string }
		}
		if err := json.Unmarshal([]byte(ok("show", "latest", "--db", db, "--format", "json")), &shown); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range shown.Findings {
			out = append(out, f.Rule+" "+f.URL+" "+f.Subject)
		}
		slices.Sort(out)
		return out
	}
	want, got := findings(lite), findings(pg)
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("findings on PostgreSQL:\n%s\nwant as on SQLite:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// migrate copies the file's run into a second database, once.
	team := cluster.NewDatabase(t)
	if out := ok("migrate", "--from", lite, "--db", team, "--lang", "en"); !strings.Contains(out, "copied 1 runs") {
		t.Errorf("first migrate: %s", out)
	}
	if got := findings(team); !slices.Equal(got, want) {
		t.Errorf("findings migrated:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if out := ok("migrate", "--from", lite, "--db", team, "--lang", "en"); !strings.Contains(out, "copied 0 runs") || !strings.Contains(out, "1 already there") {
		t.Errorf("second migrate: %s", out)
	}

	var listed struct {
		Runs []struct {
			ID     int64
			Status string
		}
	}
	if err := json.Unmarshal([]byte(ok("runs", "--db", pg, "--format", "json")), &listed); err != nil {
		t.Fatal(err)
	}
	if runs := listed.Runs; len(runs) != 2 || runs[0].Status != "complete" || runs[1].Status != "complete" {
		t.Fatalf("runs on PostgreSQL: %+v, want two complete", runs)
	}
	if out := ok("diff", "--db", pg, "--format", "json"); !strings.Contains(out, `"base"`) {
		t.Errorf("diff on PostgreSQL gave %s", out)
	}
	// The dashboard's API answers with the CLI's JSON, byte for byte.
	dash := startServe(t, "--db", pg)
	for api, args := range map[string][]string{
		"/api/runs":               {"runs", "--db", pg, "--format", "json"},
		"/api/runs/latest":        {"show", "latest", "--db", pg, "--format", "json"},
		"/api/diff?base=1&head=2": {"diff", "1", "2", "--db", pg, "--format", "json"},
	} {
		resp, err := http.Get(dash + api)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if want := ok(args...); resp.StatusCode != http.StatusOK || string(body) != want {
			t.Errorf("GET %s: %d\n%s\nwant as storecheck %s:\n%s", api, resp.StatusCode, body, strings.Join(args, " "), want)
		}
	}
	ok("history", pages[0], "--db", pg)
	report := filepath.Join(t.TempDir(), "r.html")
	ok("report", "latest", "--db", pg, "--out", report)
	if out := ok("track", "--db", pg); !strings.Contains(out, "page.js-error") {
		t.Errorf("track on PostgreSQL does not list page.js-error:\n%s", out)
	}

	// assign and assign --fixed on PostgreSQL; track and the dashboard's
	// /api/track read them back; a scheduled sweep re-checks the mark.
	type tracked struct {
		Findings []struct{ Rule, Fingerprint, Owner, Recheck string }
	}
	track := func() map[string]string {
		t.Helper()
		var doc tracked
		if err := json.Unmarshal([]byte(ok("track", "--db", pg, "--format", "json")), &doc); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, f := range doc.Findings {
			out[f.Fingerprint] = f.Rule + " owner=" + f.Owner + " recheck=" + f.Recheck
		}
		return out
	}
	var owned, marked string
	for fp, l := range track() {
		switch {
		case strings.HasPrefix(l, "page.js-error"):
			owned = fp
		case marked == "" || fp < marked:
			marked = fp
		}
	}
	if owned == "" || marked == "" {
		t.Fatalf("track lists no page.js-error and another finding: %v", track())
	}
	ok("assign", owned, "--db", pg, "--owner", "运营-小王", "--due", "2026-11-08")
	ok("assign", marked, "--db", pg, "--fixed", "--note", "已修")
	lives := track()
	if !strings.HasSuffix(lives[owned], "owner=运营-小王 recheck=") || !strings.HasSuffix(lives[marked], "recheck=pending") {
		t.Errorf("track after assign and assign --fixed: %q, %q", lives[owned], lives[marked])
	}
	resp, err := http.Get(dash + "/api/track")
	if err != nil {
		t.Fatal(err)
	}
	var api tracked
	err = json.NewDecoder(resp.Body).Decode(&api)
	resp.Body.Close()
	if want := lives; err != nil || len(api.Findings) != len(want) {
		t.Errorf("/api/track: %d findings, %v; want %d", len(api.Findings), err, len(want))
	}
	for _, f := range api.Findings {
		if got := f.Rule + " owner=" + f.Owner + " recheck=" + f.Recheck; got != lives[f.Fingerprint] {
			t.Errorf("/api/track %s: %q, want as track: %q", f.Fingerprint, got, lives[f.Fingerprint])
		}
	}
	args := append([]string{"schedule", "--db", pg, "--every", "1s", "--max-runs", "1", "--browser", browserPath,
		"--max-depth", "0", "--viewport", "desktop", "--settle", "200ms", "--now", "2026-11-06T10:00:00+08:00", "--quiet"}, pages...)
	if code, _, stderr := cli(t, args...); code != 0 {
		t.Fatalf("schedule into PostgreSQL: exit %d\n%s", code, stderr)
	}
	if l := track()[marked]; !strings.HasSuffix(l, "recheck=failed") {
		t.Errorf("after a scheduled sweep that still has it, the marked finding reads %q, want its re-check failed", l)
	}
	// preflight on PostgreSQL: a target of its own.
	cfg := filepath.Join(t.TempDir(), "gate.yaml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf("name: gate\nstart_urls: [%q]\nviewports: [desktop]\nscope: {max_depth: 0}\n"+
		"campaign: {name: 双11, start: \"2026-11-11 00:00\", end: \"2026-11-11 23:59\"}\n", pages[1])), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := cli(t, "preflight", "--config", cfg, "--db", pg, "--browser", browserPath, "--settle", "200ms",
		"--format", "json", "--quiet", "--out", filepath.Join(t.TempDir(), "gate.html"))
	var verdict struct{ Verdict string }
	if code > 1 || json.Unmarshal([]byte(out), &verdict) != nil || verdict.Verdict == "" {
		t.Fatalf("preflight on PostgreSQL: exit %d\n%s\n%s", code, out, stderr)
	}

	ok("prune", "--db", pg, "--keep-runs", "1")
	listed.Runs = nil
	if err := json.Unmarshal([]byte(ok("runs", "--db", pg, "--format", "json")), &listed); err != nil || len(listed.Runs) != 2 {
		t.Errorf("after prune --keep-runs 1: %d runs, %v; want one per target", len(listed.Runs), err)
	}
}

// TestTwoSweepsOnePostgres runs two storecheck sweep processes into one
// PostgreSQL database at once and kills the first with SIGKILL halfway:
// the second completes with every page, and the first's run keeps the
// pages it committed and reads as interrupted once its heartbeat is stale
// (issue 21's acceptance).
func TestTwoSweepsOnePostgres(t *testing.T) {
	needBrowser(t)
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := binary(t)
	pg := pgtest.Start(t).NewDatabase(t)
	shop := benchshop.New(30, 200)
	srv := httptest.NewServer(shop)
	t.Cleanup(srv.Close)
	start := func() (*exec.Cmd, chan error, *strings.Builder) {
		dir := t.TempDir()
		return startSweepProcess(t, bin, dir, dir, srv.URL+"/", "--db", pg)
	}
	db, err := storage.Open(t.Context(), pg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// runs polls the runs until ok accepts them.
	runs := func(what string, ok func([]storage.Run) bool) []storage.Run {
		t.Helper()
		deadline := time.Now().Add(2 * time.Minute)
		for time.Now().Before(deadline) {
			if rs, err := db.Runs(t.Context()); err == nil && ok(rs) {
				return rs
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("no %s after 2 minutes", what)
		return nil
	}

	a, aExited, aErr := start()
	first := runs("run of the first sweep", func(rs []storage.Run) bool { return len(rs) == 1 })[0].ID
	b, bExited, bErr := start()
	defer b.Process.Kill()
	runs("three pages of the first sweep beside the second's run", func(rs []storage.Run) bool {
		return len(rs) == 2 && rs[0].ID == first && rs[0].Pages >= 3
	})
	a.Process.Kill()
	if err := <-aExited; err == nil {
		t.Fatalf("first sweep exited cleanly, want killed; stderr:\n%s", aErr)
	}
	select {
	case err := <-bExited:
		var ee *exec.ExitError
		if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) { // 1: findings at fail_on
			t.Fatalf("second sweep: %v; stderr:\n%s", err, bErr)
		}
	case <-time.After(3 * time.Minute):
		t.Fatalf("second sweep still running after 3 minutes; stderr:\n%s", bErr)
	}

	db.StaleAfter = time.Second
	time.Sleep(1500 * time.Millisecond)
	rs, err := db.Runs(t.Context())
	if err != nil || len(rs) != 2 {
		t.Fatalf("%d runs, %v; want 2", len(rs), err)
	}
	killed, done := rs[0], rs[1]
	if killed.Status != storage.StatusInterrupted || killed.Pages < 3 || killed.Pages >= 30 {
		t.Errorf("killed sweep's run: %s with %d pages; want interrupted with 3 to 29", killed.Status, killed.Pages)
	}
	if done.Status != storage.StatusComplete || done.Pages != 30 {
		t.Errorf("the other sweep's run: %s with %d pages; want complete with 30", done.Status, done.Pages)
	}
}
