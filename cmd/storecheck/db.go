package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/storage"
)

// openDB opens the database of a reading command: --db, else the db of
// ./storecheck.yaml when it exists, else the default. A database that does
// not exist is not created: there is nothing to read. (A PostgreSQL
// database is never created by storecheck; an empty one is migrated.)
func (a *app) openDB(cmd *cobra.Command, flag string) (*storage.DB, error) {
	path := flag
	if path == "" {
		cfg, err := config.Load("")
		if err != nil {
			return nil, err
		}
		path = cfg.DB
		a.useConfigLang(cfg.Lang)
	}
	if !storage.IsPostgres(path) {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("open %s: %w", path, storage.ErrUnusable)
		}
	}
	return storage.Open(cmd.Context(), path)
}
