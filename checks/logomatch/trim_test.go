package logomatch

import (
	"errors"
	"image"
	"image/color"
	"testing"

	"github.com/disintegration/imaging"
)

func TestTrim(t *testing.T) {
	// 220×100 with a 5 px transparent margin around the 210×90 drawing.
	logo := TestLogo(DefaultLogo(100))
	lw, lh := logo.Bounds().Dx(), logo.Bounds().Dy()
	// A sub-image whose origin is not (0, 0).
	sub := onto(logo, navy, 20).SubImage(image.Rect(5, 5, lw+35, lh+35))
	tests := []struct {
		name string
		img  image.Image
		w, h int // expected size after trim, ±2 px (anti-aliased edges)
	}{
		{"transparent", onto(logo, color.NRGBA{}, 30), 210, 90},
		{"white padding", onto(logo, white, 30), 210, 90},
		{"navy padding jpeg", reencodeJPEG(t, onto(logo, navy, 30), 70), 210, 90},
		{"sub-image", sub, 210, 90},
		{"no border", imaging.New(50, 20, navy), 50, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Trim(tt.img).Bounds()
			if got.Min != (image.Point{}) && tt.name != "no border" {
				t.Errorf("origin %v, want (0,0)", got.Min)
			}
			if abs(got.Dx()-tt.w) > 2 || abs(got.Dy()-tt.h) > 2 {
				t.Errorf("trimmed to %dx%d, want %dx%d", got.Dx(), got.Dy(), tt.w, tt.h)
			}
		})
	}
}

func abs(n int) int { return max(n, -n) }

func TestNewReferenceErrors(t *testing.T) {
	for name, img := range map[string]image.Image{
		"blank": imaging.New(40, 40, white),
		"empty": image.NewNRGBA(image.Rectangle{}),
		"nil":   nil,
	} {
		if _, err := NewReference(img); !errors.Is(err, ErrNoForeground) {
			t.Errorf("%s: err = %v, want ErrNoForeground", name, err)
		}
	}
	m := reference(t).Compare(imaging.New(40, 40, white))
	if m.Found || m.Evidence["error"] == nil {
		t.Errorf("blank candidate: %+v, want not found with an error in evidence", m)
	}
}

func BenchmarkNewReference(b *testing.B) {
	img := TestLogo(DefaultLogo(200))
	for b.Loop() {
		if _, err := NewReference(img); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompare(b *testing.B) {
	ref := reference(b)
	cand := onto(imaging.Resize(TestLogo(DefaultLogo(100)), 236, 0, imaging.Linear), white, 10)
	cand = imaging.Resize(cand, 256, 256, imaging.Linear) // 256×256, stretched
	for b.Loop() {
		if !ref.Compare(cand).Found {
			b.Fatal("not found")
		}
	}
	s := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N)/s, "compares/s")
	b.ReportMetric(float64(b.N)*256*256/1e6/s, "MP/s")
}
