package sweep

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/storecheck/storecheck/checks/pagemodel"
	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/ocr"
	"github.com/storecheck/storecheck/ocr/ocrtest"
	"github.com/storecheck/storecheck/storage"
)

func fixturePicture(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "sites", "fixtures", "ocr", rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The OCR step chooses a visit's pictures as the contract says and counts
// what it skipped; the same picture on a later visit of the sweep is not
// read again. Real tesseract on one small flat banner.
func TestPictureReaderChooses(t *testing.T) {
	cfg := config.Defaults()
	ocrtest.NeedTesseract(t, cfg.OCR.Languages)
	cfg.OCR.MaxPerPage = 1
	cfg.Images.MaxMegapixels = 0.25 // the 750×420 screenshot is over it, the 750×250 banners are not
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	r := newPictureReader(context.Background(), &cfg, true, nil, log)
	if r == nil {
		t.Fatalf("no OCR step (is tesseract with chi_sim installed?):\n%s", logs.String())
	}
	banner := fixturePicture(t, "drawn/banner-expired-flat.png")
	pic := func(name string, b []byte, w, h float64) crawler.Image {
		u := "https://shop.example/img/" + name
		return crawler.Image{Src: u, CurrentSrc: u, Selector: "#" + strings.TrimSuffix(name, filepath.Ext(name)),
			Box: crawler.Box{W: w, H: h}, Visible: true, Complete: true, Status: 200, Bytes: b}
	}
	hidden := pic("hidden.png", banner, 750, 250)
	hidden.Visible = false
	truncated := pic("truncated.png", nil, 750, 250)
	truncated.BytesTruncated = true
	pg := &crawler.Page{URL: "https://shop.example/", Status: 200, HTML: "<html><body></body></html>",
		Images: []crawler.Image{
			pic("logo.png", banner, 100, 100), // skipped_small: 100 CSS px < ocr.min_px
			hidden,                            // not a candidate
			pic("art.svg", []byte("<svg/>"), 750, 250), // not a candidate
			truncated, // no bytes: not a candidate
			pic("garbage.jpg", []byte("not a picture"), 750, 250),                           // failed
			pic("order.png", fixturePicture(t, "img/detail-id-number.png"), 750, 420),       // skipped_large
			pic("banner.png", banner, 750, 250),                                             // read
			pic("banner-copy.png", banner, 750, 250),                                        // the same bytes: read once, not counted again
			pic("banner-618.png", fixturePicture(t, "drawn/banner-618-flat.png"), 750, 250), // skipped_limit
		}}
	pics, counts := r.read(t.Context(), pg)
	want := storage.OCRCounts{Read: 1, SkippedSmall: 1, SkippedLarge: 1, SkippedLimit: 1, Failed: 1}
	if counts == nil || *counts != want {
		t.Errorf("counts %+v, want %+v", counts, want)
	}
	if len(pics) != 1 || pics[0].Image.Selector != "#banner" || len(pics[0].Lines) == 0 ||
		!strings.Contains(pics[0].Lines[0].Text, "国庆") {
		t.Errorf("pictures %+v, want the banner's lines", pics)
	}

	// The mobile visit of the same page: the banner comes from the sweep's
	// own memory, the engine does not run.
	_, again := r.read(t.Context(), pg)
	want.Read, want.Cached = 0, 1
	if again == nil || *again != want {
		t.Errorf("second visit counts %+v, want %+v", again, want)
	}
}

// Two visits at once showing the same picture among others (desktop and
// mobile of one page, say): each reads its pictures in one batch, and the
// shared picture is read by one of them only; the other waits for it.
func TestPictureReaderShares(t *testing.T) {
	cfg := config.Defaults()
	ocrtest.NeedTesseract(t, cfg.OCR.Languages)
	r := newPictureReader(context.Background(), &cfg, true, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if r == nil {
		t.Fatal("no OCR step (is tesseract with chi_sim installed?)")
	}
	pic := func(name, file string) crawler.Image {
		u := "https://shop.example/img/" + name
		return crawler.Image{Src: u, CurrentSrc: u, Selector: "#" + name, Box: crawler.Box{W: 750, H: 250},
			Visible: true, Complete: true, Status: 200, Bytes: fixturePicture(t, file)}
	}
	shared := pic("shared", "drawn/banner-expired-flat.png")
	pages := []*crawler.Page{
		{URL: "https://shop.example/a", Status: 200, HTML: "<html></html>", Images: []crawler.Image{shared, pic("a", "drawn/banner-618-flat.png")}},
		{URL: "https://shop.example/b", Status: 200, HTML: "<html></html>", Images: []crawler.Image{pic("b", "img/photo-tin.jpg"), shared}},
	}
	counts := make([]*storage.OCRCounts, len(pages))
	pics := make([][]pagemodel.Picture, len(pages))
	var wg sync.WaitGroup
	for i, pg := range pages {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pics[i], counts[i] = r.read(t.Context(), pg)
		}()
	}
	wg.Wait()
	var read, cached int
	for i, c := range counts {
		if c == nil || c.Failed != 0 {
			t.Fatalf("visit %d: counts %+v", i, c)
		}
		read, cached = read+c.Read, cached+c.Cached
		found := false
		for _, p := range pics[i] {
			found = found || p.Image.Selector == "#shared" && strings.Contains(p.Lines[0].Text, "国庆")
		}
		if !found {
			t.Errorf("visit %d: the shared banner's text is missing from %+v", i, pics[i])
		}
	}
	if read != 3 || cached != 1 {
		t.Errorf("read %d, cached %d over both visits; want 3 read (the shared banner once) and 1 cached", read, cached)
	}
}

// Without tesseract, or with OCR off, there is no OCR step; a missing
// program says so in one warning.
func TestPictureReaderOff(t *testing.T) {
	tests := []struct {
		name      string
		set       func(*config.OCR)
		wanted    bool
		wantWarns int
	}{
		{"missing program", func(o *config.OCR) { o.Tesseract = "/nonexistent/tesseract" }, true, 1},
		{"disabled", func(o *config.OCR) { o.Enabled = false }, true, 0},
		{"no rule reads pictures", func(o *config.OCR) {}, false, 0},
		{"missing language", func(o *config.OCR) { o.Languages = "chi_sim+xyz_nope" }, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Defaults()
			tt.set(&cfg.OCR)
			var logs bytes.Buffer
			r := newPictureReader(context.Background(), &cfg, tt.wanted, nil, slog.New(slog.NewTextHandler(&logs, nil)))
			if r != nil {
				t.Fatal("an OCR step, want none")
			}
			if n := strings.Count(logs.String(), "level=WARN"); n != tt.wantWarns {
				t.Errorf("%d warnings, want %d:\n%s", n, tt.wantWarns, logs.String())
			}
			if pics, counts := r.read(t.Context(), &crawler.Page{Status: 200, HTML: "<html></html>"}); pics != nil || counts != nil {
				t.Errorf("a nil step read %v %v", pics, counts)
			}
		})
	}
}

