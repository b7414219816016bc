package rodrender

import (
	"context"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-rod/rod/lib/proto"

	"github.com/storecheck/storecheck/crawler"
)

var (
	//go:embed observe.js
	observeJS string
	//go:embed clock.js
	clockJS string
	//go:embed collect.js
	collectJS string
)

// worldName names the isolated world observe.js and collect.js run in.
const worldName = "storecheck"

// Bounds of the steps after load. Each has its own deadline, so a page that
// misbehaves in one step still yields what the others captured.
const (
	paintCap     = 3 * time.Second        // waiting for FCP/LCP after load
	paintQuiet   = 150 * time.Millisecond // no new LCP candidate for this long
	scrollMaxPx  = 20000
	scrollMax    = 10 * time.Second
	netQuietCap  = 3 * time.Second // after scrolling: lazy loads finishing
	netQuietFor  = 200 * time.Millisecond
	captureMax   = 15 * time.Second
	setupMax     = 20 * time.Second // a new page, its domains and overrides
	metricsMax   = 5 * time.Second
	timedOutMax  = 5 * time.Second // everything after a page timed out
	bodyParallel = 6
)

// Render visits req.URL in req.Viewport and returns its snapshot. A page that
// fails is data (Status 0 and Error); the error is non-nil only when ctx ended
// or the browser died more often than it may be relaunched
// (crawler.ErrBrowserDied). A visit cut short by a browser death is retried
// once on the relaunched browser.
func (r *Renderer) Render(ctx context.Context, req crawler.RenderRequest) (*crawler.Page, error) {
	for attempt := 0; ; attempt++ {
		in, err := r.pick()
		if err != nil {
			return nil, fmt.Errorf("render %s (%s): %w", req.URL, req.Viewport.Name, err)
		}
		p, err := r.visitOnce(ctx, in, req)
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("render %s (%s): %w", req.URL, req.Viewport.Name, err)
		}
		if in.ctx.Err() == nil {
			if err != nil { // the page itself failed in a way the browser reported
				return failedPage(req, err.Error()), nil
			}
			return p, nil
		}
		if _, err := r.revive(ctx, in); err != nil {
			return nil, fmt.Errorf("render %s (%s): %w", req.URL, req.Viewport.Name, err)
		}
		if attempt > 0 {
			return failedPage(req, "browser crashed"), nil
		}
	}
}

func failedPage(req crawler.RenderRequest, why string) *crawler.Page {
	return &crawler.Page{URL: req.URL, Viewport: req.Viewport, Depth: req.Depth, Error: why}
}

// visitOnce runs one visit on in. An error means the visit could not be
// done at all; the caller tells a dead browser from a failed page.
func (r *Renderer) visitOnce(ctx context.Context, in *instance, req crawler.RenderRequest) (*crawler.Page, error) {
	vctx, cancel := mergeCancel(ctx, in.ctx)
	defer cancel()
	v := newVisit(vctx, r, in, req)
	v.hosts = hostSet(req)
	if !req.FollowOffsiteRedirect {
		v.blockOffsite = true
	}
	sctx, scancel := context.WithTimeout(vctx, setupMax)
	defer scancel()
	t, err := r.openTab(sctx, in)
	if err != nil {
		return nil, err
	}
	v.session, v.target, v.frame = t.session, t.target, proto.PageFrameID(t.target)
	in.register(v)
	defer func() {
		in.unregister(v)
		r.closeTab(in, t, v)
	}()
	if err := r.setup(sctx, v, t); err != nil {
		return nil, err
	}
	return r.run(vctx, v), nil
}

