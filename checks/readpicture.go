package checks

import (
	"encoding/json"
	"image"
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/disintegration/imaging"

	"github.com/storecheck/storecheck/checks/imagequality"
	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
)

// ImageRead is the role of the picture behind a finding whose text was
// read from a picture (OCR): the part of the picture around the read text,
// its Region saying which part, so the report can outline evidence.image_box
// on it.
const ImageRead = "read"

// Limits of an ImageRead picture. It has to keep the text legible, which a
// 240 px thumbnail of a 750×3000 detail picture does not (its glyphs shrink
// to 5 px), so it is a crop around the read text rather than the whole
// picture, at up to readSide px.
const (
	// readSide is the longest side of the stored crop, in px: a 750 px wide
	// detail picture is shown at 0.64× (a 24 px glyph stays 15 px).
	readSide = 480
	// readMinW and readMinH are the smallest part of the picture a crop
	// shows around a short line, in picture px: enough to see which
	// banner or detail block the text sits in.
	readMinW = 480
	readMinH = 240
	// readFullWidth: a picture up to this wide (detail pictures are
	// 750-790 px) is shown across its whole width, at ≥ 0.5×, so the crop
	// shows which block of the picture the text is in.
	readFullWidth = 2 * readSide
	// readWholeShare: a crop that would cover this share of the picture's
	// width and height shows the whole picture instead.
	readWholeShare = 0.8
	// readMaxBytes bounds the stored crop; over it the crop is scaled down
	// by readShrink and encoded again, at most readTries times. Text crops
	// measured 12-40 kB at readSide.
	readMaxBytes = 64 << 10
	readShrink   = 0.75
	readTries    = 4
)

// PictureEvidence is what a finding's evidence says about the picture its
// text was read from (contract: "Text inside pictures").
type PictureEvidence struct {
	// URL is evidence.image, the picture's URL.
	URL string
	// Box is evidence.image_box in the picture's pixels; empty when absent.
	Box image.Rectangle
	// Confidence is evidence.ocr_confidence (0–100); -1 when absent.
	Confidence float64
	// Text is the text read, from the first of evidence.ocr_text, read,
	// text and sentences that is present (a list is joined with " / ");
	// "" when none is.
	Text string
	// AlsoPage is set when the finding was seen in the page's text too
	// (evidence.source = "page+image").
	AlsoPage bool
}

// PictureOf reports whether a finding's evidence says it was read from a
// picture (evidence.source = "image" or "page+image")
// and returns what the evidence says about that picture. It reads evidence
// as a rule built it and as storage gives it back (JSON-decoded).
func PictureOf(ev map[string]any) (PictureEvidence, bool) {
	sources := strings.Split(evidenceString(ev["source"]), "+")
	if !slices.Contains(sources, "image") {
		return PictureEvidence{}, false
	}
	pe := PictureEvidence{
		URL:        evidenceString(ev["image"]),
		Box:        evidenceRect(ev["image_box"]),
		Confidence: -1,
		AlsoPage:   slices.Contains(sources, "page"),
	}
	if c, ok := evidenceNumber(ev["ocr_confidence"]); ok {
		pe.Confidence = c
	}
	for _, k := range []string{"ocr_text", "read", "text", "sentences"} {
		if s := strings.Join(evidenceStrings(ev[k]), " / "); s != "" {
			pe.Text = s
			break
		}
	}
	return pe, true
}

// evidenceString is v when it is a string, else "".
func evidenceString(v any) string {
	s, _ := v.(string)
	return s
}

