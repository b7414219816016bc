package crawler

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
)

// timedRenderer is a linkRenderer whose pages report a TBT taken, load by
// load, from a per-path series (the last value repeats), and which records
// how many renders were in flight when each metrics-only load started.
type timedRenderer struct {
	linkRenderer
	tbt map[string][]float64

	mu       sync.Mutex
	loads    map[string]int
	inFlight int
	confirms []string // "path viewport in-flight" of each metrics-only load
}

func (r *timedRenderer) Render(ctx context.Context, req RenderRequest) (*Page, error) {
	path := req.URL[len(r.base):]
	r.mu.Lock()
	r.inFlight++
	if req.MetricsOnly {
		r.confirms = append(r.confirms, fmt.Sprintf("%s %s %d", path, req.Viewport.Name, r.inFlight))
	}
	n := r.loads[path+req.Viewport.Name]
	r.loads[path+req.Viewport.Name]++
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.inFlight--
		r.mu.Unlock()
	}()
	p, err := r.linkRenderer.Render(ctx, req)
	if err != nil {
		return nil, err
	}
	if s := r.tbt[path]; len(s) > 0 {
		v := s[min(n, len(s)-1)]
		p.Metrics.TBTms = &v
	}
	return p, nil
}

func TestSweepConfirmsSuspects(t *testing.T) {
	base := "http://shop.test"
	newRenderer := func() *timedRenderer {
		return &timedRenderer{
			linkRenderer: linkRenderer{base: base, graph: map[string][]string{
				"/": {"/busy", "/heavy", "/calm"}, "/busy": {}, "/heavy": {}, "/calm": {},
			}},
			// /busy was slow only while the machine was busy; /heavy always is.
			tbt:   map[string][]float64{"/": {10}, "/busy": {300, 20, 30}, "/heavy": {2000, 2100, 1900}, "/calm": {10}},
			loads: map[string]int{},
		}
	}
	suspect := func(p *Page) bool { return p.Metrics.TBTms != nil && *p.Metrics.TBTms > 200 }

	type result struct {
		tbt         float64
		samples     []float64
		unconfirmed bool
	}
	sweep := func(ctx context.Context, r *timedRenderer, opts SweepOptions) (map[string]result, []string, error) {
		var mu sync.Mutex
		got := map[string]result{}
		var order []string
		_, err := Sweep(ctx, r, opts, func(ctx context.Context, p *Page) error {
			mu.Lock()
			defer mu.Unlock()
			res := result{tbt: *p.Metrics.TBTms, unconfirmed: p.Unconfirmed}
			for _, s := range p.Samples {
				res.samples = append(res.samples, *s.TBTms)
			}
			key := p.URL[len(base):] + " " + p.Viewport.Name
			got[key] = res
			order = append(order, key)
			return nil
		})
		return got, order, err
	}
	opts := SweepOptions{StartURLs: []string{base + "/"}, Viewports: []Viewport{Desktop, Mobile},
		Concurrency: 3, MaxPages: 10, MaxDepth: 2, Suspect: suspect, ConfirmRuns: 2}

	r := newRenderer()
	got, order, err := sweep(context.Background(), r, opts)
	if err != nil {
		t.Fatal(err)
	}
	// Every suspect comes last, with all its loads and their median.
	for _, k := range []string{"/ desktop", "/ mobile", "/calm desktop", "/calm mobile"} {
		if g := got[k]; g.samples != nil || g.tbt != 10 || g.unconfirmed || slices.Index(order, k) >= 4 {
			t.Errorf("%s = %+v at %d in %v, want one load of 10 among the first 4", k, g, slices.Index(order, k), order)
		}
	}
	for _, vp := range []string{"desktop", "mobile"} {
		if h := got["/heavy "+vp]; !slices.Equal(h.samples, []float64{2000, 2100, 1900}) || h.tbt != 2000 {
			t.Errorf("/heavy %s = %+v, want the median 2000 of 2000, 2100, 1900", vp, h)
		}
		if b := got["/busy "+vp]; !slices.Equal(b.samples, []float64{300, 20, 30}) || b.tbt != 30 {
			t.Errorf("/busy %s = %+v, want the median 30 of 300, 20, 30", vp, b)
		}
	}
	// Each confirming load ran alone, ConfirmRuns per suspect.
	if len(r.confirms) != 4*2 {
		t.Errorf("metrics-only loads %v, want 2 for each of 4 suspects", r.confirms)
	}
	for _, c := range r.confirms {
		if c[len(c)-2:] != " 1" {
			t.Errorf("confirming load %q ran beside other renders", c)
		}
	}

	// Cancelled before the confirmation: the suspects are still stored,
	// marked unconfirmed, with their single load.
	r = newRenderer()
	ctx, cancel := context.WithCancel(context.Background())
	opts.Suspect = func(p *Page) bool {
		if suspect(p) {
			cancel()
			return true
		}
		return false
	}
	got, _, err = sweep(ctx, r, opts)
	if err == nil {
		t.Fatal("a cancelled sweep returned no error")
	}
	n := 0
	for k, res := range got {
		if res.tbt > 200 {
			n++
			if !res.unconfirmed || res.samples != nil {
				t.Errorf("%s after cancel = %+v, want unconfirmed with no samples", k, res)
			}
		}
	}
	if n == 0 {
		t.Errorf("no suspect was stored after the cancel: %v", got)
	}
}
