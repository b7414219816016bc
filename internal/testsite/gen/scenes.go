package main

import (
	"math"
	"math/rand/v2"
)

// surface is what a product stands on.
type surface int

const (
	woodLight surface = iota
	woodDark
	linen
	bamboo
	slate
)

// studio paints a wall above horizon and a table surface below it.
func studio(c *canvas, wallTop, wallBottom rgb, horizon float64, s surface, seed uint64) {
	for y := 0; y < c.h; y++ {
		fy := float64(y) + 0.5
		for x := 0; x < c.w; x++ {
			fx := float64(x) + 0.5
			var k rgb
			if fy < horizon {
				t := fy / horizon
				k = mix(wallTop, wallBottom, t)
				// plaster: soft blotches plus a fine tooth
				k = k.lift((fbm(fx/90, fy/90, 4, seed)-0.5)*0.05 + (hash2(x/2, y/2, seed+9)-0.5)*0.018)
				// light falls off away from the upper-left window
				k = k.mul(1.04 - 0.10*math.Hypot(fx/float64(c.w), fy/horizon)/1.4)
			} else {
				k = table(fx, fy, horizon, s, seed)
				// the far edge of the table is in soft shadow
				k = k.mul(0.86 + 0.14*smoothstep(horizon, horizon+60, fy))
			}
			c.px[y*c.w+x] = k
		}
	}
	// the table's back edge: a crisp highlight line
	c.fill(box{0, horizon - 1, float64(c.w), horizon + 2}, func(x, y float64) float64 {
		return math.Abs(y-horizon-0.5) - 0.6
	}, flat(rgb{1, 1, 1}), 0.25)
}

func table(x, y, horizon float64, s surface, seed uint64) rgb {
	switch s {
	case woodLight, woodDark:
		light, dark := hexc("#d9b48a"), hexc("#9c6b43")
		if s == woodDark {
			light, dark = hexc("#7a4a2c"), hexc("#3a2114")
		}
		const plank = 95.0
		row := math.Floor((y - horizon) / plank)
		ly := y - horizon - row*plank
		wob := fbm(x/260+row*3.1, y/45, 4, seed+11)
		grain := math.Sin(2*math.Pi*(y/6.5+wob*5.5+row*0.37))*0.5 + 0.5
		fine := (vnoise(x/1.8, y*1.3, seed+12) - 0.5) * 0.10
		t := 0.45 + 0.28*grain + 0.35*(fbm(x/120+row, y/30, 3, seed+13)-0.5) + fine
		k := mix(dark, light, clamp(t, 0, 1))
		// plank seams and, per plank, one butt joint
		seam := smoothstep(0, 2.2, ly) * smoothstep(0, 2.2, plank-ly)
		jx := 120 + hash2(int(row), 1, seed)*500
		seam *= smoothstep(0, 1.6, math.Abs(x-jx)-0.6)
		return k.mul(0.55 + 0.45*seam)
	case linen:
		base := hexc("#e6dccb")
		warp := math.Sin(x*1.95+0.8*vnoise(y/30, x/400, seed)) * 0.5
		weft := math.Sin(y*1.95+0.8*vnoise(x/30, y/400, seed+1)) * 0.5
		slub := (fbm(x/2.5, y/60, 3, seed+2) - 0.5) * 0.22
		slub2 := (fbm(x/70, y/2.5, 3, seed+3) - 0.5) * 0.16
		fold := (fbm(x/220, y/160, 3, seed+4) - 0.5) * 0.22
		return base.mul(0.93 + 0.05*warp*weft + slub + slub2 + fold)
	case bamboo:
		const slat = 23.0
		i := math.Floor(x / slat)
		u := (x - i*slat) / slat
		shade := 0.72 + 0.28*math.Sin(u*math.Pi)
		edge := smoothstep(0, 0.07, u) * smoothstep(0, 0.07, 1-u)
		tone := hash2(int(i), 3, seed)
		k := mix(hexc("#c9a76a"), hexc("#a8844a"), tone)
		fibre := (hash2(int(x*2.2), int(y/40), seed+5) - 0.5) * 0.12
		node := 1.0
		for n := 0; n < 3; n++ {
			ny := horizon + 40 + hash2(int(i), 10+n, seed)*float64(1000)
			node = math.Min(node, 0.65+0.35*smoothstep(0, 2.5, math.Abs(y-ny)))
		}
		return k.mul((shade + fibre) * (0.45 + 0.55*edge) * node)
	default: // slate
		base := hexc("#4a4d52")
		t := fbm(x/150, y/110, 5, seed+6)
		vein := math.Pow(1-math.Abs(math.Sin((x*0.004+y*0.006+fbm(x/80, y/80, 4, seed+7)*3)*math.Pi)), 8) * 0.06
		speck := (hash2(floorInt(x), floorInt(y), seed+8) - 0.5) * 0.10
		return base.mul(0.8 + 0.45*t + speck).lift(vein)
	}
}

