package checks

import (
	"bytes"
	"image"
	"math"
	"sync"
	"testing"

	"github.com/disintegration/imaging"

	"github.com/storecheck/storecheck/checks/imagequality"
)

// One picture is measured once per sweep, however many pages, viewports and
// goroutines ask; a new need is added to what is known.
func TestMeasureCache(t *testing.T) {
	env := testEnv()
	photo := jpegOf(t, imagequality.TestImage("photo", 300), 85)
	copyOf := append([]byte(nil), photo...) // same content, another slice

	var wg sync.WaitGroup
	got := make([]*measures, 8)
	for i := range got {
		wg.Go(func() { got[i] = env.measure(photo, needSharpness, 40) })
	}
	wg.Wait()
	for _, m := range got[1:] {
		if m != got[0] {
			t.Fatal("the same bytes got two entries")
		}
	}
	m := env.measure(copyOf, needHash, 40)
	if m != got[0] {
		t.Fatal("equal content under another slice got another entry")
	}
	// (needEvidence may be done too: this photo scores blurry, so its
	// thumbnail is made while it is decoded.)
	if m.done&^needEvidence != needSharpness|needHash || m.sharp.Score == 0 || m.hash == nil {
		t.Errorf("done %b, score %v, hash %v", m.done, m.sharp.Score, m.hash)
	}
	if other := env.measure(jpegOf(t, imagequality.TestImage("text", 300), 85), needHash, 40); other == m {
		t.Error("different content shares an entry")
	}
	if bad := env.measure([]byte("not a picture"), needSharpness, 40); bad.err == nil {
		t.Error("undecodable bytes measured without an error")
	}
	// Over images.max_megapixels (0.01 MP < 300×300): refused before any
	// pixel is decoded. (A sweep has one limit, so it is not in the key.)
	if testEnv().measure(photo, needHash, 0.01).err == nil {
		t.Error("a picture over max_megapixels was decoded")
	}
}

// hideOpaque hides an image's Opaque method, so colourThumb flattens it.
type hideOpaque struct{ image.Image }

// An opaque picture skips the flattening onto white: the thumbnail must be
// the one flattening would give, to the level.
func TestColourThumbOpaque(t *testing.T) {
	photo, _, err := imagequality.DecodeLimited(jpegOf(t, imagequality.TestImage("photo", 300), 85), 40)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := photo.(*image.YCbCr); !ok {
		t.Fatalf("decoded JPEG is %T, want *image.YCbCr", photo)
	}
	opaquePNG := imaging.Clone(imagequality.TestImage("logo", 200))
	for name, img := range map[string]image.Image{"jpeg": photo, "opaque nrgba": opaquePNG} {
		got, want := colourThumb(img), colourThumb(hideOpaque{img})
		if !bytes.Equal(got, want) {
			t.Errorf("%s: thumbnail differs from the flattened one (mean diff %.2f)", name, thumbDiff(got, want))
		}
	}
	// A transparent picture is still flattened onto white.
	clear := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for i, v := range colourThumb(clear) {
		if v != 255 {
			t.Fatalf("transparent picture: thumbnail level %d is %d, want white", i, v)
		}
	}
}

// TestLocalDiff: a change of one part of a picture shows in the largest
// cell difference and all but vanishes in the mean (thumbDiff).
func TestLocalDiff(t *testing.T) {
	flat := func(v uint8) []uint8 { return bytes.Repeat([]uint8{v}, thumbSide*thumbSide*3) }
	tin := flat(120)
	copy(tin[3*40:3*41], []uint8{210, 30, 30}) // one cell: red for grey
	for _, tc := range []struct {
		name        string
		a, b        []uint8
		local, mean float64
	}{
		{"equal", flat(120), flat(120), 0, 0},
		{"brighter everywhere", flat(120), flat(126), 6, 6},
		{"one cell of another colour", flat(120), tin, 90, 270.0 / 768},
		{"sizes differ", flat(120), flat(120)[:30], 255, 255},
		{"empty", nil, nil, 255, 255},
	} {
		if got := localDiff(tc.a, tc.b); got != tc.local {
			t.Errorf("%s: localDiff %v, want %v", tc.name, got, tc.local)
		}
		if got := thumbDiff(tc.a, tc.b); math.Abs(got-tc.mean) > 1e-9 {
			t.Errorf("%s: thumbDiff %v, want %v", tc.name, got, tc.mean)
		}
	}
}
