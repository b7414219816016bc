package report

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"image"
	"image/jpeg"
	"math"

	"github.com/disintegration/imaging"
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
		img = imaging.Resize(img, width, 0, imaging.Box)
	}
	return encodeJPEG(img)
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
	img := fp.img
	if img.Bounds().Dx() > overviewWidth {
		img = imaging.Resize(img, overviewWidth, 0, imaging.Box)
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
	img := imaging.Crop(fp.img, r)
	if img.Bounds().Dx() > cropWidth {
		img = imaging.Resize(img, cropWidth, 0, imaging.Lanczos)
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
