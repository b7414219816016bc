package sweep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/storage"
)

// A strict sweep (preflight) raises the findings of the rules that declare
// themselves strict to error; an everyday sweep keeps the rules' severities.
func TestStrictSweep(t *testing.T) {
	cfg := config.Defaults()
	fs := func() []checks.Finding {
		return []checks.Finding{
			{Rule: "promo.expired", Severity: checks.SeverityWarning},
			{Rule: "perf.slow-load", Severity: checks.SeverityWarning},
		}
	}
	for _, strict := range []bool{false, true} {
		rs, err := newRules(&cfg, time.Now(), strict)
		if err != nil {
			t.Fatal(err)
		}
		got := rs.escalate(fs())
		want := checks.SeverityWarning
		if strict {
			want = checks.SeverityError
		}
		if got[0].Severity != want || got[1].Severity != checks.SeverityWarning {
			t.Errorf("strict %v: %+v", strict, got)
		}
	}
}

// --skip-rules drops a rule by ID or a family by a prefix ending in ".";
// a prefix without the dot drops nothing.
func TestSkipRules(t *testing.T) {
	cs := []*checks.Check{{ID: "logo.missing"}, {ID: "logo.stretched"}, {ID: "perf.slow-load"}, {ID: "price.ambiguous"}}
	tests := []struct {
		skip []string
		want string
	}{
		{nil, "logo.missing logo.stretched perf.slow-load price.ambiguous"},
		{[]string{"logo."}, "perf.slow-load price.ambiguous"},
		{[]string{"perf.slow-load"}, "logo.missing logo.stretched price.ambiguous"},
		{[]string{"logo"}, "logo.missing logo.stretched perf.slow-load price.ambiguous"},
	}
	for _, tt := range tests {
		var ids []string
		for _, c := range skipRules(cs, tt.skip) {
			ids = append(ids, c.ID)
		}
		if got := strings.Join(ids, " "); got != tt.want {
			t.Errorf("skipRules(%q) = %s, want %s", tt.skip, got, tt.want)
		}
	}
}

// A regex that does not compile is a *config.Error naming its key (exit 2),
// never a panic, also in a Config built by hand that config.Load never saw.
func TestCompilePatterns(t *testing.T) {
	tests := []struct {
		name    string
		set     func(*config.Config)
		wantKey string
	}{
		{"all valid", func(c *config.Config) {
			c.Scope.Include, c.Scope.Exclude, c.ProductPages = []string{"^/shop/"}, []string{`\.pdf$`}, []string{"/item/"}
		}, ""},
		{"include", func(c *config.Config) { c.Scope.Include = []string{"ok", "(unclosed"} }, "scope.include[1]"},
		{"exclude", func(c *config.Config) { c.Scope.Exclude = []string{"[z-a]"} }, "scope.exclude[0]"},
		{"product pages", func(c *config.Config) { c.ProductPages = []string{"*"} }, "product_pages[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Defaults()
			tt.set(&cfg)
			p, err := CompilePatterns(&cfg)
			if err == nil {
				_, err = checks.NewEnv(&cfg, time.Time{}) // product_pages
			}
			if tt.wantKey == "" {
				if err != nil || len(p.Include) != 1 || len(p.Exclude) != 1 {
					t.Fatalf("CompilePatterns = %+v, %v", p, err)
				}
				return
			}
			var ce *config.Error
			if !errors.As(err, &ce) || ce.Key != tt.wantKey || !strings.Contains(ce.Msg, "not a valid regex") {
				t.Fatalf("err = %v (%#v), want a *config.Error for %s", err, err, tt.wantKey)
			}
		})
	}
}

