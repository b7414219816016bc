package main

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"
)

// rgb is a colour in sRGB, each channel 0..1 (values outside are clamped on output).
type rgb struct{ r, g, b float64 }

func hexc(s string) rgb {
	var v uint32
	if _, err := fmt.Sscanf(strings.TrimPrefix(s, "#"), "%06x", &v); err != nil {
		panic("bad colour " + s)
	}
	return rgb{float64(v>>16&255) / 255, float64(v>>8&255) / 255, float64(v&255) / 255}
}

func (a rgb) mul(k float64) rgb { return rgb{a.r * k, a.g * k, a.b * k} }
func (a rgb) add(b rgb) rgb     { return rgb{a.r + b.r, a.g + b.g, a.b + b.b} }
func (a rgb) lift(k float64) rgb {
	return rgb{a.r + k, a.g + k, a.b + k}
}
func mix(a, b rgb, t float64) rgb {
	return rgb{a.r + (b.r-a.r)*t, a.g + (b.g-a.g)*t, a.b + (b.b-a.b)*t}
}

var white = rgb{1, 1, 1}

// hex is the colour as #rrggbb, each channel rounded like the 8-bit output.
func (a rgb) hex() string { return fmt.Sprintf("#%02x%02x%02x", to8(a.r), to8(a.g), to8(a.b)) }

// hueRotate turns the colour's hue (HSV) by deg degrees, keeping its
// saturation and value.
func (a rgb) hueRotate(deg float64) rgb {
	v := math.Max(a.r, math.Max(a.g, a.b))
	d := v - math.Min(a.r, math.Min(a.g, a.b))
	if d == 0 {
		return a
	}
	var h float64 // in sixths of a turn
	switch v {
	case a.r:
		h = math.Mod((a.g-a.b)/d+6, 6)
	case a.g:
		h = (a.b-a.r)/d + 2
	default:
		h = (a.r-a.g)/d + 4
	}
	h = math.Mod(h+deg/60+6, 6)
	// back from hue, chroma d and value v
	f := func(n float64) float64 {
		k := math.Mod(n+h, 6)
		return v - d*clamp(math.Min(k, 4-k), 0, 1)
	}
	return rgb{f(5), f(3), f(1)}
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }
func sq(v float64) float64            { return v * v }
func smoothstep(e0, e1, x float64) float64 {
	t := clamp((x-e0)/(e1-e0), 0, 1)
	return t * t * (3 - 2*t)
}

// box is an axis-aligned bounding box in px.
type box struct{ x0, y0, x1, y1 float64 }

func around(cx, cy, rx, ry float64) box { return box{cx - rx, cy - ry, cx + rx, cy + ry} }

// canvas is an opaque float image. Shapes are signed distance functions:
// coverage is 0.5-d at the pixel centre, so every edge is anti-aliased over
// one pixel and stays crisp at any size.
type canvas struct {
	w, h int
	px   []rgb
}

func newCanvas(w, h int) *canvas { return &canvas{w: w, h: h, px: make([]rgb, w*h)} }

func (c *canvas) blend(x, y int, k rgb, a float64) {
	if a <= 0 || x < 0 || y < 0 || x >= c.w || y >= c.h {
		return
	}
	if a > 1 {
		a = 1
	}
	p := &c.px[y*c.w+x]
	p.r += (k.r - p.r) * a
	p.g += (k.g - p.g) * a
	p.b += (k.b - p.b) * a
}

// each calls f for every pixel centre inside b (grown by a pixel), clipped to the canvas.
func (c *canvas) each(b box, f func(x, y int, px, py float64)) {
	x0, y0 := max(0, int(math.Floor(b.x0))-1), max(0, int(math.Floor(b.y0))-1)
	x1, y1 := min(c.w-1, int(math.Ceil(b.x1))+1), min(c.h-1, int(math.Ceil(b.y1))+1)
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			f(x, y, float64(x)+0.5, float64(y)+0.5)
		}
	}
}

// fill paints sh where sdf < 0 within b. sh receives the pixel centre and
// the distance (negative inside) for edge effects.
func (c *canvas) fill(b box, sdf func(x, y float64) float64, sh func(x, y, d float64) rgb, alpha float64) {
	c.each(b, func(x, y int, px, py float64) {
		d := sdf(px, py)
		cov := clamp(0.5-d, 0, 1)
		if cov > 0 {
			c.blend(x, y, sh(px, py, d), cov*alpha)
		}
	})
}

func flat(k rgb) func(x, y, d float64) rgb { return func(_, _, _ float64) rgb { return k } }

