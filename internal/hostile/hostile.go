// Package hostile serves testdata/hostile: pages that misbehave on purpose
// (issue 9), each imitating something real storefronts, ad scripts or broken
// servers do, beside three ordinary control pages. A sweep from "/" must
// finish, give every hostile page a clear status or finding, store the
// control pages as if nothing happened, and leave no browser behind.
//
// The folder's .html files are served as they are, {{EXTERNAL}} replaced by
// Options.External. What needs Go is served here:
//
//   - /never-ends.html answers 200 and the start of a page, then nothing more
//     until the client goes away (a stalled upstream behind a proxy).
//   - /drip.html answers 200 and sends its page one byte a second (a
//     slowloris in reverse: a throttled or dying backend).
//   - /redirect-loop and /redirect-loop/again redirect to each other (a
//     misconfigured canonical-host or login redirect).
//   - /links-5000.html links to 5 000 catalogue pages under /catalogue/ (a
//     "全部商品" sitemap page); nothing under /catalogue/ exists.
//   - /img/huge-100mb.png is a 600×400 PNG carrying 100 MB in an ancillary
//     chunk before its pixels, streamed from a 64 KB buffer.
//   - /img/bomb.png is a PNG of a few hundred bytes whose header claims
//     30 000 × 30 000 pixels (a decompression bomb).
//   - /download.csv is a price list sent as an attachment
//     (Content-Disposition), which a browser downloads instead of showing.
//   - /status/401 (with a Basic challenge) and /status/500 answer those
//     statuses with a small HTML body.
//   - /reset resets the connection (TCP RST) without answering.
//   - /crash.html calls Options.Crash; its image /img/crash-held.png is held
//     until the client goes away, so the page cannot finish loading first.
//   - /browser-kill.html calls Options.KillBrowser before its first answer.
//   - /scroll-more?page=N is the infinite-scroll fixture's feed: 20 product
//     names as JSON.
//
// Every response is Cache-Control: no-store. Every request is counted by path
// (Hits), so tests can tell what was asked for and when.
package hostile

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options configure a Server. Hooks run on the server's goroutines.
type Options struct {
	// External is the origin ("http://127.0.0.1:PORT", no trailing slash) of
	// a server outside the sweep; pages link to it as {{EXTERNAL}}.
	External string
	// Crash, when set, is called in its own goroutine every time
	// /crash.html is served, with the page's absolute URL: it is expected
	// to crash the renderer showing that page.
	Crash func(pageURL string)
	// KillBrowser, when set, is called before the first answer of
	// /browser-kill.html (and never again): it is expected to kill the
	// browser that asked. The answer is sent once it returns.
	KillBrowser func()
}

// Server serves the fixtures of one folder. Close releases the requests it
// holds (never-ending bodies, the drip, the crash page's image).
type Server struct {
	root string
	opts Options

	done      chan struct{}
	closeOnce sync.Once
	killOnce  sync.Once

	mu    sync.Mutex
	hits  map[string]int
	first map[string]time.Time
}

// New returns a Server for the fixture folder root.
func New(root string, opts Options) *Server {
	return &Server{root: root, opts: opts, done: make(chan struct{}),
		hits: map[string]int{}, first: map[string]time.Time{}}
}

// Start serves Dir(t) over plain HTTP until the test ends. Cleanup releases
// the held requests before the server is closed, so closing never waits on
// them.
func Start(t testing.TB, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	s := New(Dir(t), opts)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	t.Cleanup(s.Close) // runs first
	return s, ts
}

