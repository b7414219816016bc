// Package textfold folds text rune by rune for matching (full-width forms to
// ASCII, case, space and dash variants to one rune each) and keeps the byte
// offset of every rune, so a match found in folded runes maps back to the
// caller's bytes.
//
// Folding maps one rune to one rune: rune i of the folded text is rune i of
// the input, and no rune is dropped or split.
package textfold

import "unicode/utf8"

// Fold is a set of foldings; the zero Fold leaves every rune as it is.
// Each package that matches text picks the set its grammar needs.
type Fold uint16

const (
	// Width folds the full-width ASCII forms U+FF01–U+FF5E (１２９９，（％ＴＯＰ)
	// to ASCII.
	Width Fold = 1 << iota
	// WidthNumeric folds only the full-width digits and the signs that write
	// dates and times (０–９ ： － ／ ． ～ ％) to ASCII; full-width letters and
	// other punctuation stay. Width includes it.
	WidthNumeric
	// Lower folds ASCII A–Z to a–z, after Width (Ｔ becomes t).
	Lower
	// Yen folds the full-width yen sign ￥ (U+FFE5) to ¥ (U+00A5).
	Yen
	// Spaces folds the ideographic space U+3000, no-break space U+00A0 and
	// tab to ' '.
	Spaces
	// LineBreaks folds \n \r \v \f to ' '; without it a line break stays a
	// line break, for grammars where it ends a phrase.
	LineBreaks
	// Hyphens folds ‐ ‑ – − ﹣ (U+2010 U+2011 U+2013 U+2212 U+FE63) to '-'.
	Hyphens
	// Dashes folds the figure dash ‒ and em dash — (U+2012 U+2014) to '-'.
	Dashes
	// Bars folds the horizontal bar ― and box-drawing lines ─ ━
	// (U+2015 U+2500 U+2501) to the em dash — (U+2014), which stays an em
	// dash unless Dashes is set too (then all of them become '-').
	Bars
	// Tildes folds the wave dash 〜 and tilde operator ∼ (U+301C U+223C) to
	// '~'; the full-width ～ is Width's (or WidthNumeric's).
	Tildes
	// Colon folds the ratio sign ∶ (U+2236) to ':'.
	Colon
)

// Rune folds one rune.
func (f Fold) Rune(r rune) rune {
	if r < utf8.RuneSelf {
		switch {
		case r >= 'A' && r <= 'Z':
			if f&Lower != 0 {
				return r + 'a' - 'A'
			}
		case r == '\t':
			if f&Spaces != 0 {
				return ' '
			}
		case r == '\n' || r == '\r' || r == '\v' || r == '\f':
			if f&LineBreaks != 0 {
				return ' '
			}
		}
		return r
	}
	if r >= 0xFF01 && r <= 0xFF5E {
		if f&Width != 0 || f&WidthNumeric != 0 && numeric(r) {
			r -= 0xFEE0
			if f&Lower != 0 && r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
		}
		return r
	}
	switch r {
	case '￥':
		if f&Yen != 0 {
			return '¥'
		}
	case '\u3000', '\u00a0':
		if f&Spaces != 0 {
			return ' '
		}
	case '\u2010', '\u2011', '\u2013', '\u2212', '\ufe63':
		if f&Hyphens != 0 {
			return '-'
		}
	case '\u2012', '\u2014':
		if f&Dashes != 0 {
			return '-'
		}
	case '\u2015', '\u2500', '\u2501':
		if f&Bars != 0 {
			if f&Dashes != 0 {
				return '-'
			}
			return '\u2014'
		}
	case '\u301c', '\u223c':
		if f&Tildes != 0 {
			return '~'
		}
	case '\u2236':
		if f&Colon != 0 {
			return ':'
		}
	}
	return r
}

// numeric reports whether the full-width rune r is one WidthNumeric folds.
func numeric(r rune) bool {
	switch r {
	case '：', '－', '／', '．', '～', '％':
		return true
	}
	return r >= '０' && r <= '９'
}

// String folds s into runes, one per rune of s.
func (f Fold) String(s string) []rune {
	rs := []rune(s)
	for i, r := range rs {
		rs[i] = f.Rune(r)
	}
	return rs
}

// Text is a string folded rune by rune, with the byte offset of every rune.
type Text struct {
	// R is the folded runes, one per rune of the input; invalid UTF-8 reads
	// as U+FFFD, one rune per bad byte.
	R []rune
	// Off[i] is the byte offset in the input of rune i; Off[len(R)] is the
	// input's length, so s[Off[i]:Off[j]] is the input under runes [i, j).
	Off []int
}

// New folds s with f.
func New(s string, f Fold) Text {
	n := utf8.RuneCountInString(s)
	t := Text{R: make([]rune, 0, n), Off: make([]int, 0, n+1)}
	t.fill(s, f)
	return t
}

// Reset refolds t from s with f, reusing t's storage (for callers that pool
// Texts).
func (t *Text) Reset(s string, f Fold) {
	t.R, t.Off = t.R[:0], t.Off[:0]
	t.fill(s, f)
}

func (t *Text) fill(s string, f Fold) {
	for i, r := range s {
		t.R = append(t.R, f.Rune(r))
		t.Off = append(t.Off, i)
	}
	t.Off = append(t.Off, len(s))
}
