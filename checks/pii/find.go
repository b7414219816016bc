package pii

import (
	"slices"
	"strings"
	"sync"

	"github.com/storecheck/storecheck/checks/textfold"
)

// Decisions the package doc leaves open:
//   - A number glued to a Latin letter (SKU13812345678, 13812345678X) is a
//     product or order code, not a phone; so is one glued to a digit, to
//     '*' (a masked neighbour), or joined to more digits by '-' or '.'
//     (021-13812345678, 13812345678-01, 138-1234-5678-9012). A space does
//     not join: "138 1234 5678 139 1234 5678" is two numbers, and missing a
//     phone costs more than flagging a rare space-grouped code.
//   - A country code counts only when marked: +86, (+86), 0086 or 86 followed
//     by a space or dash. A bare 13-digit run "8613812345678" is a code.
//   - Full-width digits and signs (１３８…, ＋８６) are read as ASCII; Digits
//     is always ASCII.

// folding reads full-width digits and signs (１３８…, ＋８６) as ASCII.
const folding = textfold.Width

// textPool holds the folded inputs of finished finds for reuse.
var textPool = sync.Pool{New: func() any { return new(textfold.Text) }}

func isDigit(r rune) bool  { return r >= '0' && r <= '9' }
func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// isSep reports whether r may separate digit groups (138 1234 5678,
// 138-1234-5678).
func isSep(r rune) bool { return r == ' ' || r == '-' || r == 0xA0 || r == 0x3000 }

// joins reports whether r between two digits makes them one number.
func joins(r rune) bool { return r == '-' || r == '.' }

// glued reports whether r next to a number makes it part of a code or a
// masked number rather than a number of its own.
func glued(r rune) bool { return isDigit(r) || isLetter(r) || r == '*' }

// pattern is how a number may be written: group sizes, separated (when more
// than one) by the same separator rune.
type pattern []int

var (
	mobilePatterns = []pattern{{11}, {3, 4, 4}}
	idPatterns     = []pattern{{18}, {6, 8, 4}}
)

func find(s string) []Match {
	t := textPool.Get().(*textfold.Text)
	defer textPool.Put(t)
	t.Reset(s, folding)
	rs := t.R

	var out []Match
	var buf [18]byte
	for i := 0; i < len(rs); i++ {
		if !isDigit(rs[i]) {
			continue
		}
		if start, end, d, ok := matchID(rs, i, buf[:0]); ok {
			out = append(out, newMatch(ResidentID, string(d), t.Off[start], t.Off[end]))
			i = end - 1
			continue
		}
		if start, end, d, ok := matchMobile(rs, i, buf[:0]); ok {
			out = append(out, newMatch(Mobile, string(d), t.Off[start], t.Off[end]))
			i = end - 1
		}
	}
	return out
}

func newMatch(k Kind, digits string, start, end int) Match {
	return Match{Kind: k, Digits: digits, Masked: mask(k, digits), Start: start, End: end}
}

// read reads pattern p from rs[i:], appending the digits to d. The last
// character may be X (upper-cased in d) when allowX.
func read(rs []rune, i int, p pattern, allowX bool, d []byte) (end int, _ []byte, ok bool) {
	var sep rune
	total := 0
	for _, n := range p {
		total += n
	}
	j := i
	for g, n := range p {
		if g > 0 {
			if j >= len(rs) || !isSep(rs[j]) || (sep != 0 && rs[j] != sep) {
				return 0, d, false
			}
			sep = rs[j]
			j++
		}
		for range n {
			if j >= len(rs) {
				return 0, d, false
			}
			switch r := rs[j]; {
			case isDigit(r):
				d = append(d, byte(r))
			case allowX && len(d) == total-1 && (r == 'X' || r == 'x'):
				d = append(d, 'X')
			default:
				return 0, d, false
			}
			j++
		}
	}
	return j, d, true
}

// freeLeft reports whether the number starting at rune i stands on its own
// on the left.
func freeLeft(rs []rune, i int) bool {
	if i == 0 {
		return true
	}
	p := rs[i-1]
	if glued(p) {
		return false
	}
	return !(joins(p) && i >= 2 && isDigit(rs[i-2]))
}