// run drives the visit's page from navigation to capture.
func (r *Renderer) run(ctx context.Context, v *visit) *crawler.Page {
	req := v.req
	p := &crawler.Page{URL: req.URL, FinalURL: req.URL, Viewport: req.Viewport, Depth: req.Depth}
	deadline := time.Now().Add(r.timeout)
	pctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()

	var nav proto.PageNavigateResult
	navErr := v.call(pctx, proto.PageNavigate{URL: req.URL}, &nav)
	timedOut := false
	switch {
	case navErr != nil && pctx.Err() != nil && ctx.Err() == nil:
		timedOut = true
	case navErr != nil:
		r.fill(p, v)
		p.Status, p.Error = 0, navErr.Error()
		return p
	case nav.ErrorText != "":
		r.fill(p, v)
		switch {
		case v.offsiteURL() != "":
			p.Status, p.Error = 0, "redirected off-site"
			p.FinalURL = v.offsiteURL()
		case v.isDownload():
			p.Status, p.Error = 0, "download: the response is an attachment (Content-Disposition)"
		case v.hasDoc() && p.Status >= 400:
			// The status says it: a 4xx/5xx with an empty body, or a 401
			// whose Basic challenge the headless browser gives up on
			// (net::ERR_INVALID_AUTH_CREDENTIALS).
		default:
			p.Status, p.Error = 0, nav.ErrorText
		}
		return p
	}
	if !timedOut {
		select {
		case <-v.loaded:
		case <-v.failed:
			v.spoil()
			r.fill(p, v)
			p.Error = "renderer crashed"
			return p
		case <-pctx.Done():
			timedOut = ctx.Err() == nil
		}
	}
	if ctx.Err() != nil {
		return p
	}

	if timedOut {
		// Keep what loaded: stop the page and capture with a short deadline.
		gctx, gcancel := context.WithTimeout(ctx, timedOutMax)
		defer gcancel()
		// Marked first: the full-page screenshot's question reads it.
		p.TimedOut, p.Error = true, "timeout"
		_ = v.call(gctx, proto.PageStopLoading{}, nil)
		// A page whose main thread never yields answers nothing: do not
		// wait for it twice.
		mctx, mcancel := context.WithTimeout(gctx, 2*time.Second)
		ok := r.metrics(mctx, v, p)
		mcancel()
		if ok && !r.bare(v) && v.hasDoc() {
			r.wantedFullShot(gctx, v, p, r.capture(gctx, v, p, nil))
		}
		r.fill(p, v)
		if !v.hasDoc() {
			p.Status = 0
		}
		v.spoil()
		v.navLoop(p)
		return p
	}

	wctx, wcancel := context.WithTimeout(ctx, paintCap+2*time.Second)
	_ = v.eval(wctx, fmt.Sprintf("window.__storecheck.waitPaint(%d, %d, 0)",
		paintCap.Milliseconds(), paintQuiet.Milliseconds()), true, nil)
	wcancel()
	// The picture bodies the page has loaded are read while it settles:
	// the visit would wait for them after the capture otherwise. The paint
	// timings are in by now, and only the browser's network buffers are
	// read, not the page.
	var early *earlyBodies
	if !r.bare(v) && v.offsiteURL() == "" {
		ectx, ecancel := context.WithCancel(ctx)
		early = r.prefetch(ectx, v)
		// No read outlives the visit, whichever way it ends.
		defer func() { ecancel(); <-early.done }()
	}
	select {
	case <-time.After(r.settle):
	case <-ctx.Done():
	}
	mctx, mcancel := context.WithTimeout(ctx, metricsMax)
	r.metrics(mctx, v, p)
	mcancel()
	if !r.bare(v) && v.offsiteURL() == "" {
		sctx, scancel := context.WithTimeout(ctx, scrollMax+2*time.Second)
		_ = v.eval(sctx, fmt.Sprintf("window.__storecheck.scroll(%d, %d)", scrollMaxPx, scrollMax.Milliseconds()), true, nil)
		scancel()
		v.waitNetQuiet(ctx, netQuietFor, netQuietCap)
		cctx, ccancel := context.WithTimeout(ctx, captureMax)
		collected := r.capture(cctx, v, p, early)
		ccancel()
		r.wantedFullShot(ctx, v, p, collected)
	}
	r.fill(p, v)
	if off := v.offsiteURL(); off != "" {
		p.Error = "redirected off-site"
		if !v.hasDoc() {
			p.Status, p.FinalURL = 0, off
		}
	}
	v.navLoop(p)
	return p
}

