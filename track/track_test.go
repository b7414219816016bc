package track

import (
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
