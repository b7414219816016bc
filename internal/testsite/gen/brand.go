package main

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// seal is the geometry of the shop's seal in a 256×256 frame: logo draws it
// at any size and logoSVG writes it as SVG, so the PNG and the SVG show the
// same mark.
var seal = struct {
	cx, cy, r      float64      // the disc
	ring, ringHalf float64      // the cream ring: radius and half width
	sun            [3]float64   // cx, cy, r
	peaks          [][2]float64 // the mountains, grown by peakGrow
	peakGrow       float64
	flank          [][2]float64 // the snow line shadow on the right flanks
	leaf           [5]float64   // cx, cy, length, width, angle in radians
	midrib         float64      // half width of the leaf's midrib, which runs 80 % of the leaf
}{
	cx: 128, cy: 128, r: 124,
	ring: 110, ringHalf: 3.2,
	sun:      [3]float64{170, 88, 17},
	peaks:    [][2]float64{{46, 170}, {92, 96}, {114, 128}, {140, 70}, {186, 150}, {200, 136}, {214, 170}},
	peakGrow: 1.5,
	flank:    [][2]float64{{140, 70}, {186, 150}, {160, 150}, {146, 104}},
	leaf:     [5]float64{128, 186, 92, 34, -0.18},
	midrib:   1.6,
}

// sealColours are the inks of the seal.
type sealColours struct{ disc, cream, sun, flank, leaf rgb }

// brandColours are the shop's own.
var brandColours = sealColours{
	disc: hexc("#2d5e3a"), cream: hexc("#f4efe1"), sun: hexc("#c8102e"),
	flank: hexc("#d9d2bd"), leaf: hexc("#8dbb5a"),
}

// hueRotated turns every ink's hue by deg degrees.
func (k sealColours) hueRotated(deg float64) sealColours {
	return sealColours{k.disc.hueRotate(deg), k.cream.hueRotate(deg), k.sun.hueRotate(deg),
		k.flank.hueRotate(deg), k.leaf.hueRotate(deg)}
}

// sealStyle says how to draw the seal; the zero value leaves the sun out, so
// use brandSeal for the real mark.
type sealStyle struct {
	colours sealColours
	sun     bool
}

var brandSeal = sealStyle{colours: brandColours, sun: true}

// logo is the shop's seal: a green disc with a cream ring, three white peaks,
// a red sun and a tea leaf. The PNG is transparent outside the disc.
func logo(size int) *image.NRGBA { return drawSeal(size, brandSeal) }

// drawSeal draws the seal size×size px in the given style (the logo variants
// of the logo fixtures are the same drawing with other inks or a part left out).
func drawSeal(size int, st sealStyle) *image.NRGBA {
	c := newCanvas(size, size)
	s := float64(size) / 256
	g, k := seal, st.colours
	cx, cy := g.cx*s, g.cy*s
	R := g.r * s
	for i := range c.px {
		c.px[i] = k.disc
	}
	disc := func(x, y float64) float64 { return sdCircle(x, y, cx, cy, R) }
	c.fill(around(cx, cy, R, R), func(x, y float64) float64 {
		return math.Abs(sdCircle(x, y, cx, cy, g.ring*s)) - g.ringHalf*s
	}, flat(k.cream), 1)
	if st.sun {
		sx, sy, sr := g.sun[0]*s, g.sun[1]*s, g.sun[2]*s
		c.fill(around(sx, sy, sr+2*s, sr+2*s), func(x, y float64) float64 {
			return sdCircle(x, y, sx, sy, sr)
		}, flat(k.sun), 1)
	}
	peaks := scaled(g.peaks, s)
	c.fill(polyBox(peaks), func(x, y float64) float64 { return sdPolygon(x, y, peaks) - g.peakGrow*s }, flat(k.cream), 1)
	flank := scaled(g.flank, s)
	c.fill(polyBox(flank), func(x, y float64) float64 { return sdPolygon(x, y, flank) }, flat(k.flank), 1)
	// the leaf over the foot of the mountains, with a midrib in the disc's ink
	lf := newLeaf(g.leaf[0]*s, g.leaf[1]*s, g.leaf[2]*s, g.leaf[3]*s, g.leaf[4])
	c.fill(lf.bounds(), lf.sd, flat(k.leaf), 1)
	c.fill(lf.bounds(), func(x, y float64) float64 {
		u, v := lf.local(x, y)
		return math.Max(math.Abs(v)-g.midrib*s, math.Abs(u)-lf.l*0.4)
	}, flat(k.disc), 1)
	return c.withAlpha(func(x, y float64) float64 { return 0.5 - disc(x, y) })
}

