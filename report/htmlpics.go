package report

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"image"
	"image/color"
	"image/jpeg"
	"math"

	xdraw "golang.org/x/image/draw"

	"github.com/storecheck/storecheck/crawler"
)

// Picture sizes in the report, in pixels. A report of 500 pages carries
// thumbnails, never the stored originals: the viewport screenshot at
// shotWidth is ~15 kB, the full-page overview at overviewWidth a few tens.
const (
	shotWidth     = 360
	overviewWidth = 240
	cropWidth     = 480
	cropMaxCSS    = 900 // tallest region of the page a crop shows, CSS px
	cropMarginCSS = 32  // context around an outlined box, CSS px
	cropMinWCSS   = 360 // smallest region a crop shows, CSS px
	cropMinHCSS   = 200
	thumbQuality  = 62
)

func dataURL(mime string, b []byte) template.URL {
	// Only our own encoded pictures get here; the MIME type comes from the
	// checks, so keep it to image types.
	switch mime {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
	default:
		mime = "application/octet-stream"
	}
	return template.URL("data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(b))
}

// scaleTo scales src to width w (keeping its aspect) into RGBA: a box
// average over whole k×k blocks first, read straight from the decoder's
// YCbCr planes, then a bilinear step of less than 2× to the exact size.
// Screenshots shrink 4–6× here; a kernel that widens with the reduction
// (x/image's BiLinear) or a per-pixel generic resize took 2–3× longer than
// decoding them.
func scaleTo(src image.Image, w int) *image.RGBA {
	b := src.Bounds()
	h := max(1, int(math.Round(float64(b.Dy())*float64(w)/float64(b.Dx()))))
	if k := b.Dx() / w; k >= 2 {
		if y, ok := src.(*image.YCbCr); ok {
			src = boxShrink(y, k)
			b = src.Bounds()
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	// What is left is a reduction under 2× (or the whole of it for a
	// picture that is not YCbCr): the cheap bilinear reads enough of it.
	xdraw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, b, xdraw.Src, nil)
	return dst
}

// boxShrink averages the luma of k×k blocks of src into one RGBA pixel
// each, with the chroma sampled at the block's centre (chroma is stored at
// half resolution or less anyway); a partial block at the right or bottom
// edge is dropped.
func boxShrink(src *image.YCbCr, k int) *image.RGBA {
	b := src.Bounds()
	w, h := b.Dx()/k, b.Dy()/k
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	n := uint32(k * k)
	ys := make([]uint32, w)
	for oy := range h {
		clear(ys)
		for dy := range k {
			row := src.Y[src.YOffset(b.Min.X, b.Min.Y+oy*k+dy):]
			for ox := range w {
				var sum uint32
				for _, v := range row[ox*k : ox*k+k] {
					sum += uint32(v)
				}
				ys[ox] += sum
			}
		}
		pix := dst.Pix[oy*dst.Stride:]
		cy := b.Min.Y + oy*k + k/2
		for ox := range w {
			ci := src.COffset(b.Min.X+ox*k+k/2, cy)
			r, g, bl := color.YCbCrToRGB(uint8(ys[ox]/n), src.Cb[ci], src.Cr[ci])
			pix[ox*4], pix[ox*4+1], pix[ox*4+2], pix[ox*4+3] = r, g, bl, 0xff
		}
	}
	return dst
}

// toRGBA copies src into RGBA, which the JPEG encoder reads without a
// per-pixel interface call.
func toRGBA(src image.Image) *image.RGBA {
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	xdraw.Draw(dst, dst.Bounds(), src, b.Min, xdraw.Src)
	return dst
}

func encodeJPEG(img image.Image) *picture {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: thumbQuality}); err != nil {
		return nil
	}
	b := img.Bounds()
	return &picture{Src: dataURL("image/jpeg", buf.Bytes()), W: b.Dx(), H: b.Dy()}
}

// thumbnail scales a stored JPEG to width (never up); nil when it does not
// decode.
func thumbnail(jpg []byte, width int) *picture {
	img, err := jpeg.Decode(bytes.NewReader(jpg))
	if err != nil {
		return nil
	}
	if img.Bounds().Dx() > width {
		return encodeJPEG(scaleTo(img, width))
	}
	return encodeJPEG(toRGBA(img))
}

// ShotWidth is the width, in px, of the screenshot a report's card shows.
const ShotWidth = shotWidth

// Thumbnail is a stored screenshot scaled to width (never up), as a JPEG:
// what a report served by the dashboard (HTMLInput.ShotURL) shows.
func Thumbnail(jpg []byte, width int) ([]byte, error) {
	img, err := jpeg.Decode(bytes.NewReader(jpg))
	if err != nil {
		return nil, fmt.Errorf("thumbnail: %w", err)
	}
	if img.Bounds().Dx() > width {
		img = scaleTo(img, width)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: thumbQuality}); err != nil {
		return nil, fmt.Errorf("thumbnail: %w", err)
	}
	return buf.Bytes(), nil
}