func floorInt(v float64) int { return int(math.Floor(v)) }

// tin is a cylindrical tea caddy standing on base, with a paper label.
type tin struct {
	cx, base, w, h float64
	body, lid      rgb
	label, accent  rgb
	style          int
	seed           uint64
}

// cylLight is the brightness across a cylinder lit from the upper left:
// t runs from -1 (left edge) to 1 (right edge).
func cylLight(t float64, gloss float64) (lum, spec float64) {
	t = clamp(t, -0.999, 0.999)
	nz := math.Sqrt(1 - t*t)
	dif := math.Max(0, -0.55*t+0.84*nz)
	lum = 0.28 + 0.78*dif + 0.18*math.Exp(-sq((t-0.9)/0.06))
	spec = gloss * (math.Exp(-sq((t+0.42)/0.055)) + 0.35*math.Exp(-sq((t+0.2)/0.03)))
	return
}

func drawTin(c *canvas, m *mask, t tin) {
	hw := t.w / 2
	ry := t.w * 0.11
	top := t.base - t.h
	// cast shadow to the lower right, then a tight contact shadow
	for i := range m.v {
		m.v[i] = 0
	}
	m.fill(around(t.cx+t.w*0.32, t.base+ry*0.1, t.w*0.8, ry*1.6), func(x, y float64) float64 {
		return sdEllipse(x, y, t.cx+t.w*0.32, t.base+ry*0.1, t.w*0.78, ry*1.5)
	}, 1)
	m.blur(int(t.w * 0.05))
	c.shadow(m, 0.42, rgb{})
	for i := range m.v {
		m.v[i] = 0
	}
	m.fill(around(t.cx, t.base, hw+4, ry+4), func(x, y float64) float64 {
		return sdEllipse(x, y, t.cx, t.base+1, hw*1.02, ry*1.05)
	}, 1)
	m.blur(3)
	c.shadow(m, 0.55, rgb{})

	body := func(x, y float64) float64 {
		return math.Min(sdBox(x, y, t.cx, (top+t.base)/2, hw, t.h/2, 0), sdEllipse(x, y, t.cx, t.base, hw, ry))
	}
	rng := rand.New(rand.NewPCG(t.seed, 7))
	lab := newLabel(t, rng)
	bandTop, bandBot := top+t.h*0.30, top+t.h*0.80
	c.fill(box{t.cx - hw, top, t.cx + hw, t.base + ry}, body, func(x, y, d float64) rgb {
		u := (x - t.cx) / hw
		lum, spec := cylLight(u, 0.55)
		nz := math.Sqrt(math.Max(0, 1-u*u))
		// unwrap the cylinder: a ring on it projects to the front half of an ellipse
		V := y - ry*nz
		U := math.Asin(clamp(u, -1, 1)) * hw
		k := t.body
		k = k.lift((vnoise(U/1.2, V/30, t.seed+31) - 0.5) * 0.03) // fine metal flake
		if V > bandTop && V < bandBot {
			k, spec = lab.at(U, V-bandTop, bandBot-bandTop, 1/math.Max(nz, 0.15)), spec*0.35
		}
		// embossed rings near the bottom
		for _, rv := range []float64{t.base - t.h*0.06, t.base - t.h*0.09} {
			e := math.Abs(V - rv)
			k = k.mul(1 - 0.25*clamp(1.2-e, 0, 1))
		}
		return k.mul(lum).lift(spec)
	}, 1)
	// the bottom rim
	c.fill(box{t.cx - hw, t.base - 2, t.cx + hw, t.base + ry + 2}, func(x, y float64) float64 {
		if y < t.base {
			return 1
		}
		return math.Abs(sdEllipse(x, y, t.cx, t.base, hw, ry)) - 0.9
	}, flat(rgb{0.05, 0.05, 0.05}), 0.55)

	// lid: a slightly wider, shorter metal cylinder with a brushed top
	lw := hw * 1.035
	lry := ry * 1.035
	lh := t.h * 0.17
	lidBot := top + lh
	c.fill(box{t.cx - lw, top, t.cx + lw, lidBot + lry}, func(x, y float64) float64 {
		return math.Min(sdBox(x, y, t.cx, (top+lidBot)/2, lw, lh/2, 0), sdEllipse(x, y, t.cx, lidBot, lw, lry))
	}, func(x, y, d float64) rgb {
		u := (x - t.cx) / lw
		lum, spec := cylLight(u, 1.0)
		nz := math.Sqrt(math.Max(0, 1-u*u))
		V := y - lry*nz
		brushed := (vnoise(x/60, V*1.7, t.seed+41) - 0.5) * 0.10
		k := t.lid.mul(lum + brushed).lift(spec * 0.9)
		// a rolled bead just above the lid's lower edge
		if e := math.Abs(V - (lidBot - lh*0.18)); e < 2.5 {
			k = k.mul(0.82 + 0.1*e)
		}
		return k
	}, 1)
	c.fill(box{t.cx - lw, lidBot - 2, t.cx + lw, lidBot + lry + 2}, func(x, y float64) float64 {
		if y < lidBot {
			return 1
		}
		return math.Abs(sdEllipse(x, y, t.cx, lidBot, lw, lry)) - 0.8
	}, flat(rgb{0.04, 0.03, 0.02}), 0.7)
	c.fill(around(t.cx, top, lw+1, lry+1), func(x, y float64) float64 {
		return sdEllipse(x, y, t.cx, top, lw, lry)
	}, func(x, y, d float64) rgb {
		ex, ey := (x-t.cx)/lw, (y-top)/lry
		r := math.Hypot(ex, ey)
		lum := 0.95 - 0.25*ex*0.5 - 0.15*ey
		rings := math.Sin(r*210) * 0.035
		k := t.lid.lift(0.12).mul(lum + rings)
		// embossed inner ring: dark on the far side, bright on the near side
		if e := math.Abs(r - 0.8); e < 0.035 {
			k = k.mul(1 + 0.35*ey*(1-e/0.035))
		}
		if r > 0.95 {
			k = k.lift(0.12)
		}
		return k
	}, 1)
}

