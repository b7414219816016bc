package checks

import (
	"sort"
	"sync"
)

// PriceLedger collects, during a sweep, the prices product pages showed and
// the prices cards on other pages gave them, for price.inconsistent at the
// end. Safe for concurrent use.
type PriceLedger struct {
	mu      sync.Mutex
	details map[visitKey]*PagePrice           // product page visit → its price
	cardsOn map[visitKey]map[string]cardPrice // listing visit → target → card price
}

type visitKey struct{ url, viewport string }

// NewPriceLedger returns an empty ledger.
func NewPriceLedger() *PriceLedger {
	return &PriceLedger{details: map[visitKey]*PagePrice{}, cardsOn: map[visitKey]map[string]cardPrice{}}
}

func (l *PriceLedger) detail(url, viewport string, p *PagePrice) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.details[visitKey{url, viewport}] = p
}

func (l *PriceLedger) cards(url, viewport string, cards map[string]cardPrice) {
	if len(cards) == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cardsOn[visitKey{url, viewport}] = cards
}

// priceMismatch is one card that disagrees with its detail page.
type priceMismatch struct {
	listing, viewport, detailURL string
	card                         cardPrice
	detail                       *PagePrice
}

// mismatches lists every card whose price differs by a cent or more from
// its detail page's current price in the same viewport (else in any
// viewport the detail page was visited in), sorted.
func (l *PriceLedger) mismatches() []priceMismatch {
	l.mu.Lock()
	defer l.mu.Unlock()
	// A detail page seen in another viewport only: the first viewport by
	// name decides, so the outcome does not depend on map order.
	anyViewport := map[string]*PagePrice{}
	anyName := map[string]string{}
	for k, p := range l.details {
		if name, ok := anyName[k.url]; !ok || k.viewport < name {
			anyViewport[k.url], anyName[k.url] = p, k.viewport
		}
	}
	var out []priceMismatch
	for k, cards := range l.cardsOn {
		for target, c := range cards {
			d, ok := l.details[visitKey{target, k.viewport}]
			if !ok {
				d = anyViewport[target]
			}
			if d == nil || cents(d.Current) == cents(c.value) {
				continue
			}
			out = append(out, priceMismatch{listing: k.url, viewport: k.viewport, detailURL: target, card: c, detail: d})
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
