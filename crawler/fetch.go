package crawler

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// FetchOptions configure a Fetcher. The config package supplies the
// defaults; zero values here mean what each field says.
type FetchOptions struct {
	// Headers are sent with every request to the sweep's hosts.
	Headers map[string]string
	// Cookies are sent to the hosts their Domain matches (subdomains
	// included); a cookie without Domain goes to every host of the sweep.
	Cookies []Cookie
	// BasicAuthUser and BasicAuthPass are sent to the sweep's hosts when
	// BasicAuthUser is not empty.
	BasicAuthUser, BasicAuthPass string
	// TLSInsecure accepts invalid certificates.
	TLSInsecure bool
	// UserAgent is sent with every request; "" sends "storecheck".
	UserAgent string
	// Timeout bounds each request including its redirects and body; 0 = none
	// (the context alone bounds it).
	Timeout time.Duration
	// MaxRPS is requests per second per host, shared by everything that
	// calls Wait; <= 0 = unlimited.
	MaxRPS float64
	// Hosts are the sweep's hosts, in the form of a normalised URL's host.
	// Headers, basic auth and Domain-less cookies go only to them, so a
	// redirect or a sitemap on another host never sees the shop's secrets.
	// Empty = every host is the sweep's. AddHost extends the set.
	Hosts []string
	// Log receives what the Fetcher cannot return (sitemaps that failed);
	// nil discards it.
	Log *slog.Logger
}

// Fetcher is storecheck's own HTTP client for robots.txt, sitemaps and link
// checks. It applies the configured headers, cookies, basic auth, TLS
// setting and user agent to every request, and keeps one rate limiter per
// host that page navigations share through Wait. It is safe for concurrent
// use.
type Fetcher struct {
	opts   FetchOptions
	client *http.Client
	log    *slog.Logger

	mu       sync.Mutex
	hosts    hostSet
	limiters map[string]*rate.Limiter
}

// maxRedirects matches the browser's limit of 20 redirects.
const maxRedirects = 20

// NewFetcher returns a Fetcher with its own transport.
func NewFetcher(opts FetchOptions) *Fetcher {
	if opts.UserAgent == "" {
		opts.UserAgent = "storecheck"
	}
	f := &Fetcher{
		opts:     opts,
		log:      opts.Log,
		hosts:    newHostSet(opts.Hosts...),
		limiters: map[string]*rate.Limiter{},
	}
	if f.log == nil {
		f.log = slog.New(slog.DiscardHandler)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 16
	if opts.TLSInsecure {
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} // tls_insecure: the user asked for it
	}
	f.client = &http.Client{
		Transport: tr,
		Timeout:   opts.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return fmt.Errorf("stopped after %d redirects", maxRedirects)
			}
			// Every hop is a request to a host: rate limit it and give it
			// that host's credentials, not the previous host's.
			if err := f.Wait(req.Context(), canonicalHost(req.URL)); err != nil {
				return err
			}
			f.decorate(req)
			return nil
		},
	}
	return f
}

// AddHost adds a host to the sweep's hosts (a start URL redirected there).
func (f *Fetcher) AddHost(host string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hosts.add(host)
}

// Wait blocks until the host ("shop.com", "shop.com:8080": a normalised
// URL's host) may receive another request, or ctx ends. Page navigations
// call it too, so scope.max_rps bounds everything storecheck asks of a host.
func (f *Fetcher) Wait(ctx context.Context, host string) error {
	if err := f.limiter(host).Wait(ctx); err != nil {
		return fmt.Errorf("rate limit %s: %w: %w", host, errNotSent, err)
	}
	return nil
}

