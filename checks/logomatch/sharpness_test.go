package logomatch

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/disintegration/imaging"
)

// degradedSeal is the seal as a page shows a poor copy of it: blurred, or
// drawn from a low-resolution file that the browser upscales (Linear).
func degradedSeal(t testing.TB) []sealCase {
	seal := loadSeal(t)
	blurred := imaging.Blur(seal, 12)
	var cases []sealCase
	for _, n := range shotSizes {
		for _, bg := range []struct {
			name string
			c    color.NRGBA
		}{{"white", white}, {"cream", cream}, {"dark", darkHead}} {
			add := func(name string, img image.Image) {
				cases = append(cases, sealCase{name: fmt.Sprintf("%dpx %s %s", n, bg.name, name), size: n, kind: 'd', img: img})
			}
			add("blurred σ12", screenshot(t, blurred, n, n, imaging.Linear, bg.c, 0))
			add("blurred σ12 jpeg70", screenshot(t, blurred, n, n, imaging.Linear, bg.c, 70))
			for _, from := range []int{24, 16} {
				small := imaging.Resize(seal, from, from, imaging.Linear)
				add(fmt.Sprintf("from %dpx", from), screenshot(t, small, n, n, imaging.Linear, bg.c, 0))
				add(fmt.Sprintf("from %dpx jpeg70", from), screenshot(t, small, n, n, imaging.Linear, bg.c, 70))
			}
		}
	}
	return cases
}

func TestSharpnessSeal(t *testing.T) {
	ref := sealReference(t)
	var cases []sealCase
	for _, c := range sealCases(t) {
		if c.kind != 'u' { // every rendering of the seal at full resolution
			cases = append(cases, c)
		}
	}
	cases = append(cases, degradedSeal(t)...)
	cleanMin, degradedMax := map[int]float64{}, map[int]float64{}
	for _, n := range shotSizes {
		cleanMin[n], degradedMax[n] = math.Inf(1), 0
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			ratio, ev := ref.Sharpness(tt.img)
			t.Logf("%-30s ratio=%.3f candidate=%v reference=%v size=%v", tt.name, ratio, ev["candidate"], ev["reference"], ev["size"])
			if ev["measurable"] != true {
				t.Fatalf("not measurable: %v", ev)
			}
			blurred := tt.kind == 'd'
			if blurred {
				degradedMax[tt.size] = max(degradedMax[tt.size], ratio)
			} else {
				cleanMin[tt.size] = min(cleanMin[tt.size], ratio)
			}
			if got := ratio < BlurredRatio; got != blurred {
				t.Errorf("ratio %.3f < BlurredRatio %.2f is %v, want %v", ratio, BlurredRatio, got, blurred)
			}
		})
	}
	for _, n := range shotSizes {
		t.Logf("%d px: clean ≥ %.3f, blurred/upscaled ≤ %.3f (BlurredRatio %.2f)", n, cleanMin[n], degradedMax[n], BlurredRatio)
	}
}

func TestSharpnessNotMeasurable(t *testing.T) {
	small, err := NewReference(imaging.Resize(loadSeal(t), 64, 64, imaging.Linear))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ref  *Reference
		img  image.Image
	}{
		{"reference smaller than candidate", small, onto(imaging.Resize(loadSeal(t), 140, 140, imaging.Linear), white, 4)},
		{"blank candidate", small, imaging.New(40, 40, white)},
		{"nil candidate", small, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ratio, ev := tt.ref.Sharpness(tt.img)
			if ratio != 1 || ev["measurable"] != false || ev["error"] == nil {
				t.Errorf("got %.3f %v, want 1, not measurable, with an error", ratio, ev)
			}
		})
	}
}

func BenchmarkSharpness(b *testing.B) {
	ref := sealReference(b)
	cand := screenshot(b, loadSeal(b), 70, 70, imaging.Linear, cream, 70)
	for b.Loop() {
		if _, ev := ref.Sharpness(cand); ev["measurable"] != true {
			b.Fatal(ev)
		}
	}
	px := float64(cand.Bounds().Dx() * cand.Bounds().Dy())
	b.ReportMetric(float64(b.N)*px/1e6/b.Elapsed().Seconds(), "MP/s")
}