// shotHeight is the height of a card's screenshot at shotWidth: the
// screenshot is the first screen of the page in its viewport.
func shotHeight(viewport string) int {
	vp := crawler.Desktop
	if viewport == crawler.Mobile.Name {
		vp = crawler.Mobile
	}
	return int(math.Round(float64(shotWidth) * float64(vp.Height) / float64(vp.Width)))
}

// fullPicture is a decoded full-page screenshot: scale is its pixels per
// CSS px (the crawler takes it at half the device resolution).
type fullPicture struct {
	img   image.Image
	scale float64
	cssW  float64
	cssH  float64
}

func decodeFull(jpg []byte, cssHeight int) (*fullPicture, error) {
	img, err := jpeg.Decode(bytes.NewReader(jpg))
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	if b.Dy() == 0 || b.Dx() == 0 {
		return nil, image.ErrFormat
	}
	scale := float64(b.Dy()) / float64(cssHeight)
	return &fullPicture{img: img, scale: scale, cssW: float64(b.Dx()) / scale, cssH: float64(cssHeight)}, nil
}

// overview is the whole page, small, with every boxed finding outlined and
// numbered. Boxes below the captured height are left out.
func (fp *fullPicture) overview(fs []*findingView) *fullShot {
	var img *image.RGBA
	if fp.img.Bounds().Dx() > overviewWidth {
		img = scaleTo(fp.img, overviewWidth)
	} else {
		img = toRGBA(fp.img)
	}
	p := encodeJPEG(img)
	if p == nil {
		return nil
	}
	s := &fullShot{picture: *p}
	for _, f := range fs {
		if o, ok := outline(f, 0, 0, fp.cssW, fp.cssH); ok {
			s.Boxes = append(s.Boxes, o)
		}
	}
	return s
}

// crop is the region around one finding's box, at up to cropWidth, with the
// box outlined.
func (fp *fullPicture) crop(f *findingView) *fullShot {
	b := f.box
	// A small box (a logo, a price) gets enough of the page around it to
	// see where it is.
	padX := math.Max(cropMarginCSS, (cropMinWCSS-b.W)/2)
	padY := math.Max(cropMarginCSS, (cropMinHCSS-b.H)/2)
	x0 := math.Max(0, b.X-padX)
	y0 := math.Max(0, b.Y-padY)
	x1 := math.Min(fp.cssW, b.X+b.W+padX)
	y1 := math.Min(fp.cssH, b.Y+b.H+padY)
	if y1-y0 > cropMaxCSS {
		y1 = y0 + cropMaxCSS
	}
	if x1-x0 < 1 || y1-y0 < 1 {
		return nil // the box lies outside what was captured
	}
	r := image.Rect(int(x0*fp.scale), int(y0*fp.scale), int(math.Ceil(x1*fp.scale)), int(math.Ceil(y1*fp.scale))).
		Add(fp.img.Bounds().Min).Intersect(fp.img.Bounds())
	if r.Empty() {
		return nil
	}
	region := subImage(fp.img, r)
	var img *image.RGBA
	if r.Dx() > cropWidth {
		img = scaleTo(region, cropWidth)
	} else {
		img = toRGBA(region)
	}
	p := encodeJPEG(img)
	if p == nil {
		return nil
	}
	// Shown at its CSS size (up to cropWidth): the screenshot is taken at
	// half resolution, and a region drawn smaller than the page drew it
	// would hide what is wrong with it.
	if w := math.Min(x1-x0, cropWidth); w > float64(p.W) {
		p.H = int(math.Round(float64(p.H) * w / float64(p.W)))
		p.W = int(math.Round(w))
	}
	s := &fullShot{picture: *p}
	if o, ok := outline(f, x0, y0, x1-x0, y1-y0); ok {
		s.Boxes = append(s.Boxes, o)
	}
	return s
}

// outline places f's box on a picture showing the CSS px region at (ox, oy)
// of size w × h, clipped to it.
func outline(f *findingView, ox, oy, w, h float64) (overlay, bool) {
	b := f.box
	x0 := math.Max(b.X-ox, 0)
	y0 := math.Max(b.Y-oy, 0)
	x1 := math.Min(b.X+b.W-ox, w)
	y1 := math.Min(b.Y+b.H-oy, h)
	if x1 <= x0 || y1 <= y0 {
		return overlay{}, false
	}
	return overlay{N: f.N, Severity: sevClass(f.Severity),
		Left: pct(x0 / w), Top: pct(y0 / h), Width: pct((x1 - x0) / w), High: pct((y1 - y0) / h)}, true
}

// subImage is the region r of img without copying, where the decoder's
// image type allows it.
func subImage(img image.Image, r image.Rectangle) image.Image {
	if s, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return s.SubImage(r)
	}
	dst := image.NewRGBA(r)
	xdraw.Draw(dst, r, img, r.Min, xdraw.Src)
	return dst
}