// navLoopAfter is how many client-side navigations (meta refresh,
// location = …) within one visit make a loop: one or two are a client
// redirect, which the snapshot follows.
const navLoopAfter = 3

// navLoop marks p when the page kept navigating itself during the visit:
// what was captured may come from any of the documents, and a shopper
// cannot use the page either.
func (v *visit) navLoop(p *crawler.Page) {
	v.mu.Lock()
	n := v.navs - 1
	v.mu.Unlock()
	if n >= navLoopAfter {
		p.Error = fmt.Sprintf("navigation loop: the page navigated itself %d times", n)
	}
}

func (v *visit) spoil() {
	v.mu.Lock()
	v.spoiled = true
	v.mu.Unlock()
}

func (v *visit) isDownload() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.download
}

// fill copies what the network events recorded into p.
func (r *Renderer) fill(p *crawler.Page, v *visit) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.doc != nil {
		p.Status = v.doc.rec.Status
	}
	if v.finalURL != "" && v.finalURL != "about:blank" {
		p.FinalURL = v.finalURL
	}
	p.Requests = p.Requests[:0]
	p.Metrics.Requests, p.Metrics.TransferBytes = v.dropped, v.droppedBytes
	for _, q := range v.order {
		p.Metrics.Requests++
		p.Metrics.TransferBytes += q.rec.Bytes
		if len(p.Requests) < r.limits.Requests {
			p.Requests = append(p.Requests, q.rec)
		}
	}
	if p.Metrics.Requests > r.limits.Requests {
		p.Truncated = appendOnce(p.Truncated, "requests")
	}
	p.Console = append([]crawler.ConsoleMessage(nil), v.console...)
	if v.consoleN > len(v.console) {
		p.Truncated = appendOnce(p.Truncated, "console")
	}
	// Image status and type come from the browser's response to the URL.
	for i := range p.Images {
		im := &p.Images[i]
		if q := v.lookupLocked(im.CurrentSrc, im.Src); q != nil {
			im.Status, im.MIME = q.rec.Status, q.rec.MIME
		}
	}
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// metrics reads the vitals from observe.js into p.Metrics and reports
// whether the page answered. It also freezes CLS and TBT, so it runs before
// scrolling.
func (r *Renderer) metrics(ctx context.Context, v *visit, p *crawler.Page) bool {
	var m struct {
		TTFB, FCP, LCP, DCL, Load, CLS, TBT *float64
	}
	if err := v.eval(ctx, "window.__storecheck.metrics()", false, &m); err != nil {
		return ctx.Err() == nil
	}
	// Timers are coarsened to 0.1 ms by the browser anyway; rounding drops
	// float noise (166.90000000037253) from stored runs and reports.
	p.Metrics.TTFBms, p.Metrics.FCPms, p.Metrics.LCPms = round(m.TTFB, 1), round(m.FCP, 1), round(m.LCP, 1)
	p.Metrics.DOMContentLoadedms, p.Metrics.Loadms = round(m.DCL, 1), round(m.Load, 1)
	p.Metrics.CLS, p.Metrics.TBTms = round(m.CLS, 4), round(m.TBT, 1)
	return true
}

// shotScale is the scale of the first-screen screenshot against device
// pixels. Its reader is the report, which shows it 360 px wide: half the
// device resolution is 675 px for the desktop viewport and 360 for the
// mobile one, and costs the browser half the CPU (an 800×800-picture
// product page on the desktop: 95 ms at full resolution, 46 at half,
// mostly drawing and encoding the pixels).
const shotScale = 0.5

