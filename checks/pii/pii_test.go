package pii

import (
	"fmt"
	"strings"
	"testing"
)

// withCheck appends the GB 11643-1999 check character to 17 digits.
func withCheck(d17 string) string {
	sum := 0
	for i, c := range d17 {
		sum += int(c-'0') * idWeights[i]
	}
	return d17 + string(idCheck[sum%11])
}

// badCheck returns d17 with a wrong check character.
func badCheck(d17 string) string {
	good := withCheck(d17)
	for _, c := range "0123456789X" {
		if c != rune(good[17]) {
			return d17 + string(c)
		}
	}
	panic("unreachable")
}

var (
	idX     = "11010519491231002X" // the standard's own example
	idA     = withCheck("44030419900307123")
	idB     = withCheck("32010220000229456") // leap day
	idLower = strings.ToLower(idX)
)

// findCases are inputs and the matches expected, each as "kind:digits@text".
var findCases = []struct {
	name string
	in   string
	want []string
}{
	// Mobile numbers as written.
	{"plain", "13812345678", []string{"mobile:13812345678@13812345678"}},
	{"after label", "电话：13812345678", []string{"mobile:13812345678@13812345678"}},
	{"spaces", "手机 138 1234 5678 联系", []string{"mobile:13812345678@138 1234 5678"}},
	{"dashes", "138-1234-5678", []string{"mobile:13812345678@138-1234-5678"}},
	{"+86 space", "+86 13812345678", []string{"mobile:13812345678@+86 13812345678"}},
	{"+86 glued", "+8613812345678", []string{"mobile:13812345678@+8613812345678"}},
	{"86-", "86-13812345678", []string{"mobile:13812345678@86-13812345678"}},
	{"(+86)", "(+86)13812345678", []string{"mobile:13812345678@(+86)13812345678"}},
	{"full-width (+86)", "（＋86）13812345678", []string{"mobile:13812345678@（＋86）13812345678"}},
	{"+86 grouped", "+86 138 1234 5678", []string{"mobile:13812345678@+86 138 1234 5678"}},
	{"0086", "0086 13812345678", []string{"mobile:13812345678@0086 13812345678"}},
	{"full-width digits", "１３８１２３４５６７８", []string{"mobile:13812345678@１３８１２３４５６７８"}},
	{"199", "19912345678", []string{"mobile:19912345678@19912345678"}},
	{"two", "联系13912345678或15012345678。", []string{"mobile:13912345678@13912345678", "mobile:15012345678@15012345678"}},
	{"before full stop", "号码13812345678.", []string{"mobile:13812345678@13812345678"}},
	{"space then digit is a new number", "共2件 13812345678 3天", []string{"mobile:13812345678@13812345678"}},
	{"two space-grouped", "138 1234 5678 139 1234 5678", []string{"mobile:13812345678@138 1234 5678", "mobile:13912345678@139 1234 5678"}},

	// Not mobile numbers.
	{"12 prefix", "12812345678", nil},
	{"10 digits", "1381234567", nil},
	{"12 digits", "138123456789", nil},
	{"order number", "订单号：202401011381234567890", nil},
	{"15 digits", "138123456781234", nil},
	{"bare 86 run", "8613812345678", nil},
	{"SKU letter before", "SKU13812345678", nil},
	{"letter after", "13812345678A", nil},
	{"masked stars", "138****5678", nil},
	{"masked x", "138xxxx5678", nil},
	{"masked full-width stars", "138＊＊＊＊5678", nil},
	{"star neighbour", "*13812345678", nil},
	{"hotline", "客服热线 400-820-6618", nil},
	{"landline", "021-12345678", nil},
	{"short number", "95588 95533", nil},
	{"area code dash", "010-13812345678", nil},
	{"extension", "13812345678-01", nil},
	{"decimal", "3.13812345678", nil},
	{"dash-grouped continues", "138-1234-5678-9012", nil},
	{"dash-grouped continues left", "6222-138-1234-5678", nil},
	{"mixed separators", "138-1234 5678", nil},

	// Resident ID numbers.
	{"ID with X", "身份证" + idX, []string{"resident-id:" + idX + "@" + idX}},
	{"ID with digit", idA, []string{"resident-id:" + idA + "@" + idA}},
	{"ID leap day", idB, []string{"resident-id:" + idB + "@" + idB}},
	{"ID lower x", idLower, []string{"resident-id:" + idX + "@" + idLower}},
	{"ID grouped", "110105 19491231 002X", []string{"resident-id:" + idX + "@110105 19491231 002X"}},
	{"ID and mobile", idA + "，13812345678", []string{"resident-id:" + idA + "@" + idA, "mobile:13812345678@13812345678"}},
	{"ID bad check", badCheck(idA[:17]), nil},
	{"ID 19990230", withCheck("11010519990230123"), nil},
	{"ID 19000229", withCheck("11010519000229123"), nil},
	{"ID 18991231", withCheck("11010518991231123"), nil},
	{"ID 21010101", withCheck("11010521010101123"), nil},
	{"ID month 13", withCheck("11010519901301123"), nil},
	{"ID area 0", withCheck("01010519900101123"), nil},
	{"ID masked", "110105********002X", nil},
	{"ID in longer run", "9" + idA, nil},
	{"ID in longer run right", idA + "7", nil},
	{"ID letter after", idA + "B", nil},
	{"bank card", "6222021234567890123", nil},
}

