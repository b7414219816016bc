package crawler

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// Renderer loads one URL in one viewport in a real browser and returns its
// snapshot. A page that fails to load is data (Page.Status 0, Page.Error), not
// an error: Render returns an error only when the browser itself is gone and
// could not be brought back (ErrBrowserDied) or ctx ended. The error names
// req.URL and the viewport; Sweep returns it as it is.
type Renderer interface {
	Render(ctx context.Context, req RenderRequest) (*Page, error)
	// Version is the browser's product string, "Chromium 156.0…".
	Version() string
	Close() error
}

// RenderRequest is one visit.
type RenderRequest struct {
	URL      string // normalised requested URL
	Viewport Viewport
	Depth    int
	// AllowedHosts are the sweep's hosts: a redirect elsewhere is recorded,
	// not followed (the page gets Error "redirected off-site").
	AllowedHosts []string
	// FollowOffsiteRedirect lets a start URL redirect to another host.
	FollowOffsiteRedirect bool
	// MetricsOnly measures the visit and captures nothing else (as
	// RenderOptions.Bare does for every visit): the extra measurements of
	// SweepOptions.Repeat.
	MetricsOnly bool
	// WantFullScreenshot, when set, is asked once everything else of the
	// visit is captured (the screenshots but this one, the picture bodies)
	// whether the visit needs Page.FullScreenshot, which is taken only
	// then. Unset, every visit with RenderOptions.FullScreenshot takes
	// one. It is the costliest capture of a visit (the whole page laid
	// out and drawn again), and only findings that outline a region use
	// it. It runs on the render's goroutine while the tab waits.
	WantFullScreenshot func(*Page) bool
	// Prefetched, when set, is handed the bodies of the pictures the page
	// had loaded by its first paint, read while it settles, so that work
	// on them (reading their text, measuring them) can start while the
	// visit goes on. Not called on a bare or metrics-only visit, nor with
	// no body read. It is called at most once, on another goroutine, and
	// must return at once; the bodies are the snapshot's too and must not
	// be changed.
	Prefetched func(bodies [][]byte)
}

// ErrBrowserDied means the browser died more often than the renderer may
// relaunch it (3 times); the run has failed.
var ErrBrowserDied = errors.New("browser died 3 times")

// ErrNoBrowser means no browser binary was found.
var ErrNoBrowser = errors.New("no Chromium found: install it with `apt-get install chromium` or pass --browser / STORECHECK_BROWSER")

// Desktop and Mobile are the contract's two viewports.
var (
	Desktop = Viewport{Name: "desktop", Width: 1350, Height: 940, DPR: 1}
	Mobile  = Viewport{Name: "mobile", Width: 412, Height: 823, DPR: 1.75, Mobile: true}
)

// ViewportByName returns the named viewport and whether it exists.
func ViewportByName(name string) (Viewport, bool) {
	switch name {
	case Desktop.Name:
		return Desktop, true
	case Mobile.Name:
		return Mobile, true
	}
	return Viewport{}, false
}

// RenderOptions configure a Renderer; the rodrender package consumes them.
type RenderOptions struct {
	Bin string // browser binary; "" with RemoteURLs set
	// RemoteURLs are running browsers to drive instead of launching one:
	// DevTools addresses or go-rod launcher managers.
	RemoteURLs    []string
	Headers       map[string]string
	Cookies       []Cookie
	BasicAuthUser string
	BasicAuthPass string
	TLSInsecure   bool
	Locale        string    // "zh-CN": Accept-Language and navigator.language
	Timezone      string    // IANA zone for the browser
	UserAgent     string    // "" = the browser's UA without "Headless" + " storecheck/VERSION"
	UAProduct     string    // "storecheck/0.1.0", appended to the default UA
	Now           time.Time // pins the page's Date; zero = real clock
	PageTimeout   time.Duration
	Settle        time.Duration // quiet time after paint before capture
	// LogoCandidates asks for Page.LogoCandidates: element screenshots of
	// everything that may show a logo. Off, no screenshot is taken for them.
	LogoCandidates bool
	// Selectors are CSS selectors whose boxes go into Page.Layout.Selected.
	Selectors []string
	// FullScreenshot asks for Page.FullScreenshot.
	FullScreenshot bool
	BlockExternal  bool // block requests to hosts outside AllowedHosts
	Limits         Limits
	// Bare makes Render navigate, wait for paint and settle, and capture only
	// metrics: the baseline the benchmark compares a full sweep against.
	Bare bool
	// Log receives what the renderer decides on its own, such as dropping a
	// lost remote browser from the pool; nil discards it.
	Log *slog.Logger
}

// Cookie is set in every browser context.
type Cookie struct {
	Name, Value, Domain, Path string
}