// capture runs collect.js, takes the screenshots but the full-page one and
// attaches image bodies, taking those early read when it can. It reports
// whether collect.js answered.
func (r *Renderer) capture(ctx context.Context, v *visit, p *crawler.Page, early *earlyBodies) bool {
	var c collected
	logos := 0
	if r.wantLogos() {
		logos = r.limits.LogoCandidates
	}
	selectors, _ := json.Marshal(r.opts.Selectors) // a []string always encodes
	lim := fmt.Sprintf("{links: %d, images: %d, textBoxes: %d, htmlChars: %d, logoCandidates: %d, selectors: %s}",
		r.limits.Links, r.limits.Images, r.limits.TextBoxes, r.limits.HTMLBytes, logos, selectors)
	fn := strings.TrimRight(strings.TrimSpace(collectJS), ";")
	// Awaited: the script waits (briefly) for web fonts to settle.
	collectedOK := v.eval(ctx, "("+fn+"\n)("+lim+")", true, &c) == nil
	if collectedOK {
		c.apply(p, r.limits)
	}
	q := 70
	var shot proto.PageCaptureScreenshotResult
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	req := proto.PageCaptureScreenshot{Format: proto.PageCaptureScreenshotFormatJpeg, Quality: &q, OptimizeForSpeed: true}
	if b := c.View; b != nil && b.W > 0 && b.H > 0 {
		req.Clip = &proto.PageViewport{X: b.X, Y: b.Y, Width: b.W, Height: b.H, Scale: shotScale}
	}
	if v.call(sctx, req, &shot) == nil {
		p.Screenshot = shot.Data
	}
	cancel()
	// After the page screenshot: a shot beyond the viewport resizes the
	// view for a moment and the page sees a resize event.
	if logos > 0 {
		r.logoShots(ctx, v, p.LogoCandidates, c.View)
	}
	r.fill(p, v)
	r.bodies(ctx, v, p, early)
	return collectedOK
}

// wantedFullShot takes the full-page screenshot when the renderer takes
// them and the request wants this one. It comes after capture: it draws
// beyond the viewport, which resizes the view, and the question reads
// everything captured before it. That question may take a while (the sweep
// reads the pictures to answer it), so ctx is not capture's: the shot has
// its own deadline (fullShotMax) within ctx.
func (r *Renderer) wantedFullShot(ctx context.Context, v *visit, p *crawler.Page, collected bool) {
	if !r.opts.FullScreenshot || !collected || v.req.WantFullScreenshot != nil && !v.req.WantFullScreenshot(p) {
		return
	}
	p.FullScreenshot, p.FullScreenshotHeight = v.fullShot(ctx, p.Layout.ViewportWidth, p.DocHeight)
}

// bodies attaches each image's response body, read from the browser's own
// network buffer (never downloaded again), at most bodyParallel at a time;
// a body early read (nil: none) is not read again.
func (r *Renderer) bodies(ctx context.Context, v *visit, p *crawler.Page, early *earlyBodies) {
	var got map[proto.NetworkRequestID][]byte
	if early != nil {
		select {
		case <-early.done:
			got = early.bodies
		case <-ctx.Done():
			return
		}
	}
	sem := make(chan struct{}, bodyParallel)
	var wg sync.WaitGroup
	fetched := map[proto.NetworkRequestID][]*crawler.Image{}
	for i := range p.Images {
		im := &p.Images[i]
		src := im.CurrentSrc
		if src == "" {
			src = im.Src
		}
		if strings.HasPrefix(src, "data:") {
			im.Bytes, im.BytesTruncated, im.MIME = dataURL(src, r.limits.ImageBytes)
			continue
		}
		q := v.lookup(im.CurrentSrc, im.Src)
		if q == nil {
			continue
		}
		// Over the cap, finished or not (a huge file is often still
		// arriving when the page times out): its size is what matters.
		if q.rec.Bytes > r.limits.ImageBytes || q.rec.Size > r.limits.ImageBytes {
			im.BytesTruncated = true
			continue
		}
		if !q.finished || q.id == "" {
			continue
		}
		if list, ok := fetched[q.id]; ok {
			fetched[q.id] = append(list, im)
			continue
		}
		fetched[q.id] = []*crawler.Image{im}
	}
	var mu sync.Mutex
	for id, ims := range fetched {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			b, ok := got[id]
			if !ok {
				var err error
				if b, err = v.responseBody(ctx, id); err != nil {
					return
				}
			}
			if len(b) == 0 && ims[0].NaturalWidth == 0 {
				// Chromium drops the buffer of an image it failed to
				// decode (a corrupt file, a decompression bomb), and
				// those are the ones the checks most need to see.
				b = r.refetch(ctx, v, ims[0])
			}
			mu.Lock()
			defer mu.Unlock()
			for _, im := range ims {
				if int64(len(b)) > r.limits.ImageBytes {
					im.BytesTruncated = true
					continue
				}
				im.Bytes = b
			}
		})
	}
	wg.Wait()
}

