package rodrender

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storecheck/storecheck/crawler"
)

const widePage = `<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1"><title>wide</title>
<style>body{margin:0}</style>
<div id="banner" style="width:1600px;height:100px;background:#c33">Sale</div>
<p>Some text.</p>`

// layoutPage holds one case of each layout fact; data-* attributes carry no
// meaning to the renderer.
const layoutPage = `<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1"><title>layout</title>
<style>
body{margin:0;font:16px/20px sans-serif}
#top{position:sticky;top:0;background:#fff}
#top ul{display:flex;gap:8px;list-style:none;margin:0;padding:0}
.carousel{overflow:hidden;width:100%}
.track{display:flex;width:2000px}
.slide{flex:0 0 400px;height:40px}
#drawer{position:fixed;top:0;right:-300px;width:300px;height:100%;background:#eee}
.hero{position:relative;width:300px;height:150px}
.hero img{width:300px;height:150px;display:block}
.cap{position:absolute;left:10px;bottom:10px;color:#fff}
.title{width:200px;height:20px;overflow:hidden}
.short{width:200px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.name{width:200px;height:20px;overflow:hidden}
#tall{height:TALLpx}
</style>
<header id="top"><nav id="mainnav"><ul>
<li><a href="/c1">Women</a><div class="mega" style="display:none"><ul>MEGA</ul></div></li>
<li><a href="/c2">Men</a></li><li><a href="/c3">Kids</a></li><li><a href="/c4">Home</a></li><li><a href="/c5">Sale</a></li>
</ul></nav></header>
<div class="hero"><img src="/img.png" alt=""><span id="cap" class="cap">New season</span></div>
<p id="para">Price <span id="sp">¥99</span></p>
<p id="ghost" style="color:transparent">ghost words</p>
<p id="grad" style="color:transparent;background:linear-gradient(red,blue);-webkit-background-clip:text;background-clip:text">gradient words</p>
<div id="t1" class="title">Very long product title that wraps onto a second and third line in a one line box</div>
<div id="t2" class="short">Another very long product title cut with an ellipsis at the end of the line</div>
<div id="t3" class="name"><span>Third long product title that wraps onto more lines than its box shows</span></div>
<table id="tbl" style="width:600px"><tr><td>wide table cell</td></tr></table>
<div class="carousel"><div class="track"><div class="slide">1</div><div class="slide">2</div><div class="slide">3</div><div class="slide">4</div><div class="slide">5</div></div></div>
<div id="drawer"><a href="/d1">Drawer one</a> <a href="/d2">Drawer two</a></div>
<div id="tall"></div>
<footer><ul class="category-list"><li><a href="/cat/1">A</a></li><li><a href="/cat/2">B</a></li><li><a href="/cat/3">C</a></li><li><a href="/cat/4">D</a></li></ul></footer>`

func layoutHTML(tall int) string {
	var mega strings.Builder
	for i := range 20 {
		fmt.Fprintf(&mega, `<li><a href="/m%d">Item %d</a></li>`, i, i)
	}
	return strings.NewReplacer("TALL", fmt.Sprint(tall), "MEGA", mega.String()).Replace(layoutPage)
}

func overflowSelectors(l crawler.Layout) []string {
	var s []string
	for _, o := range l.Overflowing {
		s = append(s, o.Selector)
	}
	return s
}

func TestLayoutOverflow(t *testing.T) {
	t.Parallel()
	s := newSite(t, map[string]string{"/wide": widePage, "/layout": layoutHTML(200)})
	for _, vp := range []crawler.Viewport{crawler.Desktop, crawler.Mobile} {
		t.Run(vp.Name, func(t *testing.T) {
			p := render(t, shared, s.URL+"/wide", vp)
			l := p.Layout
			if l.ViewportWidth != vp.Width || l.ViewportHeight != vp.Height {
				t.Errorf("viewport %d×%d, want %d×%d", l.ViewportWidth, l.ViewportHeight, vp.Width, vp.Height)
			}
			if l.ScrollWidth < 1600 || len(l.Overflowing) == 0 || l.Overflowing[0].Selector != "#banner" {
				t.Errorf("wide page: scroll width %d, overflowing %q", l.ScrollWidth, overflowSelectors(l))
			} else if b := l.Overflowing[0].Box; b.W != 1600 || b.X != 0 {
				t.Errorf("banner box %+v", b)
			}

			p = render(t, shared, s.URL+"/layout", vp)
			l = p.Layout
			got := overflowSelectors(l)
			switch {
			case vp.Mobile && (len(got) == 0 || got[0] != "#tbl"):
				t.Errorf("mobile: overflowing %q, want #tbl first", got)
			case !vp.Mobile && len(got) > 0:
				t.Errorf("desktop: overflowing %q, want none", got)
			}
			for _, sel := range got {
				if strings.Contains(sel, "drawer") || strings.Contains(sel, "div:nth-of-type(4)") {
					t.Errorf("overflowing lists %s (drawer or carousel)", sel)
				}
			}
			if len(got) > 10 {
				t.Errorf("%d overflowing, want at most 10", len(got))
			}
		})
	}
}

