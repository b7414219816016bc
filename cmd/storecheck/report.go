package main

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/storecheck/storecheck/report"
	"github.com/storecheck/storecheck/storage"
	"github.com/storecheck/storecheck/track"
)

// trendRuns is how many runs of the target the report's charts show.
const trendRuns = 20

func (a *app) reportCmd() *cobra.Command {
	var dbPath, out, against, format string
	c := &cobra.Command{
		Use:   "report RUN [--db FILE] [--format html|xlsx] [--out report.html] [--against RUN]",
		Short: "Write one run (id or latest) as a self-contained HTML report or an inspection sheet (xlsx)",
		Long: `report writes one stored run as a single HTML file that opens offline
and loads nothing from the network: a summary by severity and rule, the
changes since an earlier run, trend charts of the key metrics and finding
counts over the target's last runs, and one card per page and viewport
with its screenshot, metrics against the budgets and every finding with
its evidence (the flagged picture, the logo beside the reference, the
region outlined on the full-page screenshot). Filters narrow it by
severity, rule, viewport and page.

The comparison is with --against, else the newest complete run of the same
target before RUN; none when there is no such run. --out - writes to
stdout.

--format xlsx writes the inspection sheet (抽检报告) instead: a summary by
the regime's areas and severities, one row per problem group (the same rule
and subject across pages) with its pages, first sighting, rectification
advice, owner, due date and status, filters and a frozen header, and the
pages with their metrics; column names in the --lang language.`,
		Example: `  storecheck report latest
  storecheck report 15 --against 12 --out 双11-precheck.html
  storecheck report latest --format xlsx --lang zh-CN --out 抽检报告.xlsx`,
		Args: cobra.ExactArgs(1),
		RunE: a.runE(func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			db, err := a.openDB(cmd, dbPath)
			if err != nil {
				return err
			}
			defer db.Close()
			if err := checkFormat(format, "html", "xlsx"); err != nil {
				return err
			}
			head, err := a.loadRun(ctx, db, args[0])
			if err != nil {
				return err
			}
			if format == "xlsx" {
				return a.writeSheet(cmd, db, head, cmp.Or(out, "report.xlsx"))
			}
			in, err := a.htmlInput(ctx, db, head, against)
			if err != nil {
				return err
			}
			return writeReport(cmp.Or(out, "report.html"), a.stdout, func(w io.Writer) error {
				return report.WriteHTML(ctx, w, in, db)
			}, func(path string, n int64) {
				a.log.Info("report written", "file", path, "bytes", n, "visits", len(head.Pages),
					"findings", len(head.Findings))
			})
		}),
	}
	c.Flags().StringVar(&dbPath, "db", "", "database: SQLite file or postgres:// URL (default: db from the config, storecheck.db)")
	c.Flags().StringVarP(&out, "out", "o", "", "file to write; - for stdout (default: report.html, report.xlsx)")
	c.Flags().StringVar(&format, "format", "html", "html (the report) or xlsx (the inspection sheet)")
	c.Flags().StringVar(&against, "against", "", "run to compare with (default: the newest complete run of the target before RUN)")
	return c
}

// htmlInput gathers what the HTML report of head shows: the changes since
// against (else the target's newest complete run before head), the trend,
// the assignments and the fix marks.
func (a *app) htmlInput(ctx context.Context, db *storage.DB, head *storage.RunData, against string) (report.HTMLInput, error) {
	in := report.HTMLInput{Run: head, Lang: a.lang, Generated: time.Now(), Version: version}
	base, err := a.reportBase(ctx, db, head.Run, against)
	if err != nil {
		return in, err
	}
	if base != nil {
		if in.Diff, err = compareRuns(ctx, db, base, head); err != nil {
			return in, err
		}
	}
	if in.Trend, err = reportTrend(ctx, db, head); err != nil {
		return in, err
	}
	if in.Assigned, err = db.Assignments(ctx, head.Run.Name); err != nil {
		return in, err
	}
	in.Marks, err = db.FixMarks(ctx, head.Run.Name)
	return in, err
}

// reportBase loads the run to compare with: --against, else the newest
// complete run of the same target older than run; nil when there is none.
func (a *app) reportBase(ctx context.Context, db *storage.DB, run storage.Run, against string) (*storage.RunData, error) {
	if against != "" {
		return a.loadRun(ctx, db, against)
	}
	return a.previousRun(ctx, db, run)
}

// reportTrend returns the target's last complete runs up to head, head last
// whatever its status, with their pages.
func reportTrend(ctx context.Context, db *storage.DB, head *storage.RunData) ([]report.TrendRun, error) {
	complete, err := db.CompleteRuns(ctx, head.Run.Name)
	if err != nil {
		return nil, err
	}
	var runs []storage.Run
	for _, r := range complete {
		if r.ID < head.Run.ID {
			runs = append(runs, r)
		}
	}
	if len(runs) > trendRuns-1 {
		runs = runs[len(runs)-(trendRuns-1):]
	}
	ids := make([]int64, len(runs))
	for i, r := range runs {
		ids[i] = r.ID
	}
	// The charts draw each visit's viewport and metrics only.
	pages, err := db.TrendPages(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]report.TrendRun, 0, len(runs)+1)
	for _, r := range runs {
		out = append(out, report.TrendRun{Run: r, Pages: pages[r.ID]})
	}
	return append(out, report.TrendRun{Run: head.Run, Pages: head.Pages}), nil
}

// writeReport writes through a temporary file renamed into place, so a
// failed report never leaves half a file where the last good one was.
func writeReport(path string, stdout io.Writer, write func(io.Writer) error, done func(string, int64)) error {
	if path == "-" {
		return write(stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".storecheck-report-*")
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename this finds nothing
	bw := bufio.NewWriterSize(tmp, 1<<20)
	if err := write(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("write report %s: %w", path, err)
	}
	st, err := tmp.Stat()
	if err != nil {
		tmp.Close()
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write report: %w", err) // a *LinkError names both files
	}
	done(path, st.Size())
	return nil
}

// writeSheet writes run head as the inspection sheet to path, with each
// finding's history (first seen, owner, due, status) from the target's
// complete runs.
func (a *app) writeSheet(cmd *cobra.Command, db *storage.DB, head *storage.RunData, path string) error {
	ctx := cmd.Context()
	followed, err := track.Load(ctx, db, head.Run.Name, time.Now().In(head.Run.Now.Location()))
	if err != nil {
		return err
	}
	lives := map[string]track.Life{}
	for _, l := range followed {
		lives[l.Fingerprint] = l
	}
	in := report.XLSXInput{Run: head, Lives: lives, Lang: a.lang, Generated: time.Now()}
	return writeReport(path, a.stdout, func(w io.Writer) error { return report.WriteXLSX(w, in) },
		func(path string, n int64) {
			a.log.Info("inspection sheet written", "file", path, "bytes", n, "visits", len(head.Pages),
				"findings", len(head.Findings))
		})
}
