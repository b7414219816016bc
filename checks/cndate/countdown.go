package cndate

import (
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

var (
	// cdWords open a countdown: 仅剩3天, 倒计时 1天 02:03:04. A bare 还有
	// is one only right after a target (双11还有3天); 还有7天无理由退货 is
	// not.
	cdWords = []string{"倒计时", "仅剩", "还剩", "只剩", "剩余", "剩"}
	// cdAfterDist end the words after 距: 距结束还有3天, 距离开抢仅剩.
	cdAfterDist = []string{"还有", "仅剩", "还剩", "只剩", "剩余", "剩"}
)

// maxDistWords bounds what may stand between 距 and 还有 (距离活动结束).
const maxDistWords = 8

type unit struct {
	word string
	d    time.Duration
	bit  int
}

// units are tried longest first so 小时 is not read as 时 after 小.
var units = []unit{
	{"个小时", time.Hour, 2}, {"小时", time.Hour, 2}, {"分钟", time.Minute, 4},
	{"天", 24 * time.Hour, 1}, {"日", 24 * time.Hour, 1}, {"时", time.Hour, 2},
	{"分", time.Minute, 4}, {"秒", time.Second, 8},
}

func countdowns(s string, c Context) []Countdown {
	var out []Countdown
	t := newText(s)
	needTarget := false // a bare 还有 was read: it stays only with a target
	for i := 0; i < len(t.R); {
		k, target, ok := t.countdownWords(s, i, c)
		bare := false
		if !ok && t.has(i, "还有") {
			k, ok, bare = i+2, true, true
		}
		if !ok {
			i++
			continue
		}
		left, end, ok := t.duration(t.space(k))
		if !ok {
			i++
			continue
		}
		needTarget = needTarget || bare
		out = append(out, Countdown{Left: left, Target: target, Text: s[t.Off[i]:t.Off[end]], Start: t.Off[i], End: t.Off[end]})
		i = end
	}
	if needTarget || strings.Contains(s, "倒计时") {
		t.targetsBefore(s, c, out)
	}
	if needTarget {
		out = slices.DeleteFunc(out, func(cd Countdown) bool { return cd.Target == nil && strings.HasPrefix(s[cd.Start:], "还有") })
	}
	return out
}

// countdownWords reads the words that open a countdown at i and returns
// the index after them (and after a colon), and the target after 距 when
// one is written (距11.11开抢还有, 距双11还有).
func (t *text) countdownWords(s string, i int, c Context) (int, *Date, bool) {
	k, ok := -1, false
	var target *Date
	if e, _, found := t.prefix(i, cdWords); found {
		k, ok = e, true
	} else if t.at(i) == '距' || t.at(i) == '离' {
		j := i + 1
		if t.at(i) == '距' && t.at(j) == '离' {
			j++
		}
		if d, e, found := t.target(s, t.space(j), c); found {
			target, j = &d, e
		}
		for n := 0; n <= maxDistWords && j < len(t.R); n, j = n+1, j+1 {
			if isDigit(t.R[j]) || stopRunes[t.R[j]] {
				break
			}
			if e, _, found := t.prefix(j, cdAfterDist); found {
				k, ok = e, true
				break
			}
		}
	}
	if !ok {
		return 0, nil, false
	}
	k = t.space(k)
	if t.at(k) == ':' {
		k = t.space(k + 1)
	}
	return k, target, true
}

// stopRunes end a clause: a countdown's words do not reach past them.
var stopRunes = map[rune]bool{'\n': true, '，': true, ',': true, '。': true, '！': true, '!': true,
	'；': true, ';': true, '|': true, '?': true, '？': true}

// target reads what a countdown counts down to at i: a festival (双11,
// 年货节: its first day) or a date.
func (t *text) target(s string, i int, c Context) (Date, int, bool) {
	if m, end, ok := t.festivalAt(s, i, c); ok {
		return Date{Time: m.First, HasYear: m.HasYear, Text: m.Text, Start: m.Start, End: m.End}, end, true
	}
	if !isDigit(t.at(i)) {
		return Date{}, 0, false
	}
	r, ok := t.core(i, false)
	if !ok {
		return Date{}, 0, false
	}
	r.resolvedYear = r.y
	if !r.hasY {
		r.resolvedYear = c.inferYear(r)
	}
	d := t.date(s, r, c.location())
	if d.Invalid != "" {
		return Date{}, 0, false // promo.invalid-date's
	}
	return d, r.end, true
}

// targetsBefore gives a "倒计时" or "还有" countdown without a target the
// festival or date written just before it, in the same clause: 双11倒计时
// 2天, 11月11日开抢倒计时：1天, 双11还有3天.
func (t *text) targetsBefore(s string, c Context, cds []Countdown) {
	var cands []Date // by End: festivals and dates are each in order
	for _, m := range Festivals(s, c) {
		cands = append(cands, Date{Time: m.First, HasYear: m.HasYear, Text: m.Text, Start: m.Start, End: m.End})
	}
	for _, d := range Dates(s, c) {
		if d.Invalid == "" {
			cands = append(cands, d)
		}
	}
	slices.SortStableFunc(cands, func(a, b Date) int { return a.End - b.End })
	for i := range cds {
		cd := &cds[i]
		if cd.Target != nil || !strings.HasPrefix(s[cd.Start:], "倒计时") && !strings.HasPrefix(s[cd.Start:], "还有") {
			continue
		}
		// The last candidate ending at or before the countdown.
		j := sort.Search(len(cands), func(j int) bool { return cands[j].End > cd.Start }) - 1
		if j < 0 {
			continue
		}
		gap := s[cands[j].End:cd.Start]
		if len(gap) > maxDistWords*utf8.UTFMax || utf8.RuneCountInString(gap) > maxDistWords || strings.ContainsFunc(gap, func(r rune) bool { return stopRunes[r] || isDigit(r) }) {
			continue
		}
		target := cands[j]
		cd.Target = &target
	}
}

// maxCountDigits keeps every part below 10000 so the sum cannot overflow
// a Duration.
const maxCountDigits = 4

// duration reads 3天, 2天5小时, 10小时, 1天 02:03:04, 05:30 (hours and
// minutes) at i; each unit at most once.
func (t *text) duration(i int) (left time.Duration, end int, ok bool) {
	seen := 0
	k := i
	for {
		j := k
		if ok {
			j = t.space(k)
		}
		v, n := t.num(j)
		if n < 1 || n > maxCountDigits {
			break
		}
		j += n
		if t.at(j) == ':' && seen&(2|4|8) == 0 {
			m, n2 := t.num(j + 1)
			if n2 != 2 {
				break
			}
			left += time.Duration(v)*time.Hour + time.Duration(m)*time.Minute
			j += 3
			if t.at(j) == ':' {
				if sec, n3 := t.num(j + 1); n3 == 2 {
					left += time.Duration(sec) * time.Second
					j += 3
				}
			}
			seen |= 2 | 4 | 8
			k, ok = j, true
			continue
		}
		j = t.space(j)
		u, found := unit{}, false
		for _, cand := range units {
			if seen&cand.bit == 0 && t.has(j, cand.word) {
				u, found = cand, true
				break
			}
		}
		if !found {
			break
		}
		left += time.Duration(v) * u.d
		seen |= u.bit
		k, ok = j+len([]rune(u.word)), true
	}
	return left, k, ok
}
