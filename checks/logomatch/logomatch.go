// Package logomatch decides whether a rendered image shows a brand's logo and,
// when it does, whether it is stretched, recoloured, inverted or has parts
// changed. It works on decoded pixels only (no browser) and is safe for
// concurrent use once a Reference is built.
//
// Method: both images are trimmed of their background border, flattened onto
// their background colour and drawn onto a fixed 64×64 analysis canvas in two
// ways: squashed (the aspect-normalised view — squashing both to the same
// square is the same as resizing the candidate back to the reference aspect)
// and letterboxed (each at its own aspect, so stretching shows). On each
// canvas two shape maps are built that ignore the logo's colours: the
// distance of every pixel from the background colour ("fill") and the colour
// gradient magnitude ("edge"). Both are invariant to inversion and nearly so
// to hue rotation. goimagehash dHash and pHash of those maps give the shape
// distance; the mean Lab colour of the foreground pixels gives the colour
// distance. A reference with a transparent background is drawn on each
// candidate's background before comparing, since "distance from the
// background" of a green disc differs on white and on a dark header.
package logomatch

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"sync"

	"github.com/corona10/goimagehash"
	"github.com/disintegration/imaging"
)

// Thresholds, chosen from the distances TestCompare (the synthetic logo and
// 10 unrelated images) and TestCompareSeal (the real seal of the test sites
// as 40 and 70 px screenshots, and 17 unrelated images) log with go test -v.
const (
	// FoundMax is the largest ShapeDistance (sum of the dHash and pHash
	// Hamming distances of the fill and edge maps, 0–256) still counted as
	// the logo. Variants of the reference (3 scales, JPEG q70, PNG, padding
	// on grey and navy, stretch, recolour, inversion, low-res, a part
	// removed) measured 0–20; unrelated images 63–130 (closest: another mark
	// in the same colours and layout). The seal's screenshots (white, cream,
	// dark header; JPEG q70) measured ≤ 34 at 40 px and ≤ 37 at 70 px, its
	// stretched, hue-rotated, inverted and sun-removed copies ≤ 41;
	// unrelated images ≥ 76 and ≥ 79 (closest: green badges with a tick or
	// a cream ring and bars). 52 splits the gaps.
	FoundMax = 52
	// PartsChangedMin is the lower edge of the band [PartsChangedMin,
	// FoundMax] of ShapeDistance read as "recognisably the logo, parts
	// changed": above every clean variant measured (≤ 37, the seal at 70 px
	// on the dark header, JPEG q70).
	PartsChangedMin = 45
	// PartsChangedLocal is the localDiff (percent of a cell's mean edge
	// density) from which a found logo counts as having parts changed even
	// when its global distance is small. Clean variants measured ≤ 107 (JPEG
	// q70 of a 40 px logo), the logo with its leaf removed 262. It misses the
	// seal's sun removed (81–101, clean seals ≤ 79): PartsChangedColour
	// catches that.
	PartsChangedLocal = 180.0
	// PartsChangedColour is the localColourDiff (mean CIE76 ΔE over the
	// worst 8×8 window of the 64 px canvas, 1/64 of the logo's area) from
	// which a found logo that keeps the reference's palette counts as having
	// parts changed: a part repainted in another of the logo's colours
	// leaves few edges behind. On the seal (TestCompareSeal) clean
	// screenshots, 40 and 70 px on white, cream and the dark header, JPEG
	// q70 included, measured ≤ 20.1, the seal with its sun painted over
	// ≥ 65.7 at both sizes (the sun is about 5 px across at 40 px); on the
	// synthetic logo clean variants ≤ 17.6, its leaf removed 60.4. Not
	// applied to recoloured or inverted logos.
	PartsChangedColour = 40.0
	// DistortedPct is the aspect ratio difference, in percent of the
	// reference aspect, above which a found logo is Distorted: 5 %, the brand.logo_distort_pct default.
	DistortedPct = 5.0
	// DistortedMinPx is the smallest mismatch, in candidate pixels, that
	// counts as distortion: trimming is exact only to about a pixel, which at
	// 20 px tall is already 5 %.
	DistortedMinPx = 2.0
	// RecolouredDeltaE is the CIE76 ΔE between the mean Lab colours of the
	// foreground above which colours differ. JPEG q70 and low-res copies
	// measured < 9 (the seal at 40 px on cream), a 120° hue rotation > 60
	// on the synthetic logo and ≥ 37 on the seal.
	RecolouredDeltaE = 15.0
	// bgTolerance is the largest per-channel difference (0–255) from the
	// background colour still counted as background: JPEG q70 ringing on
	// flat borders stays well below it.
	bgTolerance = 48
	// canvas is the side of the square analysis canvas, in px.
	canvas = 64
)

