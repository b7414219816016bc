package logomatch

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/disintegration/imaging"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

var (
	white = color.NRGBA{255, 255, 255, 255}
	navy  = color.NRGBA{26, 42, 108, 255}
)

func reference(t testing.TB) *Reference {
	t.Helper()
	r, err := NewReference(TestLogo(DefaultLogo(200)))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// onto composites img onto bg with pad px of padding on every side.
func onto(img image.Image, bg color.NRGBA, pad int) *image.NRGBA {
	b := img.Bounds()
	out := imaging.New(b.Dx()+2*pad, b.Dy()+2*pad, bg)
	draw.Draw(out, b.Add(image.Pt(pad, pad)), img, b.Min, draw.Over)
	return out
}

func reencodeJPEG(t testing.TB, img image.Image, q int) image.Image {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	out, err := jpeg.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func reencodePNG(t testing.TB, img image.Image) image.Image {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	out, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// hueRotate turns the hue of every pixel by deg degrees, keeping alpha.
func hueRotate(img *image.NRGBA, deg float64) *image.NRGBA {
	out := imaging.Clone(img)
	c, s := math.Cos(deg*math.Pi/180), math.Sin(deg*math.Pi/180)
	// The standard hue-rotate matrix (as CSS filter: hue-rotate()).
	m := [9]float64{
		0.213 + c*0.787 - s*0.213, 0.715 - c*0.715 - s*0.715, 0.072 - c*0.072 + s*0.928,
		0.213 - c*0.213 + s*0.143, 0.715 + c*0.285 + s*0.140, 0.072 - c*0.072 - s*0.283,
		0.213 - c*0.213 - s*0.787, 0.715 - c*0.715 + s*0.715, 0.072 + c*0.928 + s*0.072,
	}
	clamp := func(f float64) uint8 { return uint8(max(0, min(255, math.Round(f)))) }
	for i := 0; i < len(out.Pix); i += 4 {
		r, g, b := float64(out.Pix[i]), float64(out.Pix[i+1]), float64(out.Pix[i+2])
		out.Pix[i] = clamp(m[0]*r + m[1]*g + m[2]*b)
		out.Pix[i+1] = clamp(m[3]*r + m[4]*g + m[5]*b)
		out.Pix[i+2] = clamp(m[6]*r + m[7]*g + m[8]*b)
	}
	return out
}

func invert(img *image.NRGBA) *image.NRGBA {
	out := imaging.Clone(img)
	for i := 0; i < len(out.Pix); i += 4 {
		out.Pix[i], out.Pix[i+1], out.Pix[i+2] = 255-out.Pix[i], 255-out.Pix[i+1], 255-out.Pix[i+2]
	}
	return out
}

// paint fills a w×h image with f(x, y).
func paint(w, h int, f func(x, y int) color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, f(x, y))
		}
	}
	return img
}

func noiseTexture(seed uint64) *image.NRGBA {
	rng := rand.New(rand.NewPCG(seed, 1))
	small := paint(32, 32, func(x, y int) color.NRGBA {
		return color.NRGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255}
	})
	return imaging.Resize(small, 256, 256, imaging.CatmullRom)
}

func textBanner(s string) *image.NRGBA {
	img := imaging.New(len(s)*7+16, 21, white)
	d := font.Drawer{Dst: img, Src: image.NewUniform(color.NRGBA{20, 20, 20, 255}), Face: basicfont.Face7x13, Dot: fixed.P(8, 15)}
	d.DrawString(s)
	return imaging.Resize(img, img.Bounds().Dx()*4, 0, imaging.NearestNeighbor)
}

func geometricMark() *image.NRGBA {
	return paint(240, 160, func(x, y int) color.NRGBA {
		u, v := float64(x)/160, float64(y)/160
		if v > 0.1 && v < 0.9 && math.Abs(u-0.5) < (v-0.1)*0.5 {
			return color.NRGBA{220, 30, 40, 255}
		}
		if u > 0.95 && u < 1.4 && v > 0.3 && v < 0.75 {
			return color.NRGBA{30, 60, 200, 255}
		}
		return white
	})
}

func gradient() *image.NRGBA {
	return paint(300, 100, func(x, y int) color.NRGBA {
		return color.NRGBA{uint8(x * 255 / 299), 80, uint8(255 - y*2), 255}
	})
}

func productShot() *image.NRGBA {
	return paint(300, 300, func(x, y int) color.NRGBA {
		u, v := float64(x)/300, float64(y)/300
		body := math.Abs(u-0.5) < 0.16 && v > 0.35 && v < 0.92
		neck := math.Abs(u-0.5) < 0.06 && v > 0.12 && v < 0.36
		if body || neck {
			shade := 1 - 1.8*math.Abs(u-0.45)
			return color.NRGBA{uint8(60 + 120*shade), uint8(90 + 100*shade), uint8(140 + 90*shade), 255}
		}
		if math.Abs(u-0.5) < 0.22 && math.Abs(v-0.935) < 0.012 {
			return color.NRGBA{225, 225, 225, 255} // shadow
		}
		return white
	})
}

func qrPattern(seed uint64) *image.NRGBA {
	rng := rand.New(rand.NewPCG(seed, 2))
	var cells [25][25]bool
	for i := range cells {
		for j := range cells[i] {
			cells[i][j] = rng.IntN(2) == 0
		}
	}
	return paint(250, 250, func(x, y int) color.NRGBA {
		if cells[y/10][x/10] {
			return color.NRGBA{0, 0, 0, 255}
		}
		return white
	})
}

