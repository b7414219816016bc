package report

import (
	"io"
	"strings"
	"unicode"
)

// columns lays rows out in columns two spaces apart. Widths are terminal
// cells, not runes: a CJK character takes two, which text/tabwriter does not
// know, and Chinese titles, prices and subjects are the common case here.
type columns struct {
	indent string
	rows   [][]string
}

func (c *columns) add(cells ...string) {
	for i, s := range cells {
		cells[i] = cell(s)
	}
	c.rows = append(c.rows, cells)
}

// write writes the rows; the last cell of a row is not padded.
func (c *columns) write(w io.Writer) error {
	var widths []int
	for _, r := range c.rows {
		for i, s := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], width(s))
		}
	}
	var b strings.Builder
	for _, r := range c.rows {
		b.WriteString(c.indent)
		for i, s := range r {
			b.WriteString(s)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-width(s)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// width is the number of terminal cells s takes: two for East Asian wide and
// fullwidth characters, none for combining marks and format characters.
func width(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		case wide(r):
			n += 2
		default:
			n++
		}
	}
	return n
}

// wide reports whether r is East Asian Wide or Fullwidth (UAX #11), by the
// blocks that matter in practice.
func wide(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r <= 0x115F, // Hangul Jamo
		0x2E80 <= r && r <= 0x303E,   // CJK radicals, punctuation
		0x3041 <= r && r <= 0x33FF,   // kana, CJK compatibility
		0x3400 <= r && r <= 0x4DBF,   // CJK extension A
		0x4E00 <= r && r <= 0x9FFF,   // CJK unified ideographs
		0xA000 <= r && r <= 0xA4CF,   // Yi
		0xAC00 <= r && r <= 0xD7A3,   // Hangul syllables
		0xF900 <= r && r <= 0xFAFF,   // CJK compatibility ideographs
		0xFE30 <= r && r <= 0xFE4F,   // CJK compatibility forms
		0xFF00 <= r && r <= 0xFF60,   // fullwidth forms
		0xFFE0 <= r && r <= 0xFFE6,   // fullwidth signs (￥)
		0x1F300 <= r && r <= 0x1F64F, // pictographs, emoticons
		0x1F900 <= r && r <= 0x1F9FF,
		0x20000 <= r && r <= 0x3FFFD: // CJK extensions B…
		return true
	}
	return false
}
