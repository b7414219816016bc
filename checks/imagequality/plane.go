package imagequality

import (
	"image"
	"math"
)

// Plane is a luma (brightness) plane: W×H samples, row-major, in grey
// levels 0–255. Samples are float32 so resampling and blurring lose nothing.
type Plane struct {
	W, H int
	Pix  []float32
}

func newPlane(w, h int) *Plane { return &Plane{W: w, H: h, Pix: make([]float32, w*h)} }

// Luma returns img's luma plane. For *image.YCbCr (JPEG) it copies the Y plane
// as decoded, so no chroma upsampling or RGB round trip distorts it; *image.Gray
// is copied; other types use BT.601 luma (0.299 R + 0.587 G + 0.114 B, rounded
// like OpenCV's cvtColor), with transparent pixels composited over white, as a
// page background usually is.
func Luma(img image.Image) *Plane {
	b := img.Bounds()
	p := newPlane(b.Dx(), b.Dy())
	switch m := img.(type) {
	case *image.YCbCr:
		for y := 0; y < p.H; y++ {
			row := m.Y[m.YOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < p.W; x++ {
				p.Pix[y*p.W+x] = float32(row[x])
			}
		}
	case *image.Gray:
		for y := 0; y < p.H; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < p.W; x++ {
				p.Pix[y*p.W+x] = float32(row[x])
			}
		}
	case *image.NRGBA:
		for y := 0; y < p.H; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < p.W; x++ {
				s := row[4*x : 4*x+4]
				a := float64(s[3]) / 255
				bg := 255 * (1 - a)
				p.Pix[y*p.W+x] = bt601(float64(s[0])*a+bg, float64(s[1])*a+bg, float64(s[2])*a+bg)
			}
		}
	default:
		for y := 0; y < p.H; y++ {
			for x := 0; x < p.W; x++ {
				r, g, bl, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA() // premultiplied, 0–65535
				bg := float64(0xffff - a)
				p.Pix[y*p.W+x] = bt601((float64(r)+bg)/257, (float64(g)+bg)/257, (float64(bl)+bg)/257)
			}
		}
	}
	return p
}

func bt601(r, g, b float64) float32 {
	return float32(math.Round(0.299*r + 0.587*g + 0.114*b))
}

// reflect101 maps an out-of-range index into [0, n) the way OpenCV's
// BORDER_REFLECT_101 does: -1 → 1, n → n-2.
func reflect101(i, n int) int {
	if n == 1 {
		return 0
	}
	for i < 0 || i >= n {
		if i < 0 {
			i = -i
		} else {
			i = 2*(n-1) - i
		}
	}
	return i
}

// LaplacianVariance is the population variance of p's Laplacian (kernel
// 0 1 0 / 1 -4 1 / 0 1 0, reflect-101 borders), in grey levels squared: the
// same number as OpenCV's cv2.Laplacian(gray, cv2.CV_64F).var(). Higher is
// sharper, but the value swings with content; 0 for an empty plane.
func LaplacianVariance(p *Plane) float64 {
	if len(p.Pix) == 0 {
		return 0
	}
	var sum, sq float64
	for y := 0; y < p.H; y++ {
		up, down := reflect101(y-1, p.H)*p.W, reflect101(y+1, p.H)*p.W
		row := y * p.W
		for x := 0; x < p.W; x++ {
			l, r := x-1, x+1
			if x == 0 || x == p.W-1 {
				l, r = reflect101(l, p.W), reflect101(r, p.W)
			}
			v := float64(p.Pix[up+x]) + float64(p.Pix[down+x]) +
				float64(p.Pix[row+l]) + float64(p.Pix[row+r]) - 4*float64(p.Pix[row+x])
			sum += v
			sq += v * v
		}
	}
	n := float64(len(p.Pix))
	mean := sum / n
	return max(sq/n-mean*mean, 0)
}

// gaussianKernel is a normalised Gaussian of sigma pixels, radius ⌈3σ⌉.
func gaussianKernel(sigma float64) []float32 {
	r := int(math.Ceil(3 * sigma))
	k := make([]float32, 2*r+1)
	var sum float64
	for i := -r; i <= r; i++ {
		w := math.Exp(-float64(i*i) / (2 * sigma * sigma))
		k[i+r] = float32(w)
		sum += w
	}
	for i := range k {
		k[i] /= float32(sum)
	}
	return k
}

// reblur gives p blurred by a Gaussian (separable, reflect-101 borders) at
// single pixels, and the gradient of that blurred plane, each sample summed
// in the order a whole-plane separable blur (rows, then columns) sums it, so
// the values are the same to the bit.
type reblur struct {
	p *Plane
	k []float32
	r int
}

func newReblur(p *Plane, sigma float64) *reblur {
	k := gaussianKernel(sigma)
	return &reblur{p: p, k: k, r: len(k) / 2}
}

// row is the horizontal pass at (x, y).
func (b *reblur) row(x, y int) float32 {
	p, r := b.p, b.r
	row := p.Pix[y*p.W : (y+1)*p.W]
	var acc float32
	if x >= r && x+r < p.W { // interior: no border lookups
		for i, v := range row[x-r : x+r+1] {
			acc += b.k[i] * v
		}
		return acc
	}
	for i, w := range b.k {
		acc += w * row[reflect101(x+i-r, p.W)]
	}
	return acc
}

// at is the blurred plane at (x, y).
func (b *reblur) at(x, y int) float32 {
	var acc float32
	for i, w := range b.k {
		acc += w * b.row(x, reflect101(y+i-b.r, b.p.H))
	}
	return acc
}

// gradientAt is gradient's value at (x, y) of the blurred plane.
func (b *reblur) gradientAt(x, y int) float64 {
	w, h := b.p.W, b.p.H
	dx := float64(b.at(reflect101(x+1, w), y)-b.at(reflect101(x-1, w), y)) / 2
	dy := float64(b.at(x, reflect101(y+1, h))-b.at(x, reflect101(y-1, h))) / 2
	return math.Sqrt(dx*dx + dy*dy)
}

type tap struct {
	i int
	w float32
}

// areaTaps gives, for each of out output samples, the input samples it
// covers and their weights (overlap length / scale), like OpenCV's INTER_AREA.
func areaTaps(in, out int) [][]tap {
	scale := float64(in) / float64(out)
	taps := make([][]tap, out)
	for o := range taps {
		start, end := float64(o)*scale, float64(o+1)*scale
		for i := int(start); i < in && float64(i) < end; i++ {
			if w := math.Min(end, float64(i+1)) - math.Max(start, float64(i)); w > 1e-9 {
				taps[o] = append(taps[o], tap{i, float32(w / scale)})
			}
		}
	}
	return taps
}

// downscale returns p resampled to w×h (w ≤ p.W, h ≤ p.H) by area averaging.
func downscale(p *Plane, w, h int) *Plane {
	tx, ty := areaTaps(p.W, w), areaTaps(p.H, h)
	tmp := newPlane(w, p.H)
	for y := 0; y < p.H; y++ {
		for x, ts := range tx {
			var acc float32
			for _, t := range ts {
				acc += t.w * p.Pix[y*p.W+t.i]
			}
			tmp.Pix[y*w+x] = acc
		}
	}
	out := newPlane(w, h)
	for y, ts := range ty {
		for x := 0; x < w; x++ {
			var acc float32
			for _, t := range ts {
				acc += t.w * tmp.Pix[t.i*w+x]
			}
			out.Pix[y*w+x] = acc
		}
	}
	return out
}
