package track

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/storage"
)

func TestFollow(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	day := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, cst) }
	runs := []storage.Run{{ID: 1, Now: day(1)}, {ID: 2, Now: day(2)}, {ID: 5, Now: day(5)}, {ID: 9, Now: day(9)}}
	f := func(fp string, sev checks.Severity) checks.Finding {
		return checks.Finding{Rule: "rule." + fp, Severity: sev, URL: "https://shop.test/" + fp, Viewport: "desktop", Fingerprint: fp}
	}
	var occ []storage.Occurrence
	add := func(fp string, sev checks.Severity, runIDs ...int64) {
		for _, id := range runIDs {
			occ = append(occ, storage.Occurrence{RunID: id, Finding: f(fp, sev)})
		}
	}
	add("fixed", checks.SeverityError, 1, 2)      // resolved in run 5
	add("back", checks.SeverityWarning, 1, 5, 9)  // gone in run 2, came back
	add("new", checks.SeverityWarning, 9)         // open, assigned, overdue
	add("later", checks.SeverityError, 9)         // open, assigned, not yet due
	add("twice", checks.SeverityInfo, 2, 2, 5, 9) // reported twice in run 2
	add("other", checks.SeverityError, 3)         // a run not in the list: ignored
	assigned := map[string]storage.Assignment{
		"fixed": {Owner: "运营-小王", Due: "2026-11-03"},
		"new":   {Owner: "设计-小李", Due: "2026-11-08"},
		"later": {Owner: "设计-小李", Due: "2026-11-10"},
	}
	now := day(10).Add(-12 * time.Hour) // 2026-11-09 22:00 CST
	lives := Follow(runs, occ, assigned, now)

	type want struct {
		open          bool
		first, last   int64
		resolved      int64 // 0: none
		reopened, age int
		owner         string
		overdue       bool
	}
	wants := map[string]want{
		"fixed": {open: false, first: 1, last: 2, resolved: 5, age: 4, owner: "运营-小王"},
		"back":  {open: true, first: 1, last: 9, reopened: 1, age: 8},
		"new":   {open: true, first: 9, last: 9, age: 0, owner: "设计-小李", overdue: true},
		"later": {open: true, first: 9, last: 9, age: 0, owner: "设计-小李"},
		"twice": {open: true, first: 2, last: 9, age: 7},
	}
	if len(lives) != len(wants) {
		t.Fatalf("%d lives, want %d: %+v", len(lives), len(wants), lives)
	}
	for _, l := range lives {
		w, ok := wants[l.Fingerprint]
		if !ok {
			t.Errorf("unexpected life %s", l.Fingerprint)
			continue
		}
		resolved := int64(0)
		if l.ResolvedIn != nil {
			resolved = l.ResolvedIn.RunID
		}
		owner := ""
		if l.Assignment != nil {
			owner = l.Assignment.Owner
		}
		got := want{open: l.Open, first: l.FirstSeen.RunID, last: l.LastSeen.RunID, resolved: resolved,
			reopened: l.Reopened, age: l.AgeDays, owner: owner, overdue: l.Overdue}
		if got != w {
			t.Errorf("%s: got %+v, want %+v", l.Fingerprint, got, w)
		}
	}
	// Open first, the overdue one leading; the resolved one last.
	if lives[0].Fingerprint != "new" || lives[len(lives)-1].Fingerprint != "fixed" {
		var order []string
		for _, l := range lives {
			order = append(order, l.Fingerprint)
		}
		t.Errorf("order %v: want the overdue finding first and the resolved one last", order)
	}
}

func TestOverdue(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	tests := []struct {
		due  string
		now  time.Time
		want bool
	}{
		{"2026-11-08", time.Date(2026, 11, 8, 23, 59, 0, 0, cst), false}, // the due day itself
		{"2026-11-08", time.Date(2026, 11, 9, 0, 0, 0, 0, cst), true},
		{"2026-11-08", time.Date(2026, 11, 8, 16, 30, 0, 0, time.UTC), false}, // the day is read in now's zone: still the 8th in UTC
		{"not a date", time.Date(2030, 1, 1, 0, 0, 0, 0, cst), false},
	}
	for _, tt := range tests {
		if got := Overdue(tt.due, tt.now); got != tt.want {
			t.Errorf("Overdue(%q, %v) = %v, want %v", tt.due, tt.now, got, tt.want)
		}
	}
}

