package crawler

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// linkSite answers the link-check scenarios by path.
func linkSite() http.Handler {
	var tooMany atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/404", http.NotFound)
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) })
	mux.HandleFunc("/target-404", http.NotFound)
	mux.HandleFunc("/target-ok", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/redirect-404", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/target-404", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/redirect-ok", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/target-ok?from=redirect", http.StatusFound)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	big := []byte(strings.Repeat("x", 1<<20))
	headOnly := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodHead {
				w.WriteHeader(status)
				return
			}
			w.Write(big)
		}
	}
	mux.HandleFunc("/head-405", headOnly(405))
	mux.HandleFunc("/head-501", headOnly(501))
	mux.HandleFunc("/head-404", headOnly(404)) // a server that gets HEAD wrong
	mux.HandleFunc("/head-404-get-404", http.NotFound)
	mux.HandleFunc("/429", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && tooMany.Add(1) > 1 {
			return
		}
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	return mux
}

func TestCheckLinks(t *testing.T) {
	rec := &recorder{next: linkSite()}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL + "/gone"
	dead.Close()

	tests := []struct {
		path    string
		status  int
		err     string // substring of LinkStatus.Error
		methods string // what the server saw
		target  string // a redirect's target, which sees the same methods
	}{
		{path: "/ok", status: 200, methods: "HEAD"},
		{path: "/404", status: 404, methods: "HEAD GET"},
		{path: "/500", status: 500, methods: "HEAD GET"},
		{path: "/redirect-404", status: 404, methods: "HEAD GET", target: "/target-404"},
		{path: "/redirect-ok", status: 200, methods: "HEAD", target: "/target-ok"},
		{path: "/head-405", status: 200, methods: "HEAD GET"},
		{path: "/head-501", status: 200, methods: "HEAD GET"},
		{path: "/head-404", status: 200, methods: "HEAD GET"},
		{path: "/429", status: 200, methods: "HEAD GET GET"},
		{path: "/loop", err: "stopped after 20 redirects", methods: strings.TrimSpace(strings.Repeat("HEAD ", 20) + strings.Repeat("GET ", 20))},
	}
	var urls []string
	for _, tt := range tests {
		urls = append(urls, srv.URL+tt.path)
	}
	urls = append(urls, srv.URL+"/ok", deadURL) // a duplicate, and a host that refuses connections

	f := NewFetcher(FetchOptions{Timeout: 10 * time.Second})
	got := f.CheckLinks(context.Background(), urls, 4)

	if len(got) != len(tests)+1 {
		t.Errorf("%d results for %d distinct URLs: %v", len(got), len(tests)+1, got)
	}
	seen := map[string][]string{}
	for _, r := range rec.requests() {
		seen[r.URL.Path] = append(seen[r.URL.Path], r.Method)
	}
	for _, tt := range tests {
		st := got[srv.URL+tt.path]
		if st.Status != tt.status || (tt.err == "") != (st.Error == "") || !strings.Contains(st.Error, tt.err) {
			t.Errorf("%s: %+v, want status %d error ~%q", tt.path, st, tt.status, tt.err)
		}
		if m := strings.Join(seen[tt.path], " "); m != tt.methods {
			t.Errorf("%s: server saw %q, want %q", tt.path, m, tt.methods)
		}
		if m := strings.Join(seen[tt.target], " "); tt.target != "" && m != tt.methods {
			t.Errorf("%s: server saw %q, want %q", tt.target, m, tt.methods)
		}
	}
	if st := got[deadURL]; st.Status != 0 || st.Error == "" {
		t.Errorf("refused connection: %+v", st)
	}
}

func TestCheckLinksTimeout(t *testing.T) {
	rec := &recorder{next: linkSite()}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	u := srv.URL + "/slow"
	got := NewFetcher(FetchOptions{Timeout: 200 * time.Millisecond}).CheckLinks(context.Background(), []string{u}, 1)
	if st := got[u]; st.Status != 0 || st.Error != "timeout" {
		t.Errorf("slow link: %+v, want error timeout", st)
	}
	if n := len(rec.requests()); n != 2 {
		t.Errorf("%d requests, want HEAD and GET", n)
	}
}

func TestCheckLinksConcurrency(t *testing.T) {
	var inFlight, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
	}))
	defer srv.Close()
	var urls []string
	for i := range 30 {
		urls = append(urls, srv.URL+"/"+strings.Repeat("a", i+1))
	}
	got := NewFetcher(FetchOptions{}).CheckLinks(context.Background(), urls, 3)
	if len(got) != 30 {
		t.Errorf("%d results, want 30", len(got))
	}
	if p := peak.Load(); p > 3 || p < 1 {
		t.Errorf("peak concurrency %d, want 1..3", p)
	}
}

func TestCheckLinksCancelled(t *testing.T) {
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		mu.Unlock()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got := NewFetcher(FetchOptions{}).CheckLinks(ctx, []string{srv.URL + "/a", srv.URL + "/b"}, 2)
	if len(got) != 0 || n != 0 {
		t.Errorf("after cancel: %v, %d requests", got, n)
	}
}