// evidenceStrings is v as a list of non-empty strings: a string alone, or
// the strings of a list of any type.
func evidenceStrings(v any) []string {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		if x == "" {
			return nil
		}
		return []string{x}
	case []string:
		return slices.DeleteFunc(slices.Clone(x), func(s string) bool { return s == "" })
	}
	var list []any
	if !roundTrip(v, &list) {
		return nil
	}
	var out []string
	for _, e := range list {
		if s, ok := e.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

func evidenceNumber(v any) (float64, bool) {
	var f float64
	if v == nil || !roundTrip(v, &f) || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// evidenceRect reads a {x, y, w, h} box (a map, crawler.Box or any struct
// with those JSON keys), rounded outwards to whole pixels; empty when v is
// not one or has no area.
func evidenceRect(v any) image.Rectangle {
	var b struct {
		X, Y, W, H *float64
	}
	if v == nil || !roundTrip(v, &b) || b.X == nil || b.Y == nil || b.W == nil || b.H == nil {
		return image.Rectangle{}
	}
	for _, f := range []float64{*b.X, *b.Y, *b.W, *b.H} {
		if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e7 {
			return image.Rectangle{}
		}
	}
	if *b.W <= 0 || *b.H <= 0 {
		return image.Rectangle{}
	}
	return image.Rect(int(math.Floor(*b.X)), int(math.Floor(*b.Y)),
		int(math.Ceil(*b.X+*b.W)), int(math.Ceil(*b.Y+*b.H)))
}

// roundTrip decodes v's JSON into dst: evidence values come as Go values
// from a rule and as decoded JSON from storage, and this reads both alike.
func roundTrip(v, dst any) bool {
	b, err := json.Marshal(v)
	return err == nil && json.Unmarshal(b, dst) == nil
}

// PictureCrop is the ImageRead picture of encoded picture data for a text
// read at box (picture px; empty = no box known): the part of the picture
// around box (the whole picture when that part would be most of it), scaled
// to at most readSide px and encoded under readMaxBytes. Its Region is that
// part in the picture's pixels. ok is false when data does not decode
// within maxMP megapixels.
func PictureCrop(data []byte, box image.Rectangle, maxMP float64) (ev EvidenceImage, ok bool) {
	img, _, err := imagequality.DecodeLimited(data, maxMP)
	if err != nil {
		return EvidenceImage{}, false
	}
	return cropRead(img, box)
}

// cropRead is PictureCrop over a decoded picture.
func cropRead(img image.Image, box image.Rectangle) (EvidenceImage, bool) {
	pb := img.Bounds()
	if pb.Empty() {
		return EvidenceImage{}, false
	}
	// Boxes are in picture pixels counted from the top left corner.
	r := readWindow(image.Rect(0, 0, pb.Dx(), pb.Dy()), box)
	src := imaging.Crop(img, r.Add(pb.Min))
	long := max(r.Dx(), r.Dy())
	scale := min(1, float64(readSide)/float64(long))
	for try := 0; ; try++ {
		w := max(1, int(math.Round(float64(r.Dx())*scale)))
		h := max(1, int(math.Round(float64(r.Dy())*scale)))
		t := src
		if w != r.Dx() || h != r.Dy() {
			t = imaging.Resize(src, w, h, imaging.Linear)
		}
		ev, ok := encodeRead(t)
		if !ok {
			return EvidenceImage{}, false
		}
		if len(ev.Data) <= readMaxBytes || try == readTries-1 {
			ev.Role, ev.Region = ImageRead, r
			return ev, true
		}
		scale *= readShrink
	}
}

// readWindow is the part of a picture with bounds pic (origin 0,0) that a
// crop shows for box: box with a margin of its line height (at least
// 24 px), grown to at least readMinW × readMinH around its centre and kept
// inside the picture, across the whole width of a picture up to
// readFullWidth; the whole picture when box is empty or the part would
// cover most of it (readWholeShare).
func readWindow(pic, box image.Rectangle) image.Rectangle {
	box = box.Intersect(pic)
	if box.Empty() {
		return pic
	}
	m := max(24, min(box.Dx(), box.Dy()))
	r := box.Inset(-m)
	r = grow(r, readMinW, readMinH, pic)
	if pic.Dx() <= readFullWidth {
		r.Min.X, r.Max.X = pic.Min.X, pic.Max.X
	}
	if float64(r.Dx()) >= readWholeShare*float64(pic.Dx()) && float64(r.Dy()) >= readWholeShare*float64(pic.Dy()) {
		return pic
	}
	return r
}

// grow widens r around its centre to at least w × h, shifted to stay
// inside pic and clipped to it.
func grow(r image.Rectangle, w, h int, pic image.Rectangle) image.Rectangle {
	if d := w - r.Dx(); d > 0 {
		r.Min.X -= d / 2
		r.Max.X += d - d/2
	}
	if d := h - r.Dy(); d > 0 {
		r.Min.Y -= d / 2
		r.Max.Y += d - d/2
	}
	if r.Min.X < pic.Min.X {
		r = r.Add(image.Pt(pic.Min.X-r.Min.X, 0))
	}
	if r.Max.X > pic.Max.X {
		r = r.Add(image.Pt(pic.Max.X-r.Max.X, 0))
	}
	if r.Min.Y < pic.Min.Y {
		r = r.Add(image.Pt(0, pic.Min.Y-r.Min.Y))
	}
	if r.Max.Y > pic.Max.Y {
		r = r.Add(image.Pt(0, pic.Max.Y-r.Max.Y))
	}
	return r.Intersect(pic)
}

// encodeRead encodes a crop: PNG when it has at most evidencePaletteMax
// colours (text drawn on flat colour stays crisp), else JPEG; a picture with
// transparency is shown on white, as shops show it.
func encodeRead(t *image.NRGBA) (EvidenceImage, bool) {
	w, h := t.Rect.Dx(), t.Rect.Dy()
	opaque, _, palette := scanColours(t)
	if !opaque {
		t = imaging.Overlay(imaging.New(w, h, color.White), t, image.Pt(0, 0), 1)
		_, _, palette = scanColours(t)
	}
	ev := EvidenceImage{W: w, H: h}
	if palette != nil {
		if data, err := thumbPNG(paletted(t, palette)); err == nil && len(data) <= readMaxBytes {
			ev.MIME, ev.Data = "image/png", data
			return ev, true
		}
	}
	data, err := thumbJPEG(t)
	if err != nil {
		return EvidenceImage{}, false
	}
	ev.MIME, ev.Data = "image/jpeg", data
	return ev, true
}

// AddPictureCrops gives every finding of visit p that was read from a
// picture (PictureOf) and has no ImageRead picture yet the crop of that
// picture around its image_box (PictureCrop), from the bytes the browser
// received for evidence.image. A finding whose picture's bytes were not
// captured, were cut at the capture cap or do not decode keeps what it has:
// the report then shows the text read without the picture. The sweep calls
// it on a visit's findings before storing them; rules need not.
func AddPictureCrops(env *Env, p *crawler.Page, fs []Finding) {
	maxMP := config.Defaults().Images.MaxMegapixels
	if env != nil {
		maxMP = env.Images.MaxMegapixels
	}
	decoded := map[string]image.Image{} // by URL: several findings often come from one banner
	for i := range fs {
		f := &fs[i]
		pe, ok := PictureOf(f.Evidence)
		if !ok || pe.URL == "" || slices.ContainsFunc(f.Images, func(im EvidenceImage) bool { return im.Role == ImageRead }) {
			continue
		}
		img, seen := decoded[pe.URL]
		if !seen {
			if data := pictureBytes(p, pe.URL); data != nil {
				img, _, _ = imagequality.DecodeLimited(data, maxMP)
			}
			decoded[pe.URL] = img
		}
		if img == nil {
			continue
		}
		if ev, ok := cropRead(img, pe.Box); ok {
			// A new slice: a rule's Images may share a cached backing array.
			f.Images = append(slices.Clip(f.Images), ev)
		}
	}
}

// pictureBytes is the whole body the browser received for the picture at
// url on page p; nil when none was captured whole.
func pictureBytes(p *crawler.Page, url string) []byte {
	if p == nil {
		return nil
	}
	for _, byCurrent := range []bool{true, false} {
		for i := range p.Images {
			im := &p.Images[i]
			u := im.Src
			if byCurrent {
				u = im.CurrentSrc
			}
			if u == url && len(im.Bytes) > 0 && !im.BytesTruncated {
				return im.Bytes
			}
		}
	}
	return nil
}