// memoryCache is an ocr.Cache in memory that counts the engine's reads
// (every read the engine makes is put).
type memoryCache struct {
	mu   sync.Mutex
	m    map[string]ocr.Result
	puts int
}

func (c *memoryCache) Get(_ context.Context, key string) (ocr.Result, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.m[key]
	return r, ok, nil
}

func (c *memoryCache) Put(_ context.Context, key string, r ocr.Result) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[key] = r
	c.puts++
	return nil
}

func (c *memoryCache) reads() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.puts
}

// The pictures a visit hands over early (while its page settles) are read
// in the background, only those its read could choose by their bytes; the
// visit's read then runs no engine, yet counts them read, as the first
// visit to use an engine's read; a later visit counts them cached, and so
// does a visit whose early read found them in the store. Real tesseract.
func TestPictureReaderEarly(t *testing.T) {
	cfg := config.Defaults()
	ocrtest.NeedTesseract(t, cfg.OCR.Languages)
	cache := &memoryCache{m: map[string]ocr.Result{}}
	discard := slog.New(slog.NewTextHandler(io.Discard, nil))
	r := newPictureReader(context.Background(), &cfg, true, cache, discard)
	if r == nil {
		t.Fatal("no OCR step (is tesseract with chi_sim installed?)")
	}
	banner, banner618 := fixturePicture(t, "drawn/banner-expired-flat.png"), fixturePicture(t, "drawn/banner-618-flat.png")
	var icon bytes.Buffer // under ocr.min_px however it is shown: not read early
	if err := png.Encode(&icon, image.NewGray(image.Rect(0, 0, 40, 40))); err != nil {
		t.Fatal(err)
	}
	r.readEarly(t.Context(), [][]byte{banner, icon.Bytes(), []byte("not a picture"), banner, banner618})
	r.wait()
	if n := cache.reads(); n != 2 {
		t.Fatalf("early: the engine read %d pictures, want 2 (the two banners, once each)", n)
	}

	pic := func(name string, b []byte) crawler.Image {
		u := "https://shop.example/img/" + name
		return crawler.Image{Src: u, CurrentSrc: u, Selector: "#" + name, Box: crawler.Box{W: 750, H: 250},
			Visible: true, Complete: true, Status: 200, Bytes: b}
	}
	pg := &crawler.Page{URL: "https://shop.example/", Status: 200, HTML: "<html></html>",
		Images: []crawler.Image{pic("banner", banner), pic("banner-618", banner618)}}
	pics, counts := r.read(t.Context(), pg)
	if want := (storage.OCRCounts{Read: 2}); counts == nil || *counts != want {
		t.Errorf("the visit's counts %+v, want %+v", counts, want)
	}
	if len(pics) != 2 || !strings.Contains(pics[0].Lines[0].Text, "国庆") {
		t.Errorf("pictures %+v, want both banners' lines, the expired one's first", pics)
	}
	if _, again := r.read(t.Context(), pg); again == nil || *again != (storage.OCRCounts{Cached: 2}) {
		t.Errorf("a later visit's counts %+v, want both cached", again)
	}
	if n := cache.reads(); n != 2 {
		t.Errorf("the engine read %d pictures over the visits, want the 2 read early", n)
	}

	// The next sweep: its early read finds both in the store.
	next := newPictureReader(context.Background(), &cfg, true, cache, discard)
	next.readEarly(t.Context(), [][]byte{banner, banner618})
	next.wait()
	if _, counts := next.read(t.Context(), pg); counts == nil || *counts != (storage.OCRCounts{Cached: 2}) {
		t.Errorf("next sweep's counts %+v, want both cached", counts)
	}
	if n := cache.reads(); n != 2 {
		t.Errorf("the engine read %d pictures over both sweeps, want 2", n)
	}
}