// limiter returns the host's limiter, creating it at MaxRPS with a burst of
// 1: requests are spaced evenly, never bunched.
func (f *Fetcher) limiter(host string) *rate.Limiter {
	host = strings.ToLower(host)
	f.mu.Lock()
	defer f.mu.Unlock()
	l, ok := f.limiters[host]
	if !ok {
		lim := rate.Inf
		if f.opts.MaxRPS > 0 {
			lim = rate.Limit(f.opts.MaxRPS)
		}
		l = rate.NewLimiter(lim, 1)
		f.limiters[host] = l
	}
	return l
}

// slowDown lowers the host's rate to rps when that is slower than it is.
func (f *Fetcher) slowDown(host string, rps float64) {
	if rps <= 0 {
		return
	}
	l := f.limiter(host)
	if rate.Limit(rps) < l.Limit() {
		l.SetLimit(rate.Limit(rps))
	}
}

// trusted reports whether host gets the sweep's credentials.
func (f *Fetcher) trusted(host string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.hosts) == 0 || f.hosts[strings.ToLower(host)]
}

// decorate sets the user agent and, per the request's host, the headers,
// basic auth and cookies; it first removes what a previous hop was given.
func (f *Fetcher) decorate(req *http.Request) {
	h := req.Header
	for k := range f.opts.Headers {
		h.Del(k)
	}
	h.Del("Authorization")
	h.Del("Cookie")
	h.Set("User-Agent", f.opts.UserAgent)
	trusted := f.trusted(canonicalHost(req.URL))
	if trusted {
		for k, v := range f.opts.Headers {
			if strings.EqualFold(k, "Host") {
				req.Host = v
				continue
			}
			h.Set(k, v)
		}
		if f.opts.BasicAuthUser != "" {
			req.SetBasicAuth(f.opts.BasicAuthUser, f.opts.BasicAuthPass)
		}
	}
	hostname := strings.ToLower(req.URL.Hostname())
	for _, c := range f.opts.Cookies {
		if c.Domain == "" && !trusted {
			continue
		}
		if c.Domain != "" && !domainMatch(hostname, c.Domain) {
			continue
		}
		if !pathMatch(req.URL.Path, c.Path) {
			continue
		}
		// Values the shop set itself may hold characters http.Cookie
		// would quote or drop; send them as configured.
		cookie := c.Name + "=" + c.Value
		if prev := h.Get("Cookie"); prev != "" {
			cookie = prev + "; " + cookie
		}
		h.Set("Cookie", cookie)
	}
}

// domainMatch is RFC 6265 domain matching; a leading dot in domain is
// ignored.
func domainMatch(hostname, domain string) bool {
	domain = strings.ToLower(strings.TrimPrefix(domain, "."))
	return hostname == domain || strings.HasSuffix(hostname, "."+domain)
}

// pathMatch is RFC 6265 path matching; an empty cookie path matches all.
func pathMatch(path, cookiePath string) bool {
	if cookiePath == "" || cookiePath == "/" {
		return true
	}
	if path == "" {
		path = "/"
	}
	if !strings.HasPrefix(path, cookiePath) {
		return false
	}
	return len(path) == len(cookiePath) || strings.HasSuffix(cookiePath, "/") || path[len(cookiePath)] == '/'
}

// do sends one request, rate limited for rawURL's host and decorated; the
// caller closes the body.
func (f *Fetcher) do(ctx context.Context, method, rawURL string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, rawURL, err)
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return nil, fmt.Errorf("%s %s: %w", method, rawURL, ErrNotHTTP)
	}
	if err := f.Wait(ctx, canonicalHost(req.URL)); err != nil {
		return nil, err
	}
	f.decorate(req)
	return f.client.Do(req)
}

// errNotSent means a request was not sent: the host's rate limit would
// have it wait past ctx's deadline, or ctx ended.
var errNotSent = errors.New("not sent")

// errTooLarge means a body was over its cap.
var errTooLarge = errors.New("body over size cap")

// readCapped reads r up to max bytes; more is errTooLarge.
func readCapped(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return b, err
	}
	if int64(len(b)) > max {
		return b[:max], errTooLarge
	}
	return b, nil
}
