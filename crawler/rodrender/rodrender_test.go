package rodrender

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/storecheck/storecheck/crawler"
)

// site serves inline pages: path → HTML, plus /img.png (400×300) and
// /lazy.png (100×100). Unknown paths answer 404.
type site struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
	seen map[string]http.Header // request headers by path
}

var (
	imgPNG  = pngBytes(400, 300)
	lazyPNG = pngBytes(100, 100)
)

func newSite(t *testing.T, pages map[string]string) *site {
	s := &site{hits: map[string]int{}, seen: map[string]http.Header{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.seen[r.URL.Path] = r.Header.Clone()
		s.mu.Unlock()
		switch {
		case r.URL.Path == "/img.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(imgPNG)
		case r.URL.Path == "/lazy.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(lazyPNG)
		case pages[r.URL.Path] != "":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, pages[r.URL.Path])
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *site) hit(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func (s *site) header(path string) http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[path]
}

func render(t *testing.T, r *Renderer, url string, vp crawler.Viewport) *crawler.Page {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	p, err := r.Render(ctx, crawler.RenderRequest{URL: url, Viewport: vp, AllowedHosts: []string{crawler.Host(url)}})
	if err != nil {
		t.Fatalf("Render(%s): %v", url, err)
	}
	return p
}

// facts is what the probe page reports about its own environment.
type facts struct {
	UA, Lang, Zone, Vis string
	Locale              string // Intl's default locale
	Width, Touch        int
	DPR                 float64
	Mobile              bool
}

const probePage = `<!doctype html><html><head><title>probe</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<h1 id="name">商品 Product</h1><p>Some text for the page.</p>
<img id="pic" src="/img.png" width="400" height="300" alt="pic">
<script>
document.title = JSON.stringify({ua: navigator.userAgent, lang: navigator.language,
  zone: Intl.DateTimeFormat().resolvedOptions().timeZone, vis: document.visibilityState,
  locale: Intl.DateTimeFormat().resolvedOptions().locale,
  width: innerWidth, touch: navigator.maxTouchPoints, dpr: devicePixelRatio,
  mobile: !!(navigator.userAgentData && navigator.userAgentData.mobile)});
</script></body></html>`

func TestRenderViewports(t *testing.T) {
	t.Parallel()
	s := newSite(t, map[string]string{"/": probePage})
	for _, vp := range []crawler.Viewport{crawler.Desktop, crawler.Mobile} {
		t.Run(vp.Name, func(t *testing.T) {
			p := render(t, shared, s.URL+"/", vp)
			if p.Status != 200 || p.Error != "" || p.TimedOut {
				t.Fatalf("status %d error %q timedOut %v", p.Status, p.Error, p.TimedOut)
			}
			m := p.Metrics
			for name, v := range map[string]*float64{"ttfb": m.TTFBms, "fcp": m.FCPms, "lcp": m.LCPms, "dcl": m.DOMContentLoadedms, "load": m.Loadms} {
				if v == nil || *v <= 0 {
					t.Errorf("%s = %v, want > 0", name, v)
				}
			}
			if m.CLS == nil || m.TBTms == nil {
				t.Errorf("cls %v tbt %v, want measured", m.CLS, m.TBTms)
			}
			if m.Requests < 2 || m.TransferBytes < int64(len(imgPNG)) {
				t.Errorf("requests %d transfer %d", m.Requests, m.TransferBytes)
			}
			var f facts
			if err := json.Unmarshal([]byte(p.Title), &f); err != nil {
				t.Fatalf("title %q: %v", p.Title, err)
			}
			if strings.Contains(f.UA, "Headless") || !strings.HasSuffix(f.UA, " storecheck/test") {
				t.Errorf("UA %q", f.UA)
			}
			if ua := s.header("/").Get("User-Agent"); ua != f.UA {
				t.Errorf("UA header %q, navigator %q", ua, f.UA)
			}
			if al := s.header("/").Get("Accept-Language"); !strings.HasPrefix(al, "zh-CN") {
				t.Errorf("Accept-Language %q", al)
			}
			if f.Lang != "zh-CN" || f.Locale != "zh-CN" || f.Zone != "Asia/Shanghai" || f.Vis != "visible" {
				t.Errorf("language %q locale %q zone %q visibility %q", f.Lang, f.Locale, f.Zone, f.Vis)
			}
			if f.Width != vp.Width || f.DPR != vp.DPR || f.Mobile != vp.Mobile || (f.Touch > 0) != vp.Mobile {
				t.Errorf("page sees width %d dpr %v mobile %v touch %d, want %+v", f.Width, f.DPR, f.Mobile, f.Touch, vp)
			}
			if vp.Mobile && !strings.Contains(f.UA, "Android") {
				t.Errorf("mobile UA %q", f.UA)
			}
			if !bytes.HasPrefix(p.Screenshot, []byte{0xFF, 0xD8}) {
				t.Errorf("screenshot is not a JPEG (%d bytes)", len(p.Screenshot))
			}
			if len(p.Headings) != 1 || p.Headings[0] != "商品 Product" {
				t.Errorf("headings %q", p.Headings)
			}
			if len(p.Images) != 1 {
				t.Fatalf("images %+v", p.Images)
			}
			im := p.Images[0]
			if im.Selector != "#pic" || !im.Visible || !im.Complete || !im.HasAlt || im.Alt != "pic" {
				t.Errorf("image %+v", im)
			}
			if im.NaturalWidth != 400 || im.NaturalHeight != 300 || im.Box.W != 400 || im.Box.H != 300 {
				t.Errorf("image size natural %dx%d box %+v", im.NaturalWidth, im.NaturalHeight, im.Box)
			}
			if im.Status != 200 || im.MIME != "image/png" || !bytes.Equal(im.Bytes, imgPNG) {
				t.Errorf("image status %d mime %q, %d bytes (served %d)", im.Status, im.MIME, len(im.Bytes), len(imgPNG))
			}
			if !hasText(p, "#name", "商品 Product") {
				t.Errorf("text boxes %+v", p.TextBoxes)
			}
			if !strings.Contains(p.HTML, `<h1 id="name" data-sc-fs="32">`) || strings.Contains(p.HTML, "elementtiming") {
				t.Errorf("html %q", p.HTML)
			}
		})
	}
}

func fmtp(f *float64) string {
	if f == nil {
		return "nil"
	}
	return fmt.Sprint(*f)
}

func hasText(p *crawler.Page, selector, text string) bool {
	for _, tb := range p.TextBoxes {
		if tb.Selector == selector && tb.Text == text && tb.Visible && tb.FontSizePx > 0 && tb.Box.W > 0 {
			return true
		}
	}
	return false
}

// TestConcurrentPaint: pages rendered side by side all paint. A background
// tab would be hidden and report no FCP/LCP.
func TestConcurrentPaint(t *testing.T) {
	t.Parallel()
	s := newSite(t, map[string]string{"/": probePage})
	var wg sync.WaitGroup
	pages := make([]*crawler.Page, 4)
	for i := range pages {
		wg.Go(func() {
			pages[i] = render(t, shared, fmt.Sprintf("%s/?n=%d", s.URL, i), crawler.Desktop)
		})
	}
	wg.Wait()
	for i, p := range pages {
		if p == nil {
			continue
		}
		if p.Metrics.FCPms == nil || p.Metrics.LCPms == nil {
			t.Errorf("page %d: fcp %v lcp %v", i, p.Metrics.FCPms, p.Metrics.LCPms)
		}
		if !strings.Contains(p.Title, `"vis":"visible"`) {
			t.Errorf("page %d: %s", i, p.Title)
		}
	}
}

func TestLayoutShiftAndLongTasks(t *testing.T) {
	t.Parallel()
	s := newSite(t, map[string]string{
		"/shift": `<!doctype html><title>shift</title><div id="ad"></div>
<p style="font-size:40px">Headline text that gets pushed down</p><p>More text</p>
<script>setTimeout(() => { document.getElementById('ad').style.height = '400px'; }, 300);</script>`,
		"/busy": `<!doctype html><title>busy</title><h1>Busy page</h1>
<script>new PerformanceObserver(() => setTimeout(() => { const t = performance.now(); while (performance.now() - t < 300) {} }, 50))
  .observe({type: 'paint', buffered: true});</script>`,
	})
	r := derive(func(o *crawler.RenderOptions) { o.Settle = 900 * time.Millisecond })
	p := render(t, r, s.URL+"/shift", crawler.Desktop)
	if p.Metrics.CLS == nil || *p.Metrics.CLS < 0.05 {
		t.Errorf("shift page: CLS %v, want ≥ 0.05", fmtp(p.Metrics.CLS))
	}
	p = render(t, r, s.URL+"/busy", crawler.Desktop)
	if p.Metrics.TBTms == nil || *p.Metrics.TBTms < 200 {
		t.Errorf("busy page: TBT %v, want ≥ 200 (a 300 ms task after FCP)", fmtp(p.Metrics.TBTms))
	}
	if p.Metrics.CLS == nil || *p.Metrics.CLS != 0 {
		t.Errorf("busy page: CLS %v, want 0", fmtp(p.Metrics.CLS))
	}
}

func TestConsoleAndBrokenResources(t *testing.T) {
	t.Parallel()
	s := newSite(t, map[string]string{"/": `<!doctype html><title>errors</title><p>x</p>
<script src="/missing.js"></script>
<script>console.error('bad thing', 42);</script>
<script>throw new TypeError('kaput');</script>`})
	p := render(t, shared, s.URL+"/", crawler.Desktop)
	var gotErr, gotExc bool
	for _, c := range p.Console {
		switch {
		case c.Kind == "console.error" && c.Text == "bad thing 42" && c.Source == s.URL+"/" && c.Line == 3:
			gotErr = true
		case c.Kind == "exception" && c.Text == "TypeError: kaput" && c.Source == s.URL+"/" && c.Line == 4:
			gotExc = true
		}
	}
	if !gotErr || !gotExc {
		t.Errorf("console %+v", p.Console)
	}
	var missing *crawler.Request
	for i, q := range p.Requests {
		if q.URL == s.URL+"/missing.js" {
			missing = &p.Requests[i]
		}
	}
	if missing == nil || missing.Status != 404 || missing.Type != "Script" || missing.Method != "GET" {
		t.Errorf("missing.js request %+v in %+v", missing, p.Requests)
	}
}

func TestLazyImageLoadsOnScroll(t *testing.T) {
	t.Parallel()
	s := newSite(t, map[string]string{"/": `<!doctype html><title>lazy</title><h1>Top</h1>
<div style="height:6000px"></div>
<img id="lazy" loading="lazy" src="/lazy.png" width="100" height="100" alt="">
<div id="bg" style="width:50px;height:50px;background:url('/img.png') no-repeat;background-size:cover"></div>`})
	p := render(t, shared, s.URL+"/", crawler.Mobile)
	if s.hit("/lazy.png") == 0 {
		t.Fatal("lazy image never requested")
	}
	var lazy, bg *crawler.Image
	for i, im := range p.Images {
		switch {
		case im.Selector == "#lazy":
			lazy = &p.Images[i]
		case im.Background && im.Selector == "#bg":
			bg = &p.Images[i]
		}
	}
	if lazy == nil || !lazy.Complete || lazy.NaturalWidth != 100 || !bytes.Equal(lazy.Bytes, lazyPNG) || !lazy.HasAlt {
		t.Errorf("lazy image %+v", lazy)
	}
	if lazy != nil && lazy.Box.Y < 6000 {
		t.Errorf("lazy image box %+v: want full-page coordinates", lazy.Box)
	}
	if bg == nil || bg.Src != s.URL+"/img.png" || bg.BackgroundSize != "cover" || !bytes.Equal(bg.Bytes, imgPNG) {
		t.Errorf("background image %+v", bg)
	}
	if p.DocHeight < 6000 {
		t.Errorf("doc height %d", p.DocHeight)
	}
}

func TestClockPinned(t *testing.T) {
	t.Parallel()
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	s := newSite(t, map[string]string{"/": `<!doctype html><title>clock</title><p>x</p><script>
class D2 extends Date {}
document.title = JSON.stringify({iso: new Date().toISOString(), now: Date.now(), str: Date(),
  fixed: new Date(0).toISOString(), sub: new D2() instanceof D2 && new D2() instanceof Date,
  perf: performance.now(), ctor: new Date().constructor === Date});
</script>`})
	r := derive(func(o *crawler.RenderOptions) { o.Now = now })
	p := render(t, r, s.URL+"/", crawler.Desktop)
	var got struct {
		ISO, Str, Fixed string
		Now, Perf       float64
		Sub, Ctor       bool
	}
	if err := json.Unmarshal([]byte(p.Title), &got); err != nil {
		t.Fatalf("title %q: %v", p.Title, err)
	}
	at, err := time.Parse(time.RFC3339, got.ISO)
	if err != nil || at.Before(now) || at.Sub(now) > 10*time.Second {
		t.Errorf("new Date() = %s, want just after %s", got.ISO, now)
	}
	if d := got.Now - float64(now.UnixMilli()); d < 0 || d > 10000 {
		t.Errorf("Date.now() = %v", got.Now)
	}
	if !strings.Contains(got.Str, "2030") || got.Fixed != "1970-01-01T00:00:00.000Z" || !got.Sub || !got.Ctor {
		t.Errorf("clock %+v", got)
	}
	if got.Perf <= 0 || got.Perf > 60000 {
		t.Errorf("performance.now() = %v, want the real page clock", got.Perf)
	}
}

func TestDialogsDismissed(t *testing.T) {
	t.Parallel()
	s := newSite(t, map[string]string{"/": `<!doctype html><title>dialogs</title>
<script>alert('hello'); document.title = 'confirm=' + confirm('ok?');
addEventListener('beforeunload', (e) => { e.preventDefault(); e.returnValue = 'stay'; });</script>
<p id="after">after the dialogs</p>`})
	// A dialog left open would hold the page until the page timeout: not
	// timed out, with the text after the dialogs, means they were answered.
	p := render(t, shared, s.URL+"/", crawler.Desktop)
	if p.Status != 200 || p.TimedOut || p.Title != "confirm=false" || !hasText(p, "#after", "after the dialogs") {
		t.Errorf("status %d timedOut %v title %q", p.Status, p.TimedOut, p.Title)
	}
}

func TestTimeout(t *testing.T) {
	t.Parallel()
	// The handlers hang until the browser gives up on them, or for ten
	// minutes: a render that waited for them instead of its page timeout
	// would run into the suite's -timeout, not pass late.
	hang := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Minute):
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/slow", hang)
	mux.HandleFunc("/hang.png", hang)
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>loop</title><h1>Hostile</h1><script>while (true) {}</script>`)
	})
	mux.HandleFunc("/partial", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>partly</title><h1>Loaded part</h1><img src="/hang.png">`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	r := derive(func(o *crawler.RenderOptions) { o.PageTimeout = 1500 * time.Millisecond })
	for _, tc := range []struct {
		path   string
		status int
		title  string
	}{
		{"/slow", 0, ""},
		{"/partial", 200, "partly"},
		{"/loop", 200, ""}, // the page's main thread never yields: nothing to capture
	} {
		p := render(t, r, srv.URL+tc.path, crawler.Desktop)
		if !p.TimedOut || p.Error != "timeout" || p.Status != tc.status || p.Title != tc.title {
			t.Errorf("%s: timedOut %v error %q status %d title %q", tc.path, p.TimedOut, p.Error, p.Status, p.Title)
		}
	}
}

func TestRedirects(t *testing.T) {
	t.Parallel()
	other := newSite(t, map[string]string{"/landing": `<!doctype html><title>landing</title><p>elsewhere</p>`})
	home := newSite(t, map[string]string{"/final": `<!doctype html><title>final</title><p>here</p>`})
	mux := http.NewServeMux()
	mux.Handle("/", home.Config.Handler)
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/landing", http.StatusFound)
	})
	mux.HandleFunc("/here", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/final", http.StatusMovedPermanently)
	})
	home.Config.Handler = mux

	p := render(t, shared, home.URL+"/here", crawler.Desktop)
	if p.Status != 200 || p.FinalURL != home.URL+"/final" || p.Title != "final" || p.Error != "" {
		t.Errorf("same-site redirect: status %d final %q title %q error %q", p.Status, p.FinalURL, p.Title, p.Error)
	}
	if len(p.Requests) == 0 || p.Requests[0].Status != 301 || p.Requests[0].URL != home.URL+"/here" {
		t.Errorf("redirect hop not recorded: %+v", p.Requests)
	}

	p = render(t, shared, home.URL+"/away", crawler.Desktop)
	if p.Status != 0 || p.Error != "redirected off-site" || p.FinalURL != other.URL+"/landing" {
		t.Errorf("off-site redirect: status %d error %q final %q", p.Status, p.Error, p.FinalURL)
	}
	if n := other.hit("/landing"); n != 0 {
		t.Errorf("off-site target was requested %d times", n)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := shared.Render(ctx, crawler.RenderRequest{URL: home.URL + "/away", Viewport: crawler.Desktop,
		AllowedHosts: []string{crawler.Host(home.URL)}, FollowOffsiteRedirect: true})
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != 200 || p.FinalURL != other.URL+"/landing" || p.Title != "landing" || p.Error != "" {
		t.Errorf("followed start-URL redirect: status %d final %q title %q error %q", p.Status, p.FinalURL, p.Title, p.Error)
	}
}