// label is the paper band around a tin, with fake calligraphy.
type label struct {
	t      tin
	glyphs []glyph
	seal   box
	sealGl glyph
}

// glyph is a hanzi-like cluster of brush strokes inside a cell.
type glyph struct {
	b       box
	strokes [][5]float64 // ax, ay, bx, by, half width
}

func newGlyph(rng *rand.Rand, x, y, s float64) glyph {
	g := glyph{b: box{x, y, x + s, y + s}}
	// hanzi are built from components: left-right, top-bottom or whole
	regions := [][4]float64{{0, 0, 1, 1}}
	switch rng.IntN(4) {
	case 0, 1:
		split := 0.38 + rng.Float64()*0.14
		regions = [][4]float64{{0, 0, split, 1}, {split + 0.06, 0, 0.94 - split, 1}}
	case 2:
		split := 0.4 + rng.Float64()*0.15
		regions = [][4]float64{{0, 0, 1, split}, {0, split + 0.06, 1, 0.94 - split}}
	}
	add := func(ax, ay, bx, by float64, r [4]float64) {
		w := s * (0.05 + rng.Float64()*0.02)
		g.strokes = append(g.strokes, [5]float64{
			x + (r[0]+ax*r[2])*s, y + (r[1]+ay*r[3])*s,
			x + (r[0]+bx*r[2])*s, y + (r[1]+by*r[3])*s, w})
	}
	for _, r := range regions {
		n := 2 + rng.IntN(4)
		for i := 0; i < n; i++ {
			f := 0.12 + 0.76*rng.Float64()
			switch k := rng.IntN(10); {
			case k < 4: // 横
				add(0.08+rng.Float64()*0.15, f, 0.92-rng.Float64()*0.15, f-0.03, r)
			case k < 6: // 竖
				add(f, 0.06, f, 0.94-rng.Float64()*0.3, r)
			case k == 6: // 口
				b0, b1 := 0.2+rng.Float64()*0.2, 0.55+rng.Float64()*0.25
				add(0.2, b0, 0.2, b1, r)
				add(0.2, b0, 0.8, b0, r)
				add(0.8, b0, 0.8, b1, r)
				add(0.2, b1, 0.8, b1, r)
			case k == 7: // 撇
				add(0.55+rng.Float64()*0.2, 0.1, 0.08, 0.85, r)
			case k == 8: // 捺
				add(0.45, 0.3+rng.Float64()*0.2, 0.95, 0.92, r)
			default: // 点
				add(f, 0.08+rng.Float64()*0.5, f+0.1, 0.2+rng.Float64()*0.5, r)
			}
		}
	}
	return g
}

