package hostile

import (
	"bytes"
	"image"
	_ "image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The Go-served fixtures are what their comments say, without a browser.
func TestFixtures(t *testing.T) {
	s := New(Dir(t), Options{External: "http://outside.test"})
	defer s.Close()
	ts := httptest.NewServer(s)
	defer ts.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(t *testing.T, path string) (*http.Response, []byte) {
		t.Helper()
		res, err := client.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, b
	}

	t.Run("bomb claims 30000x30000", func(t *testing.T) {
		_, b := get(t, "/img/bomb.png")
		cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
		if err != nil || format != "png" || cfg.Width != BombSide || cfg.Height != BombSide {
			t.Errorf("DecodeConfig: %v %s %dx%d", err, format, cfg.Width, cfg.Height)
		}
		if len(b) > 1024 {
			t.Errorf("the bomb is %d bytes, want a few hundred", len(b))
		}
	})
	t.Run("huge image is a 100 MB picture", func(t *testing.T) {
		res, err := client.Get(ts.URL + "/img/huge-100mb.png")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		head := make([]byte, 64)
		if _, err := io.ReadFull(res.Body, head); err != nil {
			t.Fatal(err)
		}
		// A full decode would check the 100 MB chunk's CRC too, but takes
		// many seconds under the race detector; Chromium draws it
		// (TestHostile).
		cfg, format, err := image.DecodeConfig(bytes.NewReader(head))
		if err != nil || format != "png" || cfg.Width != 600 || cfg.Height != 400 {
			t.Errorf("DecodeConfig: %v %s %dx%d", err, format, cfg.Width, cfg.Height)
		}
		var tail tailWriter
		n, err := io.Copy(&tail, res.Body)
		if err != nil || int(n)+len(head) != hugeImageBytes {
			t.Errorf("%d bytes (%v), want %d", int(n)+len(head), err, hugeImageBytes)
		}
		if !bytes.HasSuffix(tail.last, []byte("IEND\xaeB`\x82")) {
			t.Errorf("does not end with IEND")
		}
	})
	t.Run("redirect loop", func(t *testing.T) {
		for from, to := range map[string]string{"/redirect-loop": "/redirect-loop/again", "/redirect-loop/again": "/redirect-loop"} {
			res, _ := get(t, from)
			if res.StatusCode != http.StatusFound || res.Header.Get("Location") != to {
				t.Errorf("%s: %d to %q, want 302 to %s", from, res.StatusCode, res.Header.Get("Location"), to)
			}
		}
	})
	t.Run("statuses", func(t *testing.T) {
		for path, code := range map[string]int{"/status/401": 401, "/status/500": 500, "/about.html": 200, "/nothing-here": 404} {
			if res, _ := get(t, path); res.StatusCode != code {
				t.Errorf("%s: %d, want %d", path, res.StatusCode, code)
			}
		}
		if res, _ := get(t, "/status/401"); !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Basic") {
			t.Errorf("401 without a Basic challenge")
		}
	})
	t.Run("download is an attachment", func(t *testing.T) {
		res, _ := get(t, "/download.csv")
		if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, DownloadName) {
			t.Errorf("Content-Disposition %q", cd)
		}
	})
	t.Run("reset answers nothing", func(t *testing.T) {
		if res, err := client.Get(ts.URL + "/reset"); err == nil {
			res.Body.Close()
			t.Errorf("got %d, want a connection error", res.StatusCode)
		}
	})
	t.Run("5000 links", func(t *testing.T) {
		_, b := get(t, "/links-5000.html")
		if n := bytes.Count(b, []byte(`<a href="/catalogue/`)); n != 5000 {
			t.Errorf("%d links", n)
		}
	})
	t.Run("index links every fixture", func(t *testing.T) {
		_, b := get(t, "/")
		if bytes.Contains(b, []byte("{{EXTERNAL}}")) || !bytes.Contains(b, []byte(`href="http://outside.test/"`)) {
			t.Errorf("{{EXTERNAL}} not replaced")
		}
		linked := map[string]bool{}
		for _, m := range regexp.MustCompile(`href="(/[^"]*)"`).FindAllSubmatch(b, -1) {
			linked[string(m[1])] = true
		}
		for _, p := range []string{"/never-ends.html", "/drip.html", "/redirect-loop", "/links-5000.html", "/reset",
			"/download.csv", "/status/401", "/status/500", "/crash.html", "/browser-kill.html"} {
			if !linked[p] {
				t.Errorf("index does not link %s", p)
			}
		}
		files, _ := filepath.Glob(filepath.Join(Dir(t), "*.html"))
		for _, f := range files {
			name := "/" + filepath.Base(f)
			if name != "/index.html" && name != "/meta-refresh-loop-b.html" && !linked[name] {
				t.Errorf("index does not link %s", name)
			}
			if b, _ := os.ReadFile(f); !bytes.Contains(b, []byte("<!--")) {
				t.Errorf("%s does not say what it imitates", name)
			}
		}
	})
	if n := s.Hits("/status/401"); n != 2 {
		t.Errorf("Hits(/status/401) = %d, want 2", n)
	}
}

// tailWriter keeps the last bytes written to it.
type tailWriter struct{ last []byte }

func (w *tailWriter) Write(p []byte) (int, error) {
	w.last = append(w.last, p...)
	if len(w.last) > 64 {
		w.last = w.last[len(w.last)-64:]
	}
	return len(p), nil
}