// freeRight reports whether the number ending before rune e stands on its
// own on the right.
func freeRight(rs []rune, e int) bool {
	if e == len(rs) {
		return true
	}
	n := rs[e]
	if glued(n) {
		return false
	}
	return !(joins(n) && e+1 < len(rs) && isDigit(rs[e+1]))
}

func matchMobile(rs []rune, i int, d []byte) (start, end int, _ []byte, ok bool) {
	if rs[i] != '1' || i+1 >= len(rs) || rs[i+1] < '3' || rs[i+1] > '9' {
		return 0, 0, d, false
	}
	start = i
	if ps, ok := countryCode(rs, i); ok && freeLeft(rs, ps) {
		start = ps
	} else if !freeLeft(rs, i) {
		return 0, 0, d, false
	}
	for _, p := range mobilePatterns {
		e, digits, ok := read(rs, i, p, false, d[:0])
		if ok && freeRight(rs, e) {
			return start, e, digits, true
		}
	}
	return 0, 0, d, false
}

// countryCodes are the ways +86 is written before a number, folded;
// the bare ones need a separator after them.
var countryCodes = []struct {
	code    []rune
	needSep bool
}{
	{[]rune("(+86)"), false},
	{[]rune("(86)"), false},
	{[]rune("+86"), false},
	{[]rune("0086"), true},
	{[]rune("86"), true},
}

// countryCode returns where a country code written just before rune i
// starts.
func countryCode(rs []rune, i int) (int, bool) {
	j := i
	if j > 0 && isSep(rs[j-1]) {
		j--
	}
	for _, c := range countryCodes {
		if c.needSep && j == i {
			continue
		}
		k := j - len(c.code)
		if k >= 0 && slices.Equal(rs[k:j], c.code) {
			return k, true
		}
	}
	return 0, false
}

func matchID(rs []rune, i int, d []byte) (start, end int, _ []byte, ok bool) {
	if rs[i] == '0' || !freeLeft(rs, i) {
		return 0, 0, d, false
	}
	for _, p := range idPatterns {
		e, digits, ok := read(rs, i, p, true, d[:0])
		if ok && freeRight(rs, e) && validID(digits) {
			return i, e, digits, true
		}
	}
	return 0, 0, d, false
}

// idWeights and idCheck are GB 11643-1999's ISO 7064 MOD 11-2 check.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheck = "10X98765432"

// validID reports whether d (17 digits and a digit or X) has an area code
// not starting with 0, a real birth date in 1900–2100, and a valid check
// character.
func validID(d []byte) bool {
	if len(d) != 18 || d[0] == '0' {
		return false
	}
	sum := 0
	for i, w := range idWeights {
		if !isDigit(rune(d[i])) {
			return false
		}
		sum += int(d[i]-'0') * w
	}
	if idCheck[sum%11] != d[17] {
		return false
	}
	return validDate(atoi(d[6:10]), atoi(d[10:12]), atoi(d[12:14]))
}

func atoi(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}

func validDate(y, m, d int) bool {
	if y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// mask keeps the first 3 and last 4 of a mobile number and the first 6 and
// last 4 of an ID number, starring the rest; a number too short to keep
// anything is all stars.
func mask(k Kind, digits string) string {
	rs := []rune(digits)
	head, tail := 3, 4
	if k == ResidentID {
		head = 6
	} else if k != Mobile {
		head, tail = 0, 0
	}
	if len(rs) <= head+tail {
		return strings.Repeat("*", len(rs))
	}
	return string(rs[:head]) + strings.Repeat("*", len(rs)-head-tail) + string(rs[len(rs)-tail:])
}

func normalize(s string) string {
	var d []byte
	for _, r := range s {
		r = folding.Rune(r)
		switch {
		case isDigit(r):
			d = append(d, byte(r))
		case (r == 'X' || r == 'x') && len(d) == 17:
			d = append(d, 'X')
		}
	}
	for _, cc := range []string{"0086", "86"} {
		if len(d) == len(cc)+11 && string(d[:len(cc)]) == cc && isMobile(d[len(cc):]) {
			return string(d[len(cc):])
		}
	}
	return string(d)
}

func isMobile(d []byte) bool { return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9' }
