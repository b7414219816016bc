// Package cnprice finds money amounts and discount statements in Chinese
// shop copy: ¥ / ￥ / RMB / 元 / 人民币, thousands separators, decimals,
// ranges, the labels that say which price an amount is (现价, 原价 …), and
// the amounts that are not product prices (instalments, per-unit prices,
// coupon amounts, shipping fees). It reads plain text; which characters were
// struck through on the page is the caller's to say.
package cnprice

// Kind is what an amount is, from its label and context.
type Kind string

const (
	Current    Kind = "current"    // unlabelled, or 现价 促销价 秒杀价 活动价 特价 售价 一口价 …
	Final      Kind = "final"      // 到手价 券后价 折后价: after discounts/coupons; a labelled alternative
	Member     Kind = "member"     // 会员价 VIP价 PLUS价: a labelled alternative
	Original   Kind = "original"   // 原价 划线价 吊牌价 市场价 参考价 专柜价 门市价
	Instalment Kind = "instalment" // ¥999.67×3期, 每期 ¥…: not a product price
	PerUnit    Kind = "per-unit"   // ¥12.5/斤, 每100g ¥…: not a product price
	Coupon     Kind = "coupon"     // 优惠券 ¥20, 领券减20: not a product price
	Shipping   Kind = "shipping"   // 运费 ¥10, 邮费: not a product price
	Saving     Kind = "saving"     // 省¥N, 立减N, 直降N: an amount off, not a price
	Threshold  Kind = "threshold"  // the X of 满X减Y
)

// Price is one amount found in a text.
type Price struct {
	Value float64 // the amount in yuan (the lower end of a range)
	Max   float64 // the upper end of a range (¥99-199), 0 when not a range
	Kind  Kind
	Label string // the label that decided Kind ("原价"), "" when none
	Text  string // the matched text, label included ("原价¥1,299.00")
	Start int    // byte offsets of Text in the input
	End   int
}

// IsProductPrice reports whether p prices the product itself (current,
// final, member or original), not an instalment, unit price, coupon,
// shipping fee, saving or threshold.
func (p Price) IsProductPrice() bool {
	switch p.Kind {
	case Current, Final, Member, Original:
		return true
	}
	return false
}

// Find returns every amount in s, in order. An amount needs a currency
// sign or word (¥ ￥ RMB 元 人民币) or a price label; a bare number is not a
// price.
func Find(s string) []Price { return find(s) }

// DiscountKind is the form of a discount statement.
type DiscountKind string

const (
	Zhe        DiscountKind = "zhe"         // 7折, 7.5折, 五折, 七五折, 半价
	PercentOff DiscountKind = "percent-off" // 30% off, 30%OFF, 减30%
	AmountOff  DiscountKind = "amount-off"  // 省¥N, 立减N, 直降N, 优惠N元
	Spend      DiscountKind = "spend"       // 满X减Y (a threshold offer)
	SecondHalf DiscountKind = "second-half" // 第二件半价
)

// Discount is one discount statement.
type Discount struct {
	Kind DiscountKind
	// Rate is the fraction of the price paid (7折 → 0.7, 30% off → 0.7);
	// 0 when Kind is not Zhe or PercentOff.
	Rate float64
	// Amount is the money off (AmountOff, the Y of Spend); Threshold the X
	// of Spend.
	Amount, Threshold float64
	Text              string
	Start, End        int
}

// FindDiscounts returns every discount statement in s, in order.
func FindDiscounts(s string) []Discount { return findDiscounts(s) }
