package checks

import (
	_ "image/gif" // decoders for image.DecodeConfig
	_ "image/jpeg"
	_ "image/png"
	"math"
	"strconv"
	"strings"

	"github.com/storecheck/storecheck/checks/fingerprint"
	"github.com/storecheck/storecheck/checks/pagemodel"
	"github.com/storecheck/storecheck/crawler"
)

// Fixed limits of the image rules (the tunable thresholds are images: keys).
const (
	lowResSmallBox = 64 // CSS px: boxes this small need lowResSmallRatio
	lowResMinBox   = 8  // CSS px; spacers and tracking pixels are not pictures
)

// imageChecks judge every picture of a visit (<img>, <picture> and CSS
// background images) on what the browser reported and on the header of the
// bytes it received; image.DecodeConfig reads the dimensions first, so a
// decompression bomb is refused before any pixel is decoded. Only
// image.blurry decodes pixels to judge them, through the sweep's measure
// cache; a picture that is reported is decoded (once per sweep, through the
// same cache) for the thumbnail its finding carries.
//
// Go decodes JPEG, PNG, GIF and WebP here. Other formats (AVIF) and SVG have
// no decoded size: the pixel rules skip them, and image.broken trusts the
// browser's own naturalWidth for them.
func imageChecks() []*Check {
	return []*Check{
		{
			ID:       "image.blurry",
			Doc:      "the picture is blurred (size- and content-robust sharpness)",
			Severity: SeverityWarning,
			Subject:  "image URL",
			Run:      runImageBlurry,
			Pictures: func(env *Env, m *pagemodel.Model) []PictureNeed {
				return pictureNeeds(m, needSharpness, func(im *crawler.Image, u string) bool { return blurEligible(env, im, u) })
			},
		},
		{
			ID:       "image.broken",
			Doc:      "an image failed, answered ≥ 400, or does not decode though the browser could not draw it",
			Severity: SeverityError,
			Subject:  "image URL",
			Run:      runImageBroken,
		},
		{
			ID:       "image.low-resolution",
			Doc:      "decoded pixel size < rendered size × DPR × 0.75 (× 1.0 when ≤ 64 px)",
			Severity: SeverityWarning,
			Subject:  "image URL",
			Run:      runImageLowResolution,
		},
		{
			ID:       "image.distorted",
			Doc:      "`object-fit: fill` and rendered vs natural aspect differ by ≥ 3 px and ≥ 4 % (what a person can see; one finding per image URL per page)",
			Severity: SeverityWarning,
			Subject:  "image URL",
			Run:      runImageDistorted,
		},
		{
			ID:       "image.oversized-file",
			Doc:      "natural area > 4 × (rendered × DPR)² and > 200 KB, or > 3 MB",
			Severity: SeverityInfo,
			Subject:  "image URL",
			Run:      runImageOversized,
		},
		{
			ID:       "image.missing-alt",
			Doc:      "a product image without alt text",
			Severity: SeverityInfo,
			Subject:  "image URL",
			Run:      runImageMissingAlt,
		},
		{
			ID:       "image.too-large",
			Doc:      "over `images.max_megapixels`: not decoded, not analysed",
			Severity: SeverityInfo,
			Subject:  "image URL",
			Run:      runImageTooLarge,
		},
	}
}

// findRequest returns the last request the page made for u, nil when it
// never asked for it (a lazy image that was never scrolled near).
func findRequest(p *crawler.Page, u string) *crawler.Request {
	u, _, _ = strings.Cut(u, "#")
	for i := len(p.Requests) - 1; i >= 0; i-- {
		if p.Requests[i].URL == u {
			return &p.Requests[i]
		}
	}
	return nil
}

// runImageBroken reports an image that answered ≥ 400, whose request failed
// (blocked and page-aborted requests excepted, as for page.broken-resource),
// or, for an <img> the browser finished with but could not draw
// (complete, naturalWidth 0), whose bytes Go cannot decode either. An image
// the page never requested (lazy, never scrolled near) is not broken; nor is
// a format Go cannot read that the browser drew (naturalWidth > 0), nor SVG,
// whose drawing Go cannot judge.
func runImageBroken(p *Pass) {
	eachImage(p, func(im *crawler.Image, u string) bool {
		if isFavicon(u) {
			return false
		}
		req := findRequest(p.Page, u)
		status := im.Status
		if req != nil && status == 0 {
			status = req.Status
		}
		ev := map[string]any{"status": status, "background": im.Background, "selector": im.Selector,
			"box": boxEvidence(im.Box)}
		switch {
		case status >= 400 && status != 416:
			p.Report("", u, M("image.broken/status", status), ev)
			return true
		case req != nil && requestBroken(*req):
			ev["error"] = req.Failure
			p.Report("", u, M("image.broken/failed", strings.TrimSuffix(req.Failure, ".")), ev)
			return true
		case im.Background || !im.Complete || im.NaturalWidth > 0 || im.IsSVG(u):
			return false
		case len(im.Bytes) == 0 || im.BytesTruncated:
			return false // nothing to judge the bytes by
		}
		if _, ok := decodeHeader(im); ok {
			return false
		}
		ev["mime"], ev["bytes"] = im.MIME, len(im.Bytes)
		p.Report("", u, M("image.broken/undecodable"), ev)
		return true
	})
}

