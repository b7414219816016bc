package checks

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"testing"

	"github.com/disintegration/imaging"

	"github.com/storecheck/storecheck/checks/imagequality"
	"github.com/storecheck/storecheck/crawler"
)

func TestPictureOf(t *testing.T) {
	// stored is evidence as storage gives it back: JSON-decoded.
	stored := func(ev map[string]any) map[string]any {
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		var out map[string]any
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	banner := "https://shop.test/banner.jpg"
	tests := []struct {
		name string
		ev   map[string]any
		ok   bool
		want PictureEvidence
	}{
		{"page text only", map[string]any{"source": "page", "box": crawler.Box{W: 10, H: 10}}, false, PictureEvidence{}},
		{"no source", map[string]any{"image": banner}, false, PictureEvidence{}},
		{"from a rule", map[string]any{"source": "image", "image": banner,
			"image_box": crawler.Box{X: 10.5, Y: 20, W: 100, H: 30}, "ocr_confidence": 87, "ocr_text": "全网最低价"},
			true, PictureEvidence{URL: banner, Box: image.Rect(10, 20, 111, 50), Confidence: 87, Text: "全网最低价"}},
		{"from storage", stored(map[string]any{"source": "image", "image": banner,
			"image_box": map[string]any{"x": 0, "y": 0, "w": 64, "h": 16}, "ocr_confidence": 71.5, "text": "¥44.9"}),
			true, PictureEvidence{URL: banner, Box: image.Rect(0, 0, 64, 16), Confidence: 71.5, Text: "¥44.9"}},
		{"page and picture", stored(map[string]any{"source": "page+image", "image": banner,
			"image_box": map[string]any{"x": 1, "y": 2, "w": 3, "h": 4}, "sentences": []string{"最好的", "最佳选择"}}),
			true, PictureEvidence{URL: banner, Box: image.Rect(1, 2, 4, 6), Confidence: -1, Text: "最好的 / 最佳选择", AlsoPage: true}},
		{"ocr_text wins over sentences", map[string]any{"source": "image", "ocr_text": "国家级", "sentences": []any{"a"}},
			true, PictureEvidence{Confidence: -1, Text: "国家级"}},
		{"box without area", map[string]any{"source": "image", "image_box": map[string]any{"x": 1, "y": 2, "w": 0, "h": 4}},
			true, PictureEvidence{Confidence: -1}},
		{"box with a key missing", map[string]any{"source": "image", "image_box": map[string]any{"x": 1, "y": 2, "w": 3}},
			true, PictureEvidence{Confidence: -1}},
		{"box of another shape", map[string]any{"source": "image", "image_box": "10,10,20,20", "ocr_confidence": "high"},
			true, PictureEvidence{Confidence: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := PictureOf(tt.ev)
			if ok != tt.ok || got != tt.want {
				t.Errorf("PictureOf = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestReadWindow(t *testing.T) {
	detail := image.Rect(0, 0, 750, 3000)
	tests := []struct {
		name     string
		pic, box image.Rectangle
		want     image.Rectangle
	}{
		{"no box: the whole picture", detail, image.Rectangle{}, detail},
		{"box outside the picture", detail, image.Rect(800, 10, 900, 40), detail},
		{"banner: most of it", image.Rect(0, 0, 750, 300), image.Rect(100, 100, 400, 160), image.Rect(0, 0, 750, 300)},
		// A 40 px line in a tall picture: the full width (480 px wide
		// with margins is most of 750), 240 px of height around it.
		{"line in a detail picture", detail, image.Rect(200, 1500, 500, 1540), image.Rect(0, 1400, 750, 1640)},
		{"line at the top edge", detail, image.Rect(200, 0, 500, 40), image.Rect(0, 0, 750, 240)},
		{"line at the bottom edge", detail, image.Rect(200, 2970, 500, 3000), image.Rect(0, 2760, 750, 3000)},
		// 竖排: a tall narrow line keeps its height plus margins.
		{"vertical line", detail, image.Rect(600, 1000, 660, 1900), image.Rect(0, 940, 750, 1960)},
		{"small text in a wide banner", image.Rect(0, 0, 1920, 600), image.Rect(1500, 500, 1600, 530),
			image.Rect(1310, 360, 1790, 600)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readWindow(tt.pic, tt.box); got != tt.want {
				t.Errorf("readWindow = %v, want %v", got, tt.want)
			}
		})
	}
}

func encodePicture(t *testing.T, img image.Image, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPictureCrop(t *testing.T) {
	text := imagequality.TestImage("text", 750)
	tall := imaging.New(750, 3000, color.White)
	tall = imaging.Paste(tall, text, image.Pt(0, 1200))
	flat := imaging.New(750, 300, color.NRGBA{200, 30, 40, 255})
	flat = imaging.Paste(flat, imaging.New(300, 60, color.White), image.Pt(100, 100))
	noise := imaging.New(readSide, readSide, color.Black)
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range noise.Pix {
		noise.Pix[i] = byte(rnd.Uint32())
	}
	for i := 3; i < len(noise.Pix); i += 4 {
		noise.Pix[i] = 255
	}
	tests := []struct {
		name   string
		data   []byte
		box    image.Rectangle
		region image.Rectangle
		mime   string
		w, h   int
	}{
		{"line in a tall detail picture", encodePicture(t, tall, "jpeg"), image.Rect(100, 1500, 600, 1560),
			image.Rect(0, 1410, 750, 1650), "image/jpeg", 480, 154},
		{"flat banner, whole", encodePicture(t, flat, "png"), image.Rect(100, 100, 400, 160),
			image.Rect(0, 0, 750, 300), "image/png", 480, 192},
		{"noise stays under the byte bound", encodePicture(t, noise, "png"), image.Rectangle{},
			image.Rect(0, 0, readSide, readSide), "image/jpeg", 360, 360}, // one step down
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, ok := PictureCrop(tt.data, tt.box, 40)
			if !ok {
				t.Fatal("no crop")
			}
			if ev.Role != ImageRead || ev.Region != tt.region || ev.MIME != tt.mime {
				t.Errorf("role %q region %v %s; want %q %v %s", ev.Role, ev.Region, ev.MIME, ImageRead, tt.region, tt.mime)
			}
			img, _, err := image.Decode(bytes.NewReader(ev.Data))
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != ev.W || b.Dy() != ev.H {
				t.Errorf("declared %d×%d, decodes to %d×%d", ev.W, ev.H, b.Dx(), b.Dy())
			}
			if tt.w > 0 && (ev.W != tt.w || ev.H != tt.h) {
				t.Errorf("%d×%d, want %d×%d", ev.W, ev.H, tt.w, tt.h)
			}
			t.Logf("%d×%d %s, %d bytes", ev.W, ev.H, ev.MIME, len(ev.Data))
			if max(ev.W, ev.H) > readSide || len(ev.Data) > readMaxBytes {
				t.Errorf("%d×%d, %d bytes: over %d px or %d bytes", ev.W, ev.H, len(ev.Data), readSide, readMaxBytes)
			}
		})
	}
	if _, ok := PictureCrop([]byte("not a picture"), image.Rect(0, 0, 10, 10), 40); ok {
		t.Error("undecodable bytes gave a crop")
	}
	if _, ok := PictureCrop(encodePicture(t, tall, "jpeg"), image.Rect(0, 0, 10, 10), 2); ok {
		t.Error("a picture over max_megapixels gave a crop")
	}
}

func TestAddPictureCrops(t *testing.T) {
	banner := encodePicture(t, imagequality.TestImage("text", 600), "jpeg")
	p := &crawler.Page{URL: "https://shop.test/", Images: []crawler.Image{
		{Src: "https://shop.test/b.jpg?w=1", CurrentSrc: "https://shop.test/b.jpg", Bytes: banner},
		{Src: "https://shop.test/cut.jpg", Bytes: banner[:100], BytesTruncated: true},
		{Src: "https://shop.test/bg.jpg", Background: true, Bytes: banner},
	}}
	ocr := func(url string) map[string]any {
		return map[string]any{"source": "image", "image": url, "image_box": crawler.Box{X: 10, Y: 10, W: 200, H: 40}}
	}
	flagged := EvidenceImage{Role: ImageFlagged, MIME: "image/png", Data: []byte{1}, W: 1, H: 1}
	fs := []Finding{
		{Rule: "text.banned-term", Evidence: ocr("https://shop.test/b.jpg")},          // by currentSrc
		{Rule: "promo.expired", Evidence: ocr("https://shop.test/bg.jpg")},            // a CSS background, by src
		{Rule: "text.banned-term", Evidence: map[string]any{"source": "page"}},        // page text
		{Rule: "security.pii-exposed", Evidence: ocr("https://shop.test/cut.jpg")},    // bytes cut at the cap
		{Rule: "price.image-mismatch", Evidence: ocr("https://elsewhere.test/x.jpg")}, // not on the page
		{Rule: "promo.stale-campaign", Evidence: ocr("https://shop.test/b.jpg"), Images: []EvidenceImage{flagged}},
	}
	want := []string{"read", "read", "", "", "", "flagged read"}
	AddPictureCrops(nil, p, fs)
	AddPictureCrops(nil, p, fs) // a second call adds nothing
	for i, f := range fs {
		var roles []byte
		for j, im := range f.Images {
			if j > 0 {
				roles = append(roles, ' ')
			}
			roles = append(roles, im.Role...)
			if im.Role == ImageRead && im.Region.Empty() {
				t.Errorf("finding %d: read picture without a region", i)
			}
		}
		if string(roles) != want[i] {
			t.Errorf("finding %d (%s): images %q, want %q", i, f.Rule, roles, want[i])
		}
	}
}

// BenchmarkPictureCrop is the sweep's cost per finding read from a picture:
// decoding a 750×3000 detail picture and keeping the crop around one line.
func BenchmarkPictureCrop(b *testing.B) {
	tall := imaging.New(750, 3000, color.White)
	tall = imaging.Paste(tall, imagequality.TestImage("text", 750), image.Pt(0, 1200))
	for _, format := range []string{"jpeg", "png"} {
		b.Run(format, func(b *testing.B) {
			var buf bytes.Buffer
			var err error
			if format == "png" {
				err = png.Encode(&buf, tall)
			} else {
				err = jpeg.Encode(&buf, tall, &jpeg.Options{Quality: 90})
			}
			if err != nil {
				b.Fatal(err)
			}
			var size int
			for b.Loop() {
				ev, ok := PictureCrop(buf.Bytes(), image.Rect(100, 1500, 600, 1560), 40)
				if !ok {
					b.Fatal("no crop")
				}
				size = len(ev.Data)
			}
			b.ReportMetric(float64(size), "bytes/crop")
		})
	}
}
