package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func ptr[T any](v T) *T { return &v }

// TestPrecedence: default < config < flag, key by key.
func TestPrecedence(t *testing.T) {
	file := `
start_urls: [https://config.example/]
concurrency: 3
viewports: [mobile]
scope:
  max_pages: 50
  max_depth: 1
db: from-config.db
remote_browsers: [ws://config:9222/]
`
	flags := Flags{
		URLs:          []string{"https://flag.example/", "https://flag.example/sale"},
		Concurrency:   ptr(5),
		Viewport:      ptr("both"),
		MaxPages:      ptr(7),
		MaxDepth:      ptr(0),
		DB:            ptr("flag.db"),
		RemoteBrowser: []string{"ws://flag:9222/"},
	}
	dir := t.TempDir()
	def := Defaults()
	cfg, err := parseString(t, dir, file)
	if err != nil {
		t.Fatal(err)
	}
	both := cfg
	if err := both.ApplyFlags(flags); err != nil {
		t.Fatal(err)
	}
	flagOnly := Defaults()
	if err := flagOnly.ApplyFlags(flags); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key                        string
		get                        func(Config) any
		wantDef, wantCfg, wantFlag any
		wantFlagOverDefault        any
	}{
		{"start_urls", func(c Config) any { return c.StartURLs }, []string{}, []string{"https://config.example/"}, flags.URLs, flags.URLs},
		{"concurrency", func(c Config) any { return c.Concurrency }, runtime.NumCPU(), 3, 5, 5},
		{"viewports", func(c Config) any { return c.Viewports }, []string{"desktop", "mobile"}, []string{"mobile"}, []string{"desktop", "mobile"}, []string{"desktop", "mobile"}},
		{"scope.max_pages", func(c Config) any { return c.Scope.MaxPages }, 500, 50, 7, 7},
		{"scope.max_depth", func(c Config) any { return c.Scope.MaxDepth }, 3, 1, 0, 0},
		{"db", func(c Config) any { return c.DB }, "storecheck.db", filepath.Join(dir, "from-config.db"), "flag.db", "flag.db"},
		{"remote_browsers", func(c Config) any { return c.RemoteBrowser }, []string{}, []string{"ws://config:9222/"}, []string{"ws://flag:9222/"}, []string{"ws://flag:9222/"}},
	} {
		for _, step := range []struct {
			name string
			c    Config
			want any
		}{
			{"default", def, tc.wantDef},
			{"config over default", cfg, tc.wantCfg},
			{"flag over config", both, tc.wantFlag},
			{"flag over default", flagOnly, tc.wantFlagOverDefault},
		} {
			if got := tc.get(step.c); !reflect.DeepEqual(got, step.want) {
				t.Errorf("%s, %s: got %v, want %v", tc.key, step.name, got, step.want)
			}
		}
	}
	if cfg.Concurrency != 3 || cfg.Scope.MaxPages != 50 {
		t.Errorf("ApplyFlags changed the Config it was copied from")
	}
}

func TestApplyFlagsFlagOnlyFields(t *testing.T) {
	c := Defaults()
	err := c.ApplyFlags(Flags{
		JSON:     ptr("out.json"),
		Now:      ptr("2025-11-11T20:00:00+08:00"),
		Browser:  ptr("/usr/bin/chromium"),
		FailOn:   ptr("warning"),
		Quiet:    ptr(true),
		Settle:   ptr(50 * time.Millisecond),
		Viewport: ptr("desktop"),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2025, 11, 11, 12, 0, 0, 0, time.UTC)
	if !c.Now.Equal(want) || c.JSONOut != "out.json" || c.Browser != "/usr/bin/chromium" ||
		c.FailOn != "warning" || !c.Quiet || c.Settle != Duration(50*time.Millisecond) ||
		!reflect.DeepEqual(c.Viewports, []string{"desktop"}) {
		t.Errorf("got %+v", c)
	}
}

// TestFlagErrors: a bad flag value is an error naming the flag, without a
// file or line, and leaves the Config unchanged.
func TestFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		f    Flags
		want string
	}{
		{Flags{Viewport: ptr("tablet")}, `--viewport: want desktop, mobile or both, got "tablet"`},
		{Flags{Now: ptr("2025-11-11")}, `--now: want an RFC3339 time`},
		{Flags{FailOn: ptr("info")}, `--fail-on: want error or warning, got "info"`},
		{Flags{FailOn: ptr("")}, `--fail-on: want error or warning, got ""`},
		{Flags{Concurrency: ptr(0)}, `--concurrency: must be at least 1, got 0`},
		{Flags{MaxPages: ptr(0)}, `--max-pages: must be at least 1, got 0`},
		{Flags{MaxDepth: ptr(-1)}, `--max-depth: must not be negative, got -1`},
		{Flags{DB: ptr("")}, `--db: must not be empty`},
		{Flags{URLs: []string{"https://ok.example/", "shop.example"}}, `URL argument: "shop.example" is not an absolute URL`},
		{Flags{RemoteBrowser: []string{"9222"}}, `--remote-browser: "9222" is not an absolute URL`},
		{Flags{Settle: ptr(-time.Second)}, `--settle: must not be negative`},
	} {
		c, err := parseString(t, t.TempDir(), "concurrency: 2\nscope:\n  max_pages: 9\n  max_depth: 1\nstart_urls: [https://a.example/]\n")
		if err != nil {
			t.Fatal(err)
		}
		before := c
		err = c.ApplyFlags(tc.f)
		var ce *Error
		if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), tc.want) || ce.File != "" || ce.Line != 0 {
			t.Errorf("%+v: got %v, want %s…", tc.f, err, tc.want)
		}
		if !reflect.DeepEqual(c, before) {
			t.Errorf("%+v: a failed ApplyFlags changed the Config", tc.f)
		}
	}
}

