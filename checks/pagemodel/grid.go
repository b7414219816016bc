package pagemodel

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/storecheck/storecheck/checks/cnprice"
)

// A grid tile is found from the page's structure, whatever its links:
// sibling elements of the same tag and alike classes that each hold a
// picture and a product price are the tiles of a grid (<li> of a list,
// <td> of a jQuery-era table, <div> of a floor, <a href="#"> of a 会场);
// once two do, an alike sibling with a picture and no price (sold out, a
// price the script failed to write) is a tile of the grid too.
// Only the innermost such elements count: a floor of tiles is a container,
// not a tile, and so is a table row of cells. Navigation, spec tables and
// footer lists show no product price beside a picture, so they hold none.

// minPicturePx is the side below which a picture named by its width and
// height attributes (or inline style) is an icon (a "hot" badge, a shop
// seal) rather than a product's photo: 40 px, the size at which the
// image rules stop judging pictures as photos too.
const minPicturePx = 40

// couponTileRE matches the text of a coupon tile (¥20 / 满199可用 / 立即领取):
// its amount is money off, not a product's price.
var couponTileRE = regexp.MustCompile(`领取|立即领|去领|已领|抢券|无门槛|满\s*\d+(\.\d+)?\s*元?\s*可用`)

// gridTiles are the page's grid tiles in document order, without those of
// a product page's buy box (BuyBox.Decided) or holding it.
func gridTiles(doc *goquery.Document, blocks []*Block, bb *BuyBox) []*html.Node {
	priced := pricedElements(blocks)
	if len(priced) == 0 {
		return nil
	}
	type tile struct {
		n      *html.Node
		pre    int
		priced bool
	}
	var tiles []tile
	type facts struct {
		pre               int
		pic, price, holds bool // holds: a tile lies below
	}
	count := 0
	var walk func(e *html.Node) facts
	walk = func(e *html.Node) facts {
		count++
		f := facts{pre: count, pic: isPicture(e), price: priced[e]}
		var kids []tile
		for c := e.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || notText[c.Data] {
				continue
			}
			cf := walk(c)
			f.pic = f.pic || cf.pic
			f.price = f.price || cf.price
			f.holds = f.holds || cf.holds
			if cf.pic && !cf.holds {
				kids = append(kids, tile{c, cf.pre, cf.price})
			}
		}
		if len(kids) < 2 {
			return f
		}
		var groups [][]tile
		for _, k := range kids {
			if k.priced && couponTile(k.n) {
				continue
			}
			joined := false
			for i, g := range groups {
				if alike(g[0].n, k.n) {
					groups[i] = append(g, k)
					joined = true
					break
				}
			}
			if !joined {
				groups = append(groups, []tile{k})
			}
		}
		for _, g := range groups {
			priced := 0
			for _, k := range g {
				if k.priced {
					priced++
				}
			}
			if priced >= 2 {
				tiles = append(tiles, g...)
				f.holds = true
			}
		}
		return f
	}
	for _, root := range doc.Nodes {
		for c := root.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				walk(c)
			}
		}
	}
	sort.Slice(tiles, func(i, j int) bool { return tiles[i].pre < tiles[j].pre })
	out := make([]*html.Node, 0, len(tiles))
	for _, t := range tiles {
		if !inBuyBox(t.n, bb) {
			out = append(out, t.n)
		}
	}
	return out
}

// pricedElements are the elements whose own text starts a product price
// (current, final, member or original) of the page's shown text.
func pricedElements(blocks []*Block) map[*html.Node]bool {
	out := map[*html.Node]bool{}
	for _, blk := range blocks {
		for _, pr := range blk.Prices {
			if !pr.IsProductPrice() || pr.Value <= 0 {
				continue
			}
			el := blk.Node
			for _, r := range blk.ShownRuns {
				if r.End > pr.Start {
					if r.El != nil {
						el = r.El
					}
					break
				}
			}
			out[el] = true
		}
	}
	return out
}

// isPicture reports whether e draws a picture that may be a product's: an
// <img> not sized as an icon (minPicturePx), or an element whose inline
// style sets a background image.
func isPicture(e *html.Node) bool {
	if e.Data == "img" {
		w, h := pxSize(e)
		return !(w > 0 && w < minPicturePx && h > 0 && h < minPicturePx)
	}
	st := Attr(e, "style")
	return st != "" && strings.Contains(st, "url(") && strings.Contains(strings.ToLower(st), "background")
}

// pxSize is an <img>'s width and height in px from its inline style, else
// its attributes; 0 when unknown.
func pxSize(e *html.Node) (w, h float64) {
	w, h = attrPx(Attr(e, "width")), attrPx(Attr(e, "height"))
	for _, decl := range strings.Split(Attr(e, "style"), ";") {
		k, v, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(strings.ToLower(k)) {
		case "width":
			if px := attrPx(v); px > 0 {
				w = px
			}
		case "height":
			if px := attrPx(v); px > 0 {
				h = px
			}
		}
	}
	return w, h
}

// attrPx reads "120", "120px"; 0 for anything else (percentages, auto).
func attrPx(s string) float64 {
	s = strings.TrimSuffix(strings.TrimSpace(strings.ToLower(s)), "px")
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || v < 0 {
		return 0
	}
	return v
}

// alike reports whether two siblings are tiles of one grid: the same tag,
// and both without a class or sharing one once trailing digits are cut
// (item1, item2; "item first", "item").
func alike(a, b *html.Node) bool {
	if a.Data != b.Data {
		return false
	}
	ca, cb := classStems(a), classStems(b)
	if len(ca) == 0 || len(cb) == 0 {
		return len(ca) == len(cb)
	}
	for _, x := range ca {
		for _, y := range cb {
			if x == y {
				return true
			}
		}
	}
	return false
}

func classStems(n *html.Node) []string {
	fs := strings.Fields(Attr(n, "class"))
	for i, f := range fs {
		fs[i] = strings.TrimRight(f, "0123456789-_")
	}
	return fs
}

// couponTile reports whether n reads as a coupon (¥20 满199可用 立即领取)
// and shows no original price: money off, not a product.
func couponTile(n *html.Node) bool {
	t := ShownText(n)
	if !couponTileRE.MatchString(t) {
		return false
	}
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && (hasAttr(d, "data-sc-struck") || d.Data == "del" || d.Data == "s" || d.Data == "strike") {
			return false
		}
	}
	for _, pr := range cnprice.Find(t) {
		if pr.Kind == cnprice.Original {
			return false
		}
	}
	return true
}

// inBuyBox reports whether n is part of a product page's decided buy box
// (not in one of its recommendation, header, footer or navigation areas)
// or holds it.
func inBuyBox(n *html.Node, bb *BuyBox) bool {
	if bb == nil || !bb.Decided || bb.Root == nil {
		return false
	}
	if Inside(bb.Root, n) {
		return true
	}
	if !Inside(n, bb.Root) {
		return false
	}
	for a := n; a != nil && a != bb.Root; a = a.Parent {
		if a.Type == html.ElementNode && (outsideTag[a.Data] || notBuyBox.MatchString(Attr(a, "class")+" "+Attr(a, "id"))) {
			return false
		}
	}
	return true
}
