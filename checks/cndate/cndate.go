// Package cndate finds dates, promotion windows and countdowns in Chinese
// shop copy: 2026年11月11日 20:00, 11月11日, 11.11, 2026-11-11, 2026/11/11,
// 11/11 20:00, ranges with 至 / - / ~ / 到 / —, 即日起至…, 仅剩N天, 距双11
// 开抢还有4天, and the shopping festivals copy names (双11, 618, 年货节).
// A date or festival without a year is the occurrence nearest the
// context's clock (within ±183 days), dates without a zone are in the
// context's location, and impossible dates (11月31日, 2月30日, 25:00) are
// reported as such rather than normalised.
package cndate

import "time"

// Context is what a text's dates are read against.
type Context struct {
	// Now is the sweep's clock (--now): a date without a year is its
	// occurrence nearest Now, whatever campaign is configured (a campaign's
	// year would put "1月5日" read in December eleven months back).
	Now time.Time
	// Loc is the config's timezone, for times written without one; nil =
	// Asia/Shanghai, or a fixed +08:00 zone when the system has no tzdata.
	Loc *time.Location
}

// Date is one date (and maybe time) in a text.
type Date struct {
	Time time.Time // start of the day when !HasTime; zero when Invalid != ""
	// HasYear is true when the year is written: in the date, or in the
	// other end of its range ("2026.11.1-11.11"); false when it was inferred.
	HasYear bool
	HasTime bool
	// Invalid is why the date is impossible, in English ("day 31: November
	// has 30 days", "hour 25 out of range"); "" when valid. Problem is the
	// same as data.
	Invalid string
	Problem Problem
	Text    string // as written, full-width digits and all
	Start   int    // byte offsets of Text in the input
	End     int
}

// EndOfDay is the last instant the date covers: its time when it has one,
// else 23:59:59 of its day (an end date "至11月11日" includes that day).
func (d Date) EndOfDay() time.Time {
	if d.HasTime {
		return d.Time
	}
	return d.Time.Add(24*time.Hour - time.Second)
}

// Window is a promotion period: a range "A 至 B", an open start "即日起至 B"
// (From nil), "截止 B" / "B 截止" / "B 结束" (From nil), or "A 开始" /
// "A 起" (To nil). To may be before From: the text said so, and the caller
// reports it. The second end of a range takes what it leaves out from the
// first ("11月1日-11日"), and is in the next year when its month and day
// come before the first's and it has no year ("12月25日至1月3日").
type Window struct {
	From, To *Date
	Text     string
	Start    int
	End      int
}

// Countdown is "仅剩N天" / "还剩N天N小时" / "倒计时 N天 HH:MM:SS" /
// "距结束还有N天": time left, and what it counts down to when the text
// says ("距11.11开抢还有4天", "距双11还有2天", "双11倒计时 2天").
type Countdown struct {
	Left time.Duration // each part below 10000 of its unit
	// Target is the date or festival counted down to, resolved like any
	// date (a festival as its first day); nil when none is written ("仅剩
	// 3天"). Its Text and offsets are the target's, which may lie before
	// the countdown's own Text ("双11倒计时").
	Target *Date
	Text   string
	Start  int
	End    int
}

// Dates returns every date in s, in order (also those inside windows).
func Dates(s string, c Context) []Date { return dates(s, c) }

// Windows returns every promotion window in s, in order.
func Windows(s string, c Context) []Window { return windows(s, c) }

// Countdowns returns every countdown in s, in order.
func Countdowns(s string, c Context) []Countdown { return countdowns(s, c) }