// TestFlagKeepsConfigLines: after ApplyFlags, a value from the file is still
// named by its line, one set by a flag by the flag.
func TestFlagKeepsConfigLines(t *testing.T) {
	c, err := parseString(t, t.TempDir(), "name: x\nconcurrency: 2\n")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.ApplyFlags(Flags{MaxPages: ptr(3)}); err != nil {
		t.Fatal(err)
	}
	c.Concurrency = 0
	if want := `storecheck.yaml:2: key "concurrency": must be at least 1, got 0`; c.Validate() == nil || c.Validate().Error() != want {
		t.Errorf("got %v, want %s", c.Validate(), want)
	}
	c.Scope.MaxPages = 0
	c.Concurrency = 1
	if want := `--max-pages: must be at least 1, got 0`; c.Validate() == nil || c.Validate().Error() != want {
		t.Errorf("got %v, want %s", c.Validate(), want)
	}
}

func TestSweepFlags(t *testing.T) {
	fs := pflag.NewFlagSet("sweep", pflag.ContinueOnError)
	AddSweepFlags(fs)
	if f := fs.Lookup("settle"); f == nil || !f.Hidden {
		t.Error("--settle is not defined hidden")
	}
	err := fs.Parse([]string{
		"https://a.example/", "--concurrency", "4", "--viewport=mobile", "--max-pages", "10",
		"--max-depth", "0", "--remote-browser", "ws://x:1/a", "https://b.example/",
		"--remote-browser", "ws://y:2/b", "--fail-on", "error", "--quiet", "--settle", "10ms",
		"--db", "x.db", "--json", "out.json", "--now", "2025-11-11T00:00:00Z", "--browser", "/bin/chromium",
		"--config", "site.yaml",
	})
	if err != nil {
		t.Fatal(err)
	}
	got := SweepFlags(fs, fs.Args())
	want := Flags{
		Config:        "site.yaml",
		URLs:          []string{"https://a.example/", "https://b.example/"},
		DB:            ptr("x.db"),
		JSON:          ptr("out.json"),
		Now:           ptr("2025-11-11T00:00:00Z"),
		Concurrency:   ptr(4),
		Viewport:      ptr("mobile"),
		MaxPages:      ptr(10),
		MaxDepth:      ptr(0),
		Browser:       ptr("/bin/chromium"),
		RemoteBrowser: []string{"ws://x:1/a", "ws://y:2/b"},
		FailOn:        ptr("error"),
		Quiet:         ptr(true),
		Settle:        ptr(10 * time.Millisecond),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SweepFlags:\n got %+v\nwant %+v", got, want)
	}

	fs = pflag.NewFlagSet("sweep", pflag.ContinueOnError)
	AddSweepFlags(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if got := SweepFlags(fs, fs.Args()); !reflect.DeepEqual(got, Flags{URLs: []string{}}) {
		t.Errorf("no flags given: got %+v", got)
	}
}

func TestLoadSweep(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("site.yaml", []byte("concurrency: 3\nscope: {max_pages: 9}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadSweep(Flags{Config: "site.yaml", URLs: []string{"https://a.example/"}, MaxPages: ptr(2)})
	if err != nil {
		t.Fatal(err)
	}
	if c.Concurrency != 3 || c.Scope.MaxPages != 2 || c.TargetName() != "a.example" {
		t.Errorf("got concurrency %d max_pages %d target %q", c.Concurrency, c.Scope.MaxPages, c.TargetName())
	}
	if _, err := LoadSweep(Flags{Config: "nope.yaml"}); err == nil {
		t.Error("missing --config file loaded")
	}
}
