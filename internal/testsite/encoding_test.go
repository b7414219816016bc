package testsite

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

var updateGBK = flag.Bool("update-gbk", false, "rewrite fixtures/encoding/gbk.html from utf8.html")

// The GBK twin: fixtures/encoding/gbk.html is fixtures/encoding/utf8.html
// stored in GBK, with <meta charset="gbk"> for <meta charset="utf-8">.
// Rewrite it after editing utf8.html:
//
//	go test ./internal/testsite -run TestGBKTwin -update-gbk
const (
	utf8Meta = `<meta charset="utf-8">`
	gbkMeta  = `<meta charset="gbk">`
)

func TestGBKTwin(t *testing.T) {
	dir := filepath.Join(Dir(t, "fixtures"), "encoding")
	src, err := os.ReadFile(filepath.Join(dir, "utf8.html"))
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(src, []byte(utf8Meta)); n != 1 {
		t.Fatalf("utf8.html has %d %s, want 1", n, utf8Meta)
	}
	want := bytes.Replace(src, []byte(utf8Meta), []byte(gbkMeta), 1)
	if *updateGBK {
		if err := os.WriteFile(filepath.Join(dir, "gbk.html"), iconv(t, "UTF-8", "GBK", want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gbk, err := os.ReadFile(filepath.Join(dir, "gbk.html"))
	if err != nil {
		t.Fatal(err)
	}
	if utf8.Valid(gbk) {
		t.Error("gbk.html is valid UTF-8: not GBK-encoded")
	}
	if !bytes.Contains(gbk, []byte(gbkMeta)) {
		t.Errorf("gbk.html does not declare %s", gbkMeta)
	}

	// Without a GBK table: the ASCII is the same byte for byte, and every
	// other character of utf8.html is one two-byte GBK character.
	t.Run("shape", func(t *testing.T) {
		g, u := gbk, want
		for len(u) > 0 {
			r, n := utf8.DecodeRune(u)
			switch {
			case len(g) == 0:
				t.Fatalf("gbk.html ends before %q", u[:min(len(u), 40)])
			case r < utf8.RuneSelf:
				if g[0] != u[0] {
					t.Fatalf("gbk.html has %q where utf8.html has %q", g[:min(len(g), 40)], u[:min(len(u), 40)])
				}
				g = g[1:]
			default:
				if len(g) < 2 || g[0] < 0x81 || g[0] == 0xFF || g[1] < 0x40 || g[1] == 0x7F || g[1] == 0xFF {
					t.Fatalf("gbk.html: % x is not a GBK character for %q", g[:min(len(g), 2)], r)
				}
				g = g[2:]
			}
			u = u[n:]
		}
		if len(g) > 0 {
			t.Errorf("gbk.html has %d bytes more than utf8.html", len(g))
		}
	})

	t.Run("decodes to utf8.html", func(t *testing.T) {
		if got := iconv(t, "GBK", "UTF-8", gbk); !bytes.Equal(got, want) {
			t.Errorf("gbk.html decodes to\n%s\nwant utf8.html with %s", got, gbkMeta)
		}
	})

	t.Run("same expectations", func(t *testing.T) {
		exp, err := Expectations(Dir(t, "fixtures"))
		if err != nil {
			t.Fatal(err)
		}
		if g, u := exp["/encoding/gbk.html"], exp["/encoding/utf8.html"]; len(u) == 0 || !reflect.DeepEqual(g, u) {
			t.Errorf("gbk.html expects %v, utf8.html %v", g, u)
		}
	})

	t.Run("served as GBK", func(t *testing.T) {
		site := Start(t, Dir(t, "fixtures"), Options{})
		r := fetch(t, "GET", site.URL+"/encoding/gbk.html")
		if ct := r.header.Get("Content-Type"); r.status != 200 || ct != "text/html; charset=gbk" {
			t.Errorf("GET /encoding/gbk.html = %d, Content-Type %q; want 200, text/html; charset=gbk", r.status, ct)
		}
		if r.body != string(gbk) {
			t.Error("GET /encoding/gbk.html: body differs from the file")
		}
		r = fetch(t, "GET", site.URL+"/encoding/utf8.html")
		if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("GET /encoding/utf8.html: Content-Type %q", ct)
		}
	})
}

// iconv converts b between UTF-8 and GBK with golang.org/x/text.
func iconv(t *testing.T, from, to string, b []byte) []byte {
	t.Helper()
	var tr transform.Transformer
	switch {
	case from == "UTF-8" && to == "GBK":
		tr = simplifiedchinese.GBK.NewEncoder()
	case from == "GBK" && to == "UTF-8":
		tr = simplifiedchinese.GBK.NewDecoder()
	default:
		t.Fatalf("iconv %s → %s: not supported", from, to)
	}
	out, _, err := transform.Bytes(tr, b)
	if err != nil {
		t.Fatalf("%s → %s: %v", from, to, err)
	}
	return out
}
