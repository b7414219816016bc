package main

import (
	"github.com/spf13/cobra"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/report"
)

func (a *app) runsCmd() *cobra.Command {
	var dbPath, format string
	c := &cobra.Command{
		Use:   "runs [--db FILE] [--format table|json]",
		Short: "List stored runs: id, target, started, duration, pages, findings, status",
		Example: `  storecheck runs
  storecheck runs --db /var/lib/storecheck/shop.db --format json`,
		Args: cobra.NoArgs,
		RunE: a.runE(func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			db, err := a.openDB(cmd, dbPath)
			if err != nil {
				return err
			}
			defer db.Close()
			runs, err := db.Runs(cmd.Context())
			if err != nil {
				return err
			}
			if format == "json" {
				return report.RunsJSON(a.stdout, runs)
			}
			return report.RunsTable(a.stdout, a.lang, runs)
		}),
	}
	c.Flags().StringVar(&dbPath, "db", "", "database: SQLite file or postgres:// URL (default: db from the config, storecheck.db)")
	c.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return c
}

func (a *app) showCmd() *cobra.Command {
	var dbPath, format string
	c := &cobra.Command{
		Use:   "show RUN [--db FILE] [--format table|json|junit|sarif]",
		Short: "Show one run (id or latest): summary, pages, findings",
		Long: `show prints one stored run. RUN is a run id or "latest".
--format json prints exactly what sweep --json wrote for that run.
--format junit prints JUnit XML (a suite per page and viewport, a test case
per rule that reported in the run, failing on errors and warnings);
--format sarif prints a SARIF 2.1.0 log (the rule catalog, a result per
finding).`,
		Example: `  storecheck show latest
  storecheck show 12 --format json | jq '.findings[] | select(.severity=="error")'
  storecheck show latest --format junit > storecheck-junit.xml`,
		Args: cobra.ExactArgs(1),
		RunE: a.runE(func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json", "junit", "sarif"); err != nil {
				return err
			}
			db, err := a.openDB(cmd, dbPath)
			if err != nil {
				return err
			}
			defer db.Close()
			data, err := a.loadRun(cmd.Context(), db, args[0])
			if err != nil {
				return err
			}
			switch format {
			case "json":
				return report.RunJSON(a.stdout, data)
			case "junit":
				return report.RunJUnit(a.stdout, data)
			case "sarif":
				return report.RunSARIF(a.stdout, data, checks.Registry(), version)
			}
			report.ShowTable(a.stdout, a.lang, data, 10)
			return nil
		}),
	}
	c.Flags().StringVar(&dbPath, "db", "", "database: SQLite file or postgres:// URL (default: db from the config, storecheck.db)")
	c.Flags().StringVar(&format, "format", "table", "output format: table, json, junit or sarif")
	return c
}

func checkFormat(format string, allowed ...string) error {
	for _, a := range allowed {
		if format == a {
			return nil
		}
	}
	return usagef("--format: %q is not one of %v", format, allowed)
}