func scaled(v [][2]float64, s float64) [][2]float64 {
	out := make([][2]float64, len(v))
	for i, p := range v {
		out[i] = [2]float64{p[0] * s, p[1] * s}
	}
	return out
}

// logoSVG is the brand seal as an SVG document of 256×256 user units, shape
// for shape the drawing of logo: disc, ring, sun, grown peaks (a stroke with
// round joins), flank, and the leaf as a vesica of two arcs with its midrib.
func logoSVG() string {
	g, k := seal, brandColours
	n := func(v float64) string { return strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64) }
	pts := func(v [][2]float64) string {
		var parts []string
		for _, p := range v {
			parts = append(parts, n(p[0])+","+n(p[1]))
		}
		return strings.Join(parts, " ")
	}
	lf := newLeaf(0, 0, g.leaf[2], g.leaf[3], 0)
	r := n(lf.r)
	half := n(lf.l / 2)
	var b strings.Builder
	fmt.Fprintf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"256\" height=\"256\" viewBox=\"0 0 256 256\">\n")
	fmt.Fprintf(&b, "<circle cx=\"%s\" cy=\"%s\" r=\"%s\" fill=\"%s\"/>\n", n(g.cx), n(g.cy), n(g.r), k.disc.hex())
	fmt.Fprintf(&b, "<circle cx=\"%s\" cy=\"%s\" r=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"/>\n", n(g.cx), n(g.cy), n(g.ring), k.cream.hex(), n(2*g.ringHalf))
	fmt.Fprintf(&b, "<circle cx=\"%s\" cy=\"%s\" r=\"%s\" fill=\"%s\"/>\n", n(g.sun[0]), n(g.sun[1]), n(g.sun[2]), k.sun.hex())
	fmt.Fprintf(&b, "<polygon points=\"%s\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\" stroke-linejoin=\"round\"/>\n", pts(g.peaks), k.cream.hex(), k.cream.hex(), n(2*g.peakGrow))
	fmt.Fprintf(&b, "<polygon points=\"%s\" fill=\"%s\"/>\n", pts(g.flank), k.flank.hex())
	fmt.Fprintf(&b, "<g transform=\"translate(%s %s) rotate(%s)\">\n", n(g.leaf[0]), n(g.leaf[1]), n(g.leaf[4]*180/math.Pi))
	fmt.Fprintf(&b, "<path d=\"M-%s 0A%s %s 0 0 1 %s 0A%s %s 0 0 1 -%s 0Z\" fill=\"%s\"/>\n", half, r, r, half, r, r, half, k.leaf.hex())
	fmt.Fprintf(&b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"/>\n", n(-lf.l*0.4), n(-g.midrib), n(lf.l*0.8), n(2*g.midrib), k.disc.hex())
	b.WriteString("</g>\n</svg>\n")
	return b.String()
}

// rivalMark is another brand's mark, protected in the fixtures' config: an
// orange rounded square with a white gull in flight (an M of two wings) over
// a wave, transparent outside the square.
func rivalMark(size int) *image.NRGBA {
	c := newCanvas(size, size)
	s := float64(size) / 300
	for i := range c.px {
		c.px[i] = hexc("#f07d1a")
	}
	gull := [][2]float64{{58, 150}, {104, 104}, {150, 146}, {196, 104}, {242, 150}}
	c.fill(box{30 * s, 80 * s, 270 * s, 250 * s}, func(x, y float64) float64 {
		d := math.Inf(1)
		for i := 1; i < len(gull); i++ {
			d = math.Min(d, sdSegment(x, y, gull[i-1][0]*s, gull[i-1][1]*s, gull[i][0]*s, gull[i][1]*s, 13*s))
		}
		wave := math.Abs(y-(212+12*math.Sin((x/s-60)/30))*s) - 9*s
		if x < 60*s || x > 240*s {
			wave = math.Max(wave, math.Min(math.Abs(x-60*s), math.Abs(x-240*s)))
		}
		return math.Min(d, wave)
	}, flat(white), 1)
	return c.withAlpha(func(x, y float64) float64 { return 0.5 - sdBox(x, y, 150*s, 150*s, 140*s, 140*s, 46*s) })
}

