package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/checks/fingerprint"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/lang"
	"github.com/storecheck/storecheck/storage"
)

var update = flag.Bool("update", false, "rewrite the README rule table")

// cli runs storecheck in-process and returns its exit code and outputs.
func cli(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// Usage and config errors exit 2 and name the flag or the key and its line.
func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "shop.yaml")
	os.WriteFile(bad, []byte("name: shop\nscope:\n  max_pagez: 3\n"), 0o644)
	badValue := filepath.Join(dir, "value.yaml")
	os.WriteFile(badValue, []byte("start_urls: [\"http://127.0.0.1:1/\"]\nconcurrency: -1\n"), 0o644)
	badOCR := filepath.Join(dir, "ocr.yaml")
	os.WriteFile(badOCR, []byte("start_urls: [\"http://127.0.0.1:1/\"]\nocr:\n  min_confidence: 120\n"), 0o644)
	badLang := filepath.Join(dir, "lang.yaml")
	os.WriteFile(badLang, []byte("start_urls: [\"http://127.0.0.1:1/\"]\nlang: fr\n"), 0o644)
	tests := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"unknown flag", []string{"sweep", "--frob"}, "unknown flag"},
		{"unknown key with line", []string{"sweep", "--config", bad}, `shop.yaml:3: unknown key "scope.max_pagez"`},
		{"bad value with line", []string{"sweep", "--config", badValue}, `value.yaml:2: key "concurrency"`},
		{"bad ocr value with line", []string{"sweep", "--config", badOCR}, `ocr.yaml:3: key "ocr.min_confidence"`},
		{"bad viewport flag", []string{"sweep", "http://127.0.0.1:1/", "--viewport", "tablet"}, "--viewport"},
		{"bad now flag", []string{"sweep", "http://127.0.0.1:1/", "--now", "tomorrow"}, "--now"},
		{"bad fail-on flag", []string{"sweep", "http://127.0.0.1:1/", "--fail-on", "info"}, "--fail-on"},
		{"no start url", []string{"sweep", "--db", filepath.Join(dir, "x.db")}, "no start URL"},
		{"runs bad format", []string{"runs", "--format", "xml"}, "--format"},
		{"runs has no junit", []string{"runs", "--format", "junit"}, "--format"},
		{"show needs a run", []string{"show"}, "accepts 1 arg"},
		{"show bad format", []string{"show", "latest", "--format", "xml"}, "[table json junit sarif]"},
		{"rules bad format", []string{"rules", "--format", "yaml"}, "--format"},
		{"diff with one run", []string{"diff", "3"}, "no run or two"},
		{"diff bad fail-on-new", []string{"diff", "--fail-on-new", "info"}, "--fail-on-new"},
		{"diff bad format", []string{"diff", "--format", "SARIF"}, "[table json junit sarif]"},
		{"history needs a URL", []string{"history"}, "accepts 1 arg"},
		{"history bad metric", []string{"history", "https://shop.test/", "--metric", "speed"}, "--metric"},
		{"report needs a run", []string{"report"}, "accepts 1 arg"},
		{"bad lang flag", []string{"rules", "--lang", "fr"}, "--lang"},
		{"bad lang key with line", []string{"sweep", "--config", badLang}, `lang.yaml:2: key "lang"`},
	}
	t.Chdir(dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := cli(t, tt.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr: %s", code, exitUsage, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.want)
			}
		})
	}
}

// Reading commands exit 3 when the database is unusable or the run absent.
func TestCannotRun(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, bytes.Repeat([]byte("not sqlite "), 1000), 0o644)
	for _, args := range [][]string{
		{"runs", "--db", filepath.Join(dir, "missing.db")},
		{"runs", "--db", garbage},
		{"show", "latest", "--db", filepath.Join(dir, "missing.db")},
		{"diff", "--db", filepath.Join(dir, "missing.db")},
		{"history", "https://shop.test/", "--db", filepath.Join(dir, "missing.db")},
		{"report", "latest", "--db", filepath.Join(dir, "missing.db")},
		{"report", "7", "--db", garbage},
	} {
		if code, _, stderr := cli(t, args...); code != exitCannot {
			t.Errorf("%v: exit %d, want %d; stderr: %s", args, code, exitCannot, stderr)
		}
	}
	// A browser path that does not exist is "cannot run", and says how to install one.
	code, _, stderr := cli(t, "sweep", "http://127.0.0.1:1/", "--db", filepath.Join(dir, "b.db"), "--browser", filepath.Join(dir, "no-such-chromium"))
	if code != exitCannot || !strings.Contains(stderr, "apt-get install chromium") {
		t.Errorf("missing browser: exit %d, stderr %q", code, stderr)
	}
}