func (g glyph) sd(x, y float64) float64 {
	d := math.Inf(1)
	for _, s := range g.strokes {
		// brush strokes taper: thicker at the start
		d = math.Min(d, sdSegment(x, y, s[0], s[1], s[2], s[3], s[4]))
	}
	return d
}

func newLabel(t tin, rng *rand.Rand) *label {
	l := &label{t: t}
	bandH := t.h * 0.5
	s := bandH * 0.2
	// a vertical column of four characters, centred
	for i := 0; i < 4; i++ {
		l.glyphs = append(l.glyphs, newGlyph(rng, -s/2, bandH*0.08+float64(i)*s*1.08, s))
	}
	// two smaller columns to the left
	ss := s * 0.45
	for col := 0; col < 2; col++ {
		for i := 0; i < 7; i++ {
			l.glyphs = append(l.glyphs, newGlyph(rng, -s*1.6-float64(col)*ss*1.5, bandH*0.12+float64(i)*ss*1.15, ss))
		}
	}
	// a red seal to the right with a white glyph
	sz := s * 0.8
	l.seal = box{s * 0.9, bandH * 0.55, s*0.9 + sz, bandH*0.55 + sz}
	l.sealGl = newGlyph(rng, s*0.9+sz*0.15, bandH*0.55+sz*0.15, sz*0.7)
	return l
}

// at is the label's colour at (U, V) of a band of height H; px is the size
// of a screen pixel in label units, for anti-aliasing.
func (l *label) at(U, V, H, px float64) rgb {
	t := l.t
	k := t.label
	cov := func(d float64) float64 { return clamp(0.5-d/px, 0, 1) }
	// paper fibres
	k = k.lift((vnoise(U/2.5, V/9, t.seed+51)-0.5)*0.05 + (hash2(int(U*1.3), int(V*1.3), t.seed+52)-0.5)*0.03)
	switch t.style {
	case 1: // repeating cloud scrolls
		cu, cv := math.Mod(U+10000, 38), math.Mod(V+H*0.1, 38)
		d := math.Abs(math.Hypot(cu-19, cv-19)-11) - 1.1
		k = mix(k, t.accent, cov(d)*0.35)
	case 2: // fine diagonal stripes
		d := math.Abs(math.Mod(U+V+10000, 9)-4.5) - 1.0
		k = mix(k, t.accent, cov(d)*0.22)
	}
	// gold rules at the band edges
	for _, e := range []float64{5, H - 5} {
		k = mix(k, hexc("#c9a24a"), cov(math.Abs(V-e)-1.6))
	}
	for _, e := range []float64{10, H - 10} {
		k = mix(k, t.accent, cov(math.Abs(V-e)-0.7))
	}
	// a white cartouche behind the calligraphy
	if t.style != 0 {
		d := sdBox(U, V, 0, H/2, H*0.17, H*0.45, 6)
		k = mix(k, hexc("#f7f2e6"), cov(d)*0.9)
		k = mix(k, t.accent, cov(math.Abs(d)-0.8))
	}
	ink := hexc("#1c1a17")
	for _, g := range l.glyphs {
		if U < g.b.x0-3 || U > g.b.x1+3 || V < g.b.y0-3 || V > g.b.y1+3 {
			continue
		}
		k = mix(k, ink, cov(g.sd(U, V)))
	}
	if b := l.seal; U > b.x0-2 && U < b.x1+2 && V > b.y0-2 && V < b.y1+2 {
		hs := (b.x1 - b.x0) / 2
		d := sdBox(U, V, b.x0+hs, b.y0+hs, hs, hs, 3)
		k = mix(k, hexc("#b3262b"), cov(d))
		k = mix(k, hexc("#f4e9dc"), cov(l.sealGl.sd(U, V))*cov(d))
	}
	return k
}

