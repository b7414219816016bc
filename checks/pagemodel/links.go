package pagemodel

import (
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/storecheck/storecheck/checks/cnprice"
	"github.com/storecheck/storecheck/checks/fingerprint"
	"github.com/storecheck/storecheck/crawler"
)

// maxCardLinks bounds the links read as product cards on one page.
const maxCardLinks = 400

// LinkCard is an http(s) link of the page to another page, with its card.
type LinkCard struct {
	Link   *html.Node
	Target string     // the href resolved and normalised (ResolveLink)
	Card   *html.Node // the nearest ancestor (at most 3 up) whose links all lead to Target, or Link
}

// readLinkCards are the links of the first maxCardLinks <a href> of the
// page that lead to another http(s) page for which keep is true, each with
// its card, in document order.
func readLinkCards(doc *goquery.Document, page *crawler.Page, keep func(target string) bool) []LinkCard {
	var out []LinkCard
	r := resolver{base: page.FinalURL, seen: map[string]string{}}
	doc.Find("a[href]").EachWithBreak(func(i int, a *goquery.Selection) bool {
		if i >= maxCardLinks {
			return false
		}
		href, _ := a.Attr("href")
		target := r.resolve(href)
		if target == "" || target == page.URL || !keep(target) {
			return true
		}
		out = append(out, LinkCard{Link: a.Nodes[0], Target: target, Card: cardOf(a.Nodes[0], target, &r)})
		return true
	})
	return out
}

// resolver is ResolveLink against one base, remembering its answers: the
// links of a card are resolved once per ancestor cardOf tries.
type resolver struct {
	base string
	seen map[string]string
	keys map[string]string
}

// key is ProductKey(target), remembered.
func (r *resolver) key(target string) string {
	if r.keys == nil {
		r.keys = map[string]string{}
	}
	k, ok := r.keys[target]
	if !ok {
		k = ProductKey(target)
		r.keys[target] = k
	}
	return k
}

func (r *resolver) resolve(href string) string {
	t, ok := r.seen[href]
	if !ok {
		t = ResolveLink(r.base, href)
		r.seen[href] = t
	}
	return t
}

// cardOf is the card of a product link: the nearest ancestor (at most 3 up)
// whose links all lead to target, or the link itself. Links that differ from
// target in tracking parameters only (ProductKey: Taobao's spm differs
// between a card's picture link and its title link) lead to target too.
func cardOf(a *html.Node, target string, r *resolver) *html.Node {
	card := a
	key := ""
	n := a.Parent
	for i := 0; n != nil && i < 3; i, n = i+1, n.Parent {
		ok := true
		for d := range n.Descendants() {
			if d.Type != html.ElementNode || d.Data != "a" || !hasAttr(d, "href") {
				continue
			}
			t := r.resolve(Attr(d, "href"))
			if t == target {
				continue
			}
			if key == "" {
				key = r.key(target)
			}
			if t == "" || r.key(t) != key {
				ok = false
				break
			}
		}
		if !ok {
			break
		}
		card = n
	}
	return card
}

// ResolveLink is href resolved against base and normalised as page URLs
// are; "" when it is not an http(s) link.
func ResolveLink(base, href string) string {
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

// trackingParams are query parameters that record where a click came from
// (Taobao's spm, scm, pvid …; utm_*) rather than which product it opens:
// the same product linked from the "hot" strip and from the grid differs in
// them only.
var trackingParams = map[string]bool{
	"spm": true, "scm": true, "pvid": true, "utparam": true, "trackinfo": true, "abbucket": true,
	"ali_refid": true, "ali_trackid": true, "ns": true, "pricetid": true, "algo_pvid": true,
	"algo_expid": true, "btsid": true, "ws_ab_test": true, "from": true, "source": true, "ref": true,
	"pos": true, "position": true, "clickid": true, "track_id": true,
}

// ProductKey is the product a link opens: its normalised URL without
// tracking parameters (and without the cache-busters fingerprints drop).
func ProductKey(link string) string {
	u, err := url.Parse(link)
	if err != nil || u.RawQuery == "" {
		return fingerprint.Normalize(link)
	}
	q := u.Query()
	for k := range q {
		lk := strings.ToLower(k)
		if trackingParams[lk] || strings.HasPrefix(lk, "utm_") {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return fingerprint.Normalize(u.String())
}

// CardPrice is the one current price a card shows for the product it
// links to.
type CardPrice struct {
	Value float64
	Text  string
}

// cardPrices maps the same-site links of a page to the one current price
// their card shows: the link itself, or its nearest container that links
// nowhere else, holding exactly one current price. Links whose card shows
// no price, several, or a range are left out, and so are links whose cards
// disagree (a page-level question).
func cardPrices(page *crawler.Page, links []LinkCard, blocks []*Block) map[string]CardPrice {
	out := map[string]CardPrice{}
	conflict := map[string]bool{}
	for _, lc := range links {
		target, card := lc.Target, lc.Card
		if crawler.Host(target) != crawler.Host(page.URL) {
			continue
		}
		var cur []Price
		for _, blk := range blocks {
			if !Inside(blk.Node, card) && !Inside(card, blk.Node) {
				continue
			}
			for _, pr := range pricesIn(blk, nil) {
				if pr.Current() && runsInside(blk, pr.Start, pr.End, card) {
					cur = append(cur, pr)
				}
			}
		}
		if len(cur) != 1 || cur[0].Max != 0 {
			continue
		}
		if prev, ok := out[target]; ok && cnprice.Cents(prev.Value) != cnprice.Cents(cur[0].Value) {
			conflict[target] = true
		}
		out[target] = CardPrice{Value: cur[0].Value, Text: cur[0].Text}
	}
	for t := range conflict {
		delete(out, t)
	}
	return out
}

// runsInside reports whether the shown text [start, end) of blk comes from
// elements inside n.
func runsInside(blk *Block, start, end int, n *html.Node) bool {
	for _, r := range blk.ShownRuns {
		if r.Start < end && r.End > start && !Inside(r.El, n) {
			return false
		}
	}
	return true
}
