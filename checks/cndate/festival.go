package cndate

import "time"

// Mention is a shopping festival named in a text: 双11, 双十一, 11.11, 双12,
// 618, 6.18, 6.1狂欢, 38节, 女王节, 99大促, 黑五, 年货节, maybe with a year
// before it (2025双11, 2027年货节) and a campaign word after it (狂欢, 大促,
// 购物节 …).
type Mention struct {
	// Name is the festival: 双11, 双12, 618, 6.1, 3.8, 99大促, 黑五 or 年货节,
	// however the text spells it.
	Name string
	// Text is the mention as written, its year and campaign word included
	// ("6.1狂欢", "2025双11").
	Text       string
	Start, End int // byte offsets of Text in the input
	// Bare is true for a number alone (11.11, 12.12, 618, 6.18 without a
	// campaign word): a festival only where the text is promotional, as
	// "618" is also a room, a model or an amount.
	Bare bool
	// HasYear is true when the year is written before the name; else the
	// occurrence is the one nearest the context's Now.
	HasYear bool
	// First and Last are the festival's first and last day (midnight in the
	// context's zone); one day except 年货节.
	First, Last time.Time
}

// Over is when the festival ended: the end of its last day.
func (m Mention) Over() time.Time { return m.Last.AddDate(0, 0, 1) }

// Festivals returns every shopping festival named in s, in order.
func Festivals(s string, c Context) []Mention {
	t := newText(s)
	var out []Mention
	for i := 0; i < len(t.R); {
		if !startsFestival(t.R[i]) || isDigit(t.R[i]) && isDigit(t.at(i-1)) {
			i++
			continue
		}
		m, end, ok := t.festivalAt(s, i, c)
		if !ok {
			i++
			continue
		}
		out = append(out, m)
		i = end
	}
	return out
}

// startsFestival reports whether a mention may start with r.
func startsFestival(r rune) bool {
	return isDigit(r) || r == '双' || r == '女' || r == '黑' || r == '年' || r == '六'
}

// festival is one shopping festival of the calendar.
type festival struct {
	name string
	// days are its first and last day in Gregorian year y (civil days;
	// 年货节 of y may start in December of y-1); ok is false when the
	// calendar does not know that year.
	days func(y int) (first, last time.Time, ok bool)
}

func onDay(name string, m, d int) *festival {
	return &festival{name: name, days: func(y int) (time.Time, time.Time, bool) {
		day := civil(y, m, d)
		return day, day, true
	}}
}

var (
	fest1111 = onDay("双11", 11, 11)
	fest1212 = onDay("双12", 12, 12)
	fest618  = onDay("618", 6, 18)
	fest61   = onDay("6.1", 6, 1)
	fest38   = onDay("3.8", 3, 8)
	fest99   = onDay("99大促", 9, 9)
	// festBlackFriday is the fourth Friday of November.
	festBlackFriday = &festival{name: "黑五", days: func(y int) (time.Time, time.Time, bool) {
		nov1 := civil(y, 11, 1)
		first := 1 + (int(time.Friday)-int(nov1.Weekday())+7)%7
		day := civil(y, 11, first+21)
		return day, day, true
	}}
	// festNianhuo is the 30 days before the Lunar New Year.
	festNianhuo = &festival{name: "年货节", days: func(y int) (time.Time, time.Time, bool) {
		ny, ok := SpringFestival(y)
		if !ok {
			return time.Time{}, time.Time{}, false
		}
		return ny.AddDate(0, 0, -30), ny.AddDate(0, 0, -1), true
	}}
)

// occurrence places f: in year y when y is not 0, else the occurrence
// nearest Now's day (0 days when Now is inside it; a tie goes to the later
// one, as for dates). The days are midnights in the context's zone.
func (c Context) occurrence(f *festival, y int) (first, last time.Time, ok bool) {
	if y != 0 {
		first, last, ok = f.days(y)
	} else {
		today := c.today()
		bestDist := -1
		for yy := today.Year() - 1; yy <= today.Year()+1; yy++ {
			a, b, found := f.days(yy)
			if !found {
				continue
			}
			dist := 0
			if today.Before(a) {
				dist = dayDistance(a, today)
			} else if today.After(b) {
				dist = dayDistance(b, today)
			}
			if bestDist < 0 || dist <= bestDist {
				first, last, ok, bestDist = a, b, true, dist
			}
		}
	}
	if !ok {
		return first, last, false
	}
	loc := c.location()
	in := func(d time.Time) time.Time { return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc) }
	return in(first), in(last), true
}

var (
	// campaignWords after a festival's name make it campaign copy, longest
	// first: 双11狂欢, 618大促, 6.1儿童节.
	campaignWords = []string{"狂欢节", "购物节", "好物节", "划算节", "儿童节", "女王节", "女神节", "妇女节",
		"年中大促", "年中狂欢", "年终大促", "狂欢", "大促", "盛典", "特惠", "专场", "会场", "活动", "钜惠", "返场", "预售", "抢购", "开抢", "节"}
	// festiveWords are the campaign words that make a small number a
	// festival (6.1狂欢, 38节, 99大促); 特惠, 活动 and the like are left out,
	// since 9.9特惠 is a price.
	festiveWords = []string{"狂欢节", "购物节", "好物节", "划算节", "儿童节", "女王节", "女神节", "妇女节",
		"狂欢", "大促", "盛典", "专场", "会场", "节"}
	// amountBefore are the runes before a number that make it an amount or
	// an ordinal: 立减11.11, 满618, 第618.
	amountBefore = map[rune]bool{'减': true, '省': true, '返': true, '满': true, '第': true, '共': true,
		'约': true, '仅': true, '券': true, '抵': true, '#': true, '+': true, '*': true, '×': true}
	// notFestivalAfter are the runes after a number that make it a
	// measure, a place or a model: 6.1英寸, 618号, 618室, 3.8折.
	notFestivalAfter = map[rune]bool{'英': true, '号': true, '室': true, '楼': true, '层': true, '栋': true,
		'版': true, '型': true, '路': true, '×': true, '*': true, '+': true, '.': true, ':': true}
)

