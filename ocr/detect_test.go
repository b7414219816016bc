package ocr

import (
	"image"
	"testing"
)

// TestRepeatedLayout: parts of one box and area are a motif only when
// their ink lies alike; glyphs of one box size whose ink differs are
// writing.
func TestRepeatedLayout(t *testing.T) {
	const W, H = 120, 20
	// Each shape fills a 16×16 box: left and top with 64 ink pixels, ring
	// and cross with 60.
	shapes := map[string]func(x, y int) bool{
		"left":  func(x, y int) bool { return x < 4 },                                  // a bar down the left
		"top":   func(x, y int) bool { return y < 4 },                                  // a bar along the top
		"ring":  func(x, y int) bool { return x == 0 || x == 15 || y == 0 || y == 15 }, // 60 px
		"cross": func(x, y int) bool { return (x >= 6 && x < 8) || (y >= 6 && y < 8) }, // 60 px
	}
	for _, tc := range []struct {
		name  string
		parts []string
		want  bool
	}{
		{"one shape", []string{"left", "left", "left"}, true},
		{"same box and area, other ink", []string{"left", "top", "left"}, false},
		{"ring and cross", []string{"ring", "cross", "ring", "cross"}, false},
	} {
		in := ink{g: grey{W: W, H: H, Pix: make([]uint8, W*H)}, mask: make([]bool, W*H)}
		var cs []comp
		var members []int
		for i, name := range tc.parts {
			x0 := 2 + i*24
			c := comp{x0: x0, y0: 2, x1: x0 + 16, y1: 18}
			for y := 0; y < 16; y++ {
				for x := 0; x < 16; x++ {
					if shapes[name](x, y) {
						in.mask[(2+y)*W+x0+x] = true
						c.area++
					}
				}
			}
			members = append(members, len(cs))
			cs = append(cs, c)
		}
		if got := repeated(members, cs, in, false); got != tc.want {
			t.Errorf("%s: repeated = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestLighter: a region's polarity is the side with more ink beyond the
// ground: white text over a thinner dark shadow is light.
func TestLighter(t *testing.T) {
	for _, tc := range []struct {
		name         string
		light, dark  int // columns of light and dark ink
		ground, want uint8
	}{
		{"white text, thin shadow", 6, 2, 128, 1},
		{"dark text, thin light outline", 2, 6, 128, 0},
		{"white text only", 6, 0, 100, 1},
	} {
		g := grey{W: 40, H: 10, Pix: make([]uint8, 400)}
		for y := 0; y < g.H; y++ {
			for x := 0; x < g.W; x++ {
				v := tc.ground
				if x >= 10 && x < 10+tc.light {
					v = 250
				} else if x >= 10+tc.light && x < 10+tc.light+tc.dark {
					v = 10
				}
				g.Pix[y*g.W+x] = v
			}
		}
		if got := lighter(g, image.Rect(0, 0, g.W, g.H)); got != (tc.want == 1) {
			t.Errorf("%s: lighter = %v", tc.name, got)
		}
	}
}

// TestDropInner: a region inside one of glyphs over 1.5× larger goes; one
// of a similar glyph or mostly outside stays.
func TestDropInner(t *testing.T) {
	big := region{Box: image.Rect(0, 0, 200, 50), Glyph: 50}
	for _, tc := range []struct {
		name string
		r    region
		keep bool
	}{
		{"strokes of the big glyphs", region{Box: image.Rect(20, 10, 90, 22), Glyph: 11}, false},
		{"similar glyph", region{Box: image.Rect(20, 10, 90, 40), Glyph: 40}, true},
		{"mostly outside", region{Box: image.Rect(150, 40, 300, 60), Glyph: 12}, true},
	} {
		out := dropInner([]region{big, tc.r})
		if got := len(out) == 2; got != tc.keep {
			t.Errorf("%s: kept %v, want %v", tc.name, got, tc.keep)
		}
	}
}

// TestMergeSameRow: two finds of one line at different glyph sizes
// (capitals and x-height of Latin fine print) become one region; a line
// of small glyphs beside a large one, or under it, stays apart.
func TestMergeSameRow(t *testing.T) {
	caps := region{Box: image.Rect(60, 906, 182, 921), Glyph: 15, Light: true}
	for _, tc := range []struct {
		name string
		r    region
		want int
	}{
		{"x-height of the same line", region{Box: image.Rect(61, 907, 230, 920), Glyph: 9, Light: true}, 1},
		{"similar glyph, touching", region{Box: image.Rect(185, 906, 300, 921), Glyph: 14, Light: true}, 1},
		{"small line under it", region{Box: image.Rect(60, 918, 230, 928), Glyph: 9, Light: true}, 2},
		{"small glyphs after a gap", region{Box: image.Rect(200, 908, 300, 918), Glyph: 9, Light: true}, 2},
		{"a column", region{Box: image.Rect(100, 900, 110, 960), Glyph: 9, Vertical: true}, 2},
	} {
		out := mergeRegions([]region{caps, tc.r})
		if len(out) != tc.want {
			t.Errorf("%s: %d regions, want %d: %+v", tc.name, len(out), tc.want, out)
		}
	}
}
