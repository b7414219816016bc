package imagequality

import (
	"fmt"
	"image"
	"math"

	"github.com/disintegration/imaging"
)

// TestImageKinds lists the contents TestImage can draw, sorted.
var TestImageKinds = []string{
	"fabric", "foliage", "gradient", "landscape", "lineart",
	"logo", "photo", "plasma", "product", "text",
}

// TestImage draws a deterministic size×size test picture of the given kind
// (one of TestImageKinds); content scales with size, so the same kind at 400
// and 1200 px shows the same scene. Shapes are anti-aliased, and kinds that
// imitate photographs carry mild sensor-like noise. It panics on an unknown
// kind: it is meant for tests and fixture generators.
func TestImage(kind string, size int) image.Image {
	c := newCanvas(size)
	u := float64(size) / 800 // scene unit: one pixel at 800 px
	switch kind {
	case "photo":
		c.fill(func(x, y float64) rgb {
			n := fbm(x/u, y/u, 120, 7, 1)
			m := fbm(x/u, y/u, 60, 6, 2)
			return rgb{40 + 180*n, 60 + 140*m, 50 + 120*n*m}
		})
		c.noise(3, 1)
	case "foliage":
		c.fill(func(x, y float64) rgb {
			n := fbm(x/u, y/u, 14, 4, 3)
			leaf := smooth(0.45, 0.6, n)
			return rgb{20 + 60*leaf, 50 + 150*leaf, 15 + 40*leaf*n}
		})
		c.noise(4, 2)
	case "plasma":
		c.fill(func(x, y float64) rgb {
			x, y = x/u, y/u
			v := math.Sin(x/53) + math.Sin(y/37) + math.Sin((x+y)/71) + 2*fbm(x, y, 90, 7, 4)
			return rgb{128 + 100*math.Sin(v), 128 + 100*math.Sin(v+2.1), 128 + 100*math.Sin(v+4.2)}
		})
		c.noise(2, 3)
	case "gradient":
		c.fill(func(x, y float64) rgb {
			x, y = x/u, y/u
			col := rgb{60 + x/5, 90 + y/6, 200 - (x+y)/10}
			if x > 180 && x < 420 && y > 220 && y < 520 {
				col = rgb{230, 200 - y/8, 80}
			}
			if d := math.Hypot(x-560, y-420); d < 130 {
				col = rgb{40, 40 + d/2, 90}
			}
			return col
		})
		c.noise(1.5, 4)
	case "landscape":
		c.fill(func(x, y float64) rgb {
			x, y = x/u, y/u
			ridge := 380 + 140*fbm(x, 0, 160, 5, 5)
			switch {
			case math.Hypot(x-620, y-150) < 45:
				return rgb{255, 240, 190}
			case y < ridge:
				return rgb{90 + y/6, 150 + y/7, 235}
			case y < 600:
				n := fbm(x, y, 40, 5, 6)
				return rgb{70 + 60*n, 80 + 50*n, 90 + 40*n}
			default:
				n := fbm(x, y, 8, 4, 7)
				return rgb{40 + 50*n, 110 + 90*n, 30 + 30*n}
			}
		})
		c.noise(3, 5)
	case "fabric":
		c.fill(func(x, y float64) rgb {
			x, y = x/u, y/u
			// Threads with firm edges, not pure sinusoids.
			warp := smooth(0.2, 0.8, 0.5+0.5*math.Sin(2*math.Pi*x/6))
			weft := smooth(0.2, 0.8, 0.5+0.5*math.Sin(2*math.Pi*y/6))
			check := 0.0
			if (int(x/40)+int(y/40))%2 == 0 {
				check = 1
			}
			v := 0.55*warp*weft + 0.45*check
			return rgb{60 + 150*v, 30 + 80*v, 50 + 60*check}
		})
		c.noise(2, 6)
	case "text":
		c.fill(func(x, y float64) rgb { return rgb{250, 250, 248} })
		r := newRand(7)
		for line := 0; line < 18; line++ {
			base := 60 + float64(line)*38
			for x := 40.0; x < 740; {
				glyphs := 2 + int(r.next()*7)
				for g := 0; g < glyphs && x < 740; g++ {
					c.glyph(r, x*u, base*u, 18*u, u)
					x += 13
				}
				x += 12
			}
		}
	case "lineart":
		c.fill(func(x, y float64) rgb { return rgb{255, 255, 255} })
		r := newRand(8)
		for i := 0; i < 60; i++ {
			c.segment(r.next()*800*u, r.next()*800*u, r.next()*800*u, r.next()*800*u, (0.8+2*r.next())*u, rgb{20, 20, 30})
		}
		for i := 0; i < 25; i++ {
			c.ring(r.next()*800*u, r.next()*800*u, (20+120*r.next())*u, 1.5*u, rgb{30, 30, 120})
		}
	case "logo":
		c.fill(func(x, y float64) rgb {
			x, y = x/u, y/u
			d := math.Hypot(x-400, y-400)
			switch {
			case d > 250 && d < 300:
				return rgb{200, 20, 30}
			case math.Abs(x-400) < 160 && math.Abs(y-400) < 40:
				return rgb{20, 20, 20}
			case y > 250 && y < 560 && math.Abs(x-400) < (y-250)/3 && d < 250:
				return rgb{240, 180, 0}
			}
			return rgb{255, 255, 255}
		})
	case "product":
		// A shaded bottle with a striped label, small on a wide white margin.
		c.fill(func(x, y float64) rgb {
			x, y = x/u, y/u
			dx := (x - 400) / 110
			body := math.Abs(dx) < 1 && y > 300 && y < 560
			neck := math.Abs(x-400) < 30 && y > 230 && y <= 300
			if !body && !neck {
				if sh := math.Hypot((x-400)/150, (y-570)/14); sh < 1 {
					return rgb{255 - 60*(1-sh), 255 - 60*(1-sh), 255 - 60*(1-sh)}
				}
				return rgb{255, 255, 255}
			}
			shade := 0.35 + 0.65*math.Sqrt(max(0, 1-dx*dx))
			if neck {
				shade = 0.5
			}
			if y > 380 && y < 480 && !neck {
				stripe := 0.5 + 0.5*math.Sin(2*math.Pi*y/12)
				return rgb{230 * shade, (120 + 100*stripe) * shade, 60 * shade}
			}
			return rgb{40 * shade, 110 * shade, 70 * shade}
		})
		c.noise(1.5, 9)
	default:
		panic(fmt.Sprintf("imagequality: unknown test image kind %q", kind))
	}
	return c.image()
}

