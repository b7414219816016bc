package logomatch

import (
	"image"
	"image/color"
	"math"
	"slices"

	"github.com/disintegration/imaging"
)

// BlurredRatio is the Sharpness ratio below which a found logo is blurred or
// upscaled (logo.low-quality). Measured by TestSharpnessSeal (go test -v) on
// the seal at 40 and 70 px on white, cream and the dark header: clean
// screenshots (Linear and CatmullRom, JPEG q70, stretched, hue-rotated,
// inverted, sun removed) 0.895–1.41 at 40 px and 0.844–1.38 at 70 px (the
// lowest: hue-rotated on the dark header, whose disc then barely stands
// out); blurred (σ 12 at 256 px) ≤ 0.44 / 0.24; drawn from a 24 px copy ≤
// 0.705 / 0.412, from 16 px ≤ 0.53 / 0.30. 0.77 leaves about 0.07 on either
// side at 40 px, where a 24 px copy is upscaled only 1.67×.
const BlurredRatio = 0.77

// Sharpness measures how steep the candidate's edges are compared with the
// reference drawn at the candidate's trimmed size, on its background: ratio
// is about 1 for a clean rendering at any size, so a small logo is not
// penalised for being small, and well below 1 when the candidate is blurred
// or upscaled from a low-resolution copy. Steepness is the mean of the top
// 10 % gradient magnitudes of the fill map (distance from the background),
// normalised by its 95th percentile, the logo's contrast, so recolouring
// does not count.
//
// The ratio is 1 and ev["measurable"] false when the candidate has no
// foreground or the reference has fewer pixels than the candidate in either
// dimension: drawing the reference that large would upscale it, making it
// no sharper than a blurred candidate. ev also holds "candidate" and
// "reference" (the two steepness values) and "size" ([w, h] px trimmed).
func (r *Reference) Sharpness(candidate image.Image) (ratio float64, ev map[string]any) {
	ev = map[string]any{"measurable": false}
	if candidate == nil || candidate.Bounds().Empty() {
		ev["error"] = ErrNoForeground.Error()
		return 1, ev
	}
	src := imaging.Clone(candidate)
	box, bg, ok := trimBox(src)
	if !ok {
		ev["error"] = ErrNoForeground.Error()
		return 1, ev
	}
	flat, bg := flatten(imaging.Crop(src, box), bg)
	w, h := box.Dx(), box.Dy()
	ev["size"] = [2]int{w, h}
	ref := r.on(bg)
	if ref.w < w || ref.h < h {
		ev["error"] = "reference smaller than candidate"
		return 1, ev
	}
	rs := steepness(imaging.Resize(ref.flat, w, h, imaging.Linear), bg)
	cs := steepness(flat, bg)
	ev["candidate"], ev["reference"] = round3(cs), round3(rs)
	if rs == 0 {
		ev["error"] = "reference has no edges"
		return 1, ev
	}
	ev["measurable"] = true
	return cs / rs, ev
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

// steepness is the mean of the top 10 % Sobel gradient magnitudes of v's fill
// map (distance from bg) scaled by the map's 95th percentile: about 0.5 for
// a 1 px anti-aliased step, lower the wider edges are spread.
func steepness(v *image.NRGBA, bg color.NRGBA) float64 {
	b := v.Bounds()
	w, h := b.Dx(), b.Dy()
	fill := make([]float64, w*h)
	for y := range h {
		for x := range w {
			i := y*v.Stride + x*4
			dr, dg, db := float64(v.Pix[i])-float64(bg.R), float64(v.Pix[i+1])-float64(bg.G), float64(v.Pix[i+2])-float64(bg.B)
			fill[y*w+x] = math.Sqrt(dr*dr + dg*dg + db*db)
		}
	}
	sorted := slices.Clone(fill)
	slices.Sort(sorted)
	contrast := sorted[len(sorted)*95/100]
	if contrast == 0 {
		return 0
	}
	at := func(x, y int) float64 { return fill[max(0, min(h-1, y))*w+max(0, min(w-1, x))] }
	grad := make([]float64, 0, w*h)
	for y := range h {
		for x := range w {
			gx := at(x+1, y-1) + 2*at(x+1, y) + at(x+1, y+1) - at(x-1, y-1) - 2*at(x-1, y) - at(x-1, y+1)
			gy := at(x-1, y+1) + 2*at(x, y+1) + at(x+1, y+1) - at(x-1, y-1) - 2*at(x, y-1) - at(x+1, y-1)
			grad = append(grad, math.Hypot(gx, gy)/8)
		}
	}
	slices.Sort(grad)
	top := grad[len(grad)-max(1, len(grad)/10):]
	var s float64
	for _, g := range top {
		s += g
	}
	return s / float64(len(top)) / contrast
}
