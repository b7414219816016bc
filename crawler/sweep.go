package crawler

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// SweepOptions configure one sweep over a storefront.
type SweepOptions struct {
	StartURLs []string // normalised
	Viewports []Viewport
	// Concurrency is the page renders in flight at once; as many rendered
	// snapshots are checked and stored beside them.
	Concurrency   int
	MaxPages      int
	MaxDepth      int
	Include       []*regexp.Regexp
	Exclude       []*regexp.Regexp
	ProductPages  []*regexp.Regexp
	RespectRobots bool
	// MaxDuration stops scheduling new visits once it has passed (0 = no cap);
	// visits in flight finish.
	MaxDuration time.Duration
	Fetcher     *Fetcher
	Log         *slog.Logger
	// Progress, when set, is called after every visit with the counts so far.
	Progress func(Progress)
	// Repeat, when above 1, measures every answered page this many times
	// (the snapshot of the first visit, metrics-only visits after it) and
	// keeps the median of each metric: single measurements on a busy
	// machine are too noisy to gate on.
	Repeat int
	// Suspect, when set, picks the visits whose timings a busy machine may
	// have pushed over a limit (the checks' perf budgets: the crawler
	// knows no rule). Such a visit is held back from the visit function
	// until the main pass is over, then loaded ConfirmRuns more times, one
	// visit at a time with no other tab rendering, and handed over with
	// the median of all its loads (Page.Samples lists them).
	Suspect     func(*Page) bool
	ConfirmRuns int
	// FullScreenshot, when set, decides for each visit, its Kind
	// classified, whether it takes the full-page screenshot
	// (RenderRequest.WantFullScreenshot); unset, every visit does.
	FullScreenshot func(*Page) bool
	// Prefetched, when set, receives each visit's early picture bodies
	// (RenderRequest.Prefetched).
	Prefetched func(bodies [][]byte)
}

// Progress is a sweep's state for a progress line.
type Progress struct {
	Done    int // visits finished (URL × viewport)
	Queued  int // visits known but not finished
	Started time.Time
}

// VisitFunc receives every snapshot as soon as it is taken. It is called from
// several goroutines at once. An error from it is fatal to the sweep (the
// database is gone); a failed page is not an error. Sweep returns the error
// as it is, so it should name the page, as storage's Writer.AddPage does.
type VisitFunc func(ctx context.Context, p *Page) error

// ErrStartFailed means no start URL could be connected to.
var ErrStartFailed = errors.New("every start URL failed to connect")

