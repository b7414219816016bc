package logomatch

import (
	"image"
	"image/color"
	"math"
)

// LogoSpec describes the synthetic brand logo drawn by TestLogo: a disc with
// a leaf inside it and a two-bar wordmark to its right, about 2.2:1.
type LogoSpec struct {
	Height     int         // px; the width is 2.2 × Height
	Disc, Leaf color.NRGBA // Leaf is drawn inside the disc
	Bars       color.NRGBA // the wordmark bars
	Background color.NRGBA // alpha 0 for a transparent background
	NoLeaf     bool        // draw the disc without its leaf (a part changed)
}

// DefaultLogo is the reference brand logo of the tests and fixtures: green
// disc, yellow leaf, green bars on a transparent background.
func DefaultLogo(height int) LogoSpec {
	green := color.NRGBA{0, 120, 80, 255}
	return LogoSpec{Height: height, Disc: green, Leaf: color.NRGBA{250, 200, 0, 255}, Bars: green}
}

// TestLogo draws spec deterministically, anti-aliased with 4×4 supersampling.
// It exists for tests and the fixtures generator.
func TestLogo(spec LogoSpec) *image.NRGBA {
	h := max(spec.Height, 1)
	w := int(math.Round(2.2 * float64(h)))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	const ss = 4
	for y := range h {
		for x := range w {
			var r, g, b, a float64
			for sy := range ss {
				for sx := range ss {
					u := (float64(x) + (float64(sx)+0.5)/ss) / float64(h)
					v := (float64(y) + (float64(sy)+0.5)/ss) / float64(h)
					c := spec.at(u, v)
					fa := float64(c.A) / 255
					r, g, b, a = r+float64(c.R)*fa, g+float64(c.G)*fa, b+float64(c.B)*fa, a+fa
				}
			}
			i := img.PixOffset(x, y)
			if a > 0 {
				img.Pix[i], img.Pix[i+1], img.Pix[i+2] = uint8(r/a+0.5), uint8(g/a+0.5), uint8(b/a+0.5)
			}
			img.Pix[i+3] = uint8(a/(ss*ss)*255 + 0.5)
		}
	}
	return img
}

// at is the colour at (u, v) in units of the logo height.
func (s LogoSpec) at(u, v float64) color.NRGBA {
	dx, dy := u-0.5, v-0.5
	if dx*dx+dy*dy <= 0.45*0.45 {
		if !s.NoLeaf {
			// A lens between two offset circles, tilted 45°.
			p, q := (dx+dy)/math.Sqrt2, (dy-dx)/math.Sqrt2
			if sq(p)+sq(q-0.22) <= 0.3*0.3 && sq(p)+sq(q+0.22) <= 0.3*0.3 {
				return s.Leaf
			}
		}
		return s.Disc
	}
	if u >= 1.05 && u <= 2.15 && v >= 0.3 && v <= 0.52 {
		return s.Bars
	}
	if u >= 1.05 && u <= 1.7 && v >= 0.6 && v <= 0.75 {
		return s.Bars
	}
	return s.Background
}
