package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/storecheck/storecheck/config"
)

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
			p, err := compilePatterns(&cfg)
			if tt.wantKey == "" {
				if err != nil || len(p.Include) != 1 || len(p.Exclude) != 1 || len(p.ProductPages) != 1 {
					t.Fatalf("compilePatterns = %+v, %v", p, err)
				}
				return
			}
			var ce *config.Error
			if !errors.As(err, &ce) || ce.Key != tt.wantKey || !strings.Contains(ce.Msg, "not a valid regex") {
				t.Fatalf("err = %v (%#v), want a *config.Error for %s", err, err, tt.wantKey)
			}
			if exitCode(err) != exitUsage {
				t.Errorf("exit code %d, want %d", exitCode(err), exitUsage)
			}
		})
	}
}