// badge is an unrelated round 正品 (genuine goods) badge: a bright green disc
// with a white check mark, transparent outside. Fixtures show it beside the
// seal, or instead of it, and it must never be taken for the seal.
func badge(size int) *image.NRGBA {
	c := newCanvas(size, size)
	s := float64(size) / 128
	for i := range c.px {
		c.px[i] = hexc("#22a45d")
	}
	c.fill(box{20 * s, 30 * s, 108 * s, 100 * s}, func(x, y float64) float64 {
		return math.Min(sdSegment(x, y, 34*s, 66*s, 56*s, 88*s, 9*s), sdSegment(x, y, 56*s, 88*s, 96*s, 42*s, 9*s))
	}, flat(white), 1)
	return c.withAlpha(func(x, y float64) float64 { return 0.5 - sdCircle(x, y, 64*s, 64*s, 62*s) })
}

// banner is the 双11 campaign banner: "11.11" in gold bars on the left, three
// tins on a podium on the right, lanterns and confetti on a red ground. Its
// copy is HTML text on the page, not pixels.
func banner(w, h int, seed uint64) *image.RGBA {
	c := newCanvas(w, h)
	m := newMask(w, h)
	W, H := float64(w), float64(h)
	rng := rand.New(rand.NewPCG(seed, 5))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x)+0.5, float64(y)+0.5
			k := mix(hexc("#9e0a1e"), hexc("#e3462a"), clamp(fx/W*0.8+fy/H*0.3, 0, 1))
			glow := math.Exp(-sq((fx-W*0.72)/(W*0.22))-sq((fy-H*0.6)/(H*0.5))) * 0.25
			k = k.lift(glow)
			// a fine gold lattice
			lat := math.Min(math.Abs(math.Mod(fx+fy+4000, 34)-17), math.Abs(math.Mod(fx-fy+4000, 34)-17))
			k = mix(k, hexc("#f2c04e"), clamp(1.0-lat, 0, 1)*0.14)
			c.px[y*w+x] = k
		}
	}
	gold := hexc("#f6c453")
	// "11.11" as bevelled bars
	bar := func(x0 float64) {
		c.fill(box{x0 - 2, 70, x0 + 52, 332}, func(x, y float64) float64 {
			return math.Min(sdBox(x, y, x0+25, 200, 24, 128, 6), sdBox(x, y, x0+10, 90, 22, 14, 4))
		}, func(x, y, d float64) rgb {
			bev := clamp(-d/6, 0, 1)
			return gold.mul(0.78 + 0.3*bev - 0.12*(x-x0)/50 + (vnoise(x/1.5, y/40, seed)-0.5)*0.08)
		}, 1)
	}
	for _, x0 := range []float64{70, 160, 330, 420} {
		m.fill(box{x0 + 4, 76, x0 + 60, 340}, func(x, y float64) float64 { return sdBox(x, y, x0+31, 206, 24, 128, 6) }, 1)
	}
	m.fill(around(276, 318, 28, 28), func(x, y float64) float64 { return sdCircle(x, y, 276, 318, 22) }, 1)
	m.blur(6)
	c.shadow(m, 0.45, rgb{0.2, 0, 0})
	for _, x0 := range []float64{70, 160, 330, 420} {
		bar(x0)
	}
	c.fill(around(270, 312, 24, 24), func(x, y float64) float64 { return sdCircle(x, y, 270, 312, 22) }, func(x, y, d float64) rgb {
		return gold.mul(0.85 + 0.25*clamp(-d/6, 0, 1) - 0.1*(x-270)/22)
	}, 1)
	// lanterns on strings
	for i, lx := range []float64{610, 1280} {
		ly := []float64{70, 95}[i]
		c.fill(box{lx - 2, 0, lx + 2, ly}, func(x, y float64) float64 { return math.Abs(x-lx) - 0.8 }, flat(gold), 1)
		c.fill(around(lx, ly+40, 46, 42), func(x, y float64) float64 { return sdEllipse(x, y, lx, ly+40, 44, 38) }, func(x, y, d float64) rgb {
			u := (x - lx) / 44
			lum, spec := cylLight(u, 0.5)
			k := hexc("#d4101c").mul(lum + 0.1)
			if math.Abs(math.Mod(math.Asin(clamp(u, -1, 1))*30+100, 9)-4.5) < 0.6 {
				k = k.mul(0.75)
			}
			return k.lift(spec * 0.5)
		}, 1)
		for _, yy := range []float64{ly + 2, ly + 78} {
			c.fill(around(lx, yy, 20, 6), func(x, y float64) float64 { return sdBox(x, y, lx, yy, 18, 4, 2) }, flat(gold), 1)
		}
		for t := -6.0; t <= 6; t += 3 {
			tx := lx + t
			c.fill(box{tx - 1, ly + 82, tx + 1, ly + 130}, func(x, y float64) float64 { return sdSegment(x, y, tx, ly+82, tx+t*0.3, ly+128, 0.7) }, flat(gold), 1)
		}
	}
	// confetti
	for i := 0; i < 160; i++ {
		x, y := rng.Float64()*W, rng.Float64()*H
		if x > 820 && x < 1200 && y > 120 {
			continue
		}
		a := rng.Float64() * math.Pi
		ca, sa := math.Cos(a), math.Sin(a)
		k := []rgb{gold, hexc("#ffd9c2"), hexc("#ff8a5b"), hexc("#fff1c7")}[rng.IntN(4)]
		l, wd := 4+rng.Float64()*6, 1.5+rng.Float64()*2
		c.fill(around(x, y, l+1, l+1), func(px, py float64) float64 {
			dx, dy := px-x, py-y
			return sdBox(dx*ca+dy*sa, -dx*sa+dy*ca, 0, 0, l, wd, 0.5)
		}, flat(k), 0.9)
	}
	// podium and tins
	pcx, pcy := 1010.0, 352.0
	c.fill(box{pcx - 260, pcy - 50, pcx + 260, H}, func(x, y float64) float64 {
		return math.Min(sdEllipse(x, y, pcx, pcy, 250, 40), sdBox(x, y, pcx, pcy+40, 250, 40, 0))
	}, func(x, y, d float64) rgb {
		if sdEllipse(x, y, pcx, pcy, 250, 40) < 0 {
			return hexc("#f7e6c4").mul(0.9 + 0.1*(pcy-y)/40)
		}
		lum, _ := cylLight((x-pcx)/250, 0)
		return hexc("#e8c98a").mul(lum)
	}, 1)
	for i, t := range []tin{
		{cx: 880, base: 352, w: 118, h: 190, body: hexc("#2f7d5b"), lid: hexc("#d8b35a"), label: hexc("#efe6cf"), accent: hexc("#2f7d5b"), style: 1},
		{cx: 1140, base: 352, w: 118, h: 190, body: hexc("#7a1f2b"), lid: hexc("#d8b35a"), label: hexc("#efe2c9"), accent: hexc("#7a1f2b"), style: 2},
		{cx: 1010, base: 366, w: 136, h: 226, body: hexc("#c46a1e"), lid: hexc("#3b2a20"), label: hexc("#f3e7cf"), accent: hexc("#8a3f12"), style: 0},
	} {
		t.seed = seed + uint64(i)*101
		drawTin(c, m, t)
	}
	return c.finish(seed, 0.035, 0.15)
}

