package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/report"
)

func (a *app) rulesCmd() *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "rules [--format table|json|md]",
		Short: "List every rule: ID, default severity, subject, one-line description",
		Example: `  storecheck rules
  storecheck rules --format json | jq -r '.rules[].id'
  storecheck rules --format md > rules.md`,
		Args: cobra.NoArgs,
		RunE: a.runE(func(cmd *cobra.Command, args []string) error {
			reg := checks.Registry()
			switch format {
			case "table":
				return report.RulesTable(a.stdout, a.lang, reg)
			case "json":
				type rule struct {
					ID       string `json:"id"`
					Severity string `json:"severity"`
					Subject  string `json:"subject"`
					Doc      string `json:"doc"`
					// Advice: what to change, in the command's language.
					Advice string `json:"advice"`
				}
				out := struct {
					Rules []rule `json:"rules"`
				}{Rules: []rule{}}
				for _, c := range reg {
					out.Rules = append(out.Rules, rule{c.ID, string(c.Severity), c.Subject, c.Doc, checks.Advice(c.ID, a.lang)})
				}
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			case "md":
				_, err := fmt.Fprint(a.stdout, checks.MarkdownTable(reg))
				return err
			}
			return usagef("--format: %q is not one of table, json, md", format)
		}),
	}
	c.Flags().StringVar(&format, "format", "table", "output format: table, json or md")
	return c
}
