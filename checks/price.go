package checks

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/storecheck/storecheck/checks/cnprice"
	"github.com/storecheck/storecheck/checks/pagemodel"
)

// priceChecks judge the prices a product page shows, as text a shopper can
// see (hidden text, comments and scripts are not read; prices written by
// scripts after load are, since the DOM is the rendered one).
func priceChecks() []*Check {
	return []*Check{
		{
			ID:       "price.missing",
			Doc:      "a product page shows no price as text",
			Severity: SeverityError,
			Subject:  "the product title, excerpted",
			Run:      runPriceMissing,
			Strict:   true,
		},
		{
			ID:       "price.ambiguous",
			Doc:      "conflicting current prices for the same item",
			Severity: SeverityWarning,
			Subject:  "the prices, e.g. `¥99 / ¥129`",
			Run:      runPriceAmbiguous,
			Strict:   true,
		},
		{
			ID:       "price.original-not-higher",
			Doc:      "the struck-through / 原价 is not above the current price — in the buy box and on every product card of any page",
			Severity: SeverityError,
			Subject:  "the original price text",
			Run:      runPriceOriginalNotHigher,
			Strict:   true,
		},
		{
			ID:       "price.discount-mismatch",
			Doc:      "a stated discount disagrees with the prices shown — in the buy box and on every product card of any page",
			Severity: SeverityError,
			Subject:  "the discount text (`5折`)",
			Run:      runPriceDiscountMismatch,
			Strict:   true,
		},
		{
			ID:           "price.reference-suspect",
			Doc:          "the original price is above the lowest current price this product showed in the 7 days before (stored runs)",
			Severity:     SeverityWarning,
			Subject:      "the original price text",
			Run:          runPriceReferenceSuspect,
			Strict:       true,
			PriceHistory: true,
		},
		{
			ID:       "price.instalment-mismatch",
			Doc:      "instalments in the buy box (¥433×3期, 分3期 每期¥433) add up to less than the price, or, marked 免息, to other than the price",
			Severity: SeverityError,
			Subject:  "the instalment text",
			Run:      runInstalmentMismatch,
			Strict:   true,
		},
		{
			ID:          "price.image-mismatch",
			Doc:         "a price drawn inside a product's picture (gallery main image or card image) differs from that product's text price",
			Severity:    SeverityError,
			Subject:     "the price as read from the picture (`¥44.9`)",
			Run:         runPriceImageMismatch,
			PictureText: true,
			Strict:      true,
		},
		{
			ID:       "price.inconsistent",
			Doc:      "a card on this listing/home page prices a product differently from its detail page",
			Severity: SeverityError,
			Subject:  "the detail page URL",
			RunSite:  runPriceInconsistent,
			Facts:    true,
			Strict:   true,
		},
	}
}

// productTitle is what price.missing names: the h1, else the <title>.
func productTitle(p *Pass) string {
	if len(p.Page.Headings) > 0 && strings.TrimSpace(p.Page.Headings[0]) != "" {
		return p.Page.Headings[0]
	}
	return p.Page.Title
}

// runPriceMissing reports a product page that shows no price of the
// product (current, final, member or original) anywhere in its buy box.
func runPriceMissing(p *Pass) {
	if p.Model.BuyBox == nil {
		return
	}
	for _, pr := range p.Model.BuyBox.Prices {
		if pr.IsProductPrice() {
			return
		}
	}
	p.Report("", productTitle(p), M("price.missing"),
		map[string]any{"buy_box_found": p.Model.BuyBox.Decided})
}

// runPriceAmbiguous reports a buy box that shows two or more different
// current prices. Ranges, labelled member / final prices, originals,
// instalments, unit prices, coupons and shipping fees are not current
// prices, so they never conflict.
func runPriceAmbiguous(p *Pass) {
	if p.Model.BuyBox == nil {
		return
	}
	seen := map[int64]pagemodel.Price{}
	for _, pr := range p.Model.BuyBox.Prices {
		if pr.Current() && pr.Max == 0 {
			if _, ok := seen[cnprice.Cents(pr.Value)]; !ok {
				seen[cnprice.Cents(pr.Value)] = pr
			}
		}
	}
	if len(seen) < 2 {
		return
	}
	var list []pagemodel.Price
	for _, pr := range seen {
		list = append(list, pr)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Value < list[j].Value })
	var names, texts []string
	for _, pr := range list {
		names = append(names, yuan(pr.Value))
		texts = append(texts, pr.Text)
	}
	p.Report("", strings.Join(names, " / "), M("price.ambiguous", len(list), strings.Join(names, ", ")),
		map[string]any{"prices": texts})
}

