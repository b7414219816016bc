package checks

import (
	"bytes"
	"image"

	"github.com/storecheck/storecheck/checks/fingerprint"
	"github.com/storecheck/storecheck/checks/pagemodel"
	"github.com/storecheck/storecheck/crawler"
)

// decoded is what the header of an image's bytes says.
type decoded struct {
	W, H   int
	Format string // "jpeg", "png", "gif"
}

// decodeHeader reads the dimensions of the bytes the browser received. ok is
// false when there are no bytes, they were over the capture cap, or Go does
// not know the format (or they are not an image at all).
func decodeHeader(im *crawler.Image) (d decoded, ok bool) {
	if len(im.Bytes) == 0 || im.BytesTruncated {
		return d, false
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(im.Bytes))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return d, false
	}
	return decoded{W: cfg.Width, H: cfg.Height, Format: format}, true
}

// tooLarge reports whether decoded dimensions are over images.max_megapixels:
// such an image is image.too-large's and no other rule analyses it.
func tooLarge(env *Env, d decoded) bool {
	return float64(d.W)*float64(d.H)/1e6 > env.Images.MaxMegapixels
}

func minSize(env *Env) float64 { return float64(env.Images.MinSize) }

func dpr(p *crawler.Page) float64 {
	if p.Viewport.DPR > 0 {
		return p.Viewport.DPR
	}
	return 1
}

// eachImage calls fn once per distinct image URL of the visit (URLs that
// fingerprint alike count as one) until fn reports something; so the first
// occurrence that shows a defect is the one reported.
func eachImage(p *Pass, fn func(im *crawler.Image, u string) bool) {
	done := map[string]bool{}
	for i := range p.Page.Images {
		im := &p.Page.Images[i]
		u := pagemodel.ImageURL(im)
		if u == "" {
			continue
		}
		key := fingerprint.Normalize(u)
		if done[key] {
			continue
		}
		if fn(im, u) {
			done[key] = true
		}
	}
}

// boxEvidence is a finding's evidence "box": the region of the page, in
// CSS px of the whole page, that the report outlines (Outlines).
func boxEvidence(b crawler.Box) map[string]any {
	return map[string]any{"x": b.X, "y": b.Y, "w": b.W, "h": b.H}
}

// Outlines reports whether a finding of fs outlines a region of its page
// (evidence "box"). The report draws those on the page's full-page
// screenshot, which storage keeps, and a sweep takes, only for such a visit.
func Outlines(fs []Finding) bool {
	for _, f := range fs {
		if _, ok := f.Evidence["box"]; ok {
			return true
		}
	}
	return false
}

func size(w, h float64) map[string]any { return map[string]any{"w": w, "h": h} }

// brandLogoImages are the image URLs (normalised as for fingerprints) that
// this visit shows as the brand's logo. The logo rules judge those images;
// image.distorted, image.low-resolution and image.blurry leave them alone,
// so a stretched logo is logo.distorted and not also image.distorted.
func brandLogoImages(p *Pass) map[string]bool {
	out := map[string]bool{}
	for _, s := range foundLogos(p) {
		if isHTTP(s.c.Src) {
			out[fingerprint.Normalize(s.c.Src)] = true
		}
	}
	return out
}
