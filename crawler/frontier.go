package crawler

import (
	"net/url"
	"regexp"
	"sort"
	"sync"
)

// FrontierOptions configure a Frontier. The config package supplies the
// defaults; zero values here mean what each field says.
type FrontierOptions struct {
	// StartURLs are depth 0. They are always in scope: include, exclude and
	// Allow do not apply to them (the user named them), MaxPages does.
	StartURLs []string
	// MaxPages caps the distinct URLs handed out, start URLs included;
	// <= 0 means no cap.
	MaxPages int
	// MaxDepth is the deepest depth handed out (0 = start URLs only);
	// < 0 means no limit.
	MaxDepth int
	// Include and Exclude match the URL's decoded path. A URL is in scope
	// when Include is empty or one of it matches, and none of Exclude does.
	Include, Exclude []*regexp.Regexp
	// Hosts are the sweep's hosts besides the start URLs' own, in the form of
	// a normalised URL's host ("shop.com", "127.0.0.1:8080").
	Hosts []string
	// Allow, when set, is asked once per URL (robots.txt); a URL it refuses
	// is neither visited nor listed by Unvisited. It must not call back into
	// the Frontier.
	Allow func(url string) bool
}

// Frontier is the one place that decides which URLs a sweep visits: de-dup,
// host scope, include / exclude, depth and max_pages. It hands URLs out a
// depth at a time, each batch sorted, so which URLs make the max_pages cut
// depends on the site alone, never on timing. Its methods are safe for
// concurrent use, but the order of calls matters: NextDepth must be called
// only once every page of the previous batch has been visited and its links
// added.
//
// A URL is judged (host, include / exclude, Allow) when its depth's batch is
// made, not when it is added, so a host added by AddHost during depth 0 also
// admits links to it that were found before.
type Frontier struct {
	mu       sync.Mutex
	opts     FrontierOptions
	hosts    hostSet
	start    map[string]bool
	best     map[string]int  // candidate URL -> smallest depth it was added at
	linked   map[string]bool // added by Add (found as a link), not only by AddSitemap
	decided  map[string]bool // handed out, or judged out of scope
	cut      map[string]bool // in scope but beyond max_pages or max_depth
	allowed  map[string]bool // Allow's answer, asked once per URL
	next     int             // depth of the next batch
	last     int             // depth of the last batch handed out, -1 before the first
	maxAdded int             // deepest depth a candidate was added at
	pages    int             // URLs handed out
}

// NewFrontier returns a Frontier holding the start URLs at depth 0. Start
// URLs that do not normalise are dropped.
func NewFrontier(opts FrontierOptions) *Frontier {
	f := &Frontier{
		opts:    opts,
		hosts:   newHostSet(opts.Hosts...),
		start:   map[string]bool{},
		best:    map[string]int{},
		linked:  map[string]bool{},
		decided: map[string]bool{},
		cut:     map[string]bool{},
		allowed: map[string]bool{},
		last:    -1,
	}
	for _, raw := range opts.StartURLs {
		u, err := Normalize(raw)
		if err != nil {
			continue
		}
		f.start[u] = true
		f.best[u] = 0
		f.hosts.add(urlHost(u))
	}
	return f
}

// Add offers a link target found on a page, at depth (the page's depth + 1).
// URLs that are not http(s) are ignored, as are URLs already handed out. A
// depth whose batch has already been made counts as the next one.
func (f *Frontier) Add(rawURL string, depth int) {
	f.add(rawURL, depth, true)
}

// AddSitemap offers a URL listed in a sitemap, at depth 1. It is visited like
// a link, but Unvisited lists it only when a page also links to it: a sitemap
// entry is not a link, and checking tens of thousands of them would swamp
// the link check.
func (f *Frontier) AddSitemap(rawURL string) {
	f.add(rawURL, 1, false)
}

func (f *Frontier) add(rawURL string, depth int, linked bool) {
	u, err := Normalize(rawURL)
	if err != nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if linked {
		f.linked[u] = true
	}
	if f.decided[u] {
		return
	}
	if depth < f.next {
		depth = f.next
	}
	if d, ok := f.best[u]; !ok || depth < d {
		f.best[u] = depth
	}
	if depth > f.maxAdded {
		f.maxAdded = depth
	}
}

// AddHost adds a host to the sweep's hosts ("shop.com", "shop.com:8080"):
// the host a start URL redirected to. Call it during depth 0.
func (f *Frontier) AddHost(host string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hosts.add(host)
}

// Hosts returns the sweep's hosts, sorted.
func (f *Frontier) Hosts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, 0, len(f.hosts))
	for h := range f.hosts {
		out = append(out, h)
	}
	sort.Strings(out)
	return out
}

// NextDepth returns the next depth's URLs, sorted, after de-dup, scope,
// depth and the max_pages cut; nil when nothing is left to visit. A depth
// whose candidates are all out of scope is skipped; Depth says which depth
// the batch is.
func (f *Frontier) NextDepth() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	for f.next <= f.maxAdded {
		d := f.next
		f.next++
		var cands []string
		for u, bd := range f.best {
			if bd == d && !f.decided[u] {
				cands = append(cands, u)
			}
		}
		sort.Strings(cands)
		var batch []string
		for _, u := range cands {
			if !f.inScope(u) {
				f.decided[u] = true
				continue
			}
			if (f.opts.MaxDepth >= 0 && d > f.opts.MaxDepth) ||
				(f.opts.MaxPages > 0 && f.pages >= f.opts.MaxPages) {
				f.cut[u] = true
				continue
			}
			f.decided[u] = true
			f.pages++
			batch = append(batch, u)
		}
		if len(batch) > 0 {
			f.last = d
			return batch
		}
	}
	return nil
}

// Depth is the depth of the batch NextDepth last returned, -1 before the first.
func (f *Frontier) Depth() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last
}

// Pages is how many URLs NextDepth has handed out.
func (f *Frontier) Pages() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pages
}

// Unvisited returns, sorted, the in-scope URLs found as links that no batch
// handed out: those beyond max_pages or max_depth, and, when called before
// the sweep has drained the frontier, those still waiting. The sweep checks
// them so broken links beyond the crawl are found too. URLs out of scope
// (other hosts, include / exclude, refused by Allow) are not listed: exclude
// is how a user keeps storecheck away from pages such as /logout entirely.
func (f *Frontier) Unvisited() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for u := range f.best {
		if !f.linked[u] {
			continue
		}
		if f.cut[u] || (!f.decided[u] && f.inScope(u)) {
			out = append(out, u)
		}
	}
	sort.Strings(out)
	return out
}

// inScope reports whether the normalised URL u may be visited. Called with
// f.mu held.
func (f *Frontier) inScope(u string) bool {
	if f.start[u] {
		return true
	}
	if !f.hosts.hasURL(u) {
		return false
	}
	pu, err := url.Parse(u)
	if err != nil {
		return false
	}
	if !pathInScope(pu.Path, f.opts.Include, f.opts.Exclude) {
		return false
	}
	if f.opts.Allow == nil {
		return true
	}
	ok, asked := f.allowed[u]
	if !asked {
		ok = f.opts.Allow(u)
		f.allowed[u] = ok
	}
	return ok
}

// pathInScope applies include and exclude to a decoded URL path.
func pathInScope(path string, include, exclude []*regexp.Regexp) bool {
	for _, re := range exclude {
		if re.MatchString(path) {
			return false
		}
	}
	if len(include) == 0 {
		return true
	}
	for _, re := range include {
		if re.MatchString(path) {
			return true
		}
	}
	return false
}