// cup is a porcelain cup on a saucer, seen from above and in front.
func drawCup(c *canvas, m *mask, cx, base, w float64, tea rgb, floating bool, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 3))
	porcelain := hexc("#f3f1ea")
	srx, sry := w*0.95, w*0.27
	scy := base + w*0.04
	for i := range m.v {
		m.v[i] = 0
	}
	m.fill(around(cx+w*0.2, scy+sry*0.3, srx+10, sry+10), func(x, y float64) float64 {
		return sdEllipse(x, y, cx+w*0.2, scy+sry*0.35, srx*1.02, sry*1.05)
	}, 1)
	m.blur(int(w * 0.06))
	c.shadow(m, 0.45, rgb{})
	// saucer: a rim and a well
	c.fill(around(cx, scy, srx+1, sry+1), func(x, y float64) float64 {
		return sdEllipse(x, y, cx, scy, srx, sry)
	}, func(x, y, d float64) rgb {
		ex, ey := (x-cx)/srx, (y-scy)/sry
		r := math.Hypot(ex, ey)
		lum := 0.93 - 0.12*ex - 0.05*ey
		if r > 0.93 {
			lum += 0.06
		}
		if math.Abs(r-0.62) < 0.02 {
			lum -= 0.10 * (1 - math.Abs(r-0.62)/0.02)
		}
		return porcelain.mul(lum).lift((hash2(int(x), int(y), seed) - 0.5) * 0.015)
	}, 1)

	// cup body: a tapered cylinder
	hw, bw := w/2, w*0.36
	h := w * 0.62
	top := base - h
	ry := w * 0.15
	bry := ry * bw / hw
	halfAt := func(y float64) float64 { return bw + (hw-bw)*clamp((base-y)/h, 0, 1) }
	c.fill(box{cx - hw, top, cx + hw, base + bry}, func(x, y float64) float64 {
		if y > base {
			return sdEllipse(x, y, cx, base, bw, bry)
		}
		return math.Max(math.Abs(x-cx)-halfAt(y), top-y)
	}, func(x, y, d float64) rgb {
		ha := halfAt(y)
		u := (x - cx) / ha
		lum, spec := cylLight(u, 0.8)
		nz := math.Sqrt(math.Max(0, 1-u*u))
		V := y - ry*nz*ha/hw
		k := porcelain
		// a blue-and-white band with little flowers
		U := math.Asin(clamp(u, -1, 1)) * ha
		px := 1 / math.Max(nz, 0.15)
		cov := func(d float64) float64 { return clamp(0.5-d/px, 0, 1) }
		blue := hexc("#2b4f8f")
		bt := top + h*0.22
		for _, e := range []float64{bt, bt + h*0.04, base - h*0.14} {
			k = mix(k, blue, cov(math.Abs(V-e)-1.0))
		}
		fu := math.Mod(U+10000, 46) - 23
		fv := V - (bt + h*0.2)
		petal := math.Abs(math.Hypot(fu, fv)-7) - 1.6
		for a := 0.0; a < 2*math.Pi; a += math.Pi / 3 {
			petal = math.Min(petal, sdCircle(fu, fv, 12*math.Cos(a), 12*math.Sin(a), 3.2))
		}
		k = mix(k, blue, cov(petal)*0.9)
		return k.mul(lum).lift(spec * 0.7)
	}, 1)
	// the mouth: rim, inner wall, tea
	c.fill(around(cx, top, hw+1, ry+1), func(x, y float64) float64 {
		return sdEllipse(x, y, cx, top, hw, ry)
	}, func(x, y, d float64) rgb {
		if d > -2.2 {
			return porcelain.mul(1.02)
		}
		return porcelain.mul(0.78 + 0.15*(y-top)/ry)
	}, 1)
	trx, try := hw*0.9, ry*0.85
	tcy := top + ry*0.12
	c.fill(around(cx, tcy, trx+1, try+1), func(x, y float64) float64 {
		return sdEllipse(x, y, cx, tcy, trx, try)
	}, func(x, y, d float64) rgb {
		ex, ey := (x-cx)/trx, (y-tcy)/try
		r := math.Hypot(ex, ey)
		k := tea.mul(0.75 + 0.3*(1-r) + 0.1*ey)
		// a sharp window reflection
		if sdBox(x, y, cx-trx*0.35, tcy-try*0.35, trx*0.16, try*0.12, 3) < 0 {
			k = mix(k, white, 0.55)
		}
		return k
	}, 1)
	if floating {
		for i := 0; i < 7; i++ {
			lx := cx + (rng.Float64()-0.5)*trx*1.2
			ly := tcy + (rng.Float64()-0.5)*try*1.0
			lf := newLeaf(lx, ly, w*0.09+rng.Float64()*w*0.05, w*0.025, rng.Float64()*math.Pi)
			c.fill(lf.bounds(), lf.sd, func(x, y, d float64) rgb {
				u, _ := lf.local(x, y)
				return hexc("#6f8f2f").mul(0.9 + 0.25*u/lf.l)
			}, 1)
		}
	}
}