func textBox(p *crawler.Page, selector string) (int, *crawler.TextBox) {
	for i := range p.TextBoxes {
		if p.TextBoxes[i].Selector == selector {
			return i, &p.TextBoxes[i]
		}
	}
	return -1, nil
}

func TestLayoutTextNavsClipped(t *testing.T) {
	t.Parallel()
	s := newSite(t, map[string]string{"/": layoutHTML(200)})
	p := render(t, shared, s.URL+"/", crawler.Desktop)

	type facts struct{ transparent, layered, fixed bool }
	for sel, want := range map[string]facts{
		"#cap":   {layered: true},
		"#para":  {},
		"#ghost": {transparent: true},
		"#grad":  {},
		"#t1":    {},
		"#mainnav > ul:nth-of-type(1) > li:nth-of-type(2) > a:nth-of-type(1)": {fixed: true},
	} {
		_, tb := textBox(p, sel)
		if tb == nil {
			t.Errorf("no text box %s", sel)
			continue
		}
		if got := (facts{tb.Transparent, tb.Layered, tb.Fixed}); got != want {
			t.Errorf("%s: %+v, want %+v", sel, got, want)
		}
	}
	pi, _ := textBox(p, "#para")
	_, sp := textBox(p, "#sp")
	_, mega := textBox(p, "#mainnav > ul:nth-of-type(1) > li:nth-of-type(1) > div:nth-of-type(1) > ul:nth-of-type(1) > li:nth-of-type(1) > a:nth-of-type(1)")
	switch {
	case pi < 0 || sp == nil || mega == nil:
		t.Errorf("text boxes missing: para %d span %v mega %v", pi, sp, mega)
	case sp.Parent != pi+1:
		t.Errorf("span parent %d, want %d", sp.Parent, pi+1)
	case mega.Visible || mega.Parent != 0:
		// A hidden box comes after the visible ones; its ancestors have no
		// own text.
		t.Errorf("hidden mega link %+v", mega)
	}
	for i, tb := range p.TextBoxes {
		if tb.Parent > len(p.TextBoxes) || tb.Parent == i+1 {
			t.Errorf("text box %d parent %d out of range", i, tb.Parent)
		}
	}

	navs := map[string]crawler.Nav{}
	for _, n := range p.Layout.Navs {
		navs[n.Selector] = n
	}
	if n, ok := navs["#mainnav"]; !ok || n.Kind != "nav" || len(n.Links) != 25 || n.TopItems != 5 || !n.Visible || n.Box.W == 0 {
		t.Errorf("main nav %+v", n)
	} else if n.Links[0] != s.URL+"/c1" {
		t.Errorf("main nav links %q", n.Links)
	}
	if n, ok := navs["html > body:nth-of-type(1) > footer:nth-of-type(1) > ul:nth-of-type(1)"]; !ok || n.Kind != "named-list" || len(n.Links) != 4 || n.TopItems != 4 {
		t.Errorf("footer list %+v", n)
	}
	if len(navs) != 2 {
		t.Errorf("navs %+v, want the main nav and the footer list", p.Layout.Navs)
	}

	clipped := map[string]crawler.ClippedText{}
	for _, c := range p.Layout.Clipped {
		clipped[c.Selector] = c
	}
	if c, ok := clipped["#t1"]; !ok || c.Ellipsis || c.ScrollH <= c.ClientH || c.ClientH != 20 || !strings.HasPrefix(c.Text, "Very long") || c.Hint != "title t1" {
		t.Errorf("t1 %+v", c)
	}
	if c, ok := clipped["#t2"]; !ok || !c.Ellipsis || c.ScrollW <= c.ClientW {
		t.Errorf("t2 %+v", c)
	}
	if c, ok := clipped["#t3"]; !ok || c.Ellipsis || !strings.HasPrefix(c.Text, "Third") {
		t.Errorf("t3 (clipped by the parent) %+v", c)
	}
	if len(clipped) != 3 {
		t.Errorf("clipped %+v, want t1 t2 t3", p.Layout.Clipped)
	}
}

