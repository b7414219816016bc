package checks

import (
	"bytes"
	"image"
	"image/jpeg"
	"testing"

	"github.com/disintegration/imaging"

	"github.com/storecheck/storecheck/checks/imagequality"
	"github.com/storecheck/storecheck/crawler"
)

// jpegOf encodes img at quality q.
func jpegOf(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// galleryImage is a visible gallery <img> of data (side px) under url.
func galleryImage(url string, data []byte, side int, box float64) crawler.Image {
	return crawler.Image{
		Src: url, CurrentSrc: url, Selector: "#g", Alt: "tea", HasAlt: true, Gallery: true,
		NaturalWidth: side, NaturalHeight: side, Box: crawler.Box{W: box, H: box},
		ObjectFit: "fill", Visible: true, Complete: true, Status: 200, MIME: "image/jpeg", Bytes: data,
	}
}

func TestProductFewImages(t *testing.T) {
	pic := func(kind string) []byte { return jpegOf(t, imagequality.TestImage(kind, 400), 85) }
	photo, fabric, product, text := pic("photo"), pic("fabric"), pic("product"), pic("text")
	// The same photo as a 100 px thumbnail, re-encoded: a near-duplicate.
	thumb := jpegOf(t, imaging.Resize(imagequality.TestImage("photo", 400), 100, 100, imaging.Lanczos), 70)
	const u = "https://shop.example/img/"

	tests := []struct {
		name   string
		kind   crawler.Kind
		images []crawler.Image
		want   int // findings
	}{
		{"three distinct pictures", crawler.KindProduct, []crawler.Image{
			galleryImage(u+"1.jpg", photo, 400, 400), galleryImage(u+"2.jpg", fabric, 400, 80),
			galleryImage(u+"3.jpg", product, 400, 80)}, 0},
		{"two pictures and a thumbnail of one", crawler.KindProduct, []crawler.Image{
			galleryImage(u+"1.jpg", photo, 400, 400), galleryImage(u+"1-thumb.jpg", thumb, 100, 80),
			galleryImage(u+"2.jpg", fabric, 400, 80)}, 1},
		{"one picture under three URLs", crawler.KindProduct, []crawler.Image{
			galleryImage(u+"1.jpg", photo, 400, 400), galleryImage(u+"1.jpg?v=2", photo, 400, 80),
			galleryImage(u+"1b.jpg", thumb, 100, 80)}, 1},
		{"four pictures, thumbnails of two", crawler.KindProduct, []crawler.Image{
			galleryImage(u+"1.jpg", photo, 400, 400), galleryImage(u+"1-thumb.jpg", thumb, 100, 80),
			galleryImage(u+"2.jpg", fabric, 400, 80), galleryImage(u+"3.jpg", product, 400, 80),
			galleryImage(u+"4.jpg", text, 400, 80)}, 0},
		{"not a product page", crawler.KindOther, []crawler.Image{galleryImage(u+"1.jpg", photo, 400, 400)}, 0},
		{"undecodable pictures count by URL", crawler.KindProduct, []crawler.Image{
			galleryImage(u+"a.avif", []byte("not decodable"), 400, 400), galleryImage(u+"b.avif", []byte("nor this"), 400, 80),
			galleryImage(u+"c.avif", []byte("nor that"), 400, 80)}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pageWith(crawler.Desktop, tt.images...)
			p.Kind = tt.kind
			fs := runRule(t, "product.few-images", p)
			if len(fs) != tt.want {
				t.Fatalf("got %d findings %v, want %d", len(fs), fs, tt.want)
			}
			if len(fs) == 1 && (fs[0].Subject != "" || fs[0].Evidence["distinct"].(int) >= 3) {
				t.Errorf("finding %+v", fs[0])
			}
		})
	}
}

// The measures behind images.duplicate_distance and duplicate_colour_diff:
// a resized, re-encoded copy of each of ten contents is the same picture;
// no two contents are.
func TestSamePicture(t *testing.T) {
	env := testEnv()
	ic := testConfig().Images
	measure := func(img image.Image, q int) *measures {
		m := env.measure(jpegOf(t, img, q), needHash, 40)
		if m.hash == nil || len(m.thumb) == 0 {
			t.Fatal("not measured")
		}
		return m
	}
	originals := map[string]*measures{}
	for _, kind := range imagequality.TestImageKinds {
		full := imagequality.TestImage(kind, 800)
		a := measure(full, 85)
		originals[kind] = a
		for _, side := range []int{400, 160, 80} {
			b := measure(imaging.Resize(full, side, side, imaging.Lanczos), 70)
			d, _ := a.hash.Distance(b.hash)
			t.Logf("%-9s vs itself at %3d px q70: phash %2d, thumbnail diff %.1f", kind, side, d, thumbDiff(a.thumb, b.thumb))
			if !samePicture(a, b, ic.DuplicateDistance, ic.DuplicateColourDiff) {
				t.Errorf("%s at %d px is not the same picture", kind, side)
			}
		}
	}
	for _, a := range imagequality.TestImageKinds {
		for _, b := range imagequality.TestImageKinds {
			if a >= b {
				continue
			}
			ma, mb := originals[a], originals[b]
			d, _ := ma.hash.Distance(mb.hash)
			t.Logf("%-9s vs %-9s: phash %2d, thumbnail diff %.1f", a, b, d, thumbDiff(ma.thumb, mb.thumb))
			if samePicture(ma, mb, ic.DuplicateDistance, ic.DuplicateColourDiff) {
				t.Errorf("%s and %s count as the same picture", a, b)
			}
		}
	}
}
