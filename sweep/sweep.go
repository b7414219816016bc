// Package sweep is the pipeline of one sweep: it starts the browser, crawls
// the storefront, checks every page and stores the run. Commands call Run;
// they own flags, signals, exit codes and rendering.
package sweep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/crawler/rodrender"
	"github.com/storecheck/storecheck/lang"
	"github.com/storecheck/storecheck/storage"
)

// Options are what a command sets about a sweep beyond its config.
type Options struct {
	// Log receives the sweep's log lines. The caller picks the level: the
	// commands pass a warnings-only logger under --quiet. Required.
	Log *slog.Logger
	// Progress is where the live progress line is drawn when it is a
	// terminal; elsewhere each page is a log line instead (none under
	// --quiet). Nil: no progress line.
	Progress io.Writer
	// Version is storecheck's version, named in the user agent as
	// "storecheck/VERSION".
	Version string
	// Strict raises every finding of a rule that declares itself strict
	// (the price and promotion rules) to error before it is stored: a
	// pre-campaign check. False: severities as the rules give them.
	Strict bool
	// Lang is the language of the progress line; empty is English.
	Lang lang.Tag
}

// Result is what a sweep stored.
type Result struct {
	// Run is the stored run as storage reads it back, also for a run that
	// was interrupted or failed; nil when no run was created.
	Run *storage.RunData
	// Interrupted is true when ctx ended before the sweep did. A stored run
	// is then marked interrupted and keeps its finished pages.
	Interrupted bool
	// Measures is what the cache of picture measures did: how many
	// pictures were decoded, and how many measured by an earlier sweep
	// were taken from the store instead.
	Measures checks.MeasureStats
	// FullScreenshots counts the visits that asked the browser for their
	// full-page screenshot: those with a finding that outlines a region of
	// the page.
	FullScreenshots int
}

// Validate finds, without starting a browser, what would make every sweep
// under cfg fail: no start URL or a bad one, an unusable brand logo or an
// invalid regex (a *config.Error, exit 2), no browser (exit 3).
func Validate(cfg *config.Config) error {
	_, err := prepare(cfg, clock(cfg), false)
	return err
}

// plan is what a sweep derives from its config before it opens anything.
type plan struct {
	startURLs []string
	rules     *rules
	patterns  Patterns
	bin       string // the browser binary; "" with a remote browser
}

func prepare(cfg *config.Config, now time.Time, strict bool) (*plan, error) {
	if len(cfg.StartURLs) == 0 {
		return nil, &config.Error{Msg: "no start URL: give one as an argument or set start_urls in the config"}
	}
	var (
		p   plan
		err error
	)
	if p.startURLs, err = normaliseAll(cfg.StartURLs); err != nil {
		return nil, err
	}
	if p.rules, err = newRules(cfg, now, strict); err != nil {
		return nil, err
	}
	if p.patterns, err = CompilePatterns(cfg); err != nil {
		return nil, err
	}
	if len(cfg.RemoteBrowser) == 0 {
		if p.bin, err = rodrender.FindBrowser(cfg.Browser); err != nil {
			return nil, err
		}
	}
	return &p, nil
}

// clock is the sweep's clock: --now, else the wall clock.
func clock(cfg *config.Config) time.Time {
	if cfg.Now.IsZero() {
		return time.Now()
	}
	return cfg.Now
}

