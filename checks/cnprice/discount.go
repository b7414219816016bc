package cnprice

var (
	// offWords start an amount or percentage off: 省¥200, 立减200, 减30%.
	// The coupon forms (领券再减20) count too: the money off is the same
	// claim, whatever unlocks it.
	offWords = words("领券立减", "领券再减", "领券减", "领券最高减", "用券立减", "用券减", "立减", "直降",
		"立省", "节省", "再减", "优惠", "省", "减")
	// spendCuts join the X and Y of 满X减Y.
	spendCuts  = words("减", "立减", "再减", "省", "-")
	secondNths = words("二", "2", "两")
	secondOf   = words("件", "份", "杯", "个", "单", "双", "盒", "瓶")
	halfPrice  = []rune("半价")
	offWord    = []rune("off")
	lowTo      = []rune("低至")
)

// cnDigits are the Chinese numerals a 折 is written in: 七五折, 八八折.
var cnDigits = map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

func findDiscounts(s string) []Discount {
	t := newText(s)
	var out []Discount
	for i := 0; i < len(t.R); {
		d, start, end, ok := t.discountAt(i)
		if !ok {
			if t.numberStart(i) {
				i = t.skipNumberRun(i)
			} else {
				i++
			}
			continue
		}
		d.Text, d.Start, d.End = s[t.Off[start]:t.Off[end]], t.Off[start], t.Off[end]
		out = append(out, d)
		i = end
	}
	return out
}

// discountAt reads a discount statement at i; its text is t.R[start:end],
// start ≥ i (打7折 and 低至3折 report the 7折 and 3折).
func (t text) discountAt(i int) (d Discount, start, end int, ok bool) {
	switch r := t.R[i]; {
	case r == '第':
		if e, ok := t.secondHalf(i); ok {
			return Discount{Kind: SecondHalf}, i, e, true
		}
	case r == '满' || (r == '每' && t.at(i+1) == '满'):
		if d, e, ok := t.spend(i); ok {
			return d, i, e, true
		}
	case r == '打':
		if rate, e, ok := t.zhe(i + 1); ok {
			return Discount{Kind: Zhe, Rate: rate}, i + 1, e, true
		}
	case t.has(i, lowTo):
		j := t.skipSpaces(i+2, 1)
		if rate, e, ok := t.zhe(j); ok {
			return Discount{Kind: Zhe, Rate: rate}, j, e, true
		}
	case t.has(i, halfPrice):
		return Discount{Kind: Zhe, Rate: 0.5}, i, i + 2, true
	case t.numberStart(i):
		if rate, e, ok := t.zhe(i); ok {
			return Discount{Kind: Zhe, Rate: rate}, i, e, true
		}
		if rate, e, ok := t.percent(i, true); ok {
			return Discount{Kind: PercentOff, Rate: rate}, i, e, true
		}
		return Discount{}, 0, 0, false
	case cnDigits[r] != 0 && cnDigits[t.at(i-1)] == 0 && t.at(i-1) != '第':
		if rate, e, ok := t.zhe(i); ok {
			return Discount{Kind: Zhe, Rate: rate}, i, e, true
		}
	}
	if w := t.longestAt(i, offWords); w >= 0 {
		j := t.skipSpaces(i+len(offWords[w]), 2)
		if isDigit(t.at(j)) {
			if rate, e, ok := t.percent(j, false); ok {
				return Discount{Kind: PercentOff, Rate: rate}, i, e, true
			}
		}
		if t.currencyAt(j) > 0 || isDigit(t.at(j)) {
			if v, e, _, ok := t.money(j); ok && v > 0 {
				return Discount{Kind: AmountOff, Amount: v}, i, e, true
			}
		}
	}
	return Discount{}, 0, 0, false
}

// zhe reads a 折 at i: 7折, 7.5折, 75折 (7.5折), 五折, 七五折, 七点五折;
// the rate is the fraction paid and lies strictly between 0 and 1.
func (t text) zhe(i int) (rate float64, end int, ok bool) {
	j := i
	if n1 := cnDigits[t.at(j)]; n1 != 0 {
		rate, j = float64(n1)/10, j+1
		if n2 := cnDigits[t.at(j)]; n2 != 0 {
			rate, j = float64(n1*10+n2)/100, j+1
		} else if t.at(j) == '点' && cnDigits[t.at(j+1)] != 0 {
			rate, j = float64(n1*10+cnDigits[t.at(j+1)])/100, j+2
		}
		if n1 == 1 && j == i+1 && t.at(j) == '折' && t.at(j+1) == '扣' { // 统一折扣
			return 0, 0, false
		}
	} else {
		v, e, digits, ok := t.number(i)
		if !ok || digits > 2 {
			return 0, 0, false
		}
		switch {
		case e-i > digits: // 7.5: tenths of the price
			rate = v / 10
		case digits == 1:
			rate = v / 10
		case v == 10: // 10折 is 十折, the full price, not 1.0折
			return 0, 0, false
		default: // 75折 is 7.5折
			rate = v / 100
		}
		j = e
	}
	j = t.skipSpaces(j, 1)
	if t.at(j) != '折' || t.at(j+1) == '叠' || rate <= 0 || rate >= 1 { // 三折叠伞
		return 0, 0, false
	}
	return rate, j + 1, true
}

// percent reads N% at i; needOff asks for a following "off" (30% off),
// which a word before it (减30%) stands in for. The rate is 1-N/100.
func (t text) percent(i int, needOff bool) (rate float64, end int, ok bool) {
	v, e, _, ok := t.number(i)
	if !ok || v <= 0 || v >= 100 {
		return 0, 0, false
	}
	e = t.skipSpaces(e, 1)
	if t.at(e) != '%' {
		return 0, 0, false
	}
	e++
	if needOff {
		o := t.skipSpaces(e, 1)
		if !t.has(o, offWord) || isLetter(t.at(o+len(offWord))) {
			return 0, 0, false
		}
		e = o + len(offWord)
	}
	return 1 - v/100, e, true
}

// spend reads 满X减Y, 每满X减Y, 满X元减Y元 and 满X-Y at i.
func (t text) spend(i int) (Discount, int, bool) {
	j := i + 1
	if t.R[i] == '每' {
		j++
	}
	j = t.skipSpaces(j, 1)
	x, e, _, ok := t.money(j)
	if !ok {
		return Discount{}, 0, false
	}
	for n := 0; n < 3 && (t.at(e) == ' ' || t.at(e) == ',' || t.at(e) == '、'); n++ {
		e++
	}
	w := t.longestAt(e, spendCuts)
	if w < 0 {
		return Discount{}, 0, false
	}
	j = t.skipSpaces(e+len(spendCuts[w]), 2)
	if t.currencyAt(j) == 0 && !isDigit(t.at(j)) {
		return Discount{}, 0, false
	}
	y, e, _, ok := t.money(j)
	if !ok || y <= 0 {
		return Discount{}, 0, false
	}
	return Discount{Kind: Spend, Threshold: x, Amount: y}, e, true
}

// secondHalf reads 第二件半价 and 第2件半价 at i.
func (t text) secondHalf(i int) (int, bool) {
	j := i + 1
	w := t.longestAt(j, secondNths)
	if w < 0 {
		return 0, false
	}
	j += len(secondNths[w])
	if u := t.longestAt(j, secondOf); u >= 0 {
		j += len(secondOf[u])
	}
	if t.at(j) == '享' {
		j++
	}
	if !t.has(j, halfPrice) {
		return 0, false
	}
	return j + len(halfPrice), true
}
