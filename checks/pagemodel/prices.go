package pagemodel

import (
	"regexp"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/storecheck/storecheck/checks/cnprice"
	"github.com/storecheck/storecheck/crawler"
)

// Price is one amount a shopper sees, with where and how it is drawn.
type Price struct {
	cnprice.Price
	Struck   bool // drawn struck through: an original price whatever its label
	FontSize int  // CSS px of its largest run; 0 when unknown
	Block    *Block
}

// Original reports whether the amount is an original (was-) price.
func (s Price) Original() bool { return s.Struck || s.Kind == cnprice.Original }

// Current reports whether the amount is an unlabelled or current-labelled
// price of the item (not an original, member, final, unit … price).
func (s Price) Current() bool { return !s.Struck && s.Kind == cnprice.Current }

// amounts are the prices of b's shown text as its own text labels them.
func (b *Block) amounts() []Price {
	if b.Shown == "" {
		return nil
	}
	var out []Price
	for _, pr := range cnprice.Find(b.Shown) {
		out = append(out, Price{Price: pr, Struck: StruckRange(b.Shown, b.ShownRuns, pr.Start, pr.End),
			FontSize: FontSizeAt(b.ShownRuns, pr.Start, pr.End), Block: b})
	}
	return out
}

// pricesIn reads the shown prices of one block. An unlabelled amount takes
// its kind from a label that stands alone in the block before it
// (<dt>原价</dt><dd>¥199</dd>); prior are the blocks read so far, blk last.
func pricesIn(blk *Block, prior []*Block) []Price {
	own := blk.Prices
	if len(prior) < 2 {
		return own
	}
	prev := prior[len(prior)-2].Shown
	k, ok := cnprice.LabelKind(prev)
	if prev == "" || !ok {
		return own
	}
	out := make([]Price, len(own))
	for i, pr := range own {
		if pr.Label == "" && pr.Kind == cnprice.Current {
			pr.Kind, pr.Label = k, prev
		}
		out[i] = pr
	}
	return out
}

// BuyBox is the part of a product page that prices the product: the
// nearest element holding both the <h1> and the buy control; without one
// of them, the whole body. Links (cards of other products), and
// recommendation, header, footer and navigation areas are left out.
type BuyBox struct {
	Root    *html.Node
	Prices  []Price  // every amount shown in it, labels from the block before applied
	Blocks  []*Block // its text blocks, in document order
	Decided bool     // found from the h1 and the buy control
}

var (
	buyTextRE  = regexp.MustCompile(`(?i)立即购买|加入购物车|马上抢|立即抢购|buy now|add to cart`)
	notBuyBox  = regexp.MustCompile(`(?i)recommend|related|similar|guess|history|combo|bundle|猜你喜欢|看了又看|推荐`)
	outsideTag = map[string]bool{"header": true, "footer": true, "nav": true, "aside": true}
)

func findBuyBox(doc *goquery.Document, blocks []*Block) *BuyBox {
	b := &BuyBox{}
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
			if Inside(buy, n) {
				b.Root, b.Decided = n, true
				break
			}
		}
	}
	if b.Root == nil {
		if body := doc.Find("body"); body.Length() > 0 {
			b.Root = body.Nodes[0]
		} else if len(doc.Nodes) > 0 {
			b.Root = doc.Nodes[0]
		}
	}
	for _, blk := range blocks {
		if b.Root == nil || !Inside(blk.Node, b.Root) || outsideBuyBox(blk.Node, b.Root) {
			continue
		}
		b.Blocks = append(b.Blocks, blk)
		b.Prices = append(b.Prices, pricesIn(blk, b.Blocks)...)
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
		if n.Data == "a" && Attr(n, "href") != "" || outsideTag[n.Data] {
			return true
		}
		if notBuyBox.MatchString(Attr(n, "class") + " " + Attr(n, "id")) {
			return true
		}
	}
	return false
}

// MainPrice is the product's current price: the most prominent (largest
// font, then first) current amount of the buy box; ok is false when it
// shows none.
func (b *BuyBox) MainPrice() (Price, bool) {
	var best Price
	found := false
	for _, pr := range b.Prices {
		if pr.Current() && (!found || pr.FontSize > best.FontSize) {
			best, found = pr, true
		}
	}
	return best, found
}

// IsProductPage reports whether p is an answered product page with a DOM:
// the pages whose buy box is read.
func IsProductPage(p *crawler.Page) bool {
	return p.Kind == crawler.KindProduct && p.Status >= 200 && p.Status < 400 && p.HTML != ""
}

// readCardText fills in each card's Prices and Texts from the page's
// blocks: the blocks inside the card whole, and of a block the card's text
// joins (an inline card, <a class="item">, inside a <div>) the stretch
// drawn by elements inside the card.
func readCardText(cards []*Card, blocks []*Block) {
	if len(cards) == 0 {
		return
	}
	byNode := make(map[*html.Node]*Card, len(cards))
	inline := map[*html.Node][]*Card{} // the block element an inline card's text joins
	for _, c := range cards {
		byNode[c.Node] = c
		if !blockTags[c.Node.Data] && c.Node.Parent != nil {
			if b := Closest(c.Node.Parent, func(n *html.Node) bool { return blockTags[n.Data] }); b != nil {
				inline[b] = append(inline[b], c)
			}
		}
	}
	own := map[*Card][]*Block{}
	for _, blk := range blocks {
		if blk.Shown == "" {
			continue
		}
		if c := cardAt(blk.Node, byNode); c != nil {
			own[c] = append(own[c], blk)
			c.Texts = append(c.Texts, blk.Shown)
			c.Prices = append(c.Prices, pricesIn(blk, own[c])...)
			continue
		}
		for _, c := range inline[blk.Node] {
			lo, hi := -1, -1
			for _, r := range blk.ShownRuns {
				if Inside(r.El, c.Node) {
					if lo < 0 {
						lo = r.Start
					}
					hi = r.End
				}
			}
			if lo < 0 || hi <= lo {
				continue
			}
			c.Texts = append(c.Texts, blk.Shown[lo:hi])
			for _, pr := range blk.Prices {
				if pr.Start >= lo && pr.End <= hi {
					c.Prices = append(c.Prices, pr)
				}
			}
		}
	}
}

// cardAt is the card n is inside (n included); nil when none.
func cardAt(n *html.Node, byNode map[*html.Node]*Card) *Card {
	for ; n != nil; n = n.Parent {
		if c, ok := byNode[n]; ok {
			return c
		}
	}
	return nil
}

// MainPrice is the card's current price: its most prominent current
// amount (the largest font). ok is false when it shows none, or when two
// different amounts are drawn alike (without font sizes, any two): which of
// them the shopper pays cannot be told, so the card is not judged by it.
func (c *Card) MainPrice() (Price, bool) {
	var best Price
	found, tie := false, false
	for _, pr := range c.Prices {
		if !pr.Current() {
			continue
		}
		switch {
		case !found || pr.FontSize > best.FontSize:
			best, found, tie = pr, true, false
		case pr.FontSize == best.FontSize && (cnprice.Cents(pr.Value) != cnprice.Cents(best.Value) || pr.Max != best.Max):
			tie = true
		}
	}
	return best, found && !tie
}

// HighestOriginal is the highest single original amount of prices (struck
// or labelled 原价 …; ranges left out); ok is false when there is none.
func HighestOriginal(prices []Price) (Price, bool) {
	var orig Price
	ok := false
	for _, pr := range prices {
		if pr.Original() && pr.Max == 0 && (!ok || pr.Value > orig.Value) {
			orig, ok = pr, true
		}
	}
	return orig, ok
}