// Sweep crawls breadth-first from the start URLs, renders every URL in every
// viewport with r, hands each snapshot to visit, and returns what the site
// checks need. It stops early, returning ctx.Err(), when ctx is cancelled;
// every visit handed to visit before that is complete.
func Sweep(ctx context.Context, r Renderer, opts SweepOptions, visit VisitFunc) (*SiteFacts, error) {
	if opts.Concurrency < 1 {
		opts.Concurrency = 1
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	s := &sweep{
		r: r, opts: opts, visit: visit,
		hosts:      map[string]bool{},
		robots:     map[string]*Robots{},
		linkStatus: map[string]LinkStatus{},
		started:    time.Now(),
	}
	for _, u := range opts.StartURLs {
		if h := Host(u); h != "" {
			s.hosts[h] = true
		}
	}
	s.frontier = NewFrontier(FrontierOptions{
		StartURLs: opts.StartURLs,
		MaxPages:  opts.MaxPages,
		MaxDepth:  opts.MaxDepth,
		Include:   opts.Include,
		Exclude:   opts.Exclude,
		Hosts:     s.hostList(),
		Allow:     s.robotsAllow,
	})
	return s.run(ctx)
}

type sweep struct {
	r        Renderer
	opts     SweepOptions
	visit    VisitFunc
	frontier *Frontier
	started  time.Time

	mu         sync.Mutex
	hosts      map[string]bool
	robots     map[string]*Robots
	digests    []Digest
	linkStatus map[string]LinkStatus
	held       []checkJob // suspects waiting for the main pass to end
	done       int
	queued     int
	startOK    bool
	expired    atomic.Bool // max_duration has passed
}

func (s *sweep) hostList() []string {
	out := make([]string, 0, len(s.hosts))
	for h := range s.hosts {
		out = append(out, h)
	}
	sort.Strings(out)
	return out
}

func (s *sweep) run(ctx context.Context) (*SiteFacts, error) {
	for _, h := range s.hostList() {
		s.loadHost(ctx, h)
	}

	if s.opts.MaxDuration > 0 {
		t := time.AfterFunc(s.opts.MaxDuration, func() { s.expired.Store(true) })
		defer t.Stop()
	}
	for {
		batch := s.frontier.NextDepth()
		if len(batch) == 0 {
			break
		}
		depth := s.frontier.Depth()
		if err := s.visitDepth(ctx, batch, depth); err != nil {
			s.confirm(ctx, false) // the held visits are rendered: store them
			return s.facts(), err
		}
		if depth == 0 && !s.startOK {
			return s.facts(), ErrStartFailed
		}
		if s.expired.Load() {
			s.opts.Log.Warn("max_duration reached: no new pages are visited", "after", s.opts.MaxDuration)
			break
		}
	}
	if err := s.confirm(ctx, true); err != nil {
		return s.facts(), err
	}
	return s.finish(ctx)
}

// confirm re-measures the held suspects one at a time, now that no other
// visit renders, and hands each to the visit function with the median of
// its loads. A page that was rendered is always stored: when ctx ends
// first, or measure is false (the sweep failed), they go over unconfirmed.
func (s *sweep) confirm(ctx context.Context, measure bool) error {
	s.mu.Lock()
	held := s.held
	s.held = nil
	s.mu.Unlock()
	if len(held) == 0 {
		return nil
	}
	s.opts.Log.Info("confirming timings over budget", "visits", len(held), "loads_each", s.opts.ConfirmRuns)
	var stopped error
	for _, cj := range held {
		if measure && stopped == nil && ctx.Err() == nil {
			if err := s.remeasure(ctx, cj, s.opts.ConfirmRuns); err != nil {
				stopped = err
			}
		}
		if cj.p.Samples == nil {
			cj.p.Unconfirmed = true
		}
		if err := s.checkOne(context.WithoutCancel(ctx), cj); err != nil {
			return err
		}
	}
	if stopped != nil {
		return stopped
	}
	return ctx.Err()
}

// remeasure loads cj's page n more times with nothing else captured and
// makes its metrics the median of every load so far. A load that fails
// ends the series, and what was measured is kept; the error is returned
// when the browser is gone or ctx ended.
func (s *sweep) remeasure(ctx context.Context, cj checkJob, n int) error {
	p := cj.p
	runs := p.Samples
	if runs == nil {
		runs = []Metrics{p.Metrics}
	}
	var err error
	for range n {
		var q *Page
		q, err = s.r.Render(ctx, RenderRequest{URL: cj.j.url, Viewport: cj.j.vp, Depth: cj.j.depth,
			AllowedHosts: cj.hosts, FollowOffsiteRedirect: cj.j.depth == 0, MetricsOnly: true})
		if err != nil {
			if ctx.Err() != nil {
				err = ctx.Err()
			}
			break
		}
		if q.Status != p.Status || q.TimedOut {
			break // not the answer measured first
		}
		runs = append(runs, q.Metrics)
	}
	if len(runs) > 1 {
		p.Metrics = MedianMetrics(runs, p.Metrics)
		p.Samples = runs
	}
	return err
}

// finish checks the same-site links no visit answered for, so broken links
// beyond max_pages / max_depth are found too.
func (s *sweep) finish(ctx context.Context) (*SiteFacts, error) {
	var todo []string
	for _, u := range s.frontier.Unvisited() {
		if _, ok := s.linkStatus[u]; ok || !s.robotsAllow(u) {
			continue
		}
		todo = append(todo, u)
	}
	if len(todo) > 0 && s.opts.Fetcher != nil {
		s.opts.Log.Info("checking links beyond the crawl", "links", len(todo))
		for u, st := range s.opts.Fetcher.CheckLinks(ctx, todo, s.opts.Concurrency) {
			s.linkStatus[u] = st
		}
	}
	return s.facts(), ctx.Err()
}

func (s *sweep) facts() *SiteFacts {
	s.mu.Lock()
	defer s.mu.Unlock()
	ds := append([]Digest(nil), s.digests...)
	sort.Slice(ds, func(i, j int) bool {
		if ds[i].URL != ds[j].URL {
			return ds[i].URL < ds[j].URL
		}
		return ds[i].Viewport < ds[j].Viewport
	})
	ls := make(map[string]LinkStatus, len(s.linkStatus))
	for k, v := range s.linkStatus {
		ls[k] = v
	}
	return &SiteFacts{Digests: ds, LinkStatus: ls}
}

// loadHost fetches robots.txt and the sitemaps of a host, seeding depth 1.
func (s *sweep) loadHost(ctx context.Context, host string) {
	if s.opts.Fetcher == nil {
		return
	}
	scheme := "https"
	for _, u := range s.opts.StartURLs {
		if pu, err := url.Parse(u); err == nil && canonicalHost(pu) == host {
			scheme = pu.Scheme
		}
	}
	base := scheme + "://" + host
	rb := s.opts.Fetcher.Robots(ctx, base)
	s.mu.Lock()
	s.robots[host] = rb
	s.mu.Unlock()
	for _, u := range s.opts.Fetcher.Sitemaps(ctx, base, rb) {
		s.frontier.AddSitemap(u)
	}
}

func (s *sweep) robotsAllow(u string) bool {
	if !s.opts.RespectRobots {
		return true
	}
	s.mu.Lock()
	rb := s.robots[Host(u)]
	s.mu.Unlock()
	return rb == nil || rb.Allowed(u)
}

type job struct {
	url   string
	vp    Viewport
	depth int
}

// visitDepth renders every URL of one depth in every viewport with a bounded
// pool of workers; links found go to the frontier for the next depth.
func (s *sweep) visitDepth(ctx context.Context, batch []string, depth int) error {
	var jobs []job
	for _, u := range batch {
		if !s.robotsAllow(u) {
			s.opts.Log.Info("skipped by robots.txt", "url", u)
			continue
		}
		for _, vp := range s.opts.Viewports {
			jobs = append(jobs, job{url: u, vp: vp, depth: depth})
		}
	}
	s.mu.Lock()
	s.queued += len(jobs)
	s.mu.Unlock()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan job)
	errc := make(chan error, 2*s.opts.Concurrency)
	fail := func(err error) {
		errc <- err
		cancel()
	}
	// Snapshots go from the render workers to as many check workers, so the
	// browser renders the next pages while the last ones are checked and
	// stored (at concurrency 1 the two otherwise take turns). The hand-over
	// is unbuffered: at most Concurrency snapshots wait, and a render
	// worker blocks rather than let them pile up.
	rendered := make(chan checkJob)
	var checking sync.WaitGroup
	for range s.opts.Concurrency {
		checking.Go(func() {
			failed := false
			// Never stop receiving: a render worker must always be able to
			// hand over, and a page already rendered is still stored when the
			// sweep is interrupted.
			for cj := range rendered {
				if failed {
					continue
				}
				if err := s.checkOne(ctx, cj); err != nil {
					failed = true
					fail(err)
				}
			}
		})
	}
	var rendering sync.WaitGroup
	for range s.opts.Concurrency {
		rendering.Go(func() {
			for j := range work {
				cj, err := s.visitOne(ctx, j)
				if err != nil {
					fail(err)
					return
				}
				if cj.suspect {
					s.mu.Lock()
					s.held = append(s.held, cj)
					s.mu.Unlock()
					continue
				}
				rendered <- cj
			}
		})
	}
feed:
	for _, j := range jobs {
		if s.expired.Load() {
			break
		}
		select {
		case work <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	rendering.Wait()
	close(rendered)
	checking.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return err
	}
	return ctx.Err()
}

// checkJob is a rendered snapshot on its way to the visit function.
type checkJob struct {
	j      job
	p      *Page
	digest Digest
	hosts  []string // the sweep's hosts when it was rendered
	// suspect: its timings are to be confirmed after the main pass.
	suspect bool
}

// visitOne renders one job and puts its links in the frontier; checkOne
// then hands the snapshot to the visit function.
func (s *sweep) visitOne(ctx context.Context, j job) (checkJob, error) {
	if s.opts.Fetcher != nil {
		if err := s.opts.Fetcher.Wait(ctx, Host(j.url)); err != nil {
			return checkJob{}, err
		}
	}
	s.mu.Lock()
	hosts := s.hostList()
	s.mu.Unlock()
	req := RenderRequest{
		URL: j.url, Viewport: j.vp, Depth: j.depth,
		AllowedHosts:          hosts,
		FollowOffsiteRedirect: j.depth == 0,
	}
	if want := s.opts.FullScreenshot; want != nil {
		req.WantFullScreenshot = func(p *Page) bool {
			// The checks behind want read the kind; it is set again below
			// from the same facts.
			p.Kind = ClassifyKind(p, j.depth == 0 && p.Status > 0, s.opts.ProductPages)
			return want(p)
		}
	}
	req.Prefetched = s.opts.Prefetched
	p, err := s.r.Render(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return checkJob{}, ctx.Err()
		}
		return checkJob{}, err // it names the URL and viewport
	}
	answered := p.Status >= 200 && p.Status < 400 && !p.TimedOut
	if s.opts.Repeat > 1 && answered {
		// A browser that died shows at the next render; only ctx's end
		// stops the visit here.
		if err := s.remeasure(ctx, checkJob{j: j, p: p, hosts: hosts}, s.opts.Repeat-1); err != nil && ctx.Err() != nil {
			return checkJob{}, ctx.Err()
		}
	}
	if j.depth == 0 && p.Status > 0 {
		s.mu.Lock()
		s.startOK = true
		h := Host(p.FinalURL)
		added := h != "" && !s.hosts[h]
		if added {
			// A start URL that redirects to another host adds that host.
			s.hosts[h] = true
		}
		s.mu.Unlock()
		if added {
			s.frontier.AddHost(h)
			if s.opts.Fetcher != nil {
				s.opts.Fetcher.AddHost(h)
			}
			s.loadHost(ctx, h)
		}
	}
	s.mu.Lock()
	hosts = s.hostList()
	s.mu.Unlock()
	p.Kind = ClassifyKind(p, j.depth == 0 && p.Status > 0, s.opts.ProductPages)
	d := MakeDigest(p, hosts)
	// Every link goes to the frontier, which judges host and scope when the
	// next depth's batch is made, so page order cannot change the result.
	for _, l := range p.Links {
		s.frontier.Add(l.URL, j.depth+1)
	}
	cj := checkJob{j: j, p: p, digest: d, hosts: hosts}
	cj.suspect = answered && s.opts.ConfirmRuns > 0 && s.opts.Suspect != nil && s.opts.Suspect(p)
	return cj, nil
}

func (s *sweep) checkOne(ctx context.Context, cj checkJob) error {
	j, p := cj.j, cj.p
	if err := s.visit(ctx, p); err != nil {
		return err // it names the page (see VisitFunc)
	}

	s.mu.Lock()
	s.digests = append(s.digests, cj.digest)
	if _, seen := s.linkStatus[p.URL]; !seen || j.vp.Name == Desktop.Name {
		s.linkStatus[p.URL] = linkStatusOf(p)
	}
	s.done++
	pr := Progress{Done: s.done, Queued: s.queued - s.done, Started: s.started}
	s.mu.Unlock()
	if s.opts.Progress != nil {
		s.opts.Progress(pr)
	}
	return nil
}

// linkStatusOf is what a link to p answered: its status, or its network
// error. A timeout or an off-site redirect is not a broken link.
func linkStatusOf(p *Page) LinkStatus {
	if p.Status == 0 && strings.HasPrefix(p.Error, "net::") {
		return LinkStatus{Error: p.Error}
	}
	return LinkStatus{Status: p.Status}
}