// Validate reports config faults as *config.Error (exit 2) before it looks
// for a browser.
func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		set  func(*config.Config)
		want string
	}{
		{"no start URL", func(c *config.Config) {}, "no start URL: give one as an argument or set start_urls in the config"},
		{"bad start URL", func(c *config.Config) { c.StartURLs = []string{"ftp://shop.example/"} }, `start URL "ftp://shop.example/"`},
		{"bad regex", func(c *config.Config) {
			c.StartURLs = []string{"https://shop.example/"}
			c.Scope.Include = []string{"("}
		}, `key "scope.include[0]": not a valid regex`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Defaults()
			tt.set(&cfg)
			err := Validate(&cfg)
			var ce *config.Error
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate = %v, want a *config.Error containing %q", err, tt.want)
			}
		})
	}
}

// A sweep whose context has already ended stores nothing and returns the
// cause, so the canceller (main, with the signal) sets the exit code.
func TestRunStoppedBeforeItBegins(t *testing.T) {
	cfg := config.Defaults()
	cfg.StartURLs = []string{"https://shop.example/"}
	cfg.RemoteBrowser = []string{"ws://127.0.0.1:1/devtools/browser/none"} // never reached
	cfg.DB = filepath.Join(t.TempDir(), "runs.db")
	cause := errors.New("stopped by the test")
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(cause)
	var logs bytes.Buffer
	res, err := Run(ctx, &cfg, Options{Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if !errors.Is(err, cause) || res.Run != nil || !res.Interrupted {
		t.Errorf("Run = %+v, %v; want no run, interrupted, the cause", res, err)
	}
}

// After a sweep, retention prunes the swept target as configured; a
// failure is a warning in the log, never the sweep's error.
func TestApplyRetention(t *testing.T) {
	tests := []struct {
		name      string
		keep      config.Retention
		closed    bool
		wantLeft  int
		wantLog   string
		wantLevel string
	}{
		{"keeps everything by default", config.Retention{}, false, 3, "", ""},
		{"keep runs", config.Retention{KeepRuns: 1}, false, 1, `msg="retention: removed old runs" target=shop runs="[1 2]" pages=2 kept=1`, "INFO"},
		{"keep days", config.Retention{KeepDays: 7}, false, 2, `runs=[1]`, "INFO"},
		{"failure is a warning", config.Retention{KeepRuns: 1}, true, 3, "retention: old runs not pruned", "WARN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dbPath := filepath.Join(t.TempDir(), "runs.db")
			seedRuns(t, dbPath, "shop", 9, 5, 1)
			db, err := storage.Open(t.Context(), dbPath)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if tt.closed {
				db.Close()
			}
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, nil))
			cfg := config.Defaults()
			cfg.Name, cfg.Retention = "shop", tt.keep
			applyRetention(t.Context(), db, &cfg, log)

			check, err := storage.Open(t.Context(), dbPath)
			if err != nil {
				t.Fatal(err)
			}
			defer check.Close()
			runs, _ := check.Runs(t.Context())
			if len(runs) != tt.wantLeft {
				t.Errorf("%d runs left, want %d", len(runs), tt.wantLeft)
			}
			got := logs.String()
			if tt.wantLog == "" && got != "" || !strings.Contains(got, tt.wantLog) || !strings.Contains(got, tt.wantLevel) {
				t.Errorf("log %q, want %s with %q", got, tt.wantLevel, tt.wantLog)
			}
		})
	}
}

// seedRuns stores one complete one-page run of target per entry of
// daysAgo, started that many days ago, oldest first as given.
func seedRuns(t *testing.T, path, target string, daysAgo ...int) {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, d := range daysAgo {
		started := time.Now().AddDate(0, 0, -d)
		id, err := db.CreateRun(ctx, storage.RunInfo{Name: target, StartedAt: started, Concurrency: 1, CPUs: 1})
		if err != nil {
			t.Fatal(err)
		}
		w := db.Writer(id)
		u := fmt.Sprintf("https://%s.test/p%d", target, i)
		p := &crawler.Page{URL: u, FinalURL: u, Viewport: crawler.Desktop, Status: 200, Kind: crawler.KindOther}
		if err := w.AddPage(ctx, storage.PageRecord{Page: p}); err != nil {
			t.Fatal(err)
		}
		if err := w.Finish(ctx, storage.StatusComplete, started.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
}
