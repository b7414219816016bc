package testsite

import (
	"bytes"
	"compress/flate"
	"crypto/tls"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// writeSite lays out files (path → content) in a temporary site folder.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// client trusts the test servers' self-signed certificates and does not
// follow redirects.
func client() *http.Client {
	return &http.Client{
		Timeout:       10 * time.Second,
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

type response struct {
	status int
	header http.Header
	body   string
}

func fetch(t *testing.T, method, url string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, string(b)}
}

func TestHandler(t *testing.T) {
	root := writeSite(t, map[string]string{
		"index.html":       `<a href="{{BASE}}/x.html">x</a> <script src="{{HTTPBASE}}/t.js"></script>`,
		"robots.txt":       "Sitemap: {{BASE}}/sitemap.xml\n",
		"sitemap.xml":      "<loc>{{BASE}}/</loc>",
		"app.js":           "var base = '{{BASE}}';",
		"logo.png":         "\x89PNG",
		"dir/index.html":   "dir index",
		"slow/late.html":   "late",
		"404.html":         "<title>没有这个页面</title> {{BASE}}",
		"500.html":         "服务器错误",
		"data/report.yaml": "a: 1",
		"gbk.html":         "<!doctype html><meta charset=\"GBK\"><p>\xc9\xbd\xd2\xb0</p>", // 山野
		"gb2312.html":      `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`,
	})
	site := Start(t, root, Options{SlowDelay: 300 * time.Millisecond})

	tests := []struct {
		name, method, url string
		status            int
		ctype             string
		body              string // exact body; "" = not checked
		contains          string
	}{
		{"index substitutes BASE and HTTPBASE", "GET", site.URL + "/", 200, "text/html; charset=utf-8",
			`<a href="` + site.URL + `/x.html">x</a> <script src="` + site.URL + `/t.js"></script>`, ""},
		{"TLS: BASE is https, HTTPBASE the plain server", "GET", site.TLSURL + "/", 200, "text/html; charset=utf-8",
			`<a href="` + site.TLSURL + `/x.html">x</a> <script src="` + site.URL + `/t.js"></script>`, ""},
		{"robots.txt", "GET", site.URL + "/robots.txt", 200, "text/plain; charset=utf-8", "Sitemap: " + site.URL + "/sitemap.xml\n", ""},
		{"sitemap.xml", "GET", site.URL + "/sitemap.xml", 200, "application/xml; charset=utf-8", "<loc>" + site.URL + "/</loc>", ""},
		{"scripts are served as they are", "GET", site.URL + "/app.js", 200, "text/javascript; charset=utf-8", "var base = '{{BASE}}';", ""},
		{"binary type", "GET", site.URL + "/logo.png", 200, "image/png", "\x89PNG", ""},
		{"folder index", "GET", site.URL + "/dir/", 200, "text/html; charset=utf-8", "dir index", ""},
		{"folder without slash redirects", "GET", site.URL + "/dir", 301, "", "", ""},
		{"missing file answers 404.html", "GET", site.URL + "/nope.html", 404, "text/html; charset=utf-8", "<title>没有这个页面</title> " + site.URL, ""},
		{"404.html itself answers 404", "GET", site.URL + "/404.html", 404, "text/html; charset=utf-8", "", "没有这个页面"},
		{"status 404", "GET", site.URL + "/status/404", 404, "text/html; charset=utf-8", "", "没有这个页面"},
		{"status 500 uses 500.html", "GET", site.URL + "/status/500", 500, "text/html; charset=utf-8", "服务器错误", ""},
		{"status without a page", "GET", site.URL + "/status/503", 503, "text/plain; charset=utf-8", "503 Service Unavailable\n", ""},
		{"status out of range", "GET", site.URL + "/status/200", 404, "", "", "没有这个页面"},
		{"status not a number", "GET", site.URL + "/status/abc", 404, "", "", "没有这个页面"},
		{"path cannot escape the root", "GET", site.URL + "/../../etc/passwd", 404, "", "", "没有这个页面"},
		{"HEAD has no body", "HEAD", site.URL + "/", 200, "text/html; charset=utf-8", "", ""},
		{"POST is refused", "POST", site.URL + "/", 405, "", "", ""},
		{"heavy.bin kb out of range", "GET", site.URL + "/heavy.bin?kb=999999999", 400, "", "", ""},
		{"heavy.bin kb not a number", "GET", site.URL + "/heavy.bin?kb=lots", 400, "", "", ""},
		{"a page's meta charset is its Content-Type charset", "GET", site.URL + "/gbk.html", 200, "text/html; charset=gbk",
			"<!doctype html><meta charset=\"GBK\"><p>\xc9\xbd\xd2\xb0</p>", ""},
		{"http-equiv charset", "GET", site.URL + "/gb2312.html", 200, "text/html; charset=gb2312", "", ""},
		{"yaml is text", "GET", site.URL + "/data/report.yaml", 200, "text/plain; charset=utf-8", "a: 1", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := fetch(t, tc.method, tc.url)
			if r.status != tc.status {
				t.Fatalf("status = %d, want %d (body %q)", r.status, tc.status, r.body)
			}
			if got := r.header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got)
			}
			if tc.ctype != "" && r.header.Get("Content-Type") != tc.ctype {
				t.Errorf("Content-Type = %q, want %q", r.header.Get("Content-Type"), tc.ctype)
			}
			if tc.body != "" && r.body != tc.body {
				t.Errorf("body = %q, want %q", r.body, tc.body)
			}
			if !strings.Contains(r.body, tc.contains) {
				t.Errorf("body = %q, want it to contain %q", r.body, tc.contains)
			}
			if tc.method == "HEAD" && r.body != "" {
				t.Errorf("HEAD body = %q", r.body)
			}
		})
	}

	t.Run("symlinks cannot escape the root", func(t *testing.T) {
		outside := writeSite(t, map[string]string{"secret.txt": "secret"})
		if err := os.Symlink(outside, filepath.Join(root, "out")); err != nil {
			t.Skip(err)
		}
		if r := fetch(t, "GET", site.URL+"/out/secret.txt"); r.status != 404 {
			t.Errorf("GET /out/secret.txt = %d %q, want 404", r.status, r.body)
		}
	})

	t.Run("redirect target", func(t *testing.T) {
		r := fetch(t, "GET", site.URL+"/dir?x=1")
		if loc := r.header.Get("Location"); loc != "/dir/?x=1" {
			t.Errorf("Location = %q, want /dir/?x=1", loc)
		}
	})
}

