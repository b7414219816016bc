package rodrender

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/storecheck/storecheck/crawler"
)

var (
	red     = color.RGBA{255, 0, 0, 255}
	green   = color.RGBA{0, 255, 0, 255}
	blue    = color.RGBA{0, 0, 255, 255}
	yellow  = color.RGBA{255, 255, 0, 255}
	magenta = color.RGBA{255, 0, 255, 255}
	white   = color.RGBA{255, 255, 255, 255}
)

// encodePNG encodes img or panics (test data only).
func encodePNG(img image.Image) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// solidPNG is a w×h PNG of one colour.
func solidPNG(w, h int, c color.RGBA) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, c)
		}
	}
	return encodePNG(img)
}

// wordmarkPNG is 200×100: a red 100×100 square in the middle of a
// transparent band, so a shot's centre is red and its sides are the page's
// white.
func wordmarkPNG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 200, 100))
	for y := range 100 {
		for x := 50; x < 150; x++ {
			img.SetRGBA(x, y, red)
		}
	}
	return encodePNG(img)
}

// assetSite serves pages (path → HTML) and images (path → PNG); /hang.png
// never answers (until the browser gives up on it).
func assetSite(t *testing.T, pages map[string]string, images map[string][]byte) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b, ok := images[r.URL.Path]; ok {
			w.Header().Set("Content-Type", "image/png")
			w.Write(b)
			return
		}
		if r.URL.Path == "/hang.png" {
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
			return
		}
		if page, ok := pages[r.URL.Path]; ok {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, page)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

var logoImages = map[string][]byte{
	"/logo.png":   wordmarkPNG(),
	"/bg.png":     solidPNG(40, 40, green),
	"/icon.png":   solidPNG(24, 24, yellow),
	"/foot.png":   solidPNG(60, 60, magenta),
	"/banner.png": pngBytes(300, 100),
	"/p1.png":     pngBytes(120, 120),
	"/p2.png":     pngBytes(121, 121),
}

// logoPage places everything absolutely, at whole CSS px, so the expected
// boxes are exact in both viewports.
const logoPage = `<!doctype html><html><head><title>logos</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { margin: 0; }
header { position: relative; height: 120px; }
header > * { position: absolute; top: 30px; }
#site { left: 20px; width: 80px; height: 40px; padding: 5px; border: 2px solid #000; }
#bm { left: 120px; width: 40px; height: 40px; border: 1px solid #000; background: url(/bg.png) no-repeat; background-size: 40px 40px; }
#mark { left: 180px; width: 40px; height: 40px; }
#cart-icon { left: 240px; width: 24px; height: 24px; }
#banner { position: absolute; left: 0; top: 120px; width: 100%; height: 490px; }
.product-gallery { position: absolute; left: 20px; top: 640px; }
.product-gallery img { width: 120px; height: 120px; }
#foot { position: absolute; left: 30px; top: 3500px; width: 60px; height: 60px; }
#spacer { height: 3700px; }
</style></head><body>
<header>
  <img id="site" class="logo" src="/logo.png" alt="Acme">
  <div id="bm" class="brand-mark"></div>
  <svg id="mark" viewBox="0 0 40 40"><rect width="40" height="40" fill="#00f"/><svg x="32" y="32"><rect width="5" height="5"/></svg></svg>
  <img id="cart-icon" src="/icon.png" alt="cart">
</header>
<img id="banner" src="/banner.png" alt="Sale">
<div class="product-gallery"><img id="g1" src="/p1.png" alt="front"><img id="g2" src="/p2.png" alt="back"></div>
<div id="spacer"></div>
<footer><img id="foot" class="footer-logo" src="/foot.png" alt="Acme"></footer>
</body></html>`

// wantLogo is a candidate as expected, and the colours of its shot in the
// middle and at its top-left corner (a few device px in).
type wantLogo struct {
	sel, kind, why, src string
	box                 crawler.Box
	natural             [2]int
	centre, corner      color.RGBA
}

