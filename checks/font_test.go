package checks

import (
	"reflect"
	"strings"
	"testing"

	"github.com/storecheck/storecheck/crawler"
)

func TestMissingFont(t *testing.T) {
	const src = "https://shop.example/fonts/brand.woff2"
	failed := func(change func(*crawler.WebFont)) crawler.WebFont {
		f := crawler.WebFont{
			Family: "Brand Sans", Status: "error", Faces: 1, Srcs: []string{src},
			Elements: 3, Fallback: 2,
			Examples: []crawler.FontUse{
				{Selector: "#h", Text: "新品上市 New", Fallback: true},
				{Selector: "#p", Text: "Hand-picked", Fallback: true},
				{Selector: "#q", Text: "drawn"},
			},
		}
		if change != nil {
			change(&f)
		}
		return f
	}
	req404 := crawler.Request{URL: src, Type: "Font", Status: 404}
	for _, tc := range []struct {
		name  string
		fonts []crawler.WebFont
		reqs  []crawler.Request
		want  []string
	}{
		{"failed and drawn in a fallback", []crawler.WebFont{failed(nil)}, []crawler.Request{req404}, []string{"Brand Sans"}},
		{"face error without a failed request (bad file)", []crawler.WebFont{failed(nil)},
			[]crawler.Request{{URL: src, Type: "Font", Status: 200}}, []string{"Brand Sans"}},
		{"not loaded and its request failed", []crawler.WebFont{failed(func(f *crawler.WebFont) { f.Status = "loading" })},
			[]crawler.Request{{URL: src, Type: "Font", Failure: "net::ERR_CONNECTION_RESET"}}, []string{"Brand Sans"}},
		{"src unknown, face error", []crawler.WebFont{failed(func(f *crawler.WebFont) { f.Srcs = nil })}, nil, []string{"Brand Sans"}},
		{"two families", []crawler.WebFont{failed(nil), failed(func(f *crawler.WebFont) { f.Family = "iconfont"; f.Srcs = nil })},
			[]crawler.Request{req404}, []string{"Brand Sans", "iconfont"}},

		{"loaded", []crawler.WebFont{failed(func(f *crawler.WebFont) { f.Status = "loaded"; f.Fallback = 0 })}, nil, nil},
		{"loaded though its first src 404s", []crawler.WebFont{failed(func(f *crawler.WebFont) { f.Status = "loaded"; f.Fallback = 0 })},
			[]crawler.Request{req404}, nil},
		{"failed, used by no visible text", []crawler.WebFont{failed(func(f *crawler.WebFont) {
			f.Elements, f.Fallback, f.Examples = 0, 0, nil
		})}, []crawler.Request{req404}, nil},
		{"one face failed, the text's faces drew it", []crawler.WebFont{failed(func(f *crawler.WebFont) { f.Fallback = 0 })},
			[]crawler.Request{req404}, nil},
		{"unloaded, never requested", []crawler.WebFont{failed(func(f *crawler.WebFont) { f.Status = "unloaded" })}, nil, nil},
		{"blocked by storecheck", []crawler.WebFont{failed(nil)},
			[]crawler.Request{{URL: src, Type: "Font", Failure: "net::ERR_BLOCKED_BY_CLIENT"}}, nil},
		{"src unknown, a font request blocked", []crawler.WebFont{failed(func(f *crawler.WebFont) { f.Srcs = nil })},
			[]crawler.Request{{URL: "https://cdn.example/x.woff", Type: "Font", Blocked: "inspector"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pg := okPage()
			pg.Fonts, pg.Requests = tc.fonts, tc.reqs
			got := subjects(runRule(t, "page.missing-font", pg))
			if len(tc.want) == 0 {
				tc.want = []string{}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("subjects %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMissingFontEvidence(t *testing.T) {
	pg := okPage()
	pg.Fonts = []crawler.WebFont{{
		Family: "iconfont", Status: "error", Faces: 1, Srcs: []string{"https://shop.example/fonts/icons.woff"},
		Elements: 4, PrivateUse: 3, Fallback: 4, FallbackPrivateUse: 3,
		Examples: []crawler.FontUse{
			{Selector: "#cart", Text: "\ue600", PrivateUse: true, Fallback: true},
			{Selector: "#label", Text: "购物车", Fallback: true},
		},
	}}
	pg.Requests = []crawler.Request{{URL: "https://shop.example/fonts/icons.woff", Type: "Font", Status: 404}}
	fs := runRule(t, "page.missing-font", pg)
	if len(fs) != 1 {
		t.Fatalf("findings %+v", fs)
	}
	f := fs[0]
	if f.Severity != SeverityWarning || f.Subject != "iconfont" {
		t.Errorf("finding %+v", f)
	}
	if !strings.Contains(f.Message, "HTTP 404") || !strings.Contains(f.Message, "4 elements") || !strings.Contains(f.Message, "3 of them icon glyphs") {
		t.Errorf("message %q", f.Message)
	}
	ev := f.Evidence
	if ev["elements"] != 4 || ev["icon_glyphs"] != 3 || ev["url"] != "https://shop.example/fonts/icons.woff" ||
		ev["status"] != "error" || ev["http_status"] != 404 {
		t.Errorf("evidence %+v", ev)
	}
	if ex, _ := ev["examples"].([]map[string]any); len(ex) != 2 || ex[0]["selector"] != "#cart" || ex[0]["icon_glyphs"] != true || ex[0]["code_points"] != "U+E600" {
		t.Errorf("examples %+v", ev["examples"])
	}
}
