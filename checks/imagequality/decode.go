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
	return img, format, nil
}
