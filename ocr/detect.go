package ocr

import (
	"image"
	"math"
	"sort"
)

// region is a part of a picture that looks like text: what the detector
// hands to preprocessing. All sizes are in the picture's pixels.
type region struct {
	Box      image.Rectangle
	Vertical bool // a column of glyphs (竖排, writing-mode vertical-rl)
	Light    bool // light glyphs on a darker ground: inverted before reading
	Glyph    int  // typical glyph size: height of a line, width of a column
	// Cells are the glyph boxes of a vertical column, top to bottom; a
	// reader lays them out in a row (Tesseract's chi_sim reads rows).
	Cells []image.Rectangle
	// mixed: found as dark ink and as light ink (text with a shadow or
	// an outline); detect then decides Light (see lighter).
	mixed bool
}

// Detector tunables, in working pixels unless said otherwise. The values
// come from the fixture pictures (see BenchmarkDetect and
// TestFixtureAccuracy): they keep every text line of the fixtures while
// the text-free product photos (fabric, wood grain, leaves) give no region.
const (
	// detectMaxPixels bounds the working picture: a larger one is shrunk
	// by a whole factor first. 14 px glyphs on a 750 px-wide detail image
	// stay above detectMinGlyph at that size.
	detectMaxPixels = 1_600_000
	// windowRadius is the half side of the square whose mean a pixel is
	// compared with: wide enough to hold a stroke and its ground for
	// glyphs up to ~60 px.
	windowRadius = 12
	// contrastMin is how far (0–255 grey levels) a pixel must differ from
	// its window's mean to be ink: low enough for #999 on #bbb (34 levels).
	contrastMin = 12
	// detectMinGlyph and detectMaxGlyph bound a glyph's height (width for
	// a column).
	detectMinGlyph = 7
	detectMaxGlyph = 160
)

// grey is an 8-bit luminance picture, row-major.
type grey struct {
	W, H int
	Pix  []uint8
}

// toGrey converts img to luminance, shrunk by the whole factor k (box
// average) so that it has at most maxPixels. JPEG pictures (YCbCr) give
// their Y plane directly; that is most of a shop's pictures.
func toGrey(img image.Image, maxPixels int) (g grey, k int) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	k = 1
	for (w/k)*(h/k) > maxPixels {
		k++
	}
	g = grey{W: w / k, H: h / k}
	g.Pix = make([]uint8, g.W*g.H)
	if m, ok := img.(*image.YCbCr); ok && k == 1 {
		// A JPEG's Y plane is the luminance: rows are copied whole.
		for y := 0; y < g.H; y++ {
			i := m.YOffset(b.Min.X, b.Min.Y+y)
			copy(g.Pix[y*g.W:(y+1)*g.W], m.Y[i:i+g.W])
		}
		return g, k
	}
	lum := lumaFunc(img)
	if k == 1 {
		for y := 0; y < g.H; y++ {
			row := g.Pix[y*g.W : (y+1)*g.W]
			for x := range row {
				row[x] = lum(b.Min.X+x, b.Min.Y+y)
			}
		}
		return g, k
	}
	n := uint32(k * k)
	for y := 0; y < g.H; y++ {
		for x := 0; x < g.W; x++ {
			var s uint32
			for dy := 0; dy < k; dy++ {
				for dx := 0; dx < k; dx++ {
					s += uint32(lum(b.Min.X+x*k+dx, b.Min.Y+y*k+dy))
				}
			}
			g.Pix[y*g.W+x] = uint8(s / n)
		}
	}
	return g, k
}

// lumaFunc returns a fast luminance reader for the common image types and
// a generic one for the rest. Transparent pixels count as white, the
// ground a shop page usually shows them on.
func lumaFunc(img image.Image) func(x, y int) uint8 {
	switch m := img.(type) {
	case *image.YCbCr:
		return func(x, y int) uint8 { return m.Y[m.YOffset(x, y)] }
	case *image.Gray:
		return func(x, y int) uint8 { return m.Pix[m.PixOffset(x, y)] }
	case *image.NRGBA:
		return func(x, y int) uint8 {
			p := m.Pix[m.PixOffset(x, y):]
			l := (19595*uint32(p[0]) + 38470*uint32(p[1]) + 7471*uint32(p[2]) + 1<<15) >> 16
			a := uint32(p[3])
			return uint8((l*a + 255*(255-a)) / 255)
		}
	case *image.RGBA:
		return func(x, y int) uint8 {
			p := m.Pix[m.PixOffset(x, y):]
			l := (19595*uint32(p[0]) + 38470*uint32(p[1]) + 7471*uint32(p[2]) + 1<<15) >> 16
			return uint8(l + 255 - uint32(p[3]))
		}
	}
	return func(x, y int) uint8 {
		r, gg, bb, a := img.At(x, y).RGBA()
		l := (19595*r + 38470*gg + 7471*bb + 1<<15) >> 24
		return uint8(l + (0xffff-a)>>8)
	}
}