// otherBrand is another mark in the reference's colours: a green ring around
// a yellow triangle, three stacked bars.
func otherBrand() *image.NRGBA {
	green, yellow := color.NRGBA{0, 120, 80, 255}, color.NRGBA{250, 200, 0, 255}
	return paint(440, 200, func(x, y int) color.NRGBA {
		u, v := float64(x)/200, float64(y)/200
		r := math.Hypot(u-0.5, v-0.5)
		if r <= 0.45 && r >= 0.32 {
			return green
		}
		if v > 0.3 && v < 0.68 && math.Abs(u-0.5) < (v-0.3)*0.55 {
			return yellow
		}
		for _, top := range []float64{0.2, 0.45, 0.7} {
			if u >= 1.05 && u <= 2.1 && v >= top && v <= top+0.12 {
				return green
			}
		}
		return white
	})
}

type want struct{ found, distorted, recoloured, inverted, partsChanged bool }

func TestCompare(t *testing.T) {
	ref := reference(t)
	base := TestLogo(DefaultLogo(200))
	onWhite := onto(base, white, 0)
	low := TestLogo(DefaultLogo(32))
	tests := []struct {
		name string
		img  image.Image
		want want
	}{
		{"same", base, want{found: true}},
		{"scale 20px", TestLogo(DefaultLogo(20)), want{found: true}},
		{"scale 100px on white", onto(TestLogo(DefaultLogo(100)), white, 10), want{found: true}},
		{"scale 600px", TestLogo(DefaultLogo(600)), want{found: true}},
		{"downscaled 200->24px", imaging.Resize(onWhite, 0, 24, imaging.Linear), want{found: true}},
		{"jpeg q70 on white", reencodeJPEG(t, onWhite, 70), want{found: true}},
		{"jpeg q70 at 40px", reencodeJPEG(t, onto(TestLogo(DefaultLogo(40)), white, 4), 70), want{found: true}},
		{"png re-encoded", reencodePNG(t, base), want{found: true}},
		{"padded on navy", onto(base, navy, 60), want{found: true}},
		{"padded on grey jpeg", reencodeJPEG(t, onto(base, color.NRGBA{200, 200, 200, 255}, 30), 70), want{found: true}},
		{"stretched 1.3x", imaging.Resize(base, base.Bounds().Dx()*13/10, base.Bounds().Dy(), imaging.Linear), want{found: true, distorted: true}},
		{"squashed 0.8x", imaging.Resize(onWhite, base.Bounds().Dx()*8/10, base.Bounds().Dy(), imaging.Linear), want{found: true, distorted: true}},
		{"recoloured hue 120", hueRotate(base, 120), want{found: true, recoloured: true}},
		{"recoloured hue 200 on white", onto(hueRotate(base, 200), white, 8), want{found: true, recoloured: true}},
		{"inverted", invert(onWhite), want{found: true, inverted: true}},
		{"leaf removed", TestLogo(func() LogoSpec { s := DefaultLogo(200); s.NoLeaf = true; return s }()), want{found: true, partsChanged: true}},
		{"low-res 32px upscaled", imaging.Resize(low, 0, 256, imaging.Linear), want{found: true}},
		{"low-res 32px nearest", imaging.Resize(onto(low, white, 0), 0, 256, imaging.NearestNeighbor), want{found: true}},

		{"noise texture", noiseTexture(1), want{}},
		{"noise texture 2", noiseTexture(7), want{}},
		{"text banner", textBanner("SUMMER SALE -50%"), want{}},
		{"geometric mark", geometricMark(), want{}},
		{"gradient", gradient(), want{}},
		{"product on white", productShot(), want{}},
		{"qr pattern", qrPattern(3), want{}},
		{"other brand same colours", otherBrand(), want{}},
		{"disc only", imaging.Crop(base, image.Rect(0, 0, 200, 200)), want{}},
		{"bars only", imaging.Crop(base, image.Rect(205, 0, 440, 200)), want{}},
	}
	maxMatch, minOther := 0, 256
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ref.Compare(tt.img)
			if tt.want.found {
				maxMatch = max(maxMatch, m.ShapeDistance)
			} else {
				minOther = min(minOther, m.ShapeDistance)
			}
			t.Logf("%-28s shape=%3d aspect=%.2f/%.2f (%5.1f%%) colourΔE=%5.1f invΔE=%5.1f local=%v colour=%v sq=%v own=%v",
				tt.name, m.ShapeDistance, m.AspectCandidate, m.AspectRef, m.AspectDiffPct,
				m.ColourDistance, m.Evidence["colour_inverted_distance"], m.Evidence["local_edge_diff"],
				m.Evidence["local_colour_diff"], m.Evidence["square"], m.Evidence["own"])
			got := want{m.Found, m.Distorted, m.Recoloured, m.Inverted, m.PartsChanged}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	t.Logf("shape distance: logo variants ≤ %d, unrelated ≥ %d, FoundMax %d", maxMatch, minOther, FoundMax)
	if maxMatch >= FoundMax || minOther <= FoundMax {
		t.Errorf("FoundMax %d does not separate variants (≤ %d) from unrelated images (≥ %d)", FoundMax, maxMatch, minOther)
	}
}
