package adlaw

import (
	"strings"
	"unicode/utf8"
)

// sentenceMax is the most runes Sentence returns.
const sentenceMax = 120

func isStop(r rune) bool {
	switch r {
	case '。', '！', '？', '!', '?', '；', ';', '\n':
		return true
	}
	return false
}

func sentence(s string, start, end int) string {
	start = min(max(start, 0), len(s))
	end = min(max(end, start), len(s))
	for start > 0 && start < len(s) && !utf8.RuneStart(s[start]) {
		start--
	}
	for end < len(s) && !utf8.RuneStart(s[end]) {
		end++
	}
	budget := sentenceMax - utf8.RuneCountInString(s[start:end])
	if budget <= 0 {
		return collapse(truncate(s[start:end], sentenceMax))
	}
	// Runes available on each side before a sentence stop.
	left, a := 0, start
	for a > 0 && left < budget {
		r, n := utf8.DecodeLastRuneInString(s[:a])
		if isStop(r) {
			break
		}
		a -= n
		left++
	}
	right, b := 0, end
	for b < len(s) && right < budget {
		r, n := utf8.DecodeRuneInString(s[b:])
		if isStop(r) {
			break
		}
		b += n
		right++
	}
	// Share the budget evenly; a side that ends early gives its rest to the other.
	l := min(left, budget/2)
	r := min(right, budget-l)
	l = min(left, budget-r)
	for ; left > l; left-- {
		_, n := utf8.DecodeRuneInString(s[a:])
		a += n
	}
	for ; right > r; right-- {
		_, n := utf8.DecodeLastRuneInString(s[:b])
		b -= n
	}
	return collapse(s[a:b])
}

func truncate(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// collapse turns every run of whitespace into one space and trims the ends.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
