package imagequality

import (
	"math"
	"testing"
)

func plane(w, h int, f func(x, y int) float32) *Plane {
	p := newPlane(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p.Pix[y*w+x] = f(x, y)
		}
	}
	return p
}

func TestLaplacianVariance(t *testing.T) {
	tests := []struct {
		name string
		p    *Plane
		want float64
	}{
		{"empty", newPlane(0, 0), 0},
		{"single pixel", plane(1, 1, func(x, y int) float32 { return 9 }), 0},
		{"constant", plane(4, 5, func(x, y int) float32 { return 77 }), 0},
		// 3×3 with a single 1 in the centre. Centre: -4. Edge midpoints:
		// reflect-101 mirrors the centre onto the outside neighbour, so
		// 1+1 = 2. Corners: all neighbours 0. Values {-4, 2×4, 0×4}:
		// mean 4/9, E[x²] = 32/9, variance 32/9 − 16/81 = 272/81.
		{"3×3 impulse", plane(3, 3, func(x, y int) float32 {
			if x == 1 && y == 1 {
				return 1
			}
			return 0
		}), 272.0 / 81},
		// 5 wide × 4 high ramp v = x. Inside a row the second difference is
		// 0; at x=0 the left neighbour mirrors to x=1: 1+1−0 = 2; at x=4
		// the right one mirrors to x=3: 3+3−8 = −2. Per row {2,0,0,0,−2}:
		// mean 0, variance 8/5.
		{"5×4 ramp", plane(5, 4, func(x, y int) float32 { return float32(x) }), 1.6},
		// 5×4 v = x² + y: the Laplacian separates into hx(x) + hy(y).
		// hx: interior (x−1)²+(x+1)²−2x² = 2; x=0: 1+1−0 = 2; x=4:
		// 9+9−32 = −14 → {2,2,2,2,−14}, mean −1.2, variance 212/5 − 1.44
		// = 40.96. hy: y=0: 1+1−0 = 2; interior 0; y=3: 2+2−6 = −2 →
		// {2,0,0,−2}, variance 2. Over the full grid the two parts are
		// uncorrelated, so the variance is 40.96 + 2 = 42.96.
		{"5×4 x²+y", plane(5, 4, func(x, y int) float32 { return float32(x*x + y) }), 42.96},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LaplacianVariance(tt.p); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("LaplacianVariance = %.12g, want %.12g", got, tt.want)
			}
		})
	}
}

func TestReflect101(t *testing.T) {
	for _, c := range [][3]int{{-1, 5, 1}, {-2, 5, 2}, {5, 5, 3}, {6, 5, 2}, {0, 5, 0}, {4, 5, 4}, {-1, 1, 0}, {-3, 2, 1}} {
		if got := reflect101(c[0], c[1]); got != c[2] {
			t.Errorf("reflect101(%d, %d) = %d, want %d", c[0], c[1], got, c[2])
		}
	}
}

func TestDownscaleKeepsMean(t *testing.T) {
	p := plane(10, 7, func(x, y int) float32 { return float32((x*31 + y*17) % 255) })
	q := downscale(p, 4, 3)
	mean := func(p *Plane) (s float64) {
		for _, v := range p.Pix {
			s += float64(v)
		}
		return s / float64(len(p.Pix))
	}
	if d := math.Abs(mean(p) - mean(q)); d > 1e-3 {
		t.Errorf("area downscale changed the mean by %g", d)
	}
}

// separableBlur is the whole-plane Gaussian blur reblur samples pointwise:
// rows, then columns, each sample summed in kernel order.
func separableBlur(p *Plane, sigma float64) *Plane {
	k := gaussianKernel(sigma)
	r := len(k) / 2
	tmp, out := newPlane(p.W, p.H), newPlane(p.W, p.H)
	for y := 0; y < p.H; y++ {
		for x := 0; x < p.W; x++ {
			var acc float32
			for i, w := range k {
				acc += w * p.Pix[y*p.W+reflect101(x+i-r, p.W)]
			}
			tmp.Pix[y*p.W+x] = acc
		}
	}
	for y := 0; y < p.H; y++ {
		for x := 0; x < p.W; x++ {
			var acc float32
			for i, w := range k {
				acc += w * tmp.Pix[reflect101(y+i-r, p.H)*p.W+x]
			}
			out.Pix[y*p.W+x] = acc
		}
	}
	return out
}

// Sharpness takes the re-blurred gradient only at the pixels it keeps; it
// must be, to the bit, the gradient of the whole plane blurred, borders and
// planes smaller than the kernel included.
func TestReblurMatchesSeparableBlur(t *testing.T) {
	for _, size := range [][2]int{{1, 1}, {2, 3}, {5, 4}, {7, 7}, {40, 23}} {
		w, h := size[0], size[1]
		p := plane(w, h, func(x, y int) float32 { return float32((x*x*37 + y*91 + x*y*13) % 256) })
		want := separableBlur(p, reblurSigma)
		wantGrad := gradient(want)
		rb := newReblur(p, reblurSigma)
		for y := range h {
			for x := range w {
				if got := rb.at(x, y); got != want.Pix[y*w+x] {
					t.Fatalf("%dx%d: blur at (%d,%d) = %v, want %v", w, h, x, y, got, want.Pix[y*w+x])
				}
				if got := rb.gradientAt(x, y); got != wantGrad[y*w+x] {
					t.Fatalf("%dx%d: gradient at (%d,%d) = %v, want %v", w, h, x, y, got, wantGrad[y*w+x])
				}
			}
		}
	}
}
