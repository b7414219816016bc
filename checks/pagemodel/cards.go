package pagemodel

import (
	"net/url"
	"path"
	"regexp"
	"strings"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/storecheck/storecheck/checks/cnprice"
	"github.com/storecheck/storecheck/crawler"
)

// Card is one product card of a listing or home page: the card of one or
// more links to the same product page, with the title and picture it
// shows.
type Card struct {
	Pos     int // 1-based, in document order among the page's product cards
	Node    *html.Node
	Link    string // the first link's target
	Product string // ProductKey(Link): the product the card stands for
	Title   string // as shown, whitespace-collapsed; "" when none was found
	Norm    string // NormTitle(Title); "" when the title does not name a product
	Img     *crawler.Image
	ImgURL  string // the card's picture; "" when it has none that can be compared
}

// titleHintRE matches the class, id or itemprop of the element that holds a
// card's title (card-title, productTitle, p-name, itemprop=name);
// notTitleHintRE the ones that name something else (the shop, a subtitle).
var (
	titleHintRE    = regexp.MustCompile(`(?i)title|name|subject`)
	notTitleHintRE = regexp.MustCompile(`(?i)shop|store|seller|nick|user|author|brand|sub-?title|desc`)
)

// ctaTitleRE matches the text of a call to action; a card "titled" by one
// names no product.
var ctaTitleRE = regexp.MustCompile(`(?i)^(查看详情|查看|详情|了解更多|查看更多|更多|立即购买|立即抢购|马上抢|去抢购|去看看|抢购|购买|加入购物车|加购|buy now|shop now|add to cart|view|details?|more)$`)

// placeholderRE matches the file names shops give the picture a card shows
// before (or instead of) its photo: loading spinners, lazy-load spacers,
// "no picture" stand-ins.
var placeholderRE = regexp.MustCompile(`(?i)(^|[-_.])(loading|loader|lazy|lazyload|placeholder|spacer|blank|default|nopic|no-?(image|img|pic|photo)|transparent|pixel|1x1)([-_.]|$)`)

// readCards are the page's product cards: the cards of its links to
// product pages (crawler.IsProductURL under productPages) that hold an
// <img>, one per card element, in document order.
func readCards(page *crawler.Page, links []LinkCard, opts Options) []*Card {
	var out []*Card
	byNode := map[*html.Node]bool{}
	var imgs *imageIndex
	for _, lc := range links {
		if byNode[lc.Card] || !crawler.IsProductURL(lc.Target, opts.ProductPages) {
			continue
		}
		imgNodes := goquery.NewDocumentFromNode(lc.Card).Find("img").Nodes
		if len(imgNodes) == 0 {
			continue
		}
		byNode[lc.Card] = true
		if imgs == nil {
			imgs = newImageIndex(page)
		}
		c := &Card{Pos: len(out) + 1, Node: lc.Card, Link: lc.Target, Product: ProductKey(lc.Target)}
		c.Title = cardTitle(lc.Card)
		c.Norm = NormTitle(c.Title)
		for _, n := range imgNodes {
			if im := imgs.find(n, page.FinalURL); im != nil {
				if u, ok := CardPicture(im, opts.MinImageSize); ok {
					c.Img, c.ImgURL = im, u
					break
				}
			}
		}
		out = append(out, c)
	}
	return out
}

// ImageURL is the URL the browser loaded an image from (currentSrc, else
// src); "" when it is not an http(s) URL.
func ImageURL(im *crawler.Image) string {
	u := im.CurrentSrc
	if u == "" {
		u = im.Src
	}
	if l := strings.ToLower(u); !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
		return ""
	}
	return u
}

// CardPicture is the URL of a card's picture when it can be compared with
// others: a visible, loaded <img> from the network (not a data: URI), drawn
// and decoded at least minSize px on both sides, that did not fail, and
// whose file name is not a placeholder's. Spacers, spinners and lazy images
// not yet loaded are all alike and say nothing of the product.
func CardPicture(im *crawler.Image, minSize float64) (string, bool) {
	u := ImageURL(im)
	if u == "" || im.Background || !im.Visible || !im.Complete || im.Status >= 400 {
		return "", false
	}
	if im.Box.W < minSize || im.Box.H < minSize || float64(im.NaturalWidth) < minSize || float64(im.NaturalHeight) < minSize {
		return "", false
	}
	if x, err := url.Parse(u); err == nil && placeholderRE.MatchString(path.Base(x.Path)) {
		return "", false
	}
	return u, true
}

