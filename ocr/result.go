package ocr

import (
	"image"
	"strings"
	"unicode"
)

// Word is one word (for Chinese usually one character) as Tesseract read it.
type Word struct {
	Text string          `json:"text"`
	Box  image.Rectangle `json:"box"`  // in the picture's pixels
	Conf float64         `json:"conf"` // 0–100
}

// Line is one line of text: its words in reading order.
type Line struct {
	Text  string          `json:"text"` // the words joined: no space between CJK characters
	Box   image.Rectangle `json:"box"`  // union of the words' boxes, picture pixels
	Words []Word          `json:"words"`
}

// Result is what a Reader read from one picture.
type Result struct {
	// Lines are the lines read, top to bottom; none for a picture without
	// text.
	Lines []Line `json:"lines"`
	// Regions are the parts of the picture sent to Tesseract (picture
	// pixels); empty when the detector found no text and nothing was read.
	Regions []image.Rectangle `json:"regions,omitempty"`
}

// MinConf is the lowest confidence of the line's words; 0 for no words.
func (l Line) MinConf() float64 {
	if len(l.Words) == 0 {
		return 0
	}
	m := l.Words[0].Conf
	for _, w := range l.Words[1:] {
		m = min(m, w.Conf)
	}
	return m
}

// JoinWords joins words as a reader would write them: a space between two
// Latin words, none where either side is a CJK character (Tesseract splits
// Chinese text into one word per character).
func JoinWords(words []Word) string {
	var b strings.Builder
	for i, w := range words {
		if i > 0 && !isCJKEdge(words[i-1].Text, true) && !isCJKEdge(w.Text, false) {
			b.WriteByte(' ')
		}
		b.WriteString(w.Text)
	}
	return b.String()
}

// isCJKEdge reports whether s ends (last) or starts (!last) with a Han
// character or full-width punctuation.
func isCJKEdge(s string, last bool) bool {
	r := []rune(s)
	if len(r) == 0 {
		return false
	}
	c := r[0]
	if last {
		c = r[len(r)-1]
	}
	return unicode.Is(unicode.Han, c) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef)
}