// comp is one connected component of ink pixels.
type comp struct {
	x0, y0, x1, y1 int // bounding box, max exclusive
	area           int
	contrast       int // summed |grey − window mean| of its pixels
}

func (c comp) w() int { return c.x1 - c.x0 }
func (c comp) h() int { return c.y1 - c.y0 }

// detect finds the text regions of img. It thresholds each pixel against
// its neighbourhood's mean (dark ink and light ink separately), labels the
// connected components, keeps those shaped like glyphs or parts of
// glyphs, chains them into lines and columns, and keeps the chains that
// look like writing rather than texture. It does so on the working
// picture and on it halved, each with the ink as it is and with the ink
// grown by a pixel (see detectGrey), and merges what the four found.
func detect(img image.Image) []region {
	g, k := toGrey(img, detectMaxPixels)
	if g.W < 8 || g.H < 8 {
		return nil
	}
	out := detectGrey(g, k)
	// Glyphs over ~2 windows tall have strokes as wide as the window: their
	// inside is no darker than its mean and the glyph falls apart into
	// edges. The picture halved brings them back to the window's size.
	if h := halve(g); h.W >= 8 && h.H >= 8 {
		out = append(out, detectGrey(h, 2*k)...)
	}
	out = dropInner(mergeRegions(out))
	b := img.Bounds()
	for i := range out {
		r := &out[i]
		if r.mixed {
			r.Light = lighter(g, scaleDown(r.Box, k))
		}
		r.Box = r.Box.Add(b.Min).Intersect(b)
		for j := range r.Cells {
			r.Cells[j] = r.Cells[j].Add(b.Min).Intersect(b)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Box.Min.Y != out[j].Box.Min.Y {
			return out[i].Box.Min.Y < out[j].Box.Min.Y
		}
		return out[i].Box.Min.X < out[j].Box.Min.X
	})
	return out
}

// detectGrey finds the text regions of a working picture shrunk by k and
// returns them in the picture's pixels (relative to its bounds' origin).
// Each polarity's ink is labelled twice: as it is, and grown by a pixel
// so that the parts of a glyph a hair apart (艹 over 夕 over 口, the
// strokes of a low-contrast glyph) become one component of a glyph's
// height that lines up with its neighbours. Measured on the 53 fixture
// pictures with keys (all read): 31 with the ink as it is at one scale,
// 32 with the halved picture added, 36 with the grown ink too.
func detectGrey(g grey, k int) []region {
	mean := localMean(g, windowRadius)
	var out []region
	for _, light := range []bool{false, true} {
		mask := inkMask(g, mean, light)
		runs := maskSpans(mask, g.W, g.H)
		for _, grown := range []bool{false, true} {
			label := runs
			if grown {
				label = runs.grown(g.W, g.H)
			}
			comps := components(label, mask, g, mean)
			// A printed cup's row of flowers, grown, gives blobs of
			// one shape but for the two at the cup's curved edges.
			in := ink{g: g, mean: mean, mask: mask, loose: grown && k == 1}
			for _, r := range chains(comps, in) {
				r.Light = light
				out = append(out, r)
			}
		}
	}
	out = mergeRegions(out)
	for i := range out {
		r := &out[i]
		r.Box = scaleRect(r.Box, k)
		r.Glyph *= k
		for j := range r.Cells {
			r.Cells[j] = scaleRect(r.Cells[j], k)
		}
	}
	return out
}

// halve shrinks g by 2 (box average).
func halve(g grey) grey {
	h := grey{W: g.W / 2, H: g.H / 2}
	h.Pix = make([]uint8, h.W*h.H)
	for y := 0; y < h.H; y++ {
		a, b := g.Pix[2*y*g.W:], g.Pix[(2*y+1)*g.W:]
		for x := 0; x < h.W; x++ {
			h.Pix[y*h.W+x] = uint8((int(a[2*x]) + int(a[2*x+1]) + int(b[2*x]) + int(b[2*x+1]) + 2) / 4)
		}
	}
	return h
}

func scaleDown(r image.Rectangle, k int) image.Rectangle {
	return image.Rect(r.Min.X/k, r.Min.Y/k, (r.Max.X+k-1)/k, (r.Max.Y+k-1)/k)
}

// lighter reports whether the ink inside r (working pixels) is lighter
// than its ground: whether the grey levels above the median (the ground,
// a region is mostly ground) by more than contrastMin outweigh those
// below it. A region is found in both polarities when its text has an
// outline or a shadow, and the two merged keep one of them, often the
// shadow's (618狂欢 in white over its dark shadow read Sleek): the side
// with more ink is the text.
func lighter(g grey, r image.Rectangle) bool {
	r = r.Intersect(image.Rect(0, 0, g.W, g.H))
	var hist [256]int
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for _, v := range g.Pix[y*g.W+r.Min.X : y*g.W+r.Max.X] {
			hist[v]++
			n++
		}
	}
	m, c := 0, 0
	for ; m < 255 && c+hist[m] <= n/2; m++ {
		c += hist[m]
	}
	light, dark := 0, 0
	for v, h := range hist {
		if d := v - m - contrastMin; d > 0 {
			light += d * h
		}
		if d := m - v - contrastMin; d > 0 {
			dark += d * h
		}
	}
	return light > dark
}

