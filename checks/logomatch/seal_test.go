package logomatch

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/disintegration/imaging"
)

// The seal is the real brand logo of the test sites (a copy of
// testdata/sites/fixtures/img/logo.png): a 256 px round seal with a green
// disc, cream ring and peaks, a red sun and a light-green leaf, transparent
// outside the disc. Pages draw it at 40×40 CSS px, so screenshots are 40 px
// (DPR 1) or 70 px (DPR 1.75).
var (
	cream     = color.NRGBA{0xf7, 0xf3, 0xea, 255}
	darkHead  = color.NRGBA{0x2b, 0x2a, 0x26, 255}
	discGreen = color.NRGBA{0x2d, 0x5e, 0x3a, 255}
)

// shotSizes are the device-pixel sizes of the 40 CSS px logo.
var shotSizes = []int{40, 70}

func loadSeal(t testing.TB) *image.NRGBA {
	t.Helper()
	img, err := imaging.Open("testdata/seal.png")
	if err != nil {
		t.Fatal(err)
	}
	return imaging.Clone(img)
}

func sealReference(t testing.TB) *Reference {
	t.Helper()
	r, err := NewReference(loadSeal(t))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// screenshot simulates an element screenshot: img drawn at w×h device px
// with filter, on bg, with the 4 px padding of the header link around it;
// jpegQ > 0 round-trips it through JPEG at that quality.
func screenshot(t testing.TB, img image.Image, w, h int, filter imaging.ResampleFilter, bg color.NRGBA, jpegQ int) image.Image {
	t.Helper()
	out := image.Image(onto(imaging.Resize(img, w, h, filter), bg, 4))
	if jpegQ > 0 {
		out = reencodeJPEG(t, out, jpegQ)
	}
	return out
}

// withoutSun paints the seal's red sun (centred at (170, 88), radius 17)
// over in disc green. Only reddish pixels are painted so the peak in front
// of the sun stays.
func withoutSun(seal *image.NRGBA) *image.NRGBA {
	out := imaging.Clone(seal)
	for y := 60; y < 117; y++ {
		for x := 142; x < 199; x++ {
			i := out.PixOffset(x, y)
			r, g := int(out.Pix[i]), int(out.Pix[i+1])
			if math.Hypot(float64(x)-170, float64(y)-88) <= 21 && r-g > 30 {
				out.Pix[i], out.Pix[i+1], out.Pix[i+2] = discGreen.R, discGreen.G, discGreen.B
			}
		}
	}
	return out
}

// shape draws a 256×256 image of f(u, v), u and v in [0, 1); transparent
// where f returns the zero colour. Downscaling it anti-aliases it.
func shape(f func(u, v float64) color.NRGBA) *image.NRGBA {
	return paint(256, 256, func(x, y int) color.NRGBA { return f(float64(x)/256, float64(y)/256) })
}

// checkBadge is another round green badge: a green disc with a white tick.
func checkBadge() *image.NRGBA {
	return shape(func(u, v float64) color.NRGBA {
		if math.Hypot(u-0.5, v-0.5) > 0.48 {
			return color.NRGBA{}
		}
		if segDist(u, v, 0.28, 0.52, 0.43, 0.67) < 0.05 || segDist(u, v, 0.43, 0.67, 0.74, 0.33) < 0.05 {
			return white
		}
		return discGreen
	})
}

// barsBadge is a green disc with a cream ring around three text-like bars:
// the closest unrelated mark, in the seal's colours and layout.
func barsBadge() *image.NRGBA {
	return shape(func(u, v float64) color.NRGBA {
		r := math.Hypot(u-0.5, v-0.5)
		switch {
		case r > 0.48:
			return color.NRGBA{}
		case r > 0.40 && r < 0.43:
			return cream
		}
		for i, top := range []float64{0.36, 0.47, 0.58} {
			if v >= top && v < top+0.06 && math.Abs(u-0.5) < 0.22-0.05*float64(i) {
				return cream
			}
		}
		return discGreen
	})
}

// cartIcon is a dark outline shopping cart: handle, basket, two wheels.
func cartIcon() *image.NRGBA {
	ink := color.NRGBA{0x33, 0x33, 0x33, 255}
	return shape(func(u, v float64) color.NRGBA {
		const w = 0.035
		strokes := [][4]float64{
			{0.08, 0.2, 0.22, 0.2}, {0.22, 0.2, 0.32, 0.62}, {0.32, 0.62, 0.8, 0.62},
			{0.26, 0.32, 0.9, 0.32}, {0.9, 0.32, 0.8, 0.62},
		}
		for _, s := range strokes {
			if segDist(u, v, s[0], s[1], s[2], s[3]) < w {
				return ink
			}
		}
		if math.Hypot(u-0.38, v-0.78) < 0.07 || math.Hypot(u-0.74, v-0.78) < 0.07 {
			return ink
		}
		return color.NRGBA{}
	})
}

// magnifierIcon is a dark ring with a diagonal handle.
func magnifierIcon() *image.NRGBA {
	ink := color.NRGBA{0x22, 0x22, 0x22, 255}
	return shape(func(u, v float64) color.NRGBA {
		r := math.Hypot(u-0.42, v-0.42)
		if (r < 0.3 && r > 0.22) || segDist(u, v, 0.63, 0.63, 0.88, 0.88) < 0.05 {
			return ink
		}
		return color.NRGBA{}
	})
}

// photoCrop is a noisy colour gradient filling the whole square.
func photoCrop() *image.NRGBA {
	rng := rand.New(rand.NewPCG(5, 3))
	return shape(func(u, v float64) color.NRGBA {
		n := func(base float64) uint8 { return uint8(max(0, min(255, base+rng.NormFloat64()*25))) }
		return color.NRGBA{n(60 + 150*u), n(120 + 60*v), n(200 - 120*u*v), 255}
	})
}

func redCircle() *image.NRGBA {
	return shape(func(u, v float64) color.NRGBA {
		if math.Hypot(u-0.5, v-0.5) < 0.45 {
			return color.NRGBA{0xc8, 0x10, 0x2e, 255}
		}
		return color.NRGBA{}
	})
}

// segDist is the distance from (px, py) to the segment (ax, ay)–(bx, by).
func segDist(px, py, ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := max(0, min(1, ((px-ax)*dx+(py-ay)*dy)/(dx*dx+dy*dy)))
	return math.Hypot(px-ax-t*dx, py-ay-t*dy)
}

type sealCase struct {
	name string
	size int  // device px of the logo box (40 or 70)
	kind byte // 'c' clean variant, 'v' other variant of the seal, 'u' unrelated
	img  image.Image
	want want
}

// sealCases simulates screenshots of the seal and of unrelated images at
// both device sizes.
func sealCases(t testing.TB) []sealCase {
	seal := loadSeal(t)
	var cases []sealCase
	add := func(name string, size int, kind byte, img image.Image, w want) {
		cases = append(cases, sealCase{fmt.Sprintf("%dpx %s", size, name), size, kind, img, w})
	}
	bgs := []struct {
		name string
		c    color.NRGBA
	}{{"white", white}, {"cream", cream}, {"dark", darkHead}}
	filters := []struct {
		name string
		f    imaging.ResampleFilter
	}{{"linear", imaging.Linear}, {"catmullrom", imaging.CatmullRom}}
	found := want{found: true}
	for _, n := range shotSizes {
		for _, bg := range bgs {
			for _, f := range filters {
				add(fmt.Sprintf("%s %s", bg.name, f.name), n, 'c', screenshot(t, seal, n, n, f.f, bg.c, 0), found)
				add(fmt.Sprintf("%s %s jpeg70", bg.name, f.name), n, 'c', screenshot(t, seal, n, n, f.f, bg.c, 70), found)
			}
			add(fmt.Sprintf("%s stretched", bg.name), n, 'v', screenshot(t, seal, n*9/5, n, imaging.Linear, bg.c, 0), want{found: true, distorted: true})
			add(fmt.Sprintf("%s hue120", bg.name), n, 'v', screenshot(t, hueRotate(seal, 120), n, n, imaging.Linear, bg.c, 0), want{found: true, recoloured: true})
			if bg.c != darkHead {
				// On the dark header JPEG noise moves the trimmed edge of
				// the low-contrast disc by 2 px (a false Distorted at 40 px);
				// the whole screenshot inverted is then on light grey, which
				// neither reference view matches (not Found).
				add(fmt.Sprintf("%s hue120 jpeg70", bg.name), n, 'v', screenshot(t, hueRotate(seal, 120), n, n, imaging.CatmullRom, bg.c, 70), want{found: true, recoloured: true})
				add(fmt.Sprintf("%s inverted", bg.name), n, 'v', invert(onto(imaging.Resize(seal, n, n, imaging.Linear), bg.c, 4)), want{found: true, inverted: true})
			}
		}
		add("white no sun", n, 'v', screenshot(t, withoutSun(seal), n, n, imaging.Linear, white, 0), want{found: true, partsChanged: true})
		add("cream no sun", n, 'v', screenshot(t, withoutSun(seal), n, n, imaging.Linear, cream, 0), want{found: true, partsChanged: true})
		add("dark no sun jpeg70", n, 'v', screenshot(t, withoutSun(seal), n, n, imaging.CatmullRom, darkHead, 70), want{found: true, partsChanged: true})

		unrelated := []struct {
			name string
			img  image.Image
		}{
			{"check badge", checkBadge()},
			{"bars badge", barsBadge()},
			{"cart icon", cartIcon()},
			{"magnifier icon", magnifierIcon()},
			{"photo crop", photoCrop()},
			{"red circle", redCircle()},
			{"qr pattern", qrPattern(3)},
			{"green square", imaging.New(256, 256, discGreen)},
		}
		for _, u := range unrelated {
			add(u.name, n, 'u', screenshot(t, u.img, n, n, imaging.Linear, white, 0), want{})
			add(u.name+" cream", n, 'u', screenshot(t, u.img, n, n, imaging.Linear, cream, 0), want{})
		}
		logo := TestLogo(DefaultLogo(n))
		add("test logo", n, 'u', onto(logo, white, 4), want{})
	}
	return cases
}

func TestCompareSeal(t *testing.T) {
	ref := sealReference(t)
	// Shape distances per kind, and the local colour difference of the
	// found seals that keep their palette, with and without the sun.
	type bounds struct {
		cleanMax, variantMax, unrelatedMin int
		colourMax, colourChangedMin        float64
	}
	per := map[int]*bounds{}
	for _, n := range shotSizes {
		per[n] = &bounds{unrelatedMin: 256, colourChangedMin: math.Inf(1)}
	}
	for _, tt := range sealCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			m := ref.Compare(tt.img)
			b := per[tt.size]
			switch tt.kind {
			case 'c':
				b.cleanMax = max(b.cleanMax, m.ShapeDistance)
			case 'v':
				b.variantMax = max(b.variantMax, m.ShapeDistance)
			default:
				b.unrelatedMin = min(b.unrelatedMin, m.ShapeDistance)
			}
			if lc, ok := m.Evidence["local_colour_diff"].(float64); ok {
				if tt.want.partsChanged {
					b.colourChangedMin = min(b.colourChangedMin, lc)
				} else {
					b.colourMax = max(b.colourMax, lc)
				}
			}
			t.Logf("%-28s shape=%3d aspect=%.2f (%4.1f%%) ΔE=%5.1f invΔE=%5.1f edge=%5v colour=%4v page=%v",
				tt.name, m.ShapeDistance, m.AspectCandidate, m.AspectDiffPct, m.ColourDistance,
				m.Evidence["colour_inverted_distance"], m.Evidence["local_edge_diff"], m.Evidence["local_colour_diff"],
				m.Evidence["reference_on_page_background"])
			got := want{m.Found, m.Distorted, m.Recoloured, m.Inverted, m.PartsChanged}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	for _, n := range shotSizes {
		b := per[n]
		if b.cleanMax >= FoundMax || b.variantMax >= FoundMax || b.unrelatedMin <= FoundMax {
			t.Errorf("%d px: FoundMax %d does not separate the seal (≤ %d) from unrelated images (≥ %d)", n, FoundMax, max(b.cleanMax, b.variantMax), b.unrelatedMin)
		}
		t.Logf("%d px: shape clean ≤ %d, other variants ≤ %d, unrelated ≥ %d (FoundMax %d); local colour unchanged ≤ %.1f, sun removed ≥ %.1f (PartsChangedColour %.0f)",
			n, b.cleanMax, b.variantMax, b.unrelatedMin, FoundMax, b.colourMax, b.colourChangedMin, PartsChangedColour)
	}
}

// TestCompareConcurrent runs Compare on many backgrounds at once: the cache
// of reference views is shared (run with -race).
func TestCompareConcurrent(t *testing.T) {
	ref := sealReference(t)
	seal := loadSeal(t)
	done := make(chan bool)
	for i := range 8 {
		go func() {
			bg := color.NRGBA{uint8(40 + 20*i), 42, 38, 255}
			done <- ref.Compare(screenshot(t, seal, 40, 40, imaging.Linear, bg, 0)).Found
		}()
	}
	for range 8 {
		if !<-done {
			t.Error("seal not found on one of the backgrounds")
		}
	}
}

func BenchmarkCompareSeal(b *testing.B) {
	ref := sealReference(b)
	cand := screenshot(b, loadSeal(b), 70, 70, imaging.Linear, cream, 70)
	for b.Loop() {
		if !ref.Compare(cand).Found {
			b.Fatal("not found")
		}
	}
	px := float64(cand.Bounds().Dx() * cand.Bounds().Dy())
	b.ReportMetric(float64(b.N)*px/1e6/b.Elapsed().Seconds(), "MP/s")
}
