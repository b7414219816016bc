package cnprice

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// boundaries marks the byte offsets a decoder stops at, invalid bytes
// included, so that offsets can be checked on any input.
func boundaries(s string) []bool {
	b := make([]bool, len(s)+1)
	for i := 0; i < len(s); {
		b[i] = true
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n
	}
	b[len(s)] = true
	return b
}

// checkSpan fails t unless [start, end) is a non-empty, ordered span of s
// on rune boundaries that holds text.
func checkSpan(t *testing.T, s string, bound []bool, prevEnd, start, end int, text string) {
	t.Helper()
	if start < prevEnd || start >= end || end > len(s) {
		t.Fatalf("%q: span [%d,%d) after %d is out of order or out of range", s, start, end, prevEnd)
	}
	if !bound[start] || !bound[end] {
		t.Fatalf("%q: span [%d,%d) splits a rune", s, start, end)
	}
	if s[start:end] != text {
		t.Fatalf("%q: Text %q is not s[%d:%d] = %q", s, text, start, end, s[start:end])
	}
}

func FuzzFind(f *testing.F) {
	for _, tc := range findTests {
		f.Add(tc.in)
	}
	for _, tc := range discountTests {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		bound := boundaries(s)
		prev := 0
		for _, p := range Find(s) {
			checkSpan(t, s, bound, prev, p.Start, p.End, p.Text)
			prev = p.End
			if !(p.Value >= 0) || (p.Max != 0 && !(p.Max >= p.Value)) {
				t.Fatalf("%q: bad value %v max %v", s, p.Value, p.Max)
			}
			if p.Label != "" && !strings.Contains(p.Text, p.Label) {
				t.Fatalf("%q: label %q outside text %q", s, p.Label, p.Text)
			}
		}
	})
}

func FuzzFindDiscounts(f *testing.F) {
	for _, tc := range discountTests {
		f.Add(tc.in)
	}
	for _, tc := range findTests {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		bound := boundaries(s)
		prev := 0
		for _, d := range FindDiscounts(s) {
			checkSpan(t, s, bound, prev, d.Start, d.End, d.Text)
			prev = d.End
			if !(d.Rate >= 0 && d.Rate < 1) || !(d.Amount >= 0) || !(d.Threshold >= 0) {
				t.Fatalf("%q: bad discount %+v", s, d)
			}
			if (d.Kind == Zhe || d.Kind == PercentOff) != (d.Rate > 0) {
				t.Fatalf("%q: rate %v on a %s", s, d.Rate, d.Kind)
			}
		}
	})
}

// TestLargeInput guards against super-linear scanning: 100 KB of digits,
// currency signs and separators must parse in well under a second. The
// bound is loose so that -race and a busy machine do not trip it; a
// quadratic scan takes minutes here.
func TestLargeInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"¥", "1", "2", "9", ",", ".", " ", "-", "元", "满", "减", "折", "%"}
	var b strings.Builder
	for b.Len() < 100_000 {
		b.WriteString(alphabet[rng.IntN(len(alphabet))])
	}
	inputs := map[string]string{
		"mixed":  b.String(),
		"digits": strings.Repeat("1", 100_000),
		"signs":  strings.Repeat("¥", 50_000),
		"pairs":  strings.Repeat("¥1", 50_000),
		"spaces": "¥" + strings.Repeat(" ", 100_000) + "1",
		"groups": "¥1" + strings.Repeat(",000", 25_000),
		"labels": strings.Repeat("原价 ", 30_000) + "¥1",
	}
	for name, s := range inputs {
		start := time.Now()
		Find(s)
		FindDiscounts(s)
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: %v for %d bytes", name, d, len(s))
		}
	}
}