func scaleRect(r image.Rectangle, k int) image.Rectangle {
	return image.Rect(r.Min.X*k, r.Min.Y*k, r.Max.X*k, r.Max.Y*k)
}

// localMean is the mean grey of the (2r+1)² window around each pixel,
// clipped at the edges, from an integral image. A window's sum is divided
// by multiplying with its area's reciprocal in 32.32 fixed point (a
// division per pixel was most of its cost): for a sum s ≤ 255·a the
// product's error is under 255·a/2³², below the 1/a a floor can bear,
// so the quotient is exact for any window of fewer than 4 104 pixels.
func localMean(g grey, r int) []uint8 {
	W, H := g.W, g.H
	sum := make([]uint32, (W+1)*(H+1))
	for y := 0; y < H; y++ {
		var row uint32
		above, cur := sum[y*(W+1)+1:(y+1)*(W+1)], sum[(y+1)*(W+1)+1:(y+2)*(W+1)]
		for x, p := range g.Pix[y*W : (y+1)*W] {
			row += uint32(p)
			cur[x] = above[x] + row
		}
	}
	side := 2*r + 1
	inv := make([]uint64, side*side+1)
	for a := 1; a < len(inv); a++ {
		inv[a] = (1<<32 + uint64(a) - 1) / uint64(a)
	}
	xs0, xs1 := make([]int, W), make([]int, W)
	for x := range xs0 {
		xs0[x], xs1[x] = max(x-r, 0), min(x+r+1, W)
	}
	mean := make([]uint8, W*H)
	for y := 0; y < H; y++ {
		y0, y1 := max(y-r, 0), min(y+r+1, H)
		rows := y1 - y0
		top, bot := sum[y0*(W+1):(y0+1)*(W+1)], sum[y1*(W+1):(y1+1)*(W+1)]
		out := mean[y*W : (y+1)*W]
		for x := range out {
			x0, x1 := xs0[x], xs1[x]
			s := bot[x1] - top[x1] - bot[x0] + top[x0]
			out[x] = uint8(uint64(s) * inv[rows*(x1-x0)] >> 32)
		}
	}
	return mean
}

// inkMask marks the pixels darker (or, light, brighter) than their
// window's mean by contrastMin.
func inkMask(g grey, mean []uint8, light bool) []bool {
	m := make([]bool, len(g.Pix))
	for i, p := range g.Pix {
		if light {
			m[i] = int(p) > int(mean[i])+contrastMin
		} else {
			m[i] = int(p) < int(mean[i])-contrastMin
		}
	}
	return m
}

// Line tunables (ratios to the glyph size).
const (
	// linkGap is the widest gap between two neighbours of a line, in glyph
	// sizes: CJK glyphs sit 0–0.2 apart, Latin words 0.3, banner phrases
	// and letter-spaced capitals up to ~1.
	linkGap = 1.0
	// linkRatio bounds the size ratio of two neighbours, and linkAlign
	// how far their two edges across the line may differ: glyphs of one
	// line share their top and bottom (digits and CJK differ by ~20 %), a
	// texture's blobs do not.
	linkRatio = 1.35
	linkAlign = 0.2
	// minSpan is the least length of a line, in glyph sizes.
	minSpan = 1.8
	// minLineGlyph is the least height (working px) of a line's aligned
	// parts: 14 px CJK and digits measure 10–13, a garden's rows of bushes
	// 7–8.
	minLineGlyph = 9
	// minColumnGlyph (working px) and minColumnSpan (glyph sizes) are
	// stricter for columns: leaves, tin labels and stems stack into short
	// thin columns far more often than they line up in rows, and 竖排
	// text on shop pictures is display text, 20 px and up.
	minColumnGlyph = 22
	minColumnSpan  = 2.5
	// crowdBand is how deep (glyph sizes) the bands along a line's long
	// sides are, and crowdMax how much of the line's length may have
	// glyph-sized blobs in them: writing has a clear ground beside its
	// lines, a weave or wood grain has more of the same above and below.
	crowdBand = 0.3
	crowdMax  = 0.3
	// lineContrast is the least median contrast of a line's parts: the
	// mean distance (grey levels) of their pixels from the window mean.
	// Drawn text on the fixtures measures 29–146, highlights and grain of
	// the text-free product photos 15–29.
	lineContrast = 30
	// extendGap is how far (glyph sizes) a line grows along its direction
	// over parts that failed the alignment test: a leading 一 or 1, a ¥,
	// punctuation, a glyph of another height.
	extendGap = 1.2
	// A line under lineContrast still counts when its ground is flat: its
	// contrast at least flatContrast and its side bands' noise at most
	// flatNoise. #999 text on #bbb measures 18–25 over a ground of
	// 0.00–0.12; text over photos measures a ground of 1.9–3.5.
	flatContrast = 12
	flatNoise    = 0.5
	// minPairGlyph (working px) is the least glyph of a line of two parts:
	// a two-glyph wordmark (茗香) or two glyphs and a flat 一 (买一送一).
	// A pair also needs lineContrast in both parts and a flat ground
	// (flatNoise): two blobs side by side are common in a photo.
	minPairGlyph = 20
	// A pair of strong parts (pairContrast) may stand on a ground as
	// noisy as a JPEG's flat fill (pairNoise): 手价 white on a red band
	// measures 103–106 over 1.0–1.5; text over photos has a ground of
	// 1.9 and up.
	pairContrast = 2 * lineContrast
	pairNoise    = 1.6
)