// leafStyle is how dry tea leaves look.
type leafStyle struct {
	palette      []rgb
	lmin, lmax   float64
	wmin, wmax   float64
	goldTip      float64 // share of leaves with golden tips
	twist        bool
	shadowAmount float64
}

var (
	greenLeaves = leafStyle{
		palette: []rgb{hexc("#8a9a3c"), hexc("#6f8030"), hexc("#a3a84e"), hexc("#5f7229"), hexc("#b2b066")},
		lmin:    0.9, lmax: 1.5, wmin: 0.22, wmax: 0.3, shadowAmount: 0.5,
	}
	blackLeaves = leafStyle{
		palette: []rgb{hexc("#2a1c14"), hexc("#3a2418"), hexc("#1e1410"), hexc("#4a2e1c")},
		lmin:    0.8, lmax: 1.3, wmin: 0.12, wmax: 0.17, goldTip: 0.35, twist: true, shadowAmount: 0.6,
	}
)

// drawLeaf paints one dry leaf with a drop shadow, a midrib and, for black
// tea, twisted ridges and golden tips.
func drawLeaf(c *canvas, lf leafShape, k rgb, st leafStyle, gold bool, seed uint64) {
	sh := lf
	sh.cx, sh.cy = lf.cx+lf.w*0.35, lf.cy+lf.w*0.45
	c.fill(sh.bounds(), sh.sd, flat(rgb{0.05, 0.04, 0.03}), st.shadowAmount*0.45)
	c.fill(lf.bounds(), lf.sd, func(x, y, d float64) rgb {
		u, v := lf.local(x, y)
		nu, nv := u/(lf.l/2), v/(lf.w/2)
		col := k
		if gold && nu > 0.15 {
			col = mix(k, hexc("#c8923e"), smoothstep(0.15, 0.7, nu))
		}
		// lit from the upper left: the leaf's upper half is brighter
		lum := 0.85 - 0.22*nv*math.Copysign(1, lf.sa+lf.ca*0.3) + 0.1*(1-math.Abs(nu))
		if st.twist {
			lum += 0.16 * math.Sin(u*0.9+nv*2.2)
		}
		// the midrib: a thin bright line with a dark edge
		mid := math.Abs(v)
		lum += 0.22*clamp(1.2-mid*1.6, 0, 1) - 0.12*clamp(1-math.Abs(mid-1.4), 0, 1)
		// the leaf's edge is a little darker
		lum *= 0.8 + 0.2*clamp(-d/2.2, 0, 1)
		lum += (hash2(int(x), int(y), seed) - 0.5) * 0.12
		return col.mul(lum)
	}, 1)
}

// scatter drops n leaves whose centres fall in the ellipse (cx, cy, rx, ry),
// scale px long on average.
func scatter(c *canvas, rng *rand.Rand, st leafStyle, n int, cx, cy, rx, ry, scale float64, seed uint64) {
	for i := 0; i < n; i++ {
		a := rng.Float64() * 2 * math.Pi
		r := math.Sqrt(rng.Float64())
		x, y := cx+math.Cos(a)*rx*r, cy+math.Sin(a)*ry*r
		l := scale * (st.lmin + rng.Float64()*(st.lmax-st.lmin))
		w := l * (st.wmin + rng.Float64()*(st.wmax-st.wmin))
		k := st.palette[rng.IntN(len(st.palette))].mul(0.9 + rng.Float64()*0.2)
		drawLeaf(c, newLeaf(x, y, l, w, rng.Float64()*math.Pi), k, st, rng.Float64() < st.goldTip, seed+uint64(i))
	}
}

