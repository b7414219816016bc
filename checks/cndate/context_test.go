package cndate

import (
	"testing"
	"time"
)

// A date without a year is its occurrence nearest Now's day: within ±183
// days, a tie going to the later one.
func TestNearestYear(t *testing.T) {
	at := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 10, 0, 0, 0, cst) }
	tests := []struct {
		now      time.Time
		in, want string
	}{
		{at(2026, 12, 28), "1月2日", "1月2日=2027-01-02"},
		{at(2027, 1, 3), "12月30日", "12月30日=2026-12-30"},
		{at(2026, 12, 4), "1月5日", "1月5日=2027-01-05"},
		// 2026-06-01 is 186 days back, 2027-06-01 179 ahead.
		{at(2026, 12, 4), "6月1日", "6月1日=2027-06-01"},
		// 2026-06-07 is 180 days back, 2027-06-07 185 ahead.
		{at(2026, 12, 4), "6月7日", "6月7日=2026-06-07"},
		// 183 days either way (the year ahead holds 2028-02-29): the later.
		{at(2027, 8, 31), "3月1日", "3月1日=2028-03-01"},
		{at(2027, 8, 30), "3月1日", "3月1日=2027-03-01"},
		{at(2026, 10, 20), "2月29日", "2月29日!day 29: February 2027 has 28 days"},
		{at(2027, 10, 20), "2月29日", "2月29日=2028-02-29"},
		{at(2026, 10, 20), "2030年1月5日", "2030年1月5日=2030-01-05"},
		{at(2026, 10, 20), "12月25日至1月3日", "12月25日=2026-12-25; 1月3日=2027-01-03"},
	}
	for _, tt := range tests {
		c := Context{Now: tt.now, Loc: cst}
		if got := showDates(Dates(tt.in, c)); got != tt.want {
			t.Errorf("Dates(%q) at %s\n got %s\nwant %s", tt.in, tt.now.Format("2006-01-02 15:04"), got, tt.want)
		}
	}
}

func TestDefaultLocation(t *testing.T) {
	ds := Dates("2026年11月11日 20:00", Context{Now: ctx.Now})
	if len(ds) != 1 {
		t.Fatalf("got %d dates, want 1", len(ds))
	}
	if _, off := ds[0].Time.Zone(); off != 8*60*60 {
		t.Errorf("offset %d s, want +08:00", off)
	}
	if want := time.Date(2026, 11, 11, 12, 0, 0, 0, time.UTC); !ds[0].Time.Equal(want) {
		t.Errorf("Time %v, want %v", ds[0].Time, want)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	ds = Dates("2026年11月11日 20:00", Context{Now: ctx.Now, Loc: ny})
	if ds[0].Time.Location() != ny {
		t.Errorf("location %v, want %v", ds[0].Time.Location(), ny)
	}
}

func TestFlagsAndOffsets(t *testing.T) {
	s := "活动：2026.11.1-11.11，11月12日 晚8点开抢"
	ds := Dates(s, ctx)
	want := []struct {
		text             string
		hasYear, hasTime bool
	}{
		{"2026.11.1", true, false},
		{"11.11", true, false}, // the year is written in the range
		{"11月12日 晚8点", false, true},
	}
	if len(ds) != len(want) {
		t.Fatalf("got %s", showDates(ds))
	}
	for i, w := range want {
		d := ds[i]
		if d.Text != w.text || s[d.Start:d.End] != d.Text || d.HasYear != w.hasYear || d.HasTime != w.hasTime {
			t.Errorf("date %d: %+v, want text %q hasYear %v hasTime %v", i, d, w.text, w.hasYear, w.hasTime)
		}
	}
	ws := Windows(s, ctx)
	if len(ws) != 2 || ws[0].Text != "2026.11.1-11.11" || ws[1].Text != "11月12日 晚8点开抢" {
		t.Errorf("windows: %s", showWindows(ws))
	}
}

func TestEndOfDay(t *testing.T) {
	ds := Dates("至11月11日", ctx)
	if len(ds) != 1 {
		t.Fatalf("got %s", showDates(ds))
	}
	if got, want := ds[0].EndOfDay(), time.Date(2026, 11, 11, 23, 59, 59, 0, cst); !got.Equal(want) {
		t.Errorf("EndOfDay %v, want %v", got, want)
	}
}
