package main

import (
	"image"
	"math"
	"math/rand/v2"
)

// logo is the shop's seal: a green disc with a cream ring, three white peaks,
// a red sun and a tea leaf. The PNG is transparent outside the disc.
func logo(size int) *image.NRGBA {
	c := newCanvas(size, size)
	s := float64(size) / 256
	cx, cy := 128*s, 128*s
	R := 124 * s
	green := hexc("#2d5e3a")
	for i := range c.px {
		c.px[i] = green
	}
	disc := func(x, y float64) float64 { return sdCircle(x, y, cx, cy, R) }
	cream := hexc("#f4efe1")
	c.fill(around(cx, cy, R, R), func(x, y float64) float64 {
		return math.Abs(sdCircle(x, y, cx, cy, 110*s)) - 3.2*s
	}, flat(cream), 1)
	c.fill(around(172*s, 86*s, 20*s, 20*s), func(x, y float64) float64 {
		return sdCircle(x, y, 170*s, 88*s, 17*s)
	}, flat(hexc("#c8102e")), 1)
	peaks := [][2]float64{{46, 170}, {92, 96}, {114, 128}, {140, 70}, {186, 150}, {200, 136}, {214, 170}}
	for i := range peaks {
		peaks[i] = [2]float64{peaks[i][0] * s, peaks[i][1] * s}
	}
	c.fill(polyBox(peaks), func(x, y float64) float64 { return sdPolygon(x, y, peaks) - 1.5*s }, flat(cream), 1)
	// snow line shadows on the right flanks
	flank := [][2]float64{{140 * s, 70 * s}, {186 * s, 150 * s}, {160 * s, 150 * s}, {146 * s, 104 * s}}
	c.fill(polyBox(flank), func(x, y float64) float64 { return sdPolygon(x, y, flank) }, flat(hexc("#d9d2bd")), 1)
	// the leaf over the foot of the mountains, with a dark midrib
	lf := newLeaf(128*s, 186*s, 92*s, 34*s, -0.18)
	c.fill(lf.bounds(), lf.sd, flat(hexc("#8dbb5a")), 1)
	c.fill(lf.bounds(), func(x, y float64) float64 {
		u, v := lf.local(x, y)
		return math.Max(math.Abs(v)-1.6*s, math.Abs(u)-lf.l*0.4)
	}, flat(green), 1)
	return c.withAlpha(func(x, y float64) float64 { return 0.5 - disc(x, y) })
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
