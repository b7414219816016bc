package checks

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/storecheck/storecheck/checks/cnprice"
	"github.com/storecheck/storecheck/crawler"
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
		},
		{
			ID:       "price.ambiguous",
			Doc:      "conflicting current prices for the same item",
			Severity: SeverityWarning,
			Subject:  "the prices, e.g. `¥99 / ¥129`",
			Run:      runPriceAmbiguous,
		},
		{
			ID:       "price.original-not-higher",
			Doc:      "the struck-through / 原价 is not above the current price",
			Severity: SeverityError,
			Subject:  "the original price text",
			Run:      runPriceOriginalNotHigher,
		},
		{
			ID:       "price.discount-mismatch",
			Doc:      "a stated discount disagrees with the prices shown",
			Severity: SeverityError,
			Subject:  "the discount text (`5折`)",
			Run:      runPriceDiscountMismatch,
		},
		{
			ID:       "price.reference-suspect",
			Doc:      "the original price is above the lowest current price this product showed in the 7 days before (stored runs)",
			Severity: SeverityWarning,
			Subject:  "the original price text",
			Run:      runPriceReferenceSuspect,
		},
		{
			ID:       "price.inconsistent",
			Doc:      "a card on this listing/home page prices a product differently from its detail page",
			Severity: SeverityError,
			Subject:  "the detail page URL",
			Run:      recordPrices,
			RunSite:  runPriceInconsistent,
		},
	}
}

// shownPrice is one amount a shopper sees, with where and how it is drawn.
type shownPrice struct {
	cnprice.Price
	struck   bool // drawn struck through: an original price whatever its label
	fontSize int
	block    *textBlock
}

// original reports whether the amount is an original (was-) price.
func (s shownPrice) original() bool { return s.struck || s.Kind == cnprice.Original }

// current reports whether the amount is an unlabelled or current-labelled
// price of the item (not an original, member, final, unit … price).
func (s shownPrice) current() bool { return !s.struck && s.Kind == cnprice.Current }

// buyBox is the part of a product page that prices the product: the
// nearest element holding both the <h1> and the buy control; without one
// of them, the whole body. Links (cards of other products), and
// recommendation, header, footer and navigation areas are left out.
type buyBox struct {
	root    *html.Node
	prices  []shownPrice
	blocks  []*textBlock
	decided bool // found from the h1 and the buy control
}

var (
	buyTextRE  = regexp.MustCompile(`(?i)立即购买|加入购物车|马上抢|立即抢购|buy now|add to cart`)
	notBuyBox  = regexp.MustCompile(`(?i)recommend|related|similar|guess|history|combo|bundle|猜你喜欢|看了又看|推荐`)
	outsideTag = map[string]bool{"header": true, "footer": true, "nav": true, "aside": true}
)

// box finds the buy box of the page and the prices shown in it, once.
func (p *Pass) buyBox() *buyBox {
	p.doc.boxOnce.Do(func() { p.doc.box = findBuyBox(p) })
	return p.doc.box
}

func findBuyBox(p *Pass) *buyBox {
	doc := p.Doc()
	b := &buyBox{}
	var h1, buy *html.Node
	if s := doc.Find("h1").First(); s.Length() > 0 {
		h1 = s.Nodes[0]
	}
	doc.Find("button, a, input, [role=button]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		t := s.Text()
		if s.Is("input") {
			t, _ = s.Attr("value")
		}
		if len(t) < 200 && buyTextRE.MatchString(t) {
			buy = s.Nodes[0]
			return false
		}
		return true
	})
	if h1 != nil && buy != nil {
		for n := h1; n != nil; n = n.Parent {
			if inside(buy, n) {
				b.root, b.decided = n, true
				break
			}
		}
	}
	if b.root == nil {
		if body := doc.Find("body"); body.Length() > 0 {
			b.root = body.Nodes[0]
		} else if len(doc.Nodes) > 0 {
			b.root = doc.Nodes[0]
		}
	}
	for _, blk := range p.Text().blocks {
		if b.root == nil || !inside(blk.node, b.root) || outsideBuyBox(blk.node, b.root) {
			continue
		}
		b.blocks = append(b.blocks, blk)
		b.prices = append(b.prices, pricesIn(blk, b.blocks)...)
	}
	return b
}