// Match is the outcome of comparing one candidate image with a Reference.
type Match struct {
	// Found is true when the shape matches the reference at any aspect
	// (ShapeDistance ≤ FoundMax). The other verdicts are only set when Found.
	Found bool
	// ShapeDistance is the best (smallest) shape distance over the squashed
	// and letterboxed views, 0–256; smaller is more alike.
	ShapeDistance int
	// AspectRef and AspectCandidate are width/height after trimming.
	AspectRef, AspectCandidate float64
	// AspectDiffPct is |candidate/reference − 1| in percent.
	AspectDiffPct float64
	// Distorted: found and AspectDiffPct > DistortedPct (and ≥ DistortedMinPx).
	Distorted bool
	// ColourDistance is the CIE76 ΔE between the mean Lab colours of the
	// foreground pixels of reference and candidate.
	ColourDistance float64
	// Recoloured: found, colours differ by more than RecolouredDeltaE and the
	// change is not an inversion.
	Recoloured bool
	// Inverted: found, and the candidate's inverted colours match the
	// reference while its own colours do not.
	Inverted bool
	// PartsChanged: found, and ShapeDistance is in [PartsChangedMin, FoundMax]
	// or one region's edges differ (Evidence["local_edge_diff"] ≥
	// PartsChangedLocal) or, unless Recoloured or Inverted, one region's
	// colours differ (Evidence["local_colour_diff"] ≥ PartsChangedColour).
	PartsChanged bool
	// Evidence holds the numbers behind the verdicts: "square" and "own"
	// (the four Hamming distances of each view),
	// "reference_on_page_background" (whether the reference was drawn on the
	// candidate's background rather than its own), "colour_inverted_distance",
	// "candidate_size" ([w, h] px after trim) and, when found,
	// "aspect_mismatch_px", "local_edge_diff" and "local_colour_diff"; "error"
	// when the candidate has no foreground.
	Evidence map[string]any
}

// Reference is a brand logo prepared once for many comparisons.
type Reference struct {
	base prepared // on its own background; white when that is transparent
	// src is the trimmed reference with its alpha, kept when its background
	// is transparent so it can be drawn on each candidate's background: the
	// fill map measures distance from the background, so a logo on a dark
	// header has a different fill map than the same logo on white.
	src *image.NRGBA

	mu    sync.Mutex
	views map[color.NRGBA]*prepared // src drawn on a quantised background
}

type hashes struct {
	fillD, fillP, edgeD, edgeP *goimagehash.ImageHash
}

type lab struct{ L, A, B float64 }

// maxViews bounds the cache of reference views drawn on candidate
// backgrounds; a site has a handful of header colours. Beyond it views are
// built per call (a few ms), with identical results.
const maxViews = 32

// ErrNoForeground is returned for an image with nothing but background.
var ErrNoForeground = errors.New("logomatch: image has no foreground")

// NewReference trims and hashes the brand's reference logo. It fails with
// ErrNoForeground when img is blank or empty.
func NewReference(img image.Image) (*Reference, error) {
	p, err := prepare(img)
	if err != nil {
		return nil, fmt.Errorf("reference logo: %w", err)
	}
	r := &Reference{base: p, views: map[color.NRGBA]*prepared{}}
	if p.transparent {
		r.src = imaging.Clone(p.img)
	}
	return r, nil
}

