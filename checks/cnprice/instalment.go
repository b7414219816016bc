package cnprice

// Plan is one instalment offer: N payments of Per yuan each.
type Plan struct {
	Per float64 // one payment, in yuan
	N   int     // the number of payments (期), 2 to 60
	// Total is the amount the offer states for the whole plan ("= ¥999"),
	// 0 when it states none.
	Total float64
	// InterestFree is set when the offer is marked 免息 (0息, 零息, 无息):
	// the payments add up to the price, not more.
	InterestFree bool
	// From is set when Per is a floor (每期¥83起, 低至¥83/期): the plan's
	// own payment may be more, so Per × N proves nothing.
	From       bool
	Text       string // the matched text, the 免息 mark included when it is inside or right after it
	Start, End int    // byte offsets of Text in the input
}

// FindPlans returns every instalment offer in s, in order:
//
//	¥433×3期   99.9元 x 10 期   ¥83.25/期×12期   10期×¥99.9
//	分3期 每期¥433   12期免息，每期83.25元   每期¥83.25起（分12期）
//	10×¥99.9 = ¥999 免息 (a bare count needs 期 or a 免息 / 分期 mark)
//
// The payment needs a currency sign or word (¥ ￥ RMB 元); the count is 2 to
// 60, in digits (full-width too) or Chinese numerals (三 六 十二 二十四 …).
// The multiplication sign may be × x X * ＊ ✕. An offer without a count
// (月供¥333起, ¥433/期) is not returned.
func FindPlans(s string) []Plan {
	t := newText(s)
	var out []Plan
	claimed := 0 // a 免息 mark before an offer may not reach into the previous one
	for i := 0; i < len(t.R); {
		o, ok := t.instalmentAt(i)
		if !ok {
			i++
			continue
		}
		if !o.free {
			if m := t.freeMarkBefore(o.start, claimed); m >= 0 {
				o.free = true
			}
		}
		if e, ok := t.freeMarkAfter(o.end); ok {
			o.free, o.end = true, e
		}
		out = append(out, Plan{Per: o.per, N: o.n, Total: o.total, InterestFree: o.free, From: o.from,
			Text: s[t.Off[o.start]:t.Off[o.end]], Start: t.Off[o.start], End: t.Off[o.end]})
		claimed, i = o.end, o.end
	}
	return out
}

// offer is a match in rune indices.
type offer struct {
	per, total float64
	n          int
	free, from bool
	start, end int
}

var (
	timesSigns = []rune{'x', '×', '*', '✕', '╳'}
	freeMarks  = words("免息", "0息", "零息", "无息", "0利息", "零利息")
	perLabels  = words("每期", "月供", "每月")
	payFillers = words("低至", "最低", "仅需", "仅", "只需", "只要")
	// cnCounts are the counts written in Chinese numerals, longest first.
	cnCounts = map[string]int{"二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "九": 9, "十": 10,
		"十二": 12, "十五": 15, "十八": 18, "二十四": 24, "三十六": 36}
	cnCountWords = func() [][]rune {
		ks := make([]string, 0, len(cnCounts))
		for k := range cnCounts {
			ks = append(ks, k)
		}
		return words(ks...)
	}()
)

const (
	minCount = 2
	maxCount = 60
)

func isTimes(r rune) bool {
	for _, x := range timesSigns {
		if r == x {
			return true
		}
	}
	return false
}

// isOfferSep are the runes that may stand between the parts of one offer.
func isOfferSep(r rune) bool {
	switch r {
	case ' ', ',', ':', '、', ';', '(', ')', '（', '）', '【', '】', '[', ']', '/':
		return true
	}
	return false
}

func (t text) skipOfferSeps(i, max int) int {
	for n := 0; n < max && isOfferSep(t.at(i)); n++ {
		i++
	}
	return i
}

// count reads an instalment count at i: digits or a Chinese numeral, in
// [minCount, maxCount].
func (t text) count(i int) (n, end int, ok bool) {
	if isDigit(t.at(i)) {
		if p := t.at(i - 1); isDigit(p) || p == '.' || p == ',' || p == '-' || p == '/' || isLetter(p) && p != 'x' {
			return 0, 0, false
		}
		j := i
		for isDigit(t.at(j)) && j-i < 3 {
			n = n*10 + int(t.R[j]-'0')
			j++
		}
		if isDigit(t.at(j)) || t.at(j) == '.' && isDigit(t.at(j+1)) || n < minCount || n > maxCount {
			return 0, 0, false
		}
		return n, j, true
	}
	if k := t.longestAt(i, cnCountWords); k >= 0 {
		w := cnCountWords[k]
		return cnCounts[string(w)], i + len(w), true
	}
	return 0, 0, false
}