// displayed is the size in CSS px at which an <img>'s content is drawn inside
// its box, by object-fit: fill stretches it to the box, contain and cover
// scale it to fit inside or cover the box, none keeps its natural CSS size
// and scale-down is the smaller of none and contain.
func displayed(im *crawler.Image, d decoded) (w, h float64) {
	bw, bh := im.Box.W, im.Box.H
	nw, nh := float64(im.NaturalWidth), float64(im.NaturalHeight)
	if nw <= 0 || nh <= 0 {
		nw, nh = float64(d.W), float64(d.H)
	}
	contain := math.Min(bw/nw, bh/nh)
	switch im.ObjectFit {
	case "contain":
		return nw * contain, nh * contain
	case "cover":
		s := math.Max(bw/nw, bh/nh)
		return nw * s, nh * s
	case "none":
		return nw, nh
	case "scale-down":
		s := math.Min(1, contain)
		return nw * s, nh * s
	}
	return bw, bh
}

// runImageLowResolution reports an <img> whose decoded pixels (of the bytes
// actually shown, currentSrc) are fewer than its drawn size needs at the
// viewport's DPR: below 0.75 of it on either axis, or below 1.0 for boxes of
// 64 CSS px or less, where every missing pixel shows. images.min_size does
// not apply (the contract sets the 64 px rule for small images); boxes under
// 8 px are spacers, not pictures. CSS backgrounds are skipped: their drawn
// size depends on background-size and repetition, not on the box. The
// brand's own logo is logo.low-quality's to judge.
func runImageLowResolution(p *Pass) {
	scale := dpr(p.Page)
	ic := p.Env.Images
	logos := brandLogoImages(p)
	eachImage(p, func(im *crawler.Image, u string) bool {
		if im.Background || !im.Visible || im.Box.W < lowResMinBox || im.Box.H < lowResMinBox || im.IsSVG(u) ||
			logos[fingerprint.Normalize(u)] {
			return false
		}
		d, ok := decodeHeader(im)
		if !ok || tooLarge(p.Env, d) {
			return false
		}
		dw, dh := displayed(im, d)
		if dw <= 0 || dh <= 0 {
			return false
		}
		need := ic.LowResRatio
		if math.Max(im.Box.W, im.Box.H) <= lowResSmallBox {
			need = ic.LowResSmallRatio
		}
		ratio := math.Min(float64(d.W)/(dw*scale), float64(d.H)/(dh*scale))
		if ratio >= need {
			return false
		}
		p.ReportWith("", u, M("image.low-resolution", pixelsArg(d.W, d.H), pxArg(dw, dh), pxArg(dw*scale, dh*scale)), map[string]any{
			"decoded": size(float64(d.W), float64(d.H)), "rendered": size(round2(dw), round2(dh)),
			"dpr": scale, "ratio": round2(ratio), "min_ratio": need, "box": boxEvidence(im.Box),
		}, images(p.flaggedImage(im)))
		return true
	})
}

// stretchedBackground parses a computed background-size that sets both axes
// to explicit sizes ("100% 100%", "300px 200px"), returning the drawn size
// of the image in CSS px; ok is false for auto, cover, contain, one value,
// several layers or units other than px and %.
func stretchedBackground(bs string, box crawler.Box) (w, h float64, ok bool) {
	f := strings.Fields(bs)
	if len(f) != 2 || strings.Contains(bs, ",") {
		return 0, 0, false
	}
	parse := func(v string, full float64) (float64, bool) {
		if n, found := strings.CutSuffix(v, "%"); found {
			x, err := strconv.ParseFloat(n, 64)
			return x / 100 * full, err == nil
		}
		if n, found := strings.CutSuffix(v, "px"); found {
			x, err := strconv.ParseFloat(n, 64)
			return x, err == nil
		}
		return 0, false
	}
	w, okW := parse(f[0], box.W)
	h, okH := parse(f[1], box.H)
	return w, h, okW && okH && w > 0 && h > 0
}

