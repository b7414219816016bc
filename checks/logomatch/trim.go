package logomatch

import (
	"image"
	"image/color"

	"github.com/disintegration/imaging"
)

// Trim crops away the uniform background border of img: the colour most of
// its four corners share (within a JPEG-noise tolerance), transparent pixels
// always counting as background. A row or column is border while fewer than
// 0.5 % of its pixels (at least 1) differ from the background. An image with
// no foreground is returned unchanged. The result's bounds start at (0, 0).
func Trim(img image.Image) image.Image {
	if img == nil || img.Bounds().Empty() {
		return img
	}
	src := imaging.Clone(img)
	box, _, ok := trimBox(src)
	if !ok {
		return img
	}
	return imaging.Crop(src, box)
}

// trimBox returns the foreground bounds of img and its background colour
// (alpha 0 when the background is transparent); ok is false when img has no
// foreground.
func trimBox(img *image.NRGBA) (box image.Rectangle, bg color.NRGBA, ok bool) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	bg = background(img)
	px := func(x, y int) []uint8 { i := y*img.Stride + x*4; return img.Pix[i : i+4] }
	rowFG := func(y int) bool {
		n, limit := 0, max(1, w/200)
		for x := range w {
			if !isBackground(px(x, y), bg) {
				if n++; n >= limit {
					return true
				}
			}
		}
		return false
	}
	colFG := func(x, y0, y1 int) bool {
		n, limit := 0, max(1, (y1-y0)/200)
		for y := y0; y < y1; y++ {
			if !isBackground(px(x, y), bg) {
				if n++; n >= limit {
					return true
				}
			}
		}
		return false
	}
	y0, y1 := 0, h
	for y0 < h && !rowFG(y0) {
		y0++
	}
	if y0 == h {
		return image.Rectangle{}, bg, false
	}
	for y1 > y0 && !rowFG(y1-1) {
		y1--
	}
	x0, x1 := 0, w
	for x0 < w && !colFG(x0, y0, y1) {
		x0++
	}
	for x1 > x0 && !colFG(x1-1, y0, y1) {
		x1--
	}
	if x0 >= x1 {
		return image.Rectangle{}, bg, false
	}
	return image.Rect(x0, y0, x1, y1), bg, true
}

// background is the corner colour shared by most corners; transparent when
// most corners are transparent.
func background(img *image.NRGBA) color.NRGBA {
	b := img.Bounds()
	var corners [4]color.NRGBA
	for i, p := range [4]image.Point{{0, 0}, {b.Dx() - 1, 0}, {0, b.Dy() - 1}, {b.Dx() - 1, b.Dy() - 1}} {
		corners[i] = img.NRGBAAt(p.X, p.Y)
		if corners[i].A < alphaCut {
			corners[i] = color.NRGBA{}
		}
	}
	best, votes := corners[0], 0
	for _, c := range corners {
		n := 0
		for _, o := range corners {
			if isBackground([]uint8{o.R, o.G, o.B, o.A}, c) {
				n++
			}
		}
		if n > votes {
			best, votes = c, n
		}
	}
	return best
}

// alphaCut is the alpha (0–255) below which a pixel is transparent.
const alphaCut = 32

// isBackground reports whether the NRGBA pixel p is background colour bg.
func isBackground(p []uint8, bg color.NRGBA) bool {
	if p[3] < alphaCut {
		return true
	}
	if bg.A == 0 {
		return false
	}
	return absDiff(p[0], bg.R) <= bgTolerance && absDiff(p[1], bg.G) <= bgTolerance && absDiff(p[2], bg.B) <= bgTolerance
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// flatten composites img onto its background colour (white when the
// background is transparent) and returns the opaque image and that colour.
func flatten(img *image.NRGBA, bg color.NRGBA) (*image.NRGBA, color.NRGBA) {
	if bg.A == 0 {
		bg = color.NRGBA{255, 255, 255, 255}
	}
	out := imaging.New(img.Bounds().Dx(), img.Bounds().Dy(), bg)
	for i := 0; i < len(img.Pix); i += 4 {
		a := float64(img.Pix[i+3]) / 255
		out.Pix[i] = uint8(float64(img.Pix[i])*a + float64(bg.R)*(1-a) + 0.5)
		out.Pix[i+1] = uint8(float64(img.Pix[i+1])*a + float64(bg.G)*(1-a) + 0.5)
		out.Pix[i+2] = uint8(float64(img.Pix[i+2])*a + float64(bg.B)*(1-a) + 0.5)
	}
	return out, bg
}
