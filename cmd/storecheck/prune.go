package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/storage"
)

func (a *app) pruneCmd() *cobra.Command {
	var configPath, dbPath, target string
	var keepRuns, keepDays int
	c := &cobra.Command{
		Use:   "prune [--config FILE] [--db FILE] [--keep-runs N] [--keep-days N] [--target NAME]",
		Short: "Delete runs retention no longer keeps, then compact the database",
		Long: `prune applies retention by hand: it deletes the runs of a target beyond the
newest --keep-runs and those started more than --keep-days days ago (0 = no
limit; the flags override the config's retention.keep_runs and keep_days),
then VACUUMs the database so the file shrinks. A sweep applies the config's
retention to its target after every run, without the VACUUM. Both also drop
the stored picture measures (sharpness, hashes, logo comparisons) that no
sweep of any target used in the last 30 days.

Never deleted: a run still running (a sweep in progress) and the newest
complete run of the target (the base the next sweep is compared with).

The target is --target, else the config's target (name, or the host of its
first start URL), else every target stored in the database, each pruned on
its own. It prints each removed run, then the file's size before and after.

Exit codes: 0 ok; 2 usage or config error; 3 cannot run (database missing
or unusable, --target names no stored run).`,
		Example: `  storecheck prune --config shop.yaml            # retention as configured
  storecheck prune --db storecheck.db --keep-runs 30
  storecheck prune --keep-days 90 --target shop.example.com`,
		Args: cobra.NoArgs,
		RunE: a.runE(func(cmd *cobra.Command, args []string) error {
			cfg, err := config.Load(configPath)
			if err != nil {
				return err
			}
			keep := cfg.Retention
			if cmd.Flags().Changed("keep-runs") {
				if keepRuns < 0 {
					return usagef("--keep-runs: must not be negative, got %d", keepRuns)
				}
				keep.KeepRuns = keepRuns
			}
			if cmd.Flags().Changed("keep-days") {
				if keepDays < 0 {
					return usagef("--keep-days: must not be negative, got %d", keepDays)
				}
				keep.KeepDays = keepDays
			}
			if cmd.Flags().Changed("target") && target == "" {
				return usagef("--target: want a target name, got \"\"")
			}
			if dbPath == "" {
				dbPath = cfg.DB
			}
			return a.prune(cmd.Context(), dbPath, target, cfg.TargetName(), keep)
		}),
	}
	c.Flags().StringVar(&configPath, "config", "", "config file (default ./"+config.DefaultFile+" if it exists)")
	c.Flags().StringVar(&dbPath, "db", "", "database: SQLite file or postgres:// URL (default: db from the config, storecheck.db)")
	c.Flags().IntVar(&keepRuns, "keep-runs", 0, "keep this many newest runs per target, 0 = all (default: config retention.keep_runs)")
	c.Flags().IntVar(&keepDays, "keep-days", 0, "keep runs started in the last N days, 0 = all (default: config retention.keep_days)")
	c.Flags().StringVar(&target, "target", "", "target to prune (default: the config's target, else every target in the database)")
	return c
}

// prune applies keep to the runs of flagTarget, else configTarget, else of
// every stored target, vacuums, and prints what went and the file's size.
func (a *app) prune(ctx context.Context, dbPath, flagTarget, configTarget string, keep config.Retention) error {
	// Like the reading commands, prune never creates a database.
	if !storage.IsPostgres(dbPath) {
		if _, err := os.Stat(dbPath); err != nil {
			return fmt.Errorf("open %s: %w", dbPath, storage.ErrUnusable)
		}
	}
	db, err := storage.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer db.Close()

	stored, err := db.Targets(ctx)
	if err != nil {
		return err
	}
	var targets []string
	switch {
	case flagTarget != "":
		// A name typed by hand that matches nothing is most likely a typo:
		// say so rather than report that nothing needed removing.
		found := false
		for _, t := range stored {
			found = found || t == flagTarget
		}
		if !found {
			return fmt.Errorf("--target %q: no runs of it stored (targets: %s): %w",
				flagTarget, strings.Join(stored, ", "), storage.ErrRunNotFound)
		}
		targets = []string{flagTarget}
	case configTarget != "":
		targets = []string{configTarget}
	default:
		targets = stored
	}

	before, err := db.FileSize(ctx)
	if err != nil {
		return err
	}
	if keep.KeepRuns == 0 && keep.KeepDays == 0 {
		fmt.Fprintln(a.stdout, a.say("cmd.prune.keeps-all"))
	} else {
		now := time.Now()
		for _, t := range targets {
			res, err := db.Prune(ctx, t, keep.KeepRuns, keep.KeepDays, now)
			if err != nil {
				return err
			}
			for _, r := range res.Removed {
				fmt.Fprintln(a.stdout, a.say("cmd.prune.removed-run", strconv.FormatInt(r.ID, 10), r.Name, string(r.Status),
					r.StartedAt.Format(time.RFC3339), strconv.Itoa(r.Pages)))
			}
			fmt.Fprintln(a.stdout, a.say("cmd.prune.target", t, len(res.Removed), strconv.Itoa(res.Pages()), res.Kept))
		}
	}
	// The picture measures are shared by every target, so they go by age
	// alone, as after each sweep, whatever the runs' retention.
	n, err := db.PruneMeasures(ctx, time.Now().AddDate(0, 0, -storage.MeasureCacheDays))
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, a.say("cmd.prune.measures", strconv.FormatInt(n, 10), storage.MeasureCacheDays))
	if err := db.Vacuum(ctx); err != nil {
		return err
	}
	after, err := db.FileSize(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, a.say("cmd.prune.vacuum", db.Path(), strconv.FormatInt(before, 10), strconv.FormatInt(after, 10)))
	return nil
}
