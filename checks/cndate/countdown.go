package cndate

import "time"

var (
	// cdWords open a countdown: 仅剩3天, 倒计时 1天 02:03:04. A bare 还有
	// is not one: 还有7天无理由退货.
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

func countdowns(s string) []Countdown {
	var out []Countdown
	t := newText(s)
	for i := 0; i < len(t.R); {
		k, ok := t.countdownWords(i)
		if !ok {
			i++
			continue
		}
		left, end, ok := t.duration(t.space(k))
		if !ok {
			i++
			continue
		}
		out = append(out, Countdown{Left: left, Text: s[t.Off[i]:t.Off[end]], Start: t.Off[i], End: t.Off[end]})
		i = end
	}
	return out
}

// countdownWords reads the words that open a countdown at i and returns
// the index after them (and after a colon).
func (t *text) countdownWords(i int) (int, bool) {
	k, ok := -1, false
	if e, _, found := t.prefix(i, cdWords); found {
		k, ok = e, true
	} else if t.at(i) == '距' {
		for j := i + 1; j <= i+1+maxDistWords && j < len(t.R); j++ {
			if isDigit(t.R[j]) || t.R[j] == '\n' {
				break
			}
			if e, _, found := t.prefix(j, cdAfterDist); found {
				k, ok = e, true
				break
			}
		}
	}
	if !ok {
		return 0, false
	}
	k = t.space(k)
	if t.at(k) == ':' {
		k = t.space(k + 1)
	}
	return k, true
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