func TestRulesJSON(t *testing.T) {
	code, stdout, stderr := cli(t, "rules", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Rules []struct{ ID, Severity, Subject, Doc string } `json:"rules"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	reg := checks.Registry()
	if len(got.Rules) != len(reg) {
		t.Fatalf("%d rules, registry has %d", len(got.Rules), len(reg))
	}
	for i, r := range got.Rules {
		if r.ID != reg[i].ID || r.Severity != string(reg[i].Severity) || r.Doc == "" || r.Subject == "" {
			t.Errorf("rule %d = %+v, registry %s", i, r, reg[i].ID)
		}
	}
}

// The rule tables of the README and docs/rules.md are generated from the
// registry; they must not drift.
func TestReadmeRuleTable(t *testing.T) {
	const begin, end = "<!-- rules:begin -->\n", "<!-- rules:end -->"
	want := checks.MarkdownTable(checks.Registry())
	for _, path := range []string{filepath.Join("..", "..", "README.md"), filepath.Join("..", "..", "docs", "rules.md")} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		doc := string(b)
		i, j := strings.Index(doc, begin), strings.Index(doc, end)
		if i < 0 || j < i {
			t.Fatalf("%s has no %q … %q markers", path, begin, end)
		}
		if got := doc[i+len(begin) : j]; got != want {
			if *update {
				if err := os.WriteFile(path, []byte(doc[:i+len(begin)]+want+doc[j:]), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			t.Errorf("%s rule table is stale; run: go test ./cmd/storecheck -run TestReadmeRuleTable -update\n got:\n%s\nwant:\n%s", path, got, want)
		}
	}
}

// show and diff render JUnit and SARIF from a stored database, and
// --fail-on-new still decides the exit code with either format.
func TestCIFormats(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	dbPath := filepath.Join(dir, "ci.db")
	ctx := context.Background()
	db, err := storage.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, 6, 18, 10, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return start.Add(time.Hour) }
	const home = "https://shop.test/"
	for i, fs := range [][]checks.Finding{
		nil,
		{{Rule: "logo.missing", Severity: checks.SeverityError, URL: home, Viewport: "desktop", Message: "No logo.",
			Fingerprint: fingerprint.Of("logo.missing", "desktop", home, "")}},
	} {
		at := start.Add(time.Duration(i) * time.Minute)
		id, err := db.CreateRun(ctx, storage.RunInfo{Name: "shop", StartedAt: at, StartURLs: []string{home}})
		if err != nil {
			t.Fatal(err)
		}
		w := db.Writer(id)
		page := &crawler.Page{URL: home, FinalURL: home, Viewport: crawler.Viewport{Name: "desktop"}, Status: 200, Kind: crawler.KindHome}
		if err := w.AddPage(ctx, storage.PageRecord{Page: page, Findings: fs}); err != nil {
			t.Fatal(err)
		}
		if err := w.Finish(ctx, storage.StatusComplete, at.Add(10*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	tests := []struct {
		args []string
		code int
		want string // in stdout
	}{
		{[]string{"show", "1", "--format", "junit"}, exitOK, `<testcase name="storecheck" classname="storecheck">`},
		{[]string{"show", "latest", "--format", "junit"}, exitOK, `<failure message="No logo." type="error">`},
		{[]string{"show", "latest", "--format", "sarif"}, exitOK, `"version": "` + version + `"`},
		{[]string{"diff", "--format", "junit"}, exitOK, `failures="1"`},
		{[]string{"diff", "--format", "sarif"}, exitOK, `"baselineState": "new"`},
		{[]string{"diff", "--format", "sarif", "--fail-on-new", "error"}, exitFindings, `"ruleId": "logo.missing"`},
		{[]string{"diff", "2", "1", "--format", "junit", "--fail-on-new", "warning"}, exitOK, `resolved error logo.missing`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := cli(t, append(tt.args, "--db", dbPath)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			if !strings.Contains(stdout, tt.want) {
				t.Errorf("stdout does not contain %q:\n%s", tt.want, stdout)
			}
			switch {
			case strings.Contains(strings.Join(tt.args, " "), "junit"):
				if err := xml.Unmarshal([]byte(stdout), new(struct{})); err != nil {
					t.Errorf("not XML: %v", err)
				}
			default:
				if !json.Valid([]byte(stdout)) {
					t.Error("not JSON")
				}
			}
		})
	}
}

// TestShowLanguages: a stored run shows its keyed messages in the language
// asked for (--lang, else the config's lang, else LANG), a message stored
// without a key as stored; fingerprints never change.
func TestShowLanguages(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	dbPath := filepath.Join(dir, "storecheck.db")
	ctx := context.Background()
	db, err := storage.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	const home = "https://shop.test/"
	keyed := checks.Finding{Rule: "perf.heavy-page", Severity: checks.SeverityWarning, URL: home, Viewport: "desktop",
		Subject: "transfer_bytes", Msg: checks.M("perf.heavy-page", "3.2 MB", "2 MB"),
		Fingerprint: fingerprint.Of("perf.heavy-page", "desktop", home, "transfer_bytes")}
	keyed.Message = keyed.Msg.Render(lang.EN)
	old := checks.Finding{Rule: "logo.missing", Severity: checks.SeverityError, URL: home, Viewport: "desktop",
		Message: "No logo.", Fingerprint: fingerprint.Of("logo.missing", "desktop", home, "")}
	id, err := db.CreateRun(ctx, storage.RunInfo{Name: "shop", StartedAt: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), StartURLs: []string{home}})
	if err != nil {
		t.Fatal(err)
	}
	w := db.Writer(id)
	page := &crawler.Page{URL: home, FinalURL: home, Viewport: crawler.Viewport{Name: "desktop"}, Status: 200, Kind: crawler.KindHome}
	if err := w.AddPage(ctx, storage.PageRecord{Page: page, Findings: []checks.Finding{keyed, old}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(ctx, storage.StatusComplete, time.Date(2026, 11, 1, 9, 1, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	db.Close()

	const en, zh = "The page transferred 3.2 MB, over the 2 MB budget.", "页面传输了 3.2 MB，超出预算 2 MB。"
	for _, tc := range []struct {
		name   string
		config string // ./storecheck.yaml, "" for none
		env    string // LANG
		args   []string
		want   string
	}{
		{"flag zh-CN", "", "en_US.UTF-8", []string{"--lang", "zh-CN"}, zh},
		{"flag en over LANG", "", "zh_CN.UTF-8", []string{"--lang", "en"}, en},
		{"LANG", "", "zh_CN.UTF-8", nil, zh},
		{"C locale", "", "C.UTF-8", nil, en},
		{"config over LANG", "lang: en\n", "zh_CN.UTF-8", nil, en},
		{"flag over config", "lang: en\n", "C", []string{"--lang", "zh"}, zh},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("LC_ALL", "")
			t.Setenv("LC_MESSAGES", "")
			t.Setenv("LANG", tc.env)
			os.Remove(filepath.Join(dir, "storecheck.yaml"))
			if tc.config != "" {
				os.WriteFile(filepath.Join(dir, "storecheck.yaml"), []byte(tc.config), 0o644)
			}
			code, out, stderr := cli(t, append([]string{"show", "latest", "--format", "json"}, tc.args...)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var run struct {
				Findings []checks.Finding `json:"findings"`
			}
			if err := json.Unmarshal([]byte(out), &run); err != nil {
				t.Fatal(err)
			}
			got := map[string]checks.Finding{}
			for _, f := range run.Findings {
				got[f.Rule] = f
			}
			if f := got["perf.heavy-page"]; f.Message != tc.want || f.Fingerprint != keyed.Fingerprint {
				t.Errorf("perf.heavy-page: message %q, fingerprint %s; want %q, %s", f.Message, f.Fingerprint, tc.want, keyed.Fingerprint)
			}
			if f := got["logo.missing"]; f.Message != "No logo." {
				t.Errorf("logo.missing, stored without a key: message %q, want it as stored", f.Message)
			}
			// The HTML report speaks the same language, its own words too.
			code, html, stderr := cli(t, append([]string{"report", "latest", "--out", "-"}, tc.args...)...)
			if code != exitOK {
				t.Fatalf("report: exit %d: %s", code, stderr)
			}
			wantLang := `<html lang="en">`
			if tc.want == zh {
				wantLang = `<html lang="zh-CN">`
			}
			if !strings.Contains(html, wantLang) || !strings.Contains(html, tc.want) {
				t.Errorf("report: want %s and the message %q", wantLang, tc.want)
			}
		})
	}
}

// TestAssignUsage: assign refuses what it cannot record, before it opens
// the database (exit 2 and a line saying why).
func TestAssignUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "none.db")
	fp := "0123456789abcdef"
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"assign", "--db", db, "--owner", "x", "--due", "2026-11-08"}, "at least one fingerprint"},
		{[]string{"assign", "zz", "--db", db, "--owner", "x", "--due", "2026-11-08"}, "not a fingerprint"},
		{[]string{"assign", fp, "--db", db, "--due", "2026-11-08"}, "--owner is required"},
		{[]string{"assign", fp, "--db", db, "--owner", "x", "--due", "11/08"}, "--due"},
		{[]string{"assign", fp, "--db", db, "--fixed", "--owner", "x"}, "takes no --owner or --due"},
		{[]string{"assign", fp, "--db", db, "--fixed", "--due", "2026-11-08"}, "takes no --owner or --due"},
	}
	for _, tt := range tests {
		code, _, stderr := cli(t, tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("a refused assign created the database: %v", err)
	}
}
