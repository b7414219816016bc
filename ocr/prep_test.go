package ocr

import (
	"image"
	"image/draw"
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
		{"关44.9", "¥44.9"},
		{"关|门", "关|门"}, // no digit after: left as read
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

// TestDropEchoesJoinRows: a word inside a larger word's box that repeats
// its text goes; the lines Tesseract cut out of one row slot are joined,
// those of a column slot or of two slots are not.
func TestDropEchoesJoinRows(t *testing.T) {
	row := slot{At: image.Rect(0, 0, 400, 60), Src: image.Rect(0, 0, 400, 60), Scale: 1}
	col := slot{At: image.Rect(0, 100, 60, 400), Src: image.Rect(0, 100, 60, 400), Scale: 1}
	w := func(text string, x0, y0, x1, y1 int) Word {
		return Word{Text: text, Box: image.Rect(x0, y0, x1, y1), Conf: 90}
	}
	for _, tc := range []struct {
		name  string
		lines []Line
		want  []string
	}{
		{"echo dropped, rest joined", []Line{
			{Words: []Word{w("销量", 10, 5, 110, 55)}},
			{Words: []Word{w("量", 60, 30, 108, 55), w("第", 130, 5, 165, 55), w("一", 180, 25, 215, 32)}},
		}, []string{"销量第一"}},
		{"inside but another text: kept", []Line{
			{Words: []Word{w("销量", 10, 5, 110, 55), w("第一", 130, 5, 215, 55)}},
			{Words: []Word{w("85", 60, 30, 108, 55)}},
		}, []string{"销量85第一"}},
		{"rows of a column slot: not joined", []Line{
			{Words: []Word{w("春", 5, 110, 55, 160)}},
			{Words: []Word{w("茶", 5, 170, 55, 220)}},
		}, []string{"春", "茶"}},
		{"two slots: not joined", []Line{
			{Words: []Word{w("甲", 10, 5, 60, 55)}},
			{Words: []Word{w("乙", 5, 110, 55, 160)}},
		}, []string{"甲", "乙"}},
	} {
		var got []string
		for _, l := range mapBack(tc.lines, []slot{row, col}) {
			got = append(got, l.Text)
		}
		if strings.Join(got, "/") != strings.Join(tc.want, "/") {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestClearBorder: ink reaching the edge of a prepared line goes, ink
// inside its pad stays.
func TestClearBorder(t *testing.T) {
	for _, tc := range []struct {
		name      string
		ink       []image.Rectangle
		want      int // dark pixels left
		wantInner bool
	}{
		{"glyph inside", []image.Rectangle{image.Rect(8, 8, 12, 12)}, 16, true},
		{"blob on the edge", []image.Rectangle{image.Rect(0, 0, 5, 3)}, 0, false},
		{"blob on the edge joined to a glyph", []image.Rectangle{image.Rect(8, 8, 12, 12), image.Rect(10, 0, 11, 8)}, 0, false},
		{"both", []image.Rectangle{image.Rect(8, 8, 12, 12), image.Rect(17, 0, 20, 20)}, 16, true},
	} {
		g := image.NewGray(image.Rect(0, 0, 20, 20))
		for i := range g.Pix {
			g.Pix[i] = 255
		}
		for _, r := range tc.ink {
			draw.Draw(g, r, image.Black, image.Point{}, draw.Src)
		}
		clearBorder(g)
		n := 0
		for _, v := range g.Pix {
			if v < borderInk {
				n++
			}
		}
		if n != tc.want || (g.GrayAt(9, 9).Y < borderInk) != tc.wantInner {
			t.Errorf("%s: %d dark pixels left (inner %v), want %d (%v)", tc.name, n, g.GrayAt(9, 9).Y < borderInk, tc.want, tc.wantInner)
		}
	}
}
