package main

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/report"
)

func (a *app) historyCmd() *cobra.Command {
	var dbPath, format, metric string
	c := &cobra.Command{
		Use:   "history URL [--metric lcp_ms] [--db FILE] [--format table|json]",
		Short: "One page over its runs: a metric, finding counts and the price per visit",
		Example: `  storecheck history https://shop.example.com/item/1001.html
  storecheck history https://shop.example.com/ --metric tbt_ms --format json`,
		Args: cobra.ExactArgs(1),
		RunE: a.runE(func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			if !slices.Contains(report.HistoryMetrics(), metric) {
				return usagef("--metric: %q is not one of %v", metric, report.HistoryMetrics())
			}
			url, err := crawler.Normalize(args[0])
			if err != nil {
				return usagef("URL argument: %v", err)
			}
			db, err := a.openDB(cmd, dbPath)
			if err != nil {
				return err
			}
			defer db.Close()
			visits, err := db.History(cmd.Context(), url)
			if err != nil {
				return err
			}
			if format == "json" {
				return report.HistoryJSON(a.stdout, url, visits)
			}
			return report.HistoryTable(a.stdout, a.lang, url, metric, visits)
		}),
	}
	c.Flags().StringVar(&dbPath, "db", "", "database: SQLite file or postgres:// URL (default: db from the config, storecheck.db)")
	c.Flags().StringVar(&format, "format", "table", "output format: table or json")
	c.Flags().StringVar(&metric, "metric", "lcp_ms", "metric of the table: "+strings.Join(report.HistoryMetrics(), ", "))
	return c
}
