package checks

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/storecheck/storecheck/checks/cnprice"
	"github.com/storecheck/storecheck/crawler"
)

// listingChecks judge the product cards of listing and home pages.
func listingChecks() []*Check {
	return []*Check{{
		ID:       "content.duplicate-listing",
		Doc:      "different products' cards carry the same title, or the same image with different titles",
		Severity: SeverityWarning,
		Subject:  "the shared title or image URL",
		Run:      runDuplicateListing,
	}}
}

// listingCard is one product card of a listing: the card of one or more
// links to the same product (linkCards), with the title and picture it
// shows.
type listingCard struct {
	pos     int // 1-based, in document order among the page's product cards
	node    *html.Node
	link    string // the first link's target
	product string // productKey(link): the product the card stands for
	title   string // as shown, whitespace-collapsed; "" when none was found
	norm    string // normTitle(title); "" when the title does not name a product
	img     *crawler.Image
	imgURL  string // the card's picture; "" when it has none that can be compared
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

// runDuplicateListing reports, on a listing or home page, groups of
// product cards that a shopper cannot tell apart or that contradict each
// other: cards of different products with the same title; cards of
// different products with different titles showing the same picture; the
// same product linked from several cards whose titles or pictures differ.
// A product shown twice alike (a "hot" strip and the grid) is not
// reported. One finding per group; a group found twice (by title and by
// link) is one finding.
func runDuplicateListing(p *Pass) {
	pg := p.Page
	if pg.Kind != crawler.KindListing && pg.Kind != crawler.KindHome || pg.Status < 200 || pg.Status >= 400 || pg.HTML == "" {
		return
	}
	cards := listingCards(p)
	if len(cards) < 2 {
		return
	}
	r := &duplicateReport{p: p, bySubject: map[string]*duplicateGroup{}}
	sameTitleGroups(r, cards)
	samePictureGroups(r, cards)
	sameLinkGroups(r, cards)
	r.emit()
}

// listingCards are the page's product cards: the cards of its links to
// product pages (crawler.IsProductURL under product_pages) that hold an
// <img>, one per card element, in document order.
func listingCards(p *Pass) []*listingCard {
	var out []*listingCard
	byNode := map[*html.Node]bool{}
	var imgs *imageIndex
	for _, lc := range p.linkCards() {
		if byNode[lc.card] || !crawler.IsProductURL(lc.target, p.Env.productPages()) {
			continue
		}
		imgNodes := goquery.NewDocumentFromNode(lc.card).Find("img").Nodes
		if len(imgNodes) == 0 {
			continue
		}
		byNode[lc.card] = true
		if imgs == nil {
			imgs = newImageIndex(p.Page)
		}
		c := &listingCard{pos: len(out) + 1, node: lc.card, link: lc.target, product: productKey(lc.target)}
		c.title = cardTitle(p, lc.card)
		c.norm = normTitle(c.title)
		for _, n := range imgNodes {
			if im := imgs.find(n, p.Page.FinalURL); im != nil {
				if u, ok := listingPicture(p.Env, im); ok {
					c.img, c.imgURL = im, u
					break
				}
			}
		}
		out = append(out, c)
	}
	return out
}

// sameTitleGroups: cards of two or more different products with the same
// title.
func sameTitleGroups(r *duplicateReport, cards []*listingCard) {
	groups := map[string][]*listingCard{}
	var order []string
	for _, c := range cards {
		if c.norm == "" {
			continue
		}
		if _, ok := groups[c.norm]; !ok {
			order = append(order, c.norm)
		}
		groups[c.norm] = append(groups[c.norm], c)
	}
	for _, k := range order {
		g := groups[k]
		if products(g) < 2 {
			continue
		}
		r.add(g[0].title, "title", g, nil, fmt.Sprintf("%d cards of %d different products carry the same title.", len(g), products(g)))
	}
}

// pictureMatch is how a card's picture matched its group's first one.
type pictureMatch struct {
	by       string // "url", "bytes" or "phash"
	distance int    // perceptual-hash distance, bits (phash)
	colour   float64
}

// samePictureGroups: cards of different products, with different titles,
// showing the same picture: the same URL, the same bytes, or a perceptual
// hash within images.duplicate_distance whose colour thumbnail is also
// within images.duplicate_colour_diff. pHash alone is not enough here:
// different products shot the same way (the demo shop's tins on a table)
// were measured 10 bits apart, but 20 or more colour levels. A picture on
// every card (three or more) is the shop's placeholder, not a product's
// photo.
func samePictureGroups(r *duplicateReport, cards []*listingCard) {
	ic := configOf(r.p.Env).Images
	type group struct {
		cards   []*listingCard
		matches map[*listingCard]pictureMatch
		m       *measures
	}
	var groups []*group
	withPicture := 0
	for _, c := range cards {
		if c.img == nil {
			continue
		}
		withPicture++
		m := pictureMeasures(r.p, c.img, c.imgURL)
		joined := false
		for _, g := range groups {
			if pm, ok := samePictureAs(g.cards[0], g.m, c, m, ic.DuplicateDistance, ic.DuplicateColourDiff); ok {
				g.cards = append(g.cards, c)
				g.matches[c] = pm
				joined = true
				break
			}
		}
		if !joined {
			groups = append(groups, &group{cards: []*listingCard{c}, matches: map[*listingCard]pictureMatch{}, m: m})
		}
	}
	for _, g := range groups {
		if len(g.cards) < 2 || withPicture >= 3 && len(g.cards) == withPicture || !differentTitledProducts(g.cards) {
			continue
		}
		first := g.cards[0]
		r.addPicture(first.imgURL, g.cards, g.matches,
			fmt.Sprintf("%d cards of %d different products with different titles show the same picture.", len(g.cards), products(g.cards)))
	}
}

// sameLinkGroups: one product linked from several cards whose titles differ
// (neither contains the other: a shortened title in a "hot" strip is the
// same title) or whose pictures differ.
func sameLinkGroups(r *duplicateReport, cards []*listingCard) {
	ic := configOf(r.p.Env).Images
	groups := map[string][]*listingCard{}
	var order []string
	for _, c := range cards {
		if _, ok := groups[c.product]; !ok {
			order = append(order, c.product)
		}
		groups[c.product] = append(groups[c.product], c)
	}
	for _, k := range order {
		g := groups[k]
		if len(g) < 2 {
			continue
		}
		var titles, pictures bool
		for i, a := range g {
			for _, b := range g[i+1:] {
				if a.norm != "" && b.norm != "" && !strings.Contains(a.norm, b.norm) && !strings.Contains(b.norm, a.norm) {
					titles = true
				}
				if a.img != nil && b.img != nil {
					if _, same := samePictureAs(a, pictureMeasures(r.p, a.img, a.imgURL), b,
						pictureMeasures(r.p, b.img, b.imgURL), ic.DuplicateDistance, ic.DuplicateColourDiff); !same {
						pictures = true
					}
				}
			}
		}
		var what string
		switch {
		case titles && pictures:
			what = "different titles and pictures"
		case titles:
			what = "different titles"
		case pictures:
			what = "different pictures"
		default:
			continue
		}
		subject := g[0].title
		if subject == "" {
			subject = g[0].link
		}
		r.add(subject, "link", g, nil, fmt.Sprintf("%d cards link to the same product with %s.", len(g), what))
	}
}

// products counts the distinct products of cards.
func products(cards []*listingCard) int {
	seen := map[string]bool{}
	for _, c := range cards {
		seen[c.product] = true
	}
	return len(seen)
}

// differentTitledProducts reports whether two of cards stand for different
// products and show different titles.
func differentTitledProducts(cards []*listingCard) bool {
	for i, a := range cards {
		for _, b := range cards[i+1:] {
			if a.product != b.product && a.norm != "" && b.norm != "" && a.norm != b.norm {
				return true
			}
		}
	}
	return false
}

// pictureMeasures are the perceptual hash and colour thumbnail of a card's
// picture, through the sweep's cache; nil when its bytes cannot be measured
// (none, cut at the cap, SVG, not decodable, over images.max_megapixels).
func pictureMeasures(p *Pass, im *crawler.Image, u string) *measures {
	if p.Env == nil {
		return nil
	}
	d, ok := decodeHeader(im)
	if !ok || tooLarge(p.Env, d) || isSVG(im, u) {
		return nil
	}
	m := p.Env.measure(im.Bytes, needHash, maxMegapixels(p.Env))
	if m.err != nil || m.hash == nil {
		return nil
	}
	return m
}

// samePictureAs reports whether card b shows the picture of card a (see
// samePictureGroups), and how they match.
func samePictureAs(a *listingCard, ma *measures, b *listingCard, mb *measures, hashMax int, colourMax float64) (pictureMatch, bool) {
	if NormalizeForFingerprint(a.imgURL) == NormalizeForFingerprint(b.imgURL) {
		return pictureMatch{by: "url"}, true
	}
	if !a.img.BytesTruncated && !b.img.BytesTruncated && len(a.img.Bytes) > 0 && bytes.Equal(a.img.Bytes, b.img.Bytes) {
		return pictureMatch{by: "bytes"}, true
	}
	if ma == nil || mb == nil {
		return pictureMatch{}, false
	}
	d, err := ma.hash.Distance(mb.hash)
	if err != nil {
		return pictureMatch{}, false
	}
	colour := thumbDiff(ma.thumb, mb.thumb)
	if d <= hashMax && colour <= colourMax {
		return pictureMatch{by: "phash", distance: d, colour: round2(colour)}, true
	}
	return pictureMatch{}, false
}

// listingPicture is the URL of a card's picture when it can be compared
// with others: a visible, loaded <img> from the network (not a data: URI),
// drawn and decoded at least images.min_size px on both sides, that did not
// fail, and whose file name is not a placeholder's. Spacers, spinners and
// lazy images not yet loaded are all alike and say nothing of the product.
func listingPicture(env *Env, im *crawler.Image) (string, bool) {
	u := imageURL(im)
	if u == "" || im.Background || !im.Visible || !im.Complete || im.Status >= 400 {
		return "", false
	}
	min := minSize(env)
	if im.Box.W < min || im.Box.H < min || float64(im.NaturalWidth) < min || float64(im.NaturalHeight) < min {
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
	if im, ok := x.bySelector[Selector(&goquery.Selection{Nodes: []*html.Node{n}})]; ok {
		return im
	}
	src := attr(n, "src")
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
func cardTitle(p *Pass, card *html.Node) string {
	var hinted, heading *html.Node
	for n := range card.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		hint := attr(n, "class") + " " + attr(n, "id") + " " + attr(n, "itemprop")
		if hinted == nil && titleHintRE.MatchString(hint) && !notTitleHintRE.MatchString(hint) && shownText(n) != "" {
			hinted = n
		}
		if heading == nil && isHeading(n) && closest(n, func(a *html.Node) bool { return a.Data == "a" && attr(a, "href") != "" }) != nil &&
			shownText(n) != "" {
			heading = n
		}
	}
	for _, n := range []*html.Node{hinted, heading} {
		if n != nil {
			if t := withoutPrices(shownText(n)); t != "" && !ctaTitleRE.MatchString(t) {
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
		t := withoutPrices(shownText(a))
		if len([]rune(t)) > len([]rune(best)) && !ctaTitleRE.MatchString(t) {
			best = t
		}
	}
	return best
}

func isHeading(n *html.Node) bool {
	return n.Type == html.ElementNode && len(n.Data) == 2 && n.Data[0] == 'h' && n.Data[1] >= '1' && n.Data[1] <= '6'
}

// shownText is the text of n a shopper sees (hidden runs, scripts and
// buttons left out), whitespace-collapsed.
func shownText(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node, facts textRun)
	walk = func(n *html.Node, facts textRun) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				if !facts.hidden {
					b.WriteString(c.Data)
				}
			case html.ElementNode:
				if notText[c.Data] || c.Data == "button" {
					continue
				}
				if blockTags[c.Data] {
					b.WriteByte(' ')
				}
				walk(c, elementFacts(c, facts))
			}
		}
	}
	walk(n, elementFacts(n, textRun{}))
	return collapse(b.String())
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
	return collapse(b.String())
}