// runImageDistorted reports a picture drawn at another aspect ratio than its
// own: an <img> with object-fit fill (contain, cover, none and scale-down
// keep the aspect), or a CSS background whose background-size sets both
// axes. It must be off by ≥ images.distort_min_px (3) CSS px on an axis
// and by ≥ images.distort_min_pct (4) % of the ratio: drawn beside their
// originals, 20–40 px icons stretched by less than 3 px and photos by
// less than 4 % could not be told apart (the table is in docs/rules.md),
// and the px floor is what makes small pictures need a larger ratio (7 %
// on a 40 px icon is 2.8 px). One finding per image URL per visit, however
// many elements draw it. SVG is skipped: its aspect is
// governed by preserveAspectRatio, not by its box. The brand's own logo is
// logo.distorted's to judge.
func runImageDistorted(p *Pass) {
	ic := p.Env.Images
	logos := brandLogoImages(p)
	eachImage(p, func(im *crawler.Image, u string) bool {
		if !im.Visible || im.Box.W <= 0 || im.Box.H <= 0 || im.IsSVG(u) || logos[fingerprint.Normalize(u)] {
			return false
		}
		d, decOK := decodeHeader(im)
		if decOK && tooLarge(p.Env, d) {
			return false
		}
		var nw, nh, rw, rh float64
		if im.Background {
			if !decOK {
				return false
			}
			var ok bool
			if rw, rh, ok = stretchedBackground(im.BackgroundSize, im.Box); !ok {
				return false
			}
			nw, nh = float64(d.W), float64(d.H)
		} else {
			if im.ObjectFit != "" && im.ObjectFit != "fill" {
				return false
			}
			nw, nh = float64(im.NaturalWidth), float64(im.NaturalHeight)
			if (nw <= 0 || nh <= 0) && decOK {
				nw, nh = float64(d.W), float64(d.H)
			}
			rw, rh = im.Box.W, im.Box.H
		}
		if nw <= 0 || nh <= 0 {
			return false
		}
		natural, rendered := nw/nh, rw/rh
		off := math.Max(math.Abs(rh-rw/natural), math.Abs(rw-rh*natural))
		distortion := math.Abs(rendered/natural - 1)
		if off < ic.DistortMinPx || distortion*100 < ic.DistortMinPct {
			return false
		}
		p.ReportWith("", u, M("image.distorted", fixedArg(distortion*100, 0), pxArg(nw, nh), pxArg(rw, rh)), map[string]any{
			"natural_ratio": round2(natural), "rendered_ratio": round2(rendered),
			"distortion_pct": round2(distortion * 100), "natural": size(nw, nh), "rendered": size(rw, rh),
			"background": im.Background, "box": boxEvidence(im.Box),
		}, images(p.flaggedImage(im)))
		return true
	})
}

// runImageOversized reports an image that carries far more bytes than its
// drawn size needs: decoded area over 4 × the rendered device-pixel area and
// over 200 KB (visible, non-SVG <img> only: a background's drawn size is not
// its box), or over 3 MB whatever it shows. An image whose bytes the crawler
// did not keep (over the capture cap, or still arriving) is judged by its
// transfer size or the size its response declared.
func runImageOversized(p *Pass) {
	scale := dpr(p.Page)
	ic := p.Env.Images
	eachImage(p, func(im *crawler.Image, u string) bool {
		n := int64(len(im.Bytes))
		if im.BytesTruncated || n == 0 {
			if req := findRequest(p.Page, u); req != nil {
				// A file still arriving when the page stopped has the
				// size its response declared; the snapshot may have been
				// taken before the crawler saw the response marked over
				// the cap (a page that timed out while it streamed).
				n = max(n, req.Bytes, req.Size)
			}
		}
		d, decOK := decodeHeader(im)
		if decOK && tooLarge(p.Env, d) {
			return false
		}
		ev := map[string]any{"bytes": n, "box": boxEvidence(im.Box), "dpr": scale}
		if decOK {
			ev["natural"] = size(float64(d.W), float64(d.H))
		}
		rw, rh := im.Box.W, im.Box.H
		ev["rendered"] = size(rw, rh)
		if n > ic.OversizedMaxBytes {
			p.ReportWith("", u, M("image.oversized-file/bytes", fixedArg(float64(n)/1e6, 1), fixedArg(float64(ic.OversizedMaxBytes)/1e6, 1)),
				ev, images(p.flaggedImage(im)))
			return true
		}
		if !decOK || im.Background || !im.Visible || rw <= 0 || rh <= 0 || n <= ic.OversizedMinBytes {
			return false
		}
		area, need := float64(d.W)*float64(d.H), rw*scale*rh*scale
		if area <= ic.OversizedAreaRatio*need {
			return false
		}
		ev["area_ratio"] = round2(area / need)
		p.ReportWith("", u, M("image.oversized-file", strconv.FormatInt(n/1000, 10), pixelsArg(d.W, d.H), pxArg(rw, rh), fixedArg(area/need, 0)),
			ev, images(p.flaggedImage(im)))
		return true
	})
}