// payment reads a currency amount at i (¥433, 433元, ¥ 83.25): the currency
// sign or word is required.
func (t text) payment(i int) (v float64, end int, ok bool) {
	j := i
	cur := false
	if n := t.currencyAt(j); n > 0 {
		cur, j = true, t.skipSpaces(j+n, 2)
	}
	v, end, _, ok = t.number(j)
	if !ok {
		return 0, 0, false
	}
	end, v, c := t.yuanAfter(end, v, cur)
	if !cur && !c || v <= 0 {
		return 0, 0, false
	}
	return v, end, true
}

// perPeriod skips a "/期" or "/月" after a payment ending at k.
func (t text) perPeriod(k int) int {
	m := t.skipSpaces(k, 1)
	if t.at(m) == '/' {
		if d := t.skipSpaces(m+1, 1); t.at(d) == '期' || t.at(d) == '月' {
			return d + 1
		}
	}
	return k
}

// floorAfter skips a 起 after a payment ending at k.
func (t text) floorAfter(k int) (int, bool) {
	if m := t.skipSpaces(k, 1); t.at(m) == '起' {
		return m + 1, true
	}
	return k, false
}

// instalmentAt reads one offer starting at i.
func (t text) instalmentAt(i int) (offer, bool) {
	for _, read := range []func(int) (offer, bool){t.paymentTimesCount, t.countTimesPayment, t.splitEach, t.eachSplit} {
		if o, ok := read(i); ok {
			o.end = t.statedTotal(&o)
			return o, true
		}
	}
	return offer{}, false
}

// paymentTimesCount reads ¥433×3期, 99.9元 x 10 期, ¥83.25/期×12期.
func (t text) paymentTimesCount(i int) (offer, bool) {
	if t.currencyAt(i) == 0 && !t.numberStart(i) {
		return offer{}, false
	}
	v, k, ok := t.payment(i)
	if !ok {
		return offer{}, false
	}
	k = t.perPeriod(k)
	k, from := t.floorAfter(k)
	m := t.skipSpaces(k, 2)
	if !isTimes(t.at(m)) {
		return offer{}, false
	}
	n, e, ok := t.count(t.skipSpaces(m+1, 2))
	if !ok {
		return offer{}, false
	}
	if e = t.skipSpaces(e, 1); t.at(e) != '期' {
		return offer{}, false
	}
	return offer{per: v, n: n, from: from || t.floorBefore(i), start: i, end: e + 1}, true
}

// countTimesPayment reads 10期×¥99.9, and 10×¥99.9 when a 免息 mark or 分期
// says the bare count is one of payments.
func (t text) countTimesPayment(i int) (offer, bool) {
	n, k, ok := t.count(i)
	if !ok || !isDigit(t.at(i)) {
		return offer{}, false
	}
	k = t.skipSpaces(k, 1)
	period := t.at(k) == '期'
	if period {
		k = t.skipSpaces(k+1, 1)
	} else if t.at(k) == '期' || t.at(k) == '件' {
		return offer{}, false
	}
	if !isTimes(t.at(k)) {
		return offer{}, false
	}
	v, e, ok := t.payment(t.skipSpaces(k+1, 2))
	if !ok {
		return offer{}, false
	}
	e = t.perPeriod(e)
	e, from := t.floorAfter(e)
	o := offer{per: v, n: n, from: from, start: i, end: e}
	if !period {
		o.end = t.statedTotal(&o)
		_, markAfter := t.freeMarkAfter(o.end)
		if !markAfter && t.freeMarkBefore(i, 0) < 0 && !t.hasBefore(t.skipSepBack(i, 0), []rune("分期"), 0) {
			return offer{}, false
		}
	}
	return o, true
}

