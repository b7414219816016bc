package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/storecheck/storecheck/internal/pgtest"
	"github.com/storecheck/storecheck/internal/testsite"
)

// TestCommandsOnPostgres sweeps the same fixture pages into a SQLite file
// and, twice, into a real PostgreSQL database (a throwaway cluster), and
// holds the reading commands on PostgreSQL to what they give on SQLite:
// the same findings, runs listed, diff, history, report, track, assign and
// prune (issue 21: every command works the same on either store); and
// migrate copies the file's runs into PostgreSQL once.
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
	ok("history", pages[0], "--db", pg)
	report := filepath.Join(t.TempDir(), "r.html")
	ok("report", "latest", "--db", pg, "--out", report)
	if out := ok("track", "--db", pg); !strings.Contains(out, "page.js-error") {
		t.Errorf("track on PostgreSQL does not list page.js-error:\n%s", out)
	}
	ok("prune", "--db", pg, "--keep-runs", "1")
	listed.Runs = nil
	if err := json.Unmarshal([]byte(ok("runs", "--db", pg, "--format", "json")), &listed); err != nil || len(listed.Runs) != 1 {
		t.Errorf("after prune --keep-runs 1: %d runs, %v", len(listed.Runs), err)
	}
}
