package checks

import (
	"strings"
	"testing"

	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/lang"
	"github.com/storecheck/storecheck/ocr"
)

// pageSecurityLayoutMessages are one real finding per message key of the
// page.*, security.* and layout.* rules, with the English it must keep.
var pageSecurityLayoutMessages = []struct {
	rule, key string
	page      func() *crawler.Page      // a page rule's visit
	site      func() *crawler.SiteFacts // or a site rule's sweep
	en        string
}{
	{"page.http-error", "page.http-error", failedPage(func(p *crawler.Page) { p.Status = 404 }), nil,
		"The page answered HTTP 404."},
	{"page.http-error", "page.http-error/loop", failedPage(func(p *crawler.Page) {
		p.Status, p.Error = 0, "navigation loop: the page navigated itself 12 times"
	}), nil, "The page kept navigating itself (meta refresh or script) and never settled: the page navigated itself 12 times."},
	{"page.http-error", "page.http-error/loop-other", failedPage(func(p *crawler.Page) { p.Status, p.Error = 0, "navigation loop: a→b→a" }), nil,
		"The page kept navigating itself (meta refresh or script) and never settled: a→b→a."},
	{"page.http-error", "page.http-error/timeout", failedPage(func(p *crawler.Page) { p.Status, p.TimedOut = 0, true }), nil,
		"The page did not finish loading within the page timeout."},
	{"page.http-error", "page.http-error/off-site", failedPage(func(p *crawler.Page) {
		p.Status, p.Error, p.FinalURL = 0, "redirected off-site", ""
	}), nil, "The page redirected off the sweep's hosts, so it was not followed."},
	{"page.http-error", "page.http-error/off-site-to", failedPage(func(p *crawler.Page) {
		p.Status, p.Error, p.FinalURL = 0, "redirected off-site", "https://elsewhere.example/"
	}), nil, "The page redirected off the sweep's hosts to https://elsewhere.example/, so it was not followed."},
	{"page.http-error", "page.http-error/failed", failedPage(func(p *crawler.Page) { p.Status, p.Error = 0, "net::ERR_CONNECTION_REFUSED" }), nil,
		"The page failed to load: net::ERR_CONNECTION_REFUSED."},
	{"page.http-error", "page.http-error/no-response", failedPage(func(p *crawler.Page) { p.Status = 0 }), nil,
		"The page gave no usable response."},

	{"page.broken-resource", "page.broken-resource/script-status", requests(crawler.Request{URL: "https://shop.example/a.js", Type: "Script", Status: 404}), nil,
		"The script answered HTTP 404."},
	{"page.broken-resource", "page.broken-resource/script-failed", requests(crawler.Request{URL: "https://shop.example/a.js", Type: "Script", Failure: "net::ERR_CONNECTION_RESET"}), nil,
		"The script failed to load: net::ERR_CONNECTION_RESET."},
	{"page.broken-resource", "page.broken-resource/stylesheet-status", requests(crawler.Request{URL: "https://shop.example/a.css", Type: "Stylesheet", Status: 500}), nil,
		"The stylesheet answered HTTP 500."},
	{"page.broken-resource", "page.broken-resource/stylesheet-failed", requests(crawler.Request{URL: "https://shop.example/a.css", Type: "Stylesheet", Failure: "net::ERR_FAILED"}), nil,
		"The stylesheet failed to load: net::ERR_FAILED."},
	{"page.broken-resource", "page.broken-resource/font-status", requests(crawler.Request{URL: "https://shop.example/a.woff2", Type: "Font", Status: 404}), nil,
		"The font answered HTTP 404."},
	{"page.broken-resource", "page.broken-resource/font-failed", requests(crawler.Request{URL: "https://shop.example/a.woff2", Type: "Font", Failure: "net::ERR_FAILED"}), nil,
		"The font failed to load: net::ERR_FAILED."},
	{"page.broken-resource", "page.broken-resource/media-status", requests(crawler.Request{URL: "https://shop.example/a.mp4", Type: "Media", Status: 403}), nil,
		"The media file answered HTTP 403."},
	{"page.broken-resource", "page.broken-resource/media-failed", requests(crawler.Request{URL: "https://shop.example/a.mp4", Type: "Media", Failure: "net::ERR_FAILED"}), nil,
		"The media file failed to load: net::ERR_FAILED."},
	{"page.broken-resource", "page.broken-resource/fetch-status", requests(crawler.Request{URL: "https://shop.example/api", Type: "Fetch", Status: 502}), nil,
		"The fetch request answered HTTP 502."},
	{"page.broken-resource", "page.broken-resource/fetch-failed", requests(crawler.Request{URL: "https://shop.example/api", Type: "Fetch", Failure: "net::ERR_TIMED_OUT"}), nil,
		"The fetch request failed to load: net::ERR_TIMED_OUT."},
	{"page.broken-resource", "page.broken-resource/xhr-status", requests(crawler.Request{URL: "https://shop.example/api", Type: "XHR", Status: 500}), nil,
		"The XHR request answered HTTP 500."},
	{"page.broken-resource", "page.broken-resource/xhr-failed", requests(crawler.Request{URL: "https://shop.example/api", Type: "XHR", Failure: "net::ERR_FAILED"}), nil,
		"The XHR request failed to load: net::ERR_FAILED."},

	{"page.js-error", "page.js-error/exception", console(1, crawler.ConsoleMessage{Kind: "exception", Text: "TypeError: x is undefined"}), nil,
		"The page threw an uncaught exception."},
	{"page.js-error", "page.js-error/exception-times", console(3, crawler.ConsoleMessage{Kind: "exception", Text: "TypeError: x is undefined"}), nil,
		"The page threw an uncaught exception (3 times)."},
	{"page.js-error", "page.js-error/exception-at", console(1, crawler.ConsoleMessage{Kind: "exception", Text: "TypeError", Source: "https://s.example/a.min.js", Line: 1, Column: 20417}), nil,
		"The page threw an uncaught exception in https://s.example/a.min.js:1:20417."},
	{"page.js-error", "page.js-error/exception-at-times", console(2, crawler.ConsoleMessage{Kind: "exception", Text: "TypeError", Source: "https://s.example/a.js", Line: 3, Column: 7}), nil,
		"The page threw an uncaught exception in https://s.example/a.js:3:7 (2 times)."},
	{"page.js-error", "page.js-error/console-error", console(1, crawler.ConsoleMessage{Kind: "console.error", Text: "库存接口返回错误"}), nil,
		"The page logged a console.error."},
	{"page.js-error", "page.js-error/console-error-times", console(4, crawler.ConsoleMessage{Kind: "console.error", Text: "库存接口返回错误"}), nil,
		"The page logged a console.error (4 times)."},
	{"page.js-error", "page.js-error/console-error-at", console(1, crawler.ConsoleMessage{Kind: "console.error", Text: "bad", Source: "https://s.example/b.js", Line: 10, Column: 2}), nil,
		"The page logged a console.error in https://s.example/b.js:10:2."},
	{"page.js-error", "page.js-error/console-error-at-times", console(2, crawler.ConsoleMessage{Kind: "console.error", Text: "bad", Source: "https://s.example/b.js", Line: 10, Column: 2}), nil,
		"The page logged a console.error in https://s.example/b.js:10:2 (2 times)."},

	{"page.missing-font", "page.missing-font", font(0, "", 1, 0), nil,
		`The web font "Brand Sans" failed to load (it could not be downloaded or decoded): 1 element of visible text is drawn in a fallback font.`},
	{"page.missing-font", "page.missing-font", font(0, "", 2, 0), nil,
		`The web font "Brand Sans" failed to load (it could not be downloaded or decoded): 2 elements of visible text are drawn in a fallback font.`},
	{"page.missing-font", "page.missing-font/icons", font(0, "", 5, 2), nil,
		`The web font "Brand Sans" failed to load (it could not be downloaded or decoded): 5 elements of visible text are drawn in a fallback font, 2 of them icon glyphs (private-use code points) that show as empty boxes or stray characters.`},
	{"page.missing-font", "page.missing-font/status", font(404, "", 2, 0), nil,
		`The web font "Brand Sans" failed to load (HTTP 404): 2 elements of visible text are drawn in a fallback font.`},
	{"page.missing-font", "page.missing-font/status-icons", font(404, "", 1, 1), nil,
		`The web font "Brand Sans" failed to load (HTTP 404): 1 element of visible text is drawn in a fallback font, 1 of them icon glyphs (private-use code points) that show as empty boxes or stray characters.`},
	{"page.missing-font", "page.missing-font/failed", font(0, "net::ERR_CONNECTION_RESET", 3, 0), nil,
		`The web font "Brand Sans" failed to load (net::ERR_CONNECTION_RESET): 3 elements of visible text are drawn in a fallback font.`},
	{"page.missing-font", "page.missing-font/failed-icons", font(0, "net::ERR_CONNECTION_RESET", 3, 3), nil,
		`The web font "Brand Sans" failed to load (net::ERR_CONNECTION_RESET): 3 elements of visible text are drawn in a fallback font, 3 of them icon glyphs (private-use code points) that show as empty boxes or stray characters.`},

	{"page.missing-title", "page.missing-title", titled(""), nil,
		"The page has no title (the <title> is missing or empty)."},
	{"page.missing-title", "page.missing-title/placeholder-emmet", titled("Document"), nil,
		`The page's title "Document" is a placeholder (the HTML boilerplate of VS Code's Emmet (!)).`},
	{"page.missing-title", "page.missing-title/placeholder-dreamweaver-zh", titled("无标题文档"), nil,
		`The page's title "无标题文档" is a placeholder (Dreamweaver's new-page default (Chinese)).`},
	{"page.missing-title", "page.missing-title/placeholder-template", titled("{{ title }}"), nil,
		`The page's title "{{ title }}" is a placeholder (unrendered template syntax).`},
	{"page.missing-title", "page.missing-title/same", nil, sameTitles,
		`Every page of the site has the title "山野茶铺", though their headings differ (3 pages, 3 headings).`},

	{"page.missing-viewport-meta", "page.missing-viewport-meta", func() *crawler.Page {
		p := okPage()
		p.Viewport = crawler.Mobile
		return p
	}, nil, `The page has no <meta name="viewport">: phones lay it out at desktop width and shrink it.`},

	{"page.broken-link", "page.broken-link", nil, func() *crawler.SiteFacts {
		return &crawler.SiteFacts{
			Digests:    []crawler.Digest{{URL: "https://shop.example/", Viewport: "desktop", Status: 200, Links: []string{"https://shop.example/gone"}}},
			LinkStatus: map[string]crawler.LinkStatus{"https://shop.example/gone": {Status: 404}},
		}
	}, "The link target answered HTTP 404."},

	{"security.mixed-content", "security.mixed-content/script", requests(crawler.Request{URL: "http://cdn.example/a.js", Type: "Script", Status: 200}), nil,
		"The https page loads this script over http."},
	{"security.mixed-content", "security.mixed-content/script-blocked", requests(crawler.Request{URL: "http://cdn.example/a.js", Type: "Script", Blocked: "mixed-content"}), nil,
		"The https page loads this script over http; the browser blocked it."},
	{"security.mixed-content", "security.mixed-content/stylesheet", requests(crawler.Request{URL: "http://cdn.example/a.css", Type: "Stylesheet", Status: 200}), nil,
		"The https page loads this stylesheet over http."},
	{"security.mixed-content", "security.mixed-content/stylesheet-blocked", requests(crawler.Request{URL: "http://cdn.example/a.css", Type: "Stylesheet", Blocked: "mixed-content"}), nil,
		"The https page loads this stylesheet over http; the browser blocked it."},
	{"security.mixed-content", "security.mixed-content/font", requests(crawler.Request{URL: "http://cdn.example/a.woff", Type: "Font", Status: 200}), nil,
		"The https page loads this font over http."},
	{"security.mixed-content", "security.mixed-content/font-blocked", requests(crawler.Request{URL: "http://cdn.example/a.woff", Type: "Font", Blocked: "mixed-content"}), nil,
		"The https page loads this font over http; the browser blocked it."},
	{"security.mixed-content", "security.mixed-content/media", requests(crawler.Request{URL: "http://cdn.example/a.mp4", Type: "Media", Status: 200}), nil,
		"The https page loads this media file over http."},
	{"security.mixed-content", "security.mixed-content/media-blocked", requests(crawler.Request{URL: "http://cdn.example/a.mp4", Type: "Media", Blocked: "mixed-content"}), nil,
		"The https page loads this media file over http; the browser blocked it."},
	{"security.mixed-content", "security.mixed-content/fetch", requests(crawler.Request{URL: "http://api.example/x", Type: "Fetch", Status: 200}), nil,
		"The https page loads this fetch request over http."},
	{"security.mixed-content", "security.mixed-content/fetch-blocked", requests(crawler.Request{URL: "http://api.example/x", Type: "Fetch", Blocked: "mixed-content"}), nil,
		"The https page loads this fetch request over http; the browser blocked it."},
	{"security.mixed-content", "security.mixed-content/xhr", requests(crawler.Request{URL: "http://api.example/x", Type: "XHR", Status: 200}), nil,
		"The https page loads this XHR request over http."},
	{"security.mixed-content", "security.mixed-content/xhr-blocked", requests(crawler.Request{URL: "http://api.example/x", Type: "XHR", Blocked: "mixed-content"}), nil,
		"The https page loads this XHR request over http; the browser blocked it."},
	{"security.mixed-content", "security.mixed-content/image", requests(crawler.Request{URL: "http://cdn.example/a.jpg", Type: "Image", Status: 200}), nil,
		"The https page loads this image over http."},
	{"security.mixed-content", "security.mixed-content/image-blocked", requests(crawler.Request{URL: "http://cdn.example/a.jpg", Type: "Image", Blocked: "mixed-content"}), nil,
		"The https page loads this image over http; the browser blocked it."},
	{"security.mixed-content", "security.mixed-content/resource", requests(crawler.Request{URL: "http://cdn.example/x", Type: "Other", Status: 200}), nil,
		"The https page loads this resource over http."},
	{"security.mixed-content", "security.mixed-content/resource-blocked", requests(crawler.Request{URL: "http://cdn.example/x", Type: "", Blocked: "mixed-content"}), nil,
		"The https page loads this resource over http; the browser blocked it."},
	{"security.mixed-content", "security.mixed-content/type", requests(crawler.Request{URL: "http://cdn.example/x.vtt", Type: "TextTrack", Status: 200}), nil,
		"The https page loads this texttrack over http."},
	{"security.mixed-content", "security.mixed-content/type-blocked", requests(crawler.Request{URL: "http://cdn.example/m.json", Type: "Manifest", Blocked: "mixed-content"}), nil,
		"The https page loads this manifest over http; the browser blocked it."},
	{"security.mixed-content", "security.mixed-content/reference", func() *crawler.Page {
		p := okPage()
		p.HTML = `<html><body><img src="http://cdn.example/b.jpg"></body></html>`
		return p
	}, nil, "The https page references an http resource in <img src>."},

	{"security.pii-exposed", "security.pii-exposed/mobile", bodyPage("<p>收货人电话 13812345678</p>"), nil,
		"The page shows a consumer's mobile number unmasked (138****5678)."},
	{"security.pii-exposed", "security.pii-exposed/id", bodyPage("<p>身份证 11010519491231002X</p>"), nil,
		"The page shows a resident ID number unmasked (110105********002X)."},

	{"layout.horizontal-overflow", "layout.horizontal-overflow", layout(crawler.Mobile, func(p *crawler.Page) {
		p.Layout.ScrollWidth = 1600
		p.Layout.Overflowing = []crawler.LayoutBox{{Selector: "#banner", Box: crawler.Box{W: 1600, H: 200}}}
	}), nil, "The page is 1600 CSS px wide in a 412 px viewport; #banner sticks out furthest."},
	{"layout.overlap", "layout.overlap", layout(crawler.Desktop, func(p *crawler.Page) {
		p.TextBoxes = []crawler.TextBox{text("#a", "第一段文字内容", 0, 0, 300, 20, 16), text("#b", "第二段文字内容", 10, 5, 300, 20, 16)}
	}), nil, `Text "第一段文字内容" is drawn over text "第二段文字内容" (72 % of the smaller box).`},
	{"layout.nav-missing", "layout.nav-missing", layout(crawler.Desktop, func(p *crawler.Page) { p.Layout.Navs = nil }), nil,
		"The page has no navigation with at least 3 links to the site (best: 0)."},
	{"layout.nav-missing", "layout.nav-missing/dead-all", layout(crawler.Desktop, func(p *crawler.Page) {
		p.Layout.Navs = []crawler.Nav{{Selector: "#menu", Dead: 6, DeadHrefs: []string{"#", "javascript:void(0)", ""}}}
	}), nil, `A navigation (#menu) has 6 links but all lead nowhere (#, javascript:void(0), ""): no navigation has at least 3 links to the site (best: 0).`},
	{"layout.nav-missing", "layout.nav-missing/dead", layout(crawler.Desktop, func(p *crawler.Page) {
		p.Layout.Navs = []crawler.Nav{{Selector: "#menu", Links: []string{"/", "/a"}, Dead: 4, DeadHrefs: []string{"javascript:;"}}}
	}), nil, "A navigation (#menu) has 6 links but 4 lead nowhere (javascript:;): no navigation has at least 3 links to the site (best: 2)."},
	{"layout.nav-overloaded", "layout.nav-overloaded", layout(crawler.Desktop, func(p *crawler.Page) { p.Layout.Navs[0].TopItems = 14 }), nil,
		"The main navigation has 14 top-level items, more than 12."},
	{"layout.small-text", "layout.small-text", layout(crawler.Mobile, func(p *crawler.Page) {
		p.TextBoxes = []crawler.TextBox{text("#fine", "满300减40，限时", 0, 0, 200, 12, 10.5), text("#tag", "包邮到家", 0, 40, 200, 12, 11)}
	}), nil, `2 text elements are drawn under 12 CSS px on mobile; the smallest is 10.5 px ("满300减40，限时").`},
	{"layout.clipped-text", "layout.clipped-text", layout(crawler.Desktop, func(p *crawler.Page) {
		p.Layout.Clipped = []crawler.ClippedText{{Selector: ".goods-title", Text: "山野茶铺 明前龙井 特级 250g 礼盒装", Hint: "goods-title",
			ScrollW: 420, ScrollH: 20, ClientW: 300, ClientH: 20}}
	}), nil, `"山野茶铺 明前龙井 特级 250g 礼盒装" is cut off by its box (420×20 px of content in 300×20).`},
	{"layout.promo-below-fold", "layout.promo-below-fold", layout(crawler.Desktop, func(p *crawler.Page) {
		p.Layout.Selected = map[string][]crawler.Box{"#campaign-banner": {{Y: 1200, W: 1350, H: 400}}}
	}), nil, "#campaign-banner starts 1200 CSS px down; the first screen shows 940 px (0 % of it is above the fold)."},
}