// dish is a white porcelain dish heaped with dry leaves, seen from above.
func dish(c *canvas, m *mask, st leafStyle, s surface, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 11))
	W, H := float64(c.w), float64(c.h)
	for y := 0; y < c.h; y++ {
		for x := 0; x < c.w; x++ {
			c.px[y*c.w+x] = table(float64(x)+0.5, float64(y)+0.5+400, 0, s, seed).mul(0.95)
		}
	}
	cx, cy, R := W*0.5, H*0.5, W*0.42
	for i := range m.v {
		m.v[i] = 0
	}
	m.fill(around(cx+18, cy+24, R+4, R+4), func(x, y float64) float64 { return sdCircle(x, y, cx+18, cy+24, R) }, 1)
	m.blur(14)
	c.shadow(m, 0.5, rgb{})
	porcelain := hexc("#f4f2ec")
	c.fill(around(cx, cy, R+1, R+1), func(x, y float64) float64 { return sdCircle(x, y, cx, cy, R) }, func(x, y, d float64) rgb {
		r := math.Hypot(x-cx, y-cy) / R
		dx, dy := (x-cx)/R, (y-cy)/R
		lum := 0.92
		if r > 0.86 { // the rim: curved, catches light on the lower right
			lum = 0.86 + 0.12*(dx+dy)/1.4*smoothstep(0.86, 1, r)
		}
		if math.Abs(r-0.86) < 0.006 {
			lum -= 0.08
		}
		if r > 0.9 && math.Abs(r-0.95) < 0.012 {
			lum = 0.6 // a celadon line on the rim
			return hexc("#7fa39a").mul(0.9)
		}
		return porcelain.mul(lum).lift((hash2(int(x), int(y), seed) - 0.5) * 0.012)
	}, 1)
	scatter(c, rng, st, 560, cx, cy, R*0.8, R*0.8, W*0.07, seed)
	// a few strays on the table
	for i := 0; i < 10; i++ {
		a := rng.Float64() * 2 * math.Pi
		r := R * (1.06 + rng.Float64()*0.15)
		scatter(c, rng, st, 1, cx+math.Cos(a)*r, cy+math.Sin(a)*r, 4, 4, W*0.07, seed+uint64(1000+i))
	}
}

// giftBox is a wrapped box in three-quarter view with a ribbon and a bow.
func giftBox(c *canvas, m *mask, x0, y0, w, h, depth float64, paper, ribbon rgb, seed uint64) {
	dx, dy := depth*0.55, depth*0.45
	front := [][2]float64{{x0, y0}, {x0 + w, y0}, {x0 + w, y0 + h}, {x0, y0 + h}}
	topf := [][2]float64{{x0, y0}, {x0 + dx, y0 - dy}, {x0 + w + dx, y0 - dy}, {x0 + w, y0}}
	side := [][2]float64{{x0 + w, y0}, {x0 + w + dx, y0 - dy}, {x0 + w + dx, y0 + h - dy}, {x0 + w, y0 + h}}
	for i := range m.v {
		m.v[i] = 0
	}
	sh := [][2]float64{{x0 + 10, y0 + h}, {x0 + w + dx + 60, y0 + h - dy + 10}, {x0 + w + dx + 90, y0 + h + 30}, {x0 + 30, y0 + h + 36}}
	m.fill(polyBox(sh), func(x, y float64) float64 { return sdPolygon(x, y, sh) }, 1)
	m.blur(12)
	c.shadow(m, 0.5, rgb{})
	tex := func(x, y float64) float64 {
		// embossed paper: a fine lattice
		return 0.05*math.Sin(x*0.9)*math.Sin(y*0.9) + (hash2(int(x), int(y), seed)-0.5)*0.05
	}
	rb := w * 0.09
	faces := []struct {
		poly [][2]float64
		lum  float64
	}{{front, 0.9}, {topf, 1.12}, {side, 0.62}}
	for fi, f := range faces {
		poly := f.poly
		lum := f.lum
		fi := fi
		c.fill(polyBox(poly), func(x, y float64) float64 { return sdPolygon(x, y, poly) }, func(x, y, d float64) rgb {
			k := paper.mul(lum + tex(x, y))
			onRibbon := false
			switch fi {
			case 0:
				onRibbon = math.Abs(x-(x0+w/2)) < rb
			case 1:
				// along the top, the ribbon crosses in both directions
				t := (y0 - y) / dy
				onRibbon = math.Abs(x-t*dx-(x0+w/2)) < rb || math.Abs(t-0.5) < rb/dy*0.8
			case 2:
				t := (x - x0 - w) / dx
				onRibbon = math.Abs(y+t*dy-(y0+h/2)) < rb*0.8
			}
			if onRibbon {
				k = ribbon.mul(lum*1.05 + 0.18*math.Sin(x*0.6+y*0.25))
			}
			edge := clamp(-d/1.6, 0, 1)
			return k.mul(0.75 + 0.25*edge)
		}, 1)
	}
	// the bow: two loops and a knot
	bx, by := x0+w/2+dx/2, y0-dy/2
	for _, s := range []float64{-1, 1} {
		lf := newLeaf(bx+s*w*0.13, by-w*0.04, w*0.3, w*0.14, s*0.35)
		c.fill(lf.bounds(), lf.sd, func(x, y, d float64) rgb {
			_, v := lf.local(x, y)
			return ribbon.mul(0.95 + 0.25*math.Sin(v*0.25) + 0.15*clamp(-d/4, 0, 1))
		}, 1)
	}
	c.fill(around(bx, by-w*0.04, w*0.05, w*0.04), func(x, y float64) float64 {
		return sdEllipse(x, y, bx, by-w*0.04, w*0.045, w*0.035)
	}, func(x, y, d float64) rgb { return ribbon.mul(1.1 - 0.2*(y-by)/w*10) }, 1)
}

