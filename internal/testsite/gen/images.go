package main

import (
	"image"
	"image/draw"
	"path/filepath"

	"github.com/disintegration/imaging"
)

// imageFixtures draws the pictures of the image-rule fixtures
// (fixtures/img/): a sharp 800×800 product photo and blurred copies (σ 1.5,
// 2 and 3), a 200×200 thumbnail of it (upscaled on the low-resolution page),
// the same photo saved at quality 98 so it weighs over 200 KB (oversized when
// drawn small), a flat 7000×6000 PNG of 42 megapixels that compresses to a
// few KB (too large to analyse), bytes that are no picture at all, served as
// image/jpeg (broken), five sharp pictures unlike photos (see sharpSet) and
// the product gallery pictures.
func imageFixtures(dir string) error {
	photo := products()[0].draw(1100)
	if err := writeJPEG(filepath.Join(dir, "photo.jpg"), photo); err != nil {
		return err
	}
	// The same photo blurred (Gaussian σ in px at 800 px): image.blurry from
	// σ 1.5 up.
	for name, sigma := range map[string]float64{"photo-blurred.jpg": 2, "photo-blur-1-5.jpg": 1.5, "photo-blur-3.jpg": 3} {
		if err := writeJPEG(filepath.Join(dir, name), imaging.Blur(photo, sigma)); err != nil {
			return err
		}
	}
	thumb := imaging.Resize(photo, 200, 200, imaging.Lanczos)
	if err := writeJPEG(filepath.Join(dir, "thumb-200.jpg"), thumb); err != nil {
		return err
	}
	if err := writeJPEGQ(filepath.Join(dir, "heavy.jpg"), dishPhoto(greenLeaves, linen, 21), 98); err != nil {
		return err
	}
	flatImg := image.NewGray(image.Rect(0, 0, 7000, 6000))
	for i := range flatImg.Pix {
		flatImg.Pix[i] = 0xe8
	}
	if err := writePNG(filepath.Join(dir, "huge-flat.png"), flatImg); err != nil {
		return err
	}
	if err := write(filepath.Join(dir, "garbage.jpg"), []byte("This file is served as image/jpeg but holds no picture.\n")); err != nil {
		return err
	}
	for name, draw := range sharpSet() {
		if err := writeJPEG(filepath.Join(dir, name), draw()); err != nil {
			return err
		}
	}
	return galleryFixtures(dir)
}

// galleryFixtures draws the product-gallery pictures (fixtures/img/): four
// distinct 800×800 scenes, gallery-1.jpg … gallery-4.jpg, and
// gallery-1-thumb.jpg, gallery-1 at 160 px re-encoded: a near-duplicate under
// another URL, which product.few-images must count once.
func galleryFixtures(dir string) error {
	scenes := []func() *image.RGBA{
		func() *image.RGBA { return products()[6].draw(1201) },
		func() *image.RGBA { return dishPhoto(blackLeaves, woodDark, 42) },
		func() *image.RGBA { return cupPhoto("#c9c26a", true, bamboo, 43) },
		func() *image.RGBA { return gardenPhoto(44) },
	}
	for i, draw := range scenes {
		img := draw()
		name := "gallery-" + string(rune('1'+i))
		if err := writeJPEG(filepath.Join(dir, name+".jpg"), img); err != nil {
			return err
		}
		if i == 0 {
			if err := writeJPEG(filepath.Join(dir, name+"-thumb.jpg"), imaging.Resize(img, 160, 160, imaging.Lanczos)); err != nil {
				return err
			}
		}
	}
	return nil
}

// logoFixtures draws the pictures of the logo-rule fixtures (fixtures/img/):
// variants of the brand seal (hue-rotated inks, the sun left out, drawn at
// 24 px, blurred), the seal as SVG, another brand's protected mark with the
// copy a page shows, and an unrelated badge.
func logoFixtures(dir string) error {
	pngs := map[string]image.Image{
		// every ink's hue turned 120°: disc indigo, sun green, leaf sky blue
		"logo-recoloured.png": drawSeal(256, sealStyle{colours: brandColours.hueRotated(120), sun: true}),
		// the red sun left out: a part changed
		"logo-nosun.png": drawSeal(256, sealStyle{colours: brandColours}),
		// too few pixels for a 40 px header at any DPR
		"logo-24.png":      logo(24),
		"logo-blurred.png": blurAlpha(logo(256), 12),
		"rival-mark.png":   rivalMark(300),
		"badge.png":        badge(128),
	}
	for name, img := range pngs {
		if err := writePNG(filepath.Join(dir, name), img); err != nil {
			return err
		}
	}
	if err := write(filepath.Join(dir, "logo.svg"), []byte(logoSVG())); err != nil {
		return err
	}
	// the rival's mark as a page shows it: flattened on white, small, lossy
	page := image.NewRGBA(image.Rect(0, 0, 120, 120))
	draw.Draw(page, page.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(page, page.Bounds(), rivalMark(120), image.Point{}, draw.Over)
	return writeJPEGQ(filepath.Join(dir, "rival-mark-page.jpg"), page, 80)
}

// blurAlpha blurs img, its alpha included, by a Gaussian of sigma px, on a
// transparent margin wide enough that the blur is not cut at the border.
func blurAlpha(img *image.NRGBA, sigma float64) *image.NRGBA {
	m := int(3 * sigma)
	b := img.Bounds()
	padded := image.NewNRGBA(image.Rect(0, 0, b.Dx()+2*m, b.Dy()+2*m))
	draw.Draw(padded, b.Add(image.Pt(m, m)), img, b.Min, draw.Src)
	return imaging.Crop(imaging.Blur(padded, sigma), b.Add(image.Pt(m, m)))
}