// imageIndex finds the crawler's record of an <img> of the rendered DOM:
// by selector, else by its resolved src.
type imageIndex struct {
	bySelector map[string]*crawler.Image
	bySrc      map[string]*crawler.Image
}

func newImageIndex(pg *crawler.Page) *imageIndex {
	x := &imageIndex{bySelector: map[string]*crawler.Image{}, bySrc: map[string]*crawler.Image{}}
	for i := range pg.Images {
		im := &pg.Images[i]
		if im.Background {
			continue
		}
		if _, ok := x.bySelector[im.Selector]; !ok && im.Selector != "" {
			x.bySelector[im.Selector] = im
		}
		if _, ok := x.bySrc[im.Src]; !ok && im.Src != "" {
			x.bySrc[im.Src] = im
		}
	}
	return x
}

func (x *imageIndex) find(n *html.Node, base string) *crawler.Image {
	if im, ok := x.bySelector[NodeSelector(n)]; ok {
		return im
	}
	src := Attr(n, "src")
	if src == "" {
		return nil
	}
	if b, err := url.Parse(base); err == nil {
		if u, err := b.Parse(strings.TrimSpace(src)); err == nil {
			return x.bySrc[u.String()]
		}
	}
	return nil
}

// cardTitle is the title a card shows: the shown text of its first element
// whose class, id or itemprop says title or name (not the shop's); else of
// its first heading inside a link to the product; else the shown text of
// its longest link, without prices. Text inside buttons is not read, and a
// call to action (查看详情) is no title.
func cardTitle(card *html.Node) string {
	var hinted, heading *html.Node
	for n := range card.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		hint := Attr(n, "class") + " " + Attr(n, "id") + " " + Attr(n, "itemprop")
		if hinted == nil && titleHintRE.MatchString(hint) && !notTitleHintRE.MatchString(hint) && ShownText(n) != "" {
			hinted = n
		}
		if heading == nil && IsHeading(n) && Closest(n, func(a *html.Node) bool { return a.Data == "a" && Attr(a, "href") != "" }) != nil &&
			ShownText(n) != "" {
			heading = n
		}
	}
	for _, n := range []*html.Node{hinted, heading} {
		if n != nil {
			if t := withoutPrices(ShownText(n)); t != "" && !ctaTitleRE.MatchString(t) {
				return t
			}
		}
	}
	best := ""
	links := goquery.NewDocumentFromNode(card).Find("a[href]").Nodes
	if card.Type == html.ElementNode && card.Data == "a" {
		links = append(links, card)
	}
	for _, a := range links {
		t := withoutPrices(ShownText(a))
		if len([]rune(t)) > len([]rune(best)) && !ctaTitleRE.MatchString(t) {
			best = t
		}
	}
	return best
}

// withoutPrices is s with the amounts it shows (¥128, 99元) cut out.
func withoutPrices(s string) string {
	prices := cnprice.Find(s)
	if len(prices) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, pr := range prices {
		if pr.Start < last {
			continue
		}
		b.WriteString(s[last:pr.Start])
		b.WriteByte(' ')
		last = pr.End
	}
	b.WriteString(s[last:])
	return Collapse(b.String())
}

// NormTitle is a title as cards are compared by: full-width forms folded to
// ASCII, whitespace collapsed, lower-cased; "" when it names no product
// (shorter than two characters, digits and punctuation only, a call to
// action).
func NormTitle(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\u3000':
			return ' '
		case r >= '\uff01' && r <= '\uff5e':
			r -= 0xfee0
		}
		return unicode.ToLower(r)
	}, s)
	s = Collapse(s)
	if len([]rune(s)) < 2 || ctaTitleRE.MatchString(s) || !strings.ContainsFunc(s, unicode.IsLetter) {
		return ""
	}
	return s
}
