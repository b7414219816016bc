package rodrender

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"image"
	"image/png"
	"math"
	"slices"
	"time"

	"github.com/go-rod/rod/lib/proto"

	"github.com/storecheck/storecheck/crawler"
)

// logoShotMax bounds one logo candidate's screenshot: a page that stalls
// the compositor costs at most this per candidate, and the capture's own
// deadline bounds them all.
const logoShotMax = 2 * time.Second

// wantLogos reports whether logo candidates are collected and screenshotted.
func (r *Renderer) wantLogos() bool {
	return r.opts.LogoCandidates && !r.opts.Bare
}

// logoShots fills each candidate's Shot. view is the visible part of the
// page, in CSS px of the full page; nil means unknown. A shot that fails
// stays nil.
//
// Candidates inside the view are shot together, a band of the page at a
// time, and cut apart in Go: a screenshot costs a compositor frame (about
// 50 ms measured), and a header holds several candidates. The others are
// shot one by one afterwards: a shot beyond the viewport briefly resizes the
// view and fires the page's resize handlers, which may move things about.
func (r *Renderer) logoShots(ctx context.Context, v *visit, cands []crawler.LogoCandidate, view *crawler.Box) {
	var inView, beyond []int
	for i := range cands {
		if view != nil && contains(*view, cands[i].Box) {
			inView = append(inView, i)
		} else {
			beyond = append(beyond, i)
		}
	}
	for _, band := range bands(cands, inView) {
		if ctx.Err() != nil {
			return
		}
		if err := v.bandShot(ctx, cands, band); err != nil {
			beyond = append(beyond, band...) // shoot them one by one instead
		}
	}
	for _, i := range beyond {
		if ctx.Err() != nil {
			return
		}
		c := &cands[i]
		if c.Shot != nil {
			continue
		}
		if shot, err := v.clipShot(ctx, c.Box, view == nil || !contains(*view, c.Box)); err == nil {
			c.Shot = shot
		}
	}
}

// bandMax is the tallest band of the page (CSS px) shot at once: a header
// fits, and a band never costs much more than the shots it replaces.
const bandMax = 240

// bands groups the candidates idx (by top edge) into horizontal bands at
// most bandMax tall.
func bands(cands []crawler.LogoCandidate, idx []int) [][]int {
	sorted := slices.Clone(idx)
	slices.SortStableFunc(sorted, func(a, b int) int { return cmp.Compare(cands[a].Box.Y, cands[b].Box.Y) })
	var out [][]int
	var top, bottom float64
	for _, i := range sorted {
		b := cands[i].Box
		if len(out) > 0 && math.Max(bottom, b.Y+b.H)-top <= bandMax {
			out[len(out)-1] = append(out[len(out)-1], i)
			bottom = math.Max(bottom, b.Y+b.H)
			continue
		}
		out = append(out, []int{i})
		top, bottom = b.Y, b.Y+b.H
	}
	return out
}

// bandShot shoots the union of the band's candidates (all inside the
// viewport) once and cuts each candidate's PNG out of it.
func (v *visit) bandShot(ctx context.Context, cands []crawler.LogoCandidate, band []int) error {
	union := cands[band[0]].Box
	for _, i := range band[1:] {
		union = unionBox(union, cands[i].Box)
	}
	clip := outwardClip(union)
	data, err := v.clipShot(ctx, union, false)
	if err != nil {
		return err
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("decode band shot: %w", err)
	}
	scale := float64(img.Bounds().Dx()) / clip.Width // device px per CSS px
	sub, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	})
	if !ok {
		return fmt.Errorf("band shot is a %T", img)
	}
	for _, i := range band {
		c := outwardClip(cands[i].Box)
		r := image.Rect(
			int(math.Round((c.X-clip.X)*scale)), int(math.Round((c.Y-clip.Y)*scale)),
			int(math.Round((c.X-clip.X+c.Width)*scale)), int(math.Round((c.Y-clip.Y+c.Height)*scale)),
		).Intersect(img.Bounds())
		if r.Empty() {
			continue
		}
		var buf bytes.Buffer
		if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, sub.SubImage(r)); err != nil {
			return fmt.Errorf("encode logo shot: %w", err)
		}
		cands[i].Shot = buf.Bytes()
	}
	return nil
}

func unionBox(a, b crawler.Box) crawler.Box {
	x0, y0 := math.Min(a.X, b.X), math.Min(a.Y, b.Y)
	x1, y1 := math.Max(a.X+a.W, b.X+b.W), math.Max(a.Y+a.H, b.Y+b.H)
	return crawler.Box{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}
}

// clipShot returns a PNG of b (CSS px of the full page), rounded outward to
// whole CSS px, in device pixels. The clip is in page coordinates whether or
// not the page is scrolled; beyond must be set when b is not wholly in the
// viewport, or the part outside comes back blank (white, no error).
func (v *visit) clipShot(ctx context.Context, b crawler.Box, beyond bool) ([]byte, error) {
	clip := outwardClip(b)
	ctx, cancel := context.WithTimeout(ctx, logoShotMax)
	defer cancel()
	var res proto.PageCaptureScreenshotResult
	req := proto.PageCaptureScreenshot{Format: proto.PageCaptureScreenshotFormatPng, Clip: &clip,
		CaptureBeyondViewport: beyond, OptimizeForSpeed: true}
	if err := v.call(ctx, req, &res); err != nil {
		return nil, fmt.Errorf("logo shot of %+v: %w", b, err)
	}
	return res.Data, nil
}

// outwardClip is the smallest whole-CSS-px rectangle holding b, at scale 1
// (so the PNG is in device pixels), not left of or above the page's origin.
func outwardClip(b crawler.Box) proto.PageViewport {
	x0, y0 := math.Max(0, math.Floor(b.X)), math.Max(0, math.Floor(b.Y))
	x1, y1 := math.Ceil(b.X+b.W), math.Ceil(b.Y+b.H)
	return proto.PageViewport{X: x0, Y: y0, Width: math.Max(1, x1-x0), Height: math.Max(1, y1-y0), Scale: 1}
}

// contains reports whether b lies wholly inside outer.
func contains(outer, b crawler.Box) bool {
	return b.X >= outer.X && b.Y >= outer.Y && b.X+b.W <= outer.X+outer.W && b.Y+b.H <= outer.Y+outer.H
}
