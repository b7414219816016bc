package cndate

import (
	"fmt"
	"sync"
	"time"
)

// raw is one date as written, before a year is chosen and it is checked.
type raw struct {
	y, m, d      int
	hasY         bool
	hasM, hasD   bool // false only for the second end of a range ("11日", "23:59")
	hasT         bool
	h, mi, sec   int
	timeErr      Problem // Part "" when the time is valid
	sep          rune    // '.', '/' or '-' for numeric forms; 0 for 年月日 forms
	weak         bool    // a numeric form that is a date only in context (11/11, 11-11, 11.1)
	start, end   int     // rune indices
	timeOnly     bool    // second end of a range that is only a time
	dayOnly      bool    // second end of a range that is only a day
	inheritYear  bool    // the year was written in the other end of the range
	resolvedYear int
}

// plausibleYear bounds 4-digit runs read as years, so 0571-8888-1234
// (a phone number) is not a date.
func plausibleYear(y int) bool { return y >= 1900 && y <= 2199 }

// unitRunes follow numbers that are quantities, not dates: 11.11元,
// 2.28kg, 12/24期.
var unitRunes = map[rune]bool{
	'元': true, '块': true, '角': true, '折': true, '倍': true, '斤': true, '克': true,
	'米': true, '寸': true, '码': true, '升': true, '件': true, '个': true, '万': true,
	'千': true, '百': true, '亿': true, '%': true, '度': true, '岁': true, '磅': true,
	'吨': true, '台': true, '只': true, '条': true, '张': true, '瓶': true, '包': true,
	'盒': true, '袋': true, '箱': true, '套': true, '期': true, '秒': true, '毫': true,
	'厘': true, '公': true, '平': true, '人': true, '次': true, '分': true,
}

// priceRunes precede prices: ¥11.11, 售价11.11, $6.18.
var priceRunes = map[rune]bool{'¥': true, '$': true, '价': true, '€': true, '£': true}

// core reads a complete date at i (a digit-run start) and any time after
// it. ok is false when nothing there is shaped like a date.
// In a range's second end (inRange) the rune before i is the separator,
// so the checks against continuing a number are skipped.
func (t *text) core(i int, inRange bool) (d raw, ok bool) {
	v1, n1 := t.num(i)
	j := i + n1
	switch {
	case n1 == 4 && plausibleYear(v1):
		d, ok = t.yearForm(i, v1, j, inRange)
	case n1 == 1 || n1 == 2:
		d, ok = t.monthForm(i, v1, j, inRange)
	}
	if !ok {
		return d, false
	}
	k := t.space(d.end)
	if d.sep == '-' && d.hasY && t.at(d.end) == 'T' {
		k = d.end + 1
	}
	if c, ok := t.clock(k); ok {
		d.hasT, d.h, d.mi, d.sec, d.timeErr = true, c.h, c.mi, c.sec, c.err
		d.end = c.end
	}
	return d, true
}

// yearForm reads 2026年11月11日 / 2026-11-11 / 2026/11/11 / 2026.11.11
// after the year y (digits i..j).
func (t *text) yearForm(i, y, j int, inRange bool) (raw, bool) {
	d := raw{y: y, hasY: true, hasM: true, hasD: true, start: i}
	if k := t.space(j); t.at(k) == '年' {
		m, d2, end, ok := t.monthDay(t.space(k + 1))
		if !ok {
			return d, false
		}
		d.m, d.d, d.end = m, d2, end
		return d, true
	}
	sep := t.at(j)
	if sep != '-' && sep != '/' && sep != '.' {
		return d, false
	}
	if !inRange && t.numericBlocked(i) {
		return d, false
	}
	m, n2 := t.num(j + 1)
	k := j + 1 + n2
	if n2 < 1 || n2 > 2 || t.at(k) != sep {
		return d, false
	}
	dd, n3 := t.num(k + 1)
	end := k + 1 + n3
	if n3 < 1 || n3 > 2 {
		return d, false
	}
	if sep == '.' && t.at(end) == '.' && isDigit(t.at(end+1)) {
		return d, false // 2026.11.11.5: a longer dotted number
	}
	d.m, d.d, d.end, d.sep = m, dd, end, sep
	return d, true
}

// monthDay reads 11月11日 / 11月11号 at i.
func (t *text) monthDay(i int) (m, d, end int, ok bool) {
	m, n := t.num(i)
	if n < 1 || n > 2 {
		return 0, 0, 0, false
	}
	k := t.space(i + n)
	if t.at(k) != '月' {
		return 0, 0, 0, false
	}
	k = t.space(k + 1)
	d, n = t.num(k)
	if n < 1 || n > 2 {
		return 0, 0, 0, false
	}
	k = t.space(k + n)
	if c := t.at(k); c != '日' && c != '号' {
		return 0, 0, 0, false
	}
	return m, d, k + 1, true
}

