package crawler

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"golang.org/x/net/html/charset"
)

// SitemapLimits bound what ReadSitemaps fetches and keeps.
type SitemapLimits struct {
	MaxDepth int   // nesting of sitemap indexes: 1 = only the sitemaps given
	MaxFiles int   // sitemap files fetched in all
	MaxURLs  int   // page URLs returned in all
	MaxBytes int64 // per file, after decompression
}

// DefaultSitemapLimits follow the sitemap protocol's own caps (50 000 URLs,
// 50 MB per file) and nest no deeper than any real shop does.
var DefaultSitemapLimits = SitemapLimits{MaxDepth: 3, MaxFiles: 200, MaxURLs: 50000, MaxBytes: 50 << 20}

// maxLocBytes caps one <loc>; a longer one is not a URL worth keeping.
const maxLocBytes = 8 << 10

// Sitemaps returns the page URLs of base's origin's sitemaps: those rb lists
// (robots.txt Sitemap: lines) and /sitemap.xml, read with
// DefaultSitemapLimits. The URLs are normalised, de-duplicated and in
// document order; they may be on any host (the frontier keeps its own).
// Sitemaps that fail are logged and skipped: a sweep does not need them.
func (f *Fetcher) Sitemaps(ctx context.Context, base string, rb *Robots) []string {
	var locs []string
	if rb != nil {
		locs = append(locs, rb.Sitemaps...)
	}
	if n, ok := Resolve(base, "/sitemap.xml"); ok {
		locs = append(locs, n)
	}
	urls, err := f.ReadSitemaps(ctx, locs, DefaultSitemapLimits)
	if err != nil {
		f.log.Warn("sitemap", "err", err)
	}
	return urls
}

// ReadSitemaps fetches the sitemaps at locs and returns the page URLs they
// list, normalised, de-duplicated, in document order, following sitemap
// indexes depth-first within lim. It reads XML urlset and sitemapindex
// files (namespace-agnostic; image and video extensions are skipped) and
// plain-text ones (one URL per line), gzip-compressed or not. A sitemap that
// answers 404 or 410 is skipped silently; other failures, and limits
// reached, are joined into the error while the URLs read so far are kept.
func (f *Fetcher) ReadSitemaps(ctx context.Context, locs []string, lim SitemapLimits) ([]string, error) {
	r := &sitemapReader{f: f, lim: lim, seenFile: map[string]bool{}, seenURL: map[string]bool{}}
	for _, loc := range locs {
		if r.full() || ctx.Err() != nil {
			break
		}
		r.read(ctx, loc, 1)
	}
	if ctx.Err() != nil {
		r.errs = append(r.errs, ctx.Err())
	}
	return r.urls, errors.Join(r.errs...)
}

type sitemapReader struct {
	f        *Fetcher
	lim      SitemapLimits
	files    int
	seenFile map[string]bool
	seenURL  map[string]bool
	urls     []string
	errs     []error
	capped   bool // MaxURLs reached and reported
}

func (r *sitemapReader) full() bool { return len(r.urls) >= r.lim.MaxURLs }

func (r *sitemapReader) read(ctx context.Context, loc string, depth int) {
	n, err := Normalize(loc)
	if err != nil {
		r.errs = append(r.errs, fmt.Errorf("sitemap: %w", err)) // Normalize's error quotes loc
		return
	}
	if r.seenFile[n] {
		return
	}
	r.seenFile[n] = true
	if depth > r.lim.MaxDepth {
		r.errs = append(r.errs, fmt.Errorf("sitemap %s: nested deeper than %d: skipped", n, r.lim.MaxDepth))
		return
	}
	if r.files >= r.lim.MaxFiles {
		r.errs = append(r.errs, fmt.Errorf("sitemap %s: more than %d sitemap files: skipped", n, r.lim.MaxFiles))
		return
	}
	r.files++
	children, err := r.fetch(ctx, n)
	if err != nil {
		r.errs = append(r.errs, fmt.Errorf("sitemap %s: %w", n, err))
	}
	for _, c := range children {
		if r.full() || ctx.Err() != nil {
			return
		}
		r.read(ctx, c, depth+1)
	}
}