func failedPage(edit func(*crawler.Page)) func() *crawler.Page {
	return func() *crawler.Page { p := okPage(); edit(p); return p }
}

func requests(rs ...crawler.Request) func() *crawler.Page {
	return func() *crawler.Page { p := okPage(); p.Requests = rs; return p }
}

// console is a visit that logged m n times.
func console(n int, m crawler.ConsoleMessage) func() *crawler.Page {
	return func() *crawler.Page {
		p := okPage()
		for range n {
			p.Console = append(p.Console, m)
		}
		return p
	}
}

// font is a visit whose web font failed: its src answered status, or
// failed with failure, or (neither) could not be decoded; fallback
// elements drew without it, icons of them private-use glyphs.
func font(status int, failure string, fallback, icons int) func() *crawler.Page {
	return func() *crawler.Page {
		const src = "https://shop.example/fonts/brand.woff2"
		p := okPage()
		p.Fonts = []crawler.WebFont{{Family: "Brand Sans", Status: "error", Faces: 1, Srcs: []string{src},
			Elements: fallback, Fallback: fallback, FallbackPrivateUse: icons}}
		if status != 0 || failure != "" {
			p.Requests = []crawler.Request{{URL: src, Type: "Font", Status: status, Failure: failure}}
		}
		return p
	}
}