// concealPage hides text on purpose in each of the usual ways, beside a
// title really cut off by its box, and has a menu whose links lead nowhere.
const concealPage = `<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1"><title>conceal</title>
<style>
body{margin:0;font:16px/20px sans-serif}
.ir{width:120px;height:40px;overflow:hidden;background:#c33}
#logo1{text-indent:-9999px}
#logo2{text-indent:100%;white-space:nowrap}
#logo3{height:0;padding-top:40px}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap}
#zero{width:120px;height:20px;overflow:hidden;font-size:0}
#cut{width:120px;height:20px;overflow:hidden}
</style>
<ul id="menu" class="menu"><li><a href="#">首页</a></li><li><a href="javascript:void(0)">女装</a></li>
<li><a href=" javascript:; ">男装</a></li><li><a href="">童装</a></li><li><a href="#faq">问答</a></li><li><a href="/sale">特卖</a></li></ul>
<h1 id="logo1" class="ir title">山野茶铺官方旗舰店欢迎您</h1>
<h2 id="logo2" class="ir title">山野茶铺官方旗舰店欢迎您</h2>
<h3 id="logo3" class="ir title">山野茶铺官方旗舰店欢迎您</h3>
<span id="sr" class="sr-only price">现价 ¥1,299.00 元，原价 ¥1,599.00 元</span>
<div id="zero" class="title">山野茶铺官方旗舰店欢迎您光临本店选购</div>
<div id="cut" class="title">山野红茶金骏眉罐装特级礼盒两百五十克</div>`

func TestLayoutConcealedTextDeadNav(t *testing.T) {
	t.Parallel()
	s := newSite(t, map[string]string{"/": concealPage})
	p := render(t, shared, s.URL+"/", crawler.Desktop)

	got := map[string]string{}
	for _, c := range p.Layout.Clipped {
		got[c.Selector] = c.Concealed
	}
	for sel, want := range map[string]string{"#logo1": "outside-box", "#logo2": "outside-box", "#logo3": "outside-box",
		"#sr": "clip", "#zero": "zero-font", "#cut": ""} {
		if c, ok := got[sel]; !ok && sel != "#logo1" && sel != "#zero" {
			// text-indent: -9999px and font-size 0 need not overflow
			// at all; the others must be measured as cut.
			t.Errorf("%s not measured as clipped (%+v)", sel, p.Layout.Clipped)
		} else if ok && c != want {
			t.Errorf("%s concealed %q, want %q", sel, c, want)
		}
	}

	var menu *crawler.Nav
	for i, n := range p.Layout.Navs {
		if n.Selector == "#menu" {
			menu = &p.Layout.Navs[i]
		}
	}
	switch {
	case menu == nil:
		t.Fatalf("no #menu in %+v", p.Layout.Navs)
	case menu.Dead != 4 || strings.Join(menu.DeadHrefs, " ") != "# javascript:void(0) javascript:; ":
		t.Errorf("dead %d %q, want 4 [# javascript:void(0) javascript:; \"\"]", menu.Dead, menu.DeadHrefs)
	case len(menu.Links) != 2 || menu.Links[0] != s.URL+"/" || menu.Links[1] != s.URL+"/sale":
		t.Errorf("links %q, want the page itself (#faq) and /sale", menu.Links)
	}
}

func TestLayoutSelected(t *testing.T) {
	t.Parallel()
	s := newSite(t, map[string]string{"/": widePage})
	r := derive(func(o *crawler.RenderOptions) { o.Selectors = []string{"#banner", "#nope", "###", "p"} })
	p := render(t, r, s.URL+"/", crawler.Desktop)
	sel := p.Layout.Selected
	if b := sel["#banner"]; len(b) != 1 || b[0] != (crawler.Box{X: 0, Y: 0, W: 1600, H: 100}) {
		t.Errorf("#banner %+v", b)
	}
	if _, ok := sel["#nope"]; ok {
		t.Errorf("#nope present")
	}
	if _, ok := sel["###"]; ok {
		t.Errorf("### present")
	}
	if len(sel["p"]) != 1 || len(sel) != 2 {
		t.Errorf("selected %+v", sel)
	}
	if p = render(t, shared, s.URL+"/", crawler.Desktop); p.Layout.Selected != nil {
		t.Errorf("no selectors asked: %+v", p.Layout.Selected)
	}
}

