// Package adlaw finds the absolute and exaggerated terms that article 9(3)
// of the PRC Advertising Law bans (最高级 / 最佳 / 国家级 …), as listed in
// terms.txt with their sources. Longest match wins; ordinal and time words
// (最后, 第一次 …) are not claims; brand names and configured words are
// exempt.
package adlaw

// Match is one banned term found in a text.
type Match struct {
	Term  string // the term as listed ("全网最低价")
	Text  string // the matched text as written (case may differ for Latin)
	Start int    // byte offsets in the input
	End   int
}

// List is a set of banned terms with its exemptions. Build it once; it is
// safe for concurrent use.
type List struct{ impl *matcher }

// Default returns the built-in list (terms.txt).
func Default() *List { return defaultList() }

// With returns a copy of l with extra terms banned and allow terms (and
// every term containing one of them where the allowed word covers the match,
// e.g. a brand name) exempt.
func (l *List) With(extra, allow []string) *List { return l.with(extra, allow) }

// Find returns the banned terms in s, in order, longest match first at each
// position, with no two matches overlapping.
func (l *List) Find(s string) []Match { return l.find(s) }

// Sentence returns the sentence of s around the byte range [start, end):
// cut at 。！？!?；;\n and at most 120 characters, whitespace collapsed.
func Sentence(s string, start, end int) string { return sentence(s, start, end) }