// runImageMissingAlt reports, on product pages only, a visible <img> drawn at
// least images.min_size CSS px on both sides (gallery and main pictures, not
// icons) whose alt is missing or blank. alt="" marks decoration, which a
// product picture of that size is not.
func runImageMissingAlt(p *Pass) {
	if p.Page.Kind != crawler.KindProduct {
		return
	}
	minSide := minSize(p.Env)
	eachImage(p, func(im *crawler.Image, u string) bool {
		if im.Background || !im.Visible || im.Box.W < minSide || im.Box.H < minSide || strings.TrimSpace(im.Alt) != "" {
			return false
		}
		key := "image.missing-alt"
		if im.HasAlt {
			key = "image.missing-alt/empty"
		}
		p.ReportWith("", u, M(key),
			map[string]any{"selector": im.Selector, "has_alt": im.HasAlt, "box": boxEvidence(im.Box)}, images(p.flaggedImage(im)))
		return true
	})
}

// runImageTooLarge reports an image whose header declares more than
// images.max_megapixels; it is never decoded, and no other rule analyses it.
// So its finding carries no thumbnail either.
func runImageTooLarge(p *Pass) {
	limit := p.Env.Images.MaxMegapixels
	eachImage(p, func(im *crawler.Image, u string) bool {
		d, ok := decodeHeader(im)
		if !ok || !tooLarge(p.Env, d) {
			return false
		}
		mp := float64(d.W) * float64(d.H) / 1e6
		p.Report("", u, M("image.too-large", pixelsArg(d.W, d.H), fixedArg(mp, 1), strconv.FormatFloat(limit, 'g', -1, 64)), map[string]any{
			"decoded": size(float64(d.W), float64(d.H)), "megapixels": round2(mp), "max_megapixels": limit,
			"bytes": len(im.Bytes), "box": boxEvidence(im.Box),
		})
		return true
	})
}

// blurEligible reports whether image.blurry judges a picture: visible, not
// SVG, drawn and decoded at least images.min_size on both sides (icons,
// sprites and tiny images are not), in a format Go decodes and within
// images.max_megapixels (bigger ones are image.too-large's).
func blurEligible(env *Env, im *crawler.Image, u string) bool {
	minSide := minSize(env)
	if !im.Visible || im.IsSVG(u) || im.Box.W < minSide || im.Box.H < minSide {
		return false
	}
	d, ok := decodeHeader(im)
	return ok && !tooLarge(env, d) && float64(d.W) >= minSide && float64(d.H) >= minSide
}

// runImageBlurry reports a picture whose imagequality.Sharpness score (the
// estimated blur radius at the 800 px analysis size) reaches
// images.blur_threshold. Pictures without a detailed region (flat) are not
// judged, nor is the brand's own logo (logo.low-quality's). The measure is
// taken once per distinct picture per sweep.
func runImageBlurry(p *Pass) {
	ic := p.Env.Images
	logos := brandLogoImages(p)
	eachImage(p, func(im *crawler.Image, u string) bool {
		if !blurEligible(p.Env, im, u) || logos[fingerprint.Normalize(u)] {
			return false
		}
		m := p.Env.measure(im.Bytes, needSharpness, ic.MaxMegapixels)
		r := m.sharp
		if m.err != nil || !blurry(r, ic.BlurThreshold) {
			return false
		}
		d, _ := decodeHeader(im)
		p.ReportWith("", u, M("image.blurry", fixedArg(r.Score, 2), fixedArg(ic.BlurThreshold, 2)), map[string]any{
			"score": round2(r.Score), "threshold": ic.BlurThreshold,
			"laplacian_var": round2(r.LaplacianVar), "detail_fraction": round2(r.DetailFraction),
			"natural": size(float64(d.W), float64(d.H)), "box": boxEvidence(im.Box), "selector": im.Selector,
		}, images(p.flaggedImage(im)))
		return true
	})
}
