package cndate

import "unicode/utf8"

// text is the input folded to one spelling per symbol (full-width digits
// and punctuation to ASCII, dash and space variants to one rune each),
// with the byte offset of every rune so results point into the original.
type text struct {
	r   []rune
	off []int // off[i] is the byte offset of r[i]; off[len(r)] == len(s)
}

func newText(s string) *text {
	n := utf8.RuneCountInString(s)
	t := &text{r: make([]rune, 0, n), off: make([]int, 0, n+1)}
	for i, c := range s {
		t.r = append(t.r, fold(c))
		t.off = append(t.off, i)
	}
	t.off = append(t.off, len(s))
	return t
}

func fold(c rune) rune {
	if c >= '０' && c <= '９' {
		return c - '０' + '0'
	}
	switch c {
	case '：':
		return ':'
	case '－', '‐', '‑', '–', '−', '﹣':
		return '-'
	case '／':
		return '/'
	case '．':
		return '.'
	case '～', '〜', '∼':
		return '~'
	case '―', '─', '━':
		return '—'
	case '￥':
		return '¥'
	case '％':
		return '%'
	case '\u3000', '\u00a0', '\t':
		return ' '
	}
	return c
}

func (t *text) at(i int) rune {
	if i < 0 || i >= len(t.r) {
		return 0
	}
	return t.r[i]
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
	for j := i; j < len(t.r) && isDigit(t.r[j]); j++ {
		if n < 9 {
			v = v*10 + int(t.r[j]-'0')
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