func titled(title string) func() *crawler.Page {
	return func() *crawler.Page {
		p := okPage()
		p.Title = ""
		p.HTML = "<html><head><title>" + title + "</title></head><body><h1>tea</h1></body></html>"
		return p
	}
}

func sameTitles() *crawler.SiteFacts {
	s := &crawler.SiteFacts{}
	for _, u := range []string{"/", "/a", "/b"} {
		s.Digests = append(s.Digests, crawler.Digest{URL: "https://shop.example" + u, Viewport: "desktop", Status: 200,
			Title: "山野茶铺", Headings: []string{"标题" + u}})
	}
	return s
}

func bodyPage(body string) func() *crawler.Page {
	return func() *crawler.Page {
		p := okPage()
		p.HTML = "<html><body>" + body + "</body></html>"
		return p
	}
}

func layout(vp crawler.Viewport, edit func(*crawler.Page)) func() *crawler.Page {
	return func() *crawler.Page { p := laidOutPage(vp); edit(p); return p }
}

// TestPageSecurityLayoutMessages renders each message in both languages: a
// key from the catalog, the English as before, and Chinese that is not
// English left over.
func TestPageSecurityLayoutMessages(t *testing.T) {
	cfg := config.Defaults()
	cfg.Layout.AboveFold = []string{"#campaign-banner"}
	env := envFor(&cfg, testEnv().Now)
	for _, tc := range pageSecurityLayoutMessages {
		t.Run(tc.key, func(t *testing.T) {
			c := checkByID(t, tc.rule)
			var fs []Finding
			if tc.site != nil {
				fs = RunSite([]*Check{c}, env, tc.site(), nil)
			} else {
				fs = RunPage([]*Check{c}, env, tc.page())
			}
			if len(fs) == 0 {
				t.Fatal("no finding")
			}
			f := fs[0]
			if f.Msg.Key != tc.key {
				t.Errorf("key %q, want %q", f.Msg.Key, tc.key)
			}
			if f.Message != tc.en {
				t.Errorf("message\n%s\nwant\n%s", f.Message, tc.en)
			}
			if !Messages().Has(f.Msg.Key) {
				t.Fatalf("key %q is not in the catalog", f.Msg.Key)
			}
			en, zh := f.Msg.Render(lang.EN), f.Msg.Render(lang.ZH)
			if en != f.Message {
				t.Errorf("English rendered later %q, reported %q", en, f.Message)
			}
			checkTexts(t, en, zh)
		})
	}
}

