// Package rodrender implements crawler.Renderer on headless Chromium through
// the DevTools protocol (go-rod's launcher, cdp client and proto types). It is
// the only package that imports go-rod.
//
// Each concurrent caller gets a page of its own (its own incognito browser
// context and window, so it is visible and paints); between visits the page
// is reset: blank document, cookies and the visited origins' storage
// cleared, HTTP cache disabled, so nothing carries over. Observers for the
// web vitals are installed before navigation in an isolated JavaScript
// world, so page scripts cannot see or break them; the capture script
// (collect.js) runs in the same world.
//
// The snapshot treats open shadow roots and same-origin iframes as part of
// the page. In Page.HTML a shadow root is its host's first child
// <template shadowrootmode="open">, and a frame's body content follows its
// <iframe> element in a <div data-storecheck-frame="URL">, so an HTML parser
// sees that text as ordinary DOM. Selectors of elements inside them are
// "<host or iframe selector> >>> <path inside>".
package rodrender

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/go-rod/rod/lib/cdp"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/proto"

	"github.com/storecheck/storecheck/crawler"
)

// Renderer drives one launched browser, or several remote ones, and is safe
// for concurrent use: every Render call gets its own page.
type Renderer struct {
	opts    crawler.RenderOptions
	limits  crawler.Limits
	timeout time.Duration // page_timeout
	settle  time.Duration
	bin     string
	mode    isolation

	mu      sync.Mutex
	insts   []*instance // nil: a remote browser dropped from the pool
	deaths  []int       // deaths per slot; the third is fatal (launched) or drops the slot (remote)
	failed  bool
	closed  bool
	version string
	ua      string // the browser's own UA with "HeadlessChrome" → "Chrome"
	major   string // "156"

	next atomic.Uint64  // round-robin over insts
	bg   sync.WaitGroup // dead browsers being cleaned up
	log  *slog.Logger
}

// isolation is how one visit is kept apart from the others.
type isolation int

const (
	// tabPerWorker, the default, reuses one page (in its own incognito
	// context and window) per concurrent caller, with the HTTP cache disabled
	// and cookies and storage cleared between visits. Measured over 20 local
	// pages at concurrency 4 it costs about half the browser CPU of
	// contextPerPage, whose new renderer process per visit dominates.
	tabPerWorker isolation = iota
	// contextPerPage opens every visit in a new incognito browser context
	// (its own window, cookie jar, storage, HTTP cache and socket pool).
	contextPerPage
)

// Fallbacks for zero options; the config package owns the real defaults and
// always sets them.
const (
	fallbackTimeout = 30 * time.Second
	fallbackSettle  = time.Second
	launchTimeout   = 30 * time.Second
	resolveTimeout  = 10 * time.Second // asking a remote address what it is
	maxDeaths       = 3
)

