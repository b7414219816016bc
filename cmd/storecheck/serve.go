package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/storecheck/storecheck/report"
	"github.com/storecheck/storecheck/serve"
	"github.com/storecheck/storecheck/storage"
)

func (a *app) serveCmd() *cobra.Command {
	var dbPath, addr, tokenFile, viewerFile string
	c := &cobra.Command{
		Use:   "serve [--db DSN] [--addr 127.0.0.1:8090] [--token-file FILE] [--viewer-token-file FILE]",
		Short: "Serve the dashboard: targets, runs, each run's report, and the JSON API under /api/",
		Long: `serve answers in the browser what the commands print: the targets with
their latest run, the runs of a target, each run's HTML report, two runs
compared (/diff?base=A&head=B: B's report with its changes since A), a
target's trends (/trends?target=NAME: metrics, findings by area, prices),
its rectification board (/board?target=NAME: findings grouped by rule and
subject, assigned and marked fixed there, re-checked by the runs), and a
JSON API under /api/ with the CLI's shapes (/api/runs, /api/runs/ID,
/api/diff?base=A&head=B, /api/track?target=NAME; POST /api/assign takes
storecheck assign's arguments as JSON).

Every page and API call needs the token of --token-file (or
$STORECHECK_TOKEN): as "Authorization: Bearer TOKEN", or through the login
form, which sets an HttpOnly, SameSite=Strict session cookie. A token of
--viewer-token-file may read but not write (403). Without a token serve
listens on loopback only, whatever --addr says, and says so.`,
		Example: `  storecheck serve --db storecheck.db
  storecheck serve --db 'postgres://storecheck@db.internal/storecheck' --addr :8090 --token-file /etc/storecheck/token`,
		Args: cobra.NoArgs,
		RunE: a.runE(func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			token, err := readToken(tokenFile, os.Getenv("STORECHECK_TOKEN"))
			if err != nil {
				return err
			}
			viewer, err := readToken(viewerFile, "")
			if err != nil {
				return err
			}
			if token == "" && viewer != "" {
				return usagef("--viewer-token-file: needs --token-file (or STORECHECK_TOKEN) too")
			}
			if token == "" {
				host, port, err := net.SplitHostPort(addr)
				if err != nil {
					return usagef("--addr: %v", err)
				}
				if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
					addr = net.JoinHostPort("127.0.0.1", port)
				}
				a.log.Warn("no token (--token-file or STORECHECK_TOKEN): the dashboard is open to anyone on this machine, so it listens on loopback only", "addr", addr)
			}
			db, err := a.openDB(cmd, dbPath)
			if err != nil {
				return err
			}
			defer db.Close()
			srv, err := a.dashboard(db, token, viewer)
			if err != nil {
				return err
			}
			return listenAndServe(ctx, addr, srv, a)
		}),
	}
	c.Flags().StringVar(&dbPath, "db", "", "database: SQLite file or postgres:// URL (default: db from the config, storecheck.db)")
	c.Flags().StringVar(&addr, "addr", "127.0.0.1:8090", "address to listen on")
	c.Flags().StringVar(&tokenFile, "token-file", "", "file holding the token every request needs (default: $STORECHECK_TOKEN)")
	c.Flags().StringVar(&viewerFile, "viewer-token-file", "", "file holding a read-only token")
	return c
}

// dashboard is the dashboard over db, its run pages and comparisons
// written by the report and diff commands' own code.
func (a *app) dashboard(db *storage.DB, token, viewer string) (*serve.Server, error) {
	return serve.New(serve.Options{
		Store: db, Token: token, ViewerToken: viewer, Lang: a.lang, Log: a.log,
		Report: func(ctx context.Context, w io.Writer, ref, against string) error {
			head, err := a.loadRun(ctx, db, ref)
			if err != nil {
				return err
			}
			in, err := a.htmlInput(ctx, db, head, against)
			if err != nil {
				return err
			}
			shots, err := db.ScreenshotPages(ctx, head.Run.ID)
			if err != nil {
				return err
			}
			in.ShotURL = func(pageID int64, width int) string {
				if !shots[pageID] {
					return ""
				}
				return serve.ShotURL(pageID, width)
			}
			return report.WriteHTML(ctx, w, in, db)
		},
		Shot: func(ctx context.Context, pageID int64, width int) ([]byte, error) {
			jpg, err := db.Screenshot(ctx, pageID)
			if err != nil || jpg == nil {
				return nil, err
			}
			return report.Thumbnail(jpg, width)
		},
		Diff: func(ctx context.Context, w io.Writer, baseRef, headRef string) error {
			base, head, err := a.loadPair(ctx, db, baseRef, headRef)
			if err != nil {
				return err
			}
			res, err := compareRuns(ctx, db, base, head)
			if err != nil {
				return err
			}
			return report.DiffJSON(w, res)
		},
	})
}

// readToken is the token in file (its first line), else fallback.
func readToken(file, fallback string) (string, error) {
	if file == "" {
		return strings.TrimSpace(fallback), nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	tok, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	if tok == "" {
		return "", fmt.Errorf("token: %s is empty", file)
	}
	return tok, nil
}

// listenAndServe serves h on addr until ctx ends, then lets the requests
// in flight finish (up to 10 s).
func listenAndServe(ctx context.Context, addr string, h http.Handler, a *app) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	a.log.Info("serving the dashboard", "url", "http://"+l.Addr().String()+"/")
	fmt.Fprintf(a.stdout, "serving http://%s/\n", l.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
