package main

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"path/filepath"

	"github.com/disintegration/imaging"
)

// imageFixtures draws the pictures of the image-rule fixtures
// (fixtures/img/): a sharp 800×800 product photo and a blurred copy (σ 2), a 200×200 thumbnail of it
// (upscaled on the low-resolution page), the same photo saved at quality 98
// so it weighs over 200 KB (oversized when drawn small), a flat 7000×6000
// PNG of 42 megapixels that compresses to a few KB (too large to analyse),
// and bytes that are no picture at all, served as image/jpeg (broken).
func imageFixtures(dir string) error {
	photo := products()[0].draw(1100)
	if err := writeJPEG(filepath.Join(dir, "photo.jpg"), photo); err != nil {
		return err
	}
	// The same photo blurred (Gaussian σ 2 px at 800 px): image.blurry.
	if err := writeJPEG(filepath.Join(dir, "photo-blurred.jpg"), imaging.Blur(photo, 2)); err != nil {
		return err
	}
	thumb := imaging.Resize(photo, 200, 200, imaging.Lanczos)
	if err := writeJPEG(filepath.Join(dir, "thumb-200.jpg"), thumb); err != nil {
		return err
	}
	var heavy bytes.Buffer
	if err := jpeg.Encode(&heavy, dishPhoto(greenLeaves, linen, 21), &jpeg.Options{Quality: 98}); err != nil {
		return fmt.Errorf("encode heavy.jpg: %w", err)
	}
	if err := write(filepath.Join(dir, "heavy.jpg"), heavy.Bytes()); err != nil {
		return err
	}
	flatImg := image.NewGray(image.Rect(0, 0, 7000, 6000))
	for i := range flatImg.Pix {
		flatImg.Pix[i] = 0xe8
	}
	if err := writePNG(filepath.Join(dir, "huge-flat.png"), flatImg); err != nil {
		return err
	}
	return write(filepath.Join(dir, "garbage.jpg"), []byte("This file is served as image/jpeg but holds no picture.\n"))
}
