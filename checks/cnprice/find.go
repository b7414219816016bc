package cnprice

import (
	"slices"
	"strings"
)

// labelKinds maps each label, folded (lower case ASCII), to the kind of
// the amount it stands before. 底价 is left out on purpose: shops use it
// for the current price and for a floor alike.
var labelKinds = map[string]Kind{
	"现价": Current, "促销价": Current, "活动价": Current, "秒杀价": Current, "特价": Current,
	"售价": Current, "价格": Current, "一口价": Current, "抢购价": Current, "直播价": Current,
	"团购价": Current, "拼团价": Current, "预售价": Current, "零售价": Current, "新人价": Current,
	"首单价": Current, "限时价": Current, "专享价": Current, "折扣价": Current, "单价": Current,

	"到手价": Final, "券后价": Final, "折后价": Final, "优惠价": Final, "券后": Final,
	"到手": Final, "实付": Final, "实付款": Final,

	"会员价": Member, "vip价": Member, "plus价": Member, "88vip价": Member, "店铺会员价": Member,
	"会员专享价": Member,

	"原价": Original, "划线价": Original, "吊牌价": Original, "市场价": Original, "参考价": Original,
	"专柜价": Original, "门市价": Original, "日常价": Original, "指导价": Original,
	"建议零售价": Original, "建议售价": Original, "官方价": Original, "原价格": Original,
	"市场价格": Original, "参考价格": Original, "吊牌价格": Original,

	"每期": Instalment, "月供": Instalment,

	"券": Coupon, "优惠券": Coupon, "店铺券": Coupon, "红包": Coupon, "津贴": Coupon, "领券": Coupon,
	"领券减": Coupon, "领券立减": Coupon, "领券再减": Coupon, "领券最高减": Coupon,
	"用券减": Coupon, "用券立减": Coupon, "用券再减": Coupon,
	"券减": Coupon, "券立减": Coupon, "券再减": Coupon,

	"运费": Shipping, "邮费": Shipping, "快递费": Shipping, "配送费": Shipping, "快递": Shipping,

	"省": Saving, "立省": Saving, "节省": Saving, "立减": Saving, "直降": Saving, "减": Saving,
	"再减": Saving, "优惠": Saving, "降价": Saving, "狂降": Saving, "已降": Saving,
	"抵": Saving, "可抵": Saving, "抵扣": Saving,

	"满": Threshold, "每满": Threshold,
}

var (
	labelWords     [][]rune // the keys of labelKinds, longest first
	labelWordKinds []Kind   // labelKinds[labelWords[i]]

	// fillers may stand between a label and its amount: "到手价仅¥99".
	fillers = words("仅需", "只需", "只要", "仅售", "仅", "低至", "约", "为", "才", "最低", "最高", "高达")

	// perUnits after a slash (¥12.5/斤, ¥8.8/100g) or 每 (每斤¥25) make an
	// amount a unit price; itemUnits (¥99/件) are the item's own unit.
	perUnits = words("斤", "两", "克", "g", "kg", "千克", "公斤", "ml", "毫升", "l", "升", "片", "粒",
		"支", "颗", "米", "m", "cm", "平", "平米", "平方米", "㎡", "贴", "抽", "张", "lb", "oz")
	itemUnits = words("件", "盒", "罐", "套", "个", "台", "瓶", "袋", "包", "箱", "桶", "只", "双",
		"条", "份", "组", "把", "本", "部", "块", "提", "听")

	// couponSuffixes after an amount (20元券, ¥20优惠券) make it a coupon.
	couponSuffixes = words("券", "优惠券", "店铺券", "无门槛券", "红包")

	// currencyWords before an amount; "元" after it is handled apart.
	currencyWords = words("¥", "rmb", "cny", "人民币")
	yuanWords     = words("元", "rmb", "人民币", "块钱")
)