func TestFullScreenshot(t *testing.T) {
	t.Parallel()
	s := newSite(t, map[string]string{"/": layoutHTML(1500), "/tall": layoutHTML(9000)})
	r := derive(func(o *crawler.RenderOptions) { o.FullScreenshot = true })
	for _, tc := range []struct {
		path string
		vp   crawler.Viewport
	}{{"/", crawler.Mobile}, {"/", crawler.Desktop}, {"/tall", crawler.Desktop}} {
		p := render(t, r, s.URL+tc.path, tc.vp)
		wantH := min(p.DocHeight, crawler.MaxFullScreenshotHeight)
		if p.FullScreenshotHeight != wantH || wantH < 1500 {
			t.Errorf("%s %s: height %d, doc height %d", tc.path, tc.vp.Name, p.FullScreenshotHeight, p.DocHeight)
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(p.FullScreenshot))
		if err != nil {
			t.Errorf("%s %s: decode: %v", tc.path, tc.vp.Name, err)
			continue
		}
		w, h := float64(p.Layout.ViewportWidth)*tc.vp.DPR*fullShotScale, float64(wantH)*tc.vp.DPR*fullShotScale
		if math.Abs(float64(cfg.Width)-w) > 2 || math.Abs(float64(cfg.Height)-h) > 2 {
			t.Errorf("%s %s: %d×%d px, want %.0f×%.0f", tc.path, tc.vp.Name, cfg.Width, cfg.Height, w, h)
		}
		// The first screen, at its own scale.
		if cfg, err = jpeg.DecodeConfig(bytes.NewReader(p.Screenshot)); err != nil {
			t.Errorf("%s %s: first screen: %v", tc.path, tc.vp.Name, err)
			continue
		}
		w, h = float64(tc.vp.Width)*tc.vp.DPR*shotScale, float64(tc.vp.Height)*tc.vp.DPR*shotScale
		if math.Abs(float64(cfg.Width)-w) > 2 || math.Abs(float64(cfg.Height)-h) > 2 {
			t.Errorf("%s %s: first screen %d×%d px, want %.0f×%.0f", tc.path, tc.vp.Name, cfg.Width, cfg.Height, w, h)
		}
	}
	if p := render(t, shared, s.URL+"/", crawler.Desktop); p.FullScreenshot != nil || p.FullScreenshotHeight != 0 {
		t.Errorf("option off: %d bytes, height %d", len(p.FullScreenshot), p.FullScreenshotHeight)
	}
}