// shadow darkens the canvas under a blurred copy of the shapes drawn into m.
func (c *canvas) shadow(m *mask, strength float64, tint rgb) {
	for i, v := range m.v {
		if v <= 0 {
			continue
		}
		k := 1 - strength*clamp(v, 0, 1)
		p := &c.px[i]
		p.r *= k + (1-k)*tint.r
		p.g *= k + (1-k)*tint.g
		p.b *= k + (1-k)*tint.b
	}
}

// mask is a single-channel coverage buffer for soft shadows and glows.
type mask struct {
	w, h int
	v    []float64
}

func newMask(w, h int) *mask { return &mask{w: w, h: h, v: make([]float64, w*h)} }

func (m *mask) fill(b box, sdf func(x, y float64) float64, a float64) {
	x0, y0 := max(0, int(b.x0)-1), max(0, int(b.y0)-1)
	x1, y1 := min(m.w-1, int(b.x1)+1), min(m.h-1, int(b.y1)+1)
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			cov := clamp(0.5-sdf(float64(x)+0.5, float64(y)+0.5), 0, 1) * a
			if i := y*m.w + x; cov > m.v[i] {
				m.v[i] = cov
			}
		}
	}
}

// blur is three box blurs of radius r: close to a Gaussian.
func (m *mask) blur(r int) {
	if r < 1 {
		return
	}
	tmp := make([]float64, len(m.v))
	for pass := 0; pass < 3; pass++ {
		boxBlur(m.v, tmp, m.w, m.h, r, 1, m.w)
		boxBlur(tmp, m.v, m.h, m.w, r, m.w, 1)
	}
}

// boxBlur blurs lines of src into dst: n lines of length l, step along a line,
// stride between lines.
func boxBlur(src, dst []float64, l, n, r, step, stride int) {
	for line := 0; line < n; line++ {
		base := line * stride
		sum := 0.0
		at := func(i int) float64 {
			i = max(0, min(l-1, i))
			return src[base+i*step]
		}
		for i := -r; i <= r; i++ {
			sum += at(i)
		}
		for i := 0; i < l; i++ {
			dst[base+i*step] = sum / float64(2*r+1)
			sum += at(i+r+1) - at(i-r)
		}
	}
}

// Signed distance functions, negative inside.

func sdCircle(x, y, cx, cy, r float64) float64 { return math.Hypot(x-cx, y-cy) - r }

// sdEllipse is Quilez's first-order approximation; exact enough for 1-px edges.
func sdEllipse(x, y, cx, cy, rx, ry float64) float64 {
	px, py := x-cx, y-cy
	k0 := math.Hypot(px/rx, py/ry)
	k1 := math.Hypot(px/(rx*rx), py/(ry*ry))
	if k1 == 0 {
		return -math.Min(rx, ry)
	}
	return k0 * (k0 - 1) / k1
}

// sdBox is a rectangle centred at (cx, cy), half sizes hw, hh, corner radius r.
func sdBox(x, y, cx, cy, hw, hh, r float64) float64 {
	qx := math.Abs(x-cx) - hw + r
	qy := math.Abs(y-cy) - hh + r
	return math.Hypot(math.Max(qx, 0), math.Max(qy, 0)) + math.Min(math.Max(qx, qy), 0) - r
}

// sdSegment is a stroke of half width hw from a to b with round caps.
func sdSegment(x, y, ax, ay, bx, by, hw float64) float64 {
	pax, pay := x-ax, y-ay
	bax, bay := bx-ax, by-ay
	h := clamp((pax*bax+pay*bay)/(bax*bax+bay*bay+1e-12), 0, 1)
	return math.Hypot(pax-bax*h, pay-bay*h) - hw
}

// sdPolygon is the exact distance to a simple polygon.
func sdPolygon(x, y float64, v [][2]float64) float64 {
	d := sq(x-v[0][0]) + sq(y-v[0][1])
	s := 1.0
	for i, j := 0, len(v)-1; i < len(v); j, i = i, i+1 {
		ex, ey := v[j][0]-v[i][0], v[j][1]-v[i][1]
		wx, wy := x-v[i][0], y-v[i][1]
		h := clamp((wx*ex+wy*ey)/(ex*ex+ey*ey), 0, 1)
		d = math.Min(d, sq(wx-ex*h)+sq(wy-ey*h))
		c1, c2, c3 := y >= v[i][1], y < v[j][1], ex*wy > ey*wx
		if (c1 && c2 && c3) || (!c1 && !c2 && !c3) {
			s = -s
		}
	}
	return s * math.Sqrt(d)
}