// ink is a thresholded working picture: grey levels, window means and the
// ink mask of one polarity.
type ink struct {
	g    grey
	mean []uint8
	mask []bool
	// all are every component of the mask, glyph-like or not, for a line
	// to grow over (a flat 一, a dot); allGrid finds them.
	all     []comp
	allGrid compGrid
	// loose makes repeated count a line as a motif when three in five
	// of its parts are one shape, not all: see detectGrey.
	loose bool
}

// noise is the mean difference (grey levels) between neighbouring ground
// pixels inside the rectangles (a line's side bands): ~0 for a flat fill
// or a gradient, more for a photo's grain.
func (k ink) noise(rs [2]image.Rectangle) float64 {
	sum, n := 0, 0
	for _, r := range rs {
		r = r.Intersect(image.Rect(0, 0, k.g.W, k.g.H))
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x+1 < r.Max.X; x++ {
				if i := y*k.g.W + x; !k.mask[i] && !k.mask[i+1] {
					sum += abs(int(k.g.Pix[i]) - int(k.g.Pix[i+1]))
					n++
				}
			}
		}
	}
	if n == 0 {
		return 255
	}
	return float64(sum) / float64(n)
}

// glyphLike reports whether c could be a glyph or a part of one.
func glyphLike(c comp) bool {
	w, h := c.w(), c.h()
	s := max(w, h)
	if s < 4 || s > detectMaxGlyph || c.area < 6 {
		return false
	}
	if w > 8*h || h > 8*w {
		return false
	}
	fill := float64(c.area) / float64(w*h)
	return !(s > 16 && fill > 0.85)
}

// compGrid finds components near a rectangle without comparing all
// pairs: cells of gridCell px list the components that touch them.
type compGrid struct {
	cells [][]int32 // row-major, w × h cells
	w, h  int
	// seen marks the components near has called f for: seen[j] == stamp
	// in the current call. A map per call was a tenth of the detector's
	// time.
	seen  []uint32
	stamp *uint32
}

const gridCell = 64

func newCompGrid(cs []comp, width int) compGrid {
	height := 0
	for _, c := range cs {
		height = max(height, c.y1)
	}
	g := compGrid{w: width/gridCell + 1, h: height/gridCell + 1, seen: make([]uint32, len(cs)), stamp: new(uint32)}
	g.cells = make([][]int32, g.w*g.h)
	for i, c := range cs {
		for y := c.y0 / gridCell; y <= (c.y1-1)/gridCell; y++ {
			for x := c.x0 / gridCell; x <= (c.x1-1)/gridCell; x++ {
				g.cells[y*g.w+x] = append(g.cells[y*g.w+x], int32(i))
			}
		}
	}
	return g
}

// near calls f once for each component touching a cell that r touches,
// in the order of the cells (row by row) and of the components in a cell.
// f must not call near on the same grid.
func (g compGrid) near(r image.Rectangle, f func(j int)) {
	*g.stamp++
	stamp := *g.stamp
	for y := max(r.Min.Y, 0) / gridCell; y <= min(max(r.Max.Y-1, 0)/gridCell, g.h-1); y++ {
		for x := max(r.Min.X, 0) / gridCell; x <= min(max(r.Max.X-1, 0)/gridCell, g.w-1); x++ {
			for _, j := range g.cells[y*g.w+x] {
				if g.seen[j] != stamp {
					g.seen[j] = stamp
					f(int(j))
				}
			}
		}
	}
}

