package cnprice

import (
	"slices"

	"github.com/storecheck/storecheck/checks/textfold"
)

// folding is what the price grammar reads as one symbol: full-width ASCII
// as ASCII, ￥ as ¥, ASCII letters in lower case, every kind of space and
// line break as ' ', dashes as '-', wave dashes as '~', ∶ as ':'.
const folding = textfold.Width | textfold.Lower | textfold.Yen | textfold.Spaces |
	textfold.LineBreaks | textfold.Hyphens | textfold.Dashes | textfold.Tildes | textfold.Colon

// text is the input folded for matching; Off maps rune indexes back to
// the caller's bytes.
type text struct{ textfold.Text }

func newText(s string) text { return text{textfold.New(s, folding)} }

// at is the rune at i, 0 outside the text.
func (t text) at(i int) rune {
	if i >= 0 && i < len(t.R) {
		return t.R[i]
	}
	return 0
}

// has reports whether w starts at i.
func (t text) has(i int, w []rune) bool {
	if i < 0 || i+len(w) > len(t.R) {
		return false
	}
	for k, r := range w {
		if t.R[i+k] != r {
			return false
		}
	}
	return true
}

// hasBefore reports whether w ends at j and starts no earlier than lo.
func (t text) hasBefore(j int, w []rune, lo int) bool {
	return j-len(w) >= lo && t.has(j-len(w), w)
}

// longestAt is the index in ws of the longest word starting at i, -1 when
// none; ws is sorted longest first.
func (t text) longestAt(i int, ws [][]rune) int {
	for k, w := range ws {
		if t.has(i, w) {
			return k
		}
	}
	return -1
}

// skipSpaces skips at most max spaces from i.
func (t text) skipSpaces(i, max int) int {
	for n := 0; n < max && t.at(i) == ' '; n++ {
		i++
	}
	return i
}

// skipNumberRun skips the digits, commas and points from i, so that a
// number that failed as a whole is not retried from its middle.
func (t text) skipNumberRun(i int) int {
	for i < len(t.R) && (isDigit(t.R[i]) || t.R[i] == ',' || t.R[i] == '.') {
		i++
	}
	return i
}

func isDigit(r rune) bool  { return r >= '0' && r <= '9' }
func isLetter(r rune) bool { return r >= 'a' && r <= 'z' }

// numberStart reports whether a number may start at i: not inside a word
// or another number ("iPhone15", "1299" after "1.", "400-820-8820").
func (t text) numberStart(i int) bool {
	p := t.at(i - 1)
	return isDigit(t.at(i)) && !isDigit(p) && !isLetter(p) && p != '.' && p != '-' && p != '/'
}

const (
	maxIntDigits  = 10 // ¥9,999,999,999; longer runs are ids and phone numbers
	maxFracDigits = 4
)

var pow10 = [...]float64{1, 10, 100, 1e3, 1e4}

// number reads a decimal at i: digits, thousands groups (1,299), and a
// fraction that may be split from them by spaces ("1,299 .00"). digits is
// the count of integer digits; ok is false when no number starts at i or
// it is too long to be an amount.
func (t text) number(i int) (v float64, end, digits int, ok bool) {
	var whole int64
	j := i
	for j < len(t.R) && isDigit(t.R[j]) {
		if digits++; digits > maxIntDigits {
			return 0, 0, 0, false
		}
		whole = whole*10 + int64(t.R[j]-'0')
		j++
	}
	if digits == 0 {
		return 0, 0, 0, false
	}
	if digits <= 3 {
		// Thousands groups are exactly three digits each: "1,299" but not
		// "满300,减40" nor "1,29".
		for t.at(j) == ',' && isDigit(t.at(j+1)) && isDigit(t.at(j+2)) && isDigit(t.at(j+3)) && !isDigit(t.at(j+4)) {
			if digits += 3; digits > maxIntDigits {
				return 0, 0, 0, false
			}
			whole = whole*1000 + int64(t.R[j+1]-'0')*100 + int64(t.R[j+2]-'0')*10 + int64(t.R[j+3]-'0')
			j += 4
		}
	}
	k := t.skipSpaces(j, 2)
	if t.at(k) == '.' && isDigit(t.at(k+1)) {
		k++
		n := 0
		for k < len(t.R) && isDigit(t.R[k]) {
			if n++; n > maxFracDigits {
				return 0, 0, 0, false
			}
			whole = whole*10 + int64(t.R[k]-'0')
			k++
		}
		if t.at(k) == '.' && isDigit(t.at(k+1)) { // 2026.11.11, v1.2.3
			return 0, 0, 0, false
		}
		return float64(whole) / pow10[n], k, digits, true
	}
	return float64(whole), j, digits, true
}

// words turns strings into folded rune slices, longest first, so that
// longestAt and friends find "建议零售价" before "零售价".
func words(ss ...string) [][]rune {
	out := make([][]rune, len(ss))
	for i, s := range ss {
		out[i] = []rune(s)
	}
	slices.SortStableFunc(out, func(a, b []rune) int { return len(b) - len(a) })
	return out
}
