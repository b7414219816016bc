package checks

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/storecheck/storecheck/checks/cnprice"
	"github.com/storecheck/storecheck/checks/fingerprint"
	"github.com/storecheck/storecheck/checks/pagemodel"
	"github.com/storecheck/storecheck/crawler"
)

// layoutChecks judge the page's geometry in each viewport, as the crawler
// captured it after the page was scrolled back to the top. Their messages
// take sizes in CSS px and counts that may pass 999 as plain digits
// (strconv): the catalog's %d and %f group thousands (1,600), and the
// messages have always written 1600.
func layoutChecks() []*Check {
	return []*Check{
		{
			ID:       "layout.horizontal-overflow",
			Doc:      "document wider than the viewport",
			Severity: SeverityWarning,
			Subject:  "selector of the widest offender",
			Run:      runHorizontalOverflow,
		},
		{
			ID:       "layout.overlap",
			Doc:      "two visible text boxes overlap (text over text)",
			Severity: SeverityWarning,
			Subject:  "selector of one text element",
			Run:      runOverlap,
		},
		{
			ID:          "layout.nav-missing",
			Doc:         "no navigation with ≥ 3 same-site links (hidden menus count)",
			Severity:    SeverityWarning,
			SeverityDoc: "home / else",
			Subject:     `""`,
			Run:         runNavMissing,
		},
		{
			ID:       "layout.nav-overloaded",
			Doc:      "more than `layout.nav_max_items` top-level items",
			Severity: SeverityInfo,
			Subject:  "selector of the nav",
			Run:      runNavOverloaded,
		},
		{
			ID:       "layout.small-text",
			Doc:      "visible text under 12 CSS px, in either viewport",
			Severity: SeverityWarning,
			Subject:  `""`,
			Run:      runSmallText,
		},
		{
			ID:       "layout.clipped-text",
			Doc:      "a product title or price cut off by its box (not an intended ellipsis)",
			Severity: SeverityWarning,
			Subject:  "selector",
			Run:      runClippedText,
		},
		{
			ID:       "layout.promo-below-fold",
			Doc:      "a `layout.above_fold` element is outside the first viewport",
			Severity: SeverityWarning,
			Subject:  "the configured selector",
			Enabled:  func(env *Env) bool { return len(env.Layout.AboveFold) > 0 },
			Run:      runPromoBelowFold,
		},
	}
}

// laidOut reports whether a visit has a layout to judge: a page that
// answered 2xx/3xx and was captured.
func laidOut(p *crawler.Page) bool {
	return p.Status >= 200 && p.Status < 400 && p.HTML != "" && p.Layout.ViewportWidth > 0
}

// runHorizontalOverflow reports a document wider than the viewport, named
// by the element that sticks out furthest (elements clipped by an
// overflow ancestor, and off-canvas drawers, were left out by the crawler).
func runHorizontalOverflow(p *Pass) {
	l := p.Page.Layout
	if !laidOut(p.Page) || l.ScrollWidth <= l.ViewportWidth+1 {
		return
	}
	subject, ev := "html", map[string]any{"scroll_width": l.ScrollWidth, "viewport_width": l.ViewportWidth}
	if len(l.Overflowing) > 0 {
		o := l.Overflowing[0]
		subject, ev["box"] = o.Selector, boxEvidence(o.Box)
		ev["right_edge"] = round2(o.Box.X + o.Box.W)
	}
	p.Report("", subject,
		M("layout.horizontal-overflow", strconv.Itoa(l.ScrollWidth), strconv.Itoa(l.ViewportWidth), subject), ev)
}

// overlapMin is the share of the smaller text box two text boxes must
// share to overlap: 20 %, the threshold the rule catalog states.
const overlapMin = 0.20

// maxOverlapBoxes bounds the text boxes compared pairwise.
const maxOverlapBoxes = 3000