// runPriceOriginalNotHigher reports an original price (struck through, or
// labelled 原价 / 划线价 …) that is not above the current price: the
// product's in the buy box, and each product card's own (cardsOriginalNotHigher).
func runPriceOriginalNotHigher(p *Pass) {
	done := map[string]bool{}
	if b := p.Model.BuyBox; b != nil {
		if cur, ok := b.MainPrice(); ok && cur.Max == 0 {
			for _, pr := range b.Prices {
				if !pr.Original() || pr.Max != 0 || done[pr.Text] || cnprice.Cents(pr.Value) > cnprice.Cents(cur.Value) {
					continue
				}
				done[pr.Text] = true
				p.Report("", pr.Text, M("price.original-not-higher", yuan(pr.Value), yuan(cur.Value)), map[string]any{
					"original": pr.Value, "current": cur.Value, "original_text": pr.Text, "current_text": cur.Text,
					"struck": pr.Struck,
				})
			}
		}
	}
	cardsOriginalNotHigher(p, done)
}

// cardsOriginalNotHigher reports, on every product card of the page, an
// original price not above that card's current price (Card.MainPrice; a
// card whose price is a range, or two prices drawn alike, is not judged).
// Subjects the buy box reported (done) are not reported again; a subject
// several cards show is reported once, on the first, with their count.
func cardsOriginalNotHigher(p *Pass, done map[string]bool) {
	r := cardReport{p: p, done: done}
	for _, c := range p.Model.Cards {
		cur, ok := c.MainPrice()
		if !ok || cur.Max != 0 {
			continue
		}
		for _, pr := range c.Prices {
			if !pr.Original() || pr.Max != 0 || cnprice.Cents(pr.Value) > cnprice.Cents(cur.Value) {
				continue
			}
			r.add(c, pr.Text, func() (Msg, map[string]any) {
				return M("price.original-not-higher/card", cardName(c), yuan(pr.Value), yuan(cur.Value)), map[string]any{
					"original": pr.Value, "current": cur.Value, "original_text": pr.Text, "current_text": cur.Text,
					"struck": pr.Struck,
				}
			})
		}
	}
	r.emit()
}

// cardReport gathers the findings of one rule on a page's cards: one per
// subject, on the first card showing it, with where that card is drawn
// and how many cards show the subject. A subject several cards show is
// reported with the message key + "-many", whose last argument is their
// count: English and Chinese say it differently, so it is one text.
type cardReport struct {
	p     *Pass
	done  map[string]bool // subjects already reported on the page
	order []string
	by    map[string]*cardFinding
}

type cardFinding struct {
	card  *pagemodel.Card // the first card showing the subject
	msg   Msg
	ev    map[string]any
	cards map[*pagemodel.Card]bool
}

// add records subject on card c; build makes the message and evidence the
// first time.
func (r *cardReport) add(c *pagemodel.Card, subject string, build func() (Msg, map[string]any)) {
	if r.done[subject] {
		return
	}
	if r.by == nil {
		r.by = map[string]*cardFinding{}
	}
	if f, ok := r.by[subject]; ok {
		f.cards[c] = true
		return
	}
	msg, ev := build()
	r.by[subject] = &cardFinding{card: c, msg: msg, ev: ev, cards: map[*pagemodel.Card]bool{c: true}}
	r.order = append(r.order, subject)
}

func (r *cardReport) emit() {
	for _, subject := range r.order {
		f := r.by[subject]
		r.done[subject] = true
		ev := f.ev
		ev["card"] = f.card.Pos
		ev["card_title"] = f.card.Title
		ev["card_link"] = f.card.Link
		ev["cards"] = len(f.cards)
		if sel, box, ok := r.p.Model.CardWhere(f.card); ok {
			ev["selector"], ev["box"] = sel, boxEvidence(box)
		} else if sel != "" {
			ev["selector"] = sel
		}
		msg := f.msg
		if n := len(f.cards); n > 1 {
			msg = M(msg.Key+"-many", append(slices.Clone(msg.Args), n)...)
		}
		r.p.Report("", subject, msg, ev)
	}
}