func TestNetworkErrors(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String() + "/"
	l.Close()
	s := newSite(t, map[string]string{})
	mux := http.NewServeMux()
	mux.Handle("/", s.Config.Handler)
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusGone)
		fmt.Fprint(w, `<!doctype html><title>gone</title><p>This product is gone</p>`)
	})
	s.Config.Handler = mux
	for _, tc := range []struct {
		url, err, title string
		status          int
	}{
		{closed, "net::ERR_CONNECTION_REFUSED", "", 0},
		{"http://127.0.0.1:1/", "net::ERR_UNSAFE_PORT", "", 0},
		{s.URL + "/missing", "", "", 404},
		{s.URL + "/gone", "", "gone", 410},
	} {
		p := render(t, shared, tc.url, crawler.Desktop)
		if p.Status != tc.status || p.Error != tc.err || p.Title != tc.title {
			t.Errorf("%s: status %d error %q title %q, want %d %q %q", tc.url, p.Status, p.Error, p.Title, tc.status, tc.err, tc.title)
		}
	}
}

// authServer answers only requests with user:pa:ss basic auth, and records
// the headers of those, and whether any request carried credentials.
type authServer struct {
	*httptest.Server
	seen     sync.Map // path → http.Header
	withAuth atomic.Int32
}

func newAuthServer(t *testing.T, page string) *authServer {
	a := &authServer{}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			a.withAuth.Add(1)
		}
		if u, p, ok := r.BasicAuth(); !ok || u != "user" || p != "pa:ss" {
			w.Header().Set("WWW-Authenticate", `Basic realm="staging"`)
			http.Error(w, "auth", http.StatusUnauthorized)
			return
		}
		a.seen.Store(r.URL.Path, r.Header.Clone())
		if strings.HasSuffix(r.URL.Path, ".png") {
			w.Header().Set("Content-Type", "image/png")
			w.Write(imgPNG)
			return
		}
		fmt.Fprint(w, page)
	}))
	t.Cleanup(a.Close)
	return a
}

