package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/report"
	"github.com/storecheck/storecheck/storage"
	"github.com/storecheck/storecheck/sweep"
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
func (a *app) sweep(ctx context.Context, cfg *config.Config) error {
	res, err := a.sweepRun(ctx, cfg, false)
	data := res.Run
	if data != nil {
		if err := writeRunJSON(cfg.JSONOut, data); err != nil {
			return err
		}
		report.ShowTable(a.stdout, a.lang, data, 10)
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
		return fmt.Errorf("write --json: %w", err) // the error names the path
	}
	return nil
}

// sweepRun runs one sweep of cfg with the app's streams: its log (warnings
// only under --quiet), the progress line on stderr and the version in the
// user agent. strict raises the findings of the rules that declare
// themselves strict (price, promotion) to error: a pre-campaign check.
func (a *app) sweepRun(ctx context.Context, cfg *config.Config, strict bool) (sweep.Result, error) {
	log := a.log
	if cfg.Quiet {
		log = a.logger(a.stderr, slog.LevelWarn)
	}
	a.useConfigLang(cfg.Lang)
	res, err := sweep.Run(ctx, cfg, sweep.Options{Log: log, Progress: a.stderr, Version: version, Strict: strict, Lang: a.lang})
	if res.Run != nil {
		checks.Localize(res.Run.Findings, a.lang)
	}
	return res, err
}

func failsOn(fs []checks.Finding, level checks.Severity) bool {
	for _, f := range fs {
		if f.Severity.Rank() >= level.Rank() {
			return true
		}
	}
	return false
}
