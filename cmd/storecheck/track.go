package main

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/storecheck/storecheck/report"
	"github.com/storecheck/storecheck/storage"
	"github.com/storecheck/storecheck/track"
)

func (a *app) trackCmd() *cobra.Command {
	var dbPath, format, rule, owner, target, nowFlag string
	var openOnly bool
	c := &cobra.Command{
		Use:   "track [--open] [--rule R] [--owner NAME] [--target NAME] [--db FILE] [--format table|json]",
		Short: "Follow every finding across the runs: first seen, resolved in, age, owner, due, overdue",
		Long: `track lists the life of every finding across the complete runs of a target
(--target, else the target of the newest complete run): the run that first
and last had it, the run that resolved it, how often it came back
(reopened), its age in days, and who owns it by when (storecheck assign).
A finding is overdue when it is still open after its due day. A finding
marked fixed (storecheck assign --fixed) awaits its re-check until a run
begins after the mark: the re-check passes when that run lacks it and
fails when it still has it.

--rule takes a rule ID, or a family ending in "." (price.). --now pins the
clock for ages and overdue; without it the clock is the wall clock in the
zone of the newest run's clock.`,
		Example: `  storecheck track --open
  storecheck track --owner 设计-小李 --format json | jq '.findings[] | select(.overdue)'`,
		Args: cobra.NoArgs,
		RunE: a.runE(func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			var now time.Time
			if nowFlag != "" {
				var err error
				if now, err = time.Parse(time.RFC3339, nowFlag); err != nil {
					return usagef("--now: want RFC 3339 (2026-11-11T00:00:00+08:00), got %q", nowFlag)
				}
			}
			db, err := a.openDB(cmd, dbPath)
			if err != nil {
				return err
			}
			defer db.Close()
			ctx := cmd.Context()
			name, runs, err := targetRuns(cmd, db, target)
			if err != nil {
				return err
			}
			if now.IsZero() {
				now = time.Now()
				if len(runs) > 0 {
					now = now.In(runs[len(runs)-1].Now.Location())
				}
			}
			all, err := track.Load(ctx, db, name, now)
			if err != nil {
				return err
			}
			for i := range all {
				all[i].Message = a.message(all[i].Finding)
			}
			var lives []track.Life
			for _, l := range all {
				if openOnly && !l.Open || !ruleMatches(rule, l.Rule) ||
					owner != "" && (l.Assignment == nil || l.Assignment.Owner != owner) {
					continue
				}
				lives = append(lives, l)
			}
			if format == "json" {
				return report.TrackJSON(a.stdout, name, now.Format(time.RFC3339), lives)
			}
			return report.TrackTable(a.stdout, a.lang, name, all, lives)
		}),
	}
	c.Flags().StringVar(&dbPath, "db", "", "database: SQLite file or postgres:// URL (default: db from the config, storecheck.db)")
	c.Flags().StringVar(&format, "format", "table", "output format: table or json")
	c.Flags().BoolVar(&openOnly, "open", false, "only findings the newest run still has")
	c.Flags().StringVar(&rule, "rule", "", `only this rule, or a family ending in "." (price.)`)
	c.Flags().StringVar(&owner, "owner", "", "only findings assigned to this owner")
	c.Flags().StringVar(&target, "target", "", "target name (default: the target of the newest complete run)")
	c.Flags().StringVar(&nowFlag, "now", "", "clock for ages and overdue, RFC 3339")
	return c
}

// ruleMatches reports whether rule is want, or in the family want ("price.").
func ruleMatches(want, rule string) bool {
	if want == "" || want == rule {
		return true
	}
	return strings.HasSuffix(want, ".") && strings.HasPrefix(rule, want)
}

// targetRuns returns the target (name, else the newest complete run's) and
// its complete runs, oldest first.
func targetRuns(cmd *cobra.Command, db *storage.DB, name string) (string, []storage.Run, error) {
	ctx := cmd.Context()
	if name == "" {
		runs, err := db.Runs(ctx)
		if err != nil {
			return "", nil, err
		}
		for i := len(runs) - 1; i >= 0; i-- {
			if runs[i].Status == storage.StatusComplete {
				name = runs[i].Name
				break
			}
		}
		if name == "" {
			return "", nil, fmt.Errorf("no complete run stored: %w", storage.ErrRunNotFound)
		}
	}
	runs, err := db.CompleteRuns(ctx, name)
	if err != nil {
		return "", nil, err
	}
	if len(runs) == 0 {
		return "", nil, fmt.Errorf("target %q has no complete run: %w", name, storage.ErrRunNotFound)
	}
	return name, runs, nil
}

