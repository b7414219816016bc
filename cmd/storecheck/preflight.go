package main

import (
	"cmp"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/report"
)

func (a *app) preflightCmd() *cobra.Command {
	var at, out, format string
	c := &cobra.Command{
		Use:   "preflight [URL…] --config FILE [--at RFC3339] [--out preflight.html] [--format table|json|junit|sarif] [sweep flags]",
		Short: "Pre-campaign check: sweep as at the campaign's start, strict, and give a GO / NO-GO verdict",
		Long: `preflight is the check before a big campaign. It sweeps the shop with the
page clock at --at (default: campaign.start), so the site is seen as
shoppers will see it when the campaign opens; every promo.* and price.*
finding counts as an error; it compares the run with the target's last
complete run, writes the HTML report (--out) and prints a one-screen
verdict: GO when no error remains, else NO-GO with every blocking finding
and who owns it (storecheck assign).

Every sweep flag applies except --now (use --at) and --fail-on (the verdict
is the gate). Exit codes: 0 GO; 1 NO-GO; 2 usage or config error (no
campaign.start and no --at); 3 cannot run; 130/143 interrupted.`,
		Example: `  storecheck preflight --config shop.yaml
  storecheck preflight --config shop.yaml --at 2026-11-11T00:00:00+08:00 --out 双11-preflight.html
  storecheck preflight --config shop.yaml --format json | jq '.blocking[] | {rule, url, owner}'`,
		RunE: a.runE(func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json", "junit", "sarif"); err != nil {
				return err
			}
			fs := cmd.Flags()
			if fs.Changed("now") {
				return usagef("--now: preflight sets the clock with --at")
			}
			if out == "-" {
				return usagef("--out: preflight prints its verdict on stdout; give the report a file name")
			}
			if fs.Changed("fail-on") {
				return usagef("--fail-on: preflight's gate is its verdict (any error is NO-GO)")
			}
			flags := config.SweepFlags(fs, args)
			if at != "" {
				if _, err := time.Parse(time.RFC3339, at); err != nil {
					return usagef("--at: want RFC 3339 (2026-11-11T00:00:00+08:00), got %q", at)
				}
				flags.Now = &at
			}
			cfg, err := config.LoadSweep(flags)
			if err != nil {
				return err
			}
			if at == "" {
				start, _ := cfg.CampaignWindow()
				if start.IsZero() {
					return usagef("preflight needs campaign.start in the config, or --at")
				}
				cfg.Now = start
			}
			return a.preflight(cmd, &cfg, out, format)
		}),
	}
	config.AddSweepFlags(c.Flags())
	c.Flags().StringVar(&at, "at", "", "see the shop as at this RFC 3339 time (default: campaign.start)")
	c.Flags().StringVarP(&out, "out", "o", "preflight.html", "HTML report to write; \"\" for none")
	c.Flags().StringVar(&format, "format", "table", "output: table or json (the verdict), junit or sarif (the run's findings)")
	return c
}

// preflight sweeps strictly, compares, reports and judges.
func (a *app) preflight(cmd *cobra.Command, cfg *config.Config, out, format string) error {
	ctx := cmd.Context()
	// A wrong price or promotion on the opening day is what the check is
	// for: the rules that declare themselves strict count as errors.
	res, err := a.sweepRun(ctx, cfg, true)
	if err != nil {
		return err
	}
	head := res.Run
	if err := writeRunJSON(cfg.JSONOut, head); err != nil {
		return err
	}
	db, err := a.openDB(cmd, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	assigned, err := db.Assignments(ctx, head.Run.Name)
	if err != nil {
		return err
	}
	in := report.HTMLInput{Run: head, Assigned: assigned, Lang: a.lang, Generated: time.Now(), Version: version}
	base, err := a.previousRun(ctx, db, head.Run)
	if err != nil {
		return err
	}
	if base != nil {
		if in.Diff, err = compareRuns(ctx, db, base, head); err != nil {
			return err
		}
	}
	v := report.NewVerdict(head, cmp.Or(cfg.Campaign.Name, "the campaign"), cfg.Now, assigned)
	v.Diff = in.Diff
	if out != "" {
		if in.Trend, err = reportTrend(cmd.Context(), db, head); err != nil {
			return err
		}
		err := writeReport(out, a.stdout, func(w io.Writer) error { return report.WriteHTML(ctx, w, in, db) },
			func(path string, n int64) {
				if !cfg.Quiet {
					a.log.Info("report written", "file", path, "bytes", n)
				}
			})
		if err != nil {
			return err
		}
		v.ReportPath = out
	}
	switch format {
	case "json":
		err = report.PreflightJSON(a.stdout, v)
	case "junit":
		err = report.RunJUnit(a.stdout, head)
	case "sarif":
		err = report.RunSARIF(a.stdout, head, checks.Registry(), version)
	default:
		err = report.PreflightTable(a.stdout, a.lang, v)
	}
	if err != nil {
		return err
	}
	if !v.Go {
		return fmt.Errorf("preflight: NO-GO, %d blocking finding(s): %w", len(v.Blocking), errFindings)
	}
	return nil
}