// runOverlap reports text drawn over other text: two visible, opaque text
// boxes that share more than 20 % of the smaller one's area, neither the
// other's ancestor, neither a caption or badge laid over media, and not a
// fixed or sticky bar over the content. One finding per visit: the pair
// with the largest overlap.
func runOverlap(p *Pass) {
	if !laidOut(p.Page) {
		return
	}
	tbs := p.Page.TextBoxes
	var idx []int
	for i, t := range tbs {
		if onScreen(t) && !t.Layered && !t.Fixed && !hairline(t) && t.Box.W > 0 && t.Box.H > 0 &&
			utf8.RuneCountInString(strings.TrimSpace(t.Text)) >= 2 && len(idx) < maxOverlapBoxes {
			idx = append(idx, i)
		}
	}
	sort.Slice(idx, func(a, b int) bool { return tbs[idx[a]].Box.Y < tbs[idx[b]].Box.Y })
	bestShare, bi, bj := 0.0, -1, -1
	for a := 0; a < len(idx); a++ {
		A := tbs[idx[a]].Box
		for b := a + 1; b < len(idx); b++ {
			B := tbs[idx[b]].Box
			if B.Y >= A.Y+A.H {
				break // sorted by top: no later box reaches A
			}
			share := lineOverlap(tbs[idx[a]], tbs[idx[b]])
			if share > overlapMin && share > bestShare && !related(tbs, idx[a], idx[b]) {
				bestShare, bi, bj = share, idx[a], idx[b]
			}
		}
	}
	if bi < 0 {
		return
	}
	x, y := tbs[bi], tbs[bj]
	p.Report("", x.Selector, M("layout.overlap", x.Text, y.Text, bestShare*100), map[string]any{
		"selectors": []string{x.Selector, y.Selector}, "texts": []string{x.Text, y.Text},
		"boxes": []any{boxEvidence(x.Box), boxEvidence(y.Box)}, "overlap_pct": round2(bestShare * 100),
		"box": boxEvidence(union(x.Box, y.Box)),
	})
}

// lineOverlap is the area two text elements' line boxes share, as a share
// of the smaller one's line area. Line boxes (cut to what their clipping
// ancestors show) rather than the rectangle around them: a title wrapped
// onto two lines does not cover the price beside its first line.
func lineOverlap(a, b crawler.TextBox) float64 {
	ra, rb := lineRects(a), lineRects(b)
	var shared, areaA, areaB float64
	for _, x := range ra {
		areaA += x.W * x.H
		for _, y := range rb {
			shared += intersection(x, y)
		}
	}
	for _, y := range rb {
		areaB += y.W * y.H
	}
	if m := math.Min(areaA, areaB); m > 0 {
		return shared / m
	}
	return 0
}

// lineRects are a text box's line boxes, or its box when the crawler gave
// none.
func lineRects(t crawler.TextBox) []crawler.Box {
	if len(t.Rects) > 0 {
		return t.Rects
	}
	return []crawler.Box{t.Box}
}