// fetch reads one sitemap file, adding its page URLs to r.urls and
// returning the sitemaps it indexes.
func (r *sitemapReader) fetch(ctx context.Context, loc string) ([]string, error) {
	resp, err := r.f.do(ctx, http.MethodGet, loc)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return nil, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	base := resp.Request.URL.String() // after redirects
	// Sniff instead of trusting the name or Content-Type: a .gz file may
	// come decompressed by the transport, an .xml file compressed.
	br := bufio.NewReader(capReader(resp.Body, r.lim.MaxBytes))
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		br = bufio.NewReader(capReader(zr, r.lim.MaxBytes))
	}
	var children []string
	emit := func(s string, isSitemap bool) bool {
		u, ok := Resolve(base, s)
		if !ok {
			return true
		}
		if isSitemap {
			children = append(children, u)
			return true
		}
		if r.full() {
			if !r.capped {
				r.capped = true
				r.errs = append(r.errs, fmt.Errorf("sitemaps list more than %d URLs: the rest is ignored", r.lim.MaxURLs))
			}
			return false
		}
		if !r.seenURL[u] {
			r.seenURL[u] = true
			r.urls = append(r.urls, u)
		}
		return true
	}
	if isXML(br) {
		err = parseSitemapXML(br, emit)
	} else {
		err = parseSitemapText(br, emit)
	}
	return children, err
}

// isXML reports whether the content starts, after a BOM and white space,
// with "<".
func isXML(br *bufio.Reader) bool {
	head, _ := br.Peek(512)
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	head = bytes.TrimLeft(head, " \t\r\n")
	return len(head) > 0 && head[0] == '<'
}

// parseSitemapXML streams a urlset or sitemapindex, calling emit with every
// <loc> directly inside <url> (isSitemap false) or <sitemap> (true) until
// emit returns false.
func parseSitemapXML(r io.Reader, emit func(loc string, isSitemap bool) bool) error {
	dec := xml.NewDecoder(r)
	// Decode by the declared charset (GBK, GB18030 … in Chinese shops), so
	// a URL path with Chinese characters reads right; an unknown label is
	// read as it is rather than rejecting the file.
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if r, err := charset.NewReaderLabel(label, in); err == nil {
			return r, nil
		}
		return in, nil
	}
	var stack []string
	var loc strings.Builder
	inLoc := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			stack = append(stack, t.Name.Local)
			if t.Name.Local == "loc" && (parent == "url" || parent == "sitemap") {
				inLoc = true
				loc.Reset()
			}
		case xml.CharData:
			if inLoc && loc.Len() < maxLocBytes {
				loc.Write(t)
			}
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			if inLoc && t.Name.Local == "loc" {
				inLoc = false
				parent := stack[len(stack)-1]
				if loc.Len() < maxLocBytes && !emit(strings.TrimSpace(loc.String()), parent == "sitemap") {
					return nil
				}
			}
		}
	}
}

// parseSitemapText reads a plain-text sitemap: one URL per line.
func parseSitemapText(r io.Reader, emit func(loc string, isSitemap bool) bool) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLocBytes)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "http://") && !strings.HasPrefix(line, "https://") {
			continue
		}
		if !emit(line, false) {
			return nil
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("text: %w", err)
	}
	return nil
}

// capReader reads r up to max bytes and fails with errTooLarge beyond.
func capReader(r io.Reader, max int64) io.Reader {
	return &cappedReader{r: io.LimitReader(r, max+1), left: max}
}

type cappedReader struct {
	r    io.Reader
	left int64
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, errTooLarge
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n + int(c.left), errTooLarge
	}
	return n, err
}
