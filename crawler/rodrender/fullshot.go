package rodrender

import (
	"context"
	"time"

	"github.com/go-rod/rod/lib/proto"

	"github.com/storecheck/storecheck/crawler"
)

// fullShotMax bounds the full-page screenshot: a tall page costs a few
// hundred ms to draw and encode; a stalled compositor costs no more than this.
const fullShotMax = 5 * time.Second

// fullShotQuality is the JPEG quality of the full-page screenshot: enough to
// see a region a finding points at, small enough to store.
const fullShotQuality = 60

// fullShotScale is the scale of the full-page screenshot against device
// pixels: drawing the pixels is most of its cost (measured on a 2932 px
// tall page: +364 ms per desktop visit at scale 1, +107 ms at 0.5), and
// half resolution still shows which region a finding outlines.
const fullShotScale = 0.5

// fullShot returns a JPEG of the page from the top, width CSS px wide and
// min(docHeight, crawler.MaxFullScreenshotHeight) tall, at fullShotScale of
// the device pixels,
// and the CSS px height it covers; nil and 0 when the capture failed or
// there is nothing to shoot. It draws beyond the viewport, which resizes
// the view for a moment and fires the page's resize handlers, so it is the
// last shot of a visit.
func (v *visit) fullShot(ctx context.Context, width, docHeight int) ([]byte, int) {
	h := min(docHeight, crawler.MaxFullScreenshotHeight)
	if width <= 0 || h <= 0 {
		return nil, 0
	}
	ctx, cancel := context.WithTimeout(ctx, fullShotMax)
	defer cancel()
	q := fullShotQuality
	var res proto.PageCaptureScreenshotResult
	req := proto.PageCaptureScreenshot{
		Format: proto.PageCaptureScreenshotFormatJpeg, Quality: &q,
		Clip:                  &proto.PageViewport{X: 0, Y: 0, Width: float64(width), Height: float64(h), Scale: fullShotScale},
		CaptureBeyondViewport: true, OptimizeForSpeed: true,
	}
	if err := v.call(ctx, req, &res); err != nil {
		return nil, 0
	}
	return res.Data, h
}