func TestMark(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.UTC) }
	runs := []storage.Run{{ID: 1, Now: day(1)}, {ID: 2, Now: day(3)}, {ID: 3, Now: day(5)}}
	var occ []storage.Occurrence
	add := func(fp string, runIDs ...int64) {
		for _, id := range runIDs {
			occ = append(occ, storage.Occurrence{RunID: id, Finding: checks.Finding{Rule: "r", URL: "https://shop.test/" + fp, Fingerprint: fp}})
		}
	}
	add("pending", 1, 2, 3)  // marked after run 3: no run since
	add("failed", 1, 2, 3)   // marked after run 2: run 3 still has it
	add("confirmed", 1, 2)   // marked after run 2: run 3 lacks it
	add("lategone", 1)       // marked after the run that resolved it
	add("unmarked", 1, 2, 3) // no mark
	// The marks' clocks say nothing: a sweep's clock may be pinned.
	marks := map[string]storage.FixMark{
		"pending":   {At: day(1), AfterRun: 3},
		"failed":    {At: day(9), AfterRun: 2},
		"confirmed": {At: day(9), AfterRun: 2, Note: "换回原图"},
		"lategone":  {At: day(6), AfterRun: 3},
	}
	lives := Follow(runs, occ, nil, day(7))
	Mark(lives, marks)
	want := map[string]Recheck{"pending": RecheckPending, "failed": RecheckFailed,
		"confirmed": RecheckConfirmed, "lategone": RecheckConfirmed, "unmarked": RecheckNone}
	for _, l := range lives {
		if l.Recheck != want[l.Fingerprint] {
			t.Errorf("%s: recheck %q, want %q", l.Fingerprint, l.Recheck, want[l.Fingerprint])
		}
		if (l.Mark != nil) != (l.Fingerprint != "unmarked") {
			t.Errorf("%s: mark %+v", l.Fingerprint, l.Mark)
		}
	}
}

func TestGroups(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.UTC) }
	runs := []storage.Run{{ID: 1, Now: day(1)}, {ID: 2, Now: day(3)}, {ID: 3, Now: day(5)}}
	var occ []storage.Occurrence
	add := func(rule, subject, page, vp string, runIDs ...int64) string {
		f := checks.Finding{Rule: rule, Severity: checks.SeverityWarning, Subject: subject, URL: "https://shop.test/" + page,
			Viewport: vp, Fingerprint: rule + "|" + subject + "|" + page + "|" + vp}
		if rule == "logo.foreign" {
			f.Severity = checks.SeverityError
		}
		for _, id := range runIDs {
			occ = append(occ, storage.Occurrence{RunID: id, Finding: f})
		}
		return f.Fingerprint
	}
	// The header's foreign logo on three pages, two viewports; fixed on one
	// page already.
	h1 := add("logo.foreign", "https://cdn.test/nike.png", "a", "desktop", 1, 2, 3)
	h2 := add("logo.foreign", "https://cdn.test/nike.png", "a", "mobile", 2, 3)
	h3 := add("logo.foreign", "https://cdn.test/nike.png", "b", "desktop", 1, 3)
	add("logo.foreign", "https://cdn.test/nike.png", "c", "desktop", 1)
	// A banned term, the same words on two pages, gone from both.
	g1 := add("adlaw.absolute", "全网最低价", "a", "desktop", 1, 2)
	g2 := add("adlaw.absolute", "全网最低价", "b", "desktop", 1)
	// Another subject of the same rule: a group of its own.
	o := add("adlaw.absolute", "国家级", "a", "desktop", 3)

	assigned := map[string]storage.Assignment{h1: {Owner: "设计-小李", Due: "2026-11-04"}, h2: {Owner: "设计-小李", Due: "2026-11-04"},
		h3: {Owner: "设计-小李", Due: "2026-11-04"}, g1: {Owner: "运营-小王", Due: "2026-11-30"}}
	lives := Follow(runs, occ, assigned, day(6))
	Mark(lives, map[string]storage.FixMark{h1: {AfterRun: 2}, h2: {AfterRun: 3}, g2: {AfterRun: 1}})
	groups := Groups(lives)

	type want struct {
		rule, subject       string
		open, overdue       bool
		lives, pages, first int
		reopened            int
		recheck             Recheck
		owner               string
		fps                 []string
		resolved            int64
	}
	wants := []want{
		{"logo.foreign", "https://cdn.test/nike.png", true, true, 4, 3, 1, 1, RecheckFailed, "设计-小李", []string{h1, h2, h3}, 0},
		{"adlaw.absolute", "国家级", true, false, 1, 1, 3, 0, RecheckNone, "", []string{o}, 0},
		{"adlaw.absolute", "全网最低价", false, false, 2, 2, 1, 0, RecheckConfirmed, "", nil, 3},
	}
	if len(groups) != len(wants) {
		t.Fatalf("%d groups, want %d: %+v", len(groups), len(wants), groups)
	}
	for i, g := range groups {
		owner := ""
		if a := g.Assignment(); a != nil {
			owner = a.Owner
		}
		resolved := int64(0)
		if g.ResolvedIn != nil {
			resolved = g.ResolvedIn.RunID
		}
		fps := g.OpenFingerprints()
		slices.Sort(fps)
		w := wants[i]
		slices.Sort(w.fps)
		got := want{g.Rule, g.Subject, g.Open, g.Overdue, len(g.Lives), g.Pages(), int(g.FirstSeen.RunID), g.Reopened,
			g.Recheck, owner, fps, resolved}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("group %d:\n got %+v\nwant %+v", i, got, w)
		}
	}
}
