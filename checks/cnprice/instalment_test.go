package cnprice

import (
	"fmt"
	"strings"
	"testing"
)

func TestFindPlans(t *testing.T) {
	tests := []struct {
		in   string
		want string // "per×n[ free][ from][ =total] «text»" per plan, joined by "; "
	}{
		{"¥433×3期", "433×3 «¥433×3期»"},
		{"¥433 × 3 期 免息", "433×3 free «¥433 × 3 期 免息»"},
		{"￥４３３．３３＊３期", "433.33×3 «￥４３３．３３＊３期»"},
		{"99.9元 x 10 期", "99.9×10 «99.9元 x 10 期»"},
		{"¥99.9X10期", "99.9×10 «¥99.9X10期»"},
		{"¥99.9✕10期（免息）", "99.9×10 free «¥99.9✕10期（免息）»"},
		{"¥83.25/期×12期", "83.25×12 «¥83.25/期×12期»"},
		{"10期×¥99.9", "99.9×10 «10期×¥99.9»"},
		{"10×¥99.9 = ¥999 免息", "99.9×10 free =999 «10×¥99.9 = ¥999 免息»"},
		{"花呗分期 3×¥433", "433×3 «3×¥433»"},
		{"分3期 每期¥433", "433×3 «分3期 每期¥433»"},
		{"分３期，每期仅需¥433.00", "433×3 «分３期，每期仅需¥433.00»"},
		{"12期免息，每期83.25元", "83.25×12 free «12期免息，每期83.25元»"},
		{"免息分12期 每期¥83.25", "83.25×12 free «分12期 每期¥83.25»"},
		{"分十二期 每期¥83.25", "83.25×12 «分十二期 每期¥83.25»"},
		{"每期¥83.25起（分12期）", "83.25×12 from «每期¥83.25起（分12期）»"},
		{"每期低至¥83.25 分12期", "83.25×12 from «每期低至¥83.25 分12期»"},
		{"低至¥83.25×12期", "83.25×12 from «¥83.25×12期»"},
		{"月供¥333×3期", "333×3 «月供¥333×3期»"},
		{"每期¥433 共3期", "433×3 «每期¥433 共3期»"},
		{"花呗：3期免息 ¥433×3期 | 6期 ¥220×6期", "433×3 free «¥433×3期»; 220×6 «¥220×6期»"},
		{"¥433×3期 免息 ¥12.99/100g", "433×3 free «¥433×3期 免息»"},
		{"¥1,299.00 或 ¥433×3期", "433×3 «¥433×3期»"},

		// Not instalment offers.
		{"¥99×2件", ""},
		{"2×¥99 = ¥198", ""},
		{"433×3期", ""},    // no currency
		{"月供¥333起", ""},   // no count
		{"¥433/期", ""},    // no count
		{"¥433×1期", ""},   // one payment is no plan
		{"¥433×100期", ""}, // not a count of payments
		{"第3期 每期¥433", "433×3 «3期 每期¥433»"}, // the count still reads
		{"每期手续费¥4.33 分3期", ""},
		{"2026年11月11日", ""},
		{"规格 30cm×50cm", ""},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range FindPlans(tt.in) {
			s := fmt.Sprintf("%g×%d", p.Per, p.N)
			if p.InterestFree {
				s += " free"
			}
			if p.From {
				s += " from"
			}
			if p.Total != 0 {
				s += fmt.Sprintf(" =%g", p.Total)
			}
			s += " «" + p.Text + "»"
			if tt.in[p.Start:p.End] != p.Text {
				t.Errorf("%q: offsets %d-%d do not give %q", tt.in, p.Start, p.End, p.Text)
			}
			got = append(got, s)
		}
		if g := strings.Join(got, "; "); g != tt.want {
			t.Errorf("FindPlans(%q) = %q, want %q", tt.in, g, tt.want)
		}
	}
}

func FuzzFindPlans(f *testing.F) {
	for _, s := range []string{"¥433×3期 免息", "分3期 每期¥433", "每期¥83.25起（分12期）", "10×¥99.9 = ¥999 免息"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		prev := 0
		for _, p := range FindPlans(s) {
			if p.Start < prev || p.End <= p.Start || p.End > len(s) || s[p.Start:p.End] != p.Text {
				t.Fatalf("%q: bad span %d-%d after %d", s, p.Start, p.End, prev)
			}
			if p.N < minCount || p.N > maxCount || p.Per <= 0 {
				t.Fatalf("%q: bad plan %+v", s, p)
			}
			prev = p.End
		}
	})
}

// TestFindInstalmentAmounts: the payment and the stated total of a plan
// are not product prices, whatever form the plan takes.
func TestFindInstalmentAmounts(t *testing.T) {
	for _, s := range []string{"10×¥99.9 = ¥999 免息", "分3期 每期¥433", "¥433×3期", "12期免息，每期83.25元"} {
		for _, p := range Find(s) {
			if p.IsProductPrice() {
				t.Errorf("Find(%q): %q is a %s price", s, p.Text, p.Kind)
			}
		}
	}
}
