package pagemodel

import (
	"image"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/ocr"
)

// Picture is the text the sweep read from one picture of the visit (OCR),
// handed to Build with the page. The sweep reads each distinct picture
// once; Image is its first occurrence in document order.
type Picture struct {
	Image *crawler.Image // the picture as the crawler recorded it: URL, selector, box
	Lines []ocr.Line     // what was read, in the picture's pixels
}

// PictureText says where a block read from a picture was read.
type PictureText struct {
	// URL is the picture's URL (ImageURL of Image).
	URL   string
	Image *crawler.Image
	// Box is the picture on the page, CSS px of the full page.
	Box crawler.Box
	// Line is the block's text in the picture, in the picture's pixels.
	Line image.Rectangle
	// Conf is the lowest confidence of the block's words, 0–100.
	Conf float64
	// CutBefore and CutAfter say that words read under min_confidence
	// stand right before or after the block on its line: what they say
	// (领券立减 before an amount, 起 after it) is unknown.
	CutBefore, CutAfter bool
	// All is the confident text of the whole picture, its blocks joined by
	// a space: a banner's date line is promotional when another line of
	// the same banner says 大促.
	All string
}

// readPictures turns what was read from the visit's pictures into blocks
// of text with source image: one block per stretch of a line whose words
// are all read with at least minConf confidence. A word under it is never
// judged, and it splits its line rather than joining the words around it
// into text the picture may not say. A block's Node is the picture's
// element in the rendered DOM (the <img>, or the element with the CSS
// background), so the rules place it as they place page text; the <body>
// when the crawler's selector finds nothing.
func readPictures(doc *goquery.Document, pics []Picture, minConf float64) []*Block {
	var out []*Block
	var fallback *html.Node
	if b := doc.Find("body"); b.Length() > 0 {
		fallback = b.Nodes[0]
	} else if len(doc.Nodes) > 0 {
		fallback = doc.Nodes[0]
	}
	for _, pic := range pics {
		if pic.Image == nil {
			continue
		}
		node := fallback
		if sel := pic.Image.Selector; sel != "" {
			if s := findSelector(doc, sel); s != nil {
				node = s
			}
		}
		var blocks []*Block
		for _, l := range pic.Lines {
			for _, st := range confidentStretches(l.Words, minConf) {
				seg := l.Words[st.from:st.to]
				text := Collapse(ocr.JoinWords(seg))
				if text == "" {
					continue
				}
				box, conf := seg[0].Box, seg[0].Conf
				for _, w := range seg[1:] {
					box, conf = box.Union(w.Box), min(conf, w.Conf)
				}
				run := Run{Start: 0, End: len(text), El: node}
				blk := &Block{Node: node, Source: SourceImage, Text: text, Runs: []Run{run}, Shown: text,
					ShownRuns: []Run{run}}
				blk.Picture = &PictureText{URL: ImageURL(pic.Image), Image: pic.Image, Box: pic.Image.Box, Line: box, Conf: conf,
					CutBefore: st.from > 0, CutAfter: st.to < len(l.Words)}
				blk.Prices = blk.amounts()
				blocks = append(blocks, blk)
			}
		}
		all := make([]string, len(blocks))
		for i, b := range blocks {
			all[i] = b.Shown
		}
		for _, b := range blocks {
			b.Picture.All = strings.Join(all, " ")
		}
		out = append(out, blocks...)
	}
	return out
}

// findSelector is the first element of doc matching the crawler's
// selector; nil when it matches none or does not parse.
func findSelector(doc *goquery.Document, sel string) (n *html.Node) {
	defer func() {
		if recover() != nil { // goquery panics on a selector it cannot compile
			n = nil
		}
	}()
	if s := doc.Find(sel); s.Length() > 0 {
		return s.Nodes[0]
	}
	return nil
}

// stretch is a run of a line's words, [from, to).
type stretch struct{ from, to int }

// confidentStretches are the runs of consecutive words with at least
// minConf confidence.
func confidentStretches(words []ocr.Word, minConf float64) []stretch {
	var out []stretch
	start := -1
	for i, w := range words {
		ok := w.Conf >= minConf && strings.TrimSpace(w.Text) != ""
		switch {
		case ok && start < 0:
			start = i
		case !ok && start >= 0:
			out = append(out, stretch{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, stretch{start, len(words)})
	}
	return out
}