// Aspect is the reference's width/height after trimming.
func (r *Reference) Aspect() float64 { return r.base.aspect }

// Trimmed is the reference after trimming its background border.
func (r *Reference) Trimmed() image.Image { return r.base.img }

// on returns the reference as it would look drawn on bg, prepared like a
// candidate (same flattening and trimming tolerance). An opaque reference,
// or a bg close to the reference's own, gives the reference itself.
func (r *Reference) on(bg color.NRGBA) *prepared {
	own := r.base.bg
	if r.src == nil || bg.A == 0 || (absDiff(bg.R, own.R) <= 8 && absDiff(bg.G, own.G) <= 8 && absDiff(bg.B, own.B) <= 8) {
		return &r.base
	}
	// Quantised so JPEG noise in the corner colour reuses one view, and the
	// view drawn on the quantised colour so results never depend on the cache.
	q := func(c uint8) uint8 { return uint8(min(255, (int(c)+2)&^3)) }
	key := color.NRGBA{q(bg.R), q(bg.G), q(bg.B), 255}
	r.mu.Lock()
	v, ok := r.views[key]
	r.mu.Unlock()
	if ok {
		return v
	}
	b := r.src.Bounds()
	// A 1 px border of bg makes bg the corner colour trimming looks for.
	canvas := imaging.Overlay(imaging.New(b.Dx()+2, b.Dy()+2, key), r.src, image.Pt(1, 1), 1)
	p, err := prepare(canvas)
	if err != nil { // the logo vanishes on bg: compare with it as it is
		return &r.base
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.views) < maxViews {
		r.views[key] = &p
	}
	return &p
}

// Thresholds are the verdict thresholds of CompareWith; storecheck takes
// them from the brand: keys of its config.
type Thresholds struct {
	FoundMax           int     // see the FoundMax const
	DistortedPct       float64 // see DistortedPct
	RecolouredDeltaE   float64 // see RecolouredDeltaE
	PartsChangedMin    int     // see PartsChangedMin
	PartsChangedLocal  float64 // see PartsChangedLocal
	PartsChangedColour float64 // see PartsChangedColour
}

// DefaultThresholds are the measured thresholds of this package's consts.
func DefaultThresholds() Thresholds {
	return Thresholds{FoundMax: FoundMax, DistortedPct: DistortedPct, RecolouredDeltaE: RecolouredDeltaE,
		PartsChangedMin: PartsChangedMin, PartsChangedLocal: PartsChangedLocal, PartsChangedColour: PartsChangedColour}
}

// Compare judges one candidate, as rendered (possibly stretched), under
// DefaultThresholds. A blank or empty candidate is simply not Found
// (Evidence["error"] says why).
func (r *Reference) Compare(candidate image.Image) Match {
	return r.CompareWith(candidate, DefaultThresholds())
}