// responseBody reads the body of request id from the browser's network
// buffer.
func (v *visit) responseBody(ctx context.Context, id proto.NetworkRequestID) ([]byte, error) {
	var res proto.NetworkGetResponseBodyResult
	if err := v.call(ctx, proto.NetworkGetResponseBody{RequestID: id}, &res); err != nil {
		return nil, err
	}
	if !res.Base64Encoded {
		return []byte(res.Body), nil
	}
	return base64.StdEncoding.DecodeString(res.Body)
}

// earlyBodies are the picture bodies prefetch read; bodies is complete
// once done is closed.
type earlyBodies struct {
	done   chan struct{}
	bodies map[proto.NetworkRequestID][]byte
}

// prefetch starts reading the bodies of the pictures the page has finished
// loading (image responses within the size cap, at most as many as a
// snapshot keeps images), bodyParallel at a time, until ctx ends. A body
// that fails to read is left out, and bodies reads it again. Once all are
// read, they go to the request's Prefetched in the page's load order.
func (r *Renderer) prefetch(ctx context.Context, v *visit) *earlyBodies {
	e := &earlyBodies{done: make(chan struct{}), bodies: map[proto.NetworkRequestID][]byte{}}
	var ids []proto.NetworkRequestID
	v.mu.Lock()
	for _, q := range v.order {
		if len(ids) == r.limits.Images {
			break
		}
		if q.rec.Type == string(proto.NetworkResourceTypeImage) && q.finished && q.id != "" &&
			q.rec.Bytes <= r.limits.ImageBytes && q.rec.Size <= r.limits.ImageBytes {
			ids = append(ids, q.id)
		}
	}
	v.mu.Unlock()
	go func() {
		defer close(e.done)
		sem := make(chan struct{}, bodyParallel)
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, id := range ids {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				wg.Wait()
				return
			}
			wg.Go(func() {
				defer func() { <-sem }()
				b, err := v.responseBody(ctx, id)
				if err != nil {
					return
				}
				mu.Lock()
				e.bodies[id] = b
				mu.Unlock()
			})
		}
		wg.Wait()
		if hand := v.req.Prefetched; hand != nil && ctx.Err() == nil {
			var got [][]byte
			for _, id := range ids {
				if b, ok := e.bodies[id]; ok && len(b) > 0 {
					got = append(got, b)
				}
			}
			if len(got) > 0 {
				hand(got)
			}
		}
	}()
	return e
}

// refetchJS fetches an image's bytes again from inside the page (same
// origin, cookies and CORS rules as the page), up to a cap, as base64 in a
// JSON string (what eval decodes).
const refetchJS = `(async (url, cap) => {
  const res = await fetch(url, {cache: 'no-store', credentials: 'include'});
  const buf = await res.arrayBuffer();
  if (buf.byteLength > cap) return '""';
  const bytes = new Uint8Array(buf);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return JSON.stringify(btoa(s));
})(%s, %d)`

// refetch reads im's bytes with a fetch in the page; nil when that fails.
func (r *Renderer) refetch(ctx context.Context, v *visit, im *crawler.Image) []byte {
	src := im.CurrentSrc
	if src == "" {
		src = im.Src
	}
	u, _ := json.Marshal(src)
	v.mu.Lock()
	v.refetching[src] = true
	v.mu.Unlock()
	fctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	var b64 string
	if v.eval(fctx, fmt.Sprintf(refetchJS, u, r.limits.ImageBytes), true, &b64) != nil {
		return nil
	}
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil
	}
	return b
}