// TestWantFullScreenshot holds the full-page screenshot to the request's
// question: asked once, with everything else of the visit captured, and
// taken only on yes; a metrics-only visit is never asked.
func TestWantFullScreenshot(t *testing.T) {
	t.Parallel()
	page := strings.Replace(layoutHTML(3000), "</body>", `<img src="/img.png" width="400" height="300"></body>`, 1)
	s := newSite(t, map[string]string{"/": page})
	r := derive(func(o *crawler.RenderOptions) { o.FullScreenshot = true })
	for _, want := range []bool{false, true} {
		asked := 0
		var seen crawler.Page
		req := crawler.RenderRequest{URL: s.URL + "/", Viewport: crawler.Desktop, AllowedHosts: []string{crawler.Host(s.URL)},
			WantFullScreenshot: func(p *crawler.Page) bool {
				asked++
				seen = *p
				return want
			}}
		p, err := r.Render(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		if asked != 1 {
			t.Errorf("want %v: asked %d times", want, asked)
		}
		if seen.Status != 200 || seen.HTML == "" || len(seen.Screenshot) == 0 || seen.DocHeight < 3000 || seen.FullScreenshot != nil {
			t.Errorf("want %v: the question saw status %d, %d HTML bytes, %d screenshot bytes, doc height %d, %d full-page bytes",
				want, seen.Status, len(seen.HTML), len(seen.Screenshot), seen.DocHeight, len(seen.FullScreenshot))
		}
		var img *crawler.Image
		for i := range seen.Images {
			if strings.HasSuffix(seen.Images[i].Src, "/img.png") {
				img = &seen.Images[i]
			}
		}
		if img == nil || !bytes.Equal(img.Bytes, imgPNG) {
			t.Errorf("want %v: the question did not see the picture's bytes", want)
		}
		if got := len(p.FullScreenshot) > 0 && p.FullScreenshotHeight > 0; got != want {
			t.Errorf("want %v: full-page screenshot %d bytes, height %d", want, len(p.FullScreenshot), p.FullScreenshotHeight)
		}
	}
	req := crawler.RenderRequest{URL: s.URL + "/", Viewport: crawler.Desktop, AllowedHosts: []string{crawler.Host(s.URL)}, MetricsOnly: true,
		WantFullScreenshot: func(*crawler.Page) bool { t.Error("a metrics-only visit was asked"); return true }}
	if p, err := r.Render(t.Context(), req); err != nil || p.FullScreenshot != nil {
		t.Errorf("metrics only: %v, %d full-page bytes", err, len(p.FullScreenshot))
	}
}

// TestFullScreenshotCostBenchmark measures what FullScreenshot adds to a
// visit of a page about 3000 px tall. It only runs with STORECHECK_BENCH=1:
//
//	STORECHECK_BENCH=1 go test -run FullScreenshotCostBenchmark -v ./crawler/rodrender/
func TestFullScreenshotCostBenchmark(t *testing.T) {
	if os.Getenv("STORECHECK_BENCH") == "" {
		t.Skip("set STORECHECK_BENCH=1 to run")
	}
	s := newSite(t, map[string]string{"/": layoutHTML(2400)})
	on := derive(func(o *crawler.RenderOptions) { o.FullScreenshot = true })
	const rounds = 10
	for _, vp := range []crawler.Viewport{crawler.Desktop, crawler.Mobile} {
		var d [2][]time.Duration
		var size, height, docH int
		for i := range 2 * rounds {
			r := shared
			if i%2 == 1 {
				r = on
			}
			t0 := time.Now()
			p := render(t, r, fmt.Sprintf("%s/?%d", s.URL, i), vp)
			d[i%2] = append(d[i%2], time.Since(t0))
			if i%2 == 1 {
				size, height, docH = max(size, len(p.FullScreenshot)), p.FullScreenshotHeight, p.DocHeight
			}
		}
		off, onMed := median(d[0]), median(d[1])
		t.Logf("%s: doc height %d, shot %d CSS px, JPEG up to %d KB; median Render off %v, on %v: +%v per page (%d visits each)",
			vp.Name, docH, height, size/1024, off.Round(time.Millisecond), onMed.Round(time.Millisecond), (onMed - off).Round(time.Millisecond), rounds)
	}
}

// TestPrefetched: a visit hands over the bodies of the pictures its page
// loaded by its first paint, once, before Render returns; a picture the
// scroll brings in later (lazy, 6000 px down) is not among them, and a
// metrics-only visit hands over nothing.
func TestPrefetched(t *testing.T) {
	t.Parallel()
	s := newSite(t, map[string]string{"/": `<!doctype html><title>early</title>
<img src="/img.png" width="400" height="300" alt="">
<div style="height:6000px"></div>
<img loading="lazy" src="/lazy.png" width="100" height="100" alt="">`})
	for _, metricsOnly := range []bool{false, true} {
		var mu sync.Mutex
		var handed [][][]byte
		req := crawler.RenderRequest{URL: s.URL + "/", Viewport: crawler.Desktop, AllowedHosts: []string{crawler.Host(s.URL)},
			MetricsOnly: metricsOnly, Prefetched: func(b [][]byte) {
				mu.Lock()
				defer mu.Unlock()
				handed = append(handed, b)
			}}
		p, err := shared.Render(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		got := handed
		mu.Unlock()
		if metricsOnly {
			if len(got) != 0 {
				t.Errorf("metrics only: handed over %d times", len(got))
			}
			continue
		}
		if len(got) != 1 || len(got[0]) != 1 || !bytes.Equal(got[0][0], imgPNG) {
			t.Errorf("handed over %d times (%v): want once, the first screen's picture", len(got), bodySizes(got))
		}
		if s.hit("/lazy.png") == 0 || !slices.ContainsFunc(p.Images, func(im crawler.Image) bool { return bytes.Equal(im.Bytes, lazyPNG) }) {
			t.Error("the lazy picture was not captured after the scroll")
		}
	}
}

// bodySizes lists the sizes of each hand-over's bodies.
func bodySizes(handed [][][]byte) [][]int {
	var out [][]int
	for _, h := range handed {
		var sizes []int
		for _, b := range h {
			sizes = append(sizes, len(b))
		}
		out = append(out, sizes)
	}
	return out
}
