package checks

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// textBlock is the text of one block of the rendered page: the inline
// content of a block-level element up to the next nested block, whitespace
// collapsed, as one string (so split markup such as
// <span>¥</span><em>1,299</em><i>.00</i> reads "¥1,299.00"). Hidden runs
// are kept, marked: shown text drops them, content rules read them.
type textBlock struct {
	node *html.Node // the block element
	text string     // every run, hidden ones too
	runs []textRun  // byte ranges of text, in order, covering it

	// shown's result, computed on first use (the checks of a visit run one
	// after another, so no lock).
	shownText string
	shownRuns []textRun
	shownDone bool
	// amounts' result (price.go), parsed on first use.
	parsed      []shownPrice
	amountsDone bool
}

// textRun is a stretch of a block's text with the facts the browser
// computed for the element holding it (see crawler.Page.HTML).
type textRun struct {
	start, end int
	el         *html.Node // the element whose own text this is
	hidden     bool
	struck     bool
	fontSize   int // CSS px; 0 when unknown
}

// blockTags are the elements that start a new block of text. Inline
// elements (span, em, a, del …) join their parent's block whatever their
// computed display, so a flex row of spans still reads as one price.
var blockTags = map[string]bool{
	"html": true, "body": true, "div": true, "p": true, "li": true, "ul": true, "ol": true, "dl": true,
	"dt": true, "dd": true, "table": true, "thead": true, "tbody": true, "tfoot": true, "tr": true,
	"td": true, "th": true, "caption": true, "section": true, "article": true, "header": true,
	"footer": true, "nav": true, "aside": true, "main": true, "h1": true, "h2": true, "h3": true,
	"h4": true, "h5": true, "h6": true, "form": true, "fieldset": true, "legend": true, "figure": true,
	"figcaption": true, "blockquote": true, "pre": true, "address": true, "details": true,
	"summary": true, "dialog": true, "button": true, "option": true, "select": true, "textarea": true,
	"br": true, "hr": true, "template": true, "iframe": true, "video": true, "audio": true, "canvas": true,
}

// notText are elements whose content is never page text.
var notText = map[string]bool{
	"head": true, "script": true, "style": true, "noscript": true, "template": true, "svg": true,
	"math": true, "textarea": true, "select": true, "object": true, "iframe": true,
}

// pageText is the page's text, split into blocks, read once per visit.
type pageText struct {
	blocks []*textBlock
}

// Text returns the page's text blocks, parsed once and shared by every
// check of the visit.
func (p *Pass) Text() *pageText {
	p.doc.textOnce.Do(func() { p.doc.text = readText(p.Doc()) })
	return p.doc.text
}

// readText walks the document in order and cuts its text into blocks.
func readText(doc *goquery.Document) *pageText {
	t := &pageText{}
	var cur *textBlock
	flush := func() {
		if cur != nil && strings.TrimSpace(cur.text) != "" {
			cur.text = strings.TrimRight(cur.text, " ")
			if n := len(cur.runs); n > 0 && cur.runs[n-1].end > len(cur.text) {
				cur.runs[n-1].end = len(cur.text)
			}
			t.blocks = append(t.blocks, cur)
		}
		cur = nil
	}
	var walk func(n *html.Node, block *html.Node, facts textRun)
	walk = func(n *html.Node, block *html.Node, facts textRun) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				if cur == nil {
					cur = &textBlock{node: block}
				}
				cur.add(c.Data, facts)
			case html.ElementNode:
				tag := c.Data
				if notText[tag] {
					if blockTags[tag] {
						flush()
					}
					continue
				}
				f := elementFacts(c, facts)
				f.el = c
				if blockTags[tag] {
					flush()
					walk(c, c, f)
					flush()
					continue
				}
				walk(c, block, f)
			}
		}
	}
	for _, root := range doc.Nodes {
		walk(root, root, textRun{})
	}
	flush()
	return t
}

