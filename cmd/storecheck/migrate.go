package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/storecheck/storecheck/storage"
)

func (a *app) migrateCmd() *cobra.Command {
	var from, dbPath string
	c := &cobra.Command{
		Use:   "migrate --from FILE --db postgres://…",
		Short: "Copy every run of a SQLite file into another store (the team store on PostgreSQL)",
		Long: `migrate copies every finished run of the SQLite file --from into the store
--db names (a PostgreSQL URL, or another SQLite file): pages, requests,
prices, findings, screenshots and evidence pictures, then the assignments
and the picture caches. A run the destination has already (same target,
same start) is not copied again, so migrate may be run again after more
sweeps into the file; a run still being swept is left for the next time.`,
		Example: `  storecheck migrate --from storecheck.db --db 'postgres://storecheck:PASS@db.internal/storecheck?sslmode=require'`,
		Args:    cobra.NoArgs,
		RunE: a.runE(func(cmd *cobra.Command, args []string) error {
			if from == "" {
				return usagef("--from: want the SQLite file to copy")
			}
			if dbPath == "" {
				return usagef("--db: want the store to copy into")
			}
			if storage.IsPostgres(from) {
				return usagef("--from: want a SQLite file, got a PostgreSQL URL")
			}
			if _, err := os.Stat(from); err != nil {
				return fmt.Errorf("open %s: %w", from, storage.ErrUnusable)
			}
			src, err := storage.Open(cmd.Context(), from)
			if err != nil {
				return err
			}
			defer src.Close()
			dst, err := storage.Open(cmd.Context(), dbPath)
			if err != nil {
				return err
			}
			defer dst.Close()
			res, err := storage.Copy(cmd.Context(), src, dst)
			if err != nil {
				return err
			}
			n := func(v int64) string { return strconv.FormatInt(v, 10) }
			fmt.Fprintln(a.stdout, a.say("cmd.migrate.done", src.Path(), dst.Path(), res.Runs, n(res.Pages),
				n(res.Findings), n(res.Blobs), n(res.Assignments), res.Present, res.Running))
			return nil
		}),
	}
	c.Flags().StringVar(&from, "from", "", "the SQLite file to copy")
	c.Flags().StringVar(&dbPath, "db", "", "the store to copy into: postgres:// URL or SQLite file")
	return c
}