// CompareWith is Compare under the thresholds t.
func (r *Reference) CompareWith(candidate image.Image, t Thresholds) Match {
	m := Match{AspectRef: r.base.aspect, Evidence: map[string]any{}}
	c, err := prepare(candidate)
	if err != nil {
		m.Evidence["error"] = err.Error()
		m.ShapeDistance = 256
		return m
	}
	ref, views, onPage := r.closest(&c)
	m.Evidence["square"], m.Evidence["own"] = views[0], views[1]
	m.Evidence["reference_on_page_background"] = onPage
	m.AspectCandidate = c.aspect
	m.AspectDiffPct = math.Abs(c.aspect/ref.aspect-1) * 100
	m.ShapeDistance = min(sum(views[0]), sum(views[1]))
	m.Found = m.ShapeDistance <= t.FoundMax

	m.ColourDistance = deltaE(ref.colour, c.colour)
	inv := deltaE(ref.colour, c.inverted)
	m.Evidence["colour_inverted_distance"] = round1(inv)
	m.Evidence["candidate_size"] = [2]int{c.w, c.h}
	if !m.Found {
		return m
	}
	w, h := float64(c.w), float64(c.h)
	px := min(math.Abs(w-h*ref.aspect), math.Abs(h-w/ref.aspect))
	m.Evidence["aspect_mismatch_px"] = round1(px)
	m.Distorted = m.AspectDiffPct > t.DistortedPct && px >= DistortedMinPx
	if m.ColourDistance > t.RecolouredDeltaE {
		m.Inverted = inv <= t.RecolouredDeltaE
		m.Recoloured = !m.Inverted
	}
	local := localDiff(ref.edges, c.edges)
	m.Evidence["local_edge_diff"] = round1(local)
	m.PartsChanged = m.ShapeDistance >= t.PartsChangedMin || local >= t.PartsChangedLocal
	// Region colours only say something when the palette is the reference's.
	if !m.Recoloured && !m.Inverted {
		lc := localColourDiff(ref.labs, c.labs)
		m.Evidence["local_colour_diff"] = round1(lc)
		m.PartsChanged = m.PartsChanged || lc >= t.PartsChangedColour
	}
	return m
}