func intersection(a, b crawler.Box) float64 {
	w := math.Min(a.X+a.W, b.X+b.W) - math.Max(a.X, b.X)
	h := math.Min(a.Y+a.H, b.Y+b.H) - math.Max(a.Y, b.Y)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

func union(a, b crawler.Box) crawler.Box {
	x0, y0 := math.Min(a.X, b.X), math.Min(a.Y, b.Y)
	x1, y1 := math.Max(a.X+a.W, b.X+b.W), math.Max(a.Y+a.H, b.Y+b.H)
	return crawler.Box{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}
}

// related reports whether one text box's element is an ancestor of the
// other's (TextBox.Parent chains).
func related(tbs []crawler.TextBox, i, j int) bool {
	return ancestorOf(tbs, i, j) || ancestorOf(tbs, j, i)
}

func ancestorOf(tbs []crawler.TextBox, anc, i int) bool {
	for n := 0; n < len(tbs); n++ {
		parent := tbs[i].Parent - 1
		if parent < 0 || parent >= len(tbs) {
			return false
		}
		if parent == anc {
			return true
		}
		i = parent
	}
	return false
}

// minNavLinks is how many same-site links make a navigation (contract).
const minNavLinks = 3

// navLinks counts the distinct same-site links of a nav.
func navLinks(p *crawler.Page, n crawler.Nav) int {
	host := crawler.Host(p.FinalURL)
	seen := map[string]bool{}
	for _, l := range n.Links {
		if u := pagemodel.ResolveLink(p.FinalURL, l); u != "" && crawler.Host(u) == host {
			seen[u] = true
		}
	}
	return len(seen)
}

// runNavMissing reports a page without navigation: no nav, header link
// list or menu/category list with at least 3 same-site links (links of a
// menu hidden until hover or behind a hamburger count). An error on the
// home page, a warning elsewhere. When a candidate would have had enough
// links but some lead nowhere (#, javascript:), the message says so: the
// menu is there for the eye, yet a customer who clicks goes nowhere, which
// is what a QC person needs to be told rather than "no navigation".
func runNavMissing(p *Pass) {
	if !laidOut(p.Page) {
		return
	}
	best := 0
	var dead *crawler.Nav // the candidate with the most links, dead ones counted, that has dead ones
	deadLive := 0
	for i, n := range p.Page.Layout.Navs {
		live := navLinks(p.Page, n)
		best = max(best, live)
		if best >= minNavLinks {
			return
		}
		if n.Dead > 0 && (dead == nil || n.Dead+live > dead.Dead+deadLive) {
			dead, deadLive = &p.Page.Layout.Navs[i], live
		}
	}
	sev := SeverityWarning
	if p.Page.Kind == crawler.KindHome {
		sev = SeverityError
	}
	ev := map[string]any{"navs": len(p.Page.Layout.Navs), "most_links": best}
	if dead != nil && dead.Dead+deadLive >= minNavLinks {
		ev["nav"], ev["links"], ev["dead_links"], ev["dead_hrefs"] = dead.Selector, dead.Dead+deadLive, dead.Dead, dead.DeadHrefs
		ev["box"] = boxEvidence(dead.Box)
		// "all lead nowhere" and "4 lead nowhere" are two sentences.
		links := dead.Dead + deadLive
		msg := M("layout.nav-missing/dead", dead.Selector, links, dead.Dead, hrefList(dead.DeadHrefs), minNavLinks, best)
		if dead.Dead == links {
			msg = M("layout.nav-missing/dead-all", dead.Selector, links, hrefList(dead.DeadHrefs), minNavLinks, best)
		}
		p.Report(sev, "", msg, ev)
		return
	}
	p.Report(sev, "", M("layout.nav-missing", minNavLinks, best), ev)
}

// hrefList joins hrefs as written for a message, an empty one as "".
func hrefList(hrefs []string) string {
	out := make([]string, len(hrefs))
	for i, h := range hrefs {
		out[i] = h
		if h == "" {
			out[i] = `""`
		}
	}
	return strings.Join(out, ", ")
}

// runNavOverloaded reports the main navigation when it has more than
// layout.nav_max_items top-level items. The main navigation is the first
// visible nav element (else the first candidate) with 3 or more same-site
// links.
func runNavOverloaded(p *Pass) {
	if !laidOut(p.Page) {
		return
	}
	limit := p.Env.Layout.NavMaxItems
	var main *crawler.Nav
	for i := range p.Page.Layout.Navs {
		n := &p.Page.Layout.Navs[i]
		if navLinks(p.Page, *n) < minNavLinks {
			continue
		}
		if main == nil || (n.Kind == "nav" && n.Visible && !(main.Kind == "nav" && main.Visible)) {
			main = n
		}
	}
	if main == nil || limit <= 0 || main.TopItems <= limit {
		return
	}
	p.Report("", main.Selector, M("layout.nav-overloaded", main.TopItems, limit),
		map[string]any{"items": main.TopItems, "max_items": limit, "box": boxEvidence(main.Box)})
}

// Limits of layout.small-text: text under 12 CSS px, of at least 4
// characters, in either viewport (fine print and card tags at 9–11 px are
// as hard to read on a desktop as on a phone).
const (
	smallTextPx    = 12
	smallTextChars = 4
	smallExamples  = 5
)

// runSmallText reports, in each viewport, visible text of at least 4
// characters drawn under 12 CSS px: one finding per visit with the count
// and the smallest examples.
func runSmallText(p *Pass) {
	if !laidOut(p.Page) {
		return
	}
	var small []crawler.TextBox
	for _, t := range p.Page.TextBoxes {
		if onScreen(t) && t.FontSizePx > 0 && t.FontSizePx < smallTextPx &&
			utf8.RuneCountInString(strings.Join(strings.Fields(t.Text), "")) >= smallTextChars {
			small = append(small, t)
		}
	}
	if len(small) == 0 {
		return
	}
	sort.SliceStable(small, func(i, j int) bool { return small[i].FontSizePx < small[j].FontSizePx })
	var examples []map[string]any
	for _, t := range small[:min(len(small), smallExamples)] {
		examples = append(examples, map[string]any{"selector": t.Selector, "text": t.Text, "font_px": t.FontSizePx,
			"box": boxEvidence(t.Box)})
	}
	// The viewport's name ("desktop", "mobile") is the sweep's identifier
	// for it, quoted as is in either language.
	msg := M("layout.small-text",
		strconv.Itoa(len(small)), smallTextPx, p.Page.Viewport.Name, small[0].FontSizePx, small[0].Text)
	p.Report("", "", msg, map[string]any{
		"count": len(small), "min_px": smallTextPx, "examples": examples, "box": boxEvidence(small[0].Box),
	})
}

// onScreen reports whether a text box is drawn where a reader can see it:
// visible, not transparent, not wholly cut away by its clipping ancestors,
// and not moved off the page (text-indent: -9999px, left: -9999px: the
// image-replacement and screen-reader idioms hide text there on purpose).
func onScreen(t crawler.TextBox) bool {
	return t.Visible && !t.Transparent && !t.ClippedAway && t.Box.X+t.Box.W > 0 && t.Box.Y+t.Box.H > 0
}

// hairline reports whether every line of a text box is cut to at most
// 2 px on an axis: visually-hidden (sr-only) text in a 1 px clipped box,
// which is read out by screen readers and drawn over nothing.
func hairline(t crawler.TextBox) bool {
	if len(t.Rects) == 0 {
		return false
	}
	for _, r := range t.Rects {
		if r.W > 2 && r.H > 2 {
			return false
		}
	}
	return true
}

// titleOrPriceRE says from its class or id that an element holds a
// product title or price.
var titleOrPriceRE = regexp.MustCompile(`(?i)title|name|price|标题|价`)

// runClippedText reports a product title or price cut off by its box (the
// crawler found scroll size over client size under overflow hidden) that
// is not an intended ellipsis or line clamp, nor text hidden there on
// purpose (image replacement, sr-only: ClippedText.Concealed): a logo <h1>
// whose text is moved 9999 px off its box shows the logo, not a cut title.
// Titles and prices are told by class or id, by being the page's h1, or by
// the text being a price.
func runClippedText(p *Pass) {
	if !laidOut(p.Page) {
		return
	}
	h1 := ""
	if len(p.Page.Headings) > 0 {
		h1 = fingerprint.Excerpt(p.Page.Headings[0])
	}
	done := map[string]bool{}
	for _, c := range p.Page.Layout.Clipped {
		if c.Ellipsis || c.Concealed != "" || done[c.Selector] {
			continue
		}
		isPrice := false
		for _, pr := range cnprice.Find(c.Text) {
			isPrice = isPrice || pr.IsProductPrice()
		}
		if !titleOrPriceRE.MatchString(c.Hint) && !isPrice && (h1 == "" || fingerprint.Excerpt(c.Text) != h1) {
			continue
		}
		done[c.Selector] = true
		p.Report("", c.Selector, M("layout.clipped-text", c.Text,
			strconv.Itoa(c.ScrollW), strconv.Itoa(c.ScrollH), strconv.Itoa(c.ClientW), strconv.Itoa(c.ClientH)), map[string]any{
			"text": c.Text, "scroll": size(float64(c.ScrollW), float64(c.ScrollH)),
			"client": size(float64(c.ClientW), float64(c.ClientH)), "box": boxEvidence(c.Box),
		})
	}
}

// runPromoBelowFold reports each layout.above_fold selector whose first
// match is less than half inside the first viewport (the page at scroll
// top). Pages where a selector matches nothing are not judged for it.
func runPromoBelowFold(p *Pass) {
	if !laidOut(p.Page) {
		return
	}
	l := p.Page.Layout
	fold := float64(l.ViewportHeight)
	for _, sel := range p.Env.Layout.AboveFold {
		boxes := l.Selected[sel]
		if len(boxes) == 0 {
			continue
		}
		b := boxes[0]
		if b.H <= 0 {
			continue
		}
		inside := math.Max(0, math.Min(b.Y+b.H, fold)-math.Max(b.Y, 0)) / b.H
		if inside >= 0.5 {
			continue
		}
		p.Report("", sel, M("layout.promo-below-fold", sel,
			strconv.FormatFloat(b.Y, 'f', 0, 64), strconv.FormatFloat(fold, 'f', 0, 64), inside*100),
			map[string]any{"box": boxEvidence(b), "fold_px": fold, "visible_pct": round2(inside * 100)})
	}
}