// normTitle is a title as cards are compared by: full-width forms folded to
// ASCII, whitespace collapsed, lower-cased; "" when it names no product
// (shorter than two characters, digits and punctuation only, a call to
// action).
func normTitle(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\u3000':
			return ' '
		case r >= '\uff01' && r <= '\uff5e':
			r -= 0xfee0
		}
		return unicode.ToLower(r)
	}, s)
	s = collapse(s)
	if len([]rune(s)) < 2 || ctaTitleRE.MatchString(s) || !strings.ContainsFunc(s, unicode.IsLetter) {
		return ""
	}
	return s
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

// productKey is the product a link opens: its normalised URL without
// tracking parameters (and without the cache-busters fingerprints drop).
func productKey(link string) string {
	u, err := url.Parse(link)
	if err != nil || u.RawQuery == "" {
		return NormalizeForFingerprint(link)
	}
	q := u.Query()
	for k := range q {
		lk := strings.ToLower(k)
		if trackingParams[lk] || strings.HasPrefix(lk, "utm_") {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return NormalizeForFingerprint(u.String())
}

// duplicateGroup is one finding being built.
type duplicateGroup struct {
	subject  string
	reasons  []string
	cards    []*listingCard
	matches  map[*listingCard]pictureMatch
	messages []string
	picture  *crawler.Image // the shared picture of an image group
}

// duplicateReport collects the groups of one visit, merging groups that
// share a subject (the same title found by title and by link) so each
// subject is reported once.
type duplicateReport struct {
	p         *Pass
	bySubject map[string]*duplicateGroup
	order     []*duplicateGroup
}

func (r *duplicateReport) add(subject, reason string, cards []*listingCard, matches map[*listingCard]pictureMatch, msg string) *duplicateGroup {
	key := NormalizeForFingerprint(subjectText(subject))
	g, ok := r.bySubject[key]
	if !ok {
		g = &duplicateGroup{subject: subject, matches: map[*listingCard]pictureMatch{}}
		r.bySubject[key] = g
		r.order = append(r.order, g)
	}
	g.reasons = append(g.reasons, reason)
	g.messages = append(g.messages, msg)
	for _, c := range cards {
		if !slices.Contains(g.cards, c) {
			g.cards = append(g.cards, c)
		}
	}
	for c, m := range matches {
		g.matches[c] = m
	}
	return g
}

func (r *duplicateReport) addPicture(u string, cards []*listingCard, matches map[*listingCard]pictureMatch, msg string) {
	g := r.add(u, "image", cards, matches, msg)
	g.picture = cards[0].img
}

// emit reports every group: evidence lists its cards in page order, with
// how an image group's pictures match; an image group carries the shared
// picture's thumbnail, the others the distinct pictures of their cards (at
// most maxGalleryImages).
func (r *duplicateReport) emit() {
	p := r.p
	for _, g := range r.order {
		slices.SortFunc(g.cards, func(a, b *listingCard) int { return a.pos - b.pos })
		var ev []map[string]any
		var thumbs []EvidenceImage
		seen := map[string]bool{}
		for _, c := range g.cards {
			e := map[string]any{"position": c.pos, "link": c.link, "title": Excerpt(c.title), "image": c.imgURL,
				"selector": Selector(&goquery.Selection{Nodes: []*html.Node{c.node}})}
			if m, ok := g.matches[c]; ok {
				e["match"] = m.by
				if m.by == "phash" {
					e["phash_distance"] = m.distance
					e["colour_diff"] = m.colour
				}
			}
			ev = append(ev, e)
			if g.picture == nil && c.img != nil && !seen[c.imgURL] && len(thumbs) < maxGalleryImages {
				seen[c.imgURL] = true
				if t := p.flaggedImage(c.img); len(t.Data) > 0 {
					thumbs = append(thumbs, t)
				}
			}
		}
		if g.picture != nil {
			thumbs = images(p.flaggedImage(g.picture))
		}
		ic := configOf(p.Env).Images
		evidence := map[string]any{"reasons": g.reasons, "cards": ev, "count": len(g.cards), "products": products(g.cards)}
		if slices.Contains(g.reasons, "image") {
			evidence["duplicate_distance"] = ic.DuplicateDistance
			evidence["duplicate_colour_diff"] = ic.DuplicateColourDiff
		}
		p.ReportWith("", g.subject, strings.Join(g.messages, " "), evidence, thumbs)
	}
}
