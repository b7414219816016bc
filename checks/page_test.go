package checks

import (
	"reflect"
	"strings"
	"testing"

	"github.com/storecheck/storecheck/checks/fingerprint"
	"github.com/storecheck/storecheck/crawler"
)

func TestHTTPError(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*crawler.Page)
		want    []string
		message string
	}{
		{"200 is clean", func(p *crawler.Page) {}, []string{}, ""},
		{"304 is clean", func(p *crawler.Page) { p.Status = 304 }, []string{}, ""},
		{"399 is clean", func(p *crawler.Page) { p.Status = 399 }, []string{}, ""},
		{"400", func(p *crawler.Page) { p.Status = 400 }, []string{"400"}, "The page answered HTTP 400."},
		{"404", func(p *crawler.Page) { p.Status = 404 }, []string{"404"}, "The page answered HTTP 404."},
		{"503 that also timed out", func(p *crawler.Page) { p.Status, p.TimedOut, p.Error = 503, true, "timeout" },
			[]string{"503"}, ""},
		{"timeout without response", func(p *crawler.Page) { p.Status, p.TimedOut, p.Error = 0, true, "timeout" },
			[]string{"timeout"}, "The page did not finish loading within the page timeout."},
		{"timed out with status 200", func(p *crawler.Page) { p.TimedOut = true },
			[]string{"timeout"}, ""},
		{"network error", func(p *crawler.Page) { p.Status, p.Error = 0, "net::ERR_CONNECTION_REFUSED" },
			[]string{"net::ERR_CONNECTION_REFUSED"}, "The page failed to load: net::ERR_CONNECTION_REFUSED."},
		{"redirected off-site", func(p *crawler.Page) {
			p.Status, p.Error, p.FinalURL = 0, "redirected off-site", "https://elsewhere.example/"
		}, []string{"redirected off-site"},
			"The page redirected off the sweep's hosts to https://elsewhere.example/, so it was not followed."},
		{"status 0 without error", func(p *crawler.Page) { p.Status = 0 }, []string{"no response"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := okPage()
			tt.edit(p)
			fs := runRule(t, "page.http-error", p)
			if got := subjects(fs); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("subjects = %q, want %q", got, tt.want)
			}
			for _, f := range fs {
				if f.Severity != SeverityError || f.URL != p.URL {
					t.Errorf("finding header wrong: %+v", f)
				}
				if f.Evidence["status"] != p.Status || f.Evidence["error"] != p.Error {
					t.Errorf("evidence = %v", f.Evidence)
				}
			}
			if tt.message != "" && fs[0].Message != tt.message {
				t.Errorf("message = %q, want %q", fs[0].Message, tt.message)
			}
		})
	}
}

