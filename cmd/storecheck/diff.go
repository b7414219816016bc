package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/diff"
	"github.com/storecheck/storecheck/report"
	"github.com/storecheck/storecheck/storage"
)

func (a *app) diffCmd() *cobra.Command {
	var dbPath, format, failOnNew string
	c := &cobra.Command{
		Use:   "diff [BASE HEAD] [--db FILE] [--format table|json|junit|sarif] [--fail-on-new error|warning]",
		Short: "Compare two runs: new, resolved and changed findings, metric, price and page changes",
		Long: `diff compares two stored runs (BASE the older, HEAD the newer; ids or
"latest"). Without them it compares the last two complete runs of the
target of the newest complete run.

Findings are matched by fingerprint: new (reopened when an earlier run of
the target had it), resolved, persisting, changed (severity moved). Metrics
are listed when they cross a Lighthouse band (good / needs-improvement /
poor, desktop or mobile thresholds) by a real margin, or, without bands
(ttfb, DOMContentLoaded, load), move by 20 % and 100 ms. Prices of product
pages and pages added or removed are listed too.

--format junit and --format sarif render HEAD's findings against BASE: in
JUnit only new findings fail a test case; in SARIF every result carries its
baselineState (new, unchanged, updated) and resolved findings are absent.`,
		Example: `  storecheck diff
  storecheck diff 12 15 --format json | jq '.new[] | select(.severity=="error")'
  storecheck diff --fail-on-new error    # exit 1 when the last sweep brought a new error
  storecheck diff --format sarif --fail-on-new error > storecheck.sarif`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 0 && len(args) != 2 {
				return usagef("diff takes no run or two (BASE HEAD), got %d", len(args))
			}
			return nil
		},
		RunE: a.runE(func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json", "junit", "sarif"); err != nil {
				return err
			}
			if failOnNew != "" && failOnNew != "error" && failOnNew != "warning" {
				return usagef("--fail-on-new: want error or warning, got %q", failOnNew)
			}
			db, err := a.openDB(cmd, dbPath)
			if err != nil {
				return err
			}
			defer db.Close()
			base, head, err := a.runsToCompare(cmd, db, args)
			if err != nil {
				return err
			}
			res, err := compareRuns(cmd.Context(), db, base, head)
			if err != nil {
				return err
			}
			switch format {
			case "json":
				err = report.DiffJSON(a.stdout, res)
			case "junit":
				err = report.DiffJUnit(a.stdout, res, head)
			case "sarif":
				err = report.DiffSARIF(a.stdout, res, checks.Registry(), version)
			default:
				err = report.DiffTable(a.stdout, a.lang, res)
			}
			if err != nil {
				return err
			}
			if failOnNew != "" {
				level := checks.Severity(failOnNew)
				for _, f := range res.New {
					if f.Severity.Rank() >= level.Rank() {
						return fmt.Errorf("new findings at or above --fail-on-new %s: %w", failOnNew, errFindings)
					}
				}
			}
			return nil
		}),
	}
	c.Flags().StringVar(&dbPath, "db", "", "database: SQLite file or postgres:// URL (default: db from the config, storecheck.db)")
	c.Flags().StringVar(&format, "format", "table", "output format: table, json, junit or sarif")
	c.Flags().StringVar(&failOnNew, "fail-on-new", "", "exit 1 when HEAD has new findings at or above this severity: error or warning")
	return c
}

// runsToCompare loads BASE and HEAD as given, or the last two complete runs
// of the newest complete run's target. Fewer than two is "cannot run".
func (a *app) runsToCompare(cmd *cobra.Command, db *storage.DB, args []string) (base, head *storage.RunData, err error) {
	ctx := cmd.Context()
	if len(args) == 2 {
		return a.loadPair(ctx, db, args[0], args[1])
	}
	runs, err := db.Runs(ctx)
	if err != nil {
		return nil, nil, err
	}
	name := ""
	for i := len(runs) - 1; i >= 0; i-- {
		if runs[i].Status == storage.StatusComplete {
			name = runs[i].Name
			break
		}
	}
	complete, err := db.CompleteRuns(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	if name == "" || len(complete) < 2 {
		return nil, nil, fmt.Errorf("diff needs two complete runs of a target, found %d: %w", len(complete), storage.ErrRunNotFound)
	}
	n := len(complete)
	return a.loadPair(ctx, db, fmt.Sprint(complete[n-2].ID), fmt.Sprint(complete[n-1].ID))
}

// loadPair loads runs base and head side by side: each is a few queries
// and then decoding its findings on this side, and two runs of 10 000
// findings took 95 ms of CPU to decode (BenchmarkDashboard's
// api-diff-10k), which a second core halves while the database answers
// the other run's queries.
func (a *app) loadPair(ctx context.Context, db *storage.DB, baseRef, headRef string) (base, head *storage.RunData, err error) {
	var headErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		head, headErr = a.loadRun(ctx, db, headRef)
	}()
	base, err = a.loadRun(ctx, db, baseRef)
	<-done
	if err != nil {
		return nil, nil, err
	}
	if headErr != nil {
		return nil, nil, headErr
	}
	return base, head, nil
}

// compareRuns diffs head against base the way every command shows a diff:
// new findings an earlier run of the target had are marked reopened, and
// owners, due dates and overdue findings come from the target's
// assignments.
func compareRuns(ctx context.Context, db *storage.DB, base, head *storage.RunData) (*diff.Result, error) {
	fps := make([]string, 0, len(head.Findings))
	for _, f := range head.Findings {
		fps = append(fps, f.Fingerprint)
	}
	seen, err := db.SeenBefore(ctx, head.Run.Name, base.Run.ID, fps)
	if err != nil {
		return nil, err
	}
	res := diff.Compute(base, head, seen)
	assigned, err := db.Assignments(ctx, head.Run.Name)
	if err != nil {
		return nil, err
	}
	res.Assign(assigned)
	return res, nil
}

// previousRun loads the newest complete run of run's target older than run;
// nil when there is none.
func (a *app) previousRun(ctx context.Context, db *storage.DB, run storage.Run) (*storage.RunData, error) {
	complete, err := db.CompleteRuns(ctx, run.Name)
	if err != nil {
		return nil, err
	}
	for i := len(complete) - 1; i >= 0; i-- {
		if complete[i].ID < run.ID {
			return a.loadRun(ctx, db, fmt.Sprint(complete[i].ID))
		}
	}
	return nil, nil
}