// TestPIIInPictureMessages: a number read from a picture says so, in both
// languages.
func TestPIIInPictureMessages(t *testing.T) {
	c := []*Check{checkByID(t, "security.pii-exposed")}
	for _, tc := range []struct{ key, number, en string }{
		{"security.pii-exposed/mobile-picture", "13812345678",
			"The page shows a consumer's mobile number in a picture unmasked (138****5678)."},
		{"security.pii-exposed/id-picture", "11010519491231002X",
			"The page shows a resident ID number in a picture unmasked (110105********002X)."},
	} {
		t.Run(tc.key, func(t *testing.T) {
			pg := picturePage("新茶上市", "¥99.00")
			fs, _ := RunVisit(c, testEnv(), Visit{Page: pg,
				Pictures: pics(pg, map[string][]ocr.Line{"banner": {line(20, 91, "客", "服", tc.number)}})})
			if len(fs) != 1 {
				t.Fatalf("%d findings, want 1", len(fs))
			}
			if fs[0].Msg.Key != tc.key || fs[0].Message != tc.en {
				t.Errorf("%s %q, want %s %q", fs[0].Msg.Key, fs[0].Message, tc.key, tc.en)
			}
			checkTexts(t, fs[0].Msg.Render(lang.EN), fs[0].Msg.Render(lang.ZH))
		})
	}
}

