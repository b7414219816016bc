package checks

import (
	"github.com/storecheck/storecheck/checks/pagemodel"
	"github.com/storecheck/storecheck/crawler"
)

// PageFacts are what one visit showed that outlives it: the product's price,
// stored with the run so that runs can be compared and reference prices
// judged from history, and the prices the page's cards give other
// products, which price.inconsistent compares across pages. Facts are a
// named step of the page run (factsOf), never a rule's side effect.
type PageFacts struct {
	URL, Viewport string
	// Price is the product's price; nil when the visit is not an answered
	// product page or shows no single current price.
	Price *PagePrice
	// CardPrices maps a same-site link target to the one current price its
	// card shows, on answered listing and home pages.
	CardPrices map[string]pagemodel.CardPrice
}

// PagePrice is what a product page priced the product at.
type PagePrice struct {
	Current      float64 `json:"current"`
	Original     float64 `json:"original,omitempty"` // 0 when none shown
	CurrentText  string  `json:"current_text"`
	OriginalText string  `json:"original_text,omitempty"`
}

// factsOf reads the facts of a visit from its model.
func factsOf(m *pagemodel.Model) PageFacts {
	return PageFacts{URL: m.Page.URL, Viewport: m.Page.Viewport.Name, Price: priceOf(m), CardPrices: m.CardPrices}
}

// priceOf is the product's price as the visit showed it: the buy box's
// main current price (not a range) and its highest original price; nil when
// the page is not a product page or shows no current price.
func priceOf(m *pagemodel.Model) *PagePrice {
	b := m.BuyBox
	if b == nil {
		return nil
	}
	cur, ok := b.MainPrice()
	if !ok || cur.Max != 0 {
		return nil
	}
	pp := &PagePrice{Current: cur.Value, CurrentText: cur.Text}
	for _, pr := range b.Prices {
		if pr.Original() && pr.Max == 0 && pr.Value > pp.Original {
			pp.Original, pp.OriginalText = pr.Value, pr.Text
		}
	}
	return pp
}

// NeedsLogoCandidates reports whether a check of cs reads logo candidates:
// only then does the crawler screenshot them.
func NeedsLogoCandidates(cs []*Check) bool {
	return anyCheck(cs, func(c *Check) bool { return c.LogoCandidates })
}

// NeedsPictureText reports whether a check of cs judges text read from
// pictures: only then does the sweep read them.
func NeedsPictureText(cs []*Check) bool {
	return anyCheck(cs, func(c *Check) bool { return c.PictureText })
}

// NeedsPriceHistory reports whether a check of cs reads Env.PriceHistory:
// only then does the sweep load it.
func NeedsPriceHistory(cs []*Check) bool {
	return anyCheck(cs, func(c *Check) bool { return c.PriceHistory })
}

// NeedsFacts reports whether a site check of cs reads the visits' facts:
// only then does the sweep keep them.
func NeedsFacts(cs []*Check) bool { return anyCheck(cs, func(c *Check) bool { return c.Facts }) }

// Suspect reports whether a check of cs wants the visit p measured again
// before it judges it (Check.Suspect).
func Suspect(cs []*Check, env *Env, p *crawler.Page) bool {
	return anyCheck(cs, func(c *Check) bool { return c.Suspect != nil && c.Suspect(env, p) })
}

func anyCheck(cs []*Check, ok func(*Check) bool) bool {
	for _, c := range cs {
		if ok(c) {
			return true
		}
	}
	return false
}

// Escalate raises to error every finding of fs whose rule is one of cs
// declared Strict: a pre-campaign check fails on any price or promotion
// defect, whatever its everyday severity.
func Escalate(cs []*Check, fs []Finding) []Finding {
	strict := map[string]bool{}
	for _, c := range cs {
		if c.Strict {
			strict[c.ID] = true
		}
	}
	for i := range fs {
		if strict[fs[i].Rule] {
			fs[i].Severity = SeverityError
		}
	}
	return fs
}
