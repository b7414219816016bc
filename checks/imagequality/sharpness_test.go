package imagequality

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/disintegration/imaging"
)

var sigmas = []float64{0, 1, 1.5, 3}

// jpegRoundTrip encodes img as JPEG quality 85 and decodes the bytes, as the
// crawler sees real pictures.
func jpegRoundTrip(t testing.TB, img image.Image) image.Image {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	out, _, err := DecodeLimited(buf.Bytes(), 40)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

type corpusEntry struct {
	kind  string
	sigma float64
	res   Result
}

var (
	corpusOnce sync.Once
	corpus     []corpusEntry
)

// measuredCorpus measures every test image at every sigma, once per test binary.
func measuredCorpus(t *testing.T) []corpusEntry {
	corpusOnce.Do(func() {
		for _, kind := range TestImageKinds {
			src := TestImage(kind, 800)
			for _, s := range sigmas {
				corpus = append(corpus, corpusEntry{kind, s, Sharpness(jpegRoundTrip(t, GaussianBlur(src, s)))})
			}
		}
	})
	return corpus
}

func TestSharpnessCorpus(t *testing.T) {
	entries := measuredCorpus(t)
	var tbl strings.Builder
	fmt.Fprintf(&tbl, "\n%-10s", "kind")
	for _, s := range sigmas {
		fmt.Fprintf(&tbl, " | σ%-3g score  lapvar ", s)
	}
	lo := map[float64]float64{}
	hi := map[float64]float64{}
	for i, e := range entries {
		if i%len(sigmas) == 0 {
			fmt.Fprintf(&tbl, "\n%-10s", e.kind)
		}
		fmt.Fprintf(&tbl, " | %.3f %9.1f%s", e.res.Score, e.res.LaplacianVar, map[bool]string{true: "*", false: " "}[e.res.Blurry])
		if _, ok := lo[e.sigma]; !ok {
			lo[e.sigma], hi[e.sigma] = math.Inf(1), math.Inf(-1)
		}
		lo[e.sigma], hi[e.sigma] = min(lo[e.sigma], e.res.Score), max(hi[e.sigma], e.res.Score)
		if e.res.Skipped != "" {
			t.Errorf("%s σ%g: skipped %q", e.kind, e.sigma, e.res.Skipped)
		}
		switch {
		case e.sigma == 0 && e.res.Blurry:
			t.Errorf("%s σ0: Blurry (score %.3f), want sharp", e.kind, e.res.Score)
		case e.sigma >= 1.5 && !e.res.Blurry:
			t.Errorf("%s σ%g: not Blurry (score %.3f), want blurry", e.kind, e.sigma, e.res.Score)
		}
	}
	fmt.Fprintf(&tbl, "\n(* = Blurry; threshold %.2f)\n", BlurThreshold)
	for _, s := range sigmas {
		fmt.Fprintf(&tbl, "σ%-3g score range %.3f – %.3f\n", s, lo[s], hi[s])
	}
	t.Log(tbl.String())
}

func TestSharpnessProductSizes(t *testing.T) {
	src := TestImage("product", 800)
	cases := []struct {
		name string
		img  image.Image
	}{
		{"800", src},
		{"800 downscaled to 400", imaging.Resize(src, 400, 400, imaging.Lanczos)},
		{"drawn at 400", TestImage("product", 400)},
		{"drawn at 1200", TestImage("product", 1200)},
		{"800 upscaled to 1200", imaging.Resize(src, 1200, 1200, imaging.Lanczos)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Sharpness(jpegRoundTrip(t, c.img))
			t.Logf("score %.3f lapvar %.1f detail %.2f", r.Score, r.LaplacianVar, r.DetailFraction)
			if r.Blurry || r.Skipped != "" {
				t.Errorf("sharp product shot: %+v, want sharp and measured", r)
			}
		})
	}
}

func TestSharpnessSkipped(t *testing.T) {
	flat := image.NewGray(image.Rect(0, 0, 600, 400))
	for i := range flat.Pix {
		flat.Pix[i] = 250
	}
	tests := []struct {
		name string
		img  image.Image
		want string
	}{
		{"64×64 icon", TestImage("text", 64), "too small"},
		{"thin banner", image.NewGray(image.Rect(0, 0, 800, 60)), "too small"},
		{"flat", flat, "flat"},
		{"flat as JPEG", jpegRoundTrip(t, flat), "flat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Sharpness(tt.img)
			if r.Skipped != tt.want || r.Blurry {
				t.Errorf("got %+v, want Skipped %q and not Blurry", r, tt.want)
			}
		})
	}
}

func TestTestImageDeterministic(t *testing.T) {
	a, b := TestImage("photo", 200), TestImage("photo", 200)
	if !bytes.Equal(a.(*image.NRGBA).Pix, b.(*image.NRGBA).Pix) {
		t.Error("TestImage is not deterministic")
	}
}

func benchJPEG(b *testing.B) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, TestImage("photo", 800), &jpeg.Options{Quality: 85}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkSharpness(b *testing.B) {
	data := benchJPEG(b)
	const mp = 800 * 800 / 1e6
	report := func(b *testing.B) {
		b.ReportMetric(mp*float64(b.N)/b.Elapsed().Seconds(), "MP/s")
	}
	b.Run("decode+measure", func(b *testing.B) {
		for b.Loop() {
			img, _, err := DecodeLimited(data, 40)
			if err != nil {
				b.Fatal(err)
			}
			Sharpness(img)
		}
		report(b)
	})
	b.Run("measure", func(b *testing.B) {
		img, _, err := DecodeLimited(data, 40)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			Sharpness(img)
		}
		report(b)
	})
	b.Run("laplacian-variance", func(b *testing.B) {
		img, _, _ := DecodeLimited(data, 40)
		p := Luma(img)
		for b.Loop() {
			LaplacianVariance(p)
		}
		report(b)
	})
}