// FindBrowser returns the browser binary to launch: flag when set, else
// $STORECHECK_BROWSER, else the first of chromium, chromium-browser,
// google-chrome, google-chrome-stable and chrome on PATH. It never downloads
// a browser; when none is found the error wraps crawler.ErrNoBrowser.
func FindBrowser(flag string) (string, error) {
	for _, c := range []struct{ from, path string }{{"--browser", flag}, {"STORECHECK_BROWSER", os.Getenv("STORECHECK_BROWSER")}} {
		if c.path == "" {
			continue
		}
		p, err := exec.LookPath(c.path)
		if err != nil {
			return "", fmt.Errorf("%s %q: %w", c.from, c.path, crawler.ErrNoBrowser)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", crawler.ErrNoBrowser
}

// New launches the browser (opts.Bin, else FindBrowser("")) or, with
// opts.RemoteURLs, connects to running browsers, and returns a Renderer.
// Close it to end the launched browser.
func New(ctx context.Context, opts crawler.RenderOptions) (*Renderer, error) {
	r := &Renderer{opts: opts, limits: withDefaultLimits(opts.Limits), timeout: opts.PageTimeout, settle: opts.Settle, log: opts.Log}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	if r.timeout <= 0 {
		r.timeout = fallbackTimeout
	}
	if r.settle <= 0 {
		r.settle = fallbackSettle
	}
	if len(opts.RemoteURLs) == 0 {
		bin := opts.Bin
		if bin == "" {
			var err error
			if bin, err = FindBrowser(""); err != nil {
				return nil, err
			}
		}
		r.bin = bin
		r.insts = make([]*instance, 1)
		removeStaleProfiles()
	} else {
		r.insts = make([]*instance, len(opts.RemoteURLs))
	}
	r.deaths = make([]int, len(r.insts))
	for i := range r.insts {
		in, err := r.start(ctx, i, 0)
		if err != nil {
			r.Close()
			return nil, err
		}
		r.insts[i] = in
	}
	var v proto.BrowserGetVersionResult
	if err := r.insts[0].call(ctx, "", proto.BrowserGetVersion{}, &v); err != nil {
		r.Close()
		return nil, fmt.Errorf("browser version: %w", err)
	}
	r.version, r.ua, r.major = versionStrings(v)
	return r, nil
}

var chromeToken = regexp.MustCompile(`\b(?:Headless)?Chrome/(\d+)`)

// versionStrings turns Browser.getVersion into "Chromium 156.0.8078.108",
// the UA without "Headless", and the major version.
func versionStrings(v proto.BrowserGetVersionResult) (version, ua, major string) {
	name, ver, ok := strings.Cut(v.Product, "/")
	if !ok {
		return v.Product, strings.ReplaceAll(v.UserAgent, "HeadlessChrome/", "Chrome/"), ""
	}
	if name == "HeadlessChrome" || name == "Chrome" {
		name = "Chromium"
	}
	major, _, _ = strings.Cut(ver, ".")
	if m := chromeToken.FindStringSubmatch(v.UserAgent); m != nil {
		major = m[1]
	}
	return name + " " + ver, strings.ReplaceAll(v.UserAgent, "HeadlessChrome/", "Chrome/"), major
}

// start launches the browser of slot i (or connects to the remote one).
func (r *Renderer) start(ctx context.Context, slot, gen int) (*instance, error) {
	if len(r.opts.RemoteURLs) > 0 {
		return r.connectRemote(ctx, slot, gen, r.opts.RemoteURLs[slot])
	}
	dir, err := os.MkdirTemp("", fmt.Sprintf("%s%d-", profilePrefix, os.Getpid()))
	if err != nil {
		return nil, fmt.Errorf("browser profile: %w", err)
	}
	lctx, cancel := context.WithTimeout(ctx, launchTimeout)
	defer cancel()
	l := r.browserFlags(launcher.New().Context(lctx).Bin(r.bin).
		UserDataDir(dir).Logger(io.Discard).
		NoSandbox(os.Geteuid() == 0))
	u, err := l.Launch()
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("launch %s: %w", r.bin, err)
	}
	in, err := r.connect(ctx, slot, gen, u, nil)
	if err != nil {
		(&instance{l: l, dir: dir, cancel: func() {}}).kill()
		return nil, err
	}
	in.l, in.dir = l, dir
	return in, nil
}

// browserFlags are the command line of every browser storecheck starts,
// locally or through a launcher manager: headless, no popups, none of the
// background services that call the network.
func (r *Renderer) browserFlags(l *launcher.Launcher) *launcher.Launcher {
	l = l.Headless(true).Leakless(true).
		// Popups are not wanted: a visit is one page, and the ones that
		// still open are closed as they appear.
		Delete("disable-popup-blocking").
		Set("disable-features", "site-per-process", "TranslateUI", "BackForwardCache", "MediaRouter", "OptimizationHints").
		Set("disable-gpu").Set("disable-component-update").Set("disable-quic").
		Set("disable-background-networking").Set("disable-sync").Set("no-first-run").
		Set("mute-audio").Set("hide-scrollbars").Set("disable-crash-reporter").
		Set("no-default-browser-check").Set("password-store", "basic")
	if r.opts.TLSInsecure {
		l = l.Set("ignore-certificate-errors")
	}
	return l
}

// connectRemote connects slot to addr: the DevTools address of a running
// browser (ws://HOST:PORT/devtools/browser/ID, or http://HOST:PORT and
// HOST:PORT, resolved through /json/version), or the address of a go-rod
// launcher manager (launcher.NewManaged; ws://HOST:7317 in the
// ghcr.io/go-rod/rod image), which starts a browser for this connection and
// kills it when the connection closes.
func (r *Renderer) connectRemote(ctx context.Context, slot, gen int, addr string) (*instance, error) {
	if u, err := url.Parse(addr); err == nil && (u.Scheme == "ws" || u.Scheme == "wss") {
		if strings.HasPrefix(u.Path, "/devtools/") {
			return r.connect(ctx, slot, gen, addr, nil)
		}
		return r.connectManaged(ctx, slot, gen, addr)
	}
	resolved, rerr := resolveDevTools(ctx, addr)
	if rerr == nil {
		return r.connect(ctx, slot, gen, resolved, nil)
	}
	in, merr := r.connectManaged(ctx, slot, gen, addr)
	if merr != nil {
		return nil, fmt.Errorf("remote browser %s is neither a browser's DevTools (%v) nor a launcher manager (%v)", addr, rerr, merr)
	}
	return in, nil
}

// resolveDevTools reads the browser's WebSocket URL from /json/version at
// addr (http://HOST:PORT or HOST:PORT), as launcher.ResolveURL does, but
// bounded by ctx and returning an error where that one panics or returns
// an empty URL.
func resolveDevTools(ctx context.Context, addr string) (string, error) {
	if !strings.Contains(addr, "://") {
		addr = "http://" + addr
	}
	u, err := url.Parse(addr)
	if err != nil {
		return "", err
	}
	switch u.Scheme {
	case "ws":
		u.Scheme = "http"
	case "wss":
		u.Scheme = "https"
	}
	u.Path, u.RawQuery = "/json/version", ""
	ctx, cancel := context.WithTimeout(ctx, resolveTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var v struct {
		WS string `json:"webSocketDebuggerUrl"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&v); err != nil || v.WS == "" {
		return "", fmt.Errorf("%s has no webSocketDebuggerUrl", u)
	}
	ws, err := url.Parse(v.WS)
	if err != nil {
		return "", fmt.Errorf("%s: %w", u, err)
	}
	// The browser names the address it bound (often 127.0.0.1); the one
	// we reached it by is the one that works from here.
	ws.Host = u.Host
	return ws.String(), nil
}

// connectManaged asks the launcher manager at addr for a browser.
func (r *Renderer) connectManaged(ctx context.Context, slot, gen int, addr string) (*instance, error) {
	// NewManaged reads the manager's defaults (its browser binary, sandbox
	// and profile settings for its machine) with a plain http.Get.
	l, err := withDeadline(ctx, resolveTimeout, func() (*launcher.Launcher, error) { return launcher.NewManaged(addr) })
	if err != nil {
		return nil, fmt.Errorf("launcher manager %s: %w", addr, err)
	}
	u, header := r.browserFlags(l).ClientHeader()
	in, err := r.connect(ctx, slot, gen, u, header)
	if err != nil {
		return nil, fmt.Errorf("launcher manager %s: %w", addr, err)
	}
	return in, nil
}

// withDeadline runs f, giving up when ctx ends or after d; f keeps running
// in the background then, and its result is dropped.
func withDeadline[T any](ctx context.Context, d time.Duration, f func() (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case res := <-done:
		return res.v, res.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// connect opens the DevTools connection to the ws:// URL u, sending header
// with the handshake (a launcher manager reads the browser's flags there).
func (r *Renderer) connect(ctx context.Context, slot, gen int, u string, header http.Header) (*instance, error) {
	if _, err := url.Parse(u); err != nil {
		return nil, fmt.Errorf("remote browser %s: %w", u, err)
	}
	cctx, cancel := context.WithTimeout(ctx, launchTimeout)
	defer cancel()
	ws := &cdp.WebSocket{}
	if err := ws.Connect(cctx, u, header); err != nil {
		return nil, fmt.Errorf("connect to browser %s: %w", u, err)
	}
	ictx, icancel := context.WithCancel(context.Background())
	in := &instance{
		slot: slot, gen: gen,
		client:   cdp.New().Start(ws),
		ctx:      ictx,
		sessions: map[proto.TargetSessionID]*visit{},
		targets:  map[proto.TargetTargetID]*visit{},
		tabReady: make(chan struct{}),
	}
	in.cancel = func() { icancel(); _ = ws.Close() }
	go in.dispatch()
	if err := in.call(cctx, "", proto.TargetSetDiscoverTargets{Discover: true}, nil); err != nil {
		in.cancel()
		return nil, fmt.Errorf("connect to browser %s: %w", u, err)
	}
	if r.opts.TLSInsecure {
		// The launch flag covers a launched browser; this covers remote ones.
		if err := in.call(cctx, "", proto.SecuritySetIgnoreCertificateErrors{Ignore: true}, nil); err != nil {
			in.cancel()
			return nil, fmt.Errorf("connect to browser %s: %w", u, err)
		}
	}
	return in, nil
}

// pick returns the instance for the next visit, round-robin over the
// browsers still in the pool.
func (r *Renderer) pick() (*instance, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, errors.New("renderer closed")
	}
	if r.failed {
		return nil, crawler.ErrBrowserDied
	}
	n := uint64(len(r.insts))
	for range n {
		if in := r.insts[(r.next.Add(1)-1)%n]; in != nil {
			return in, nil
		}
	}
	return nil, crawler.ErrBrowserDied // unreachable: failed is set with the last drop
}

// revive replaces a dead instance, unless another caller already did. A
// launched browser is relaunched, and its third death is fatal
// (crawler.ErrBrowserDied). A remote one is reconnected (a launcher manager
// starts a new browser); when that fails, or on its third death, it is
// dropped from the pool and the visits go to the others; losing the last
// one is fatal. revive returns nil and no error when the caller should pick
// another instance.
func (r *Renderer) revive(ctx context.Context, dead *instance) (*instance, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, errors.New("renderer closed")
	}
	if r.failed {
		return nil, crawler.ErrBrowserDied
	}
	cur := r.insts[dead.slot]
	if cur == nil {
		return nil, nil // already dropped
	}
	if cur.gen != dead.gen {
		return cur, nil
	}
	r.deaths[dead.slot]++
	deaths := r.deaths[dead.slot]
	r.bg.Go(dead.kill)
	remote := len(r.opts.RemoteURLs) > 0
	if !remote && deaths >= maxDeaths {
		r.failed = true
		return nil, fmt.Errorf("%d deaths: %w", deaths, crawler.ErrBrowserDied)
	}
	var in *instance
	err := fmt.Errorf("died %d times", deaths)
	if deaths < maxDeaths {
		// The relaunch must not fail because this one caller gave up.
		in, err = r.start(context.WithoutCancel(ctx), dead.slot, dead.gen+1)
	}
	if err == nil {
		r.insts[dead.slot] = in
		return in, nil
	}
	if !remote {
		r.failed = true
		return nil, fmt.Errorf("relaunch after death %d: %v: %w", deaths, err, crawler.ErrBrowserDied)
	}
	r.insts[dead.slot] = nil
	left := 0
	for _, in := range r.insts {
		if in != nil {
			left++
		}
	}
	r.log.Warn("remote browser lost, dropped from the pool", "browser", r.opts.RemoteURLs[dead.slot],
		"error", err.Error(), "browsers_left", left)
	if left == 0 {
		r.failed = true
		return nil, fmt.Errorf("every remote browser lost: %w", crawler.ErrBrowserDied)
	}
	return nil, nil
}

// Version is the browser's product string, "Chromium 156.0.8078.108".
func (r *Renderer) Version() string { return r.version }

// Close ends the launched browser and removes its profile; remote browsers
// keep running (the contexts this renderer opened in them are disposed). It
// is safe to call more than once.
func (r *Renderer) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	insts := r.insts
	r.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for _, in := range insts {
		if in == nil {
			continue
		}
		wg.Go(func() { in.close(ctx) })
	}
	wg.Wait()
	r.bg.Wait()
	return nil
}

// profilePrefix starts the name of a launched browser's profile dir, followed
// by the storecheck process id.
const profilePrefix = "storecheck-chromium-"

// removeStaleProfiles removes the profile dirs of storecheck processes that
// are gone: one killed with SIGKILL could not remove its own (its browser
// died with it; leakless sees to that).
func removeStaleProfiles() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), profilePrefix+"*"))
	for _, d := range dirs {
		pidStr, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(d), profilePrefix), "-")
		pid, err := strconv.Atoi(pidStr)
		if err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			removeProfile(d, singletonDir(d))
		}
	}
}

func withDefaultLimits(l crawler.Limits) crawler.Limits {
	d := crawler.DefaultLimits
	if l.HTMLBytes <= 0 {
		l.HTMLBytes = d.HTMLBytes
	}
	if l.TextBoxes <= 0 {
		l.TextBoxes = d.TextBoxes
	}
	if l.Requests <= 0 {
		l.Requests = d.Requests
	}
	if l.Links <= 0 {
		l.Links = d.Links
	}
	if l.Images <= 0 {
		l.Images = d.Images
	}
	if l.ImageBytes <= 0 {
		l.ImageBytes = d.ImageBytes
	}
	if l.ConsoleEntries <= 0 {
		l.ConsoleEntries = d.ConsoleEntries
	}
	if l.LogoCandidates <= 0 {
		l.LogoCandidates = d.LogoCandidates
	}
	return l
}
