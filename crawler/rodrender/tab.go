package rodrender

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-rod/rod/lib/proto"

	"github.com/storecheck/storecheck/crawler"
)

// maxTabVisits retires a reused page now and then, so whatever a
// long-lived renderer accumulates is let go.
const maxTabVisits = 50

// tab is a page target with its own browser context and our session on it.
type tab struct {
	bctx    proto.BrowserBrowserContextID
	target  proto.TargetTargetID
	session proto.TargetSessionID
	scripts []proto.PageScriptIdentifier // added for the current visit
	used    bool                         // domains already enabled (reused tab)
	visits  int
}

// openTab takes an idle reused page (tabPerWorker), waiting for one that is
// being reset rather than opening more than there are callers, or creates a
// page in a fresh incognito context and window.
func (r *Renderer) openTab(ctx context.Context, in *instance) (*tab, error) {
	for r.mode == tabPerWorker {
		in.mu.Lock()
		if n := len(in.tabs); n > 0 {
			t := in.tabs[n-1]
			in.tabs = in.tabs[:n-1]
			in.mu.Unlock()
			return t, nil
		}
		busy, ready := in.resetting, in.tabReady
		in.mu.Unlock()
		if busy == 0 {
			break
		}
		// A worker's page is being reset: wait for it rather than open more,
		// unless the reset drags on (a page that hangs its renderer).
		select {
		case <-ready:
			continue
		case <-time.After(time.Second):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		break
	}
	var bc proto.TargetCreateBrowserContextResult
	// disposeOnDetach: a remote browser drops our contexts when we go away.
	if err := in.call(ctx, "", proto.TargetCreateBrowserContext{DisposeOnDetach: true}, &bc); err != nil {
		return nil, err
	}
	t := &tab{bctx: bc.BrowserContextID}
	// A page that answers with an attachment must not leave a file on the
	// machine running the sweep (or on a remote browser's host).
	deny := proto.BrowserSetDownloadBehavior{Behavior: proto.BrowserSetDownloadBehaviorBehaviorDeny, BrowserContextID: bc.BrowserContextID}
	if err := in.call(ctx, "", deny, nil); err != nil {
		_ = in.call(ctx, "", proto.TargetDisposeBrowserContext{BrowserContextID: bc.BrowserContextID}, nil)
		return nil, err
	}
	var tg proto.TargetCreateTargetResult
	// Its own window: a page that is a background tab is hidden and never
	// paints, so FCP and LCP would be missing.
	w, h := 1350, 940
	ct := proto.TargetCreateTarget{URL: "about:blank", BrowserContextID: bc.BrowserContextID, NewWindow: true, Width: &w, Height: &h}
	err := in.call(ctx, "", ct, &tg)
	if err == nil {
		t.target = tg.TargetID
		var at proto.TargetAttachToTargetResult
		err = in.call(ctx, "", proto.TargetAttachToTarget{TargetID: tg.TargetID, Flatten: true}, &at)
		t.session = at.SessionID
	}
	if err != nil {
		r.disposeTab(in, t)
		return nil, err
	}
	return t, nil
}

// closeTab disposes the visit's context in the background, or resets a
// reused tab and puts it back.
func (r *Renderer) closeTab(in *instance, t *tab, v *visit) {
	t.visits++
	v.mu.Lock()
	spoiled := v.spoiled
	v.mu.Unlock()
	if r.mode != tabPerWorker || t.visits >= maxTabVisits || spoiled {
		go r.disposeTab(in, t)
		return
	}
	origins := v.origins()
	in.mu.Lock()
	in.resetting++
	in.mu.Unlock()
	go func() {
		ctx, cancel := context.WithTimeout(in.ctx, 5*time.Second)
		defer cancel()
		err := r.resetTab(ctx, in, t, origins)
		in.mu.Lock()
		in.resetting--
		if err == nil {
			in.tabs = append(in.tabs, t)
		}
		close(in.tabReady) // wakes every waiter
		in.tabReady = make(chan struct{})
		in.mu.Unlock()
		if err != nil {
			r.disposeTab(in, t)
		}
	}()
}

func (r *Renderer) disposeTab(in *instance, t *tab) {
	ctx, cancel := context.WithTimeout(in.ctx, 5*time.Second)
	defer cancel()
	_ = in.call(ctx, "", proto.TargetDisposeBrowserContext{BrowserContextID: t.bctx}, nil)
}

// resetTab leaves a reused tab as a fresh one would be: blank document, no
// cookies, no storage of the origins it visited, no per-visit overrides.
func (r *Renderer) resetTab(ctx context.Context, in *instance, t *tab, origins []string) error {
	s := t.session
	if err := in.call(ctx, s, proto.PageNavigate{URL: "about:blank"}, nil); err != nil {
		return err
	}
	// window.name survives navigations within a tab.
	if err := in.call(ctx, s, proto.RuntimeEvaluate{Expression: "window.name = ''"}, nil); err != nil {
		return err
	}
	for _, id := range t.scripts {
		if err := in.call(ctx, s, proto.PageRemoveScriptToEvaluateOnNewDocument{Identifier: id}, nil); err != nil {
			return err
		}
	}
	t.scripts = nil
	for _, o := range origins {
		if err := in.call(ctx, s, proto.StorageClearDataForOrigin{Origin: o, StorageTypes: "all"}, nil); err != nil {
			return err
		}
	}
	reqs := []proto.Request{
		proto.StorageClearCookies{BrowserContextID: t.bctx},
		proto.FetchDisable{},
		setBlockedURLs{URLPatterns: []blockPattern{}},
		setExtraHeaders{Headers: map[string]string{}},
		proto.EmulationSetLocaleOverride{},
		proto.EmulationSetTimezoneOverride{TimezoneID: ""},
	}
	for _, q := range reqs {
		sess := s
		if _, ok := q.(proto.StorageClearCookies); ok {
			sess = ""
		}
		if err := in.call(ctx, sess, q, nil); err != nil {
			return err
		}
	}
	return nil
}

// setup prepares the page before navigation: domains, emulation of the
// viewport, identity and clock, request options and the observers.
func (r *Renderer) setup(ctx context.Context, v *visit, t *tab) error {
	o := r.opts
	vp := v.req.Viewport
	var reqs []proto.Request
	if !t.used {
		// Domains stay enabled on a reused page. Network goes first, with
		// buffers large enough for the image bodies read after capture.
		total, per := 256<<20, int(r.limits.ImageBytes)+(1<<20)
		reqs = append(reqs, proto.NetworkEnable{MaxTotalBufferSize: &total, MaxResourceBufferSize: &per},
			proto.PageEnable{}, proto.RuntimeEnable{}, proto.LogEnable{}, proto.InspectorEnable{})
		t.used = true
	}
	reqs = append(reqs,
		proto.EmulationSetDeviceMetricsOverride{Width: vp.Width, Height: vp.Height, DeviceScaleFactor: vp.DPR, Mobile: vp.Mobile,
			ScreenWidth: &vp.Width, ScreenHeight: &vp.Height},
		proto.EmulationSetTouchEmulationEnabled{Enabled: vp.Mobile, MaxTouchPoints: touchPoints(vp)},
		r.userAgent(vp),
		// Focus too: some pages pause carousels and timers when blurred.
		proto.EmulationSetFocusEmulationEnabled{Enabled: true},
	)
	if r.mode == tabPerWorker {
		reqs = append(reqs, proto.NetworkSetCacheDisabled{CacheDisabled: true})
	}
	if o.Locale != "" {
		reqs = append(reqs, proto.EmulationSetLocaleOverride{Locale: o.Locale})
	}
	if o.Timezone != "" {
		reqs = append(reqs, proto.EmulationSetTimezoneOverride{TimezoneID: o.Timezone})
	}
	if len(o.Headers) > 0 {
		reqs = append(reqs, setExtraHeaders{Headers: o.Headers})
	}
	if len(o.Cookies) > 0 {
		reqs = append(reqs, proto.NetworkSetCookies{Cookies: cookieParams(o.Cookies, v.req.URL)})
	}
	if o.BlockExternal && !v.req.FollowOffsiteRedirect {
		reqs = append(reqs, setBlockedURLs{URLPatterns: blockPatterns(v.hosts)})
	}
	if fe, ok := r.fetchPatterns(v); ok {
		reqs = append(reqs, fe)
	}
	for _, q := range reqs {
		if err := v.call(ctx, q, nil); err != nil {
			return fmt.Errorf("set up page: %w", err)
		}
	}
	scripts := []proto.PageAddScriptToEvaluateOnNewDocument{{Source: observeJS, WorldName: worldName}}
	if !o.Now.IsZero() {
		src := strings.Replace(clockJS, "__STORECHECK_NOW__", strconv.FormatInt(o.Now.UnixMilli(), 10), 1)
		scripts = append(scripts, proto.PageAddScriptToEvaluateOnNewDocument{Source: src})
	}
	for _, s := range scripts {
		var res proto.PageAddScriptToEvaluateOnNewDocumentResult
		if err := v.call(ctx, s, &res); err != nil {
			return fmt.Errorf("set up page: %w", err)
		}
		t.scripts = append(t.scripts, res.Identifier)
	}
	return nil
}

// fetchPatterns says which requests the Fetch domain must hold for us:
// main-frame documents when off-site navigations are refused, every request
// when basic-auth challenges are answered or external hosts are blocked for a
// start URL that may redirect anywhere. The browser still does all fetching.
func (r *Renderer) fetchPatterns(v *visit) (proto.FetchEnable, bool) {
	auth := r.opts.BasicAuthUser != "" || r.opts.BasicAuthPass != ""
	v.blockByFetch = r.opts.BlockExternal && v.req.FollowOffsiteRedirect
	switch {
	case auth || v.blockByFetch:
		return proto.FetchEnable{Patterns: []*proto.FetchRequestPattern{{URLPattern: "*"}}, HandleAuthRequests: auth}, true
	case v.blockOffsite:
		return proto.FetchEnable{Patterns: []*proto.FetchRequestPattern{{URLPattern: "*", ResourceType: proto.NetworkResourceTypeDocument}}}, true
	}
	return proto.FetchEnable{}, false
}

func touchPoints(vp crawler.Viewport) *int {
	if !vp.Mobile {
		return nil
	}
	n := 5
	return &n
}

// userAgent is the UA override of a viewport: opts.UserAgent, else the
// browser's own UA without "Headless" (desktop) or an Android Chrome UA of
// the same version (mobile), plus " " + UAProduct. Client hints and the
// Accept-Language header (opts.Locale) follow.
func (r *Renderer) userAgent(vp crawler.Viewport) proto.EmulationSetUserAgentOverride {
	ua := r.opts.UserAgent
	if ua == "" {
		ua = r.ua
		if vp.Mobile {
			ua = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + r.major + ".0.0.0 Mobile Safari/537.36"
		}
		if r.opts.UAProduct != "" {
			ua += " " + r.opts.UAProduct
		}
	}
	full := strings.TrimPrefix(r.version, "Chromium ")
	brands := []*proto.EmulationUserAgentBrandVersion{{Brand: "Chromium", Version: r.major}, {Brand: "Not/A)Brand", Version: "24"}}
	fulls := []*proto.EmulationUserAgentBrandVersion{{Brand: "Chromium", Version: full}, {Brand: "Not/A)Brand", Version: "24.0.0.0"}}
	meta := &proto.EmulationUserAgentMetadata{Brands: brands, FullVersionList: fulls, FullVersion: full,
		Platform: "Linux", Architecture: "x86", Bitness: "64"}
	o := proto.EmulationSetUserAgentOverride{UserAgent: ua, AcceptLanguage: acceptLanguage(r.opts.Locale), UserAgentMetadata: meta}
	if vp.Mobile {
		meta.Platform, meta.PlatformVersion, meta.Model, meta.Mobile = "Android", "10.0.0", "K", true
		meta.Architecture, meta.Bitness = "", ""
		o.Platform = "Linux armv81"
	}
	return o
}

// acceptLanguage turns "zh-CN" into "zh-CN,zh" (Chrome adds the q-values).
func acceptLanguage(locale string) string {
	if locale == "" {
		return ""
	}
	if base, _, ok := strings.Cut(locale, "-"); ok {
		return locale + "," + base
	}
	return locale
}

// cookieParams turns the configured cookies into CDP cookies; an empty
// domain means the host of the visited URL.
func cookieParams(cs []crawler.Cookie, pageURL string) []*proto.NetworkCookieParam {
	out := make([]*proto.NetworkCookieParam, 0, len(cs))
	for _, c := range cs {
		p := &proto.NetworkCookieParam{Name: c.Name, Value: c.Value, Path: c.Path}
		if p.Path == "" {
			p.Path = "/"
		}
		if c.Domain == "" {
			u, err := url.Parse(pageURL)
			if err != nil {
				continue
			}
			p.URL = u.Scheme + "://" + u.Host + p.Path
		} else {
			p.Domain = c.Domain
		}
		out = append(out, p)
	}
	return out
}

// blockPatterns allow the sweep's hosts and block every other http(s) URL
// (URLPattern syntax, first match wins).
func blockPatterns(hosts map[string]bool) []blockPattern {
	var ps []blockPattern
	for h := range hosts {
		if strings.Contains(h, ":") && !strings.HasSuffix(h, "]") {
			ps = append(ps, blockPattern{URLPattern: "*://" + h + "/*", Block: false})
		} else {
			ps = append(ps, blockPattern{URLPattern: "*://" + h + ":*/*", Block: false})
		}
	}
	return append(ps, blockPattern{URLPattern: "*://*:*/*", Block: true})
}

// setBlockedURLs is Network.setBlockedURLs with its newer urlPatterns
// parameter (allow and block entries), which rod's proto does not have yet.
type setBlockedURLs struct {
	URLPatterns []blockPattern `json:"urlPatterns"`
}

type blockPattern struct {
	URLPattern string `json:"urlPattern"`
	Block      bool   `json:"block"`
}

func (setBlockedURLs) ProtoReq() string { return "Network.setBlockedURLs" }

// setExtraHeaders is Network.setExtraHTTPHeaders with plain string values.
type setExtraHeaders struct {
	Headers map[string]string `json:"headers"`
}

func (setExtraHeaders) ProtoReq() string { return "Network.setExtraHTTPHeaders" }
