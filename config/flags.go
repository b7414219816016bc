package config

import (
	"fmt"
	"slices"
	"time"

	"github.com/spf13/pflag"
)

// Flags are the sweep's command-line settings. A nil pointer or empty list
// means the flag was not given, so the config file's value (or the default)
// stands.
type Flags struct {
	Config        string         // --config FILE; "" = ./storecheck.yaml if it exists
	URLs          []string       // positional URLs; replace start_urls
	DB            *string        // --db FILE
	JSON          *string        // --json FILE
	Now           *string        // --now RFC3339
	Concurrency   *int           // --concurrency N
	Viewport      *string        // --viewport desktop|mobile|both
	MaxPages      *int           // --max-pages N
	MaxDepth      *int           // --max-depth N
	Browser       *string        // --browser PATH
	RemoteBrowser []string       // --remote-browser ADDR, repeatable; replace remote_browsers
	FailOn        *string        // --fail-on error|warning
	Quiet         *bool          // --quiet
	Settle        *time.Duration // --settle DURATION (hidden; tests shorten it)
	SkipRules     []string       // --skip-rules ID,FAMILY.,… (hidden; benchmarks)
	Repeat        *int           // --repeat N
}

// ArgURL names the positional URL arguments in errors.
const ArgURL = "URL argument"

// ApplyFlags lays the flags given over c (flags > config > defaults) and
// validates the result; an error names the flag. On error c is unchanged.
// Flags.Config is not read here: pass it to Load.
func (c *Config) ApplyFlags(f Flags) error {
	n := *c
	n.src = c.src.clone()
	set := func(key, flag string) { n.src.flags[key] = flag }

	if len(f.URLs) > 0 {
		n.StartURLs = slices.Clone(f.URLs)
		set("start_urls", ArgURL)
	}
	if f.DB != nil {
		n.DB = *f.DB
		set("db", "--db")
	}
	if f.JSON != nil {
		n.JSONOut = *f.JSON
	}
	if f.Now != nil {
		t, err := time.Parse(time.RFC3339, *f.Now)
		if err != nil {
			return &Error{Key: "--now", Msg: fmt.Sprintf("want an RFC3339 time like 2025-11-11T20:00:00+08:00, got %q", *f.Now)}
		}
		n.Now = t
	}
	if f.Concurrency != nil {
		n.Concurrency = *f.Concurrency
		set("concurrency", "--concurrency")
	}
	if f.Viewport != nil {
		switch *f.Viewport {
		case Desktop, Mobile:
			n.Viewports = []string{*f.Viewport}
		case "both":
			n.Viewports = []string{Desktop, Mobile}
		default:
			return &Error{Key: "--viewport", Msg: fmt.Sprintf("want desktop, mobile or both, got %q", *f.Viewport)}
		}
		set("viewports", "--viewport")
	}
	if f.MaxPages != nil {
		n.Scope.MaxPages = *f.MaxPages
		set("scope.max_pages", "--max-pages")
	}
	if f.MaxDepth != nil {
		n.Scope.MaxDepth = *f.MaxDepth
		set("scope.max_depth", "--max-depth")
	}
	if f.Browser != nil {
		n.Browser = *f.Browser
	}
	if len(f.RemoteBrowser) > 0 {
		n.RemoteBrowser = slices.Clone(f.RemoteBrowser)
		set("remote_browsers", "--remote-browser")
	}
	if f.FailOn != nil {
		n.FailOn = *f.FailOn
		if n.FailOn == "" {
			return &Error{Key: "--fail-on", Msg: `want error or warning, got ""`}
		}
	}
	if f.Quiet != nil {
		n.Quiet = *f.Quiet
	}
	if f.Settle != nil {
		n.Settle = Duration(*f.Settle)
	}
	if f.SkipRules != nil {
		n.SkipRules = f.SkipRules
	}
	if f.Repeat != nil {
		if *f.Repeat < 1 || *f.Repeat > 9 {
			return &Error{Key: "--repeat", Msg: fmt.Sprintf("want 1 to 9 measurements per page, got %d", *f.Repeat)}
		}
		n.Repeat = *f.Repeat
	}
	if err := n.Validate(); err != nil {
		return err
	}
	*c = n
	return nil
}