// GaussianBlur returns img blurred by a Gaussian of sigma pixels (imaging.Blur);
// sigma ≤ 0 returns an unblurred copy.
func GaussianBlur(img image.Image, sigma float64) *image.NRGBA {
	if sigma <= 0 {
		return imaging.Clone(img)
	}
	return imaging.Blur(img, sigma)
}

type rgb [3]float64

// canvas is a float RGB image, 0–255 per channel.
type canvas struct {
	size int
	pix  []rgb
}

func newCanvas(size int) *canvas { return &canvas{size: size, pix: make([]rgb, size*size)} }

// fill paints f sampled 2×2 per pixel, so hard edges come out anti-aliased.
func (c *canvas) fill(f func(x, y float64) rgb) {
	for y := 0; y < c.size; y++ {
		for x := 0; x < c.size; x++ {
			var acc rgb
			for _, o := range [4][2]float64{{0.25, 0.25}, {0.75, 0.25}, {0.25, 0.75}, {0.75, 0.75}} {
				s := f(float64(x)+o[0], float64(y)+o[1])
				for i := range acc {
					acc[i] += s[i] / 4
				}
			}
			c.pix[y*c.size+x] = acc
		}
	}
}

// cover blends col into the pixels of the box whose coverage (0–1) cov gives.
func (c *canvas) cover(x0, y0, x1, y1 float64, col rgb, cov func(px, py float64) float64) {
	for y := max(0, int(y0)); y <= min(c.size-1, int(y1)); y++ {
		for x := max(0, int(x0)); x <= min(c.size-1, int(x1)); x++ {
			a := math.Min(1, math.Max(0, cov(float64(x)+0.5, float64(y)+0.5)))
			if a == 0 {
				continue
			}
			p := &c.pix[y*c.size+x]
			for i := range p {
				p[i] = p[i]*(1-a) + col[i]*a
			}
		}
	}
}