// outsideBuyBox reports whether n sits in a link, or in a recommendation,
// header, footer or navigation area below root.
func outsideBuyBox(n, root *html.Node) bool {
	for ; n != nil && n != root; n = n.Parent {
		if n.Type != html.ElementNode {
			continue
		}
		if n.Data == "a" && attr(n, "href") != "" || outsideTag[n.Data] {
			return true
		}
		if notBuyBox.MatchString(attr(n, "class") + " " + attr(n, "id")) {
			return true
		}
	}
	return false
}

// pricesIn reads the shown prices of one block. An unlabelled amount takes
// its kind from a label that stands alone in the block before it
// (<dt>原价</dt><dd>¥199</dd>); prior are the blocks read so far, blk last.
func pricesIn(blk *textBlock, prior []*textBlock) []shownPrice {
	own := blk.amounts()
	if len(prior) < 2 {
		return own
	}
	prev, _ := prior[len(prior)-2].shown()
	k, ok := cnprice.LabelKind(prev)
	if prev == "" || !ok {
		return own
	}
	out := make([]shownPrice, len(own))
	for i, pr := range own {
		if pr.Label == "" && pr.Kind == cnprice.Current {
			pr.Kind, pr.Label = k, prev
		}
		out[i] = pr
	}
	return out
}

// amounts are the prices of the block's shown text as its own text labels
// them, parsed once: the buy box and every card around the block read them.
func (b *textBlock) amounts() []shownPrice {
	if b.amountsDone {
		return b.parsed
	}
	b.amountsDone = true
	text, runs := b.shown()
	if text == "" {
		return nil
	}
	for _, pr := range cnprice.Find(text) {
		b.parsed = append(b.parsed, shownPrice{Price: pr, struck: struckRange(text, runs, pr.Start, pr.End),
			fontSize: fontSizeAt(runs, pr.Start, pr.End), block: b})
	}
	return b.parsed
}

// mainPrice is the product's current price: the most prominent (largest
// font, then first) current amount of the buy box; ok is false when it
// shows none.
func (b *buyBox) mainPrice() (shownPrice, bool) {
	var best shownPrice
	found := false
	for _, pr := range b.prices {
		if pr.current() && (!found || pr.fontSize > best.fontSize) {
			best, found = pr, true
		}
	}
	return best, found
}

// productTitle is what price.missing names: the h1, else the <title>.
func productTitle(p *Pass) string {
	if len(p.Page.Headings) > 0 && strings.TrimSpace(p.Page.Headings[0]) != "" {
		return p.Page.Headings[0]
	}
	return p.Page.Title
}

func isProductPage(p *crawler.Page) bool {
	return p.Kind == crawler.KindProduct && p.Status >= 200 && p.Status < 400 && p.HTML != ""
}

// runPriceMissing reports a product page that shows no price of the
// product (current, final, member or original) anywhere in its buy box.
func runPriceMissing(p *Pass) {
	if !isProductPage(p.Page) {
		return
	}
	for _, pr := range p.buyBox().prices {
		if pr.IsProductPrice() {
			return
		}
	}
	p.Report("", productTitle(p), "The product page shows no price a shopper can read.",
		map[string]any{"buy_box_found": p.buyBox().decided})
}

// runPriceAmbiguous reports a buy box that shows two or more different
// current prices. Ranges, labelled member / final prices, originals,
// instalments, unit prices, coupons and shipping fees are not current
// prices, so they never conflict.
func runPriceAmbiguous(p *Pass) {
	if !isProductPage(p.Page) {
		return
	}
	seen := map[int64]shownPrice{}
	for _, pr := range p.buyBox().prices {
		if pr.current() && pr.Max == 0 {
			if _, ok := seen[cents(pr.Value)]; !ok {
				seen[cents(pr.Value)] = pr
			}
		}
	}
	if len(seen) < 2 {
		return
	}
	var list []shownPrice
	for _, pr := range seen {
		list = append(list, pr)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Value < list[j].Value })
	var names, texts []string
	for _, pr := range list {
		names = append(names, yuan(pr.Value))
		texts = append(texts, pr.Text)
	}
	p.Report("", strings.Join(names, " / "), fmt.Sprintf("The product shows %d different current prices: %s.",
		len(list), strings.Join(names, ", ")), map[string]any{"prices": texts})
}