// elementFacts are the facts of text directly inside el: its own data-sc-*
// attributes when the crawler wrote them, else what it inherits.
func elementFacts(el *html.Node, inherited textRun) textRun {
	f := inherited
	own := false
	for _, a := range el.Attr {
		switch a.Key {
		case "data-sc-fs":
			f.fontSize, _ = strconv.Atoi(a.Val)
			own = true
		case "data-sc-hidden", "data-sc-struck":
			own = true
		}
	}
	if own {
		f.hidden, f.struck = hasAttr(el, "data-sc-hidden"), hasAttr(el, "data-sc-struck")
	}
	if hasAttr(el, "hidden") {
		f.hidden = true // the hidden attribute hides whatever the crawler saw
	}
	return f
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// add appends s with facts, collapsing whitespace across runs.
func (b *textBlock) add(s string, facts textRun) {
	start := len(b.text)
	var sb strings.Builder
	sb.WriteString(b.text)
	space := start == 0 || strings.HasSuffix(b.text, " ")
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' {
			if !space {
				sb.WriteByte(' ')
				space = true
			}
			continue
		}
		sb.WriteRune(r)
		space = false
	}
	b.text = sb.String()
	if len(b.text) == start {
		return
	}
	facts.start, facts.end = start, len(b.text)
	if n := len(b.runs); n > 0 {
		last := &b.runs[n-1]
		if last.el == facts.el && last.hidden == facts.hidden && last.struck == facts.struck &&
			last.fontSize == facts.fontSize && last.end == start {
			last.end = facts.end
			return
		}
	}
	b.runs = append(b.runs, facts)
}

// shown is the block's text without its hidden runs, and the runs of that
// text (offsets into the returned string).
func (b *textBlock) shown() (string, []textRun) {
	if !b.shownDone {
		b.shownText, b.shownRuns = b.computeShown()
		b.shownDone = true
	}
	return b.shownText, b.shownRuns
}

func (b *textBlock) computeShown() (string, []textRun) {
	allShown := true
	for _, r := range b.runs {
		if r.hidden {
			allShown = false
			break
		}
	}
	if allShown {
		return b.text, b.runs
	}
	var sb strings.Builder
	var runs []textRun
	for _, r := range b.runs {
		if r.hidden {
			continue
		}
		seg := b.text[r.start:r.end]
		if sb.Len() == 0 || strings.HasSuffix(sb.String(), " ") {
			seg = strings.TrimLeft(seg, " ") // the hidden run took the text between two spaces
		}
		if seg == "" {
			continue
		}
		nr := r
		nr.start = sb.Len()
		sb.WriteString(seg)
		nr.end = sb.Len()
		runs = append(runs, nr)
	}
	out := strings.TrimRight(sb.String(), " ")
	if n := len(runs); n > 0 && runs[n-1].end > len(out) {
		runs[n-1].end = len(out)
	}
	return out, runs
}

// struckRange reports whether most of the non-space runes of text[start:end]
// are drawn struck through.
func struckRange(text string, runs []textRun, start, end int) bool {
	var struck, all int
	for _, r := range runs {
		lo, hi := max(r.start, start), min(r.end, end)
		if lo >= hi {
			continue
		}
		n := utf8.RuneCountInString(strings.ReplaceAll(text[lo:hi], " ", ""))
		all += n
		if r.struck {
			struck += n
		}
	}
	return all > 0 && struck*2 > all
}

// fontSizeAt is the largest font size of the runs overlapping [start, end).
func fontSizeAt(runs []textRun, start, end int) int {
	fs := 0
	for _, r := range runs {
		if r.start < end && r.end > start {
			fs = max(fs, r.fontSize)
		}
	}
	return fs
}

// inside reports whether n is a descendant of (or is) anc.
func inside(n, anc *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == anc {
			return true
		}
	}
	return false
}

// closest returns the nearest ancestor of n (n included) for which ok is
// true, or nil.
func closest(n *html.Node, ok func(*html.Node) bool) *html.Node {
	for ; n != nil; n = n.Parent {
		if n.Type == html.ElementNode && ok(n) {
			return n
		}
	}
	return nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// collapse is s with every run of whitespace made one space, trimmed.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
