package checks

import (
	"fmt"
	"math"
	"strconv"

	"github.com/storecheck/storecheck/checks/cnprice"
)

func round2(v float64) float64 { return math.Round(v*100) / 100 }

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

// groupThousands writes n with comma separators: 1234567 → "1,234,567".
func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + s
}

// formatBytes writes a byte count in decimal units, one decimal at most:
// 4210000 → "4.2 MB", 3000000 → "3 MB", 950 → "950 bytes".
func formatBytes(n int64) string {
	units := []struct {
		size float64
		name string
	}{{1e9, "GB"}, {1e6, "MB"}, {1e3, "KB"}}
	for _, u := range units {
		if float64(n) >= u.size {
			return strconv.FormatFloat(math.Round(float64(n)/u.size*10)/10, 'f', -1, 64) + " " + u.name
		}
	}
	return groupThousands(n) + " bytes"
}

// formatMs writes milliseconds rounded to whole ms with thousands
// separators: 3120.4 → "3,120".
func formatMs(ms float64) string {
	return groupThousands(int64(math.Round(ms)))
}

// formatCLS writes a layout-shift score with at most three decimals.
func formatCLS(v float64) string {
	return strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
}

// plural is "1 picture", "2 pictures".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// yuan formats an amount the way shops write it: ¥1,299 or ¥12.50.
func yuan(v float64) string {
	c := cnprice.Cents(v)
	whole, frac := c/100, c%100
	s := groupThousands(whole)
	if frac != 0 {
		s += fmt.Sprintf(".%02d", frac)
	}
	return "¥" + s
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