func polyBox(v [][2]float64) box {
	b := box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, p := range v {
		b.x0, b.y0 = math.Min(b.x0, p[0]), math.Min(b.y0, p[1])
		b.x1, b.y1 = math.Max(b.x1, p[0]), math.Max(b.y1, p[1])
	}
	return b
}

// leafFrame maps a point into a leaf's own frame: u along the leaf (-1 tip
// to 1 tip), v across it (-1 to 1).
type leafShape struct {
	cx, cy, l, w, ca, sa float64
	r, c                 float64
}

func newLeaf(cx, cy, length, width, angle float64) leafShape {
	r := (width/2 + length*length/(2*width)) / 2
	return leafShape{cx: cx, cy: cy, l: length, w: width, ca: math.Cos(angle), sa: math.Sin(angle), r: r, c: r - width/2}
}

func (s leafShape) local(x, y float64) (u, v float64) {
	dx, dy := x-s.cx, y-s.cy
	return dx*s.ca + dy*s.sa, -dx*s.sa + dy*s.ca
}

// sd is the vesica (intersection of two circles): a pointed leaf.
func (s leafShape) sd(x, y float64) float64 {
	u, v := s.local(x, y)
	return math.Max(math.Hypot(u, v-s.c)-s.r, math.Hypot(u, v+s.c)-s.r)
}

func (s leafShape) bounds() box { return around(s.cx, s.cy, s.l/2+1, s.l/2+1) }

// Noise.

func hash2(ix, iy int, seed uint64) float64 {
	h := uint64(int64(ix))*0x9E3779B97F4A7C15 ^ uint64(int64(iy))*0xC2B2AE3D27D4EB4F ^ (seed+1)*0x165667B19E3779F9
	h ^= h >> 29
	h *= 0xBF58476D1CE4E5B9
	h ^= h >> 32
	h *= 0x94D049BB133111EB
	h ^= h >> 29
	return float64(h>>11) / (1 << 53)
}

// vnoise is smooth value noise in 0..1 with features one unit apart.
func vnoise(x, y float64, seed uint64) float64 {
	fx, fy := math.Floor(x), math.Floor(y)
	ix, iy := int(fx), int(fy)
	tx, ty := x-fx, y-fy
	tx, ty = tx*tx*(3-2*tx), ty*ty*(3-2*ty)
	a, b := hash2(ix, iy, seed), hash2(ix+1, iy, seed)
	c, d := hash2(ix, iy+1, seed), hash2(ix+1, iy+1, seed)
	return a + (b-a)*tx + (c-a)*ty + (a-b-c+d)*tx*ty
}

func fbm(x, y float64, octaves int, seed uint64) float64 {
	sum, amp, norm := 0.0, 0.5, 0.0
	for i := 0; i < octaves; i++ {
		sum += amp * vnoise(x, y, seed+uint64(i)*7919)
		norm += amp
		x, y = x*2.03+17.1, y*2.03+5.3
		amp *= 0.5
	}
	return sum / norm
}

// finish adds a vignette and film grain, then converts to an 8-bit image.
// The grain is what a camera sensor leaves; with the 1-px edges it keeps
// every picture measurably sharp.
func (c *canvas) finish(seed uint64, grain, vignette float64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
	cx, cy := float64(c.w)/2, float64(c.h)/2
	rmax := math.Hypot(cx, cy)
	for y := 0; y < c.h; y++ {
		for x := 0; x < c.w; x++ {
			p := c.px[y*c.w+x]
			r := math.Hypot(float64(x)-cx, float64(y)-cy) / rmax
			k := 1 - vignette*smoothstep(0.45, 1.05, r)
			n := (hash2(x, y, seed) + hash2(x, y, seed+1) + hash2(x, y, seed+2) - 1.5) * grain
			cn := (hash2(x, y, seed+3) - 0.5) * grain * 0.3
			o := (y*c.w + x) * 4
			img.Pix[o+0] = to8(p.r*k + n + cn)
			img.Pix[o+1] = to8(p.g*k + n)
			img.Pix[o+2] = to8(p.b*k + n - cn)
			img.Pix[o+3] = 255
		}
	}
	return img
}

func to8(v float64) uint8 { return uint8(clamp(v*255+0.5, 0, 255)) }

// withAlpha converts to NRGBA with alpha from a coverage function.
func (c *canvas) withAlpha(alpha func(x, y float64) float64) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, c.w, c.h))
	for y := 0; y < c.h; y++ {
		for x := 0; x < c.w; x++ {
			p := c.px[y*c.w+x]
			a := clamp(alpha(float64(x)+0.5, float64(y)+0.5), 0, 1)
			img.SetNRGBA(x, y, color.NRGBA{to8(p.r), to8(p.g), to8(p.b), to8(a)})
		}
	}
	return img
}
