package sweep

import (
	"fmt"
	"regexp"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
)

// RenderOptions are the browser options of a sweep under cfg: bin is the
// browser binary ("" with a remote browser), version names storecheck in
// the user agent ("storecheck/VERSION"), and active are the rules that will
// run (logo candidates are captured only when a logo rule runs; nil: none).
// The benchmarks build their renderer with it, so they measure what a sweep
// renders.
func RenderOptions(cfg *config.Config, bin, version string, active []*checks.Check) crawler.RenderOptions {
	return crawler.RenderOptions{
		Bin: bin, RemoteURLs: cfg.RemoteBrowser,
		Headers: cfg.Headers, Cookies: renderCookies(cfg.Cookies),
		BasicAuthUser: cfg.BasicAuth.User, BasicAuthPass: cfg.BasicAuth.Password,
		TLSInsecure: cfg.TLSInsecure, Locale: cfg.Locale, Timezone: cfg.Timezone,
		UserAgent: cfg.UserAgent, UAProduct: "storecheck/" + version, Now: cfg.Now,
		PageTimeout: time.Duration(cfg.PageTimeout), Settle: time.Duration(cfg.Settle),
		BlockExternal: cfg.Scope.BlockExternal, Limits: crawler.DefaultLimits,
		LogoCandidates: checks.NeedsLogoCandidates(active),
		Selectors:      cfg.Layout.AboveFold,
		FullScreenshot: true,
	}
}

// Patterns are the config's URL regexes, compiled once per sweep.
type Patterns struct {
	Include, Exclude []*regexp.Regexp // scope.include, scope.exclude
}

// CompilePatterns compiles the crawl's scope regexes of cfg
// (config.CompilePatterns); product_pages is compiled once, into the checks'
// environment, and the crawl shares it. config.Load has already checked them, so an error here means a Config
// built or changed by hand; it is still a *config.Error naming the key
// (exit 2), never a panic.
func CompilePatterns(cfg *config.Config) (Patterns, error) {
	var (
		p   Patterns
		err error
	)
	if p.Include, err = cfg.CompilePatterns("scope.include", cfg.Scope.Include); err != nil {
		return Patterns{}, err
	}
	if p.Exclude, err = cfg.CompilePatterns("scope.exclude", cfg.Scope.Exclude); err != nil {
		return Patterns{}, err
	}
	return p, nil
}

// fetchHeaders are the headers of storecheck's own requests (robots.txt,
// sitemaps, link checks): the configured ones plus the locale, as the browser
// sends it.
func fetchHeaders(cfg *config.Config) map[string]string {
	h := map[string]string{"Accept-Language": cfg.Locale}
	for k, v := range cfg.Headers {
		h[k] = v
	}
	return h
}

func renderCookies(cs []config.Cookie) []crawler.Cookie {
	out := make([]crawler.Cookie, 0, len(cs))
	for _, c := range cs {
		out = append(out, crawler.Cookie{Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path})
	}
	return out
}

// viewports turns viewport names into viewports; config validation has
// rejected unknown names.
func viewports(names []string) []crawler.Viewport {
	var out []crawler.Viewport
	for _, n := range names {
		if vp, ok := crawler.ViewportByName(n); ok {
			out = append(out, vp)
		}
	}
	return out
}

// normaliseAll normalises the start URLs; a bad one is a usage error
// (exit 2).
func normaliseAll(urls []string) ([]string, error) {
	out := make([]string, 0, len(urls))
	for _, u := range urls {
		n, err := crawler.Normalize(u)
		if err != nil {
			return nil, &config.Error{Msg: fmt.Sprintf("start URL %q: %v", u, err), Err: err}
		}
		out = append(out, n)
	}
	return out, nil
}

func hostsOf(urls []string) []string {
	var out []string
	for _, u := range urls {
		out = append(out, crawler.Host(u))
	}
	return out
}
