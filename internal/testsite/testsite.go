// Package testsite serves the bundled test sites (testdata/sites/<name>) from
// disk for tests, benchmarks and `make demo`: static files, plus the few
// dynamic behaviours the planted defects need (a slow folder, error statuses,
// incompressible payloads), and the pages' inline expectations.
//
// A site is a folder of files served as they are, with these conventions:
//
//   - {{BASE}} in .html, .xml and .txt files becomes the serving origin
//     ("http://127.0.0.1:PORT", "https://…" over TLS), so robots.txt and
//     sitemap.xml carry absolute URLs although the port is random.
//     {{HTTPBASE}} becomes Options.HTTPBase: a plain-HTTP origin for
//     mixed-content fixtures.
//   - /slow/… is held for Options.SlowDelay before the file at that path
//     (under the slow/ folder) is served.
//   - /status/NNN (400–599) answers status NNN; /heavy.bin?kb=N answers N KB
//     of incompressible bytes (default 1024, at most MaxHeavyKB).
//   - NNN.html at the root is an error page: it is served with status NNN,
//     at its own path and as the body of that status (404.html for every
//     missing file).
//   - An .html file is sent with the charset its own <meta> declares
//     (text/html; charset=gbk for a GBK page), utf-8 when it declares none.
//   - Every response has Cache-Control: no-store, so a sweep sees every byte.
package testsite

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"mime"
	"net/http"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

//go:generate go run ./gen -out ../../testdata/sites

const (
	// DefaultSlowDelay is how long /slow/… is held when Options.SlowDelay is
	// 0. It is above the default fcp_ms budget (1800 ms), so a slow page
	// reports perf.slow-load at the default budgets.
	DefaultSlowDelay = 2 * time.Second
	// DemoSlowDelay is the delay the demo shop is served with (demoshop
	// --slow): above the default load_ms budget (3000 ms) too, so the slow
	// page breaks every timing budget (fcp_ms, lcp_ms, load_ms).
	DemoSlowDelay = 3500 * time.Millisecond
	// MaxHeavyKB caps /heavy.bin?kb=N.
	MaxHeavyKB = 64 << 10
)

// Options configure Handler.
type Options struct {
	// SlowDelay is how long a /slow/… request is held before its file is
	// served. Default (0): DefaultSlowDelay.
	SlowDelay time.Duration
	// HTTPBase replaces {{HTTPBASE}}: the origin of a plain-HTTP server of
	// the same site, without a trailing slash. Default (""): the request's
	// own host with the http scheme.
	HTTPBase string
}

// Handler serves the site folder root as the package doc describes. A
// missing root is not an error here: every request then answers 404.
func Handler(root string, opts Options) http.Handler {
	if opts.SlowDelay <= 0 {
		opts.SlowDelay = DefaultSlowDelay
	}
	return &handler{root: root, opts: opts}
}

type handler struct {
	root string
	opts Options
}

// errorPageRE matches an error page file at the site's root.
var errorPageRE = regexp.MustCompile(`^/([45][0-9][0-9])\.html$`)

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		h.serveError(w, r, http.StatusMethodNotAllowed)
		return
	}
	p := path.Clean("/" + r.URL.Path)
	switch {
	case p == "/heavy.bin":
		h.serveHeavy(w, r)
		return
	case strings.HasPrefix(p, "/status/"):
		code, err := strconv.Atoi(strings.TrimPrefix(p, "/status/"))
		if err != nil || code < 400 || code > 599 {
			code = http.StatusNotFound
		}
		h.serveError(w, r, code)
		return
	case strings.HasPrefix(p, "/slow/"):
		t := time.NewTimer(h.opts.SlowDelay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		}
	}
	if m := errorPageRE.FindStringSubmatch(p); m != nil {
		code, _ := strconv.Atoi(m[1])
		h.serveError(w, r, code)
		return
	}
	h.serveFile(w, r, p)
}

// serveFile serves the file at the clean URL path p; a folder serves its
// index.html, and a folder asked for without its trailing slash redirects.
func (h *handler) serveFile(w http.ResponseWriter, r *http.Request, p string) {
	name := strings.TrimPrefix(p, "/")
	if name == "" {
		name = "."
	}
	f, info, err := openInRoot(h.root, name)
	if err == nil && info.IsDir() {
		f.Close()
		if !strings.HasSuffix(r.URL.Path, "/") {
			target := p + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
		name = path.Join(name, "index.html")
		f, info, err = openInRoot(h.root, name)
	}
	if err != nil || !info.Mode().IsRegular() {
		if err == nil {
			f.Close()
		}
		h.serveError(w, r, http.StatusNotFound)
		return
	}
	defer f.Close()
	// A zero modtime sends no Last-Modified, so there are no conditional
	// requests: every visit transfers every byte.
	if !substituted(name) {
		w.Header().Set("Content-Type", contentType(name))
		http.ServeContent(w, r, name, time.Time{}, f)
		return
	}
	b, err := io.ReadAll(f)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", bodyType(name, b))
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(h.substitute(r, b)))
}

