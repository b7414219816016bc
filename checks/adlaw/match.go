package adlaw

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/storecheck/storecheck/checks/textfold"
)

//go:embed terms.txt
var termsTxt string

var defaultOnce = sync.OnceValue(func() *List {
	terms, rules := parseTerms(termsTxt)
	return &List{impl: newMatcher(terms, rules, nil)}
})

func defaultList() *List { return defaultOnce() }

// rule says a match ending in key is not a claim when the text right after
// it starts with one of words (see terms.txt).
type rule struct {
	key   []rune // folded
	words [][]rune
	// skipSpace lets whitespace sit between key and word ("100% 棉"); only
	// for keys ending in ASCII, where copy puts spaces between tokens.
	skipSpace bool
}

// parseTerms reads the terms.txt format: terms, "key | w1 w2" rules,
// "#" comments and blank lines.
func parseTerms(src string) (terms []string, rules []rule) {
	for line := range strings.Lines(src) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, words, ok := strings.Cut(line, "|")
		if !ok {
			terms = append(terms, line)
			continue
		}
		r := rule{key: foldString(strings.TrimSpace(key))}
		for _, w := range strings.Fields(words) {
			r.words = append(r.words, foldString(w))
		}
		if n := len(r.key); n > 0 && r.key[n-1] < utf8.RuneSelf {
			r.skipSpace = true
		}
		rules = append(rules, r)
	}
	return terms, rules
}

// folding makes TOP1, top1 and ＴＯＰ１ one term. It maps one rune to one
// rune, so rune positions in folded text are positions in the input.
const folding = textfold.Width | textfold.Lower

func foldString(s string) []rune { return folding.String(s) }