// monthForm reads 11月11日, 11.11, 11/11, 11-11 after the month m
// (digits i..j).
func (t *text) monthForm(i, m, j int, inRange bool) (raw, bool) {
	d := raw{m: m, hasM: true, hasD: true, start: i}
	if md, dd, end, ok := t.monthDay(i); ok {
		d.m, d.d, d.end = md, dd, end
		return d, true
	}
	sep := t.at(j)
	if sep != '-' && sep != '/' && sep != '.' {
		return d, false
	}
	dd, n2 := t.num(j + 1)
	end := j + 1 + n2
	if n2 < 1 || n2 > 2 {
		return d, false
	}
	if t.at(end) == sep && isDigit(t.at(end+1)) {
		return d, false // 1.2.3, 1-2-3: versions, part numbers
	}
	if !inRange && t.numericBlocked(i) || t.quantity(end) {
		return d, false
	}
	d.d, d.end, d.sep = dd, end, sep
	switch sep {
	case '-':
		d.weak = true // 3-5天
	case '/':
		d.weak = j-i != 2 || n2 != 2 // 1/3 is a fraction, 11/11 a date
	case '.':
		d.weak = n2 != 2 // 1.5 is a version, 11.11 a date
	}
	return d, true
}

// numericBlocked reports whether a numeric form at i continues a number or
// a word: v1.5, ¥11.11, 1.11.11, 12:11.11.
func (t *text) numericBlocked(i int) bool {
	p := t.at(i - 1)
	if isASCIILetter(p) || p == '_' {
		return true
	}
	if (p == '.' || p == ':' || p == '/' || p == '-' || p == ',') && isDigit(t.at(i-2)) {
		return true
	}
	k := i - 1
	if p == ':' {
		k--
	}
	if t.at(k) == ' ' {
		k--
	}
	return priceRunes[t.at(k)]
}

// quantity reports whether a unit follows the number ending at i: 11.11元,
// 30/40cm, 12/24期.
func (t *text) quantity(i int) bool {
	c := t.at(i)
	if isASCIILetter(c) || isDigit(c) {
		return true
	}
	if c == ' ' {
		c = t.at(i + 1)
	}
	return unitRunes[c]
}

// clock is a time of day as written; h may be 24 (end of day).
type clock struct {
	h, mi, sec int
	end        int
	err        Problem // Part "" when valid
}

var (
	pmWords   = []string{"下午", "傍晚", "晚上", "晚间", "夜间", "夜里", "晚"}
	amWords   = []string{"凌晨", "早上", "早晨", "上午", "清晨", "早"}
	noonWords = []string{"中午"}
)

// clock reads 20:00, 20:00:00, 20点, 20时, 8点半, 20点30分, 晚8点,
// 下午3点 at i.
func (t *text) clock(i int) (clock, bool) {
	var c clock
	k := i
	part := 0 // 1 am, 2 pm, 3 noon
	if e, _, ok := t.prefix(k, pmWords); ok {
		k, part = e, 2
	} else if e, _, ok := t.prefix(k, amWords); ok {
		k, part = e, 1
	} else if e, _, ok := t.prefix(k, noonWords); ok {
		k, part = e, 3
	}
	if part != 0 && t.at(k) == ' ' {
		k++
	}
	h, n := t.num(k)
	if n < 1 || n > 2 {
		return c, false
	}
	k += n
	c.h = h
	switch t.at(k) {
	case ':':
		mi, n := t.num(k + 1)
		if n != 2 {
			return c, false
		}
		c.mi, k = mi, k+3
		if t.at(k) == ':' {
			if s, n := t.num(k + 1); n == 2 {
				c.sec, k = s, k+3
			}
		}
	case '点', '时':
		k++
		if mi, n := t.num(k); n >= 1 && n <= 2 && t.at(k+n) == '分' {
			c.mi, k = mi, k+n+1
		} else if t.at(k) == '半' {
			c.mi, k = 30, k+1
		} else if t.at(k) == '整' {
			k++
		}
	default:
		return c, false
	}
	c.end = k
	isEvening := part == 2 && !t.has(i, "下午")
	switch {
	case part == 2 && c.h >= 1 && c.h <= 11:
		c.h += 12
	case part == 2 && c.h == 12 && isEvening:
		c.h = 24 // 晚上12点 is midnight at the end of the day
	case part == 3 && c.h >= 1 && c.h <= 5:
		c.h += 12
	case part == 1 && c.h == 12 && t.has(i, "凌晨"):
		c.h = 0
	}
	switch {
	case c.h > 24:
		c.err = Problem{Part: "hour", Value: c.h}
	case c.mi > 59:
		c.err = Problem{Part: "minute", Value: c.mi}
	case c.sec > 59:
		c.err = Problem{Part: "second", Value: c.sec}
	case c.h == 24 && (c.mi != 0 || c.sec != 0):
		c.err = Problem{Part: "24:00", Value: c.mi}
	}
	return c, true
}

