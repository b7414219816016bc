package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/crawler/rodrender"
	"github.com/storecheck/storecheck/report"
	"github.com/storecheck/storecheck/storage"
)

func (a *app) sweepCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "sweep [URL…] [flags]",
		Short: "Crawl a storefront in Chromium, check every page, store the run",
		Long: `sweep visits every page of a storefront breadth-first in every viewport,
measures load time and web vitals, runs every enabled rule and stores pages and
findings in the database as it goes. Positional URLs replace start_urls.

Exit codes: 0 ran; 1 findings at/above --fail-on; 2 usage or config error;
3 cannot run (no browser, DB unusable, no start URL reachable, browser died
3 times); 130/143 interrupted by SIGINT/SIGTERM (finished pages are kept).`,
		Example: `  storecheck sweep https://shop.example/
  storecheck sweep --config shop.yaml --fail-on error
  storecheck sweep --config shop.yaml --viewport mobile --max-pages 50 --json run.json
  storecheck sweep --config shop.yaml --now 2026-11-11T00:00:00+08:00   # see the site as on 双11
  storecheck sweep https://shop.example/ --remote-browser ws://127.0.0.1:9222/devtools/browser/…`,
		RunE: a.runE(func(cmd *cobra.Command, args []string) error {
			cfg, err := config.LoadSweep(config.SweepFlags(cmd.Flags(), args))
			if err != nil {
				return err
			}
			return a.sweep(cmd.Context(), &cfg)
		}),
	}
	config.AddSweepFlags(c.Flags())
	return c
}

// sweep runs one sweep with a validated config, writes --json and the
// summary, and applies --fail-on.
func (a *app) sweep(parent context.Context, cfg *config.Config) error {
	data, err := a.runSweep(parent, cfg, sweepOptions{})
	if data != nil {
		if err := writeRunJSON(cfg.JSONOut, data); err != nil {
			return err
		}
		report.ShowTable(a.stdout, data, 10)
	}
	if err != nil {
		return err
	}
	if cfg.FailOn != "" && failsOn(data.Findings, checks.Severity(cfg.FailOn)) {
		return errFindings
	}
	return nil
}

// writeRunJSON writes --json: the bytes show --format json prints for the
// run. An empty path writes nothing.
func writeRunJSON(path string, data *storage.RunData) error {
	if path == "" {
		return nil
	}
	var buf bytes.Buffer
	if err := report.RunJSON(&buf, data); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write --json %s: %w", path, err)
	}
	return nil
}

// sweepOptions are what the commands built on a sweep (preflight,
// schedule) change about it.
type sweepOptions struct {
	// Escalate raises every finding of a rule with one of these ID prefixes
	// ("promo.") to error before it is stored.
	Escalate []string
}

