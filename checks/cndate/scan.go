package cndate

import "time"

// The scanner walks the text once. At each digit-run start it tries a date
// (with its time), then a range after it, then the keywords around it; on a
// match it resumes after the match, else at the next rune. Every attempt
// reads a bounded number of runes past its digit runs, and a digit run is
// read by at most a few attempts, so the walk is linear in the input.

var (
	// rangeSeps join the two ends of a range, longest first.
	rangeSeps = []string{"起至", "起到", "起~", "起-", "起—", "——", "至", "到", "~", "-", "—"}
	// openSeps come between 即日起 (or 截止) and the end date.
	openSeps = []string{"至", "到", "~", "-", "—"}
	// endWords after a date make it an end: 11月11日截止.
	endWords = []string{"截止", "截至", "止", "结束"}
	// startWords after a date make it a start: 11月11日 20:00 开抢.
	startWords = []string{"开始", "开抢", "开售", "开卖", "起"}
	// deadWords before a date make it an end: 截止11月11日.
	deadWords = []string{"截止", "截至"}
	// openWords before a separator make the date after it an end: 即日起至.
	openWords = []string{"即日起", "即日", "截止", "截至", "现在起", "现在"}
)

func dates(s string, c Context) []Date { return scan(s, c).dates }

func windows(s string, c Context) []Window { return scan(s, c).windows }

type scanned struct {
	dates   []Date
	windows []Window
}

func scan(s string, c Context) scanned {
	var out scanned
	t := newText(s)
	loc := c.location()
	lo := 0 // keywords before a date are not looked for before here
	for i := 0; i < len(t.R); {
		if !isDigit(t.R[i]) || isDigit(t.at(i-1)) {
			i++
			continue
		}
		end, ok := t.item(s, i, lo, c, loc, &out)
		if !ok {
			i++
			continue
		}
		i, lo = end, end
	}
	return out
}

// item reads a date at i with what belongs to it (a range, keywords) and
// appends the results; end is the rune index after all of it.
func (t *text) item(s string, i, lo int, c Context, loc *time.Location, out *scanned) (end int, ok bool) {
	a, ok := t.core(i, false)
	if !ok {
		return t.shortRange(s, i, c, loc, out)
	}
	if b, ok := t.rangeEnd(a); ok {
		ad, bd, ok := t.resolve(s, a, b, c, loc)
		if ok {
			wend := b.end
			if e, _, ok := t.prefix(t.space(b.end), endWords); ok {
				wend = e // 11月1日至11月11日止
			}
			out.dates = append(out.dates, ad, bd)
			out.windows = append(out.windows, t.window(s, &ad, &bd, a.start, wend))
			return wend, true
		}
	}
	wstart, open := t.openBefore(a.start, lo)
	k := t.space(a.end)
	wend, isEnd, isStart := a.end, false, false
	if e, _, ok := t.prefix(k, endWords); ok {
		wend, isEnd = e, true
	} else if e, _, ok := t.prefix(k, startWords); ok && !open {
		wend, isStart = e, true
	}
	y := a.y
	if !a.hasY {
		y = c.inferYear(a)
	}
	a.resolvedYear = y
	keyword := open || isEnd || isStart
	switch {
	case a.hasT, a.hasY, a.sep == 0:
		// a time, a year or 月/日 make it a date, possible or not
	case !a.weak && a.valid(y):
		// 11.11, 11/11 standing alone
	case keyword && a.valid(y):
		// 11/11截止, 11-11 开抢
	default:
		return 0, false // 3-5天, 1.5, 30/40, 9.99
	}
	d := t.date(s, a, loc)
	out.dates = append(out.dates, d)
	switch {
	case open:
		out.windows = append(out.windows, t.window(s, nil, &d, wstart, wend))
	case isEnd:
		out.windows = append(out.windows, t.window(s, nil, &d, a.start, wend))
	case isStart:
		out.windows = append(out.windows, t.window(s, &d, nil, a.start, wend))
	}
	return wend, true
}

// rangeEnd reads a separator and the second end of a range after a: a full
// date, a day ("11月1日-11日") or, when a has a time, a time
// ("20:00-22:00").
func (t *text) rangeEnd(a raw) (raw, bool) {
	k, _, ok := t.prefix(t.space(a.end), rangeSeps)
	if !ok {
		return raw{}, false
	}
	k = t.space(k)
	if isDigit(t.at(k)) {
		if b, ok := t.core(k, true); ok {
			return b, true
		}
		if b, ok := t.dayEnd(k); ok {
			return b, true
		}
	}
	if a.hasT {
		if c, ok := t.clock(k); ok {
			return raw{hasT: true, h: c.h, mi: c.mi, sec: c.sec, timeErr: c.err,
				timeOnly: true, start: k, end: c.end}, true
		}
	}
	return raw{}, false
}

