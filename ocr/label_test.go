package ocr

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// floodComponents is the plain labeller the run labeller must agree
// with: a flood fill of each 8-connected component from its first pixel
// in raster order.
func floodComponents(label, ink []bool, g grey, mean []uint8) []comp {
	seen := make([]bool, len(label))
	var comps []comp
	for start := range label {
		if !label[start] || seen[start] {
			continue
		}
		c := comp{x0: g.W, y0: g.H}
		stack := []int{start}
		seen[start] = true
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := i%g.W, i/g.W
			c.x0, c.y0, c.x1, c.y1 = min(c.x0, x), min(c.y0, y), max(c.x1, x+1), max(c.y1, y+1)
			if ink[i] {
				c.area++
				c.contrast += abs(int(g.Pix[i]) - int(mean[i]))
			}
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= g.W || ny >= g.H {
						continue
					}
					if j := ny*g.W + nx; label[j] && !seen[j] {
						seen[j] = true
						stack = append(stack, j)
					}
				}
			}
		}
		comps = append(comps, c)
	}
	return comps
}

// dilated is mask grown by a pixel each way, pixel by pixel.
func dilated(mask []bool, w, h int) []bool {
	out := make([]bool, len(mask))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx >= 0 && ny >= 0 && nx < w && ny < h && mask[ny*w+nx] {
						out[y*w+x] = true
					}
				}
			}
		}
	}
	return out
}

// TestComponentsMatchFloodFill holds the run labeller, on the mask and
// grown, to a flood fill on random masks of every density, shapes a
// texture gives: runs touching only at a corner, one-pixel rows and
// columns, runs at the picture's edges.
func TestComponentsMatchFloodFill(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ w, h int }{{1, 1}, {1, 9}, {9, 1}, {2, 2}, {17, 13}, {64, 48}, {200, 3}} {
		for _, density := range []float64{0.05, 0.2, 0.45, 0.7, 0.95} {
			t.Run(fmt.Sprintf("%dx%d/%.2f", tc.w, tc.h, density), func(t *testing.T) {
				g := grey{W: tc.w, H: tc.h, Pix: make([]uint8, tc.w*tc.h)}
				mean := make([]uint8, len(g.Pix))
				mask := make([]bool, len(g.Pix))
				for i := range mask {
					g.Pix[i], mean[i] = uint8(rng.IntN(256)), uint8(rng.IntN(256))
					mask[i] = rng.Float64() < density
				}
				runs := maskSpans(mask, g.W, g.H)
				if got, want := components(runs, mask, g, mean), floodComponents(mask, mask, g, mean); !reflect.DeepEqual(got, want) {
					t.Fatalf("mask: runs give %v, flood fill %v", got, want)
				}
				grown := runs.grown(g.W, g.H)
				want := dilated(mask, g.W, g.H)
				var got []bool = make([]bool, len(mask))
				for _, r := range grown.runs {
					for x := r.x0; x < r.x1; x++ {
						got[int(r.y)*g.W+int(x)] = true
					}
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("grown runs cover other pixels than the mask dilated")
				}
				if got, want := components(grown, mask, g, mean), floodComponents(want, mask, g, mean); !reflect.DeepEqual(got, want) {
					t.Fatalf("grown: runs give %v, flood fill %v", got, want)
				}
			})
		}
	}
}

// TestLocalMeanExact holds the reciprocal division to an integer
// division for every window size a picture's edges give, on pictures of
// all black, all white and noise (the largest sums are the risky ones).
func TestLocalMeanExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, fill := range []func() uint8{
		func() uint8 { return 0 },
		func() uint8 { return 255 },
		func() uint8 { return uint8(rng.IntN(256)) },
		func() uint8 { return uint8(250 + rng.IntN(6)) },
	} {
		for _, size := range [][2]int{{1, 1}, {5, 40}, {30, 30}, {61, 27}} {
			g := grey{W: size[0], H: size[1], Pix: make([]uint8, size[0]*size[1])}
			for i := range g.Pix {
				g.Pix[i] = fill()
			}
			got := localMean(g, windowRadius)
			for y := 0; y < g.H; y++ {
				for x := 0; x < g.W; x++ {
					s, n := 0, 0
					for yy := max(y-windowRadius, 0); yy < min(y+windowRadius+1, g.H); yy++ {
						for xx := max(x-windowRadius, 0); xx < min(x+windowRadius+1, g.W); xx++ {
							s += int(g.Pix[yy*g.W+xx])
							n++
						}
					}
					if want := uint8(s / n); got[y*g.W+x] != want {
						t.Fatalf("%dx%d at (%d,%d): mean %d, want %d", g.W, g.H, x, y, got[y*g.W+x], want)
					}
				}
			}
		}
	}
}