// cardName is ` "title"` for a card with a title, "" without: quoted page
// text, an argument of messages in any language.
func cardName(c *pagemodel.Card) string {
	if c.Title == "" {
		return ""
	}
	t := []rune(c.Title)
	if len(t) > 40 {
		t = append(t[:39], '…')
	}
	return fmt.Sprintf(" %q", string(t))
}

// Tolerances of price.discount-mismatch, as the rule catalog states them: half a percentage point
// of the rate, or a cent of the amount.
const (
	discountRateTolerance = 0.005
	discountCentTolerance = 0.01
)

// runPriceDiscountMismatch reports a discount statement of the buy box that
// the prices shown contradict: an X折 / X% off whose rate is not current ÷
// original, a 省 / 立减 / 直降 amount that is not original − current, a
// 满X减Y with Y ≥ X or whose stated final price (到手价) is above price − Y. "低至" / "…起" discounts state a floor, not this
// product's price, and 第二件半价 is not about one item's price.
func runPriceDiscountMismatch(p *Pass) {
	done := map[string]bool{}
	if b := p.Model.BuyBox; b != nil {
		cur, hasCur := b.MainPrice()
		orig, hasOrig := pagemodel.HighestOriginal(b.Prices)
		finals := finalPrices(b.Prices)
		for _, blk := range b.Blocks {
			text := blk.Shown
			for _, d := range cnprice.FindDiscounts(text) {
				if done[d.Text] || isFloor(text, d) {
					continue
				}
				ev, kind, args := discountMismatch(d, cur, hasCur, orig, hasOrig, finals)
				if ev == nil {
					continue
				}
				done[d.Text] = true
				p.Report("", d.Text, M("price.discount-mismatch/"+kind, args...), ev)
			}
		}
	}
	cardsDiscountMismatch(p, done)
}

// cardsDiscountMismatch judges the discount tags of every product card of
// the page against that card's own prices, as the buy box's are judged.
// Beyond floors, a card's tag that is not about the two prices it shows is
// not judged: a multi-buy (2件9折, 满2件8折, 第2件5折), a member's or a
// newcomer's rate (会员9折, 新人立减10), and money a coupon or checkout
// takes off the price shown (领券立减20, 用券减10, 下单再减5).
func cardsDiscountMismatch(p *Pass, done map[string]bool) {
	r := cardReport{p: p, done: done}
	for _, c := range p.Model.Cards {
		cur, hasCur := c.MainPrice()
		orig, hasOrig := pagemodel.HighestOriginal(c.Prices)
		finals := finalPrices(c.Prices)
		for _, text := range c.Texts {
			for _, d := range cnprice.FindDiscounts(text) {
				if isFloor(text, d) || notAboutCard(text, d) {
					continue
				}
				ev, kind, args := discountMismatch(d, cur, hasCur, orig, hasOrig, finals)
				if ev == nil {
					continue
				}
				r.add(c, d.Text, func() (Msg, map[string]any) {
					return M("price.discount-mismatch/card-"+kind, append([]any{cardName(c)}, args...)...), ev
				})
			}
		}
	}
	r.emit()
}

// finalPrices are the single labelled final amounts (到手价, 券后价) of prices.
func finalPrices(prices []pagemodel.Price) []float64 {
	var out []float64
	for _, pr := range prices {
		if pr.Kind == cnprice.Final && pr.Max == 0 {
			out = append(out, pr.Value)
		}
	}
	return out
}

