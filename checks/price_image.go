package checks

import (
	"regexp"
	"strings"

	"github.com/storecheck/storecheck/checks/cnprice"
	"github.com/storecheck/storecheck/checks/fingerprint"
	"github.com/storecheck/storecheck/checks/pagemodel"
	"github.com/storecheck/storecheck/crawler"
)

// runPriceImageMismatch reports a price drawn inside a product's picture —
// the gallery's main image on a product page, a card's picture on any page
// — that is none of the prices the product's text shows. Precision first:
// only amounts the picture marks as money or a price (¥ ￥ 元, 到手价, 券后
// …, read with at least ocr.min_confidence) that name the price itself
// (current or final; not a 起 / 低至 floor, a coupon, a member price, an
// original) are compared; one amount equal to any of the text's product
// prices (current, final, member or original; inside a range) clears the
// picture. No text price, nothing to compare. One finding per picture: its
// most prominent amount (the tallest line).
func runPriceImageMismatch(p *Pass) {
	m := p.Model
	if len(m.PictureBlocks) == 0 {
		return
	}
	byURL := map[string][]*pagemodel.Block{}
	for _, b := range m.PictureBlocks {
		k := fingerprint.Normalize(b.Picture.URL)
		byURL[k] = append(byURL[k], b)
	}
	var found sightings
	// msg is the finding's message with the amount read and the text's
	// prices (joined by " / ").
	judge := func(picURL string, text []pagemodel.Price, msg func(drawn, texts string) Msg, ev map[string]any) {
		drawn := drawnPrices(byURL[fingerprint.Normalize(picURL)])
		if len(drawn) == 0 {
			return
		}
		var texts []string
		priced := false
		for _, t := range text {
			if !t.IsProductPrice() {
				continue
			}
			texts = append(texts, t.Text)
			if !t.Struck && (t.Kind == cnprice.Current || t.Kind == cnprice.Final) {
				priced = true
			}
		}
		if !priced {
			return
		}
		best := drawn[0]
		for _, d := range drawn {
			for _, t := range text {
				if t.IsProductPrice() && sameAmount(d.Value, t) {
					return
				}
			}
			if d.Block.Picture.Line.Dy() > best.Block.Picture.Line.Dy() {
				best = d
			}
		}
		subject := drawnAmount(best)
		if found.seen(subject, best.Block) {
			return
		}
		ev["picture_price"] = best.Value
		ev["text_prices"] = texts
		found.add(subject, best.Block, subject, msg(subject, strings.Join(texts, " / ")), ev)
	}
	if m.BuyBox != nil {
		if main := galleryMain(m); main != nil {
			judge(pagemodel.ImageURL(main), m.BuyBox.Prices, func(drawn, texts string) Msg {
				return M("price.image-mismatch", drawn, texts)
			}, map[string]any{"picture": "gallery"})
		}
	}
	for _, c := range m.Cards {
		if c.ImgURL != "" {
			judge(c.ImgURL, c.Prices, func(drawn, texts string) Msg {
				return M("price.image-mismatch/card", cardName(c), drawn, texts)
			}, map[string]any{"picture": "card", "card": c.Pos,
				"selector": pagemodel.NodeSelector(c.Node)})
		}
	}
	found.report(p)
}

// floorRE marks an amount that is a floor, not a price: 低至¥39 before it,
// or 起 right after it (¥39起).
var (
	floorBeforeRE = regexp.MustCompile(`(低至|最低|仅需|低到)\s*[:：]?\s*$`)
	floorAfterRE  = regexp.MustCompile(`^\s*起`)
)

// drawnPrices are the amounts pictures show as the price itself: current
// or final, single amounts, not floors, and not amounts cut from their
// line's words read unsure.
func drawnPrices(blocks []*pagemodel.Block) []pagemodel.Price {
	var out []pagemodel.Price
	for _, b := range blocks {
		for _, pr := range b.Prices {
			if pr.Max != 0 || pr.Kind != cnprice.Current && pr.Kind != cnprice.Final {
				continue
			}
			before, after := b.Shown[:pr.Start], b.Shown[pr.End:]
			if floorBeforeRE.MatchString(before) || floorAfterRE.MatchString(after) {
				continue
			}
			// An amount whose line goes on, before or after it, in words
			// read unsure may be anything: 领券立减10元 read with 领券立减
			// under min_confidence leaves 10元 alone. A label read with
			// it (到手价, 券后) says what it is.
			if b.Picture != nil && (b.Picture.CutBefore && pr.Label == "" && strings.TrimSpace(before) == "" ||
				b.Picture.CutAfter && strings.TrimSpace(after) == "") {
				continue
			}
			out = append(out, pr)
		}
	}
	return out
}

// sameAmount reports whether v is t's amount to the cent, or inside its
// range.
func sameAmount(v float64, t pagemodel.Price) bool {
	c := cnprice.Cents(v)
	if t.Max != 0 {
		return c >= cnprice.Cents(t.Value) && c <= cnprice.Cents(t.Max)
	}
	return c == cnprice.Cents(t.Value)
}

// drawnAmount is the amount as read, its label left off (到手价¥44.9 →
// ¥44.9).
func drawnAmount(pr pagemodel.Price) string {
	s := pr.Text
	if pr.Label != "" {
		if i := strings.Index(s, pr.Label); i >= 0 {
			s = s[i+len(pr.Label):]
		}
	}
	s = strings.TrimLeft(s, " :：")
	if s == "" {
		return pr.Text
	}
	return s
}

// galleryMain is a product page's main gallery picture: the first visible
// <img> the crawler saw in a gallery (or drawn large) that is no card's
// picture.
func galleryMain(m *pagemodel.Model) *crawler.Image {
	cards := map[string]bool{}
	for _, c := range m.Cards {
		if c.ImgURL != "" {
			cards[fingerprint.Normalize(c.ImgURL)] = true
		}
	}
	for i := range m.Page.Images {
		im := &m.Page.Images[i]
		u := pagemodel.ImageURL(im)
		if im.Background || !im.Visible || !im.Gallery || u == "" || cards[fingerprint.Normalize(u)] {
			continue
		}
		return im
	}
	return nil
}