func isASCIIAlnum(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

// trie is a rune trie; node 0 is the root. first is a bitset of the runes
// below U+10000 that start a word, so most text runes are rejected with one
// load.
type trie struct {
	nodes  []trieNode
	first  [1 << 16 / 64]uint64
	maxLen int // runes in the longest word
}

type trieNode struct {
	next map[rune]int32
	word int32 // 1 + index of the word ending here; 0 when none
}

func newTrie() *trie { return &trie{nodes: []trieNode{{}}} }

// add inserts the folded word w as word number idx; it reports false when
// w is empty or already present (the first one listed wins).
func (t *trie) add(w []rune, idx int) bool {
	if len(w) == 0 {
		return false
	}
	n := int32(0)
	for _, r := range w {
		nx, ok := t.nodes[n].next[r]
		if !ok {
			if t.nodes[n].next == nil {
				t.nodes[n].next = make(map[rune]int32)
			}
			nx = int32(len(t.nodes))
			t.nodes = append(t.nodes, trieNode{})
			t.nodes[n].next[r] = nx
		}
		n = nx
	}
	if t.nodes[n].word != 0 {
		return false
	}
	t.nodes[n].word = int32(idx) + 1
	if w[0] < 1<<16 {
		t.first[w[0]/64] |= 1 << (w[0] % 64)
	}
	t.maxLen = max(t.maxLen, len(w))
	return true
}

func (t *trie) mayStart(r rune) bool {
	if r < 1<<16 {
		return t.first[r/64]&(1<<(r%64)) != 0
	}
	_, ok := t.nodes[0].next[r]
	return ok
}

func (t *trie) empty() bool { return len(t.nodes) == 1 }

// matcher is the compiled form of a List.
type matcher struct {
	terms  []string // as listed, indexed by trie word number
	folded [][]rune
	rules  []rule
	// termRules[i] are the rules whose key term i ends in.
	termRules [][]int
	t         *trie
	allow     []string
	at        *trie // allowed words
}

func newMatcher(terms []string, rules []rule, allow []string) *matcher {
	m := &matcher{rules: rules, t: newTrie(), at: newTrie()}
	for _, term := range terms {
		term = strings.TrimSpace(term)
		f := foldString(term)
		if !m.t.add(f, len(m.terms)) {
			continue
		}
		m.terms = append(m.terms, term)
		m.folded = append(m.folded, f)
		var rs []int
		for i, r := range rules {
			if hasSuffix(f, r.key) {
				rs = append(rs, i)
			}
		}
		m.termRules = append(m.termRules, rs)
	}
	for _, a := range allow {
		a = strings.TrimSpace(a)
		if m.at.add(foldString(a), len(m.allow)) {
			m.allow = append(m.allow, a)
		}
	}
	return m
}

func hasSuffix(s, suffix []rune) bool {
	if len(suffix) == 0 || len(suffix) > len(s) {
		return false
	}
	return hasPrefix(s[len(s)-len(suffix):], suffix)
}

func hasPrefix(s, prefix []rune) bool {
	if len(prefix) > len(s) {
		return false
	}
	for i, r := range prefix {
		if s[i] != r {
			return false
		}
	}
	return true
}

func (l *List) with(extra, allow []string) *List {
	m := l.impl
	terms := append(append([]string(nil), m.terms...), extra...)
	allows := append(append([]string(nil), m.allow...), allow...)
	return &List{impl: newMatcher(terms, m.rules, allows)}
}

// textPool holds the folded inputs of finished finds for reuse.
var textPool = sync.Pool{New: func() any { return new(textfold.Text) }}

func (l *List) find(s string) []Match {
	m := l.impl
	t := textPool.Get().(*textfold.Text)
	defer textPool.Put(t)
	t.Reset(s, folding)
	rs := t.R

	var out []Match
	type cand struct{ end, word int32 }
	var buf [8]cand
	for i := 0; i < len(rs); {
		if !m.t.mayStart(rs[i]) {
			i++
			continue
		}
		cands := buf[:0]
		n := int32(0)
		for j := i; j < len(rs); j++ {
			nx, ok := m.t.nodes[n].next[rs[j]]
			if !ok {
				break
			}
			n = nx
			if w := m.t.nodes[n].word; w != 0 {
				cands = append(cands, cand{int32(j + 1), w - 1})
			}
		}
		next := i + 1
		for k := len(cands) - 1; k >= 0; k-- {
			e, w := int(cands[k].end), int(cands[k].word)
			if !m.accept(rs, i, e, w) {
				continue
			}
			out = append(out, Match{
				Term:  m.terms[w],
				Text:  s[t.Off[i]:t.Off[e]],
				Start: t.Off[i],
				End:   t.Off[e],
			})
			next = e
			break
		}
		i = next
	}
	return out
}

// accept reports whether term w found at runes [i, e) is a claim: a Latin
// term is not glued to other letters or digits (TOP10, laptop1), no
// exception rule applies, and no allowed word covers it.
func (m *matcher) accept(rs []rune, i, e, w int) bool {
	f := m.folded[w]
	if isASCIIAlnum(f[0]) && i > 0 && isASCIIAlnum(rs[i-1]) {
		return false
	}
	if isASCIIAlnum(f[len(f)-1]) && e < len(rs) && isASCIIAlnum(rs[e]) {
		return false
	}
	for _, ri := range m.termRules[w] {
		r := &m.rules[ri]
		j := e
		if r.skipSpace {
			for j < len(rs) && isSpace(rs[j]) {
				j++
			}
		}
		for _, word := range r.words {
			if hasPrefix(rs[j:], word) {
				return false
			}
		}
	}
	return !m.allowed(rs, i, e)
}

// allowed reports whether an allowed word occurs over runes [i, e).
func (m *matcher) allowed(rs []rune, i, e int) bool {
	if m.at.empty() || e-i > m.at.maxLen {
		return false
	}
	for p := i; p >= 0 && p > e-m.at.maxLen-1; p-- {
		if !m.at.mayStart(rs[p]) {
			continue
		}
		n := int32(0)
		for j := p; j < len(rs); j++ {
			nx, ok := m.at.nodes[n].next[rs[j]]
			if !ok {
				break
			}
			n = nx
			if j+1 >= e && m.at.nodes[n].word != 0 {
				return true
			}
		}
	}
	return false
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x85, 0xA0, 0x3000:
		return true
	}
	return false
}
