package textfold

import (
	"slices"
	"testing"
)

func TestRune(t *testing.T) {
	tests := []struct {
		name string
		f    Fold
		in   string
		want string
	}{
		{"zero folds nothing", 0, "ＴＯＰ１ A\t\n￥—", "ＴＯＰ１ A\t\n￥—"},
		{"width", Width, "ＴＯＰ１（％）～", "TOP1(%)~"},
		{"width keeps case", Width, "Ａａ", "Aa"},
		{"width leaves the rest", Width, "￥\u3000—〜", "￥\u3000—〜"},
		{"width numeric", WidthNumeric, "２０２６／１１．１１ ２０：００～％", "2026/11.11 20:00~%"},
		{"width numeric keeps letters and brackets", WidthNumeric, "ＡＭ（周三），", "ＡＭ（周三），"},
		{"lower", Lower, "TOP1 Best", "top1 best"},
		{"lower after width", Width | Lower, "ＴＯＰ", "top"},
		{"lower alone leaves full width", Lower, "ＴＯＰ", "ＴＯＰ"},
		{"yen", Yen, "￥99 ¥99", "¥99 ¥99"},
		{"spaces", Spaces, "a\u3000b\u00a0c\td\ne", "a b c d\ne"},
		{"line breaks", LineBreaks, "a\nb\rc\vd\fe\tf", "a b c d e\tf"},
		{"hyphens", Hyphens, "a‐b‑c–d−e﹣f‒g—h", "a-b-c-d-e-f‒g—h"},
		{"dashes", Dashes, "a‒b—c–d―e", "a-b-c–d―e"},
		{"bars", Bars, "a―b─c━d—e", "a—b—c—d—e"},
		{"bars with dashes", Bars | Dashes, "a―b─c━d—e", "a-b-c-d-e"},
		{"tildes", Tildes, "a〜b∼c～d", "a~b~c～d"},
		{"colon", Colon, "20∶00：", "20:00："},
		{"CJK untouched", Width | Lower | Yen | Spaces | LineBreaks | Hyphens | Dashes | Bars | Tildes | Colon, "最便宜的价格", "最便宜的价格"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(tt.f.String(tt.in)); got != tt.want {
				t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		f    Fold
		want string
		off  []int
	}{
		{"empty", "", Width, "", []int{0}},
		{"ascii", "Ab", Lower, "ab", []int{0, 1, 2}},
		{"mixed widths", "价Ｔ1", Width | Lower, "价t1", []int{0, 3, 6, 7}},
		{"invalid UTF-8 is one rune per bad byte", "a\xff\xfeb", 0, "a\ufffd\ufffdb", []int{0, 1, 2, 3, 4}},
		{"four-byte rune", "😀Ａ", Width, "😀A", []int{0, 4, 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check := func(how string, got Text) {
				t.Helper()
				if string(got.R) != tt.want || !slices.Equal(got.Off, tt.off) {
					t.Errorf("%s(%q) = %q %v, want %q %v", how, tt.in, string(got.R), got.Off, tt.want, tt.off)
				}
				for i := range got.R {
					if r := []rune(tt.in[got.Off[i]:got.Off[i+1]]); len(r) != 1 || tt.f.Rune(r[0]) != got.R[i] {
						t.Errorf("%s(%q): rune %d does not fold from bytes [%d:%d]", how, tt.in, i, got.Off[i], got.Off[i+1])
					}
				}
			}
			check("New", New(tt.in, tt.f))
			reused := New("some earlier, longer text", 0)
			reused.Reset(tt.in, tt.f)
			check("Reset", reused)
		})
	}
}
