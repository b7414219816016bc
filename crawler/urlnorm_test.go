package crawler

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{in: "http://shop.com", want: "http://shop.com/"},
		{in: "  https://shop.com/a  ", want: "https://shop.com/a"},
		{in: "HTTPS://Shop.COM/Path/Mixed", want: "https://shop.com/Path/Mixed"},
		{in: "http://shop.com:80/a", want: "http://shop.com/a"},
		{in: "https://shop.com:443/a", want: "https://shop.com/a"},
		{in: "http://shop.com:443/a", want: "http://shop.com:443/a"},
		{in: "https://shop.com:80/a", want: "https://shop.com:80/a"},
		{in: "http://127.0.0.1:8080/x", want: "http://127.0.0.1:8080/x"},
		{in: "http://[::1]:80/x", want: "http://[::1]/x"},
		{in: "http://[::1]:8080", want: "http://[::1]:8080/"},
		{in: "http://shop.com:/a", want: "http://shop.com/a"},
		{in: "http://shop.com/a#frag", want: "http://shop.com/a"},
		{in: "http://shop.com#frag", want: "http://shop.com/"},
		{in: "http://shop.com?b=2&a=1", want: "http://shop.com/?b=2&a=1"},
		{in: "http://shop.com/p?id=1&id=1&x=%2F#top", want: "http://shop.com/p?id=1&id=1&x=%2F"},
		{in: "http://shop.com/a/./b/../c", want: "http://shop.com/a/c"},
		{in: "http://shop.com/a/b/", want: "http://shop.com/a/b/"},
		{in: "http://shop.com/a%2Fb", want: "http://shop.com/a%2Fb"},
		{in: "http://shop.com/%E5%95%86%E5%93%81", want: "http://shop.com/%E5%95%86%E5%93%81"},
		{in: "http://shop.com/商品", want: "http://shop.com/%E5%95%86%E5%93%81"},
		{in: "http://user:pw@shop.com/a", want: "http://user:pw@shop.com/a"},
		{in: "/relative", err: true},
		{in: "shop.com/a", err: true},
		{in: "ftp://shop.com/a", err: true},
		{in: "mailto:a@shop.com", err: true},
		{in: "http:opaque", err: true},
		{in: "http:///path", err: true},
		{in: "http://shop.com/%zz", err: true},
		{in: "", err: true},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.in)
		if tt.err {
			if err == nil {
				t.Errorf("Normalize(%q) = %q, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if _, err := Normalize("ftp://x/"); !errors.Is(err, ErrNotHTTP) {
		t.Errorf("Normalize(ftp) error = %v, want ErrNotHTTP", err)
	}
}

func TestResolve(t *testing.T) {
	const base = "https://shop.com/c/shoes/index.html?page=2#top"
	tests := []struct {
		href, want string
		ok         bool
	}{
		{href: "item.htm?id=1", want: "https://shop.com/c/shoes/item.htm?id=1", ok: true},
		{href: "../bags/", want: "https://shop.com/c/bags/", ok: true},
		{href: "/p/1#reviews", want: "https://shop.com/p/1", ok: true},
		{href: "//CDN.shop.com:443/a", want: "https://cdn.shop.com/a", ok: true},
		{href: "http://Other.com:80", want: "http://other.com/", ok: true},
		{href: "?page=3", want: "https://shop.com/c/shoes/index.html?page=3", ok: true},
		{href: "#top", want: "https://shop.com/c/shoes/index.html?page=2", ok: true},
		{href: "", want: "https://shop.com/c/shoes/index.html?page=2", ok: true},
		{href: "  /a\n/b\t ", want: "https://shop.com/a/b", ok: true},
		{href: "mailto:help@shop.com"},
		{href: "tel:400-123-4567"},
		{href: "javascript:void(0)"},
		{href: "JavaScript:addCart(1)"},
		{href: "data:text/html,hi"},
		{href: "weixin://dl/business"},
		{href: "http://[bad"},
	}
	for _, tt := range tests {
		got, ok := Resolve(base, tt.href)
		if ok != tt.ok || got != tt.want {
			t.Errorf("Resolve(base, %q) = %q, %v; want %q, %v", tt.href, got, ok, tt.want, tt.ok)
		}
	}
	if got, ok := Resolve("not a base", "/a"); ok {
		t.Errorf("Resolve with a relative base = %q, want false", got)
	}
}

// checkNormal asserts what every normalised URL is.
func checkNormal(t *testing.T, in, n string) {
	t.Helper()
	u, err := url.Parse(n)
	if err != nil {
		t.Fatalf("%q -> %q does not parse: %v", in, n, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.Fragment != "" || strings.Contains(n, "#") {
		t.Fatalf("%q -> %q is not a fragment-free http(s) URL", in, n)
	}
	if u.Host != strings.ToLower(u.Host) {
		t.Fatalf("%q -> %q: host not lower-cased", in, n)
	}
	if again, err := Normalize(n); err != nil || again != n {
		t.Fatalf("not idempotent: %q -> %q -> %q, %v", in, n, again, err)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"http://shop.com", "HTTPS://Shop.COM:443/a/../b?x=1#f", "http://[::1]:80/",
		"http://a/%2e%2e/b", "http://a/./", "https://a:8080?", "http://a/b//c/../d",
		"http://user@A.com/", "http://a/%E5%95%86", "http://a/商品?q=鞋",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		n, err := Normalize(raw)
		if err != nil {
			return
		}
		checkNormal(t, raw, n)
	})
}

func FuzzResolve(f *testing.F) {
	for _, s := range []string{"a", "../b", "//h/x", "?q", "#f", "mailto:x", "/a/./b/../c", "http://H:80"} {
		f.Add("https://shop.com/c/d?x=1", s)
	}
	f.Fuzz(func(t *testing.T, base, href string) {
		n, ok := Resolve(base, href)
		if !ok {
			return
		}
		checkNormal(t, href, n)
	})
}

func TestHost(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"https://shop.com/p/1", "shop.com"},
		{"https://Shop.COM/p/1", "shop.com"},
		{"http://shop.com:8080/", "shop.com:8080"},
		{"http://shop.com:80/", "shop.com"},
		{"https://shop.com:443/", "shop.com"},
		{"http://shop.com:443/", "shop.com:443"},
		{"https://shop.com:80/", "shop.com:80"},
		{"https://shop.com:/", "shop.com"},
		{"http://[::1]:80/", "[::1]"},
		{"http://[::1]:8080/", "[::1]:8080"},
		{"http://127.0.0.1:41234/a?b#c", "127.0.0.1:41234"},
		{"//cdn.shop.com/a.jpg", "cdn.shop.com"},
		{"ws://Shop.com:80/socket", "shop.com:80"},
		{"/p/1", ""},
		{"mailto:a@shop.com", ""},
		{"data:text/plain,hi", ""},
		{"", ""},
		{"http://shop.com:bad/", ""},
		{"%zz", ""},
	}
	for _, tt := range tests {
		if got := Host(tt.in); got != tt.want {
			t.Errorf("Host(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if n, err := Normalize(tt.in); err == nil {
			if got := Host(n); got != tt.want {
				t.Errorf("Host(Normalize(%q)) = Host(%q) = %q, want %q", tt.in, n, got, tt.want)
			}
		}
	}
}
