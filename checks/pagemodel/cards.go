package pagemodel

import (
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/storecheck/storecheck/checks/cnprice"
	"github.com/storecheck/storecheck/crawler"
)

// Card is one product card of a page: a tile of a listing, a home floor,
// a campaign (会场) page or a product page's recommendations that shows
// one product's picture and, usually, its title and price. It is found
// from a link to a product page that holds a picture, or from the page's
// structure: repeated sibling elements that each hold a picture and a
// price, whatever their links (real shops leave them "#", empty, or all
// the same). A product page's buy box is never a card.
type Card struct {
	Pos     int // 1-based, in document order among the page's product cards
	Node    *html.Node
	Link    string // the product page the card links to; "" when none (NoLink says why)
	Product string // ProductKey(Link): the product the card stands for; "" when Link is ""
	Title   string // as shown, whitespace-collapsed; "" when none was found
	Norm    string // NormTitle(Title); "" when the title does not name a product
	Img     *crawler.Image
	ImgURL  string // the card's picture; "" when it has none that can be compared
	// NoLink says why Link is "": NoLinkNone, NoLinkDead, NoLinkOther or
	// NoLinkSeveral; "" when Link is set.
	NoLink string
	// Prices are the amounts the card shows, in document order, with the
	// kind a label standing alone before them gives (<dt>原价</dt><dd>¥199</dd>).
	Prices []Price
	// Texts are the card's shown text, one string per block of text it
	// spans, in document order: what its discount tags are read from.
	Texts []string
}

// Why a card's Link is "".
const (
	NoLinkNone    = "none"        // the card holds no link
	NoLinkDead    = "dead"        // its links lead nowhere: href="#", "javascript:;", empty
	NoLinkOther   = "not-product" // its links lead to pages that are not product pages
	NoLinkSeveral = "several"     // its links lead to more than one product
)

// titleHintRE matches the class, id or itemprop of the element that holds a
// card's title (card-title, productTitle, p-name, itemprop=name);
// notTitleHintRE the ones that name something else (the shop, a subtitle).
var (
	titleHintRE    = regexp.MustCompile(`(?i)title|name|subject`)
	notTitleHintRE = regexp.MustCompile(`(?i)shop|store|seller|nick|user|author|brand|sub-?title|desc`)
)

// notTitleTextRE matches the start of the text of a card's sales count,
// reviews or shop, which are never its title.
var notTitleTextRE = regexp.MustCompile(`^(月销|已售|销量|已抢|评价|好评|累计|店铺|旗舰店|包邮)`)

// ctaTitleRE matches the text of a call to action; a card "titled" by one
// names no product.
var ctaTitleRE = regexp.MustCompile(`(?i)^(查看详情|查看|详情|了解更多|查看更多|更多|立即购买|立即抢购|马上抢|去抢购|去看看|抢购|购买|加入购物车|加购|buy now|shop now|add to cart|view|details?|more)$`)

// placeholderRE matches the file names shops give the picture a card shows
// before (or instead of) its photo: loading spinners, lazy-load spacers,
// "no picture" stand-ins.
var placeholderRE = regexp.MustCompile(`(?i)(^|[-_.])(loading|loader|lazy|lazyload|placeholder|spacer|blank|default|nopic|no-?(image|img|pic|photo)|transparent|pixel|1x1)([-_.]|$)`)

// readCards are the page's product cards in document order: the grid
// tiles (gridTiles) and the cards of its links to product pages
// (crawler.IsProductURL under opts.ProductPages, not the page's own
// product) that hold an <img>. A link card inside a tile is that tile; a
// tile holding link cards of several products is a container, and its
// link cards stand alone; a tile inside a link card is that card.
func readCards(page *crawler.Page, doc *goquery.Document, links []LinkCard, blocks []*Block, bb *BuyBox, opts Options) []*Card {
	tiles := gridTiles(doc, blocks, bb)
	isTile := make(map[*html.Node]bool, len(tiles))
	for _, t := range tiles {
		isTile[t] = true
	}
	self := ProductKey(page.URL)
	var linked []LinkCard // one per card element, in document order
	seen := map[*html.Node]bool{}
	for _, lc := range links {
		if seen[lc.Card] || !crawler.IsProductURL(lc.Target, opts.ProductPages) || ProductKey(lc.Target) == self {
			continue
		}
		if !hasImg(lc.Card) {
			continue
		}
		seen[lc.Card] = true
		linked = append(linked, lc)
	}
	tileOf := func(n *html.Node) *html.Node {
		return Closest(n, func(a *html.Node) bool { return isTile[a] })
	}
	products := map[*html.Node]map[string]bool{}
	for _, lc := range linked {
		if t := tileOf(lc.Card); t != nil {
			if products[t] == nil {
				products[t] = map[string]bool{}
			}
			products[t][ProductKey(lc.Target)] = true
		}
	}
	var free []LinkCard
	freeNode := map[*html.Node]bool{}
	for _, lc := range linked {
		if t := tileOf(lc.Card); t == nil || len(products[t]) > 1 {
			free = append(free, lc)
			freeNode[lc.Card] = true
		}
	}
	var kept []*html.Node
	for _, t := range tiles {
		inFree := t.Parent != nil && Closest(t.Parent, func(a *html.Node) bool { return freeNode[a] }) != nil
		if len(products[t]) > 1 || inFree {
			continue
		}
		kept = append(kept, t)
	}

	var imgs *imageIndex
	newCard := func(n *html.Node) *Card {
		if imgs == nil {
			imgs = newImageIndex(page)
		}
		c := &Card{Node: n}
		c.Title = cardTitle(n)
		if c.Title == "" {
			c.Title = plainTitle(n)
		}
		c.Norm = NormTitle(c.Title)
		for _, in := range goquery.NewDocumentFromNode(n).Find("img").Nodes {
			if im := imgs.find(in, page.FinalURL); im != nil {
				if u, ok := CardPicture(im, opts.MinImageSize); ok {
					c.Img, c.ImgURL = im, u
					break
				}
			}
		}
		return c
	}
	out := make([]*Card, 0, len(kept)+len(free))
	for i, j := 0, 0; i < len(kept) || j < len(free); {
		var c *Card
		if j == len(free) || i < len(kept) && docBefore(kept[i], free[j].Card) {
			c = newCard(kept[i])
			c.Link, c.NoLink = tileLink(kept[i], page, opts)
			i++
		} else {
			c = newCard(free[j].Card)
			c.Link = free[j].Target
			j++
		}
		if c.Link != "" {
			c.Product = ProductKey(c.Link)
		}
		c.Pos = len(out) + 1
		out = append(out, c)
	}
	readCardText(out, blocks)
	return out
}