func TestLogoCandidates(t *testing.T) {
	t.Parallel()
	srv := assetSite(t, map[string]string{"/": logoPage}, logoImages)
	want := []wantLogo{
		{"#site", "img", "named", srv.URL + "/logo.png", crawler.Box{X: 27, Y: 37, W: 80, H: 40}, [2]int{200, 100}, red, white},
		{"#bm", "background", "named", srv.URL + "/bg.png", crawler.Box{X: 121, Y: 31, W: 40, H: 40}, [2]int{}, green, green},
		{"#foot", "img", "named", srv.URL + "/foot.png", crawler.Box{X: 30, Y: 3500, W: 60, H: 60}, [2]int{60, 60}, magenta, magenta},
		{"#mark", "svg", "header", "", crawler.Box{X: 180, Y: 30, W: 40, H: 40}, [2]int{}, blue, blue},
		{"#cart-icon", "img", "header", srv.URL + "/icon.png", crawler.Box{X: 240, Y: 30, W: 24, H: 24}, [2]int{24, 24}, yellow, yellow},
	}
	r := derive(func(o *crawler.RenderOptions) { o.LogoCandidates = true })
	for _, vp := range []crawler.Viewport{crawler.Desktop, crawler.Mobile} {
		t.Run(vp.Name, func(t *testing.T) {
			p := render(t, r, srv.URL+"/", vp)
			if p.Status != 200 || p.TimedOut {
				t.Fatalf("status %d timed out %v", p.Status, p.TimedOut)
			}
			if len(p.LogoCandidates) != len(want) {
				t.Fatalf("%d candidates, want %d: %s", len(p.LogoCandidates), len(want), describe(p.LogoCandidates))
			}
			for i, w := range want {
				checkLogo(t, p.LogoCandidates[i], w, vp.DPR)
			}
			if slices.Contains(p.Truncated, "logo_candidates") {
				t.Errorf("truncated %q", p.Truncated)
			}
			checkGallery(t, p, "#banner", "#g1", "#g2")
		})
	}
}

func describe(cs []crawler.LogoCandidate) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "\n  %s %s %s %+v %q", c.Selector, c.Kind, c.Why, c.Box, c.Src)
	}
	return b.String()
}

func checkLogo(t *testing.T, c crawler.LogoCandidate, w wantLogo, dpr float64) {
	t.Helper()
	if c.Selector != w.sel || c.Kind != w.kind || c.Why != w.why || c.Src != w.src || c.Box != w.box ||
		c.NaturalWidth != w.natural[0] || c.NaturalHeight != w.natural[1] {
		t.Errorf("candidate %s %s %s %+v %q natural %dx%d, want %+v", c.Selector, c.Kind, c.Why, c.Box, c.Src, c.NaturalWidth, c.NaturalHeight, w)
		return
	}
	img, err := png.Decode(bytes.NewReader(c.Shot))
	if err != nil {
		t.Errorf("%s: shot (%d bytes) is not a PNG: %v", w.sel, len(c.Shot), err)
		return
	}
	b := img.Bounds()
	if math.Abs(float64(b.Dx())-w.box.W*dpr) > 1 || math.Abs(float64(b.Dy())-w.box.H*dpr) > 1 {
		t.Errorf("%s: shot %dx%d, want %.0fx%.0f (box × DPR %v)", w.sel, b.Dx(), b.Dy(), w.box.W*dpr, w.box.H*dpr, dpr)
	}
	if got := img.At(b.Dx()/2, b.Dy()/2); !near(got, w.centre) {
		t.Errorf("%s: centre pixel %v, want %v", w.sel, got, w.centre)
	}
	if got := img.At(3, 3); !near(got, w.corner) {
		t.Errorf("%s: corner pixel %v, want %v", w.sel, got, w.corner)
	}
}

// near allows for the compositor's colour rounding.
func near(c color.Color, want color.RGBA) bool {
	r, g, b, a := c.RGBA()
	d := func(x uint32, y uint8) bool { return math.Abs(float64(x>>8)-float64(y)) <= 8 }
	return d(r, want.R) && d(g, want.G) && d(b, want.B) && d(a, want.A)
}

// checkGallery asserts that exactly the images selected by gallery are
// flagged, and that no background image is.
func checkGallery(t *testing.T, p *crawler.Page, gallery ...string) {
	t.Helper()
	var got []string
	for _, im := range p.Images {
		if im.Gallery {
			if im.Background {
				t.Errorf("background image %s flagged gallery", im.Selector)
			}
			got = append(got, im.Selector)
		}
	}
	sort.Strings(got)
	if !slices.Equal(got, gallery) {
		t.Errorf("gallery images %q, want %q", got, gallery)
	}
}

func TestLogoCandidatesOffAndCapped(t *testing.T) {
	t.Parallel()
	srv := assetSite(t, map[string]string{"/": logoPage}, logoImages)
	p := render(t, shared, srv.URL+"/", crawler.Desktop)
	if p.LogoCandidates != nil {
		t.Errorf("LogoCandidates off, got %s", describe(p.LogoCandidates))
	}
	checkGallery(t, p, "#banner", "#g1", "#g2")

	r := derive(func(o *crawler.RenderOptions) {
		o.LogoCandidates = true
		o.Limits.LogoCandidates = 2
	})
	p = render(t, r, srv.URL+"/", crawler.Desktop)
	var sels []string
	for _, c := range p.LogoCandidates {
		sels = append(sels, c.Selector)
	}
	// Named candidates come first, whatever their place on the page.
	if !slices.Equal(sels, []string{"#site", "#bm"}) || !slices.Contains(p.Truncated, "logo_candidates") {
		t.Errorf("capped candidates %q, truncated %q", sels, p.Truncated)
	}
}

