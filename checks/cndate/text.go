package cndate

import (
	"unicode/utf8"

	"github.com/storecheck/storecheck/checks/textfold"
)

// folding gives one spelling per symbol the date grammar reads: full-width
// digits and date signs as ASCII, dash, tilde and space variants as one rune
// each, ￥ as ¥. Line breaks stay (a line break ends a date), and so do
// full-width letters and brackets.
const folding = textfold.WidthNumeric | textfold.Yen | textfold.Spaces |
	textfold.Hyphens | textfold.Bars | textfold.Tildes

// text is the input folded for matching; Off maps rune indexes back to
// the original bytes (Off[len(R)] == len(s)).
type text struct{ textfold.Text }

func newText(s string) *text { return &text{textfold.New(s, folding)} }

func (t *text) at(i int) rune {
	if i < 0 || i >= len(t.R) {
		return 0
	}
	return t.R[i]
}

func isDigit(c rune) bool { return c >= '0' && c <= '9' }

func isASCIILetter(c rune) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// maxSpace bounds every run of spaces the grammar skips, so a date and a
// time (or the two ends of a range) must sit close together; newlines are
// not spaces: a line break ends a date.
const maxSpace = 3

// space returns the index after at most maxSpace spaces from i.
func (t *text) space(i int) int {
	for n := 0; n < maxSpace && t.at(i) == ' '; n++ {
		i++
	}
	return i
}

// spaceBack returns the index before at most maxSpace spaces ending at i,
// never going below lo.
func (t *text) spaceBack(i, lo int) int {
	for n := 0; n < maxSpace && i-1 >= lo && t.at(i-1) == ' '; n++ {
		i--
	}
	return i
}

// num reads the digit run at i; v is exact when n <= 9.
func (t *text) num(i int) (v, n int) {
	for j := i; j < len(t.R) && isDigit(t.R[j]); j++ {
		if n < 9 {
			v = v*10 + int(t.R[j]-'0')
		}
		n++
	}
	return v, n
}

// has reports whether word is at i.
func (t *text) has(i int, word string) bool {
	for _, c := range word {
		if t.at(i) != c {
			return false
		}
		i++
	}
	return true
}

// hasBefore reports whether word ends at i and starts at or after lo.
func (t *text) hasBefore(i, lo int, word string) (start int, ok bool) {
	n := utf8.RuneCountInString(word)
	if i-n < lo {
		return 0, false
	}
	if !t.has(i-n, word) {
		return 0, false
	}
	return i - n, true
}

// prefix returns the first of words at i and the index after it.
func (t *text) prefix(i int, words []string) (end int, word string, ok bool) {
	for _, w := range words {
		if t.has(i, w) {
			return i + utf8.RuneCountInString(w), w, true
		}
	}
	return i, "", false
}