// hasImg reports whether n holds an <img>.
func hasImg(n *html.Node) bool {
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.Data == "img" {
			return true
		}
	}
	return false
}

// tileLink is the product page a tile links to: the one product its
// links lead to (the first link to it); else "" and why (NoLinkNone …).
// A link to the page itself (href="#") leads nowhere.
func tileLink(n *html.Node, page *crawler.Page, opts Options) (link, why string) {
	anchors, live := 0, 0
	keys := map[string]bool{}
	here := ResolveLink(page.FinalURL, "")
	visit := func(a *html.Node) {
		if a.Type != html.ElementNode || a.Data != "a" || !hasAttr(a, "href") {
			return
		}
		anchors++
		t := ResolveLink(page.FinalURL, Attr(a, "href"))
		if t == "" || t == page.URL || t == here {
			return
		}
		live++
		if !crawler.IsProductURL(t, opts.ProductPages) {
			return
		}
		if k := ProductKey(t); !keys[k] {
			keys[k] = true
			if link == "" {
				link = t
			}
		}
	}
	visit(n)
	for d := range n.Descendants() {
		visit(d)
	}
	switch {
	case len(keys) == 1:
		return link, ""
	case len(keys) > 1:
		return "", NoLinkSeveral
	case live > 0:
		return "", NoLinkOther
	case anchors > 0:
		return "", NoLinkDead
	}
	return "", NoLinkNone
}

// docBefore reports whether a comes before b in document order (an
// ancestor comes before its descendants).
func docBefore(a, b *html.Node) bool {
	pa, pb := ancestry(a), ancestry(b)
	i := 0
	for i < len(pa) && i < len(pb) && pa[i] == pb[i] {
		i++
	}
	switch {
	case i == len(pa):
		return true
	case i == len(pb):
		return false
	}
	for s := pa[i]; s != nil; s = s.NextSibling {
		if s == pb[i] {
			return true
		}
	}
	return false
}

// ancestry is n and its ancestors, the root first.
func ancestry(n *html.Node) []*html.Node {
	var out []*html.Node
	for ; n != nil; n = n.Parent {
		out = append(out, n)
	}
	slices.Reverse(out)
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

// plainTitle is the title of a card whose markup names none
// (<td><img><br><font>碧螺春 250g</font><br><font color="red">￥88</font></td>):
// the longest shown text, prices cut out, of an element inside it that has
// text of its own and names a product (NormTitle, four characters or
// more), not a call to action nor a discount tag; "" when none does.
func plainTitle(card *html.Node) string {
	best := ""
	for n := range card.Descendants() {
		if n.Type != html.ElementNode || notText[n.Data] || n.Data == "button" || !ownText(n) {
			continue
		}
		t := withoutPrices(ShownText(n))
		if utf8.RuneCountInString(t) < 4 || utf8.RuneCountInString(t) <= utf8.RuneCountInString(best) ||
			NormTitle(t) == "" || notTitleTextRE.MatchString(t) || len(cnprice.FindDiscounts(t)) > 0 {
			continue
		}
		best = t
	}
	return best
}

// ownText reports whether n has a text child that is not all space.
func ownText(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
			return true
		}
	}
	return false
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

// CardWhere is where a card is drawn: its selector, and the box around
// the visible text boxes and pictures the crawler measured inside it
// (their selectors are the card's, or start with it or with the selector
// of an element inside it that has an id of its own); ok is false when
// the crawler measured none of them.
func (m *Model) CardWhere(c *Card) (sel string, box crawler.Box, ok bool) {
	sel = NodeSelector(c.Node)
	if sel == "" {
		return "", crawler.Box{}, false
	}
	roots := []string{sel}
	for d := range c.Node.Descendants() {
		if d.Type == html.ElementNode && Attr(d, "id") != "" {
			if s := NodeSelector(d); strings.HasPrefix(s, "#") && !strings.Contains(s, " ") {
				roots = append(roots, s)
			}
		}
	}
	under := func(s string) bool {
		for _, r := range roots {
			if s == r || strings.HasPrefix(s, r+" > ") {
				return true
			}
		}
		return false
	}
	add := func(b crawler.Box) {
		if b.W <= 0 || b.H <= 0 {
			return
		}
		if !ok {
			box, ok = b, true
			return
		}
		x0, y0 := min(box.X, b.X), min(box.Y, b.Y)
		x1, y1 := max(box.X+box.W, b.X+b.W), max(box.Y+box.H, b.Y+b.H)
		box = crawler.Box{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}
	}
	for _, tb := range m.Page.TextBoxes {
		if tb.Visible && under(tb.Selector) {
			add(tb.Box)
		}
	}
	for _, im := range m.Page.Images {
		if im.Visible && under(im.Selector) {
			add(im.Box)
		}
	}
	return sel, box, ok
}
