package crawler

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestRobots(t *testing.T) {
	type probe struct {
		path string
		want bool
	}
	tests := []struct {
		name   string
		status int
		body   string
		probes []probe
		delay  time.Duration
		limit  rate.Limit // the host's rate afterwards, MaxRPS 5
	}{
		{
			name: "storecheck's own group replaces *", status: 200,
			body: "User-agent: *\nDisallow: /private/\n\nUser-agent: StoreCheck\nDisallow: /cart\nDisallow: /*?sort=\nAllow: /cart/share\n",
			probes: []probe{{"/", true}, {"/cart", false}, {"/cart/x", false}, {"/cart/share", true},
				{"/list?sort=price", false}, {"/list?page=2", true}, {"/private/x", true}},
			limit: 5,
		},
		{
			name: "* applies without an own group", status: 200,
			body:   "User-agent: Googlebot\nDisallow: /\n\nUser-agent: *\nDisallow: /private/\nAllow: /private/ok\n",
			probes: []probe{{"/", true}, {"/private/x", false}, {"/private/ok", true}, {"/%E5%95%86", true}},
			limit:  5,
		},
		{
			name: "disallow all", status: 200, body: "User-agent: *\nDisallow: /\n",
			probes: []probe{{"/", false}, {"/p/1", false}},
			limit:  5,
		},
		{
			name: "stray rules and a bad Crawl-delay do not void the file", status: 200,
			body:   "\xef\xbb\xbfDisallow: /before\nUser-agent: *\nCrawl-delay: soon\nCrawl-delay: NaN\nDisallow: /after # comment\n",
			probes: []probe{{"/before", true}, {"/after", false}},
			limit:  5,
		},
		{
			name: "Crawl-delay slower than max_rps lowers the rate", status: 200,
			body:   "User-agent: *\nCrawl-delay: 2\n",
			probes: []probe{{"/", true}},
			delay:  2 * time.Second, limit: 0.5,
		},
		{
			name: "Crawl-delay faster than max_rps changes nothing", status: 200,
			body:  "User-agent: *\nCrawl-delay: 0.1\n",
			delay: 100 * time.Millisecond, limit: 5,
		},
		{
			name: "Crawl-delay is capped at 10 s", status: 200,
			body:  "User-agent: storecheck\nCrawl-delay: 3600\n",
			delay: time.Hour, limit: 0.1,
		},
		{name: "404 allows all", status: 404, body: "User-agent: *\nDisallow: /\n", probes: []probe{{"/", true}}, limit: 5},
		{name: "403 allows all", status: 403, body: "User-agent: *\nDisallow: /\n", probes: []probe{{"/", true}}, limit: 5},
		{name: "500 allows all", status: 500, body: "User-agent: *\nDisallow: /\n", probes: []probe{{"/", true}}, limit: 5},
		{name: "empty file allows all", status: 200, body: "", probes: []probe{{"/x", true}}, limit: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{next: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			})}
			srv := httptest.NewServer(rec)
			defer srv.Close()
			f := NewFetcher(FetchOptions{MaxRPS: 5})
			rb := f.Robots(context.Background(), srv.URL+"/some/page")
			if rb == nil || rb.Status != tt.status {
				t.Fatalf("Robots = %+v", rb)
			}
			if r := rec.requests(); len(r) != 1 || r[0].URL.Path != "/robots.txt" || r[0].Header.Get("User-Agent") != "storecheck" {
				t.Fatalf("requests: %v", r)
			}
			for _, p := range tt.probes {
				if got := rb.Allowed(srv.URL + p.path); got != p.want {
					t.Errorf("Allowed(%s) = %v, want %v", p.path, got, p.want)
				}
			}
			if rb.CrawlDelay != tt.delay {
				t.Errorf("CrawlDelay = %v, want %v", rb.CrawlDelay, tt.delay)
			}
			if got := f.limiter(hostOfServer(t, srv)).Limit(); got != tt.limit {
				t.Errorf("rate = %v, want %v", got, tt.limit)
			}
		})
	}
}

func TestRobotsUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	rb := NewFetcher(FetchOptions{Timeout: 5 * time.Second}).Robots(context.Background(), base)
	if rb == nil || rb.Status != 0 || !rb.Allowed(base+"/anything") {
		t.Errorf("unreachable robots.txt: %+v", rb)
	}
	var none *Robots
	if !none.Allowed("http://shop.test/") {
		t.Error("a nil *Robots must allow everything")
	}
	if NewFetcher(FetchOptions{}).Robots(context.Background(), "mailto:x@y") != nil {
		t.Error("Robots of a non-http base should be nil")
	}
}

func TestRobotsSitemapsAndRedirect(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/static/robots.txt", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/static/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("Sitemap: https://shop.test/a.xml\nSitemap: b.xml.gz\nUser-agent: *\nDisallow: /x\n"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	rb := NewFetcher(FetchOptions{}).Robots(context.Background(), srv.URL)
	want := []string{"https://shop.test/a.xml", srv.URL + "/static/b.xml.gz"}
	if !reflect.DeepEqual(rb.Sitemaps, want) {
		t.Errorf("Sitemaps = %q, want %q", rb.Sitemaps, want)
	}
	if rb.Allowed(srv.URL+"/x") || rb.Origin != srv.URL {
		t.Errorf("after a redirect: %+v", rb)
	}
}
