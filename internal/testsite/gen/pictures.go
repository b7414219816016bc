package main

import (
	"image"
	"math"
)

// sharpSet draws the sharp pictures of the clean blur fixture, 800×800 each:
// contents unlike the product photos, on which a blur measure could be
// fooled (fine regular texture, wide flat areas, a small subject on white,
// thin strokes). None is blurred; image.blurry must pass them all.
func sharpSet() map[string]func() *image.RGBA {
	return map[string]func() *image.RGBA{
		"sharp-fabric.jpg":   func() *image.RGBA { return fabric(800, 51) },
		"sharp-gradient.jpg": func() *image.RGBA { return flatPoster(800, 52) },
		"sharp-product.jpg":  func() *image.RGBA { return productOnWhite(800, 53) },
		"sharp-text.jpg":     func() *image.RGBA { return textPage(800, 54) },
		"sharp-lineart.jpg":  func() *image.RGBA { return lineArt(800, 55) },
	}
}

// fabric is a woven tartan seen close up: 12 px threads over and under each
// other in a twill, striped in bands, each thread shaded round and slubbed.
func fabric(size int, seed uint64) *image.RGBA {
	c := newCanvas(size, size)
	const pitch = 12
	stripes := []rgb{hexc("#a3202c"), hexc("#a3202c"), hexc("#f1e9d2"), hexc("#2d5e3a"), hexc("#2d5e3a"), hexc("#2d5e3a"), hexc("#f1e9d2"), hexc("#1d2f4a")}
	colour := func(i int) rgb { return stripes[(i/6)%len(stripes)] }
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			i, j := x/pitch, y/pitch
			u, v := float64(x%pitch)+0.5, float64(y%pitch)+0.5
			// 2/2 twill: the warp (vertical thread) is on top on two of four
			warp := (i+j)%4 < 2
			var k rgb
			var across float64 // position across the visible thread, -1..1
			if warp {
				k, across = colour(i), (u-pitch/2.0)/(pitch/2.0)
			} else {
				k, across = colour(j), (v-pitch/2.0)/(pitch/2.0)
			}
			lum := 0.72 + 0.38*math.Sqrt(math.Max(0, 1-across*across))
			slub := (vnoise(float64(x)/9, float64(y)/9, seed) - 0.5) * 0.08
			k = k.mul(lum + slub)
			if u < 1 || v < 1 { // the gaps between threads
				k = k.mul(0.75)
			}
			c.px[y*size+x] = k
		}
	}
	return c.finish(seed, 0.006, 0.1)
}

// flatPoster is a flat illustration: a smooth two-colour gradient sky with
// a sun, hills and a tea tin in flat inks with crisp edges, mostly smooth
// areas with a few sharp borders.
func flatPoster(size int, seed uint64) *image.RGBA {
	c := newCanvas(size, size)
	S := float64(size)
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			t := (float64(x) + float64(y)) / (2 * S)
			c.px[y*size+x] = mix(hexc("#f6d8a8"), hexc("#7fb2d9"), t)
		}
	}
	c.fill(around(0.72*S, 0.26*S, 0.12*S, 0.12*S), func(x, y float64) float64 {
		return sdCircle(x, y, 0.72*S, 0.26*S, 0.11*S)
	}, flat(hexc("#f2a03d")), 1)
	for l, k := range []string{"#8cb84a", "#4f8a3a", "#2d5e3a"} {
		base, amp, f := S*(0.55+0.1*float64(l)), S*0.06, 1.3+0.7*float64(l)
		c.fill(box{0, base - amp - 2, S, S}, func(x, y float64) float64 {
			return base - amp*math.Sin(x/S*math.Pi*f+float64(l)) - y
		}, flat(hexc(k)), 1)
	}
	c.fill(box{0.2 * S, 0.4 * S, 0.42 * S, 0.86 * S}, func(x, y float64) float64 {
		return sdBox(x, y, 0.31*S, 0.64*S, 0.1*S, 0.21*S, 0.02*S)
	}, flat(hexc("#a3202c")), 1)
	c.fill(box{0.2 * S, 0.5 * S, 0.42 * S, 0.7 * S}, func(x, y float64) float64 {
		return sdBox(x, y, 0.31*S, 0.6*S, 0.1*S, 0.07*S, 0)
	}, flat(hexc("#f4efe1")), 1)
	return c.finish(seed, 0.01, 0)
}

// productOnWhite is a catalogue shot: one tin on a seamless white sweep with
// a soft contact shadow. Most of the frame is plain white.
func productOnWhite(size int, seed uint64) *image.RGBA {
	c := newCanvas(size, size)
	m := newMask(size, size)
	for i := range c.px {
		c.px[i] = hexc("#fbfbf9")
	}
	S := float64(size)
	drawTin(c, m, tin{cx: S / 2, base: 0.78 * S, w: 0.3 * S, h: 0.48 * S, body: hexc("#23707a"), lid: hexc("#c9cdd1"),
		label: hexc("#eef0e8"), accent: hexc("#23707a"), style: 2, seed: seed})
	return c.finish(seed, 0.012, 0)
}