func TestRequestOptionsReachServer(t *testing.T) {
	t.Parallel()
	assets := newAuthServer(t, "")  // a sweep host of its own
	foreign := newAuthServer(t, "") // not a sweep host: never sees the credentials
	shop := newAuthServer(t, `<!doctype html><title>private</title><img src="/img.png">
<img src="`+assets.URL+`/a.png"><img src="`+foreign.URL+`/f.png"><script>fetch('/api')</script>`)
	r := derive(func(o *crawler.RenderOptions) {
		o.Headers = map[string]string{"X-Storecheck": "yes"}
		o.Cookies = []crawler.Cookie{{Name: "sess", Value: "abc"}}
		o.BasicAuthUser, o.BasicAuthPass = "user", "pa:ss"
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := r.Render(ctx, crawler.RenderRequest{URL: shop.URL + "/", Viewport: crawler.Desktop,
		AllowedHosts: []string{crawler.Host(shop.URL), crawler.Host(assets.URL)}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != 200 || p.Title != "private" || p.TimedOut {
		t.Fatalf("status %d title %q timed out %v", p.Status, p.Title, p.TimedOut)
	}
	for _, path := range []string{"/", "/img.png", "/api"} {
		v, ok := shop.seen.Load(path)
		if !ok {
			t.Errorf("%s never got through", path)
			continue
		}
		h := v.(http.Header)
		if h.Get("X-Storecheck") != "yes" || !strings.Contains(h.Get("Cookie"), "sess=abc") {
			t.Errorf("%s: headers %v", path, h)
		}
	}
	if _, ok := assets.seen.Load("/a.png"); !ok {
		t.Error("the other sweep host's image did not get through its auth challenge")
	}
	if n := foreign.withAuth.Load(); n != 0 {
		t.Errorf("a host outside the sweep got credentials %d times", n)
	}
	// The options must not stick to the reused page of the next visit.
	plain := newSite(t, map[string]string{"/": `<!doctype html><title>plain</title>`})
	render(t, shared, plain.URL+"/", crawler.Desktop)
	if h := plain.header("/"); h.Get("X-Storecheck") != "" || h.Get("Cookie") != "" || h.Get("Authorization") != "" {
		t.Errorf("next visit carried options: %v", h)
	}
}

func TestBlockExternal(t *testing.T) {
	t.Parallel()
	ext := newSite(t, map[string]string{})
	s := newSite(t, map[string]string{"/": `<!doctype html><title>ext</title><img src="/img.png">
<img src="` + ext.URL + `/img.png"><script src="` + ext.URL + `/x.js"></script>`})
	r := derive(func(o *crawler.RenderOptions) { o.BlockExternal = true })
	p := render(t, r, s.URL+"/", crawler.Desktop)
	if ext.hit("/img.png")+ext.hit("/x.js") != 0 {
		t.Errorf("external host was requested")
	}
	if s.hit("/img.png") == 0 {
		t.Errorf("own image was blocked")
	}
	blocked := 0
	for _, q := range p.Requests {
		if strings.HasPrefix(q.URL, ext.URL) {
			if q.Blocked == "" {
				t.Errorf("external request not marked blocked: %+v", q)
			}
			blocked++
		}
	}
	if blocked != 2 {
		t.Errorf("%d blocked requests in %+v", blocked, p.Requests)
	}
}

func TestComposedTreeAndSignals(t *testing.T) {
	t.Parallel()
	s := newSite(t, map[string]string{
		"/": `<!doctype html><title>product</title>
<meta property="og:type" content="product">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"Product","name":"X"}]}</script>
<div id="gallery" class="swiper"><img src="/img.png?a" width="100" height="100"><img src="/img.png?b" width="100" height="100"></div>
<button>加入购物车</button>
<ul><li><a href="/p/1#top"><img src="/img.png?c" width="50" height="50">One</a></li>
<li><div><a href="/p/2">Two</a><span>¥99</span><img src="/img.png?d" width="50" height="50"></div></li>
<li><a href="/about" rel="nofollow">About us</a></li></ul>
<div id="host"></div><iframe src="/frame" width="300" height="100"></iframe>
<script>document.getElementById('host').attachShadow({mode: 'open'}).innerHTML = '<p>shadow words</p><a href="/s">in shadow</a>';</script>`,
		"/frame": `<!doctype html><p>frame words</p><a href="/f">in frame</a><p style="margin-top:300px">below the frame</p>`,
	})
	p := render(t, shared, s.URL+"/", crawler.Desktop)
	sig := p.Signals
	if !sig.BuyControl || !sig.JSONLDProduct || !sig.OGProduct || sig.GalleryImages != 2 {
		t.Errorf("signals %+v", sig)
	}
	wantCards := []string{s.URL + "/p/1", s.URL + "/p/2"}
	if strings.Join(sig.CardLinks, " ") != strings.Join(wantCards, " ") {
		t.Errorf("card links %q, want %q", sig.CardLinks, wantCards)
	}
	links := map[string]crawler.Link{}
	for _, l := range p.Links {
		links[l.URL] = l
	}
	for _, u := range []string{"/p/1", "/p/2", "/about", "/s", "/f"} {
		if _, ok := links[s.URL+u]; !ok {
			t.Errorf("link %s missing from %+v", u, p.Links)
		}
	}
	if l := links[s.URL+"/about"]; l.Rel != "nofollow" || l.Text != "About us" {
		t.Errorf("about link %+v", l)
	}
	if !hasText(p, "#host >>> p:nth-of-type(1)", "shadow words") ||
		!hasText(p, "html > body:nth-of-type(1) > iframe:nth-of-type(1) >>> html > body:nth-of-type(1) > p:nth-of-type(1)", "frame words") {
		t.Errorf("text boxes %+v", p.TextBoxes)
	}
	// The frame is 100 px tall: text 300 px further down is not drawn, so
	// it cannot cover the page's own text.
	for _, tb := range p.TextBoxes {
		if strings.HasSuffix(tb.Selector, "p:nth-of-type(2)") && tb.Text == "below the frame" && (!tb.ClippedAway || len(tb.Rects) != 0) {
			t.Errorf("text below the frame's viewport: clipped away %v, rects %+v", tb.ClippedAway, tb.Rects)
		}
		if tb.Text == "frame words" && (tb.ClippedAway || len(tb.Rects) == 0) {
			t.Errorf("text inside the frame's viewport: clipped away %v, rects %+v", tb.ClippedAway, tb.Rects)
		}
	}
	for _, want := range []string{`<template shadowrootmode="open"><p data-sc-fs="16">shadow words</p>`, `<div data-storecheck-frame="` + s.URL + `/frame"><p data-sc-fs="16">frame words</p>`} {
		if !strings.Contains(p.HTML, want) {
			t.Errorf("html lacks %q", want)
		}
	}
}

// The serialised HTML says which text is shown and which is struck
// through, as computed by the browser, without changing the page's DOM.
func TestTextFacts(t *testing.T) {
	t.Parallel()
	s := newSite(t, map[string]string{
		"/": `<!doctype html><title>facts</title>
<div id="buy"><span id="now" style="font-size:24px">¥<em id="num">99</em></span>
<del id="was"><span id="inner">¥129</span></del>
<span id="css" style="text-decoration: line-through">¥139</span>
<span id="hidden" style="display:none">¥49</span>
<span id="invisible" style="visibility:hidden">¥39</span>
<!-- ¥59 -->
<span id="late"></span>
<span id="spoof" data-sc-struck="">¥109</span></div>
<script>setTimeout(() => { document.getElementById('late').textContent = '¥89'; }, 200);</script>`,
	})
	p := render(t, shared, s.URL+"/", crawler.Desktop)
	for _, want := range []string{
		`<span id="now" style="font-size:24px" data-sc-fs="24">`,
		`<em id="num" data-sc-fs="24">99</em>`,
		`<span id="inner" data-sc-struck="" data-sc-fs="16">¥129</span>`,
		`<span id="css" style="text-decoration: line-through" data-sc-struck="" data-sc-fs="16">`,
		`<span id="hidden" style="display:none" data-sc-hidden="" data-sc-fs="16">¥49</span>`,
		`<span id="invisible" style="visibility:hidden" data-sc-hidden="" data-sc-fs="16">¥39</span>`,
		`<span id="late" data-sc-fs="16">¥89</span>`,
		`<span id="spoof" data-sc-fs="16">¥109</span>`,
		`<!-- ¥59 -->`,
	} {
		if !strings.Contains(p.HTML, want) {
			t.Errorf("html lacks %s", want)
		}
	}
	if t.Failed() {
		t.Logf("html: %s", p.HTML)
	}
}

func TestLimits(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`<!doctype html><title>many</title><img src="/img.png">`)
	for i := range 20 {
		fmt.Fprintf(&b, `<p><a href="/l%d">link %d 价格</a></p>`, i, i)
	}
	s := newSite(t, map[string]string{"/": b.String()})
	r := derive(func(o *crawler.RenderOptions) {
		o.Limits = crawler.Limits{Links: 5, TextBoxes: 3, HTMLBytes: 200, Requests: 1, ImageBytes: 1000}
	})
	p := render(t, r, s.URL+"/", crawler.Desktop)
	if len(p.Links) != 5 || len(p.TextBoxes) != 3 || len(p.HTML) > 200 || !p.HTMLTruncated || len(p.Requests) != 1 {
		t.Errorf("links %d text boxes %d html %d (truncated %v) requests %d", len(p.Links), len(p.TextBoxes), len(p.HTML), p.HTMLTruncated, len(p.Requests))
	}
	for _, name := range []string{"links", "text_boxes", "requests"} {
		if !strings.Contains(strings.Join(p.Truncated, ","), name) {
			t.Errorf("truncated %q lacks %s", p.Truncated, name)
		}
	}
	if p.Metrics.Requests < 2 {
		t.Errorf("metrics count every request: %d", p.Metrics.Requests)
	}
	if len(p.Images) != 1 || p.Images[0].Bytes != nil || !p.Images[0].BytesTruncated || p.Images[0].Status != 200 {
		t.Errorf("image over the byte cap: %+v", p.Images)
	}
}

func TestBare(t *testing.T) {
	t.Parallel()
	s := newSite(t, map[string]string{"/": probePage})
	r := derive(func(o *crawler.RenderOptions) { o.Bare = true })
	p := render(t, r, s.URL+"/", crawler.Desktop)
	if p.Metrics.FCPms == nil || p.Metrics.LCPms == nil || p.Status != 200 {
		t.Errorf("bare: status %d metrics %+v", p.Status, p.Metrics)
	}
	if p.HTML != "" || p.Screenshot != nil || p.Images != nil || p.Title != "" {
		t.Errorf("bare captured more than metrics")
	}
}

func TestFindBrowser(t *testing.T) {
	if _, err := FindBrowser("/nonexistent/chromium"); !errors.Is(err, crawler.ErrNoBrowser) {
		t.Errorf("missing --browser: %v", err)
	}
	t.Setenv("STORECHECK_BROWSER", "/nonexistent/chrome")
	if _, err := FindBrowser(""); !errors.Is(err, crawler.ErrNoBrowser) {
		t.Errorf("missing $STORECHECK_BROWSER: %v", err)
	}
	t.Setenv("STORECHECK_BROWSER", "")
	t.Setenv("PATH", t.TempDir())
	if _, err := FindBrowser(""); !errors.Is(err, crawler.ErrNoBrowser) {
		t.Errorf("empty PATH: %v", err)
	}
}

func TestVersion(t *testing.T) {
	if v := shared.Version(); !strings.HasPrefix(v, "Chromium ") || strings.Count(v, ".") != 3 {
		t.Errorf("Version() = %q", v)
	}
}
