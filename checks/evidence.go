package checks

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"

	"github.com/disintegration/imaging"

	"github.com/storecheck/storecheck/checks/logomatch"
	"github.com/storecheck/storecheck/crawler"
)

// Limits of the evidence thumbnails: a report shows a few hundred of them,
// and every one is stored with its finding.
const (
	// evidenceSide is the longest side of a thumbnail, in px: enough to see
	// what a picture shows (and a stretch or a recolouring) beside the text
	// of a finding.
	evidenceSide = 240
	// evidenceTinySide: a thumbnail this small or smaller is kept lossless
	// (PNG); JPEG's 8 px blocks would smear an icon, and its size is bounded
	// anyway (64² RGBA is 16 KB raw).
	evidenceTinySide = 64
	// evidenceMaxBytes is the size a thumbnail should stay under. A PNG over
	// it is flattened onto white and made a JPEG; a JPEG over it is encoded
	// again at evidenceLowQuality.
	evidenceMaxBytes   = 30 << 10
	evidenceQuality    = 80
	evidenceLowQuality = 60
	// evidencePaletteMax is the most colours a thumbnail may have to be
	// stored as a palette PNG: flat art (logos, badges) stays crisp and
	// small that way, while photos have thousands of colours.
	evidencePaletteMax = 256
	// evidenceFlatShare is the share of pixels equal to their left
	// neighbour from which an opaque thumbnail may be flat art (a logo
	// screenshot: anti-aliased edges give it hundreds of colours), worth
	// trying as PNG; photos, with their noise, almost never repeat a pixel.
	// A product photo on white repeats its background too, so the PNG is
	// kept only when it costs at most evidenceFlatPNGCost × the JPEG's bytes:
	// the seal's 72×40 screenshot measured 1.9×, blurred or sharp product
	// photos on white 2.7× and more.
	evidenceFlatShare   = 0.5
	evidenceFlatPNGCost = 2
	// maxEvidenceBytes bounds the thumbnails a MeasureCache keeps for the
	// sweep (some 2 000 pictures at a typical 15 KB); past it a thumbnail is
	// made for each finding that asks and then dropped.
	maxEvidenceBytes = 32 << 20
)

// thumbnail is img downscaled so its long side is at most evidenceSide px
// (never upscaled) and encoded small: PNG when it has transparency, few
// colours or is tiny, or is flat art that PNG keeps cheaply (logos); JPEG
// quality 80 otherwise (photos). ok is false for an empty image.
func thumbnail(role string, img image.Image) (ev EvidenceImage, ok bool) {
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 {
		return ev, false
	}
	var t *image.NRGBA
	if long := max(b.Dx(), b.Dy()); long > evidenceSide {
		s := float64(evidenceSide) / float64(long)
		w := max(1, int(math.Round(float64(b.Dx())*s)))
		h := max(1, int(math.Round(float64(b.Dy())*s)))
		// Linear rather than Lanczos: its support is half as wide, and
		// downscaling a multi-megapixel photo to 240 px looks the same.
		t = imaging.Resize(img, w, h, imaging.Linear)
	} else {
		t = imaging.Clone(img)
	}
	w, h := t.Rect.Dx(), t.Rect.Dy()
	ev = EvidenceImage{Role: role, W: w, H: h}
	tiny := max(w, h) <= evidenceTinySide
	opaque, flat, palette := scanColours(t)

	if !opaque || palette != nil || tiny {
		var src image.Image = t
		if palette != nil {
			src = paletted(t, palette)
		}
		data, err := thumbPNG(src)
		if err != nil {
			return EvidenceImage{}, false
		}
		if len(data) <= evidenceMaxBytes || tiny {
			ev.MIME, ev.Data = "image/png", data
			return ev, true
		}
		// A transparent photo (a product cut out): shops show it on white.
		t = imaging.Overlay(imaging.New(w, h, color.White), t, image.Pt(0, 0), 1)
		flat = false // its PNG is already known to be too big
	}
	data, err := thumbJPEG(t)
	if err != nil {
		return EvidenceImage{}, false
	}
	if flat {
		if p, err := thumbPNG(t); err == nil && len(p) <= evidenceMaxBytes && len(p) <= evidenceFlatPNGCost*len(data) {
			ev.MIME, ev.Data = "image/png", p
			return ev, true
		}
	}
	ev.MIME, ev.Data = "image/jpeg", data
	return ev, true
}

func thumbPNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	// Default compression: BestCompression saved 3-5 % at 3-5× the time.
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode thumbnail png: %w", err)
	}
	return buf.Bytes(), nil
}

// thumbJPEG encodes img at evidenceQuality, or evidenceLowQuality when
// that is over evidenceMaxBytes (a noisy, detailed picture).
func thumbJPEG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	for _, q := range []int{evidenceQuality, evidenceLowQuality} {
		buf.Reset()
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
			return nil, fmt.Errorf("encode thumbnail jpeg: %w", err)
		}
		if buf.Len() <= evidenceMaxBytes {
			break
		}
	}
	return buf.Bytes(), nil
}

// scanColours reports whether t is fully opaque, whether it is flat art
// (evidenceFlatShare) and, when it has at most evidencePaletteMax distinct
// colours, returns them (else nil).
func scanColours(t *image.NRGBA) (opaque, flat bool, palette color.Palette) {
	opaque = true
	seen := map[color.NRGBA]struct{}{}
	many := false
	same := 0 // pixels equal to their left neighbour
	for y := range t.Rect.Dy() {
		row := t.Pix[y*t.Stride : y*t.Stride+t.Rect.Dx()*4]
		for i := 0; i < len(row); i += 4 {
			c := color.NRGBA{row[i], row[i+1], row[i+2], row[i+3]}
			if c.A != 255 {
				opaque = false
			}
			if i > 0 && row[i-4] == c.R && row[i-3] == c.G && row[i-2] == c.B && row[i-1] == c.A {
				same++
			}
			if many {
				continue
			}
			if _, ok := seen[c]; !ok {
				if len(seen) == evidencePaletteMax {
					many = true
					continue
				}
				seen[c] = struct{}{}
				palette = append(palette, c) // in first-seen order, so the PNG's bytes are stable
			}
		}
	}
	flat = float64(same) >= evidenceFlatShare*float64(t.Rect.Dx()*t.Rect.Dy())
	if many {
		return opaque, flat, nil
	}
	return opaque, flat, palette
}

// paletted is t as an indexed image over palette, which holds every colour
// of t exactly.
func paletted(t *image.NRGBA, palette color.Palette) *image.Paletted {
	index := make(map[color.NRGBA]uint8, len(palette))
	for i, c := range palette {
		index[c.(color.NRGBA)] = uint8(i)
	}
	w, h := t.Rect.Dx(), t.Rect.Dy()
	out := image.NewPaletted(image.Rect(0, 0, w, h), palette)
	for y := range h {
		for x := range w {
			o := y*t.Stride + x*4
			out.Pix[y*out.Stride+x] = index[color.NRGBA{t.Pix[o], t.Pix[o+1], t.Pix[o+2], t.Pix[o+3]}]
		}
	}
	return out
}