func TestBrokenResource(t *testing.T) {
	const js = "https://cdn.shop.example/app.js"
	tests := []struct {
		name string
		reqs []crawler.Request
		want []string
	}{
		{"all fine", []crawler.Request{
			{URL: js, Type: "Script", Status: 200},
			{URL: "https://shop.example/a.css", Type: "Stylesheet", Status: 304, FromCache: true},
			{URL: "https://shop.example/p/1", Type: "Document", Status: 200},
		}, []string{}},
		{"script 404", []crawler.Request{{URL: js, Type: "Script", Status: 404}}, []string{js}},
		{"399 is fine", []crawler.Request{{URL: js, Type: "Script", Status: 399}}, []string{}},
		{"each judged type", []crawler.Request{
			{URL: "https://s.example/1", Type: "Script", Status: 500},
			{URL: "https://s.example/2", Type: "Stylesheet", Status: 404},
			{URL: "https://s.example/3", Type: "Font", Failure: "net::ERR_CONNECTION_RESET"},
			{URL: "https://s.example/4", Type: "Media", Status: 403},
			{URL: "https://s.example/5", Type: "Fetch", Status: 502},
			{URL: "https://s.example/6", Type: "XHR", Failure: "net::ERR_NAME_NOT_RESOLVED"},
		}, []string{"https://s.example/1", "https://s.example/2", "https://s.example/3",
			"https://s.example/4", "https://s.example/5", "https://s.example/6"}},
		{"images are image.broken's", []crawler.Request{
			{URL: "https://s.example/a.jpg", Type: "Image", Status: 404},
			{URL: "https://s.example/b.jpg", Type: "Image", Failure: "net::ERR_FAILED"},
		}, []string{}},
		{"main document is page.http-error's", []crawler.Request{
			{URL: "https://shop.example/p/1", Type: "Document", Status: 404},
		}, []string{}},
		{"other types are not judged", []crawler.Request{
			{URL: "https://s.example/x", Type: "Other", Status: 404},
			{URL: "https://s.example/m.json", Type: "Manifest", Status: 404},
			{URL: "https://s.example/ping", Type: "Ping", Failure: "net::ERR_FAILED"},
		}, []string{}},
		{"favicon", []crawler.Request{
			{URL: "https://shop.example/favicon.ico", Type: "Other", Status: 404},
			{URL: "https://shop.example/favicon.ico", Type: "Fetch", Status: 404},
		}, []string{}},
		{"favicon elsewhere is a resource", []crawler.Request{
			{URL: "https://shop.example/static/favicon.ico", Type: "Fetch", Status: 404},
		}, []string{"https://shop.example/static/favicon.ico"}},
		{"aborted by the page", []crawler.Request{
			{URL: "https://s.example/a", Type: "XHR", Canceled: true, Failure: "net::ERR_ABORTED"},
			{URL: "https://s.example/b", Type: "Fetch", Failure: "net::ERR_ABORTED"},
			{URL: "https://s.example/c", Type: "Script", Canceled: true},
			{URL: "https://s.example/d", Type: "Fetch", Canceled: true, Failure: "net::ERR_FAILED"},
			{URL: "https://s.example/e", Type: "Media", Canceled: true, Status: 416},
		}, []string{}},
		{"404 script whose body Chromium aborted", []crawler.Request{
			{URL: "https://s.example/recommend.js", Type: "Script", Status: 404, Canceled: true, Failure: "net::ERR_ABORTED"},
		}, []string{"https://s.example/recommend.js"}},
		{"blocked", []crawler.Request{
			{URL: "http://s.example/a.js", Type: "Script", Blocked: "mixed-content", Failure: "net::ERR_BLOCKED_BY_CLIENT"},
			{URL: "https://ads.example/b.js", Type: "Script", Failure: "net::ERR_BLOCKED_BY_CLIENT"},
			{URL: "https://s.example/c.js", Type: "Script", Blocked: "csp", Failure: "net::ERR_BLOCKED_BY_CSP"},
		}, []string{}},
		{"pending request is not a failure", []crawler.Request{
			{URL: "https://s.example/slow", Type: "Fetch"},
		}, []string{}},
		{"one finding per URL", []crawler.Request{
			{URL: js, Type: "Script", Status: 404},
			{URL: js, Type: "Script", Status: 404},
			{URL: js + "?v=2", Type: "Script", Status: 404},
		}, []string{js}},
		{"a later failure of a URL that once loaded", []crawler.Request{
			{URL: "https://s.example/api", Type: "Fetch", Status: 200},
			{URL: "https://s.example/api", Type: "Fetch", Status: 500},
		}, []string{"https://s.example/api"}},
		{"data and blob URLs", []crawler.Request{
			{URL: "data:font/woff2;base64,AAAA", Type: "Font", Failure: "net::ERR_INVALID_URL"},
			{URL: "blob:https://s.example/1", Type: "Media", Failure: "net::ERR_FILE_NOT_FOUND"},
		}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := okPage()
			p.Requests = tt.reqs
			fs := runRule(t, "page.broken-resource", p)
			if got := subjects(fs); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("subjects = %q, want %q", got, tt.want)
			}
			for _, f := range fs {
				if f.URL != p.URL || f.Severity != SeverityWarning {
					t.Errorf("finding header wrong: %+v", f)
				}
			}
		})
	}
}

