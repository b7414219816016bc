package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/diff"
	"github.com/storecheck/storecheck/storage"
	"github.com/storecheck/storecheck/sweep"
)

// newErrorsLogged caps the new errors a scheduled run lists in the log;
// `storecheck diff` shows them all.
const newErrorsLogged = 20

func (a *app) scheduleCmd() *cobra.Command {
	var (
		spec    string
		every   time.Duration
		maxRuns int
	)
	c := &cobra.Command{
		Use:   "schedule [URL…] (--cron SPEC | --every DURATION) [--max-runs N] [sweep flags]",
		Short: "Sweep on a schedule in the foreground, logging each run and what changed",
		Long: `schedule stays in the foreground and runs a sweep at every tick of --cron (a
standard 5-field crontab spec, or @hourly, @daily, @weekly, @monthly; in the
machine's time zone unless prefixed with CRON_TZ=Zone) or every --every
(a duration of whole seconds, at least 1s). The first sweep runs at the first
tick, not at start. It takes the sweep's config and flags (not --json and
--fail-on); the config is read once, at start. Each run's clock is the wall
clock unless --now pins it.

Sweeps of the target never overlap: a tick that comes while a sweep runs is
skipped and logged. After each run the log has its summary (status, pages,
findings by severity, duration) and, for a complete run, what changed since
the previous complete run (new, resolved and changed findings, and each new
error). A sweep that fails (no start URL reachable, browser died) is logged
and the schedule goes on. The config's retention is applied after each run.

SIGINT / SIGTERM: no further sweep starts; a sweep in progress stops, keeps
its finished pages and is marked interrupted; then schedule exits 0. A second
signal exits at once.

Exit codes: 0 stopped by a signal, or --max-runs sweeps done; 2 usage or
config error (a bad --cron names the flag); 3 cannot run at start (no
browser, DB unusable).`,
		Example: `  storecheck schedule --config shop.yaml --cron "0 9 * * *"
  storecheck schedule --config shop.yaml --cron "CRON_TZ=Asia/Shanghai 30 8 * * 1-5" --quiet
  storecheck schedule --config shop.yaml --every 6h --viewport mobile`,
		RunE: a.runE(func(cmd *cobra.Command, args []string) error {
			sched, what, err := parseSchedule(cmd.Flags(), spec, every)
			if err != nil {
				return err
			}
			if maxRuns < 0 {
				return usagef("--max-runs: must not be negative, got %d", maxRuns)
			}
			for _, f := range []string{"json", "fail-on"} {
				if cmd.Flags().Changed(f) {
					return usagef("--%s: not for schedule (each run is logged; use show, diff or report on the stored runs)", f)
				}
			}
			cfg, err := config.LoadSweep(config.SweepFlags(cmd.Flags(), args))
			if err != nil {
				return err
			}
			return a.schedule(cmd.Context(), &cfg, sched, what, maxRuns)
		}),
	}
	config.AddSweepFlags(c.Flags())
	_ = c.Flags().MarkHidden("json")
	_ = c.Flags().MarkHidden("fail-on")
	c.Flags().StringVar(&spec, "cron", "", `when to sweep: a 5-field crontab spec ("0 9 * * *") or @hourly, @daily, …`)
	c.Flags().DurationVar(&every, "every", 0, "sweep at this interval instead (6h, 30m; whole seconds)")
	c.Flags().IntVar(&maxRuns, "max-runs", 0, "stop after N sweeps (0 = until stopped)")
	return c
}

// parseSchedule turns --cron or --every into a cron.Schedule and the words
// that name it in the log. --every becomes cron's constant-delay schedule
// rather than a ticker, so both flags share one scheduler, one skip rule and
// one way to stop.
func parseSchedule(fs *pflag.FlagSet, spec string, every time.Duration) (cron.Schedule, string, error) {
	hasCron, hasEvery := fs.Changed("cron"), fs.Changed("every")
	switch {
	case hasCron == hasEvery:
		return nil, "", usagef("give exactly one of --cron and --every")
	case hasEvery:
		if every < time.Second || every%time.Second != 0 {
			return nil, "", usagef("--every: want whole seconds, at least 1s, got %v", every)
		}
		return cron.Every(every), "every " + every.String(), nil
	}
	sched, err := parseCron(spec)
	if err != nil {
		return nil, "", usagef("--cron %q: %v", spec, err)
	}
	if sched.Next(time.Now()).IsZero() {
		return nil, "", usagef("--cron %q: never fires", spec)
	}
	return sched, "cron " + spec, nil
}

// parseCron is cron.ParseStandard, which panics on a CRON_TZ= prefix with
// nothing after it (robfig/cron v3.0.1).
func parseCron(spec string) (s cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("malformed spec")
		}
	}()
	return cron.ParseStandard(spec)
}

