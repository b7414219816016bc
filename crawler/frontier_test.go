package crawler

import (
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// site is a link graph: page URL -> the hrefs on it (resolved against it).
type site map[string][]string

// crawl drives f the way the sweep does: a batch at a time, every page's
// links added at depth+1, pages of one batch finishing in a random order. It
// returns the batches (paths only when on shop.test) and their depths.
func crawl(t *testing.T, f *Frontier, s site, rng *rand.Rand, onPage func(depth int, u string)) (batches [][]string, depths []int) {
	t.Helper()
	for b := f.NextDepth(); b != nil; b = f.NextDepth() {
		batches = append(batches, short(b))
		depths = append(depths, f.Depth())
		order := append([]string(nil), b...)
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, u := range order {
			if onPage != nil {
				onPage(f.Depth(), u)
			}
			for _, href := range s[u] {
				if n, ok := Resolve(u, href); ok {
					f.Add(n, f.Depth()+1)
				}
			}
		}
		if len(batches) > 50 {
			t.Fatal("frontier does not end")
		}
	}
	return batches, depths
}

func short(us []string) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = strings.TrimPrefix(u, "http://shop.test")
	}
	return out
}

const shop = "http://shop.test"

// shopSite: / -> /c, /b, /logout, off-site; /b -> /d, /p/1; /c -> /e, /b#x;
// /d -> /f.
var shopSite = site{
	shop + "/":  {"/c", "/b", "/logout", "https://other.test/x", "mailto:a@shop.test", "/"},
	shop + "/b": {"/d", "/p/1"},
	shop + "/c": {"/e", "/b#x", "HTTP://SHOP.TEST:80/c"},
	shop + "/d": {"/f"},
}

func re(exprs ...string) []*regexp.Regexp {
	var out []*regexp.Regexp
	for _, e := range exprs {
		out = append(out, regexp.MustCompile(e))
	}
	return out
}

func TestFrontier(t *testing.T) {
	tests := []struct {
		name      string
		opts      FrontierOptions
		want      [][]string
		depths    []int
		unvisited []string
	}{
		{
			name:   "breadth first, sorted, de-duplicated, same host only",
			opts:   FrontierOptions{StartURLs: []string{shop}, MaxPages: 100, MaxDepth: 10},
			want:   [][]string{{"/"}, {"/b", "/c", "/logout"}, {"/d", "/e", "/p/1"}, {"/f"}},
			depths: []int{0, 1, 2, 3},
		},
		{
			name:      "max_pages cuts in sorted order",
			opts:      FrontierOptions{StartURLs: []string{shop}, MaxPages: 3, MaxDepth: 10},
			want:      [][]string{{"/"}, {"/b", "/c"}},
			depths:    []int{0, 1},
			unvisited: []string{"/d", "/e", "/logout", "/p/1"},
		},
		{
			name:      "max_depth",
			opts:      FrontierOptions{StartURLs: []string{shop}, MaxPages: 100, MaxDepth: 1},
			want:      [][]string{{"/"}, {"/b", "/c", "/logout"}},
			depths:    []int{0, 1},
			unvisited: []string{"/d", "/e", "/p/1"},
		},
		{
			name:      "max_depth 0 is the start URLs only",
			opts:      FrontierOptions{StartURLs: []string{shop}, MaxPages: 100, MaxDepth: 0},
			want:      [][]string{{"/"}},
			depths:    []int{0},
			unvisited: []string{"/b", "/c", "/logout"},
		},
		{
			name:   "no caps",
			opts:   FrontierOptions{StartURLs: []string{shop}, MaxPages: 0, MaxDepth: -1},
			want:   [][]string{{"/"}, {"/b", "/c", "/logout"}, {"/d", "/e", "/p/1"}, {"/f"}},
			depths: []int{0, 1, 2, 3},
		},
		{
			name:      "exclude: neither visited nor checked",
			opts:      FrontierOptions{StartURLs: []string{shop}, MaxPages: 4, MaxDepth: 10, Exclude: re(`^/logout`)},
			want:      [][]string{{"/"}, {"/b", "/c"}, {"/d"}},
			depths:    []int{0, 1, 2},
			unvisited: []string{"/e", "/f", "/p/1"},
		},
		{
			name:   "include applies to links, not to start URLs",
			opts:   FrontierOptions{StartURLs: []string{shop}, MaxPages: 100, MaxDepth: 10, Include: re(`^/[bdp]`)},
			want:   [][]string{{"/"}, {"/b"}, {"/d", "/p/1"}},
			depths: []int{0, 1, 2},
		},
		{
			name: "allow (robots) refuses before the cut",
			opts: FrontierOptions{StartURLs: []string{shop}, MaxPages: 3, MaxDepth: 10,
				Allow: func(u string) bool { return !strings.Contains(u, "/b") }},
			want:      [][]string{{"/"}, {"/c", "/logout"}},
			depths:    []int{0, 1},
			unvisited: []string{"/e"},
		},
		{
			name:   "the start URL counts toward max_pages; extra hosts",
			opts:   FrontierOptions{StartURLs: []string{shop, "not a url"}, MaxPages: 1, MaxDepth: 10, Hosts: []string{"Other.TEST"}},
			want:   [][]string{{"/"}},
			depths: []int{0},
			unvisited: []string{"/b", "/c", "/logout",
				"https://other.test/x"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for seed := range uint64(10) {
				f := NewFrontier(tt.opts)
				got, depths := crawl(t, f, shopSite, rand.New(rand.NewPCG(seed, 1)), nil)
				if !reflect.DeepEqual(got, tt.want) || !reflect.DeepEqual(depths, tt.depths) {
					t.Fatalf("seed %d: batches %q at depths %v, want %q at %v", seed, got, depths, tt.want, tt.depths)
				}
				if un := short(f.Unvisited()); !reflect.DeepEqual(un, tt.unvisited) && !(len(un) == 0 && len(tt.unvisited) == 0) {
					t.Fatalf("Unvisited = %q, want %q", un, tt.unvisited)
				}
				n := 0
				for _, b := range got {
					n += len(b)
				}
				if f.Pages() != n {
					t.Fatalf("Pages = %d, want %d", f.Pages(), n)
				}
			}
		})
	}
}