// runPriceOriginalNotHigher reports an original price (struck through, or
// labelled 原价 / 划线价 …) that is not above the product's current price.
func runPriceOriginalNotHigher(p *Pass) {
	if !isProductPage(p.Page) {
		return
	}
	b := p.buyBox()
	cur, ok := b.mainPrice()
	if !ok || cur.Max != 0 {
		return
	}
	done := map[string]bool{}
	for _, pr := range b.prices {
		if !pr.original() || pr.Max != 0 || done[pr.Text] || cents(pr.Value) > cents(cur.Value) {
			continue
		}
		done[pr.Text] = true
		p.Report("", pr.Text, fmt.Sprintf("The original price %s is not above the current price %s.",
			yuan(pr.Value), yuan(cur.Value)), map[string]any{
			"original": pr.Value, "current": cur.Value, "original_text": pr.Text, "current_text": cur.Text,
			"struck": pr.struck,
		})
	}
}

// Tolerances of price.discount-mismatch (issue 4): half a percentage point
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
	if !isProductPage(p.Page) {
		return
	}
	b := p.buyBox()
	cur, hasCur := b.mainPrice()
	var orig shownPrice
	hasOrig := false
	for _, pr := range b.prices {
		if pr.original() && pr.Max == 0 && (!hasOrig || pr.Value > orig.Value) {
			orig, hasOrig = pr, true
		}
	}
	var finals []float64
	for _, pr := range b.prices {
		if pr.Kind == cnprice.Final && pr.Max == 0 {
			finals = append(finals, pr.Value)
		}
	}
	done := map[string]bool{}
	for _, blk := range b.blocks {
		text, _ := blk.shown()
		for _, d := range cnprice.FindDiscounts(text) {
			if done[d.Text] || isFloor(text, d) {
				continue
			}
			ev, msg := discountMismatch(d, cur, hasCur, orig, hasOrig, finals)
			if ev == nil {
				continue
			}
			done[d.Text] = true
			p.Report("", d.Text, msg, ev)
		}
	}
}

// discountMismatch judges one discount; nil evidence means it agrees (or
// cannot be judged).
func discountMismatch(d cnprice.Discount, cur shownPrice, hasCur bool, orig shownPrice, hasOrig bool, finals []float64) (map[string]any, string) {
	if d.Kind == cnprice.Spend {
		if d.Threshold > 0 && d.Amount >= d.Threshold {
			return map[string]any{"threshold": d.Threshold, "amount": d.Amount},
				fmt.Sprintf("%s takes off as much as or more than must be spent.", d.Text)
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
						fmt.Sprintf("%s on %s leaves at most %s, but the page's final price is %s.",
							d.Text, yuan(cur.Value), yuan(most), yuan(f))
				}
			}
		}
		return nil, ""
	}
	if !hasCur || !hasOrig || cur.Max != 0 || orig.Value <= 0 {
		return nil, ""
	}
	prices := append([]float64{cur.Value}, finals...)
	switch d.Kind {
	case cnprice.Zhe, cnprice.PercentOff:
		for _, v := range prices {
			if math.Abs(v/orig.Value-d.Rate) <= discountRateTolerance+1e-9 ||
				math.Abs(round2(orig.Value*d.Rate)-v) <= discountCentTolerance+1e-9 {
				return nil, ""
			}
		}
		return map[string]any{"rate": d.Rate, "current": cur.Value, "original": orig.Value,
				"actual_rate": round4(cur.Value / orig.Value), "expected": round2(orig.Value * d.Rate)},
			fmt.Sprintf("%s of %s is %s, but the page asks %s (%.1f%% of the original).",
				d.Text, yuan(orig.Value), yuan(round2(orig.Value*d.Rate)), yuan(cur.Value), cur.Value/orig.Value*100)
	case cnprice.AmountOff:
		for _, v := range prices {
			if math.Abs(orig.Value-v-d.Amount) <= discountCentTolerance+1e-9 {
				return nil, ""
			}
		}
		return map[string]any{"amount": d.Amount, "current": cur.Value, "original": orig.Value,
				"actual_amount": round2(orig.Value - cur.Value)},
			fmt.Sprintf("%s, but %s − %s is %s.", d.Text, yuan(orig.Value), yuan(cur.Value), yuan(round2(orig.Value-cur.Value)))
	}
	return nil, ""
}

