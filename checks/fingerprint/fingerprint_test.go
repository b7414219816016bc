package fingerprint

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalizeForFingerprint(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"https://shop.example/p/1", "https://shop.example/p/1"},
		{"HTTPS://Shop.Example:8443/P/1", "https://shop.example/P/1"},
		{"http://127.0.0.1:53211/a.js", "http://127.0.0.1/a.js"},
		{"http://[::1]:8080/a", "http://[::1]/a"},
		{"http://[::1]/a", "http://[::1]/a"},
		{"http://user:pw@host:81/a", "http://user:pw@host/a"},
		{"https://s.example/", "https://s.example/"},
		{"https://s.example", "https://s.example"},
		{"https://s.example:443", "https://s.example"},
		// cache-busters, any case, wherever they sit; other params keep order and encoding
		{"https://s.example/a.css?v=3", "https://s.example/a.css"},
		{"https://s.example/a?b=2&t=99&a=%E4%B8%AD&_=17&TS=1&cb=x&timestamp=5", "https://s.example/a?b=2&a=%E4%B8%AD"},
		{"https://s.example/a?version=3&vv=1", "https://s.example/a?version=3&vv=1"},
		{"https://s.example/a?&&v=1&", "https://s.example/a"},
		{"https://s.example/app.js?3f9a2c1b", "https://s.example/app.js"},
		{"https://s.example/style.css?1700000000", "https://s.example/style.css"},
		{"https://s.example/list?42", "https://s.example/list?42"},
		{"https://s.example/p/1#reviews", "https://s.example/p/1"},
		// hashed asset names
		{"https://s.example/static/app-3f9a2c1b.js", "https://s.example/static/app-HASH.js"},
		{"https://s.example/static/app.3f9a2c1b.js", "https://s.example/static/app.HASH.js"},
		{"https://s.example/js/123.3f9a2c1b.chunk.js", "https://s.example/js/123.HASH.chunk.js"},
		{"https://s.example/3f9a2c1b4d5e.css", "https://s.example/HASH.css"},
		{"https://s.example/main_3F9A2C1B.css", "https://s.example/main_HASH.css"},
		{"https://s.example/vendors~main.3f9a2c1b.js", "https://s.example/vendors~main.HASH.js"},
		{"https://s.example/a-3f9a2c1b-5e6f7a8b9c.js", "https://s.example/a-HASH-HASH.js"},
		{"https://s.example/app-3f9a2c1.js", "https://s.example/app-3f9a2c1.js"},     // 7 digits: not a hash
		{"https://s.example/img-20240101.jpg", "https://s.example/img-20240101.jpg"}, // all digits: an ID or date
		{"https://s.example/deadbeefcafe.png", "https://s.example/deadbeefcafe.png"}, // no digit: a word
		{"https://s.example/p/item-5f3a9b2c.html", "https://s.example/p/item-5f3a9b2c.html"},
		{"https://s.example/3f9a2c1b/app.js", "https://s.example/3f9a2c1b/app.js"}, // directories are kept
		{"https://s.example/p/5f3a9b2c1d4e", "https://s.example/p/5f3a9b2c1d4e"},   // no extension: an ID
		// UUIDs anywhere
		{"https://s.example/o/123e4567-e89b-12d3-a456-426614174000/pay", "https://s.example/o/UUID/pay"},
		{"https://s.example/x.js?id=123E4567-E89B-12D3-A456-426614174000", "https://s.example/x.js?id=UUID"},
		{"https://s.example/123e4567-e89b-12d3-a456-426614174000.js", "https://s.example/UUID.js"},
		// text subjects
		{"TypeError: x is undefined", "TypeError: x is undefined"},
		{"Failed at https://cdn.example:8443/app-3f9a2c1b.js?v=2, retrying.",
			"Failed at https://cdn.example/app-HASH.js, retrying."},
		{"Loading chunk 7 failed. (error: https://s.example/7.3f9a2c1b.chunk.js)",
			"Loading chunk 7 failed. (error: https://s.example/7.HASH.chunk.js)"},
		{"cannot read app.3f9a2c1b.js line 3", "cannot read app.HASH.js line 3"},
		{"session 123e4567-e89b-12d3-a456-426614174000 expired", "session UUID expired"},
		{"#item-123e4567-e89b-12d3-a456-426614174000 > p", "#item-UUID > p"},
		{"404", "404"},
		{"net::ERR_CONNECTION_REFUSED", "net::ERR_CONNECTION_REFUSED"},
		{"商品 app-3f9a2c1b.css 加载失败", "商品 app-HASH.css 加载失败"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

var hex16 = regexp.MustCompile(`^[0-9a-f]{16}$`)

func TestFingerprint(t *testing.T) {
	base := Of("page.broken-resource", "desktop", "https://shop.example/p/1",
		"https://cdn.shop.example/static/app-3f9a2c1b.js?v=12")
	if !hex16.MatchString(base) {
		t.Fatalf("fingerprint %q is not 16 hex digits", base)
	}
	same := []struct{ name, rule, vp, url, subject string }{
		{"other port", "page.broken-resource", "desktop", "https://shop.example:8443/p/1",
			"https://cdn.shop.example:9443/static/app-3f9a2c1b.js?v=12"},
		{"other cache-buster", "page.broken-resource", "desktop", "https://shop.example/p/1?_=1700000000",
			"https://cdn.shop.example/static/app-3f9a2c1b.js?v=13&t=99"},
		{"rebuilt asset", "page.broken-resource", "desktop", "https://shop.example/p/1",
			"https://cdn.shop.example/static/app-77aa00ff.js"},
		{"host case", "page.broken-resource", "desktop", "https://SHOP.example/p/1",
			"https://cdn.shop.example/static/app-3f9a2c1b.js"},
	}
	for _, s := range same {
		if got := Of(s.rule, s.vp, s.url, s.subject); got != base {
			t.Errorf("%s: fingerprint %s, want %s", s.name, got, base)
		}
	}
	differ := []struct{ name, rule, vp, url, subject string }{
		{"rule", "security.mixed-content", "desktop", "https://shop.example/p/1", "https://cdn.shop.example/static/app-3f9a2c1b.js"},
		{"viewport", "page.broken-resource", "mobile", "https://shop.example/p/1", "https://cdn.shop.example/static/app-3f9a2c1b.js"},
		{"page", "page.broken-resource", "desktop", "https://shop.example/p/2", "https://cdn.shop.example/static/app-3f9a2c1b.js"},
		{"query", "page.broken-resource", "desktop", "https://shop.example/p/1?page=2", "https://cdn.shop.example/static/app-3f9a2c1b.js"},
		{"asset", "page.broken-resource", "desktop", "https://shop.example/p/1", "https://cdn.shop.example/static/vendor-3f9a2c1b.js"},
		{"path case", "page.broken-resource", "desktop", "https://shop.example/P/1", "https://cdn.shop.example/static/app-3f9a2c1b.js"},
	}
	for _, s := range differ {
		if got := Of(s.rule, s.vp, s.url, s.subject); got == base {
			t.Errorf("%s: fingerprint should differ from %s", s.name, base)
		}
	}
	// Pinned (sha256sum of "perf.slow-load|mobile|https://shop.example/|lcp_ms"):
	// changing the hash input would make every stored finding look new.
	if got, want := Of("perf.slow-load", "mobile", "https://shop.example/", "lcp_ms"), "2453dd9ef3ef7f63"; got != want {
		t.Errorf("pinned fingerprint = %s, want %s", got, want)
	}
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("a", 100)
	zh := strings.Repeat("商品价格", 30) // 120 runes, 360 bytes
	tests := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"  hello \n\t world  ", "hello world"},
		{"a\u3000\u00a0b", "a b"}, // ideographic and no-break spaces
		{long, long[:80]},
		{zh, string([]rune(zh)[:80])},
		{strings.Repeat("x", 79) + " y", strings.Repeat("x", 79)}, // no trailing space at the cut
		{strings.Repeat("x", 78) + " y", strings.Repeat("x", 78) + " y"},
		{"bad \xff byte", "bad \uFFFD byte"},
	}
	for _, tt := range tests {
		got := Excerpt(tt.in)
		if got != tt.want {
			t.Errorf("Excerpt(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if n := utf8.RuneCountInString(got); n > ExcerptLen {
			t.Errorf("Excerpt(%q) has %d runes", tt.in, n)
		}
	}
}

