// Package imagequality measures the quality of decoded images without a
// browser: a decompression-bomb-safe decoder and a size- and
// content-robust sharpness (blur) verdict.
package imagequality

import (
	"bytes"
	"fmt"
	"image"

	// Decoders for the formats the crawler captures.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/webp"
)

// TooLargeError reports an image whose header declares more pixels than
// allowed; such an image is never decoded.
type TooLargeError struct {
	Width, Height int     // declared size in pixels
	Megapixels    float64 // Width × Height / 1e6
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("image %d×%d is %.1f megapixels, above the limit", e.Width, e.Height, e.Megapixels)
}

// DecodeLimited decodes a JPEG, PNG, GIF (first frame) or WebP image. It reads
// the header first and returns a *TooLargeError, without decoding, when the
// declared size exceeds maxMegapixels (millions of pixels). format is the
// registered format name ("jpeg", "png", "gif", "webp"). Undecodable bytes
// return a wrapped image.ErrFormat or the decoder's error.
func DecodeLimited(data []byte, maxMegapixels float64) (img image.Image, format string, err error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, "", fmt.Errorf("decode image header: %w", err)
	}
	mp := float64(cfg.Width) * float64(cfg.Height) / 1e6
	if mp > maxMegapixels {
		return nil, format, &TooLargeError{Width: cfg.Width, Height: cfg.Height, Megapixels: mp}
	}
	img, format, err = image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, format, fmt.Errorf("decode %s image: %w", format, err)
	}
	if format == "webp" {
		img = vp8ToRGB(img)
	}
	return img, format, nil
}

// vp8ToRGB is a lossy WebP picture in the colours a browser shows. VP8
// stores limited-range ("studio swing", Y 16–235) BT.601 YCbCr, but
// golang.org/x/image/webp hands its planes over as image.YCbCr, which Go
// converts as full-range JPEG YCbCr (golang/go#40173): white came out at
// 233 and black at 16, and a WebP copy of a JPEG differed from it by 18
// colour levels on average where a re-encoded JPEG differs by 2. Lossless
// WebP (VP8L) is decoded to RGB already and is returned as it is.
func vp8ToRGB(img image.Image) image.Image {
	var yc *image.YCbCr
	var alpha []uint8
	var alphaStride int
	switch m := img.(type) {
	case *image.YCbCr:
		yc = m
	case *image.NYCbCrA:
		yc, alpha, alphaStride = &m.YCbCr, m.A, m.AStride
	default:
		return img
	}
	b := yc.Bounds()
	out := image.NewNRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		o := out.PixOffset(b.Min.X, y)
		for x := b.Min.X; x < b.Max.X; x++ {
			yy := (float64(yc.Y[yc.YOffset(x, y)]) - 16) * (255.0 / 219)
			ci := yc.COffset(x, y)
			cb, cr := (float64(yc.Cb[ci])-128)*(255.0/224), (float64(yc.Cr[ci])-128)*(255.0/224)
			out.Pix[o] = clip8(yy + 1.402*cr)
			out.Pix[o+1] = clip8(yy - 0.344136*cb - 0.714136*cr)
			out.Pix[o+2] = clip8(yy + 1.772*cb)
			out.Pix[o+3] = 0xff
			if alpha != nil {
				out.Pix[o+3] = alpha[(y-b.Min.Y)*alphaStride+(x-b.Min.X)]
			}
			o += 4
		}
	}
	return out
}

func clip8(v float64) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}
