package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
)

// linkRenderer is a Renderer over a fixed link graph. It stands in for the
// browser only in these unit tests of the sweep loop's bookkeeping; the
// end-to-end tests drive the real Chromium.
type linkRenderer struct {
	base  string
	graph map[string][]string // path -> linked paths
	mu    sync.Mutex
	order []string // "path viewport" in render order
}

func (r *linkRenderer) Render(ctx context.Context, req RenderRequest) (*Page, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	path := req.URL[len(r.base):]
	r.mu.Lock()
	r.order = append(r.order, path+" "+req.Viewport.Name)
	r.mu.Unlock()
	links, ok := r.graph[path]
	p := &Page{URL: req.URL, FinalURL: req.URL, Viewport: req.Viewport, Depth: req.Depth, Status: 200}
	if !ok {
		p.Status = 404
	}
	for _, l := range links {
		p.Links = append(p.Links, Link{URL: r.base + l})
	}
	return p, nil
}
func (r *linkRenderer) Version() string { return "fake" }
func (r *linkRenderer) Close() error    { return nil }

func TestSweepBreadthFirstSorted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path == "/gone" {
			http.NotFound(w, req)
		}
	}))
	defer srv.Close()
	base := srv.URL
	r := &linkRenderer{base: base, graph: map[string][]string{
		"/":   {"/c", "/a", "/b", "http://elsewhere.example/x"},
		"/a":  {"/a1", "/"},
		"/b":  {"/b1", "/gone"},
		"/c":  {},
		"/a1": {"/deep"},
		"/b1": {},
	}}
	var visits []string
	var mu sync.Mutex
	site, err := Sweep(context.Background(), r, SweepOptions{
		StartURLs: []string{base + "/"}, Viewports: []Viewport{Desktop},
		Concurrency: 1, MaxPages: 6, MaxDepth: 2,
		Fetcher: NewFetcher(FetchOptions{Hosts: []string{Host(base)}}),
	}, func(ctx context.Context, p *Page) error {
		mu.Lock()
		visits = append(visits, p.URL[len(base):]+" "+string(p.Kind))
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Depth 0, then depth 1 sorted, then depth 2 sorted, cut at 6 URLs.
	want := []string{"/ desktop", "/a desktop", "/b desktop", "/c desktop", "/a1 desktop", "/b1 desktop"}
	if !slices.Equal(r.order, want) {
		t.Errorf("render order %v, want %v", r.order, want)
	}
	if visits[0] != "/ home" {
		t.Errorf("start URL kind: %s", visits[0])
	}
	// /gone was cut by max_pages, yet its link status is known (checked by HTTP);
	// /deep is beyond max_depth and answers 200 from the test server.
	if st := site.LinkStatus[base+"/gone"]; st.Status != 404 {
		t.Errorf("/gone link status %+v, want 404", st)
	}
	if st, ok := site.LinkStatus[base+"/deep"]; ok && st.Status != 200 {
		t.Errorf("/deep link status %+v", st)
	}
	if len(site.Digests) != 6 {
		t.Errorf("%d digests, want 6", len(site.Digests))
	}
}

func TestSweepStops(t *testing.T) {
	r := &linkRenderer{base: "http://shop.test", graph: map[string][]string{"/": {"/a", "/b"}, "/a": {}, "/b": {}}}
	opts := SweepOptions{StartURLs: []string{"http://shop.test/"}, Viewports: []Viewport{Desktop, Mobile}, Concurrency: 2, MaxPages: 10, MaxDepth: 3}

	t.Run("visit error is fatal", func(t *testing.T) {
		boom := errors.New("disk gone")
		_, err := Sweep(context.Background(), r, opts, func(context.Context, *Page) error { return boom })
		if !errors.Is(err, boom) {
			t.Errorf("err = %v, want %v", err, boom)
		}
	})
	// Renderer and VisitFunc errors name their page; Sweep adds no second
	// copy of that context.
	t.Run("visit error once", func(t *testing.T) {
		_, err := Sweep(context.Background(), r, opts, func(_ context.Context, p *Page) error {
			return fmt.Errorf("add page %s (%s): %w", p.URL, p.Viewport.Name, errors.New("disk gone"))
		})
		if err == nil || strings.Count(err.Error(), " (") != 1 || !strings.HasPrefix(err.Error(), "add page ") {
			t.Errorf("err = %v, want the visit's error as it is", err)
		}
	})
	t.Run("render error once", func(t *testing.T) {
		_, err := Sweep(context.Background(), brokenRenderer{}, opts, func(context.Context, *Page) error { return nil })
		if !errors.Is(err, ErrBrowserDied) || strings.Count(err.Error(), "render ") != 1 {
			t.Errorf("err = %v, want ErrBrowserDied with one render prefix", err)
		}
	})
	t.Run("cancel keeps finished visits", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		var mu sync.Mutex
		n := 0
		_, err := Sweep(ctx, r, opts, func(context.Context, *Page) error {
			mu.Lock()
			defer mu.Unlock()
			n++
			if n == 2 {
				cancel()
			}
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if n < 2 || n >= 6 {
			t.Errorf("%d visits handed over, want the 2 before the cancel and not all 6", n)
		}
	})
	t.Run("start URL unreachable", func(t *testing.T) {
		dead := &deadRenderer{}
		_, err := Sweep(context.Background(), dead, opts, func(context.Context, *Page) error { return nil })
		if !errors.Is(err, ErrStartFailed) {
			t.Errorf("err = %v, want ErrStartFailed", err)
		}
	})
}

type brokenRenderer struct{}

func (brokenRenderer) Render(ctx context.Context, req RenderRequest) (*Page, error) {
	return nil, fmt.Errorf("render %s (%s): %w", req.URL, req.Viewport.Name, ErrBrowserDied)
}
func (brokenRenderer) Version() string { return "fake" }
func (brokenRenderer) Close() error    { return nil }

type deadRenderer struct{}

func (deadRenderer) Render(ctx context.Context, req RenderRequest) (*Page, error) {
	return &Page{URL: req.URL, Viewport: req.Viewport, Error: "net::ERR_CONNECTION_REFUSED"}, nil
}
func (deadRenderer) Version() string { return "fake" }
func (deadRenderer) Close() error    { return nil }

// shotRenderer asks a visit's WantFullScreenshot the way the browser's
// renderer does, after the rest of the capture, and marks the page when
// the answer is yes.
type shotRenderer struct {
	linkRenderer
	asked []string // "path kind metrics-only" of each question
}

func (r *shotRenderer) Render(ctx context.Context, req RenderRequest) (*Page, error) {
	p, err := r.linkRenderer.Render(ctx, req)
	if err != nil || req.WantFullScreenshot == nil {
		return p, err
	}
	kind := p.Kind
	if req.WantFullScreenshot(p) {
		p.FullScreenshot = []byte("shot")
	}
	r.mu.Lock()
	r.asked = append(r.asked, fmt.Sprintf("%s %s→%s %v", req.URL[len(r.base):], kind, p.Kind, req.MetricsOnly))
	r.mu.Unlock()
	return p, nil
}

// The sweep hands the renderer its FullScreenshot question for every
// visit but the metrics-only repeats, with the page's kind classified
// before it is asked (the checks behind the question read it), and the
// visit function sees the answer.
func TestSweepAsksForFullScreenshots(t *testing.T) {
	base := "http://shop.test"
	r := &shotRenderer{linkRenderer: linkRenderer{base: base, graph: map[string][]string{"/": {"/a", "/b"}, "/a": {}, "/b": {}}}}
	got := map[string]bool{}
	var mu sync.Mutex
	_, err := Sweep(context.Background(), r, SweepOptions{
		StartURLs: []string{base + "/"}, Viewports: []Viewport{Desktop},
		Concurrency: 1, MaxPages: 10, MaxDepth: 1, Repeat: 2,
		FullScreenshot: func(p *Page) bool { return strings.HasSuffix(p.URL, "/a") || p.Kind == KindHome },
	}, func(ctx context.Context, p *Page) error {
		mu.Lock()
		got[p.URL[len(base):]] = p.FullScreenshot != nil
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/ →home false", "/a →other false", "/b →other false"}
	if !slices.Equal(r.asked, want) {
		t.Errorf("asked %v, want %v", r.asked, want)
	}
	if !got["/"] || !got["/a"] || got["/b"] {
		t.Errorf("full-page screenshots %v, want / and /a", got)
	}
}