// closest picks the reference view the candidate is compared with: the
// reference drawn on the candidate's background (a logo placed on a page)
// or on its own (a copy recoloured or inverted as a whole, background
// included), whichever shape is nearer. views are the Hamming distances of
// the squashed and letterboxed views; onPage says which was picked.
func (r *Reference) closest(c *prepared) (ref *prepared, views [2]map[string]int, onPage bool) {
	page := r.on(c.bg)
	bestSum := math.MaxInt
	for _, v := range []*prepared{page, &r.base} {
		if v == ref {
			continue // the candidate's background is the reference's own
		}
		d := [2]map[string]int{distance(v.square, c.square), distance(v.own, c.own)}
		if n := min(sum(d[0]), sum(d[1])); n < bestSum {
			ref, views, bestSum = v, d, n
		}
	}
	return ref, views, ref == page
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// distance is the four Hamming distances of one view.
func distance(a, b hashes) map[string]int {
	d := func(x, y *goimagehash.ImageHash) int {
		n, _ := x.Distance(y) // same kind and length by construction
		return n
	}
	return map[string]int{"fill_dhash": d(a.fillD, b.fillD), "fill_phash": d(a.fillP, b.fillP),
		"edge_dhash": d(a.edgeD, b.edgeD), "edge_phash": d(a.edgeP, b.edgeP)}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

type prepared struct {
	img              *image.NRGBA // trimmed
	flat             *image.NRGBA // trimmed, flattened onto bg
	bg               color.NRGBA  // opaque; white when transparent
	transparent      bool         // the background was transparent
	w, h             int
	aspect           float64
	square, own      hashes
	colour, inverted lab
	edges            []float64
	labs             []lab // Lab colours of the blurred square view
}

func prepare(img image.Image) (prepared, error) {
	if img == nil || img.Bounds().Empty() {
		return prepared{}, ErrNoForeground
	}
	src := imaging.Clone(img)
	box, bg, ok := trimBox(src)
	if !ok {
		return prepared{}, ErrNoForeground
	}
	t := imaging.Crop(src, box)
	transparent := bg.A == 0
	flat, bg := flatten(t, bg)
	p := prepared{img: t, flat: flat, bg: bg, transparent: transparent,
		w: box.Dx(), h: box.Dy(), aspect: float64(box.Dx()) / float64(box.Dy())}

	sq := imaging.Resize(flat, canvas, canvas, imaging.Linear)
	lb := imaging.New(canvas, canvas, bg)
	// Scaled up as well as down (imaging.Fit only shrinks): a 40 px
	// candidate must fill the canvas like the 256 px reference does.
	fw, fh := canvas, max(1, int(math.Round(canvas/p.aspect)))
	if p.aspect < 1 {
		fw, fh = max(1, int(math.Round(canvas*p.aspect))), canvas
	}
	lb = imaging.PasteCenter(lb, imaging.Resize(flat, fw, fh, imaging.Linear))
	var err error
	var sqEdge *image.Gray
	if p.square, sqEdge, err = hashView(sq, bg); err != nil {
		return prepared{}, err
	}
	p.edges = edgeProfile(sqEdge)
	if p.own, _, err = hashView(lb, bg); err != nil {
		return prepared{}, err
	}
	p.colour, p.inverted = meanColour(sq, bg)
	p.labs = labMap(imaging.Blur(sq, 1.5))
	return p, nil
}

func hashView(v *image.NRGBA, bg color.NRGBA) (hashes, *image.Gray, error) {
	fill, edge := shapeMaps(v, bg)
	var h hashes
	var err error
	for _, s := range []struct {
		dst **goimagehash.ImageHash
		f   func(image.Image) (*goimagehash.ImageHash, error)
		img image.Image
	}{
		{&h.fillD, goimagehash.DifferenceHash, fill},
		{&h.fillP, goimagehash.PerceptionHash, fill},
		{&h.edgeD, goimagehash.DifferenceHash, edge},
		{&h.edgeP, goimagehash.PerceptionHash, edge},
	} {
		if *s.dst, err = s.f(s.img); err != nil {
			return hashes{}, nil, fmt.Errorf("hash: %w", err)
		}
	}
	return h, edge, nil
}

// shapeMaps returns the distance-from-background map and the colour gradient
// magnitude map of v. Both ignore which colours the logo uses: inverting
// every colour, the background's included, leaves them unchanged.
func shapeMaps(v *image.NRGBA, bg color.NRGBA) (fill, edge *image.Gray) {
	b := v.Bounds()
	w, h := b.Dx(), b.Dy()
	fill, edge = image.NewGray(b), image.NewGray(b)
	at := func(x, y, c int) float64 {
		x, y = max(0, min(w-1, x)), max(0, min(h-1, y))
		return float64(v.Pix[y*v.Stride+x*4+c])
	}
	for y := range h {
		for x := range w {
			dr, dg, db := at(x, y, 0)-float64(bg.R), at(x, y, 1)-float64(bg.G), at(x, y, 2)-float64(bg.B)
			fill.Pix[y*fill.Stride+x] = uint8(math.Sqrt(dr*dr+dg*dg+db*db) / math.Sqrt(3))
			var g float64
			for c := range 3 {
				gx := at(x+1, y-1, c) + 2*at(x+1, y, c) + at(x+1, y+1, c) - at(x-1, y-1, c) - 2*at(x-1, y, c) - at(x-1, y+1, c)
				gy := at(x-1, y+1, c) + 2*at(x, y+1, c) + at(x+1, y+1, c) - at(x-1, y-1, c) - 2*at(x, y-1, c) - at(x+1, y-1, c)
				g = max(g, math.Hypot(gx, gy))
			}
			edge.Pix[y*edge.Stride+x] = uint8(min(255, g/4))
		}
	}
	return fill, edge
}

// meanColour is the mean Lab colour of the foreground pixels of v, and of the
// same pixels inverted.
func meanColour(v *image.NRGBA, bg color.NRGBA) (mean, inverted lab) {
	var r, g, b float64
	n := 0
	for i := 0; i < len(v.Pix); i += 4 {
		if isBackground(v.Pix[i:i+4], bg) {
			continue
		}
		r, g, b = r+float64(v.Pix[i]), g+float64(v.Pix[i+1]), b+float64(v.Pix[i+2])
		n++
	}
	if n == 0 {
		return lab{}, lab{}
	}
	r, g, b = r/float64(n), g/float64(n), b/float64(n)
	return toLab(r, g, b), toLab(255-r, 255-g, 255-b)
}

func deltaE(a, b lab) float64 { return math.Sqrt(sq(a.L-b.L) + sq(a.A-b.A) + sq(a.B-b.B)) }

func sq(f float64) float64 { return f * f }

// linear maps 8-bit sRGB to linear light; a table because labMap converts
// every pixel of the analysis canvas.
var linear = func() (t [256]float64) {
	for i := range t {
		t[i] = srgbToLinear(float64(i))
	}
	return t
}()

func srgbToLinear(c float64) float64 {
	c /= 255
	if c <= 0.04045 {
		return c / 12.92
	}
	return math.Pow((c+0.055)/1.055, 2.4)
}

// labMap is the Lab colour of every pixel of the opaque canvas-sized v.
func labMap(v *image.NRGBA) []lab {
	out := make([]lab, canvas*canvas)
	for i := range out {
		p := v.Pix[i*4 : i*4+3]
		out[i] = linearToLab(linear[p[0]], linear[p[1]], linear[p[2]])
	}
	return out
}

// toLab converts 0–255 sRGB to CIE Lab (D65).
func toLab(r, g, b float64) lab {
	return linearToLab(srgbToLinear(r), srgbToLinear(g), srgbToLinear(b))
}

func linearToLab(R, G, B float64) lab {
	x := (0.4124*R + 0.3576*G + 0.1805*B) / 0.95047
	y := 0.2126*R + 0.7152*G + 0.0722*B
	z := (0.0193*R + 0.1192*G + 0.9505*B) / 1.08883
	f := func(t float64) float64 {
		if t > 216.0/24389 {
			return math.Cbrt(t)
		}
		return (24389.0/27*t + 16) / 116
	}
	fx, fy, fz := f(x), f(y), f(z)
	return lab{L: 116*fy - 16, A: 500 * (fx - fy), B: 200 * (fy - fz)}
}

// edgeProfile blurs the square edge map (so a pixel or two of misalignment
// does not count) and scales it to a mean of 1 (so contrast does not count).
func edgeProfile(e *image.Gray) []float64 {
	var peak uint8
	for _, v := range e.Pix {
		peak = max(peak, v)
	}
	bin := image.NewGray(e.Bounds())
	for i, v := range e.Pix {
		if v > 0 && int(v)*8 >= int(peak) {
			bin.Pix[i] = 255
		}
	}
	b := imaging.Blur(bin, 1.5)
	out := make([]float64, canvas*canvas)
	var sum float64
	for i := range out {
		out[i] = float64(b.Pix[i*4])
		sum += out[i]
	}
	if sum == 0 {
		return out
	}
	for i := range out {
		out[i] *= float64(len(out)) / sum
	}
	return out
}

// localDiff is the largest difference between two edge profiles in any cell
// of an 8×8 grid, as a percentage of the cell's expected edge energy: a part
// added or removed concentrates the difference in a few cells, while blur and
// re-encoding spread a small one evenly.
func localDiff(a, b []float64) float64 {
	const cell = canvas / 8
	var worst float64
	for cy := 0; cy < canvas; cy += cell {
		for cx := 0; cx < canvas; cx += cell {
			var d float64
			for y := cy; y < cy+cell; y++ {
				for x := cx; x < cx+cell; x++ {
					d += math.Abs(a[y*canvas+x] - b[y*canvas+x])
				}
			}
			worst = max(worst, d/(cell*cell)*100)
		}
	}
	return worst
}

// localColourDiff is the largest mean CIE76 ΔE between two Lab maps over
// any 8×8 window (stride 2) of the canvas: a part repainted changes the
// colours of its region, while blur, re-encoding and a pixel of trimming
// error shift them only along edges, which the maps' blur spreads thin.
func localColourDiff(a, b []lab) float64 {
	const win, stride = canvas / 8, 2
	d := make([]float64, len(a))
	for i := range d {
		d[i] = deltaE(a[i], b[i])
	}
	var worst float64
	for wy := 0; wy+win <= canvas; wy += stride {
		for wx := 0; wx+win <= canvas; wx += stride {
			var s float64
			for y := wy; y < wy+win; y++ {
				for _, v := range d[y*canvas+wx : y*canvas+wx+win] {
					s += v
				}
			}
			worst = max(worst, s/(win*win))
		}
	}
	return worst
}
