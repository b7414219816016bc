package crawler

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// recorder is an httptest handler that remembers the requests it saw.
type recorder struct {
	mu   sync.Mutex
	reqs []*http.Request
	next http.Handler
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.mu.Lock()
	rc.reqs = append(rc.reqs, r.Clone(context.Background()))
	rc.mu.Unlock()
	if rc.next != nil {
		rc.next.ServeHTTP(w, r)
	}
}

func (rc *recorder) requests() []*http.Request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]*http.Request(nil), rc.reqs...)
}

func hostOfServer(t *testing.T, s *httptest.Server) string {
	t.Helper()
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

func TestFetcherCredentials(t *testing.T) {
	other := &recorder{}
	otherSrv := httptest.NewServer(other)
	defer otherSrv.Close()
	shopRec := &recorder{next: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/away" {
			http.Redirect(w, r, otherSrv.URL+"/landing", http.StatusFound)
		}
	})}
	shopSrv := httptest.NewServer(shopRec)
	defer shopSrv.Close()

	opts := FetchOptions{
		Headers:       map[string]string{"X-Staging-Token": "s3cret", "Accept-Language": "zh-CN"},
		BasicAuthUser: "qa", BasicAuthPass: "pw",
		Cookies: []Cookie{
			{Name: "sid", Value: "abc"},
			{Name: "acct", Value: "1", Path: "/account"},
			{Name: "elsewhere", Value: "2", Domain: "shop.test"},
			{Name: "ip", Value: "3", Domain: ".127.0.0.1"},
		},
		UserAgent: "Mozilla/5.0 storecheck/test",
		Hosts:     []string{hostOfServer(t, shopSrv)},
	}
	f := NewFetcher(opts)
	ctx := context.Background()
	for _, p := range []string{"/account/orders", "/", "/away"} {
		resp, err := f.do(ctx, "GET", shopSrv.URL+p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}

	tests := []struct {
		name                            string
		r                               *http.Request
		token, lang, user, pass, cookie string
	}{
		{name: "shop, cookie path matches", r: shopRec.requests()[0], token: "s3cret", lang: "zh-CN", user: "qa", pass: "pw", cookie: "sid=abc; acct=1; ip=3"},
		{name: "shop, other path", r: shopRec.requests()[1], token: "s3cret", lang: "zh-CN", user: "qa", pass: "pw", cookie: "sid=abc; ip=3"},
		// A redirect off the sweep's hosts keeps the UA and the cookies
		// whose Domain matches, and loses everything else.
		{name: "redirected off-site", r: other.requests()[0], cookie: "ip=3"},
	}
	for _, tt := range tests {
		r := tt.r
		if got := r.Header.Get("User-Agent"); got != opts.UserAgent {
			t.Errorf("%s: User-Agent %q", tt.name, got)
		}
		if got := r.Header.Get("X-Staging-Token"); got != tt.token {
			t.Errorf("%s: X-Staging-Token %q, want %q", tt.name, got, tt.token)
		}
		if got := r.Header.Get("Accept-Language"); got != tt.lang {
			t.Errorf("%s: Accept-Language %q, want %q", tt.name, got, tt.lang)
		}
		user, pass, _ := r.BasicAuth()
		if user != tt.user || pass != tt.pass {
			t.Errorf("%s: basic auth %q:%q, want %q:%q", tt.name, user, pass, tt.user, tt.pass)
		}
		if got := r.Header.Get("Cookie"); got != tt.cookie {
			t.Errorf("%s: Cookie %q, want %q", tt.name, got, tt.cookie)
		}
	}

	// Once the other host is the sweep's (a start URL redirected there), it
	// gets the credentials too.
	f.AddHost(hostOfServer(t, otherSrv))
	resp, err := f.do(ctx, "GET", otherSrv.URL+"/x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	last := other.requests()[1]
	if user, _, _ := last.BasicAuth(); user != "qa" || last.Header.Get("X-Staging-Token") != "s3cret" {
		t.Errorf("after AddHost: auth %q, token %q", user, last.Header.Get("X-Staging-Token"))
	}
}

func TestFetcherNoHostsTrustsAll(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	f := NewFetcher(FetchOptions{Headers: map[string]string{"X-A": "1"}, Cookies: []Cookie{{Name: "c", Value: "v"}}})
	resp, err := f.do(context.Background(), "HEAD", srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	r := rec.requests()[0]
	if r.Header.Get("X-A") != "1" || r.Header.Get("Cookie") != "c=v" || r.Header.Get("User-Agent") != "storecheck" {
		t.Errorf("headers %v", r.Header)
	}
}

func TestFetcherTLS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	for _, insecure := range []bool{false, true} {
		f := NewFetcher(FetchOptions{TLSInsecure: insecure, Timeout: 5 * time.Second})
		resp, err := f.do(context.Background(), "GET", srv.URL)
		if err == nil {
			resp.Body.Close()
		}
		if (err == nil) != insecure {
			t.Errorf("TLSInsecure=%v: err = %v", insecure, err)
		}
	}
}

func TestFetcherLimiterConfig(t *testing.T) {
	tests := []struct {
		rps  float64
		want rate.Limit
	}{
		{rps: 5, want: 5},
		{rps: 0.5, want: 0.5},
		{rps: 0, want: rate.Inf},
		{rps: -1, want: rate.Inf},
	}
	for _, tt := range tests {
		f := NewFetcher(FetchOptions{MaxRPS: tt.rps})
		l := f.limiter("Shop.test")
		if l.Limit() != tt.want || l.Burst() != 1 {
			t.Errorf("MaxRPS %v: limit %v burst %d, want %v burst 1", tt.rps, l.Limit(), l.Burst(), tt.want)
		}
		if f.limiter("shop.test") != l {
			t.Errorf("MaxRPS %v: hosts are not case-folded", tt.rps)
		}
		if f.limiter("shop.test:8080") == l {
			t.Errorf("MaxRPS %v: another port shares the limiter", tt.rps)
		}
	}
	f := NewFetcher(FetchOptions{MaxRPS: 5})
	f.slowDown("a", 10) // faster: ignored
	f.slowDown("b", 0.5)
	if f.limiter("a").Limit() != 5 || f.limiter("b").Limit() != 0.5 {
		t.Errorf("slowDown: a %v, b %v", f.limiter("a").Limit(), f.limiter("b").Limit())
	}
}

// TestFetcherRateLimited shows the limiter is in the request path and per
// host without timing anything: at 0.01 requests per second the second
// request to a host would wait 100 s, so with a 30 s deadline Wait refuses
// it at once; another host is not held up.
func TestFetcherRateLimited(t *testing.T) {
	a, b := &recorder{}, &recorder{}
	srvA, srvB := httptest.NewServer(a), httptest.NewServer(b)
	defer srvA.Close()
	defer srvB.Close()
	f := NewFetcher(FetchOptions{MaxRPS: 0.01})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	if err := f.Wait(ctx, hostOfServer(t, srvA)); err != nil {
		t.Fatalf("first Wait: %v", err)
	}
	// The page navigation above used host A's token.
	if _, err := f.do(ctx, "GET", srvA.URL); err == nil || !strings.Contains(err.Error(), "rate") {
		t.Fatalf("request right after Wait: err = %v, want a rate-limit error", err)
	}
	resp, err := f.do(ctx, "GET", srvB.URL)
	if err != nil {
		t.Fatalf("other host: %v", err)
	}
	resp.Body.Close()
	if len(a.requests()) != 0 || len(b.requests()) != 1 {
		t.Errorf("requests: A %d, B %d; want 0, 1", len(a.requests()), len(b.requests()))
	}
	// Checked links are limited the same way: one goes out, the rest wait
	// beyond the deadline and are left unchecked.
	got := f.CheckLinks(ctx, []string{srvB.URL + "/1", srvB.URL + "/2"}, 2)
	if len(got) != 0 || len(b.requests()) != 1 {
		t.Errorf("CheckLinks under the limit: %v, %d requests", got, len(b.requests()))
	}
}