// chains links glyph-like components into horizontal lines and vertical
// columns and returns those that pass the writing tests.
func chains(all []comp, in ink) []region {
	g := in.g
	in.all, in.allGrid = all, newCompGrid(all, g.W)
	var cs []comp
	for _, c := range all {
		if glyphLike(c) {
			cs = append(cs, c)
		}
	}
	if len(cs) < 3 {
		return nil
	}
	grid := newCompGrid(cs, g.W)
	hu, vu := newUnion(len(cs)), newUnion(len(cs))
	for i, a := range cs {
		reach := int(linkGap*float64(max(a.w(), a.h()))) + 1
		grid.near(image.Rect(a.x0-reach, a.y0-reach, a.x1+reach, a.y1+reach), func(j int) {
			if j <= i {
				return
			}
			b := cs[j]
			if a.h() >= minLineGlyph && b.h() >= minLineGlyph &&
				aligned(a.y0, a.y1, b.y0, b.y1, a.x0, a.x1, b.x0, b.x1) {
				hu.union(i, j)
			}
			if a.w() >= detectMinGlyph && b.w() >= detectMinGlyph &&
				aligned(a.x0, a.x1, b.x0, b.x1, a.y0, a.y1, b.y0, b.y1) {
				vu.union(i, j)
			}
		})
	}
	var out []region
	inLine := make([]bool, len(cs))
	for _, members := range groups(hu, cs) {
		if r, ok := writing(members, cs, grid, in, false); ok {
			out = append(out, r)
			for _, m := range members {
				inLine[m] = true
			}
		}
	}
	for _, members := range groups(vu, cs) {
		n := 0
		for _, m := range members {
			if inLine[m] {
				n++
			}
		}
		if n*10 > len(members)*3 {
			continue // a paragraph of lines, not a column
		}
		if r, ok := writing(members, cs, grid, in, true); ok {
			out = append(out, r)
		}
	}
	return out
}