// Dir returns testdata/hostile of the module that holds the working
// directory. It fails the test when there is none.
func Dir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("hostile: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			root := filepath.Join(dir, "testdata", "hostile")
			if _, err := os.Stat(filepath.Join(root, "index.html")); err != nil {
				t.Fatalf("hostile: no fixtures: %v", err)
			}
			return root
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("hostile: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Close releases every held request; later ones are not held. It is safe to
// call more than once.
func (s *Server) Close() { s.closeOnce.Do(func() { close(s.done) }) }

// Hits returns how many requests asked for the URL path p (any query).
func (s *Server) Hits(p string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[p]
}

// HitsUnder returns how many requests asked for a path starting with prefix.
func (s *Server) HitsUnder(prefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for p, c := range s.hits {
		if strings.HasPrefix(p, prefix) {
			n += c
		}
	}
	return n
}

// FirstHit returns when the URL path p was first asked for.
func (s *Server) FirstHit(p string) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	at, ok := s.first[p]
	return at, ok
}

func (s *Server) count(p string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits[p]++
	if _, ok := s.first[p]; !ok {
		s.first[p] = time.Now()
	}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.count(r.URL.Path)
	w.Header().Set("Cache-Control", "no-store")
	switch r.URL.Path {
	case "/never-ends.html":
		s.neverEnds(w, r)
	case "/drip.html":
		s.drip(w, r)
	case "/redirect-loop":
		http.Redirect(w, r, "/redirect-loop/again", http.StatusFound)
	case "/redirect-loop/again":
		http.Redirect(w, r, "/redirect-loop", http.StatusFound)
	case "/links-5000.html":
		links(w)
	case "/img/huge-100mb.png":
		hugeImage(w, r)
	case "/img/bomb.png":
		w.Header().Set("Content-Type", "image/png")
		w.Write(bombPNG)
	case "/download.csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+DownloadName+`"`)
		fmt.Fprint(w, "品名,规格,价格\n西湖龙井,250g,268\n")
	case "/status/401":
		w.Header().Set("WWW-Authenticate", `Basic realm="staff"`)
		errorPage(w, http.StatusUnauthorized, "需要登录")
	case "/status/500":
		errorPage(w, http.StatusInternalServerError, "服务器开小差了")
	case "/reset":
		reset(w)
	case "/crash.html":
		if s.opts.Crash != nil {
			go s.opts.Crash(origin(r) + r.URL.Path)
		}
		s.file(w, r)
	case "/img/crash-held.png":
		s.hold(r, time.Minute)
	case "/browser-kill.html":
		s.killOnce.Do(func() {
			if s.opts.KillBrowser != nil {
				s.opts.KillBrowser()
			}
		})
		s.file(w, r)
	case "/scroll-more":
		scrollMore(w, r)
	default:
		s.file(w, r)
	}
}

// DownloadName is the file name /download.csv is sent as; tests look for it
// on disk.
const DownloadName = "storecheck-hostile-prices.csv"

func origin(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// hold blocks until the client goes away, the server closes or max passes.
func (s *Server) hold(r *http.Request, max time.Duration) {
	t := time.NewTimer(max)
	defer t.Stop()
	select {
	case <-r.Context().Done():
	case <-s.done:
	case <-t.C:
	}
}

// neverEnds answers 200 and the start of a page, then holds the response
// open: a stalled upstream behind a proxy that already sent the headers.
func (s *Server) neverEnds(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>永不结束的响应</title></head>`+
		`<body><h1>永不结束的响应</h1><p>页面的后半部分永远不会到达。</p>`)
	w.(http.Flusher).Flush()
	s.hold(r, 10*time.Minute)
}

// drip sends a page one byte a second: a throttled or dying backend. The
// page is long enough that no sweep ever sees its end.
func (s *Server) drip(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	page := `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>每秒一个字节</title></head>` +
		`<body><h1>每秒一个字节</h1>` + strings.Repeat("<p>服务器每秒只发一个字节。</p>", 50) + `</body></html>`
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	f := w.(http.Flusher)
	for i := range len(page) {
		if _, err := w.Write([]byte{page[i]}); err != nil {
			return
		}
		f.Flush()
		select {
		case <-tick.C:
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
}

// links answers a "全部商品" page linking to 5 000 catalogue pages.
func links(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var b bytes.Buffer
	b.WriteString(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>五千个链接</title></head>` +
		`<body><h1>全部商品</h1><ol>`)
	for i := 1; i <= 5000; i++ {
		fmt.Fprintf(&b, `<li><a href="/catalogue/item-%04d.html">茶品 %d</a></li>`, i, i)
	}
	b.WriteString(`</ol></body></html>`)
	w.Write(b.Bytes())
}

// hugeImageBytes is the size of /img/huge-100mb.png.
const hugeImageBytes = 100 << 20

// hugeImage streams a valid 600×400 PNG of hugeImageBytes: a private
// ancillary chunk of zeros sits between IHDR and the pixels, so the browser
// must receive all of it before it can draw anything.
func hugeImage(w http.ResponseWriter, r *http.Request) {
	const sigIHDR = 8 + 25 // signature, IHDR chunk
	// The padding chunk's data: what is left after its length, type and
	// CRC fields.
	pad := hugeImageBytes - len(smallPNG) - 12
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(hugeImageBytes))
	if r.Method == http.MethodHead {
		return
	}
	if _, err := w.Write(smallPNG[:sigIHDR]); err != nil {
		return
	}
	var head [8]byte
	binary.BigEndian.PutUint32(head[:4], uint32(pad))
	copy(head[4:], "paDd") // ancillary, private, safe to copy
	crc := crc32.NewIEEE()
	crc.Write(head[4:])
	if _, err := w.Write(head[:]); err != nil {
		return
	}
	zeros := make([]byte, 64<<10)
	for left := pad; left > 0; {
		n := min(left, len(zeros))
		crc.Write(zeros[:n])
		if _, err := w.Write(zeros[:n]); err != nil {
			return
		}
		left -= n
	}
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], crc.Sum32())
	if _, err := w.Write(sum[:]); err != nil {
		return
	}
	w.Write(smallPNG[sigIHDR:])
}

// smallPNG is the picture inside the huge image: 600×400, two tones.
var smallPNG = func() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 600, 400))
	for y := range 400 {
		for x := range 600 {
			c := color.NRGBA{R: 45, G: 94, B: 58, A: 255}
			if (x/50+y/50)%2 == 0 {
				c = color.NRGBA{R: 250, G: 247, B: 241, A: 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}()

// BombSide is the width and height /img/bomb.png claims, in pixels.
const BombSide = 30000

// bombPNG is a PNG signature, an IHDR claiming BombSide × BombSide RGB
// pixels, one small IDAT (the zlib stream of a few empty rows, far short of
// the 2.7 GB the header promises) and IEND.
var bombPNG = func() []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], BombSide)
	binary.BigEndian.PutUint32(ihdr[4:], BombSide)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB, no interlace
	chunk(&b, "IHDR", ihdr)
	// zlib stream of 256 zero bytes, stored uncompressed (Go's zlib is
	// not needed for so little: header, one stored block, Adler-32).
	raw := make([]byte, 256)
	idat := []byte{0x78, 0x01, 0x01, byte(len(raw)), byte(len(raw) >> 8), ^byte(len(raw)), ^byte(len(raw) >> 8)}
	idat = append(idat, raw...)
	idat = binary.BigEndian.AppendUint32(idat, adler32(raw))
	chunk(&b, "IDAT", idat)
	chunk(&b, "IEND", nil)
	return b.Bytes()
}()

func chunk(b *bytes.Buffer, typ string, data []byte) {
	binary.Write(b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	binary.Write(b, binary.BigEndian, crc.Sum32())
}

func adler32(p []byte) uint32 {
	a, b := uint32(1), uint32(0)
	for _, c := range p {
		a = (a + uint32(c)) % 65521
		b = (b + a) % 65521
	}
	return b<<16 | a
}

// errorPage answers code with a small HTML page saying msg.
func errorPage(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	fmt.Fprintf(w, `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>%d</title></head><body><h1>%s</h1></body></html>`, code, msg)
}

// reset closes the connection with a TCP RST before answering anything: a
// crashing backend or a middlebox that kills the flow.
func reset(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0) // close sends RST, not FIN
	}
	conn.Close()
}

// scrollMore answers the next 20 product names of the infinite listing.
func scrollMore(w http.ResponseWriter, r *http.Request) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	names := make([]string, 20)
	for i := range names {
		names[i] = fmt.Sprintf("茶品 %d", page*20+i)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(names)
}

// file serves the fixture at the request's path ("/" is index.html);
// .html files get {{EXTERNAL}} replaced.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == "" {
		name = "index.html"
	}
	root, err := os.OpenRoot(s.root)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer root.Close()
	b, err := root.ReadFile(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	ctype := "application/octet-stream"
	switch path.Ext(name) {
	case ".html":
		ctype = "text/html; charset=utf-8"
		b = bytes.ReplaceAll(b, []byte("{{EXTERNAL}}"), []byte(s.opts.External))
	case ".md":
		ctype = "text/plain; charset=utf-8"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}
