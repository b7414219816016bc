package main

import (
	"context"
	"io"
	"log/slog"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// app carries what every subcommand shares: its output streams and a logger.
type app struct {
	stdout, stderr io.Writer
	log            *slog.Logger
	// started is set once a subcommand's RunE begins: an error before that
	// came from cobra's parsing and is a usage error.
	started bool
}

// run executes the command line args and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	a := &app{stdout: stdout, stderr: stderr}
	a.log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err != nil && !a.started {
		err = usageError{err}
	}
	return finish(stderr, signalled(ctx, err))
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "storecheck",
		Short: "Quality inspection for online storefronts in a real browser",
		Long: `storecheck sweeps a storefront in headless Chromium (desktop and mobile
viewports), measures load time and web vitals, checks pages, images, prices,
promotions and copy, and keeps every run in SQLite so runs can be compared.`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{err}
	})
	root.AddCommand(a.sweepCmd(), a.runsCmd(), a.showCmd(), a.rulesCmd(), a.diffCmd(), a.historyCmd(), a.reportCmd(), a.scheduleCmd(), a.pruneCmd())
	root.AddCommand(a.trackCmd(), a.assignCmd(), a.preflightCmd())
	return root
}

// runE marks the start of a subcommand's own work (see app.started).
func (a *app) runE(f func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		a.started = true
		return f(cmd, args)
	}
}