// aligned reports whether a and b are neighbours in a line: across the
// line (a0,a1 / b0,b1) they have about the same extent and edges, along
// it (pa, pb) they are near.
func aligned(a0, a1, b0, b1, pa0, pa1, pb0, pb1 int) bool {
	ha, hb := a1-a0, b1-b0
	lo, hi := min(ha, hb), max(ha, hb)
	if float64(hi) > linkRatio*float64(lo) {
		return false
	}
	tol := linkAlign * float64(hi)
	if float64(abs(a0-b0)) > tol || float64(abs(a1-b1)) > tol {
		return false
	}
	gap := max(pb0-pa1, pa0-pb1)
	return float64(gap) <= linkGap*float64(hi)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

type union []int32

func newUnion(n int) union {
	u := make(union, n)
	for i := range u {
		u[i] = int32(i)
	}
	return u
}

func (u union) find(a int) int {
	for int(u[a]) != a {
		u[a] = u[u[a]]
		a = int(u[a])
	}
	return a
}

func (u union) union(a, b int) {
	a, b = u.find(a), u.find(b)
	if a != b {
		u[max(a, b)] = int32(min(a, b))
	}
}

// groups lists the members of each set with at least two members (a
// pair must pass writing's stricter test for pairs).
func groups(u union, cs []comp) [][]int {
	by := map[int][]int{}
	for i := range cs {
		r := u.find(i)
		by[r] = append(by[r], i)
	}
	var out [][]int
	for _, m := range by {
		if len(m) >= 2 {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// writing decides whether the aligned components look like a line of
// writing (a column when vertical) and returns its region in working
// pixels.
func writing(members []int, cs []comp, grid compGrid, ink ink, vertical bool) (region, bool) {
	sizes := make([]int, 0, len(members))
	box := image.Rectangle{}
	in := map[int]bool{}
	for _, m := range members {
		c := cs[m]
		if vertical {
			sizes = append(sizes, c.w())
		} else {
			sizes = append(sizes, c.h())
		}
		box = box.Union(image.Rect(c.x0, c.y0, c.x1, c.y1))
		in[m] = true
	}
	sort.Ints(sizes)
	glyph := sizes[len(sizes)/2]
	if glyph < detectMinGlyph || glyph > detectMaxGlyph {
		return region{}, false
	}
	long := box.Dx()
	if vertical {
		long = box.Dy()
	}
	span := long
	if vertical && float64(long) < minColumnSpan*float64(glyph) && glyph >= minColumnGlyph {
		// A glyph of parts side by side (到 is 至 and 刂) falls out of
		// the column's chain: its span counts the parts it grows over.
		span = extend(box, glyph, vertical, ink.all, ink.allGrid).Dy()
	}
	if vertical && (glyph < minColumnGlyph || float64(span) < minColumnSpan*float64(glyph)) {
		return region{}, false
	}
	if float64(long) < minSpan*float64(glyph) {
		return region{}, false
	}
	if len(members) == 2 {
		if glyph < minPairGlyph {
			return region{}, false
		}
		// Each part of a column's pair is a whole glyph, about square:
		// not a word's blob (a table's cells of text stacked up). A
		// row's part may be wider (买一 of 买一送一, grown into one).
		for _, m := range members {
			c := cs[m]
			if vertical && 2*max(c.w(), c.h()) > 3*min(c.w(), c.h()) {
				return region{}, false
			}
		}
	}
	band := max(int(crowdBand*float64(glyph)), 2)
	var sides [2]image.Rectangle
	if vertical {
		sides = [2]image.Rectangle{
			image.Rect(box.Min.X-band, box.Min.Y, box.Min.X, box.Max.Y),
			image.Rect(box.Max.X, box.Min.Y, box.Max.X+band, box.Max.Y),
		}
	} else {
		sides = [2]image.Rectangle{
			image.Rect(box.Min.X, box.Min.Y-band, box.Max.X, box.Min.Y),
			image.Rect(box.Min.X, box.Max.Y, box.Max.X, box.Max.Y+band),
		}
	}
	flat := ink.noise(sides) <= flatNoise
	for _, side := range sides {
		// The share of the line's length beside which a glyph-sized blob
		// lies, counted on a coverage array along the line.
		cover := make([]bool, long)
		grid.near(side, func(j int) {
			c := cs[j]
			if s := max(c.w(), c.h()); in[j] || 2*s < glyph || s > 3*glyph {
				return
			}
			r := image.Rect(c.x0, c.y0, c.x1, c.y1).Intersect(side)
			// On a flat ground a blob that only grazes the band is the
			// next line's top (茶叶类目 a third of a glyph under 第一品牌),
			// not a crowd; over a photo (leaves) it counts.
			depth := r.Dy()
			if vertical {
				depth = r.Dx()
			}
			if r.Empty() || (flat && 5*depth < band) {
				return
			}
			lo, hi := r.Min.X-box.Min.X, r.Max.X-box.Min.X
			if vertical {
				lo, hi = r.Min.Y-box.Min.Y, r.Max.Y-box.Min.Y
			}
			for k := max(lo, 0); k < min(hi, long); k++ {
				cover[k] = true
			}
		})
		n := 0
		for _, c := range cover {
			if c {
				n++
			}
		}
		if q := float64(n) / float64(long); q > crowdMax {
			return region{}, false
		}
	}
	cons := make([]int, 0, len(members))
	for _, m := range members {
		cons = append(cons, cs[m].contrast/cs[m].area)
	}
	sort.Ints(cons)
	if len(members) == 2 && (cons[0] < lineContrast || ink.noise(sides) > flatNoise) &&
		(cons[0] < pairContrast || ink.noise(sides) > pairNoise) {
		return region{}, false
	}
	if con := cons[len(cons)/2]; con < lineContrast && (con < flatContrast || ink.noise(sides) > flatNoise) {
		return region{}, false
	}
	if repeated(members, cs, ink, vertical) {
		return region{}, false
	}

	box = extend(box, glyph, vertical, ink.all, ink.allGrid)
	r := region{Box: box, Vertical: vertical, Glyph: glyph}
	if vertical {
		r.Cells = columnCells(members, cs, box, glyph)
		if len(r.Cells) < 2 {
			return region{}, false
		}
	}
	return r, true
}

// repeated reports whether most parts of a line are one shape over and
// over: the motif of a printed cup or a border, not writing, whose glyphs
// differ. A line of equal digits (1111) alone is lost with it. All parts
// of one shape is a motif; so are three in five when loose, or when they
// stand at one pitch (a cup's flowers, the two at its curved edges
// smaller: on the fixtures that rule removed that region alone). One
// shape means the same box, area and ink layout (see sameShape): CJK
// glyphs of one line share their box and often their area, not their
// layout (销量第一 over a photo was lost as a motif on box and area alone).
func repeated(members []int, cs []comp, in ink, vertical bool) bool {
	areas := make([]int, len(members))
	for i, m := range members {
		areas[i] = cs[m].area
	}
	sort.Ints(areas)
	med := areas[len(areas)/2]
	var ref comp
	for _, m := range members {
		if cs[m].area == med {
			ref = cs[m]
			break
		}
	}
	refShape := in.layout(ref)
	same, alike := 0, 0
	for _, m := range members {
		c := cs[m]
		if near(c.area, ref.area, 0.1) && near(c.w(), ref.w(), 0.1) && near(c.h(), ref.h(), 0.1) {
			same++
			if sameShape(in.layout(c), refShape) {
				alike++
			}
		}
	}
	if alike == len(members) || (in.loose && len(members) >= 5 && same*5 >= len(members)*3) {
		return true
	}
	return len(members) >= 5 && same*5 >= len(members)*3 && regularPitch(members, cs, vertical)
}

// layoutCells is the side of the grid a component's ink layout is
// sampled on.
const layoutCells = 8

// layout is the share of ink (0–1) in each cell of a layoutCells² grid
// laid over c's box: a cheap picture of its shape, alike for the copies
// of a motif, unlike for two glyphs of one box size.
func (k ink) layout(c comp) [layoutCells * layoutCells]float64 {
	var on, all [layoutCells * layoutCells]int
	for y := c.y0; y < c.y1; y++ {
		cy := (y - c.y0) * layoutCells / c.h()
		for x := c.x0; x < c.x1; x++ {
			i := cy*layoutCells + (x-c.x0)*layoutCells/c.w()
			all[i]++
			if k.mask[y*k.g.W+x] {
				on[i]++
			}
		}
	}
	var out [layoutCells * layoutCells]float64
	for i := range out {
		if all[i] > 0 {
			out[i] = float64(on[i]) / float64(all[i])
		}
	}
	return out
}

// sameLayout is the largest mean difference of two layouts (ink share per
// cell) that counts as one shape. Measured on the fixtures: the flowers
// printed on the cups differ by at most 0.18, the glyphs of 销量第一 by at
// least 0.22 (a 4×4 grid did not part them: 0.14 and 0.12).
const sameLayout = 0.2

// sameShape reports whether two layouts are one shape (see sameLayout).
func sameShape(a, b [layoutCells * layoutCells]float64) bool {
	d := 0.0
	for i := range a {
		d += math.Abs(a[i] - b[i])
	}
	return d/float64(len(a)) <= sameLayout
}

// regularPitch reports whether the parts of a line stand at one pitch
// (their centres' spacings within 10 % of each other): a motif printed
// at equal steps, where writing's parts (a glyph is often several) do not.
func regularPitch(members []int, cs []comp, vertical bool) bool {
	xs := make([]int, len(members))
	for i, m := range members {
		xs[i] = cs[m].x0 + cs[m].x1
		if vertical {
			xs[i] = cs[m].y0 + cs[m].y1
		}
	}
	sort.Ints(xs)
	lo, hi := xs[1]-xs[0], xs[1]-xs[0]
	for i := 2; i < len(xs); i++ {
		d := xs[i] - xs[i-1]
		lo, hi = min(lo, d), max(hi, d)
	}
	return lo > 0 && float64(hi) <= 1.1*float64(lo)
}

// near reports whether a and b differ by at most frac of the larger, or
// by one pixel.
func near(a, b int, frac float64) bool {
	d := abs(a - b)
	return d <= 1 || float64(d) <= frac*float64(max(a, b))
}

// extend grows a line's box along its direction over the glyph-like
// components that sit in its band, lie within extendGap glyphs of it and
// have a line's contrast (a photo's leaves beside a price sticker do not).
func extend(box image.Rectangle, glyph int, vertical bool, cs []comp, grid compGrid) image.Rectangle {
	reach := int(extendGap * float64(glyph))
	for grown := true; grown; {
		grown = false
		look := box.Inset(-reach)
		grid.near(look, func(j int) {
			c := cs[j]
			r := image.Rect(c.x0, c.y0, c.x1, c.y1)
			if s := max(c.w(), c.h()); r.In(box) || !r.Overlaps(look) || s > 3*glyph/2 || 8*s < glyph || c.contrast < lineContrast*c.area {
				return
			}
			var over, size, gap int
			if vertical {
				over = min(r.Max.X, box.Max.X) - max(r.Min.X, box.Min.X)
				size = r.Dx()
				gap = max(r.Min.Y-box.Max.Y, box.Min.Y-r.Max.Y)
			} else {
				over = min(r.Max.Y, box.Max.Y) - max(r.Min.Y, box.Min.Y)
				size = r.Dy()
				gap = max(r.Min.X-box.Max.X, box.Min.X-r.Max.X)
			}
			if 2*over < size || gap > reach {
				return
			}
			// Grow along the line, and across it over a taller part (an
			// 18 px amount after a 14 px label) while the band stays
			// under two glyphs.
			nb := box.Union(r)
			if vertical && nb.Dx() > 2*glyph {
				nb = image.Rect(box.Min.X, nb.Min.Y, box.Max.X, nb.Max.Y)
			} else if !vertical && nb.Dy() > 2*glyph {
				nb = image.Rect(nb.Min.X, box.Min.Y, nb.Max.X, box.Max.Y)
			}
			if nb != box {
				box, grown = nb, true
			}
		})
	}
	return box
}

// columnCells cuts a column into glyph cells: the components' vertical
// extents merged where they overlap, then runs shorter than a glyph joined
// to their neighbour (a glyph of stacked parts, 草 or 是, is several runs).
func columnCells(members []int, cs []comp, box image.Rectangle, glyph int) []image.Rectangle {
	type run struct{ y0, y1 int }
	var runs []run
	sorted := append([]int(nil), members...)
	sort.Slice(sorted, func(i, j int) bool { return cs[sorted[i]].y0 < cs[sorted[j]].y0 })
	for _, m := range sorted {
		c := cs[m]
		if n := len(runs); n > 0 && c.y0 < runs[n-1].y1 {
			runs[n-1].y1 = max(runs[n-1].y1, c.y1)
			continue
		}
		runs = append(runs, run{c.y0, c.y1})
	}
	// Join short runs while the result stays within a glyph's height.
	limit := glyph + glyph/5
	var cells []run
	for _, r := range runs {
		if n := len(cells); n > 0 {
			last := &cells[n-1]
			if r.y1-last.y0 <= limit && (last.y1-last.y0 < glyph*4/5 || r.y1-r.y0 < glyph*4/5) {
				last.y1 = r.y1
				continue
			}
		}
		cells = append(cells, r)
	}
	out := make([]image.Rectangle, len(cells))
	for i, c := range cells {
		out[i] = image.Rect(box.Min.X, c.y0, box.Max.X, c.y1)
	}
	return out
}

// mergeRegions joins regions that are the same line found twice (dark
// outline and light fill of outlined text) or one line cut by a wide gap:
// same direction, overlapping or touching once padded, and of a similar
// glyph size, or of any glyph sizes when their boxes overlap on one row
// (sameRow). Latin fine print is found at its capitals' height and at
// its x-height, 15 and 9 px on detail-latin.jpg, and the two parts, read
// apart, came back as "Store Sealed in a" and "Store sealed in acoold":
// the same words twice, at twice the cost.
func mergeRegions(rs []region) []region {
	for changed := true; changed; {
		changed = false
		for i := 0; i < len(rs) && !changed; i++ {
			for j := i + 1; j < len(rs); j++ {
				a, b := rs[i], rs[j]
				if a.Vertical != b.Vertical {
					continue
				}
				if float64(max(a.Glyph, b.Glyph)) > 1.5*float64(min(a.Glyph, b.Glyph)) && !sameRow(a, b) {
					continue
				}
				pad := max(a.Glyph, b.Glyph) / 2
				if !a.Box.Inset(-pad).Overlaps(b.Box.Inset(-pad)) {
					continue
				}
				// Same row (column): they overlap across the line by half.
				var over, lo int
				if a.Vertical {
					over = min(a.Box.Max.X, b.Box.Max.X) - max(a.Box.Min.X, b.Box.Min.X)
					lo = min(a.Box.Dx(), b.Box.Dx())
				} else {
					over = min(a.Box.Max.Y, b.Box.Max.Y) - max(a.Box.Min.Y, b.Box.Min.Y)
					lo = min(a.Box.Dy(), b.Box.Dy())
				}
				if over*2 < lo {
					continue
				}
				keep := a
				if b.Box.Dx()*b.Box.Dy() > a.Box.Dx()*a.Box.Dy() {
					keep = b
				}
				keep.Box = a.Box.Union(b.Box)
				keep.mixed = a.mixed || b.mixed || a.Light != b.Light
				if keep.Vertical {
					keep.Cells = mergeCells(a.Cells, b.Cells)
				}
				rs[i] = keep
				rs = append(rs[:j], rs[j+1:]...)
				changed = true
				break
			}
		}
	}
	return rs
}

// dropInner drops the regions that lie (four fifths of their box) inside
// a region of glyphs over 1.5 times their size, the ratio beyond which
// mergeRegions keeps two lines apart: the strokes of large glyphs (the
// serifs of 销量 at 52 px found as a line of 11 px parts), which read as
// noise.
func dropInner(rs []region) []region {
	var out []region
	for i, a := range rs {
		inner := false
		for j, b := range rs {
			in := a.Box.Intersect(b.Box)
			if i != j && 2*b.Glyph > 3*a.Glyph && 5*in.Dx()*in.Dy() >= 4*a.Box.Dx()*a.Box.Dy() {
				inner = true
				break
			}
		}
		if !inner {
			out = append(out, a)
		}
	}
	return out
}

// mergeCells unites two columns' cells: overlapping cells become one.
func mergeCells(a, b []image.Rectangle) []image.Rectangle {
	all := append(append([]image.Rectangle(nil), a...), b...)
	sort.Slice(all, func(i, j int) bool { return all[i].Min.Y < all[j].Min.Y })
	var out []image.Rectangle
	for _, c := range all {
		if n := len(out); n > 0 && c.Min.Y < out[n-1].Max.Y {
			out[n-1] = out[n-1].Union(c)
			continue
		}
		out = append(out, c)
	}
	return out
}

// sameRow: a and b are horizontal, their boxes overlap, and across the
// line they share at least half the taller one's height. A line of small
// glyphs under or inside a large one (a tagline, the serifs of 销量) shares
// less than that, and dropInner deals with what lies inside.
func sameRow(a, b region) bool {
	if a.Vertical || !a.Box.Overlaps(b.Box) {
		return false
	}
	over := min(a.Box.Max.Y, b.Box.Max.Y) - max(a.Box.Min.Y, b.Box.Min.Y)
	return 2*over >= max(a.Box.Dy(), b.Box.Dy())
}