// isFloor reports whether a discount is stated as a floor ("低至3折",
// "最低5折", "3折起"): true of some product, not a claim about this price.
func isFloor(text string, d cnprice.Discount) bool {
	before := strings.TrimSpace(text[:d.Start])
	after := strings.TrimSpace(text[d.End:])
	return strings.HasSuffix(before, "低至") || strings.HasSuffix(before, "最低") || strings.HasSuffix(before, "最高") ||
		strings.HasPrefix(after, "起") || strings.HasSuffix(d.Text, "起")
}

func cents(v float64) int64 { return int64(math.Round(v * 100)) }

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

// yuan formats an amount the way shops write it: ¥1,299 or ¥12.50.
func yuan(v float64) string {
	c := cents(v)
	whole, frac := c/100, c%100
	s := groupThousands(whole)
	if frac != 0 {
		s += fmt.Sprintf(".%02d", frac)
	}
	return "¥" + s
}

// PagePrice is what a product page priced the product at: stored with each
// run, so that runs can be compared and reference prices judged from
// history.
type PagePrice struct {
	Current      float64 `json:"current"`
	Original     float64 `json:"original,omitempty"` // 0 when none shown
	CurrentText  string  `json:"current_text"`
	OriginalText string  `json:"original_text,omitempty"`
}

// cardPrice is the price a card on a listing shows for a product.
type cardPrice struct {
	value float64
	text  string
}

// recordPrices keeps what price.inconsistent compares at the end of the
// sweep: a product page's current price, and the prices its cards give
// other products on any page. It reports nothing itself.
func recordPrices(p *Pass) {
	if p.Env == nil || p.Env.Prices == nil || p.Page.Status < 200 || p.Page.Status >= 400 {
		return
	}
	if pp := p.Price(); pp != nil {
		p.Env.Prices.detail(p.Page.URL, p.Page.Viewport.Name, pp)
	}
	if p.Page.Kind == crawler.KindListing || p.Page.Kind == crawler.KindHome {
		p.Env.Prices.cards(p.Page.URL, p.Page.Viewport.Name, cardPrices(p))
	}
}

// Price is the product's price as this visit showed it; nil when the page
// is not a product page or shows no current price.
func (p *Pass) Price() *PagePrice {
	if !isProductPage(p.Page) {
		return nil
	}
	b := p.buyBox()
	cur, ok := b.mainPrice()
	if !ok || cur.Max != 0 {
		return nil
	}
	pp := &PagePrice{Current: cur.Value, CurrentText: cur.Text}
	for _, pr := range b.prices {
		if pr.original() && pr.Max == 0 && pr.Value > pp.Original {
			pp.Original, pp.OriginalText = pr.Value, pr.Text
		}
	}
	return pp
}

// maxCardLinks bounds the links read as product cards on one page.
const maxCardLinks = 400

// linkCard is an http(s) link of the page to another page, with its card.
type linkCard struct {
	link   *html.Node
	target string     // the href resolved and normalised (resolveLink)
	card   *html.Node // cardOf(link)
}

// linkCards are the links of the first maxCardLinks <a href> of the page
// that lead to another http(s) page, each with its card (cardOf), in
// document order; read once per visit for every rule that reads cards
// (price.inconsistent, content.duplicate-listing).
func (p *Pass) linkCards() []linkCard {
	p.doc.cardsOnce.Do(func() {
		p.Doc().Find("a[href]").EachWithBreak(func(i int, a *goquery.Selection) bool {
			if i >= maxCardLinks {
				return false
			}
			href, _ := a.Attr("href")
			target := resolveLink(p.Page.FinalURL, href)
			if target == "" || target == p.Page.URL {
				return true
			}
			p.doc.cards = append(p.doc.cards, linkCard{link: a.Nodes[0], target: target,
				card: cardOf(a.Nodes[0], target, p.Page.FinalURL)})
			return true
		})
	})
	return p.doc.cards
}