// textPage is a printed page of hanzi-like glyphs: dark ink strokes on
// light paper, a heading and twenty lines of body text.
func textPage(size int, seed uint64) *image.RGBA {
	c := newCanvas(size, size)
	rng := newRand(seed)
	paper, ink := hexc("#f5f2ea"), hexc("#222020")
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			c.px[y*size+x] = paper.lift((vnoise(float64(x)/40, float64(y)/40, seed) - 0.5) * 0.03)
		}
	}
	S := float64(size) / 800
	var glyphs []glyph
	for i := 0; i < 9; i++ {
		glyphs = append(glyphs, newGlyph(rng, (60+float64(i)*54)*S, 50*S, 46*S))
	}
	for line := 0; line < 20; line++ {
		for i := 0; i < 24; i++ {
			if line%7 == 6 && i > 14 { // a paragraph ends short
				break
			}
			glyphs = append(glyphs, newGlyph(rng, (60+float64(i)*28.5)*S, (130+float64(line)*32)*S, 24*S))
		}
	}
	for _, g := range glyphs {
		c.fill(g.b, g.sd, flat(ink), 1)
	}
	return c.finish(seed, 0.006, 0)
}

// lineArt is a pen drawing: a teapot and a cup outlined in 2 px strokes over
// hatched hills, black on white.
func lineArt(size int, seed uint64) *image.RGBA {
	c := newCanvas(size, size)
	for i := range c.px {
		c.px[i] = hexc("#fdfdfb")
	}
	S := float64(size) / 800
	const hw = 1.1 // stroke half width, px
	ink := flat(hexc("#1b1b1f"))
	stroke := func(b box, sd func(x, y float64) float64) { c.fill(b, sd, ink, 1) }
	all := box{0, 0, float64(size), float64(size)}
	// hills: three outlines, the nearest hatched
	hill := func(l int, x float64) float64 {
		return (420+60*float64(l))*S - (70-15*float64(l))*S*math.Sin(x/(S*(180+40*float64(l)))+float64(l)*1.7)
	}
	for l := 0; l < 3; l++ {
		stroke(all, func(x, y float64) float64 { return math.Abs(y-hill(l, x)) - hw })
	}
	stroke(all, func(x, y float64) float64 {
		if y < hill(2, x)+6*S {
			return 1e9
		}
		return math.Abs(math.Mod(x+y+4000, 14*S)-7*S) - hw*0.8
	})
	// the teapot: body, lid, knob, spout and handle
	cx, cy := 330*S, 560*S
	stroke(around(cx, cy, 140*S, 110*S), func(x, y float64) float64 { return math.Abs(sdEllipse(x, y, cx, cy, 130*S, 100*S)) - hw })
	stroke(around(cx, cy-100*S, 60*S, 24*S), func(x, y float64) float64 { return math.Abs(sdEllipse(x, y, cx, cy-100*S, 55*S, 16*S)) - hw })
	stroke(around(cx, cy-128*S, 16*S, 16*S), func(x, y float64) float64 { return math.Abs(sdCircle(x, y, cx, cy-128*S, 12*S)) - hw })
	stroke(box{cx + 110*S, cy - 110*S, cx + 240*S, cy + 20*S}, func(x, y float64) float64 {
		return math.Min(sdSegment(x, y, cx+120*S, cy, cx+225*S, cy-95*S, hw), sdSegment(x, y, cx+125*S, cy+30*S, cx+235*S, cy-88*S, hw))
	})
	stroke(around(cx-150*S, cy, 60*S, 70*S), func(x, y float64) float64 {
		d := math.Abs(sdCircle(x, y, cx-130*S, cy, 55*S)) - hw
		if x > cx-120*S {
			return 1e9
		}
		return d
	})
	// a cup beside it
	ux, uy := 610*S, 640*S
	stroke(box{ux - 70*S, uy - 70*S, ux + 70*S, uy + 70*S}, func(x, y float64) float64 {
		rim := math.Abs(sdEllipse(x, y, ux, uy-50*S, 60*S, 14*S)) - hw
		side := math.Min(sdSegment(x, y, ux-60*S, uy-50*S, ux-40*S, uy+50*S, hw), sdSegment(x, y, ux+60*S, uy-50*S, ux+40*S, uy+50*S, hw))
		foot := sdSegment(x, y, ux-40*S, uy+50*S, ux+40*S, uy+50*S, hw)
		return math.Min(rim, math.Min(side, foot))
	})
	// steam
	for i := 0; i < 3; i++ {
		x0 := ux - 25*S + float64(i)*25*S
		stroke(box{x0 - 20*S, uy - 200*S, x0 + 20*S, uy - 70*S}, func(x, y float64) float64 {
			if y < uy-190*S || y > uy-80*S {
				return 1e9
			}
			return math.Abs(x-x0-10*S*math.Sin((y-uy)/(18*S))) - hw*0.9
		})
	}
	return c.finish(seed, 0.008, 0)
}
