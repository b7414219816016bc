package main

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/checks/fingerprint"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/storage"
)

// TestInspectionSheet: report --format xlsx writes the inspection sheet that
// excelize opens: sheets and columns named in the --lang language, a
// defect of the shared header on every page as one row with its page count,
// its owner and due date from assign, its first sighting from the earlier
// run, advice, a frozen header and filters; and a pages sheet with a row per
// visit.
func TestInspectionSheet(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "shop.db")
	ctx := context.Background()
	db, err := storage.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	const home = "https://shop.test/"
	urls := []string{home, home + "item/1.html", home + "item/2.html"}
	start := time.Date(2026, 11, 1, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	heavy := func(url, vp string) checks.Finding {
		f := checks.Finding{Rule: "perf.heavy-page", Severity: checks.SeverityWarning, URL: url, Viewport: vp,
			Subject: "transfer_bytes", Msg: checks.M("perf.heavy-page", "3.2 MB", "2 MB"),
			Fingerprint: fingerprint.Of("perf.heavy-page", vp, url, "transfer_bytes")}
		f.Message = f.Msg.Render("en")
		return f
	}
	slow := checks.Finding{Rule: "perf.slow-load", Severity: checks.SeverityError, URL: urls[1], Viewport: "mobile",
		Subject: "load_ms", Msg: checks.M("perf.slow-load/load", "9 000", "3 000"),
		Fingerprint: fingerprint.Of("perf.slow-load", "mobile", urls[1], "load_ms")}
	for run := range 2 {
		at := start.AddDate(0, 0, run)
		id, err := db.CreateRun(ctx, storage.RunInfo{Name: "shop", StartedAt: at, Now: at, StartURLs: []string{home}})
		if err != nil {
			t.Fatal(err)
		}
		w := db.Writer(id)
		for _, u := range urls {
			for _, vp := range []string{"desktop", "mobile"} {
				fs := []checks.Finding{heavy(u, vp)}
				if run == 1 && u == urls[1] && vp == "mobile" {
					fs = append(fs, slow)
				}
				page := &crawler.Page{URL: u, FinalURL: u, Viewport: crawler.Viewport{Name: vp}, Status: 200, Kind: crawler.KindHome}
				if err := w.AddPage(ctx, storage.PageRecord{Page: page, Findings: fs}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := w.Finish(ctx, storage.StatusComplete, at.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Assign(ctx, "shop", []string{heavy(home, "desktop").Fingerprint},
		storage.Assignment{Owner: "美工-小李", Due: "2099-12-31"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Assign(ctx, "shop", []string{slow.Fingerprint}, storage.Assignment{Owner: "运营-小王", Due: "2026-11-02"}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	for _, tc := range []struct {
		lang                        string
		sheets                      []string
		adviceCol, ownerCol, urlCol string
		status, overdue             string
		logged                      string // the log line for people
	}{
		{"zh-CN", []string{"概要", "问题清单", "页面"}, "整改建议", "整改责任人", "页面", "整改中", "已逾期", "msg=抽检表已生成 file="},
		{"en", []string{"Summary", "Findings", "Pages"}, "Advice", "Owner", "URL", "assigned", "overdue", `msg="inspection sheet written" file=`},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			out := filepath.Join(dir, tc.lang+".xlsx")
			code, _, stderr := cli(t, "report", "latest", "--db", dbPath, "--format", "xlsx", "--lang", tc.lang, "--out", out)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(stderr, tc.logged) {
				t.Errorf("stderr %q lacks %q", stderr, tc.logged)
			}
			f, err := excelize.OpenFile(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := f.GetSheetList(); !slices.Equal(got, tc.sheets) {
				t.Fatalf("sheets %v, want %v", got, tc.sheets)
			}
			rows, err := f.GetRows(tc.sheets[1])
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 3 { // header, the slow page, the shared heavy page
				t.Fatalf("%d rows in %s, want 3: %q", len(rows), tc.sheets[1], rows)
			}
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			for _, h := range []string{tc.adviceCol, tc.ownerCol} {
				if _, ok := col[h]; !ok {
					t.Fatalf("no column %q in %q", h, rows[0])
				}
			}
			if rows[1][1] != "perf.slow-load" || rows[2][1] != "perf.heavy-page" {
				t.Errorf("rules %q, %q; want the error first, then the shared warning", rows[1][1], rows[2][1])
			}
			shared := rows[2]
			cell := func(i int) string {
				if i < len(shared) {
					return shared[i]
				}
				return ""
			}
			if cell(4) != "3" || cell(6) != "desktop, mobile" || strings.Count(cell(5), "\n") != 2 {
				t.Errorf("shared defect: pages %q, viewports %q, URLs %q; want 3 pages in both viewports", cell(4), cell(6), cell(5))
			}
			if cell(8) != "2026-11-01" || cell(col[tc.ownerCol]) != "美工-小李" || cell(11) != "2099-12-31" || cell(12) != tc.status {
				t.Errorf("shared defect: first seen %q, owner %q, due %q, status %q", cell(8), cell(col[tc.ownerCol]), cell(11), cell(12))
			}
			if got := rows[1][len(rows[1])-1]; got != tc.overdue {
				t.Errorf("slow page, due 2026-11-02: status %q, want %q", got, tc.overdue)
			}
			if a := cell(col[tc.adviceCol]); a == "" || strings.HasPrefix(a, "advice.") {
				t.Errorf("shared defect: advice %q", a)
			}
			if p, err := f.GetPanes(tc.sheets[1]); err != nil || !p.Freeze || p.YSplit != 1 {
				t.Errorf("findings sheet panes %+v, %v; want the header row frozen", p, err)
			}
			filtered := false
			for _, d := range f.GetDefinedName() {
				filtered = filtered || d.Name == "_xlnm._FilterDatabase" && d.Scope == tc.sheets[1]
			}
			if !filtered {
				t.Errorf("findings sheet has no filter: %+v", f.GetDefinedName())
			}
			pages, err := f.GetRows(tc.sheets[2])
			if err != nil {
				t.Fatal(err)
			}
			if len(pages) != 7 || pages[0][0] != tc.urlCol {
				t.Errorf("pages sheet: %d rows, header %q; want 6 visits under a header", len(pages), pages[0])
			}
		})
	}
}