// substitute replaces {{BASE}} and {{HTTPBASE}} for this request.
func (h *handler) substitute(r *http.Request, b []byte) []byte {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	httpBase := h.opts.HTTPBase
	if httpBase == "" {
		httpBase = "http://" + r.Host
	}
	b = bytes.ReplaceAll(b, []byte("{{HTTPBASE}}"), []byte(strings.TrimSuffix(httpBase, "/")))
	return bytes.ReplaceAll(b, []byte("{{BASE}}"), []byte(scheme+"://"+r.Host))
}

// serveError answers code with the site's CODE.html when it has one, else
// with the status text.
func (h *handler) serveError(w http.ResponseWriter, r *http.Request, code int) {
	name := strconv.Itoa(code) + ".html"
	ctype := contentType(name)
	var body []byte
	f, info, err := openInRoot(h.root, name)
	if err == nil {
		if info.Mode().IsRegular() {
			body, err = io.ReadAll(f)
		}
		f.Close()
	}
	if err != nil || body == nil {
		body = []byte(fmt.Sprintf("%d %s\n", code, http.StatusText(code)))
		ctype = contentType(".txt")
	} else {
		ctype = bodyType(name, body)
		body = h.substitute(r, body)
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// serveHeavy answers ?kb=N KB of pseudo-random bytes: incompressible, so
// the transfer size is the body size whatever the encoding. The bytes are
// the same on every request.
func (h *handler) serveHeavy(w http.ResponseWriter, r *http.Request) {
	kb := 1024
	if s := r.URL.Query().Get("kb"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > MaxHeavyKB {
			h.serveError(w, r, http.StatusBadRequest)
			return
		}
		kb = n
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(kb*1024))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	src := rand.NewChaCha8([32]byte{'s', 't', 'o', 'r', 'e', 'c', 'h', 'e', 'c', 'k'})
	buf := make([]byte, 32*1024)
	for left := kb * 1024; left > 0; {
		n := min(left, len(buf))
		src.Read(buf[:n])
		if _, err := w.Write(buf[:n]); err != nil {
			return
		}
		left -= n
	}
}

// openInRoot opens name inside root; names that escape root (.., symlinks
// out) fail.
func openInRoot(root, name string) (*os.File, fs.FileInfo, error) {
	f, err := os.OpenInRoot(root, name)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, info, nil
}

// substituted reports whether a file's placeholders are replaced.
func substituted(name string) bool {
	switch path.Ext(name) {
	case ".html", ".xml", ".txt":
		return true
	}
	return false
}

// contentTypes are fixed here rather than taken from the system's MIME
// tables, which differ between machines.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".json":  "application/json; charset=utf-8",
	".xml":   "application/xml; charset=utf-8",
	".txt":   "text/plain; charset=utf-8",
	".yaml":  "text/plain; charset=utf-8",
	".svg":   "image/svg+xml; charset=utf-8",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".png":   "image/png",
	".gif":   "image/gif",
	".webp":  "image/webp",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".woff":  "font/woff",
	".ttf":   "font/ttf",
	".mp4":   "video/mp4",
	".webm":  "video/webm",
	".bin":   "application/octet-stream",
}

// metaCharsetRE finds a page's own charset declaration: <meta charset="gbk">
// or <meta http-equiv="Content-Type" content="text/html; charset=gbk">.
var metaCharsetRE = regexp.MustCompile(`(?i)<meta\s[^>]*charset\s*=\s*["']?([a-z0-9_.:-]+)`)

// bodyType is the Content-Type of the file name with contents b. An HTML
// page that declares a charset in its first 1024 bytes (where a browser's
// prescan looks) is sent with that charset, since a charset in the header
// overrides the page's own: a GBK page sent as utf-8 would show mojibake.
// Other pages and files get contentType(name).
func bodyType(name string, b []byte) string {
	if strings.ToLower(path.Ext(name)) != ".html" {
		return contentType(name)
	}
	if m := metaCharsetRE.FindSubmatch(b[:min(len(b), 1024)]); m != nil {
		return "text/html; charset=" + strings.ToLower(string(m[1]))
	}
	return contentType(name)
}

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}