// segment strokes a line of width w pixels, coverage from the distance.
func (c *canvas) segment(ax, ay, bx, by, w float64, col rgb) {
	pad := w + 1
	c.cover(math.Min(ax, bx)-pad, math.Min(ay, by)-pad, math.Max(ax, bx)+pad, math.Max(ay, by)+pad, col,
		func(px, py float64) float64 {
			dx, dy := bx-ax, by-ay
			t := 0.0
			if l := dx*dx + dy*dy; l > 0 {
				t = math.Max(0, math.Min(1, ((px-ax)*dx+(py-ay)*dy)/l))
			}
			return w/2 + 0.5 - math.Hypot(px-ax-t*dx, py-ay-t*dy)
		})
}

// ring strokes a circle of radius r and line width w pixels.
func (c *canvas) ring(cx, cy, r, w float64, col rgb) {
	pad := r + w + 1
	c.cover(cx-pad, cy-pad, cx+pad, cy+pad, col, func(px, py float64) float64 {
		return w/2 + 0.5 - math.Abs(math.Hypot(px-cx, py-cy)-r)
	})
}

// glyph draws a letter-like cluster of 1–3 strokes in a box h high.
func (c *canvas) glyph(r *rnd, x, base, h, u float64) {
	ink, w := rgb{25, 25, 35}, 2.2*u
	wd := 0.55 * h
	for s := 1 + int(r.next()*3); s > 0; s-- {
		switch int(r.next() * 4) {
		case 0:
			c.segment(x, base, x, base-h, w, ink)
		case 1:
			c.segment(x, base-h/2, x+wd, base-h/2, w, ink)
		case 2:
			c.segment(x, base, x+wd, base-h, w, ink)
		default:
			c.ring(x+wd/2, base-h/3, h/3, w, ink)
		}
	}
}

// noise adds Gaussian noise of sigma grey levels to every channel.
func (c *canvas) noise(sigma float64, seed uint64) {
	r := newRand(seed)
	for i := range c.pix {
		for ch := range c.pix[i] {
			c.pix[i][ch] += sigma * r.norm()
		}
	}
}

func (c *canvas) image() *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, c.size, c.size))
	for i, p := range c.pix {
		for ch, v := range p {
			img.Pix[4*i+ch] = uint8(math.Round(math.Min(255, math.Max(0, v))))
		}
		img.Pix[4*i+3] = 255
	}
	return img
}

// rnd is a small deterministic generator (SplitMix64) so images never change
// with the standard library's generators.
type rnd struct{ s uint64 }

func newRand(seed uint64) *rnd { return &rnd{seed} }

func (r *rnd) u64() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// next returns a uniform number in [0, 1).
func (r *rnd) next() float64 { return float64(r.u64()>>11) / (1 << 53) }

// norm returns a standard normal number (Box–Muller).
func (r *rnd) norm() float64 {
	return math.Sqrt(-2*math.Log(1-r.next())) * math.Cos(2*math.Pi*r.next())
}

// lattice is a hash of an integer lattice point to [0, 1).
func lattice(x, y int, seed uint64) float64 {
	r := rnd{uint64(x)*0x9e3779b1 ^ uint64(y)*0x85ebca77 ^ seed*0xc2b2ae3d}
	return r.next()
}

// valueNoise is smooth noise in [0, 1) with features about period pixels.
func valueNoise(x, y, period float64, seed uint64) float64 {
	x, y = x/period, y/period
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := smooth(0, 1, x-x0), smooth(0, 1, y-y0)
	ix, iy := int(x0), int(y0)
	a := lattice(ix, iy, seed) + fx*(lattice(ix+1, iy, seed)-lattice(ix, iy, seed))
	b := lattice(ix, iy+1, seed) + fx*(lattice(ix+1, iy+1, seed)-lattice(ix, iy+1, seed))
	return a + fy*(b-a)
}

// fbm sums octaves of value noise, each half the period and amplitude of the
// previous, normalised to [0, 1).
func fbm(x, y, period float64, octaves int, seed uint64) float64 {
	var sum, norm float64
	amp := 1.0
	for o := 0; o < octaves; o++ {
		sum += amp * valueNoise(x, y, period, seed+uint64(o))
		norm += amp
		amp /= 2
		period /= 2
	}
	return sum / norm
}

// smooth is the smoothstep from e0 to e1.
func smooth(e0, e1, v float64) float64 {
	t := math.Max(0, math.Min(1, (v-e0)/(e1-e0)))
	return t * t * (3 - 2*t)
}