// TestPlaceholderTitleMessages holds every placeholder source of
// page.missing-title to a message in both languages.
func TestPlaceholderTitleMessages(t *testing.T) {
	ids := map[string]bool{templateSource: true}
	for _, id := range placeholderTitles {
		ids[id] = true
	}
	for id := range ids {
		why, ok := placeholderSources[id]
		if !ok {
			t.Errorf("placeholder source %q has no text", id)
		}
		m := placeholderMsg(id, "Document")
		if !Messages().Has(m.Key) {
			t.Errorf("placeholder source %q: no key %s", id, m.Key)
			continue
		}
		en := m.Render(lang.EN)
		if want := `The page's title "Document" is a placeholder (` + why + ")."; en != want {
			t.Errorf("%s: en %q, want %q", m.Key, en, want)
		}
		checkTexts(t, en, m.Render(lang.ZH))
	}
}

// TestPageSecurityLayoutAdvice: every rule of the three families has
// rectification advice in both languages.
func TestPageSecurityLayoutAdvice(t *testing.T) {
	for _, c := range Registry() {
		if !strings.HasPrefix(c.ID, "page.") && !strings.HasPrefix(c.ID, "security.") && !strings.HasPrefix(c.ID, "layout.") {
			continue
		}
		if !Messages().Has("advice." + c.ID) {
			t.Errorf("no advice.%s", c.ID)
			continue
		}
		checkTexts(t, Advice(c.ID, lang.EN), Advice(c.ID, lang.ZH))
	}
}