// festivalAt reads a festival mention starting at rune i.
func (t *text) festivalAt(s string, i int, c Context) (m Mention, end int, ok bool) {
	year := 0
	k := i
	if isDigit(t.at(i - 1)) {
		return m, 0, false
	}
	if v, n := t.num(i); n == 4 && plausibleYear(v) {
		// 2025双11, 2025年618, 2027年货节, 2027年年货节
		j := i + 4
		if t.at(j) == '年' && !t.has(j, "年货节") {
			j++
		}
		j = t.space(j)
		year, k = v, j
	}
	f, e, bare, ok := t.festivalName(k)
	if !ok {
		return m, 0, false
	}
	first, last, ok := c.occurrence(f, year)
	if !ok {
		return m, 0, false
	}
	return Mention{Name: f.name, Text: s[t.Off[i]:t.Off[e]], Start: t.Off[i], End: t.Off[e], Bare: bare,
		HasYear: year != 0, First: first, Last: last}, e, true
}

// campaignWord reads a campaign word of words at i: the index after it.
// 节 followed by 课, 电 or 车 is a measure word (38节课, 99节电池).
func (t *text) campaignWord(i int, words []string) (end int, ok bool) {
	e, w, found := t.prefix(i, words)
	if !found || w == "节" && (t.at(e) == '课' || t.at(e) == '电' || t.at(e) == '车') {
		return 0, false
	}
	return e, true
}

// festivalName reads a festival's name at i and a campaign word after it.
func (t *text) festivalName(i int) (f *festival, end int, bare, ok bool) {
	switch c := t.at(i); {
	case c == '双':
		k := t.space(i + 1)
		switch {
		case t.has(k, "11") && !isDigit(t.at(k+2)):
			f, end = fest1111, k+2
		case t.has(k, "十一"):
			f, end = fest1111, k+2
		case t.has(k, "12") && !isDigit(t.at(k+2)):
			f, end = fest1212, k+2
		case t.has(k, "十二"):
			f, end = fest1212, k+2
		default:
			return nil, 0, false, false
		}
	case c == '女' && (t.has(i, "女王节") || t.has(i, "女神节")):
		f, end = fest38, i+3
	case c == '黑' && t.has(i, "黑色星期五"):
		f, end = festBlackFriday, i+5
	case c == '黑' && t.has(i, "黑五") && t.at(i+2) != '类' && t.at(i+2) != '谷':
		// 黑五类 is a health food (black beans, rice, sesame …)
		f, end = festBlackFriday, i+2
	case c == '年' && t.has(i, "年货节"):
		f, end = festNianhuo, i+3
	case c == '六' && t.has(i, "六一"):
		e, found := t.campaignWord(t.space(i+2), festiveWords)
		if !found {
			return nil, 0, false, false
		}
		return fest61, e, false, true
	case isDigit(c) && !isDigit(t.at(i-1)):
		return t.festivalNumber(i)
	default:
		return nil, 0, false, false
	}
	if e, found := t.campaignWord(t.space(end), campaignWords); found {
		end = e
	}
	return f, end, false, true
}

// festivalNumber reads 11.11, 12.12, 618, 6.18 (festivals by themselves,
// bare without a campaign word) and 6.1, 3.8, 9.9, 38, 99 (festivals only
// with a campaign word: 6.1狂欢, 38节, 99大促) at i, a digit-run start.
func (t *text) festivalNumber(i int) (f *festival, end int, bare, ok bool) {
	if t.numericBlocked(i) || amountBefore[t.at(i-1)] || t.at(i-1) == '.' && isASCIILetter(t.at(i-2)) {
		return nil, 0, false, false
	}
	v1, n1 := t.num(i)
	j := i + n1
	strong := false // a festival without a campaign word
	switch {
	case n1 == 3 && v1 == 618:
		f, end, strong = fest618, j, true
	case n1 == 2 && v1 == 99:
		f, end = fest99, j
	case n1 == 2 && v1 == 38:
		f, end = fest38, j
	case n1 <= 2 && t.at(j) == '.':
		v2, n2 := t.num(j + 1)
		end = j + 1 + n2
		switch {
		case n2 == 2 && v1 == 11 && v2 == 11:
			f, strong = fest1111, true
		case n2 == 2 && v1 == 12 && v2 == 12:
			f, strong = fest1212, true
		case n2 == 2 && v1 == 6 && v2 == 18:
			f, strong = fest618, true
		case n2 == 1 && v1 == 6 && v2 == 1:
			f = fest61
		case n2 == 1 && v1 == 3 && v2 == 8:
			f = fest38
		case n2 == 1 && v1 == 9 && v2 == 9:
			f = fest99
		default:
			return nil, 0, false, false
		}
	default:
		return nil, 0, false, false
	}
	if isDigit(t.at(end)) || t.at(end) == '.' && isDigit(t.at(end+1)) {
		return nil, 0, false, false // 11.111, 6.1.2
	}
	words := campaignWords
	if !strong {
		words = festiveWords
	}
	if e, found := t.campaignWord(t.space(end), words); found {
		return f, e, false, true
	}
	if !strong || t.quantity(end) || notFestivalAfter[t.at(end)] {
		return nil, 0, false, false
	}
	return f, end, true, true
}