// Run runs one sweep under cfg and returns the stored run.
//
// Cancelling ctx stops the sweep: pages already checked are kept and the
// run is stored as interrupted; Run then returns context.Cause(ctx) as its
// error, so the canceller says why (cmd/storecheck cancels with the signal,
// which sets the exit code). A failed sweep (no start URL reachable, the
// browser died) is stored as failed and its error returned with the run.
func Run(ctx context.Context, cfg *config.Config, opts Options) (Result, error) {
	log := opts.Log
	now := clock(cfg)
	p, err := prepare(cfg, now, opts.Strict)
	if err != nil {
		return Result{}, err
	}
	rs := p.rules

	db, err := storage.Open(ctx, cfg.DB)
	if err != nil {
		return stoppedEarly(ctx, err)
	}
	defer db.Close()
	db.Log = log
	// Pictures an earlier sweep measured under the same settings are not
	// decoded again: the measure cache looks them up in the store.
	rs.env.UseMeasureStore(db.MeasureStore())

	// The caller's signal reaches the sweep as ctx's end; say so once, as
	// it happens, since the pages in flight take a moment to finish.
	stopLog := context.AfterFunc(ctx, func() {
		log.Warn("stopping: finished pages are kept", StopAttrs(ctx)...)
	})
	defer stopLog()

	ropts := RenderOptions(cfg, p.bin, opts.Version, rs.active)
	ropts.Log = log
	r, err := rodrender.New(ctx, ropts)
	if err != nil {
		return stoppedEarly(ctx, fmt.Errorf("start browser: %w", err))
	}
	defer r.Close()

	// The reference-price history comes from the runs of the 7 days before
	// this sweep's clock, when a rule reads it from its environment.
	if rs.wantsPriceHistory() {
		history, err := db.LowestPrices(ctx, cfg.TargetName(), priceHistoryFrom(now), now)
		if err != nil {
			return stoppedEarly(ctx, err)
		}
		rs.setPriceHistory(history)
	}
	host := measureHost(ctx, r, log)
	runID, err := db.CreateRun(ctx, storage.RunInfo{
		Name: cfg.TargetName(), StartedAt: time.Now(), Now: now, StartURLs: p.startURLs,
		ConfigJSON: cfg.JSON(), Concurrency: cfg.Concurrency, CPUs: runtime.NumCPU(),
		Browser: r.Version(), Host: host,
	})
	if err != nil {
		return stoppedEarly(ctx, err)
	}
	log.Info("sweep started", append([]any{"run", runID, "target", cfg.TargetName(), "start_urls", len(p.startURLs),
		"viewports", cfg.Viewports, "concurrency", cfg.Concurrency, "browser", r.Version()}, hostAttrs(host)...)...)

	w := db.Writer(runID)
	progressOut := opts.Progress
	if progressOut == nil {
		progressOut = io.Discard
	}
	prog := newProgress(progressOut, log, cfg.Quiet, opts.Lang)

	// Reading pictures is a step of its own between the crawler and the
	// checks; its cache is the store's, across runs.
	pictures := newPictureReader(ctx, cfg, rs.wantsPictureText(), db.OCRCache(), log)
	shots := newFullShots(rs, pictures)
	visit := func(ctx context.Context, pg *crawler.Page) error {
		pics, ocrCounts := shots.readPictures(ctx, pg)
		fs, price := rs.page(pg, pics)
		// A signal must not lose a page that is already checked.
		rec := storage.PageRecord{Page: pg, Findings: fs, Price: price, OCR: ocrCounts}
		if err := w.AddPage(context.WithoutCancel(ctx), rec); err != nil {
			return err
		}
		prog.page(pg, len(fs))
		return nil
	}

	// A visit's pictures are read and measured while its page settles.
	var measuring sync.WaitGroup
	early := func(bodies [][]byte) {
		pictures.readEarly(ctx, bodies)
		measuring.Go(func() { checks.MeasureEarly(rs.active, rs.env, bodies) })
	}

	fetcher := crawler.NewFetcher(crawler.FetchOptions{
		Headers: fetchHeaders(cfg), Cookies: renderCookies(cfg.Cookies),
		BasicAuthUser: cfg.BasicAuth.User, BasicAuthPass: cfg.BasicAuth.Password,
		TLSInsecure: cfg.TLSInsecure, UserAgent: "Mozilla/5.0 (compatible; " + ropts.UAProduct + ")",
		Timeout: time.Duration(cfg.PageTimeout), MaxRPS: cfg.Scope.MaxRPS,
		Hosts: hostsOf(p.startURLs), Log: log,
	})
	site, sweepErr := crawler.Sweep(ctx, r, crawler.SweepOptions{
		StartURLs: p.startURLs, Viewports: viewports(cfg.Viewports), Concurrency: cfg.Concurrency,
		MaxPages: cfg.Scope.MaxPages, MaxDepth: cfg.Scope.MaxDepth,
		Include: p.patterns.Include, Exclude: p.patterns.Exclude,
		ProductPages:   rs.env.ProductPages,
		RespectRobots:  cfg.Scope.Robots == "respect",
		MaxDuration:    time.Duration(cfg.Scope.MaxDuration),
		Repeat:         cfg.Repeat,
		Suspect:        rs.suspect,
		ConfirmRuns:    cfg.Budgets.ConfirmRuns,
		FullScreenshot: func(p *crawler.Page) bool { return shots.want(ctx, p) },
		Prefetched:     early,
		Fetcher:        fetcher, Log: log, Progress: prog.update,
	}, visit)
	prog.close()
	pictures.wait()
	measuring.Wait()

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
	keep := context.WithoutCancel(ctx)
	if sweepErr == nil && site != nil {
		if err := w.AddSiteFindings(keep, rs.site(site)); err != nil {
			sweepErr = err
			status = storage.StatusFailed
		}
	}
	if err := w.Finish(keep, status, time.Now()); err != nil && sweepErr == nil {
		sweepErr = err
	}
	saveMeasures(keep, db, rs.env.Measures, log)
	// retention: {keep_runs, keep_days} prunes the target once this run's
	// status is final (it is then the newest complete run, never pruned).
	applyRetention(keep, db, cfg, log)

	data, err := db.LoadRun(keep, fmt.Sprint(runID))
	if err != nil {
		return Result{Interrupted: interrupted}, err
	}
	res := Result{Run: data, Interrupted: interrupted, Measures: rs.env.Measures.Stats(), FullScreenshots: shots.taken()}
	switch {
	case interrupted:
		return res, context.Cause(ctx)
	case sweepErr != nil:
		return res, sweepErr
	}
	return res, nil
}