var fingerprintRE = regexp.MustCompile(`^[0-9a-f]{16}$`)

func (a *app) assignCmd() *cobra.Command {
	var dbPath, owner, due, note, target string
	var fixed bool
	c := &cobra.Command{
		Use:   "assign FINGERPRINT… (--owner NAME --due YYYY-MM-DD | --fixed) [--note TEXT] [--target NAME] [--db FILE]",
		Short: "Record who fixes findings by when; kept by fingerprint across runs",
		Long: `assign records an owner and a due date for findings, by fingerprint (as
show, diff and track print them). The assignment follows the finding across
runs: track, diff, report and preflight show it, and track marks it overdue
once its due day has passed while the finding is still open. Assigning a
finding again replaces its owner, due date and note.

--fixed marks the findings fixed instead (整改完成, awaiting 复查): the next
run to begin re-checks them, and track shows the re-check passed when that
run no longer has a finding, failed when it still has. --note then says
what was done. Assigning a finding again withdraws its mark.

The target is the one whose runs reported the fingerprints; --target picks
one when several did.`,
		Example: `  storecheck assign 8d7ae0c077eb30c8 a059eb3ba6d121e3 --owner 设计-小李 --due 2026-11-08 --note "换回原图"
  storecheck assign 8d7ae0c077eb30c8 --fixed --note "主图已换回原图"`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("assign needs at least one fingerprint")
			}
			for _, fp := range args {
				if !fingerprintRE.MatchString(fp) {
					return usagef("%q is not a fingerprint (16 hex digits)", fp)
				}
			}
			return nil
		},
		RunE: a.runE(func(cmd *cobra.Command, args []string) error {
			switch {
			case fixed && (owner != "" || due != ""):
				return usagef("--fixed marks findings fixed: it takes no --owner or --due")
			case fixed:
			case strings.TrimSpace(owner) == "":
				return usagef("--owner is required")
			default:
				if _, err := time.Parse(track.DueLayout, due); err != nil {
					return usagef("--due: want a date YYYY-MM-DD, got %q", due)
				}
			}
			db, err := a.openDB(cmd, dbPath)
			if err != nil {
				return err
			}
			defer db.Close()
			ctx := cmd.Context()
			targets, err := db.TargetsOf(ctx, args)
			if err != nil {
				return err
			}
			byTarget := map[string][]string{}
			for _, fp := range args {
				ts := targets[fp]
				switch {
				case target != "":
					if !slices.Contains(ts, target) {
						return usagef("finding %s: no run of target %q has it", fp, target)
					}
					byTarget[target] = append(byTarget[target], fp)
				case len(ts) == 0:
					return usagef("finding %s: no stored run has it", fp)
				case len(ts) > 1:
					return usagef("finding %s: targets %s all have it; pick one with --target", fp, strings.Join(ts, ", "))
				default:
					byTarget[ts[0]] = append(byTarget[ts[0]], fp)
				}
			}
			for name, fps := range byTarget {
				if fixed {
					if err := db.MarkFixed(ctx, name, fps, storage.FixMark{Note: note}); err != nil {
						return err
					}
					fmt.Fprintln(a.stdout, a.say("cmd.assign.fixed", name, len(fps)))
					continue
				}
				if err := db.Assign(ctx, name, fps, storage.Assignment{Owner: owner, Due: due, Note: note}); err != nil {
					return err
				}
				fmt.Fprintln(a.stdout, a.say("cmd.assign.done", name, len(fps), owner, due))
			}
			return nil
		}),
	}
	c.Flags().StringVar(&dbPath, "db", "", "database: SQLite file or postgres:// URL (default: db from the config, storecheck.db)")
	c.Flags().StringVar(&owner, "owner", "", "who fixes it (required unless --fixed)")
	c.Flags().StringVar(&due, "due", "", "by when, YYYY-MM-DD (required unless --fixed)")
	c.Flags().BoolVar(&fixed, "fixed", false, "mark the findings fixed: the next run re-checks them")
	c.Flags().StringVar(&note, "note", "", "a note kept with the assignment, or with the fix mark")
	c.Flags().StringVar(&target, "target", "", "target name, when several targets reported a fingerprint")
	return c
}