// LoadSweep is Load(f.Config) followed by ApplyFlags(f): the sweep's whole
// configuration, flags over config over defaults.
func LoadSweep(f Flags) (Config, error) {
	c, err := Load(f.Config)
	if err != nil {
		return Config{}, err
	}
	if err := c.ApplyFlags(f); err != nil {
		return Config{}, err
	}
	return c, nil
}

// AddSweepFlags defines the sweep flags of the contract on fs, --settle
// hidden. Their zero values are placeholders: read what was given with
// SweepFlags after parsing.
func AddSweepFlags(fs *pflag.FlagSet) {
	d := Defaults()
	fs.String("config", "", "config file (default ./"+DefaultFile+" if it exists)")
	fs.String("db", "", "SQLite file or postgres:// URL runs are stored in (default: config db, else "+d.DB+")")
	fs.String("json", "", "also write the run as JSON to this file")
	fs.String("now", "", "pin the sweep's clock to this RFC3339 time (default: wall clock)")
	fs.Int("concurrency", 0, "pages rendered at once (default: config concurrency, else the number of CPUs)")
	fs.String("viewport", "", "desktop, mobile or both (default: config viewports, else both)")
	fs.Int("max-pages", 0, fmt.Sprintf("most distinct URLs to visit (default: config scope.max_pages, else %d)", d.Scope.MaxPages))
	fs.Int("max-depth", 0, fmt.Sprintf("deepest link depth to follow (default: config scope.max_depth, else %d)", d.Scope.MaxDepth))
	fs.String("browser", "", "Chromium binary to launch (default: find one)")
	fs.Int("repeat", 1, "measure every page N times and keep each metric's median (for gates on a busy machine)")
	fs.StringArray("remote-browser", nil, "DevTools URL of a running browser, or a go-rod launcher manager, to use instead (repeatable)")
	fs.String("fail-on", "", "exit 1 when findings at or above this severity: error or warning")
	fs.Bool("quiet", false, "no progress on stderr")
	fs.Duration("settle", 0, "quiet time after paint before capture (default "+d.Settle.String()+")")
	_ = fs.MarkHidden("settle")
	fs.StringSlice("skip-rules", nil, "rule IDs or families (\"image.\") not to run")
	_ = fs.MarkHidden("skip-rules")
}

// SweepFlags reads back the flags AddSweepFlags defined that were given on
// fs, with args as the positional URLs.
func SweepFlags(fs *pflag.FlagSet, args []string) Flags {
	f := Flags{URLs: slices.Clone(args)}
	str := func(name string) *string {
		if !fs.Changed(name) {
			return nil
		}
		v, _ := fs.GetString(name)
		return &v
	}
	num := func(name string) *int {
		if !fs.Changed(name) {
			return nil
		}
		v, _ := fs.GetInt(name)
		return &v
	}
	if p := str("config"); p != nil {
		f.Config = *p
	}
	f.DB = str("db")
	f.JSON = str("json")
	f.Now = str("now")
	f.Concurrency = num("concurrency")
	f.Viewport = str("viewport")
	f.MaxPages = num("max-pages")
	f.Repeat = num("repeat")
	f.MaxDepth = num("max-depth")
	f.Browser = str("browser")
	if fs.Changed("remote-browser") {
		f.RemoteBrowser, _ = fs.GetStringArray("remote-browser")
	}
	f.FailOn = str("fail-on")
	if fs.Changed("quiet") {
		v, _ := fs.GetBool("quiet")
		f.Quiet = &v
	}
	if fs.Changed("settle") {
		v, _ := fs.GetDuration("settle")
		f.Settle = &v
	}
	if fs.Changed("skip-rules") {
		f.SkipRules, _ = fs.GetStringSlice("skip-rules")
		if f.SkipRules == nil {
			f.SkipRules = []string{}
		}
	}
	return f
}