// notAboutCard reports whether a discount on a card is conditional on
// something other than buying the item at the price shown: more items
// (2件9折, 第2件5折), membership (会员9折, VIP/PLUS, 新人, 新客), a coupon or a
// checkout step (领券立减20, 用券减10, 券减5, 再减5).
func notAboutCard(text string, d cnprice.Discount) bool {
	before := strings.ToLower(strings.TrimSpace(text[:d.Start]))
	for _, w := range []string{"件", "会员", "vip", "plus", "新人", "新客", "券", "再", "下单"} {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	for _, w := range []string{"领券", "用券", "券", "再减", "下单"} {
		if strings.HasPrefix(d.Text, w) {
			return true
		}
	}
	return false
}

// discountMismatch judges one discount; nil evidence means it agrees (or
// cannot be judged). kind names the message (price.discount-mismatch/kind)
// and args are its arguments.
func discountMismatch(d cnprice.Discount, cur pagemodel.Price, hasCur bool, orig pagemodel.Price, hasOrig bool, finals []float64) (ev map[string]any, kind string, args []any) {
	if d.Kind == cnprice.Spend {
		if d.Threshold > 0 && d.Amount >= d.Threshold {
			return map[string]any{"threshold": d.Threshold, "amount": d.Amount}, "spend", []any{d.Text}
		}
		// The offer applies to the item's own price, so a stated final price
		// (到手价) above price − Y contradicts it; below it, other coupons
		// may explain the difference.
		if hasCur && cur.Max == 0 && d.Threshold > 0 && cur.Value >= d.Threshold {
			most := round2(cur.Value - d.Amount)
			for _, f := range finals {
				if f > most+discountCentTolerance+1e-9 {
					return map[string]any{"threshold": d.Threshold, "amount": d.Amount, "current": cur.Value,
							"final": f, "expected_at_most": most},
						"spend-final", []any{d.Text, yuan(cur.Value), yuan(most), yuan(f)}
				}
			}
		}
		return nil, "", nil
	}
	if !hasCur || !hasOrig || cur.Max != 0 || orig.Value <= 0 {
		return nil, "", nil
	}
	prices := append([]float64{cur.Value}, finals...)
	switch d.Kind {
	case cnprice.Zhe, cnprice.PercentOff:
		for _, v := range prices {
			if math.Abs(v/orig.Value-d.Rate) <= discountRateTolerance+1e-9 ||
				math.Abs(round2(orig.Value*d.Rate)-v) <= discountCentTolerance+1e-9 {
				return nil, "", nil
			}
		}
		// The share goes as text: the catalog would group its digits.
		return map[string]any{"rate": d.Rate, "current": cur.Value, "original": orig.Value,
				"actual_rate": round4(cur.Value / orig.Value), "expected": round2(orig.Value * d.Rate)},
			"rate", []any{d.Text, yuan(orig.Value), yuan(round2(orig.Value * d.Rate)), yuan(cur.Value),
				fmt.Sprintf("%.1f", cur.Value/orig.Value*100)}
	case cnprice.AmountOff:
		for _, v := range prices {
			if math.Abs(orig.Value-v-d.Amount) <= discountCentTolerance+1e-9 {
				return nil, "", nil
			}
		}
		return map[string]any{"amount": d.Amount, "current": cur.Value, "original": orig.Value,
				"actual_amount": round2(orig.Value - cur.Value)},
			"amount", []any{d.Text, yuan(orig.Value), yuan(cur.Value), yuan(round2(orig.Value - cur.Value))}
	}
	return nil, "", nil
}

// isFloor reports whether a discount is stated as a floor ("低至3折",
// "最低5折", "3折起"): true of some product, not a claim about this price.
func isFloor(text string, d cnprice.Discount) bool {
	before := strings.TrimSpace(text[:d.Start])
	after := strings.TrimSpace(text[d.End:])
	return strings.HasSuffix(before, "低至") || strings.HasSuffix(before, "最低") || strings.HasSuffix(before, "最高") ||
		strings.HasPrefix(after, "起") || strings.HasSuffix(d.Text, "起")
}

// runPriceInconsistent compares, at the end of the sweep, every card price
// with the current price of the detail page it links to (same viewport when
// that was visited, else any) and reports the card's page.
func runPriceInconsistent(p *SitePass) {
	for _, c := range priceMismatches(p.Facts) {
		p.Report(c.listing, c.viewport, "", c.detailURL,
			M("price.inconsistent", yuan(c.card.Value), yuan(c.detail.Current)),
			map[string]any{"card_price": c.card.Value, "card_text": c.card.Text, "card_url": c.listing,
				"detail_price": c.detail.Current, "detail_text": c.detail.CurrentText, "detail_url": c.detailURL})
	}
}

// priceMismatch is one card that disagrees with its detail page.
type priceMismatch struct {
	listing, viewport, detailURL string
	card                         pagemodel.CardPrice
	detail                       *PagePrice
}

// priceMismatches lists every card whose price differs by a cent or more
// from its detail page's current price in the same viewport (else in any
// viewport the detail page was visited in), sorted.
func priceMismatches(facts []PageFacts) []priceMismatch {
	type visit struct{ url, viewport string }
	details := map[visit]*PagePrice{}
	// A detail page seen in another viewport only: the first viewport by
	// name decides, so the outcome does not depend on visit order.
	anyViewport := map[string]*PagePrice{}
	anyName := map[string]string{}
	for _, f := range facts {
		if f.Price == nil {
			continue
		}
		details[visit{f.URL, f.Viewport}] = f.Price
		if name, ok := anyName[f.URL]; !ok || f.Viewport < name {
			anyViewport[f.URL], anyName[f.URL] = f.Price, f.Viewport
		}
	}
	var out []priceMismatch
	for _, f := range facts {
		for target, c := range f.CardPrices {
			d, ok := details[visit{target, f.Viewport}]
			if !ok {
				d = anyViewport[target]
			}
			if d == nil || cnprice.Cents(d.Current) == cnprice.Cents(c.Value) {
				continue
			}
			out = append(out, priceMismatch{listing: f.URL, viewport: f.Viewport, detailURL: target, card: c, detail: d})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.listing != b.listing {
			return a.listing < b.listing
		}
		if a.viewport != b.viewport {
			return a.viewport < b.viewport
		}
		return a.detailURL < b.detailURL
	})
	return out
}

// ReferenceDays is how far back price.reference-suspect looks: the
// reference (original) price may not be above the lowest price of the 7
// days before (the SAMR rule on 划线价 / 原价 as a reference price).
const ReferenceDays = 7

// runPriceReferenceSuspect reports an original price above the lowest
// current price the same product page showed in the stored runs of the 7
// days before now: a "was" price the shop never actually charged lately.
func runPriceReferenceSuspect(p *Pass) {
	if p.Env == nil || len(p.Env.PriceHistory) == 0 {
		return
	}
	low, ok := p.Env.PriceHistory[p.Page.URL]
	if !ok {
		return
	}
	pp := priceOf(p.Model)
	if pp == nil || pp.Original <= 0 || cnprice.Cents(pp.Original) <= cnprice.Cents(low) {
		return
	}
	p.Report("", pp.OriginalText, M("price.reference-suspect", yuan(pp.Original), yuan(low), ReferenceDays), map[string]any{
		"original": pp.Original, "lowest_before": low, "current": pp.Current, "days": ReferenceDays,
	})
}

// runInstalmentMismatch reports each instalment offer in a product page's
// buy box whose payments add up to less than the price (the main current
// price, or a labelled final / member price), or, marked 免息, differ from
// it by more than ¥0.01 a payment. Floors (每期¥83起) are not judged.
func runInstalmentMismatch(p *Pass) {
	b := p.Model.BuyBox
	if b == nil {
		return
	}
	cur, ok := b.MainPrice()
	if !ok || cur.Max != 0 {
		return
	}
	prices := []int64{cnprice.Cents(cur.Value)}
	for _, pr := range b.Prices {
		if !pr.Struck && pr.Max == 0 && (pr.Kind == cnprice.Final || pr.Kind == cnprice.Member) {
			prices = append(prices, cnprice.Cents(pr.Value))
		}
	}
	lowest := prices[0]
	for _, c := range prices {
		lowest = min(lowest, c)
	}
	seen := map[string]bool{}
	for _, blk := range b.Blocks {
		text, runs := blk.Shown, blk.ShownRuns
		for _, pl := range cnprice.FindPlans(text) {
			if pl.From || pagemodel.StruckRange(text, runs, pl.Start, pl.End) {
				continue
			}
			total := cnprice.Cents(pl.Per) * int64(pl.N)
			tol := int64(pl.N) // ¥0.01 a payment: each is rounded to the fen
			var key string
			switch {
			case total < lowest-tol:
				key = "price.instalment-mismatch"
			case pl.InterestFree && !nearAny(total, prices, tol):
				key = "price.instalment-mismatch/interest-free"
			default:
				continue
			}
			subject := pagemodel.Collapse(pl.Text)
			if seen[subject] {
				continue
			}
			seen[subject] = true
			t := float64(total) / 100
			p.Report("", subject, M(key, subject, yuan(t), yuan(cur.Value)), map[string]any{
				"per_payment": pl.Per, "payments": pl.N, "total": t, "interest_free": pl.InterestFree,
				"price": cur.Value, "price_text": cur.Text, "selector": pagemodel.NodeSelector(blk.Node),
			})
		}
	}
}

func nearAny(v int64, targets []int64, tol int64) bool {
	for _, t := range targets {
		if d := v - t; d >= -tol && d <= tol {
			return true
		}
	}
	return false
}