// splitEach reads 分3期 每期¥433, 12期免息，每期83.25元, 3期 每期仅¥433.
func (t text) splitEach(i int) (offer, bool) {
	j := i
	if t.at(j) == '分' {
		j++
	}
	n, k, ok := t.count(j)
	if !ok {
		return offer{}, false
	}
	if k = t.skipSpaces(k, 1); t.at(k) != '期' {
		return offer{}, false
	}
	k++
	free := false
	if m := t.longestAt(k, freeMarks); m >= 0 {
		free, k = true, k+len(freeMarks[m])
	}
	k = t.skipOfferSeps(k, 3)
	if t.longestAt(k, perLabels) < 0 {
		return offer{}, false
	}
	k += 2
	k = t.skipOfferSeps(k, 2)
	k, from := t.fillerAt(k)
	v, e, ok := t.payment(k)
	if !ok {
		return offer{}, false
	}
	e = t.perPeriod(e)
	e, fl := t.floorAfter(e)
	return offer{per: v, n: n, free: free, from: from || fl, start: i, end: e}, true
}

// eachSplit reads 每期¥83.25起（分12期）, 每期¥433 共3期, 月供¥333×3期.
func (t text) eachSplit(i int) (offer, bool) {
	if t.longestAt(i, perLabels) < 0 {
		return offer{}, false
	}
	k, from := t.fillerAt(t.skipOfferSeps(i+2, 2))
	v, e, ok := t.payment(k)
	if !ok {
		return offer{}, false
	}
	e = t.perPeriod(e)
	e, fl := t.floorAfter(e)
	m := t.skipOfferSeps(e, 3)
	switch {
	case isTimes(t.at(m)):
		m = t.skipSpaces(m+1, 2)
	case t.at(m) == '分' || t.at(m) == '共':
		m++
	}
	n, c, ok := t.count(m)
	if !ok {
		return offer{}, false
	}
	if c = t.skipSpaces(c, 1); t.at(c) != '期' {
		return offer{}, false
	}
	c++
	if t.at(c) == ')' || t.at(c) == '）' {
		c++
	}
	return offer{per: v, n: n, from: from || fl, start: i, end: c}, true
}

// statedTotal reads "= ¥999" (or "共¥999") after an offer, returning the
// new end.
func (t text) statedTotal(o *offer) int {
	m := t.skipSpaces(o.end, 2)
	if r := t.at(m); r != '=' && r != '共' {
		return o.end
	}
	v, e, ok := t.payment(t.skipSpaces(m+1, 2))
	if !ok {
		return o.end
	}
	o.total = v
	return e
}

// freeMarkAfter finds a 免息 mark right after an offer ending at k (after
// at most two separators); end is the mark's end.
func (t text) freeMarkAfter(k int) (end int, ok bool) {
	m := t.skipOfferSeps(k, 2)
	if w := t.longestAt(m, freeMarks); w >= 0 {
		e := m + len(freeMarks[w])
		if t.at(e) == ')' || t.at(e) == '）' || t.at(e) == '】' || t.at(e) == ']' {
			e++
		}
		return e, true
	}
	return k, false
}

// freeMarkBefore finds a 免息 mark right before an offer starting at i (at
// most two separators, or 分期 between), not before lo; -1 when none.
func (t text) freeMarkBefore(i, lo int) int {
	k := i
	for n := 0; n < 2 && k > lo && isOfferSep(t.at(k-1)); n++ {
		k--
	}
	if t.hasBefore(k, []rune("分期"), lo) {
		k -= 2
	}
	for _, w := range freeMarks {
		if t.hasBefore(k, w, lo) {
			return k - len(w)
		}
	}
	return -1
}

// fillerAt skips a filler word at k (仅, 低至 …); from is set when it makes
// the payment a floor (低至, 最低).
func (t text) fillerAt(k int) (end int, from bool) {
	f := t.longestAt(k, payFillers)
	if f < 0 {
		return k, false
	}
	w := string(payFillers[f])
	return t.skipSpaces(k+len(payFillers[f]), 1), w == "低至" || w == "最低"
}

// floorBefore reports a 低至 / 最低 right before i.
func (t text) floorBefore(i int) bool {
	k := i
	for k > 0 && t.at(k-1) == ' ' {
		k--
	}
	return t.hasBefore(k, []rune("低至"), 0) || t.hasBefore(k, []rune("最低"), 0)
}