// schedule runs sweeps of cfg at every tick of sched until a signal, ctx's
// end or maxRuns sweeps (0: no limit).
func (a *app) schedule(ctx context.Context, cfg *config.Config, sched cron.Schedule, what string, maxRuns int) error {
	db, err := a.schedulePreflight(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	log := a.log.With("target", cfg.TargetName())

	// main cancels ctx on the first SIGINT/SIGTERM (a second one exits at
	// once): no further sweep starts, the one in progress sees the same ctx
	// end and stores its run as interrupted, and the schedule exits 0.
	var (
		started int
		busy    = make(chan struct{}, 1) // held while a sweep runs
		done    = make(chan struct{})    // closed after the maxRuns-th sweep
	)
	c := cron.New()
	var id cron.EntryID
	job := func() {
		select {
		case busy <- struct{}{}:
		default:
			log.Warn("schedule: the previous sweep is still running; this tick is skipped")
			return
		}
		defer func() { <-busy }()
		if ctx.Err() != nil || maxRuns > 0 && started >= maxRuns {
			return
		}
		started++
		run := *cfg
		a.scheduledSweep(ctx, db, &run, log.With("sweep", started))
		if maxRuns > 0 && started == maxRuns {
			close(done) // once: later ticks return above
			return
		}
		if ctx.Err() == nil {
			log.Info("schedule: next sweep", "at", c.Entry(id).Next.Format(time.RFC3339))
		}
	}
	id = c.Schedule(sched, cron.FuncJob(job))
	c.Start()
	log.Info("schedule started", "schedule", what, "next", sched.Next(time.Now()).Format(time.RFC3339))

	select {
	case <-done:
		log.Info("schedule done", "sweeps", maxRuns)
	case <-ctx.Done():
		log.Warn("schedule stopping: no further sweeps; a sweep in progress keeps its finished pages", sweep.StopAttrs(ctx)...)
	}
	<-c.Stop().Done()
	log.Info("schedule stopped")
	return nil
}

// schedulePreflight finds, before the first tick that may be hours away,
// what would make every sweep fail: no start URL, an unusable brand logo or
// a bad regex (exit 2), no browser or an unusable database (exit 3). It
// returns the database the run logs read from.
func (a *app) schedulePreflight(ctx context.Context, cfg *config.Config) (*storage.DB, error) {
	if err := sweep.Validate(cfg); err != nil {
		return nil, err
	}
	return storage.Open(ctx, cfg.DB)
}

// scheduledSweep runs one sweep and logs how it went. ctx ends when the
// schedule stops; the reads for the log outlive it, so a run that completed
// just before a signal is still compared.
func (a *app) scheduledSweep(ctx context.Context, db *storage.DB, cfg *config.Config, log *slog.Logger) {
	res, err := a.sweepRun(ctx, cfg, false)
	data := res.Run
	if data == nil {
		// No run was stored: the sweep failed before it began.
		if ctx.Err() != nil {
			log.Warn("sweep stopped before it began", "err", err)
		} else {
			log.Error("sweep failed; the schedule goes on", "err", err, "exit_code", exitCode(err))
		}
		return
	}
	r := data.Run
	summary := []any{"run", r.ID, "status", r.Status, "pages", r.Pages,
		"errors", r.Findings.Error, "warnings", r.Findings.Warning, "infos", r.Findings.Info,
		"duration", r.FinishedAt.Sub(r.StartedAt).Round(100 * time.Millisecond).String()}
	switch {
	case res.Interrupted:
		log.Warn("sweep interrupted: finished pages kept", append(summary, sweep.StopAttrs(ctx)...)...)
		return
	case err != nil:
		log.Error("sweep failed; the schedule goes on", append(summary, "err", err, "exit_code", exitCode(err))...)
		return
	}
	// Only a complete run is compared: an interrupted or failed one would
	// list every page it missed as resolved.
	log.Info("sweep finished", summary...)
	if err := a.logChanges(context.WithoutCancel(ctx), db, data, log); err != nil {
		log.Warn("comparing the run with the previous one failed", "run", r.ID, "err", err)
	}
}

// logChanges logs what changed from the previous complete run of head's
// target to head, as `storecheck diff` would compute it.
func (a *app) logChanges(ctx context.Context, db *storage.DB, head *storage.RunData, log *slog.Logger) error {
	base, err := a.previousRun(ctx, db, head.Run)
	if err != nil {
		return err
	}
	if base == nil {
		log.Info("first complete run of the target: nothing to compare with", "run", head.Run.ID)
		return nil
	}
	baseID := base.Run.ID
	res, err := compareRuns(ctx, db, base, head)
	if err != nil {
		return err
	}
	var newErrors []diff.NewFinding
	for _, f := range res.New {
		if f.Severity == checks.SeverityError {
			newErrors = append(newErrors, f)
		}
	}
	log.Info("changes since the previous complete run", "run", head.Run.ID, "base", baseID,
		"new", len(res.New), "new_errors", len(newErrors), "resolved", len(res.Resolved), "changed", len(res.Changed),
		"metric_changes", len(res.MetricChanges), "price_changes", len(res.PriceChanges),
		"pages_added", len(res.PagesAdded), "pages_removed", len(res.PagesRemoved))
	for i, f := range newErrors {
		if i == newErrorsLogged {
			log.Warn(fmt.Sprintf("%d more new errors: storecheck diff %d %d", len(newErrors)-i, baseID, head.Run.ID))
			break
		}
		log.Warn("new error", "run", head.Run.ID, "rule", f.Rule, "url", f.URL, "viewport", f.Viewport,
			"subject", f.Subject, "reopened", f.Reopened, "message", f.Message)
	}
	return nil
}
