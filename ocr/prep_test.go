package ocr

import (
	"strings"
	"testing"
)

func TestFixLookalikes(t *testing.T) {
	for _, tc := range []struct {
		in, want string // words separated by |
	}{
		{"水温85\"C投茶量3g", "水温85℃投茶量3g"},
		{"80-85°C", "80-85℃"},
		{"85|°C", "85|℃"},
		{"85|'C", "85|℃"},
		{"\"C", "\"C"},           // no number before: left as read
		{"DOC\"C", "DOC\"C"},     // a letter before: left as read
		{"85\"", "85\""},         // no C after
		{"到手价半44.9", "到手价半44.9"}, // ¥ only at a word's start
		{"半44.9", "¥44.9"},
		{"Y|89", "¥|89"},
		{"Y|元", "Y|元"},
		{"y298", "¥298"},
		{"10|月|7|了|日", "10|月|7|日"},
		{"10|了|月", "10|月"},
		{"10|月|了|日", "10|月|7|日"}, // between 月 and 日: a day, 7
		{"-10月了日", "-10月7日"},
		{"了日", "了日"},     // no 月 before: left as read
		{"月了|天", "月了|天"}, // no 日 after: left as read
		{"7|了", "7|了"},
		{"7了|日", "7了|日"},
		{"明前龙井y298", "明前龙井y298"}, // inside a word: left as read
	} {
		var words []Word
		for _, w := range strings.Split(tc.in, "|") {
			words = append(words, Word{Text: w})
		}
		fixYen(words)
		fixDegree(words)
		words = dropStray(words)
		fixSeven(words)
		var got []string
		for _, w := range words {
			got = append(got, w.Text)
		}
		if g := strings.Join(got, "|"); g != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, g, tc.want)
		}
	}
}
