package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/storecheck/storecheck/internal/htmlcheck"
	"github.com/storecheck/storecheck/storage"
)

// checkReport writes the HTML report of the latest run in db, opens it from
// its file URL in the browser and holds it to the run: no console error, no
// request leaving the file, the summary counts and every finding of the
// run, every picture decoded, one script (ours). filterRule is picked in
// the report's rule filter and must show exactly that rule's findings.
func checkReport(t *testing.T, db, filterRule string) *htmlcheck.Result {
	t.Helper()
	out := filepath.Join(t.TempDir(), "report.html")
	if code, _, stderr := cli(t, "report", "latest", "--db", db, "--out", out); code != 0 {
		t.Fatalf("report exit %d: %s", code, stderr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sdb, err := storage.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	run, err := sdb.LoadRun(ctx, "latest")
	if err != nil {
		t.Fatal(err)
	}
	res, err := htmlcheck.Open(ctx, browserPath, out, filterRule)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Problems {
		t.Errorf("report in the browser: %s", p)
	}
	for _, m := range res.Mismatches(run) {
		t.Errorf("report: %s", m)
	}
	if res.Scripts != 1 {
		t.Errorf("report has %d scripts, want 1", res.Scripts)
	}
	if res.Images == 0 || res.Loaded != res.Images || res.Pending != 0 {
		t.Errorf("report images: %d, decoded %d, pending %d", res.Images, res.Loaded, res.Pending)
	}
	want := 0
	for _, f := range run.Findings {
		if f.Rule == filterRule {
			want++
		}
	}
	if res.Filtered != want {
		t.Errorf("rule filter %s shows %d findings, want %d", filterRule, res.Filtered, want)
	}
	if st, err := os.Stat(out); err == nil {
		t.Logf("report: %d visits, %d findings, %d bytes", len(run.Pages), len(run.Findings), st.Size())
	}
	return res
}