// runSweep runs one sweep and returns the stored run: also for a run that
// was interrupted (ctx ended; the error is context.Cause(ctx), a signalError
// when main cancelled it) or failed (with its error); nil data when no run
// was created.
func (a *app) runSweep(ctx context.Context, cfg *config.Config, opt sweepOptions) (*storage.RunData, error) {
	if len(cfg.StartURLs) == 0 {
		return nil, usagef("no start URL: give one as an argument or set start_urls in the config")
	}
	log := a.log
	if cfg.Quiet {
		log = slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	now := cfg.Now
	if now.IsZero() {
		now = time.Now()
	}

	startURLs, err := normaliseAll(cfg.StartURLs)
	if err != nil {
		return nil, usageError{err}
	}
	// The brand's logos are decoded before the browser starts: an unusable
	// brand.logo is a config error (exit 2), found in a second.
	env, err := checks.NewEnv(cfg, now)
	if err != nil {
		return nil, err
	}
	active := skipRules(checks.Active(checks.Registry(), env), cfg.SkipRules)
	pats, err := compilePatterns(cfg)
	if err != nil {
		return nil, err
	}
	var bin string
	if len(cfg.RemoteBrowser) == 0 {
		if bin, err = rodrender.FindBrowser(cfg.Browser); err != nil {
			return nil, err
		}
	}

	db, err := storage.Open(ctx, cfg.DB)
	if err != nil {
		return nil, stoppedEarly(ctx, err)
	}
	defer db.Close()

	// main cancels ctx on the first SIGINT/SIGTERM; say so once, as it
	// happens, since the pages in flight take a moment to finish.
	stopLog := context.AfterFunc(ctx, func() {
		log.Warn("stopping: finished pages are kept", stopReason(ctx)...)
	})
	defer stopLog()

	ropts := renderOptions(cfg, bin, active)
	ropts.Log = log
	r, err := rodrender.New(ctx, ropts)
	if err != nil {
		return nil, stoppedEarly(ctx, fmt.Errorf("start browser: %w", err))
	}
	defer r.Close()

	// The reference-price history comes from the runs of the 7 days before
	// this sweep's clock; checks read it from their environment.
	if env.PriceHistory, err = db.LowestPrices(ctx, cfg.TargetName(), now.AddDate(0, 0, -checks.ReferenceDays), now); err != nil {
		return nil, stoppedEarly(ctx, err)
	}
	runID, err := db.CreateRun(ctx, storage.RunInfo{
		Name: cfg.TargetName(), StartedAt: time.Now(), Now: now, StartURLs: startURLs,
		ConfigJSON: cfg.JSON(), Concurrency: cfg.Concurrency, CPUs: runtime.NumCPU(),
		Browser: r.Version(),
	})
	if err != nil {
		return nil, stoppedEarly(ctx, err)
	}
	log.Info("sweep started", "run", runID, "target", cfg.TargetName(), "start_urls", len(startURLs),
		"viewports", cfg.Viewports, "concurrency", cfg.Concurrency, "browser", r.Version())

	w := db.Writer(runID)
	prog := newProgress(a.stderr, log, cfg.Quiet)

	visit := func(ctx context.Context, p *crawler.Page) error {
		fs, price := checks.RunPageFacts(active, env, p)
		fs = escalate(fs, opt.Escalate)
		// A signal must not lose a page that is already checked.
		if err := w.AddPage(context.WithoutCancel(ctx), storage.PageRecord{Page: p, Findings: fs, Price: price}); err != nil {
			return err
		}
		prog.page(p, len(fs))
		return nil
	}

	fetcher := crawler.NewFetcher(crawler.FetchOptions{
		Headers: fetchHeaders(cfg), Cookies: renderCookies(cfg.Cookies),
		BasicAuthUser: cfg.BasicAuth.User, BasicAuthPass: cfg.BasicAuth.Password,
		TLSInsecure: cfg.TLSInsecure, UserAgent: "Mozilla/5.0 (compatible; " + ropts.UAProduct + ")",
		Timeout: time.Duration(cfg.PageTimeout), MaxRPS: cfg.Scope.MaxRPS,
		Hosts: hostsOf(startURLs), Log: log,
	})
	site, sweepErr := crawler.Sweep(ctx, r, crawler.SweepOptions{
		StartURLs: startURLs, Viewports: viewports(cfg.Viewports), Concurrency: cfg.Concurrency,
		MaxPages: cfg.Scope.MaxPages, MaxDepth: cfg.Scope.MaxDepth,
		Include: pats.Include, Exclude: pats.Exclude,
		ProductPages:  pats.ProductPages,
		RespectRobots: cfg.Scope.Robots == "respect",
		MaxDuration:   time.Duration(cfg.Scope.MaxDuration),
		Repeat:        cfg.Repeat,
		Fetcher:       fetcher, Log: log, Progress: prog.update,
	}, visit)
	prog.close()

	// The run's status is fixed by whether ctx had ended when the crawl
	// returned; what follows runs without cancellation, so a signal never
	// leaves a run unfinished.
	interrupted := ctx.Err() != nil
	status := storage.StatusComplete
	switch {
	case interrupted:
		status = storage.StatusInterrupted
	case sweepErr != nil:
		status = storage.StatusFailed
	}
	if sweepErr == nil && site != nil {
		fs := escalate(checks.RunSite(active, env, site), opt.Escalate)
		if err := w.AddSiteFindings(context.WithoutCancel(ctx), fs); err != nil {
			sweepErr = err
			status = storage.StatusFailed
		}
	}
	if err := w.Finish(context.WithoutCancel(ctx), status, time.Now()); err != nil && sweepErr == nil {
		sweepErr = err
	}
	// retention: {keep_runs, keep_days} prunes the target once this run's
	// status is final (it is then the newest complete run, never pruned).
	a.applyRetention(context.WithoutCancel(ctx), db, cfg, log)

	data, err := db.LoadRun(context.WithoutCancel(ctx), fmt.Sprint(runID))
	if err != nil {
		return nil, err
	}
	switch {
	case interrupted:
		return data, context.Cause(ctx)
	case sweepErr != nil:
		return data, sweepErr
	}
	return data, nil
}

// escalate raises the findings of rules with one of prefixes to error.
func escalate(fs []checks.Finding, prefixes []string) []checks.Finding {
	for i, f := range fs {
		for _, p := range prefixes {
			if strings.HasPrefix(f.Rule, p) {
				fs[i].Severity = checks.SeverityError
			}
		}
	}
	return fs
}

// stoppedEarly is runSweep's answer to err before a run exists: when ctx
// has ended, err is most likely its echo ("context canceled"), and the
// caller wants to know why ctx ended instead.
func stoppedEarly(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return err
}

func failsOn(fs []checks.Finding, level checks.Severity) bool {
	for _, f := range fs {
		if f.Severity.Rank() >= level.Rank() {
			return true
		}
	}
	return false
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

func hostsOf(urls []string) []string {
	var out []string
	for _, u := range urls {
		out = append(out, hostOf(u))
	}
	return out
}

func renderCookies(cs []config.Cookie) []crawler.Cookie {
	out := make([]crawler.Cookie, 0, len(cs))
	for _, c := range cs {
		out = append(out, crawler.Cookie{Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path})
	}
	return out
}

func viewports(names []string) []crawler.Viewport {
	var out []crawler.Viewport
	for _, n := range names {
		if vp, ok := crawler.ViewportByName(n); ok {
			out = append(out, vp)
		}
	}
	return out
}

func normaliseAll(urls []string) ([]string, error) {
	out := make([]string, 0, len(urls))
	for _, u := range urls {
		n, err := crawler.Normalize(u)
		if err != nil {
			return nil, fmt.Errorf("start URL %q: %w", u, err)
		}
		out = append(out, n)
	}
	return out, nil
}

// patterns are the config's URL regexes, compiled once per sweep.
type patterns struct {
	Include, Exclude []*regexp.Regexp // scope.include, scope.exclude
	ProductPages     []*regexp.Regexp // product_pages
}

// compilePatterns compiles the regexes of cfg. config.Load has already
// checked them, so an error here means a Config built or changed by hand;
// it is still a *config.Error naming the key (exit 2), never a panic.
func compilePatterns(cfg *config.Config) (patterns, error) {
	var (
		p   patterns
		err error
	)
	if p.Include, err = compileAll(cfg, "scope.include", cfg.Scope.Include); err != nil {
		return patterns{}, err
	}
	if p.Exclude, err = compileAll(cfg, "scope.exclude", cfg.Scope.Exclude); err != nil {
		return patterns{}, err
	}
	if p.ProductPages, err = compileAll(cfg, "product_pages", cfg.ProductPages); err != nil {
		return patterns{}, err
	}
	return p, nil
}

// compileAll compiles the regexes of the list at key; the error names the
// entry as config.Load's validation does.
func compileAll(cfg *config.Config, key string, exprs []string) ([]*regexp.Regexp, error) {
	out := make([]*regexp.Regexp, 0, len(exprs))
	for i, e := range exprs {
		re, err := regexp.Compile(e)
		if err != nil {
			return nil, cfg.KeyError(fmt.Sprintf("%s[%d]", key, i), "not a valid regex: %s",
				strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
		out = append(out, re)
	}
	return out, nil
}

// progress shows a live line on a terminal and plain log lines otherwise.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	tty      bool
	quiet    bool
	log      interface{ Info(string, ...any) }
	findings int
	drawn    bool
}

func newProgress(w io.Writer, log interface{ Info(string, ...any) }, quiet bool) *progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	return &progress{w: w, tty: tty, quiet: quiet, log: log}
}

func (p *progress) page(pg *crawler.Page, findings int) {
	p.mu.Lock()
	p.findings += findings
	p.mu.Unlock()
	if p.quiet || p.tty {
		return
	}
	var load any
	if pg.Metrics.Loadms != nil {
		load = int(*pg.Metrics.Loadms)
	}
	p.log.Info("page", "url", pg.URL, "viewport", pg.Viewport.Name, "status", pg.Status,
		"kind", pg.Kind, "load_ms", load, "findings", findings, "error", pg.Error)
}

func (p *progress) update(pr crawler.Progress) {
	if p.quiet || !p.tty {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	rate := float64(pr.Done) / time.Since(pr.Started).Seconds()
	fmt.Fprintf(p.w, "\r\033[K%d done, %d queued, %d findings, %.2f pages/s", pr.Done, pr.Queued, p.findings, rate)
	p.drawn = true
}

func (p *progress) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host
}

// skipRules drops the checks that --skip-rules names, by ID or by a family
// prefix ending in ".".
func skipRules(cs []*checks.Check, skip []string) []*checks.Check {
	var out []*checks.Check
	for _, c := range cs {
		drop := false
		for _, s := range skip {
			if c.ID == s || strings.HasSuffix(s, ".") && strings.HasPrefix(c.ID, s) {
				drop = true
			}
		}
		if !drop {
			out = append(out, c)
		}
	}
	return out
}

// logoRulesActive reports whether a logo rule will run: only then does the
// crawler screenshot logo candidates.
func logoRulesActive(cs []*checks.Check) bool {
	for _, c := range cs {
		if strings.HasPrefix(c.ID, "logo.") {
			return true
		}
	}
	return false
}

// renderOptions are the browser options of a sweep under cfg with the
// active checks (logo candidates are captured only when a logo rule runs).
func renderOptions(cfg *config.Config, bin string, active []*checks.Check) crawler.RenderOptions {
	return crawler.RenderOptions{
		Bin: bin, RemoteURLs: cfg.RemoteBrowser,
		Headers: cfg.Headers, Cookies: renderCookies(cfg.Cookies),
		BasicAuthUser: cfg.BasicAuth.User, BasicAuthPass: cfg.BasicAuth.Password,
		TLSInsecure: cfg.TLSInsecure, Locale: cfg.Locale, Timezone: cfg.Timezone,
		UserAgent: cfg.UserAgent, UAProduct: "storecheck/" + version, Now: cfg.Now,
		PageTimeout: time.Duration(cfg.PageTimeout), Settle: time.Duration(cfg.Settle),
		BlockExternal: cfg.Scope.BlockExternal, Limits: crawler.DefaultLimits,
		LogoCandidates: logoRulesActive(active),
		Selectors:      cfg.Layout.AboveFold,
		FullScreenshot: true,
	}
}
