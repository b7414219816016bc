package cndate

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func seed(f *testing.F) {
	for _, tt := range dateTests {
		f.Add(tt.in)
	}
	for _, tt := range windowTests {
		f.Add(tt.in)
	}
	for _, tt := range countdownTests {
		f.Add(tt.in)
	}
	for _, tt := range targetTests {
		f.Add(tt.in)
	}
}

// span checks what every result promises about its offsets.
func span(t *testing.T, s, what, text string, start, end, prevStart int) {
	t.Helper()
	if start < 0 || end > len(s) || start > end {
		t.Fatalf("%s %q: offsets %d..%d out of 0..%d", what, text, start, end, len(s))
	}
	if start < prevStart {
		t.Fatalf("%s %q at %d: before the previous result at %d", what, text, start, prevStart)
	}
	// Boundaries as range decodes s: a stray byte of broken UTF-8 is a
	// rune of its own.
	onRune := func(i int) bool {
		if i == len(s) {
			return true
		}
		for j := range s {
			if j == i {
				return true
			}
		}
		return false
	}
	if !onRune(start) || !onRune(end) {
		t.Fatalf("%s %q: offsets %d..%d not on rune boundaries", what, text, start, end)
	}
	if s[start:end] != text {
		t.Fatalf("%s: Text %q, input[%d:%d] = %q", what, text, start, end, s[start:end])
	}
}

func checkDate(t *testing.T, s string, d Date) {
	t.Helper()
	span(t, s, "date", d.Text, d.Start, d.End, 0)
	if d.Invalid != "" && !d.Time.IsZero() {
		t.Fatalf("date %q: Invalid %q but Time %v", d.Text, d.Invalid, d.Time)
	}
	if d.Invalid == "" && d.Time.IsZero() {
		t.Fatalf("date %q: valid but zero Time", d.Text)
	}
}

func FuzzDates(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, s string) {
		prev := 0
		for _, d := range Dates(s, ctx) {
			checkDate(t, s, d)
			span(t, s, "date", d.Text, d.Start, d.End, prev)
			prev = d.Start
		}
	})
}

func FuzzWindows(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, s string) {
		prev := 0
		for _, w := range Windows(s, ctx) {
			span(t, s, "window", w.Text, w.Start, w.End, prev)
			prev = w.End // windows do not overlap
			if w.From == nil && w.To == nil {
				t.Fatalf("window %q: neither end", w.Text)
			}
			for _, d := range []*Date{w.From, w.To} {
				if d == nil {
					continue
				}
				checkDate(t, s, *d)
				if d.Start < w.Start || d.End > w.End {
					t.Fatalf("window %q %d..%d: date %q %d..%d outside", w.Text, w.Start, w.End, d.Text, d.Start, d.End)
				}
			}
		}
	})
}

func FuzzCountdowns(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, s string) {
		prev := 0
		for _, c := range Countdowns(s, ctx) {
			span(t, s, "countdown", c.Text, c.Start, c.End, prev)
			prev = c.End
			if c.Left < 0 {
				t.Fatalf("countdown %q: Left %v", c.Text, c.Left)
			}
			if d := c.Target; d != nil {
				span(t, s, "target", d.Text, d.Start, d.End, 0)
				if d.Time.IsZero() || d.Invalid != "" {
					t.Fatalf("countdown %q: target %+v", c.Text, *d)
				}
			}
		}
	})
}

// TestLinear feeds 100 KB of the runes the grammar cares about; a parser
// that backtracks over them would take minutes. The bound is far above
// what a linear parser needs on a slow, busy machine under the race
// detector (0.3 s each here, 2.7 s with -race beside a sweep; 1 s was
// crossed in a clean-clone run): it catches backtracking, not a slow day.
// BenchmarkWindows and its siblings measure the speed.
func TestLinear(t *testing.T) {
	alphabet := []string{"1", "2", "0", "9", "月", "日", "号", ".", "-", ":", "/", " ", "至", "年", "点", "剩", "天", "截止",
		"双", "距", "倒计时", "还有", "6", "8", "货节", "狂欢"}
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for b.Len() < 100<<10 {
		b.WriteString(alphabet[r.IntN(len(alphabet))])
	}
	inputs := []string{b.String(), strings.Repeat("1", 100<<10), strings.Repeat("1.", 50<<10), strings.Repeat("11月", 30<<10),
		strings.Repeat("11-", 30<<10), strings.Repeat("仅剩", 30<<10), "距" + strings.Repeat("距结束", 30<<10),
		strings.Repeat("双11倒计时", 20<<10), strings.Repeat("距11.11", 20<<10), strings.Repeat("2025年", 20<<10)}
	for _, s := range inputs {
		start := time.Now()
		Dates(s, ctx)
		Windows(s, ctx)
		Countdowns(s, ctx)
		Festivals(s, ctx)
		if d := time.Since(start); d > 30*time.Second {
			t.Errorf("%d bytes starting %q took %v", len(s), s[:12], d)
		}
	}
}

// promo is a realistic 2 KB block of shop copy.
var promo = strings.Repeat(`【双11狂欢节】活动时间：2026年11月1日 00:00 至 11月11日 23:59，即日起至10月31日预定享定金膨胀。`+
	`11.11 当天付款享5折，前1小时下单再减¥11.11！11/11 20:00 开抢，仅剩3天，倒计时 1天 02:03:04。`+
	`3-5天发货，100%正品，尺码30/40，客服电话0571-8888-1234。`, 6)

func BenchmarkWindows(b *testing.B) {
	b.SetBytes(int64(len(promo)))
	for b.Loop() {
		Windows(promo, ctx)
	}
}

func BenchmarkFestivals(b *testing.B) {
	b.SetBytes(int64(len(promo)))
	for b.Loop() {
		Festivals(promo, ctx)
	}
}

func BenchmarkCountdowns(b *testing.B) {
	b.SetBytes(int64(len(promo)))
	for b.Loop() {
		Countdowns(promo, ctx)
	}
}

func FuzzFestivals(f *testing.F) {
	seed(f)
	for _, tt := range festivalTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		prev := 0
		for _, m := range Festivals(s, ctx) {
			span(t, s, "festival", m.Text, m.Start, m.End, prev)
			prev = m.End
			if m.Last.Before(m.First) || m.First.IsZero() {
				t.Fatalf("festival %q: days %v..%v", m.Text, m.First, m.Last)
			}
		}
	})
}