var (
	shanghaiOnce sync.Once
	shanghai     *time.Location
)

// location is c.Loc, else Asia/Shanghai, else a fixed +08:00 zone when
// the system has no tzdata.
func (c Context) location() *time.Location {
	if c.Loc != nil {
		return c.Loc
	}
	shanghaiOnce.Do(func() {
		loc, err := time.LoadLocation("Asia/Shanghai")
		if err != nil {
			loc = time.FixedZone("CST", 8*60*60)
		}
		shanghai = loc
	})
	return shanghai
}

// inferYear is the year that puts month m, day d of r nearest to Now.
func (c Context) inferYear(r raw) int {
	return c.nearestYear(min(max(r.m, 1), 12), min(max(r.d, 1), 31))
}

// nearestYear is the year (of Now's, the one before, the one after) whose
// month m, day d is the fewest calendar days from Now's day in the
// context's zone: always within ±183 days, since one year's occurrences
// are 365 or 366 days apart. A tie (183 days either way around a 29
// February) goes to the later one: a date a page states is read as still
// to come rather than as past, so a rule never reports what the text may
// not have meant. A day past the month's end (2月29日 in a common year)
// is counted as the day it rolls over to; the date itself reports it as
// impossible.
func (c Context) nearestYear(m, d int) int {
	today := c.today()
	best, bestDist := today.Year(), -1
	for y := today.Year() - 1; y <= today.Year()+1; y++ {
		dist := dayDistance(civil(y, m, d), today)
		if bestDist < 0 || dist <= bestDist {
			best, bestDist = y, dist
		}
	}
	return best
}

// today is Now's calendar day in the context's zone, as a UTC midnight so
// that whole days subtract exactly.
func (c Context) today() time.Time {
	y, m, d := c.Now.In(c.location()).Date()
	return civil(y, int(m), d)
}

// civil is the calendar day y-m-d as a UTC midnight: a day number that
// daylight saving cannot shift.
func civil(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// dayDistance is how many whole days a and b (civil days) are apart.
func dayDistance(a, b time.Time) int {
	n := int(a.Sub(b).Hours() / 24)
	if n < 0 {
		return -n
	}
	return n
}

func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// Problem is why a date is impossible, as data, so that it can be put in
// other words than Invalid's English: the part out of range and the number
// read there; for a day past its month's end (Part "month-end", the day in
// Value), that month (1–12), its year and its days.
type Problem struct {
	Part              string // "month", "day", "month-end", "hour", "minute", "second", "24:00"; "" when valid
	Value             int
	Month, Year, Days int
}

// String is the problem in English: "day 31: November has 30 days".
func (p Problem) String() string {
	switch p.Part {
	case "":
		return ""
	case "month-end":
		if p.Month == 2 {
			return fmt.Sprintf("day %d: February %d has %d days", p.Value, p.Year, p.Days)
		}
		return fmt.Sprintf("day %d: %s has %d days", p.Value, time.Month(p.Month), p.Days)
	case "24:00":
		return fmt.Sprintf("24:%02d: only 24:00 is allowed", p.Value)
	}
	return fmt.Sprintf("%s %d out of range", p.Part, p.Value)
}

// date checks r (whose year is resolved) and makes it a Date.
func (t *text) date(s string, r raw, loc *time.Location) Date {
	d := Date{
		HasYear: r.hasY || r.inheritYear,
		HasTime: r.hasT,
		Text:    s[t.Off[r.start]:t.Off[r.end]],
		Start:   t.Off[r.start],
		End:     t.Off[r.end],
	}
	y := r.resolvedYear
	switch {
	case r.m < 1 || r.m > 12:
		d.Problem = Problem{Part: "month", Value: r.m}
	case r.d < 1 || r.d > 31:
		d.Problem = Problem{Part: "day", Value: r.d}
	case r.d > daysIn(r.m, y):
		d.Problem = Problem{Part: "month-end", Value: r.d, Month: r.m, Year: y, Days: daysIn(r.m, y)}
	case r.timeErr.Part != "":
		d.Problem = r.timeErr
	}
	if d.Problem.Part != "" {
		d.Invalid = d.Problem.String()
		return d
	}
	d.Time = time.Date(y, time.Month(r.m), r.d, r.h, r.mi, r.sec, 0, loc)
	return d
}

// valid reports whether r, read in year y, is a real date and time.
func (r raw) valid(y int) bool {
	return r.m >= 1 && r.m <= 12 && r.d >= 1 && r.d <= daysIn(r.m, y) && r.timeErr.Part == ""
}