// serviceIcon is the demo shop's "在线客服" chat bubble, n×n px: a rounded
// square with a tail and three dots, in the shop's green. The shared
// header draws it squashed on every page (the demo's one defect that every
// page shares).
func serviceIcon(n int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	green := color.NRGBA{0x3b, 0x7d, 0x4f, 0xff}
	white := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	u := float64(n) / 128 // the drawing is made on a 128 px grid
	at := func(v float64) int { return int(v * u) }
	in := func(x, y, cx, cy, r int) bool { return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r }
	x0, x1, y0, y1, r := at(12), at(116), at(14), at(92), at(16)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			corner := func(cx, cy int) bool { return !in(x, y, cx, cy, r) }
			bubble := x >= x0 && x < x1 && y >= y0 && y < y1 &&
				!(x < x0+r && y < y0+r && corner(x0+r, y0+r)) && !(x >= x1-r && y < y0+r && corner(x1-r, y0+r)) &&
				!(x < x0+r && y >= y1-r && corner(x0+r, y1-r)) && !(x >= x1-r && y >= y1-r && corner(x1-r, y1-r))
			tail := y >= y1 && y < at(116) && x >= at(34) && x < at(58) && x-at(34) < at(116)-y
			if bubble || tail {
				img.SetNRGBA(x, y, green)
			}
			for _, cx := range []int{at(40), at(64), at(88)} {
				if in(x, y, cx, at(53), at(8)) {
					img.SetNRGBA(x, y, white)
				}
			}
		}
	}
	return img
}
