package main

import (
	"cmp"
	"context"
	"embed"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/lang"
	"github.com/storecheck/storecheck/storage"
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
	// langFlag is --lang as given; lang the language the command speaks
	// (see useConfigLang), set when its RunE begins.
	langFlag string
	lang     lang.Tag
}

// run executes the command line args and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	a := &app{stdout: stdout, stderr: stderr}
	a.log = a.logger(stderr, slog.LevelInfo)
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
promotions and copy, and keeps every run in SQLite (or PostgreSQL) so runs can be compared.`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{err}
	})
	root.PersistentFlags().StringVar(&a.langFlag, "lang", "",
		"language of messages, tables and reports: zh-CN or en (default: lang of the config, else from LC_ALL, LC_MESSAGES, LANG)")
	root.AddCommand(a.sweepCmd(), a.runsCmd(), a.showCmd(), a.rulesCmd(), a.diffCmd(), a.historyCmd(), a.reportCmd(), a.scheduleCmd(), a.pruneCmd())
	root.AddCommand(a.trackCmd(), a.assignCmd(), a.preflightCmd(), a.migrateCmd(), a.serveCmd())
	return root
}

// runE marks the start of a subcommand's own work (see app.started).
func (a *app) runE(f func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		tag, err := lang.Resolve(a.langFlag, "", os.Getenv)
		if err != nil {
			return usagef("--lang: %v", err)
		}
		a.lang = tag
		a.started = true
		return f(cmd, args)
	}
}

// useConfigLang lets a config's lang choose the language when --lang was
// not given. Config.Validate has checked it.
func (a *app) useConfigLang(cfgLang string) {
	if a.langFlag != "" || cfgLang == "" {
		return
	}
	if tag, err := lang.Parse(cfgLang); err == nil {
		a.lang = tag
	}
}

// message is f's message in the command's language.
func (a *app) message(f checks.Finding) string {
	if f.Msg.Key == "" {
		return f.Message
	}
	return f.Msg.Render(a.lang)
}

// loadRun loads run ref with its findings' messages in the command's
// language.
func (a *app) loadRun(ctx context.Context, db *storage.DB, ref string) (*storage.RunData, error) {
	data, err := db.LoadRun(ctx, ref)
	if err != nil {
		return nil, err
	}
	checks.Localize(data.Findings, a.lang)
	return data, nil
}

//go:embed messages/*.yaml
var messageFiles embed.FS

// words are the command's own words for people: log lines by their
// English text (log.yaml) and what commands print (cmd.yaml).
var words = lang.Compiled(messageFiles, "messages/*.yaml")

// say is key of the command's words in its language.
func (a *app) say(key string, args ...any) string {
	return words().Sprintf(cmp.Or(a.lang, lang.EN), key, args...)
}

// logger writes text log lines at level and above to w, their messages in
// the command's language (known once its flags are read), their
// attributes as they are.
func (a *app) logger(w io.Writer, level slog.Level) *slog.Logger {
	h := slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})
	return slog.New(lang.NewLogHandler(h, words(), func() lang.Tag { return a.lang }))
}