// garden is a terraced tea garden under hazy mountains.
func garden(c *canvas, seed uint64) {
	W, H := float64(c.w), float64(c.h)
	sky := func(y float64) rgb { return mix(hexc("#a9c4dc"), hexc("#eef2ee"), y/(H*0.45)) }
	ridge := func(layer int, x float64) float64 {
		base := []float64{0.30, 0.40, 0.50}[layer] * H
		amp := []float64{0.12, 0.10, 0.08}[layer] * H
		return base - amp*(fbm(x/([]float64{420, 300, 220}[layer]), float64(layer)*9.1, 5, seed+uint64(layer))-0.3)
	}
	cols := []rgb{hexc("#8ea6a8"), hexc("#5f7f70"), hexc("#3f6149")}
	hill := func(x float64) float64 {
		return H*0.56 - 0.05*H*math.Sin(x/W*math.Pi*1.3+0.6)
	}
	for y := 0; y < c.h; y++ {
		fy := float64(y) + 0.5
		for x := 0; x < c.w; x++ {
			fx := float64(x) + 0.5
			k := sky(fy).lift((fbm(fx/200, fy/60, 4, seed+20) - 0.5) * 0.06)
			for l := 0; l < 3; l++ {
				r := ridge(l, fx)
				cov := clamp(fy-r+0.5, 0, 1)
				if cov > 0 {
					// mist: a ridge fades into the haze below its crest
					haze := smoothstep(r, r+H*0.18, fy) * 0.35
					tree := (fbm(fx/4, fy/4, 3, seed+30+uint64(l)) - 0.5) * 0.10 * float64(l+1)
					mk := mix(cols[l].lift(tree), hexc("#dfe7e3"), haze*float64(2-l)/2)
					k = mix(k, mk, cov)
				}
			}
			if hv := hill(fx); fy > hv {
				d := fy - hv
				// rows of bushes, closer together with distance
				phase := math.Sqrt(d)*2.3 + 0.9*math.Sin(fx/170)
				f := phase - math.Floor(phase)
				bushW := 0.72
				gap := math.Min(f, bushW-f)
				px := 0.5 / (math.Sqrt(d) + 1) * 2.3 // a pixel in phase units
				inBush := clamp(gap/px+0.5, 0, 1)
				if f > bushW {
					inBush = 0
				}
				sc := 1.5 + d/50
				leafTex := vnoise(fx/sc, fy/sc, seed+40)*0.6 + hash2(int(fx/(sc*0.5)), int(fy/(sc*0.5)), seed+41)*0.4
				bush := mix(hexc("#2f5a1e"), hexc("#8cb84a"), clamp(leafTex*0.9+(1-f/bushW)*0.25, 0, 1))
				soil := hexc("#6b5236").mul(0.8 + 0.4*hash2(int(fx/2), int(fy/2), seed+42))
				k = mix(soil, bush, inBush)
				k = mix(k, hexc("#d8e2dc"), clamp(0.25-d/H, 0, 0.25))
			}
			c.px[y*c.w+x] = k
		}
	}
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 1)) }