// stoppedEarly is Run's answer to err before a run exists: when ctx has
// ended, err is most likely its echo ("context canceled"), and the caller
// wants to know why ctx ended instead.
func stoppedEarly(ctx context.Context, err error) (Result, error) {
	if ctx.Err() != nil {
		return Result{Interrupted: true}, context.Cause(ctx)
	}
	return Result{}, err
}

// StopAttrs are the log attributes that say why ctx ended: the signal, when
// the cause carries one (cmd/storecheck cancels its root context with an
// error that does), else the cause. The schedule logs its stop with them too.
func StopAttrs(ctx context.Context) []any {
	cause := context.Cause(ctx)
	var s interface{ Signal() os.Signal }
	if errors.As(cause, &s) {
		return []any{"signal", s.Signal().String()}
	}
	return []any{"cause", cause}
}

// applyRetention prunes the runs of cfg's target that cfg.Retention no
// longer keeps, after a sweep. A failure is logged as a warning: the sweep
// itself succeeded, and the next one tries again. It does not VACUUM:
// rewriting the whole file after every sweep costs more than it returns, as
// the next sweep reuses the freed pages; `storecheck prune` compacts.
// Retention counts days on the wall clock (runs' started_at), not --now.
func applyRetention(ctx context.Context, db *storage.DB, cfg *config.Config, log *slog.Logger) {
	keep, name := cfg.Retention, cfg.TargetName()
	if keep.KeepRuns == 0 && keep.KeepDays == 0 || name == "" {
		return
	}
	res, err := db.Prune(ctx, name, keep.KeepRuns, keep.KeepDays, time.Now())
	if err != nil {
		log.Warn("retention: old runs not pruned", "target", name, "err", err)
		return
	}
	if len(res.Removed) == 0 {
		return
	}
	ids := make([]int64, 0, len(res.Removed))
	for _, r := range res.Removed {
		ids = append(ids, r.ID)
	}
	log.Info("retention: removed old runs", "target", name, "runs", ids, "pages", res.Pages(), "kept", res.Kept,
		"keep_runs", keep.KeepRuns, "keep_days", keep.KeepDays)
}

// saveMeasures keeps the picture measures the sweep took for the next one,
// also after an interrupted sweep (what was measured is right), and drops
// the stored measures no sweep used for storage.MeasureCacheDays. A failure
// is logged as a warning: the run is stored, and the next sweep measures
// those pictures again.
func saveMeasures(ctx context.Context, db *storage.DB, c *checks.MeasureCache, log *slog.Logger) {
	if err := c.Flush(ctx); err != nil {
		log.Warn("measure cache: measures not saved", "err", err)
	}
	st := c.Stats()
	log.Debug("measure cache", "decoded", st.Decoded, "loaded", st.Loaded, "saved", st.Saved, "used", st.Used,
		"load_errors", st.LoadErrors)
	if st.LoadErrors > 0 {
		log.Warn("measure cache: some lookups failed; those pictures were measured again", "failed", st.LoadErrors)
	}
	n, err := db.PruneMeasures(ctx, time.Now().AddDate(0, 0, -storage.MeasureCacheDays))
	if err != nil {
		log.Warn("measure cache: old entries not pruned", "err", err)
		return
	}
	if n > 0 {
		log.Debug("measure cache: pruned entries unused for days", "entries", n, "days", storage.MeasureCacheDays)
	}
}