// cardPrices maps the same-site links of a page to the one current price
// their card shows: the link itself, or its nearest container that links
// nowhere else, holding exactly one current price. Links whose card shows
// no price, several, or a range are left out.
func cardPrices(p *Pass) map[string]cardPrice {
	out := map[string]cardPrice{}
	conflict := map[string]bool{}
	blocks := p.Text().blocks
	for _, lc := range p.linkCards() {
		target, card := lc.target, lc.card
		if hostOf(target) != hostOf(p.Page.URL) {
			continue
		}
		var cur []shownPrice
		for _, blk := range blocks {
			if !inside(blk.node, card) && !inside(card, blk.node) {
				continue
			}
			for _, pr := range pricesIn(blk, nil) {
				if pr.current() && runsInside(blk, pr.Start, pr.End, card) {
					cur = append(cur, pr)
				}
			}
		}
		if len(cur) != 1 || cur[0].Max != 0 {
			continue
		}
		if prev, ok := out[target]; ok && cents(prev.value) != cents(cur[0].Value) {
			conflict[target] = true
		}
		out[target] = cardPrice{value: cur[0].Value, text: cur[0].Text}
	}
	for t := range conflict {
		delete(out, t) // two cards disagree: a page-level question, not this rule's
	}
	return out
}

// runsInside reports whether the shown text [start, end) of blk comes from
// elements inside n.
func runsInside(blk *textBlock, start, end int, n *html.Node) bool {
	_, runs := blk.shown()
	for _, r := range runs {
		if r.start < end && r.end > start && !inside(r.el, n) {
			return false
		}
	}
	return true
}

func hostOf(u string) string {
	x, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return x.Host
}

// cardOf is the card of a product link: the nearest ancestor (at most 3 up)
// whose links all lead to target, or the link itself. Links that differ from
// target in tracking parameters only (productKey: Taobao's spm differs
// between a card's picture link and its title link) lead to target too.
func cardOf(a *html.Node, target, base string) *html.Node {
	card := a
	key := productKey(target)
	n := a.Parent
	for i := 0; n != nil && i < 3; i, n = i+1, n.Parent {
		ok := true
		goquery.NewDocumentFromNode(n).Find("a[href]").EachWithBreak(func(_ int, o *goquery.Selection) bool {
			h, _ := o.Attr("href")
			if t := resolveLink(base, h); t != target && (t == "" || productKey(t) != key) {
				ok = false
			}
			return ok
		})
		if !ok {
			break
		}
		card = n
	}
	return card
}

// resolveLink is href resolved against base and normalised as page URLs
// are; "" when it is not an http(s) link.
func resolveLink(base, href string) string {
	b, err := url.Parse(base)
	if err != nil {
		return ""
	}
	u, err := b.Parse(strings.TrimSpace(href))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	n, err := crawler.Normalize(u.String())
	if err != nil {
		return ""
	}
	return n
}

// runPriceInconsistent compares, at the end of the sweep, every card price
// with the current price of the detail page it links to (same viewport when
// that was visited, else any) and reports the card's page.
func runPriceInconsistent(p *SitePass) {
	if p.Env == nil || p.Env.Prices == nil {
		return
	}
	for _, c := range p.Env.Prices.mismatches() {
		p.Report(c.listing, c.viewport, "", c.detailURL,
			fmt.Sprintf("A card prices the product at %s, its detail page at %s.", yuan(c.card.value), yuan(c.detail.Current)),
			map[string]any{"card_price": c.card.value, "card_text": c.card.text, "card_url": c.listing,
				"detail_price": c.detail.Current, "detail_text": c.detail.CurrentText, "detail_url": c.detailURL})
	}
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
	pp := p.Price()
	if pp == nil || pp.Original <= 0 || cents(pp.Original) <= cents(low) {
		return
	}
	p.Report("", pp.OriginalText, fmt.Sprintf("The original price %s is above %s, the lowest price this product showed in the %d days before.",
		yuan(pp.Original), yuan(low), ReferenceDays), map[string]any{
		"original": pp.Original, "lowest_before": low, "current": pp.Current, "days": ReferenceDays,
	})
}