func init() {
	keys := make([]string, 0, len(labelKinds))
	for k := range labelKinds {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	labelWords = words(keys...)
	for _, w := range labelWords {
		labelWordKinds = append(labelWordKinds, labelKinds[string(w)])
	}
}

// LabelKind reports the kind a price label gives ("原价" → Original), for
// a label that stands alone ("原价：", "【到手价】"); ok is false when s is
// not a known label.
func LabelKind(s string) (Kind, bool) {
	t := newText(s)
	folded := strings.Trim(string(t.R), " :：【】[]()「」〔〕")
	k, ok := labelKinds[folded]
	return k, ok
}

// amount is a match in rune indices, before it is mapped to bytes.
type amount struct {
	v, max     float64
	kind       Kind
	ls, le     int // the label's runes; ls == le when there is none
	start, end int
	hasLabel   bool
}

func find(s string) []Price {
	t := newText(s)
	var out []Price
	emit := func(a amount) {
		p := Price{Value: a.v, Max: a.max, Kind: a.kind,
			Text: s[t.Off[a.start]:t.Off[a.end]], Start: t.Off[a.start], End: t.Off[a.end]}
		if a.hasLabel {
			p.Label = s[t.Off[a.ls]:t.Off[a.le]]
		}
		out = append(out, p)
	}
	lo := 0 // labels may not reach back into the previous match
	for i := 0; i < len(t.R); {
		if t.currencyAt(i) == 0 && !t.numberStart(i) {
			i++
			continue
		}
		a, ok := t.amountAt(i, lo)
		if !ok {
			if isDigit(t.R[i]) {
				i = t.skipNumberRun(i)
			} else {
				i++
			}
			continue
		}
		emit(a)
		lo, i = a.end, a.end
		if a.kind == Threshold {
			if b, ok := t.spendCut(a.end); ok {
				emit(b)
				lo, i = b.end, b.end
			}
		}
	}
	return instalmentKinds(s, out)
}

// instalmentKinds marks the product-price amounts inside an instalment
// offer (10×¥99.9 = ¥999 免息, 分3期 每期¥433) as Instalment: they are the
// plan's payment and total, not the product's price.
func instalmentKinds(s string, ps []Price) []Price {
	if len(ps) == 0 || !strings.ContainsAny(s, "期息") {
		return ps
	}
	for _, pl := range FindPlans(s) {
		for i := range ps {
			if ps[i].Start >= pl.Start && ps[i].End <= pl.End && ps[i].Kind == Current {
				ps[i].Kind = Instalment
			}
		}
	}
	return ps
}

// currencyAt is the length of the currency sign or word at i, 0 when none.
func (t text) currencyAt(i int) int {
	k := t.longestAt(i, currencyWords)
	if k < 0 {
		return 0
	}
	if isLetter(t.R[i]) && isLetter(t.at(i-1)) { // "xrmb" is a word, not RMB
		return 0
	}
	return len(currencyWords[k])
}

// yuanAfter reads 万 and a currency word after a number ending at k: it
// returns the new end, the value and whether a currency word was there.
func (t text) yuanAfter(k int, v float64, cur bool) (int, float64, bool) {
	if t.at(k) == '万' {
		m := t.skipSpaces(k+1, 1)
		if cur || t.longestAt(m, yuanWords) >= 0 {
			k, v = k+1, v*1e4
		}
	}
	m := t.skipSpaces(k, 1)
	if w := t.longestAt(m, yuanWords); w >= 0 {
		e := m + len(yuanWords[w])
		if t.R[m] == '元' && strings.ContainsRune("旦宵素件器", t.at(e)) { // 元旦, 元素: not money
			return k, v, false
		}
		if isLetter(t.R[m]) && isLetter(t.at(e)) {
			return k, v, false
		}
		if n := t.skipSpaces(e, 1); t.R[m] != '元' && (isDigit(t.at(n)) || t.currencyAt(n) > 0) {
			return k, v, false // "¥1299 RMB 1,299": the RMB opens the next amount
		}
		return e, v, true
	}
	return k, v, false
}

// bareStops are runes that, right after a number with no currency, say it
// counts something other than money: 3期, 2件, 30%, 7折, 2026年, 10:00.
const bareStops = "%折期斤两克个件天年月日号点时分秒次人笔款倍份盒瓶袋包支片粒颗只双条套张台部米寸岁位万度毫千公升级楼层家周+:×x*"

// badAfter reports whether the rune at k rules out the number before it as
// an amount: a percentage or 折 always, a count or unit when there was no
// currency.
func (t text) badAfter(k int, cur bool) bool {
	r := t.at(k)
	if r == '%' || r == '折' {
		return true
	}
	if cur {
		return false
	}
	return isLetter(r) || (r != 0 && strings.ContainsRune(bareStops, r))
}

// money reads [currency] number [万][元] at i, with its bad-follower
// check; cur says whether a currency sign or word was seen.
func (t text) money(i int) (v float64, end int, cur bool, ok bool) {
	j := i
	if n := t.currencyAt(j); n > 0 {
		cur, j = true, t.skipSpaces(j+n, 3)
	}
	v, end, _, ok = t.number(j)
	if !ok {
		return 0, 0, false, false
	}
	e, v, c := t.yuanAfter(end, v, cur)
	if !c && t.badAfter(end, cur) {
		return 0, 0, false, false
	}
	return v, e, cur || c, true
}

// amountAt reads one amount at i (a currency sign or the first digit) with
// its label, range end and suffix; lo bounds how far back a label may
// start.
func (t text) amountAt(i, lo int) (amount, bool) {
	v, k, cur, ok := t.money(i)
	if !ok {
		return amount{}, false
	}
	a := amount{v: v, start: i, kind: Current}
	if kind, ls, le, start, found := t.labelBefore(i, lo); found {
		a.kind, a.ls, a.le, a.start, a.hasLabel = kind, ls, le, start, true
	}
	if a.kind != Threshold {
		if e, max, c, ok := t.rangeEnd(k, v, cur); ok {
			k, a.max, cur = e, max, c
		}
	}
	if t.at(k) == '-' && isDigit(t.at(k+1)) && a.kind != Threshold { // 400-820-8820
		return amount{}, false
	}
	if !cur && !a.hasLabel {
		return amount{}, false
	}
	e, kind := t.suffix(k)
	switch {
	case kind == "":
	case kind == Instalment || kind == PerUnit || kind == Coupon:
		if (Price{Kind: a.kind}).IsProductPrice() { // 运费¥10/件 stays Shipping
			a.kind = kind
		}
	case !a.hasLabel: // a label in brackets after the amount: ¥1,599(原价)
		a.kind = kind
	}
	a.end = e
	return a, true
}

// rangeEnd reads the "-199" of ¥99-199 after an amount ending at k; the
// upper end must not be below v.
func (t text) rangeEnd(k int, v float64, cur bool) (int, float64, bool, bool) {
	m := t.skipSpaces(k, 2)
	if r := t.at(m); r != '-' && r != '~' && r != '至' && r != '到' {
		return 0, 0, false, false
	}
	m = t.skipSpaces(m+1, 2)
	if n := t.currencyAt(m); n == 0 && !isDigit(t.at(m)) {
		return 0, 0, false, false
	}
	max, e, c, ok := t.money(m)
	if !ok || max < v || (t.at(e) == '-' && isDigit(t.at(e+1))) {
		return 0, 0, false, false
	}
	return e, max, cur || c, true
}

// spendCut reads the "-40" of 满300-40 after the threshold ending at k, as
// a Saving.
func (t text) spendCut(k int) (amount, bool) {
	m := t.skipSpaces(k, 1)
	if t.at(m) != '-' {
		return amount{}, false
	}
	m = t.skipSpaces(m+1, 1)
	if t.currencyAt(m) == 0 && !isDigit(t.at(m)) {
		return amount{}, false
	}
	v, e, _, ok := t.money(m)
	if !ok {
		return amount{}, false
	}
	return amount{v: v, kind: Saving, start: m, end: e}, true
}

func isSep(r rune) bool { return r == ' ' || r == ':' }

var closers = map[rune]rune{'】': '【', ']': '[', ')': '(', '」': '「', '〕': '〔', '》': '《'}

// labelBefore finds the label of the amount at i: a known label, 每斤 /
// 每100g, or 分3期, then optionally a closing bracket, separators (spaces,
// colons) and a filler word (仅, 低至 …). start includes an opening
// bracket.
func (t text) labelBefore(i, lo int) (kind Kind, ls, le, start int, ok bool) {
	k := t.skipSepBack(i, lo)
	for _, f := range fillers {
		if t.hasBefore(k, f, lo) {
			k = t.skipSepBack(k-len(f), lo)
			break
		}
	}
	var open rune
	if k-1 >= lo {
		if o, isClose := closers[t.R[k-1]]; isClose {
			open, k = o, t.skipSepBack(k-1, lo)
		}
	}
	n := 0
	for w, word := range labelWords {
		if t.hasBefore(k, word, lo) {
			kind, n = labelWordKinds[w], len(word)
			break
		}
	}
	if pk, pn := t.patternLabelBefore(k, lo); pn > n {
		kind, n = pk, pn
	}
	if n == 0 {
		return "", 0, 0, 0, false
	}
	ls, le, start = k-n, k, k-n
	if open != 0 && t.at(start-1) == open && start-1 >= lo {
		start--
	}
	return kind, ls, le, start, true
}

// skipSepBack steps back over at most four separators before i.
func (t text) skipSepBack(i, lo int) int {
	for n := 0; n < 4 && i-1 >= lo && isSep(t.R[i-1]); n++ {
		i--
	}
	return i
}

// patternLabelBefore matches the labels that carry a number: 每斤, 每100g
// (PerUnit) and 3期, 分12期 (Instalment); n is their length in runes.
func (t text) patternLabelBefore(k, lo int) (Kind, int) {
	if t.at(k-1) == '期' && k-1 >= lo {
		m := k - 1
		for m-1 >= lo && isDigit(t.R[m-1]) && k-1-m < 3 {
			m--
		}
		if m < k-1 {
			if m-1 >= lo && t.R[m-1] == '分' {
				m--
			}
			return Instalment, k - m
		}
		return "", 0
	}
	for _, u := range perUnits {
		if !t.hasBefore(k, u, lo) {
			continue
		}
		m := k - len(u)
		for m-1 >= lo && (isDigit(t.R[m-1]) || t.R[m-1] == '.') && k-m < 8 {
			m--
		}
		if m-1 >= lo && t.R[m-1] == '每' {
			return PerUnit, k - m + 1
		}
	}
	return "", 0
}

// suffix reads what follows an amount ending at k and changes its kind:
// ×3期 and /期 (Instalment), /斤 and /100g (PerUnit), 券 (Coupon), /件
// (kept, no change) or a product label in brackets (¥1,599(原价)). kind is
// "" when nothing changes it.
func (t text) suffix(k int) (int, Kind) {
	m := t.skipSpaces(k, 2)
	switch r := t.at(m); {
	case r == 'x' || r == '×' || r == '*':
		d := t.skipSpaces(m+1, 2)
		e := d
		for isDigit(t.at(e)) && e-d < 3 {
			e++
		}
		if e > d {
			if e = t.skipSpaces(e, 1); t.at(e) == '期' {
				return e + 1, Instalment
			}
		}
	case r == '/':
		d := t.skipSpaces(m+1, 1)
		if c := t.at(d); c == '期' || c == '月' {
			return d + 1, Instalment
		}
		e := d
		for (isDigit(t.at(e)) || (e > d && t.at(e) == '.')) && e-d < 6 {
			e++
		}
		if u := t.longestAt(e, perUnits); u >= 0 {
			end := e + len(perUnits[u])
			if !isLetter(t.R[e]) || !isLetter(t.at(end)) {
				return end, PerUnit
			}
		}
		if u := t.longestAt(e, itemUnits); u >= 0 {
			return e + len(itemUnits[u]), ""
		}
	case r == '(' || r == '【' || r == '[':
		if m > k+1 {
			break
		}
		d := t.skipSpaces(m+1, 1)
		for i, w := range labelWords {
			kind := labelWordKinds[i]
			if !t.has(d, w) || !(Price{Kind: kind}).IsProductPrice() {
				continue
			}
			e := t.skipSpaces(d+len(w), 1)
			if o, ok := closers[t.at(e)]; ok && o == r {
				return e + 1, kind
			}
			break
		}
	}
	if w := t.longestAt(k, couponSuffixes); w >= 0 && t.at(k+len(couponSuffixes[w])) != '后' { // 券后 labels the next amount
		return k + len(couponSuffixes[w]), Coupon
	}
	return k, ""
}