// resolve gives both ends of a range their years (and b the month and day
// it leaves out) and makes them Dates. ok is false when a yearless numeric
// end (11.11, 11/11, 11-11) is impossible: 1.5-2.0 and 30/40-42/44 are
// quantities, not ranges.
func (t *text) resolve(s string, a, b raw, c Context, loc *time.Location) (ad, bd Date, ok bool) {
	switch {
	case a.hasY:
		a.resolvedYear = a.y
	case b.hasY:
		a.resolvedYear, a.inheritYear = b.y, true
		if a.m > b.m || a.m == b.m && a.d > b.d {
			a.resolvedYear--
		}
	default:
		a.resolvedYear = c.inferYear(a)
	}
	ya := a.resolvedYear
	written := a.hasY || a.inheritYear
	switch {
	case b.timeOnly:
		b.m, b.d, b.resolvedYear, b.inheritYear = a.m, a.d, ya, written
	case b.dayOnly:
		b.m, b.resolvedYear, b.inheritYear = a.m, ya, written
		if b.d < a.d { // 11月25日-3日: the 3rd of the next month
			b.m++
			if b.m == 13 {
				b.m, b.resolvedYear = 1, ya+1
			}
		}
	case b.hasY:
		b.resolvedYear = b.y
	default:
		b.resolvedYear, b.inheritYear = ya, written
		if b.m < a.m || b.m == a.m && b.d < a.d { // 12月25日至1月3日
			b.resolvedYear++
		}
	}
	loose := func(r raw) bool { return r.sep != 0 && !r.hasY }
	if (loose(a) || loose(b)) && !(a.valid(a.resolvedYear) && b.valid(b.resolvedYear)) {
		return ad, bd, false
	}
	ad, bd = t.date(s, a, loc), t.date(s, b, loc)
	if b.timeOnly && ad.Invalid == "" && bd.Invalid == "" && bd.Time.Before(ad.Time) {
		bd.Time = bd.Time.AddDate(0, 0, 1) // 22:00-02:00 ends the next day
	}
	return ad, bd, true
}

// openBefore finds 即日起至 / 截止 / 截止时间： before the date at i, not
// before lo; start is where the keywords begin.
func (t *text) openBefore(i, lo int) (start int, ok bool) {
	j := t.spaceBack(i, lo)
	if j-1 >= lo && t.at(j-1) == ':' {
		j = t.spaceBack(j-1, lo)
	}
	for _, w := range []string{"时间", "日期"} {
		if s, ok := t.hasBefore(j, lo, w); ok {
			if s2, ok := t.anyBefore(s, lo, deadWords); ok {
				return s2, true
			}
		}
	}
	for _, sep := range openSeps {
		if s, ok := t.hasBefore(j, lo, sep); ok {
			if s2, ok := t.anyBefore(t.spaceBack(s, lo), lo, openWords); ok {
				return s2, true
			}
		}
	}
	return t.anyBefore(j, lo, deadWords)
}

func (t *text) anyBefore(i, lo int, words []string) (start int, ok bool) {
	for _, w := range words {
		if s, ok := t.hasBefore(i, lo, w); ok {
			return s, true
		}
	}
	return 0, false
}

func (t *text) window(s string, from, to *Date, start, end int) Window {
	return Window{From: from, To: to, Text: s[t.Off[start]:t.Off[end]], Start: t.Off[start], End: t.Off[end]}
}

// shortRange reads "11月1-11日": a month, a day, a separator and the last
// day, which the second end's 日 closes for both.
func (t *text) shortRange(s string, i int, c Context, loc *time.Location, out *scanned) (end int, ok bool) {
	m, n := t.num(i)
	if n < 1 || n > 2 {
		return 0, false
	}
	k := t.space(i + n)
	if t.at(k) != '月' {
		return 0, false
	}
	k = t.space(k + 1)
	d, n := t.num(k)
	if n < 1 || n > 2 {
		return 0, false
	}
	a := raw{m: m, d: d, hasM: true, hasD: true, start: i, end: k + n}
	j, _, ok := t.prefix(t.space(a.end), rangeSeps)
	if !ok {
		return 0, false
	}
	b, ok := t.dayEnd(t.space(j))
	if !ok {
		return 0, false
	}
	ad, bd, _ := t.resolve(s, a, b, c, loc) // no numeric end: always ok
	wend := b.end
	if e, _, ok := t.prefix(t.space(b.end), endWords); ok {
		wend = e
	}
	out.dates = append(out.dates, ad, bd)
	out.windows = append(out.windows, t.window(s, &ad, &bd, a.start, wend))
	return wend, true
}

// dayEnd reads the second end of a range that is only a day, "11日" or
// "11号", and its time.
func (t *text) dayEnd(k int) (raw, bool) {
	v, n := t.num(k)
	e := t.space(k + n)
	if n < 1 || n > 2 || t.at(e) != '日' && t.at(e) != '号' {
		return raw{}, false
	}
	b := raw{d: v, hasD: true, dayOnly: true, start: k, end: e + 1}
	if c, ok := t.clock(t.space(b.end)); ok {
		b.hasT, b.h, b.mi, b.sec, b.timeErr, b.end = true, c.h, c.mi, c.sec, c.err, c.end
	}
	return b, true
}