func TestBrokenResourceEvidence(t *testing.T) {
	p := okPage()
	p.Requests = []crawler.Request{
		{URL: "https://s.example/a.css", Type: "Stylesheet", Status: 404},
		{URL: "https://s.example/b.woff2", Type: "Font", Failure: "net::ERR_CONNECTION_RESET"},
	}
	fs := runRule(t, "page.broken-resource", p)
	want := []struct {
		msg string
		ev  map[string]any
	}{
		{"The stylesheet answered HTTP 404.", map[string]any{"type": "Stylesheet", "status": 404, "error": ""}},
		{"The font failed to load: net::ERR_CONNECTION_RESET.", map[string]any{"type": "Font", "status": 0, "error": "net::ERR_CONNECTION_RESET"}},
	}
	if len(fs) != len(want) {
		t.Fatalf("got %d findings", len(fs))
	}
	for i, w := range want {
		if fs[i].Message != w.msg || !reflect.DeepEqual(fs[i].Evidence, w.ev) {
			t.Errorf("finding %d = %q %v, want %q %v", i, fs[i].Message, fs[i].Evidence, w.msg, w.ev)
		}
	}
}

func TestJSError(t *testing.T) {
	long := "TypeError: Cannot read properties of undefined (reading 'price') at renderCard in the product list component"
	tests := []struct {
		name    string
		console []crawler.ConsoleMessage
		want    []string
		count   []int
	}{
		{"none", nil, []string{}, nil},
		{"exception and console.error", []crawler.ConsoleMessage{
			{Kind: "exception", Text: "Uncaught ReferenceError: foo is not defined", Source: "https://s.example/a.js", Line: 3, Column: 7},
			{Kind: "console.error", Text: "cart  failed\n to load"},
		}, []string{"Uncaught ReferenceError: foo is not defined", "cart failed to load"}, []int{1, 1}},
		{"duplicates counted once", []crawler.ConsoleMessage{
			{Kind: "exception", Text: "boom"},
			{Kind: "exception", Text: "boom "},
			{Kind: "console.error", Text: "boom"},
			{Kind: "console.error", Text: "other"},
		}, []string{"boom", "other"}, []int{3, 1}},
		{"excerpted, and equal once excerpted", []crawler.ConsoleMessage{
			{Kind: "exception", Text: long},
			{Kind: "exception", Text: long + " (second render)"},
		}, []string{fingerprint.Excerpt(long)}, []int{2}},
		{"messages differing in a cache-buster", []crawler.ConsoleMessage{
			{Kind: "exception", Text: "failed https://s.example/a.js?v=1"},
			{Kind: "exception", Text: "failed https://s.example/a.js?v=2"},
		}, []string{"failed https://s.example/a.js?v=1"}, []int{2}},
		{"other kinds and network log lines are not script errors", []crawler.ConsoleMessage{
			{Kind: "console.warn", Text: "deprecated"},
			{Kind: "console.error", Text: "Failed to load resource: the server responded with a status of 404 (Not Found)"},
		}, []string{}, nil},
		{"Chinese message cut by characters", []crawler.ConsoleMessage{
			{Kind: "console.error", Text: strings.Repeat("价格加载失败", 20)},
		}, []string{string([]rune(strings.Repeat("价格加载失败", 20))[:80])}, []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := okPage()
			p.Console = tt.console
			fs := runRule(t, "page.js-error", p)
			if got := subjects(fs); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("subjects = %q, want %q", got, tt.want)
			}
			for i, f := range fs {
				if f.Evidence["count"] != tt.count[i] {
					t.Errorf("%q: count %v, want %d", f.Subject, f.Evidence["count"], tt.count[i])
				}
			}
		})
	}
}