func TestSubject(t *testing.T) {
	u := "https://cdn.shop.example/static/" + strings.Repeat("very-long-path/", 10) + "app-3f9a2c1b.js?v=1"
	if got := Subject(u); got != u {
		t.Errorf("a URL subject was cut: %q", got)
	}
	if got := Subject(" " + strings.Repeat("字", 100) + " "); got != strings.Repeat("字", 80) {
		t.Errorf("a text subject was not excerpted: %q", got)
	}
}

func FuzzFingerprint(f *testing.F) {
	for _, s := range []string{
		"https://shop.example:8443/static/app-3f9a2c1b.js?v=1&x=2#f",
		"http://[::1]:80/123e4567-e89b-12d3-a456-426614174000.css?3f9a2c1b",
		"TypeError at https://cdn.example/a.3f9a2c1b.js:1:2.",
		"商品 app-3f9a2c1b.css 加载失败", "", "://", "a.b", "x://y:", "http://a?&&=&v",
		// Found by fuzzing: ports stacked up, and punctuation exposed by
		// dropping a fragment.
		"00000000000000000A://:0:00", "00000000000000000A://00000000000000:0!#0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if again := Normalize(n); again != n {
			t.Errorf("not idempotent: %q → %q → %q", s, n, again)
		}
		fp := Of("r.x", "desktop", s, s)
		if !hex16.MatchString(fp) || fp != Of("r.x", "desktop", s, s) {
			t.Errorf("bad or unstable fingerprint %q for %q", fp, s)
		}
		// A port never matters.
		if strings.ContainsAny(s, " \t\n\r\v\f/?#:@[]") || !utf8.ValidString(s) {
			return
		}
		a := "https://" + s + ".example/x.js"
		b := "https://" + s + ".example:8443/x.js"
		if Of("r.x", "desktop", a, a) != Of("r.x", "desktop", b, b) {
			t.Errorf("port changes the fingerprint: %q vs %q", a, b)
		}
	})
}

func FuzzExcerpt(f *testing.F) {
	for _, s := range []string{"", " a  b ", strings.Repeat("商", 100), "\xff\xfe", strings.Repeat("x ", 50)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := Excerpt(s)
		if !utf8.ValidString(e) {
			t.Fatalf("invalid UTF-8 %q", e)
		}
		if utf8.RuneCountInString(e) > ExcerptLen {
			t.Errorf("%d runes", utf8.RuneCountInString(e))
		}
		if strings.TrimSpace(e) != e || strings.Contains(e, "  ") {
			t.Errorf("whitespace not collapsed: %q", e)
		}
		if Excerpt(e) != e {
			t.Errorf("not idempotent: %q → %q", e, Excerpt(e))
		}
		// Text that fits is kept whole, only its whitespace collapsed.
		if c := strings.Join(strings.Fields(s), " "); utf8.ValidString(s) && utf8.RuneCountInString(c) <= ExcerptLen && e != c {
			t.Errorf("short text changed: %q → %q", s, e)
		}
	})
}