// evidence returns the thumbnail of the encoded picture data, decoded with
// imagequality.DecodeLimited under maxMP megapixels, as a finding's image of
// role; ok is false when data does not decode. A thumbnail is made once per
// picture content for the sweep while the cache has room (maxEvidenceBytes),
// so a flagged picture shown on many pages is decoded again only once; the
// measures may already have made it while the picture was decoded for them
// (see measures.compute). The Data of the result is shared: never modify it.
func (env *Env) evidence(data []byte, role string, maxMP float64) (EvidenceImage, bool) {
	if len(data) == 0 {
		return EvidenceImage{}, false
	}
	var c *MeasureCache
	if env != nil {
		c = env.Measures
	}
	m := &measures{}
	if c != nil {
		m = c.entry(data)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.done&needEvidence == 0 && m.err == nil {
		c.lookup(m, data)
	}
	if m.done&needEvidence == 0 && m.err == nil {
		if c != nil {
			c.slots <- struct{}{}
			defer func() { <-c.slots }()
		}
		m.compute(env, data, needEvidence, maxMP)
		m.dirty = true
	}
	ev := m.evidence
	if m.done&needEvidence == 0 {
		m.evidence = EvidenceImage{} // made for this caller only
	}
	if len(ev.Data) == 0 {
		return EvidenceImage{}, false
	}
	ev.Role = role
	return ev, true
}

// makeEvidence makes the thumbnail of img, the decoded picture of m. It is
// kept for the sweep (needEvidence done) when the cache remembers m and has
// room for it; otherwise it is kept only when asked for, for Env.evidence to
// hand out and drop. The caller holds m.mu.
func (m *measures) makeEvidence(env *Env, img image.Image, asked bool) {
	if m.done&needEvidence != 0 {
		return
	}
	var c *MeasureCache
	if env != nil {
		c = env.Measures
	}
	if !asked && !c.evidenceRoom(m, 0) {
		return // nobody would see it
	}
	ev, ok := thumbnail("", img)
	if !ok {
		return
	}
	if c.evidenceRoom(m, len(ev.Data)) {
		m.evidence = ev
		m.done |= needEvidence
	} else if asked {
		m.evidence = ev
	}
}

// evidenceRoom reports whether the cache keeps m and has room for n more
// bytes of thumbnails, and when n > 0 takes them. A nil cache has none.
func (c *MeasureCache) evidenceRoom(m *measures, n int) bool {
	if c == nil || !m.cached {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.evidenceBytes+int64(n) > maxEvidenceBytes {
		return false
	}
	c.evidenceBytes += int64(n)
	return true
}

// images is the non-empty thumbnails among evs, as a finding's Images; nil
// when there are none.
func images(evs ...EvidenceImage) []EvidenceImage {
	var out []EvidenceImage
	for _, ev := range evs {
		if len(ev.Data) > 0 {
			out = append(out, ev)
		}
	}
	return out
}

// flaggedImage is the thumbnail of the picture im as the browser received
// it; empty when its bytes are missing, were cut at the capture cap or do
// not decode within images.max_megapixels.
func (p *Pass) flaggedImage(im *crawler.Image) EvidenceImage {
	if im.BytesTruncated {
		return EvidenceImage{}
	}
	ev, _ := p.Env.evidence(im.Bytes, ImageFlagged, p.Env.Images.MaxMegapixels)
	return ev
}

// drawnImage is the thumbnail of a logo candidate's screenshot.
func (p *Pass) drawnImage(c *crawler.LogoCandidate) EvidenceImage {
	ev, _ := p.Env.evidence(c.Shot, ImageDrawn, p.Env.Images.MaxMegapixels)
	return ev
}

// referenceImage is the thumbnail of ref, one of the brand's reference
// logos (trimmed of its background border, as logomatch compares it), made
// once per sweep; empty without a brand.
func (p *Pass) referenceImage(ref *logomatch.Reference) EvidenceImage {
	if p.Env == nil || p.Env.Brand == nil || ref == nil {
		return EvidenceImage{}
	}
	return p.Env.Brand.referenceThumb(ref)
}

// referenceThumb is ref's thumbnail with role ImageReference, made on first
// use: most sweeps report no logo finding and never need it.
func (b *Brand) referenceThumb(ref *logomatch.Reference) EvidenceImage {
	b.thumbMu.Lock()
	defer b.thumbMu.Unlock()
	if ev, ok := b.thumbs[ref]; ok {
		return ev
	}
	ev, _ := thumbnail(ImageReference, ref.Trimmed())
	if b.thumbs == nil {
		b.thumbs = map[*logomatch.Reference]EvidenceImage{}
	}
	b.thumbs[ref] = ev
	return ev
}

// maxGalleryImages is how many distinct pictures a product.few-images
// finding shows; a gallery that few-images judges has fewer than
// images.gallery_min anyway.
const maxGalleryImages = 4