func TestHandlerSlow(t *testing.T) {
	root := writeSite(t, map[string]string{"index.html": "home", "slow/late.html": "late"})
	const delay = time.Second
	site := Start(t, root, Options{SlowDelay: delay})
	// Only /slow/ is delayed: / fetched while a /slow/ request is held is
	// answered before it (an order, not a time this machine must beat).
	held := make(chan error, 1)
	go func() { // not fetch: t.Fatal belongs to the test's goroutine
		res, err := client().Get(site.URL + "/slow/late.html")
		if err == nil {
			_, err = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		held <- err
	}()
	if r := fetch(t, "GET", site.URL+"/"); r.body != "home" {
		t.Fatalf("/ = %q", r.body)
	}
	select {
	case err := <-held:
		t.Errorf("/ was answered after a /slow/ request made before it (%v): / is delayed too", err)
	default:
		if err := <-held; err != nil {
			t.Fatalf("/slow/late.html: %v", err)
		}
	}
	start := time.Now()
	r := fetch(t, "GET", site.URL+"/slow/late.html")
	if d := time.Since(start); d < delay {
		t.Errorf("/slow/late.html took %v, want at least %v", d, delay)
	}
	if r.status != 200 || r.body != "late" {
		t.Errorf("/slow/late.html = %d %q, want 200 late", r.status, r.body)
	}
	start = time.Now()
	if r := fetch(t, "GET", site.URL+"/slow/missing.html"); r.status != 404 {
		t.Errorf("/slow/missing.html = %d, want 404 after the delay", r.status)
	}
	if d := time.Since(start); d < delay {
		t.Errorf("/slow/missing.html took %v, want at least %v", d, delay)
	}
}

func TestHandlerDefaultSlowDelay(t *testing.T) {
	h := Handler(t.TempDir(), Options{}).(*handler)
	if h.opts.SlowDelay != DefaultSlowDelay {
		t.Errorf("SlowDelay = %v, want %v", h.opts.SlowDelay, DefaultSlowDelay)
	}
}

func TestHandlerHeavy(t *testing.T) {
	site := Start(t, writeSite(t, map[string]string{"index.html": "home"}), Options{})
	for _, tc := range []struct {
		query string
		size  int
	}{{"?kb=3", 3 * 1024}, {"?kb=0", 0}, {"", 1024 * 1024}, {"?kb=3100", 3100 * 1024}} {
		r := fetch(t, "GET", site.URL+"/heavy.bin"+tc.query)
		if r.status != 200 || len(r.body) != tc.size {
			t.Errorf("heavy.bin%s = %d, %d bytes; want 200, %d bytes", tc.query, r.status, len(r.body), tc.size)
			continue
		}
		if r.header.Get("Content-Type") != "application/octet-stream" {
			t.Errorf("heavy.bin%s Content-Type = %q", tc.query, r.header.Get("Content-Type"))
		}
		if tc.size == 0 {
			continue
		}
		var z bytes.Buffer
		w, _ := flate.NewWriter(&z, flate.BestCompression)
		w.Write([]byte(r.body))
		w.Close()
		if z.Len() < tc.size*99/100 {
			t.Errorf("heavy.bin%s compresses to %d of %d bytes: want incompressible", tc.query, z.Len(), tc.size)
		}
	}
	a := fetch(t, "GET", site.URL+"/heavy.bin?kb=4").body
	if b := fetch(t, "GET", site.URL+"/heavy.bin?kb=4").body; a != b {
		t.Error("heavy.bin differs between requests")
	}
}

func TestRead(t *testing.T) {
	root := writeSite(t, map[string]string{
		"index.html": `<!doctype html>
<html lang="zh-CN" data-expect="page.js-error  perf.layout-shift@mobile" data-clean="image.broken">
<!-- <html data-expect="ignored.comment"> -->
<script>var s = '<a data-expect="ignored.script">';</script>
<img src="a.jpg" data-expect='image.blurry'>
<a href="/gone.html" data-expect-target="page.http-error">gone</a>
<a href="{{BASE}}/status/500?x=1#f" data-expect-target="page.http-error">error</a>
<img data-expect="page.js-error">`,
		"clean.html":     `<html lang="zh-CN"><p data-clean="layout.overlap image.blurry">无</p></html>`,
		"dir/index.html": `<html data-expect="perf.slow-load"><a href="../rel.html" data-expect-target="page.http-error">相对</a></html>`,
		"404.html":       `<html lang="zh-CN"><p>没有这个页面</p></html>`,
		"gone.txt":       "not html",
	})
	got, err := Read(root)
	if err != nil {
		t.Fatal(err)
	}
	want := &Fixtures{
		Expect: map[string][]string{
			"/":               {"image.blurry", "page.js-error", "perf.layout-shift@mobile"},
			"/clean.html":     {},
			"/dir/":           {"perf.slow-load"},
			"/gone.html":      {"page.http-error"},
			"/status/500?x=1": {"page.http-error"},
			"/rel.html":       {"page.http-error"},
		},
		Clean: map[string][]string{
			"/":           {"image.broken"},
			"/clean.html": {"image.blurry", "layout.overlap"},
		},
		Files: map[string]string{
			"/":           filepath.Join(root, "index.html"),
			"/clean.html": filepath.Join(root, "clean.html"),
			"/dir/":       filepath.Join(root, "dir", "index.html"),
			"/404.html":   filepath.Join(root, "404.html"),
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Read =\n%+v\nwant\n%+v", got, want)
	}
	if exp, err := Expectations(root); err != nil || !reflect.DeepEqual(exp, want.Expect) {
		t.Errorf("Expectations = %v, %v", exp, err)
	}

	for name, files := range map[string]map[string]string{
		"data-expect-target on an off-site link": {"index.html": `<a href="https://other.example/x" data-expect-target="page.http-error">x</a>`},
		"data-expect-target on a page with a file": {
			"index.html": `<a href="/a.html" data-expect-target="page.http-error">a</a>`,
			"a.html":     `<html data-expect="page.http-error"></html>`,
		},
		"data-expect on an error page":           {"index.html": `<p>x</p>`, "500.html": `<html data-expect="page.http-error"></html>`},
		"data-clean with a viewport":             {"index.html": `<html data-clean="layout.small-text@mobile"></html>`},
		"data-clean for a rule the page expects": {"index.html": `<html data-expect="perf.layout-shift@mobile"><p data-clean="perf.layout-shift"></p></html>`},
	} {
		if _, err := Read(writeSite(t, files)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := Read(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("missing root: no error")
	}
}

func TestScanTags(t *testing.T) {
	src := `<!DOCTYPE html><html lang=zh-CN><head><style>a > b { x: "<p>" }</style></head>
<body><!-- <a href="no"> --><a HREF='/a?x=1&amp;y=2' Data-X="1" data-x="2">a</a>
<SCRIPT>if (a < b) document.write('<img src="no">')</script><img src="/i.jpg" alt="图" width=800 hidden/></body>`
	type simple struct {
		Name  string
		Attrs map[string]string
	}
	var got []simple
	for _, tg := range scanTags(src) {
		got = append(got, simple{tg.name, tg.attrs})
	}
	want := []simple{
		{"html", map[string]string{"lang": "zh-CN"}},
		{"head", map[string]string{}},
		{"style", map[string]string{}},
		{"body", map[string]string{}},
		{"a", map[string]string{"href": "/a?x=1&y=2", "data-x": "1"}},
		{"script", map[string]string{}},
		{"img", map[string]string{"src": "/i.jpg", "alt": "图", "width": "800", "hidden": ""}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("scanTags =\n%v\nwant\n%v", got, want)
	}
}
