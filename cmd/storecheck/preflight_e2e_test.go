package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storecheck/storecheck/internal/testsite"
)

// preflightJSON is the part of `preflight --format json` the tests read.
type preflightJSON struct {
	Verdict  string `json:"verdict"`
	At       string `json:"at"`
	Blocking []struct {
		Rule, URL, Fingerprint, Owner, Due string
	} `json:"blocking"`
	Changes *struct {
		Resolved int `json:"resolved"`
	} `json:"changes"`
	Report string `json:"report"`
}

// TestPreflight: the demo shop's campaign page states 11月1日–11日 while the
// campaign is the one day of 11 November, which opens in the future of
// every run here. preflight sees it as at campaign.start: NO-GO, exit 1,
// the mismatch listed (with its owner once assigned); with the page fixed:
// GO, exit 0.
func TestPreflight(t *testing.T) {
	needBrowser(t)
	t.Parallel() // beside another site sweep: see TestMain
	root := copyDir(t, testsite.Dir(t, "demo"))
	site := testsite.Start(t, root, testsite.Options{SlowDelay: 500 * time.Millisecond})
	dir := t.TempDir()
	cfg := filepath.Join(dir, "shop.yaml")
	body := fmt.Sprintf("name: preflight\nstart_urls: [%q]\npage_timeout: 15s\nviewports: [desktop]\n%s"+
		"scope: {max_depth: 1, include: [\"^/$\", \"^/slow/promo/\"]}\n"+
		"campaign: {name: 双11好茶节, start: \"2026-11-11 00:00\", end: \"2026-11-11 23:59\", pages: [\"/promo/\"]}\n",
		site.URL+"/", testBudgets)
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "runs.db")
	out := filepath.Join(dir, "preflight.html")
	preflight := func(wantCode int) preflightJSON {
		t.Helper()
		code, stdout, stderr := cli(t, "preflight", "--config", cfg, "--db", db, "--browser", browserPath,
			"--settle", "300ms", "--out", out, "--format", "json", "--quiet")
		if code != wantCode {
			t.Fatalf("preflight exit %d, want %d:\n%s\n%s", code, wantCode, stdout, stderr)
		}
		var v preflightJSON
		if err := json.Unmarshal([]byte(stdout), &v); err != nil {
			t.Fatalf("%v: %s", err, stdout)
		}
		if _, err := os.Stat(v.Report); err != nil {
			t.Errorf("report %q: %v", v.Report, err)
		}
		return v
	}
	blocking := func(v preflightJSON) []string {
		var out []string
		for _, b := range v.Blocking {
			out = append(out, b.Rule+" "+pathOf(b.URL)+" "+b.Owner)
		}
		return out
	}

	v := preflight(exitFindings)
	v0 := v
	if v.Verdict != "NO-GO" || !strings.HasPrefix(v.At, "2026-11-11T00:00:00+08:00") {
		t.Errorf("verdict %s at %s, want NO-GO at campaign.start", v.Verdict, v.At)
	}
	want := []string{"promo.window-mismatch /slow/promo/double11.html "}
	if got := blocking(v); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("blocking:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Who owns it shows in the next verdict.
	if code, _, stderr := cli(t, "assign", v.Blocking[0].Fingerprint, "--db", db, "--owner", "运营-小王", "--due", "2026-11-08"); code != 0 {
		t.Fatalf("assign: exit %d %s", code, stderr)
	}
	v = preflight(exitFindings)
	if got := blocking(v); len(got) != 1 || got[0] != "promo.window-mismatch /slow/promo/double11.html 运营-小王" {
		t.Errorf("blocking after assign: %v", got)
	}

	// Fix the page's dates: GO.
	promo := "slow/promo/double11.html"
	edit(t, root, promo, "2026年11月1日 00:00 至", "2026年11月11日 00:00 至")
	edit(t, root, promo, `data-start="2026-11-01T00:00:00+08:00"`, `data-start="2026-11-11T00:00:00+08:00"`)
	edit(t, root, promo, "2026年11月1日至11日", "2026年11月11日")
	v = preflight(0)
	if v.Verdict != "GO" || len(v.Blocking) != 0 || v.Changes == nil || v.Changes.Resolved < 1 {
		t.Errorf("after the fix: %+v", v)
	}

	// The rectification follow-up: track shows the fixed finding resolved by
	// the last run, with its owner.
	mismatch := v0.Blocking[0].Fingerprint
	life := func(now string) trackLife {
		t.Helper()
		code, out, stderr := cli(t, "track", "--db", db, "--format", "json", "--now", now)
		if code != 0 {
			t.Fatalf("track: exit %d %s", code, stderr)
		}
		var doc struct{ Findings []trackLife }
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		for _, l := range doc.Findings {
			if l.Fingerprint == mismatch {
				return l
			}
		}
		t.Fatalf("track does not list %s", mismatch)
		return trackLife{}
	}
	l := life("2026-11-06T10:00:00+08:00")
	if l.Status != "resolved" || l.ResolvedIn == nil || l.ResolvedIn.Run != 3 || l.Owner != "运营-小王" || l.Reopened != 0 {
		t.Errorf("after the fix, track says %+v", l)
	}
	// Break it again: NO-GO, the finding reopened and still owned; past its
	// due day it is overdue; diff lists it new, reopened, with its owner.
	edit(t, root, promo, "2026年11月11日 00:00 至", "2026年11月1日 00:00 至")
	v = preflight(exitFindings)
	if got := blocking(v); len(got) != 1 || got[0] != "promo.window-mismatch /slow/promo/double11.html 运营-小王" {
		t.Errorf("blocking after breaking it again: %v", got)
	}
	l = life("2026-11-09T09:00:00+08:00")
	if l.Status != "open" || l.Reopened != 1 || !l.Overdue || l.Owner != "运营-小王" {
		t.Errorf("after breaking it again, track says %+v", l)
	}
	code, out, stderr := cli(t, "diff", "--db", db, "--format", "json")
	if code != 0 {
		t.Fatalf("diff: exit %d %s", code, stderr)
	}
	var d diffJSON
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range d.New {
		if f.Rule == "promo.window-mismatch" {
			found = true
			if !f.Reopened || f.Owner != "运营-小王" || f.Due != "2026-11-08" {
				t.Errorf("diff new %+v: want reopened, owned by 运营-小王, due 2026-11-08", f)
			}
		}
	}
	if !found {
		t.Errorf("diff new %+v lacks the reopened mismatch", d.New)
	}
}
