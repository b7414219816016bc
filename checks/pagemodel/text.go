package pagemodel

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// Source says where a piece of text was read: the page's DOM, or a picture
// (OCR). Text rules judge every source with the same code.
type Source string

// Sources of text.
const (
	SourcePage  Source = "page"  // the rendered DOM's text
	SourceImage Source = "image" // text read from a picture (Model.PictureBlocks)
)

// Block is the text of one block of the rendered page: the inline content
// of a block-level element up to the next nested block, whitespace
// collapsed, as one string (so split markup such as
// <span>¥</span><em>1,299</em><i>.00</i> reads "¥1,299.00"). Hidden runs
// are kept, marked: Shown drops them, content rules read them.
type Block struct {
	Node   *html.Node // the block element
	Source Source
	Text   string // every run, hidden ones too
	Runs   []Run  // byte ranges of Text, in order, covering it
	// Shown is Text without its hidden runs; ShownRuns are its runs, with
	// offsets into Shown.
	Shown     string
	ShownRuns []Run
	// Prices are the amounts of Shown as its own text labels them.
	Prices []Price
	// Picture says where text with source image was read; nil for page
	// text.
	Picture *PictureText
}

// Run is a stretch of a block's text with the facts the browser computed
// for the element holding it (see crawler.Page.HTML).
type Run struct {
	Start, End int
	El         *html.Node // the element whose own text this is
	Hidden     bool
	Struck     bool
	FontSize   int // CSS px; 0 when unknown
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

// readBlocks walks the document in order and cuts its text into blocks.
func readBlocks(doc *goquery.Document) []*Block {
	var blocks []*Block
	var cur *Block
	flush := func() {
		if cur != nil && strings.TrimSpace(cur.Text) != "" {
			cur.Text = strings.TrimRight(cur.Text, " ")
			if n := len(cur.Runs); n > 0 && cur.Runs[n-1].End > len(cur.Text) {
				cur.Runs[n-1].End = len(cur.Text)
			}
			cur.Shown, cur.ShownRuns = cur.computeShown()
			blocks = append(blocks, cur)
		}
		cur = nil
	}
	var walk func(n *html.Node, block *html.Node, facts Run)
	walk = func(n *html.Node, block *html.Node, facts Run) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				if cur == nil {
					cur = &Block{Node: block, Source: SourcePage}
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
				f.El = c
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
		walk(root, root, Run{})
	}
	flush()
	return blocks
}

// elementFacts are the facts of text directly inside el: its own data-sc-*
// attributes when the crawler wrote them, else what it inherits.
func elementFacts(el *html.Node, inherited Run) Run {
	f := inherited
	own := false
	for _, a := range el.Attr {
		switch a.Key {
		case "data-sc-fs":
			f.FontSize, _ = strconv.Atoi(a.Val)
			own = true
		case "data-sc-hidden", "data-sc-struck":
			own = true
		}
	}
	if own {
		f.Hidden, f.Struck = hasAttr(el, "data-sc-hidden"), hasAttr(el, "data-sc-struck")
	}
	if hasAttr(el, "hidden") {
		f.Hidden = true // the hidden attribute hides whatever the crawler saw
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
func (b *Block) add(s string, facts Run) {
	start := len(b.Text)
	var sb strings.Builder
	sb.WriteString(b.Text)
	space := start == 0 || strings.HasSuffix(b.Text, " ")
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
	b.Text = sb.String()
	if len(b.Text) == start {
		return
	}
	facts.Start, facts.End = start, len(b.Text)
	if n := len(b.Runs); n > 0 {
		last := &b.Runs[n-1]
		if last.El == facts.El && last.Hidden == facts.Hidden && last.Struck == facts.Struck &&
			last.FontSize == facts.FontSize && last.End == start {
			last.End = facts.End
			return
		}
	}
	b.Runs = append(b.Runs, facts)
}

// computeShown is the block's text without its hidden runs, and the runs
// of that text (offsets into the returned string).
func (b *Block) computeShown() (string, []Run) {
	allShown := true
	for _, r := range b.Runs {
		if r.Hidden {
			allShown = false
			break
		}
	}
	if allShown {
		return b.Text, b.Runs
	}
	var sb strings.Builder
	var runs []Run
	for _, r := range b.Runs {
		if r.Hidden {
			continue
		}
		seg := b.Text[r.Start:r.End]
		if sb.Len() == 0 || strings.HasSuffix(sb.String(), " ") {
			seg = strings.TrimLeft(seg, " ") // the hidden run took the text between two spaces
		}
		if seg == "" {
			continue
		}
		nr := r
		nr.Start = sb.Len()
		sb.WriteString(seg)
		nr.End = sb.Len()
		runs = append(runs, nr)
	}
	out := strings.TrimRight(sb.String(), " ")
	if n := len(runs); n > 0 && runs[n-1].End > len(out) {
		runs[n-1].End = len(out)
	}
	return out, runs
}

// StruckRange reports whether most of the non-space runes of
// text[start:end] are drawn struck through.
func StruckRange(text string, runs []Run, start, end int) bool {
	var struck, all int
	for _, r := range runs {
		lo, hi := max(r.Start, start), min(r.End, end)
		if lo >= hi {
			continue
		}
		n := utf8.RuneCountInString(strings.ReplaceAll(text[lo:hi], " ", ""))
		all += n
		if r.Struck {
			struck += n
		}
	}
	return all > 0 && struck*2 > all
}

// FontSizeAt is the largest font size of the runs overlapping [start, end).
func FontSizeAt(runs []Run, start, end int) int {
	fs := 0
	for _, r := range runs {
		if r.Start < end && r.End > start {
			fs = max(fs, r.FontSize)
		}
	}
	return fs
}

// ShownText is the text of n a shopper sees (hidden runs, scripts and
// buttons left out), whitespace-collapsed.
func ShownText(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node, facts Run)
	walk = func(n *html.Node, facts Run) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				if !facts.Hidden {
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
	walk(n, elementFacts(n, Run{}))
	return Collapse(b.String())
}
