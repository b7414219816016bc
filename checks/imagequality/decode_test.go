package imagequality

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"testing"
)

// pngHeader returns the signature and IHDR chunk of a w×h RGB PNG: enough for
// image.DecodeConfig, with no pixel data at all.
func pngHeader(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // bit depth 8, colour type RGB
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func encoded(t testing.TB, format string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 6))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	var b bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&b, img)
	case "jpeg":
		err = jpeg.Encode(&b, img, nil)
	case "gif":
		err = gif.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDecodeLimited(t *testing.T) {
	webp, err := os.ReadFile("testdata/gopher-doc.1bpp.lossless.webp")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		data       []byte
		maxMP      float64
		wantFormat string
		wantErr    bool
	}{
		{"png", encoded(t, "png"), 40, "png", false},
		{"jpeg", encoded(t, "jpeg"), 40, "jpeg", false},
		{"gif", encoded(t, "gif"), 40, "gif", false},
		{"webp", webp, 40, "webp", false},
		{"limit is inclusive", encoded(t, "png"), 48e-6, "png", false},
		{"garbage", []byte("<html>not an image</html>"), 40, "", true},
		{"empty", nil, 40, "", true},
		{"truncated png", encoded(t, "png")[:40], 40, "png", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, format, err := DecodeLimited(tt.data, tt.maxMP)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if format != tt.wantFormat {
				t.Errorf("format = %q, want %q", format, tt.wantFormat)
			}
			if !tt.wantErr && img.Bounds().Empty() {
				t.Errorf("empty image")
			}
		})
	}
	if _, _, err := DecodeLimited([]byte("nope"), 40); !errors.Is(err, image.ErrFormat) {
		t.Errorf("garbage: err = %v, want image.ErrFormat", err)
	}
}

func TestDecodeLimitedTooLarge(t *testing.T) {
	// A 20000×20000 header (400 MP, 1.2 GB as RGB) must be refused from the
	// header alone; decoding it would fail on the missing data anyway, so a
	// *TooLargeError proves nothing was decoded.
	_, format, err := DecodeLimited(pngHeader(20000, 20000), 40)
	var tl *TooLargeError
	if !errors.As(err, &tl) {
		t.Fatalf("err = %v, want *TooLargeError", err)
	}
	if tl.Width != 20000 || tl.Height != 20000 || tl.Megapixels != 400 || format != "png" {
		t.Errorf("got %+v format %q, want 20000×20000, 400 MP, png", tl, format)
	}
	// Just under the limit the header passes and the missing data fails decoding.
	if _, _, err := DecodeLimited(pngHeader(100, 100), 40); err == nil || errors.As(err, &tl) {
		t.Errorf("header-only 100×100: err = %v, want a decode error", err)
	}
}

func FuzzDecodeLimited(f *testing.F) {
	f.Add(encoded(f, "png"))
	f.Add(encoded(f, "jpeg"))
	f.Add(encoded(f, "gif"))
	f.Add(pngHeader(20000, 20000))
	f.Fuzz(func(t *testing.T, data []byte) {
		// 1 MP keeps every decode small and fast.
		img, _, err := DecodeLimited(data, 1)
		if err != nil {
			return
		}
		if b := img.Bounds(); b.Dx()*b.Dy() > 1e6 {
			t.Fatalf("decoded %v above the 1 MP limit", b)
		}
		if b := img.Bounds(); b.Dx() >= MinSide && b.Dy() >= MinSide {
			Sharpness(img)
		}
	})
}

func TestLuma(t *testing.T) {
	ycc := image.NewYCbCr(image.Rect(0, 0, 4, 2), image.YCbCrSubsampleRatio420)
	for i := range ycc.Y {
		ycc.Y[i] = uint8(10 * i)
	}
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = 40, 220 // strong chroma must not leak into luma
	}
	sub := ycc.SubImage(image.Rect(1, 1, 4, 2))

	nrgba := image.NewNRGBA(image.Rect(0, 0, 3, 1))
	copy(nrgba.Pix, []uint8{255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 255, 128})
	rgba := image.NewRGBA(image.Rect(0, 0, 2, 1))
	rgba.Set(0, 0, color.RGBA{0, 255, 0, 255})
	rgba.Set(1, 0, color.RGBA{0, 0, 0, 0})

	tests := []struct {
		name string
		img  image.Image
		want []float32
	}{
		{"YCbCr takes Y as is", ycc, []float32{0, 10, 20, 30, 40, 50, 60, 70}},
		{"YCbCr sub-image", sub, []float32{50, 60, 70}},
		{"Gray", &image.Gray{Pix: []uint8{3, 200}, Stride: 2, Rect: image.Rect(0, 0, 2, 1)}, []float32{3, 200}},
		// red: 0.299·255 = 76.2; transparent: white; half-transparent blue
		// over white: 0.299·127 + 0.587·127 + 0.114·255 = 141.6.
		{"NRGBA BT.601 over white", nrgba, []float32{76, 255, 142}},
		// green: 0.587·255 = 149.7; transparent: white.
		{"RGBA generic path", rgba, []float32{150, 255}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Luma(tt.img)
			if p.W*p.H != len(tt.want) {
				t.Fatalf("size %d×%d, want %d samples", p.W, p.H, len(tt.want))
			}
			for i, v := range tt.want {
				if p.Pix[i] != v {
					t.Errorf("Pix = %v, want %v", p.Pix, tt.want)
					break
				}
			}
		})
	}
}

// TestDecodeLimitedWebPColours: a lossy WebP decodes to the colours it was
// made from, as a browser shows it; read as full-range YCbCr (what
// golang.org/x/image/webp hands over) white came out 235 and black 16.
func TestDecodeLimitedWebPColours(t *testing.T) {
	data, err := os.ReadFile("testdata/quadrants.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	img, format, err := DecodeLimited(data, 1)
	if err != nil || format != "webp" {
		t.Fatalf("decode: %v (%s)", err, format)
	}
	for _, tc := range []struct {
		name    string
		x, y    int
		r, g, b int
	}{
		{"white", 8, 8, 255, 255, 255},
		{"black", 24, 8, 0, 0, 0},
		{"red", 8, 24, 200, 30, 40},
		{"grey", 24, 24, 128, 128, 128},
	} {
		r, g, b, a := img.At(tc.x, tc.y).RGBA()
		got := [3]int{int(r >> 8), int(g >> 8), int(b >> 8)}
		for i, want := range [3]int{tc.r, tc.g, tc.b} {
			if d := got[i] - want; d < -4 || d > 4 || a>>8 != 255 {
				t.Errorf("%s: got %v alpha %d, want %d %d %d (±4)", tc.name, got, a>>8, tc.r, tc.g, tc.b)
				break
			}
		}
	}
}