func TestJSErrorEvidence(t *testing.T) {
	p := okPage()
	p.Console = []crawler.ConsoleMessage{
		{Kind: "exception", Text: "Uncaught Error: x", Source: "https://s.example/a.js", Line: 3, Column: 7},
		{Kind: "exception", Text: "Uncaught Error: x", Source: "https://s.example/b.js", Line: 9, Column: 1},
	}
	fs := runRule(t, "page.js-error", p)
	if len(fs) != 1 {
		t.Fatalf("got %d findings", len(fs))
	}
	want := map[string]any{"kind": "exception", "source": "https://s.example/a.js", "line": 3, "column": 7, "count": 2}
	if !reflect.DeepEqual(fs[0].Evidence, want) {
		t.Errorf("evidence = %v, want %v", fs[0].Evidence, want)
	}
	if m := "The page threw an uncaught exception in https://s.example/a.js:3:7 (2 times)."; fs[0].Message != m {
		t.Errorf("message = %q, want %q", fs[0].Message, m)
	}
}

func TestBrokenLink(t *testing.T) {
	site := &crawler.SiteFacts{
		Digests: []crawler.Digest{
			{URL: "https://shop.example/", Viewport: "desktop", Status: 200, Links: []string{
				"https://shop.example/gone", "https://shop.example/ok", "https://shop.example/p/9",
				"https://shop.example/refused", "https://shop.example/unknown",
			}},
			{URL: "https://shop.example/", Viewport: "mobile", Status: 200, Links: []string{
				"https://shop.example/gone",
			}},
			{URL: "https://shop.example/ok", Viewport: "desktop", Status: 200, Links: []string{
				"https://shop.example/deep?v=1", "https://shop.example/deep?v=2", "https://shop.example/gone",
			}},
		},
		LinkStatus: map[string]crawler.LinkStatus{
			"https://shop.example/gone":     {Status: 404},
			"https://shop.example/ok":       {Status: 200},
			"https://shop.example/p/9":      {Status: 399},
			"https://shop.example/refused":  {Error: "net::ERR_CONNECTION_REFUSED"},
			"https://shop.example/deep?v=1": {Status: 500},
			"https://shop.example/deep?v=2": {Status: 500},
		},
	}
	c := checkByID(t, "page.broken-link")
	if c.Run != nil || c.RunSite == nil {
		t.Fatal("page.broken-link must be a site check")
	}
	if fs := RunPage([]*Check{c}, testEnv(), okPage()); len(fs) != 0 {
		t.Errorf("RunPage ran a site check: %v", fs)
	}
	fs := RunSite([]*Check{c}, testEnv(), site, nil)
	type row struct{ url, vp, subject string }
	var got []row
	for _, f := range fs {
		got = append(got, row{f.URL, f.Viewport, f.Subject})
	}
	want := []row{
		{"https://shop.example/", "desktop", "https://shop.example/gone"},
		{"https://shop.example/", "mobile", "https://shop.example/gone"},
		{"https://shop.example/ok", "desktop", "https://shop.example/deep?v=1"},
		{"https://shop.example/ok", "desktop", "https://shop.example/gone"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("findings = %v, want %v", got, want)
	}
	if fs[0].Message != "The link target answered HTTP 404." ||
		!reflect.DeepEqual(fs[0].Evidence, map[string]any{"status": 404, "error": ""}) {
		t.Errorf("finding = %q %v", fs[0].Message, fs[0].Evidence)
	}
	if fs := RunSite([]*Check{c}, testEnv(), &crawler.SiteFacts{}, nil); len(fs) != 0 {
		t.Errorf("empty site: %v", fs)
	}
	if fs := RunSite([]*Check{c}, testEnv(), nil, nil); len(fs) != 0 {
		t.Errorf("nil site: %v", fs)
	}
}