func TestFind(t *testing.T) {
	for _, tc := range findCases {
		t.Run(tc.name, func(t *testing.T) {
			got := Find(tc.in)
			checkMatches(t, tc.in, got)
			var gotS []string
			for _, m := range got {
				gotS = append(gotS, fmt.Sprintf("%s:%s@%s", m.Kind, m.Digits, tc.in[m.Start:m.End]))
			}
			if fmt.Sprint(gotS) != fmt.Sprint(tc.want) {
				t.Errorf("Find(%q) = %q, want %q", tc.in, gotS, tc.want)
			}
		})
	}
}

// checkMatches checks what every result holds: offsets in order, the digits
// valid for the kind, and Masked showing only the kept digits.
func checkMatches(t *testing.T, s string, ms []Match) {
	t.Helper()
	prev := 0
	for _, m := range ms {
		if m.Start < prev || m.End <= m.Start || m.End > len(s) {
			t.Fatalf("Find(%q): bad offsets %+v after %d", s, m, prev)
		}
		prev = m.End
		if got := Normalize(s[m.Start:m.End]); got != m.Digits {
			t.Fatalf("Find(%q): Normalize(%q) = %q, Digits %q", s, s[m.Start:m.End], got, m.Digits)
		}
		head, tail := 3, 4
		switch m.Kind {
		case Mobile:
			if !isMobile([]byte(m.Digits)) {
				t.Fatalf("Find(%q): not a mobile: %+v", s, m)
			}
		case ResidentID:
			head = 6
			if !validID([]byte(m.Digits)) {
				t.Fatalf("Find(%q): not an ID: %+v", s, m)
			}
		default:
			t.Fatalf("Find(%q): kind %q", s, m.Kind)
		}
		n := len(m.Digits)
		want := m.Digits[:head] + strings.Repeat("*", n-head-tail) + m.Digits[n-tail:]
		if m.Masked != want {
			t.Fatalf("Find(%q): Masked %q, want %q", s, m.Masked, want)
		}
	}
}

func TestMask(t *testing.T) {
	tests := []struct {
		k        Kind
		in, want string
	}{
		{Mobile, "13812345678", "138****5678"},
		{ResidentID, "11010519491231002X", "110105********002X"},
		{ResidentID, idA, idA[:6] + "********" + idA[14:]},
		{Mobile, "1234567", "*******"},
		{Mobile, "", ""},
		{ResidentID, "1234567890", "**********"},
		{Kind("other"), "12345", "*****"},
	}
	for _, tc := range tests {
		if got := Mask(tc.k, tc.in); got != tc.want {
			t.Errorf("Mask(%s, %q) = %q, want %q", tc.k, tc.in, got, tc.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"400-820-6618", "4008206618"},
		{"138 1234 5678", "13812345678"},
		{"+86 138-1234-5678", "13812345678"},
		{"(+86)13812345678", "13812345678"},
		{"8613812345678", "13812345678"},
		{"0086 13812345678", "13812345678"},
		{"86 12345678901", "8612345678901"}, // not a mobile after 86: kept
		{"021-12345678", "02112345678"},
		{"１３８１２３４５６７８", "13812345678"},
		{"110105 19491231 002x", "11010519491231002X"},
		{"x12", "12"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestValidDate(t *testing.T) {
	tests := []struct {
		y, m, d int
		want    bool
	}{
		{1900, 1, 1, true}, {2100, 12, 31, true}, {1899, 12, 31, false}, {2101, 1, 1, false},
		{2000, 2, 29, true}, {1900, 2, 29, false}, {2024, 2, 29, true}, {2023, 2, 29, false},
		{1999, 4, 31, false}, {1999, 0, 1, false}, {1999, 1, 0, false},
	}
	for _, tc := range tests {
		if got := validDate(tc.y, tc.m, tc.d); got != tc.want {
			t.Errorf("validDate(%d, %d, %d) = %v", tc.y, tc.m, tc.d, got)
		}
	}
}

func FuzzFind(f *testing.F) {
	for _, tc := range findCases {
		f.Add(tc.in)
	}
	f.Add("\xff13812345678\xfe")
	f.Fuzz(func(t *testing.T, s string) {
		checkMatches(t, s, Find(s))
		_ = Normalize(s)
		_ = Mask(Mobile, s)
		_ = Mask(ResidentID, s)
	})
}

// benchText is about 2 KB of page text with two numbers in it, among order
// numbers, prices and hotlines.
var benchText = strings.Repeat("订单号：202401011381234567890，实付￥128.00，客服热线400-820-6618，"+
	"收货人张先生 138****5678，尺码 XL，颜色 黑色。", 14) + "联系电话 13812345678，身份证 " + idA

func BenchmarkFind(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	b.ReportAllocs()
	for b.Loop() {
		Find(benchText)
	}
}