// dataURL decodes a data: image URL (it has no network response).
func dataURL(u string, limit int64) (b []byte, truncated bool, mime string) {
	meta, data, ok := strings.Cut(strings.TrimPrefix(u, "data:"), ",")
	if !ok {
		return nil, false, ""
	}
	mime, _, _ = strings.Cut(meta, ";")
	if int64(len(data)) > limit*2 {
		return nil, true, mime
	}
	if strings.HasSuffix(meta, ";base64") {
		b, _ = base64.StdEncoding.DecodeString(data)
	} else if s, err := url.PathUnescape(data); err == nil {
		b = []byte(s)
	}
	if int64(len(b)) > limit {
		return nil, true, mime
	}
	return b, false, mime
}

// lookup returns the last request for the first of urls that has one.
func (v *visit) lookup(urls ...string) *request {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.lookupLocked(urls...)
}

func (v *visit) lookupLocked(urls ...string) *request {
	for _, u := range urls {
		if u == "" {
			continue
		}
		u, _, _ = strings.Cut(u, "#")
		for i := len(v.order) - 1; i >= 0; i-- {
			if v.order[i].rec.URL == u {
				return v.order[i]
			}
		}
	}
	return nil
}

func (v *visit) hasDoc() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.doc != nil
}

func (v *visit) offsiteURL() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.offsite
}

// waitNetQuiet waits until no request was in flight for d, at most max.
func (v *visit) waitNetQuiet(ctx context.Context, d, max time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, max)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !v.netQuiet(d) {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// eval evaluates expr in the isolated world of the main frame and decodes
// the JSON string it returns into out (when out is not nil).
func (v *visit) eval(ctx context.Context, expr string, await bool, out any) error {
	var res proto.RuntimeEvaluateResult
	for attempt := 0; ; attempt++ {
		id := v.worldID()
		if id == 0 {
			var w proto.PageCreateIsolatedWorldResult
			if err := v.call(ctx, proto.PageCreateIsolatedWorld{FrameID: v.frame, WorldName: worldName}, &w); err != nil {
				return err
			}
			id = w.ExecutionContextID
		}
		err := v.call(ctx, proto.RuntimeEvaluate{Expression: expr, ContextID: id, ReturnByValue: true, AwaitPromise: await}, &res)
		if err != nil && attempt < 3 && ctx.Err() == nil && strings.Contains(err.Error(), "context") {
			// The document was replaced under us (a late navigation): retry
			// in the new one.
			v.forgetWorld(id)
			continue
		}
		if err != nil {
			return err
		}
		break
	}
	if res.ExceptionDetails != nil {
		d := res.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg = d.Exception.Description
		}
		return fmt.Errorf("page script: %s", msg)
	}
	if out == nil || res.Result == nil {
		return nil
	}
	s, ok := res.Result.Value.Val().(string)
	if !ok {
		return errors.New("page script: no JSON result")
	}
	return json.Unmarshal([]byte(s), out)
}

// hostSet is where a main-frame navigation may go: the sweep's hosts and the
// requested URL's own host.
func hostSet(req crawler.RenderRequest) map[string]bool {
	m := map[string]bool{}
	for _, h := range req.AllowedHosts {
		m[strings.ToLower(h)] = true
	}
	if h := crawler.Host(req.URL); h != "" {
		m[h] = true
	}
	return m
}

// hostMatch reports whether the host h (maybe with a port) is in set, which
// may list hosts with or without ports.
func hostMatch(set map[string]bool, h string) bool {
	if set[h] {
		return true
	}
	if name, _, err := net.SplitHostPort(h); err == nil {
		return set[name]
	}
	return false
}

// round returns v rounded to digits decimals; nil stays nil.
func round(v *float64, digits int) *float64 {
	if v == nil {
		return nil
	}
	scale := math.Pow(10, float64(digits))
	r := math.Round(*v*scale) / scale
	return &r
}

// bare reports whether the visit only measures: every visit of a bare
// renderer, and the metrics-only repeats of a sweep.
func (r *Renderer) bare(v *visit) bool { return r.opts.Bare || v.req.MetricsOnly }