// TestLogoShotsScrolledPage: the clip is in page coordinates even when the
// page is not at the top. A timed-out page is captured where it stands, and
// this one scrolled itself to y=1000 before its load stalled.
func TestLogoShotsScrolledPage(t *testing.T) {
	t.Parallel()
	srv := assetSite(t, map[string]string{"/": `<!doctype html><title>scrolled</title>
<style>body { margin: 0; } img { position: absolute; width: 60px; height: 60px; }</style>
<img id="top" class="logo" src="/foot.png" style="left: 10px; top: 10px">
<img id="mid" class="logo" src="/bg.png" style="left: 10px; top: 1300px">
<div style="height: 4000px"></div>
<img src="/hang.png">
<script>scrollTo(0, 1000)</script>`}, logoImages)
	r := derive(func(o *crawler.RenderOptions) {
		o.LogoCandidates = true
		o.PageTimeout = 1500 * time.Millisecond
	})
	p := render(t, r, srv.URL+"/", crawler.Desktop)
	if !p.TimedOut {
		t.Fatalf("page did not time out: status %d error %q", p.Status, p.Error)
	}
	want := []wantLogo{
		{"#top", "img", "named", srv.URL + "/foot.png", crawler.Box{X: 10, Y: 10, W: 60, H: 60}, [2]int{60, 60}, magenta, magenta},
		{"#mid", "img", "named", srv.URL + "/bg.png", crawler.Box{X: 10, Y: 1300, W: 60, H: 60}, [2]int{40, 40}, green, green},
	}
	if len(p.LogoCandidates) != len(want) {
		t.Fatalf("%d candidates, want %d: %s", len(p.LogoCandidates), len(want), describe(p.LogoCandidates))
	}
	for i, w := range want {
		checkLogo(t, p.LogoCandidates[i], w, 1)
	}
}

func TestOutwardClip(t *testing.T) {
	for _, tc := range []struct {
		in   crawler.Box
		want [4]float64
	}{
		{crawler.Box{X: 10, Y: 20, W: 30, H: 40}, [4]float64{10, 20, 30, 40}},
		{crawler.Box{X: 10.5, Y: 20.25, W: 30, H: 40.5}, [4]float64{10, 20, 31, 41}},
		{crawler.Box{X: -3.5, Y: 2, W: 10, H: 0.2}, [4]float64{0, 2, 7, 1}},
	} {
		c := outwardClip(tc.in)
		if got := [4]float64{c.X, c.Y, c.Width, c.Height}; got != tc.want || c.Scale != 1 {
			t.Errorf("outwardClip(%+v) = %+v, want %v at scale 1", tc.in, c, tc.want)
		}
	}
}

// TestLogoCostBenchmark measures what LogoCandidates adds to a visit of a
// page with six candidates. It only runs with STORECHECK_BENCH=1:
//
//	STORECHECK_BENCH=1 go test -run LogoCostBenchmark -v ./crawler/rodrender/
func TestLogoCostBenchmark(t *testing.T) {
	if os.Getenv("STORECHECK_BENCH") == "" {
		t.Skip("set STORECHECK_BENCH=1 to run")
	}
	page := strings.Replace(logoPage, `<div id="spacer">`, `<img class="brand" src="/icon.png" style="position:absolute;left:300px;top:900px;width:48px;height:48px"><div id="spacer">`, 1)
	srv := assetSite(t, map[string]string{"/": page}, logoImages)
	on := derive(func(o *crawler.RenderOptions) { o.LogoCandidates = true })
	const rounds = 15
	for _, vp := range []crawler.Viewport{crawler.Desktop, crawler.Mobile} {
		var d [2][]time.Duration
		n := 0
		for i := range 2 * rounds {
			r := shared
			if i%2 == 1 {
				r = on
			}
			t0 := time.Now()
			p := render(t, r, fmt.Sprintf("%s/?%d", srv.URL, i), vp)
			d[i%2] = append(d[i%2], time.Since(t0))
			n = len(p.LogoCandidates)
		}
		off, onMed := median(d[0]), median(d[1])
		t.Logf("%s: %d candidates; median Render off %v, on %v: +%v per page (%d visits each)",
			vp.Name, n, off.Round(time.Millisecond), onMed.Round(time.Millisecond), (onMed - off).Round(time.Millisecond), rounds)
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