func TestFrontierAddHost(t *testing.T) {
	// Two start URLs: /a links to www.shop.test before /b turns out to
	// redirect there. Within depth 0 the order of pages is timing, so the
	// link must count whichever page finishes first.
	for _, hostFirst := range []bool{true, false} {
		f := NewFrontier(FrontierOptions{StartURLs: []string{shop + "/a", shop + "/b"}, MaxPages: 10, MaxDepth: 3})
		if b := f.NextDepth(); len(b) != 2 {
			t.Fatalf("depth 0 = %q", b)
		}
		if hostFirst {
			f.AddHost("WWW.shop.test")
		}
		f.Add("http://www.shop.test/new", 1)
		f.Add("http://elsewhere.test/", 1)
		if !hostFirst {
			f.AddHost("www.shop.test")
		}
		if got := f.NextDepth(); !reflect.DeepEqual(got, []string{"http://www.shop.test/new"}) {
			t.Errorf("hostFirst=%v: depth 1 = %q", hostFirst, got)
		}
		if got, want := f.Hosts(), []string{"shop.test", "www.shop.test"}; !reflect.DeepEqual(got, want) {
			t.Errorf("Hosts = %q, want %q", got, want)
		}
	}
}

func TestFrontierSitemapAndLateAdds(t *testing.T) {
	f := NewFrontier(FrontierOptions{StartURLs: []string{shop}, MaxPages: 3, MaxDepth: 5})
	for _, u := range []string{"/s3", "/s1", "/s2", "/linked"} {
		f.AddSitemap(shop + u)
	}
	if got := short(f.NextDepth()); !reflect.DeepEqual(got, []string{"/"}) {
		t.Fatalf("depth 0 = %q", got)
	}
	f.Add(shop+"/linked", 1)
	f.Add(shop+"/s1", 1)
	// A URL offered at a depth already handed out joins the next batch.
	f.Add(shop+"/late", 0)
	if got, d := short(f.NextDepth()), f.Depth(); !reflect.DeepEqual(got, []string{"/late", "/linked"}) || d != 1 {
		t.Fatalf("depth 1 = %q at %d", got, d)
	}
	if got := f.NextDepth(); got != nil {
		t.Fatalf("after max_pages: %q", got)
	}
	// Sitemap-only URLs beyond the cut are not links: not checked.
	if got := short(f.Unvisited()); !reflect.DeepEqual(got, []string{"/s1"}) {
		t.Errorf("Unvisited = %q, want [/s1]", got)
	}
	// Handed-out URLs are never handed out again.
	f.Add(shop+"/linked", 2)
	if got := f.NextDepth(); got != nil {
		t.Errorf("re-added URL handed out again: %q", got)
	}
}

func TestFrontierConcurrentAdds(t *testing.T) {
	f := NewFrontier(FrontierOptions{StartURLs: []string{shop}, MaxPages: 1000, MaxDepth: 3})
	f.NextDepth()
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				f.Add(shop+"/p/"+string(rune('a'+(w+i)%26)), 1)
				_ = f.Unvisited()
			}
		}()
	}
	wg.Wait()
	if got := f.NextDepth(); len(got) != 26 {
		t.Errorf("depth 1 has %d URLs, want 26", len(got))
	}
}
