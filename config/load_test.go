package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// parseString loads src as if it were dir/storecheck.yaml, named
// "storecheck.yaml" in errors.
func parseString(t *testing.T, dir, src string) (Config, error) {
	t.Helper()
	return parse(DefaultFile, filepath.Join(dir, DefaultFile), []byte(src))
}

// plain drops what a Config remembers of its origin, for comparisons.
func plain(c Config) Config {
	c.src = nil
	c.FilePath = ""
	return c
}

func testdataDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestExample loads testdata/storecheck.yaml, which sets every key, and
// checks a few values, the path resolution and that every key was read.
func TestExample(t *testing.T) {
	dir := testdataDir(t)
	c, err := Load("testdata/storecheck.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.FilePath != filepath.Join(dir, "storecheck.yaml") {
		t.Errorf("FilePath = %q", c.FilePath)
	}
	sh, _ := time.LoadLocation("Europe/Berlin")
	start, end := c.CampaignWindow()
	for _, tc := range []struct {
		key       string
		got, want any
	}{
		{"name", c.Name, "example-shop"},
		{"scope.max_rps", c.Scope.MaxRPS, 2.5},
		{"scope.max_duration", c.Scope.MaxDuration, Duration(20 * time.Minute)},
		{"viewports", c.Viewports, []string{"mobile"}},
		{"concurrency", c.Concurrency, 13},
		{"headers", c.Headers, map[string]string{"X-Storecheck": "1", "Authorization": "Bearer staging-token"}},
		{"cookies[1]", c.Cookies[1], Cookie{Name: "consent", Value: "all"}},
		{"brand.logo", c.Brand.Logo, filepath.Join(dir, "logo.png")},
		{"brand.protected_logos", c.Brand.ProtectedLogos, []string{filepath.Join(dir, "marks", "rival.png")}},
		{"db", c.DB, filepath.Join(dir, "runs", "storecheck.db")},
		{"ocr.tesseract", c.OCR.Tesseract, filepath.Join(dir, "bin", "tesseract")},
		{"campaign start", start, time.Date(2025, 11, 1, 0, 0, 0, 0, sh)},
		{"campaign end", end, time.Date(2025, 11, 11, 23, 59, 59, 0, sh)},
		{"budgets", c.Budgets, Budgets{LoadMs: 4000, LCPMs: 3000, FCPMs: 2000, CLS: 0.25, TBTMs: 300, PageBytes: 5000000, ConfirmRuns: 3, MinBenchmarkIndex: 900}},
		{"banned_terms.extra", c.BannedTerms.Extra, []string{"宇宙第一"}},
	} {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s = %#v, want %#v", tc.key, tc.got, tc.want)
		}
	}

	// Every key of the contract is set in the example, to a value other
	// than its default.
	var walk func(t reflect.Type, got, def reflect.Value, prefix string)
	walk = func(typ reflect.Type, got, def reflect.Value, prefix string) {
		for name, i := range yamlFields(typ) {
			key := join(prefix, name)
			if _, ok := c.src.lines[key]; !ok {
				t.Errorf("example does not set %s", key)
			}
			g, d := got.Field(i), def.Field(i)
			if g.Kind() == reflect.Struct && g.Type() != reflect.TypeFor[Duration]() {
				walk(g.Type(), g, d, key)
				continue
			}
			if reflect.DeepEqual(g.Interface(), d.Interface()) {
				t.Errorf("example sets %s to its default %v", key, g.Interface())
			}
		}
	}
	walk(reflect.TypeFor[Config](), reflect.ValueOf(c), reflect.ValueOf(Defaults()), "")
	for _, key := range []string{"cookies[0].name", "cookies[0].value", "cookies[0].domain", "cookies[0].path"} {
		if _, ok := c.src.lines[key]; !ok {
			t.Errorf("example does not set %s", key)
		}
	}
}

// TestRoundTrip marshals the example as YAML and as JSON and loads it back.
func TestRoundTrip(t *testing.T) {
	c, err := Load("testdata/storecheck.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	back, err := parseString(t, t.TempDir(), string(out))
	if err != nil {
		t.Fatalf("YAML round trip: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(plain(back), plain(c)) {
		t.Errorf("YAML round trip differs:\n got %+v\nwant %+v", plain(back), plain(c))
	}

	back, err = parseString(t, t.TempDir(), string(c.JSON()))
	if err != nil {
		t.Fatalf("JSON round trip: %v\n%s", err, c.JSON())
	}
	if !reflect.DeepEqual(plain(back), plain(c.Redacted())) {
		t.Errorf("JSON round trip differs:\n got %+v\nwant %+v", plain(back), plain(c.Redacted()))
	}
}

func TestEmptyFile(t *testing.T) {
	for _, src := range []string{"", "\n", "# only a comment\n", "---\n", "~\n"} {
		dir := t.TempDir()
		c, err := parseString(t, dir, src)
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		want := Defaults()
		want.DB = filepath.Join(dir, "storecheck.db")
		if !reflect.DeepEqual(plain(c), want) {
			t.Errorf("%q does not give the defaults: %+v", src, c)
		}
	}
}

// TestNullKeepsDefault: a key written without a value keeps its default.
func TestNullKeepsDefault(t *testing.T) {
	dir := t.TempDir()
	c, err := parseString(t, dir, "scope:\n  max_pages:\nviewports:\npage_timeout: ~\nbudgets:\n")
	if err != nil {
		t.Fatal(err)
	}
	want := Defaults()
	want.DB = filepath.Join(dir, "storecheck.db")
	if !reflect.DeepEqual(plain(c), want) {
		t.Errorf("got %+v, want the defaults", c)
	}
}

// TestBadValues: every kind of bad value is an error naming the file, the
// line and the key.
func TestBadValues(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		src  string
		want string // the error starts with it
		msg  string // and contains this
	}{
		{"name: x\nscope:\n  max_pages: \"many\"\n", `storecheck.yaml:3: key "scope.max_pages"`, `want an integer, got "many"`},
		{"scope:\n  max_pages: 0\n", `storecheck.yaml:2: key "scope.max_pages"`, "at least 1"},
		{"scope:\n  max_pages: -5\n", `storecheck.yaml:2: key "scope.max_pages"`, "got -5"},
		{"scope:\n  max_pages: 1.5\n", `storecheck.yaml:2: key "scope.max_pages"`, "want an integer"},
		{"scope:\n  max_pages: 99999999999999999999999\n", `storecheck.yaml:2: key "scope.max_pages"`, "want an integer"},
		{"scope:\n  max_depth: -1\n", `storecheck.yaml:2: key "scope.max_depth"`, "negative"},
		{"scope: {max_rps: 0}\n", `storecheck.yaml:1: key "scope.max_rps"`, "above 0"},
		{"scope: {max_rps: -2}\n", `storecheck.yaml:1: key "scope.max_rps"`, "above 0"},
		{"scope: {max_rps: .nan}\n", `storecheck.yaml:1: key "scope.max_rps"`, "above 0"},
		{"scope: {max_rps: .inf}\n", `storecheck.yaml:1: key "scope.max_rps"`, "above 0"},
		{"\nscope:\n  robots: maybe\n", `storecheck.yaml:3: key "scope.robots"`, `want respect or ignore, got "maybe"`},
		{"scope:\n  block_external: sometimes\n", `storecheck.yaml:2: key "scope.block_external"`, "want true or false"},
		{"scope:\n  max_duration: -1m\n", `storecheck.yaml:2: key "scope.max_duration"`, "negative"},
		{"scope:\n  max_duration: [1m]\n", `storecheck.yaml:2: key "scope.max_duration"`, "got a list"},
		{"scope:\n  include:\n    - ^/ok/\n    - \"([\"\n", `storecheck.yaml:4: key "scope.include[1]"`, "not a valid regex"},
		{"scope:\n  exclude: ['(?P<x']\n", `storecheck.yaml:2: key "scope.exclude[0]"`, "not a valid regex"},
		{"scope:\n  include: ^/x/\n", `storecheck.yaml:2: key "scope.include"`, `want a list, got "^/x/"`},
		{"viewports: [desktop, tablet]\n", `storecheck.yaml:1: key "viewports[1]"`, `want desktop or mobile, got "tablet"`},
		{"viewports: []\n", `storecheck.yaml:1: key "viewports"`, "at least one"},
		{"viewports:\n  - mobile\n  - mobile\n", `storecheck.yaml:3: key "viewports[1]"`, "twice"},
		{"concurrency: 0\n", `storecheck.yaml:1: key "concurrency"`, "at least 1"},
		{"concurrency: two\n", `storecheck.yaml:1: key "concurrency"`, "want an integer"},
		{"page_timeout: 30\n", `storecheck.yaml:1: key "page_timeout"`, `want a duration like "30s"`},
		{"page_timeout: -5s\n", `storecheck.yaml:1: key "page_timeout"`, "negative"},
		{"page_timeout: 0s\n", `storecheck.yaml:1: key "page_timeout"`, "above 0"},
		{"timezone: Mars/Olympus\n", `storecheck.yaml:1: key "timezone"`, "unknown time zone"},
		{"timezone: \"\"\n", `storecheck.yaml:1: key "timezone"`, "IANA"},
		{"timezone: Local\n", `storecheck.yaml:1: key "timezone"`, "IANA"},
		{"name: [a]\n", `storecheck.yaml:1: key "name"`, "want a string, got a list"},
		{"start_urls:\n  - https://ok.example/\n  - shop.example.com\n", `storecheck.yaml:3: key "start_urls[1]"`, "not an absolute URL"},
		{"start_urls: [ftp://shop.example.com/]\n", `storecheck.yaml:1: key "start_urls[0]"`, "http://, https://"},
		{"start_urls: [\"http://\"]\n", `storecheck.yaml:1: key "start_urls[0]"`, "not an absolute URL"},
		{"headers:\n  Bad Name: x\n", `storecheck.yaml:2: key "headers.Bad Name"`, "not a valid header name"},
		{"headers:\n  X-Ok: \"a\\nb\"\n", `storecheck.yaml:2: key "headers.X-Ok"`, "CR, LF"},
		{"headers: [a]\n", `storecheck.yaml:1: key "headers"`, "want a mapping, got a list"},
		{"headers:\n  X-A: {b: c}\n", `storecheck.yaml:2: key "headers.X-A"`, "want a string, got a mapping"},
		{"cookies:\n  - name: a\n  - value: x\n", `storecheck.yaml:3: key "cookies[1].name"`, "needs a name"},
		{"cookies:\n  - name: \"a b\"\n", `storecheck.yaml:2: key "cookies[0].name"`, "not a valid cookie name"},
		{"cookies:\n  - name: a\n    value: \"x;y\"\n", `storecheck.yaml:3: key "cookies[0].value"`, "';'"},
		{"cookies: {name: a}\n", `storecheck.yaml:1: key "cookies"`, "want a list"},
		{"basic_auth: {password: x}\n", `storecheck.yaml:1: key "basic_auth.user"`, "without a user"},
		{"basic_auth: {user: \"a:b\"}\n", `storecheck.yaml:1: key "basic_auth.user"`, "':'"},
		{"tls_insecure: maybe\n", `storecheck.yaml:1: key "tls_insecure"`, "want true or false"},
		{"brand:\n  names: [\"\"]\n", `storecheck.yaml:2: key "brand.names[0]"`, "must not be empty"},
		{"brand:\n  logo: missing.png\n", `storecheck.yaml:2: key "brand.logo"`, "no such file"},
		{"brand:\n  logo: .\n", `storecheck.yaml:2: key "brand.logo"`, "not a regular file"},
		{"brand:\n  protected_logos:\n    - gone.png\n", `storecheck.yaml:3: key "brand.protected_logos[0]"`, "no such file"},
		{"brand:\n  logo_optional: [\"a)\"]\n", `storecheck.yaml:2: key "brand.logo_optional[0]"`, "not a valid regex"},
		{"campaign:\n  start: next week\n", `storecheck.yaml:2: key "campaign.start"`, `got "next week"`},
		{"campaign:\n  end: 2025-13-01\n", `storecheck.yaml:2: key "campaign.end"`, "want a time"},
		{"campaign:\n  start: 2025-11-11\n  end: 2025-11-01 12:00\n", `storecheck.yaml:3: key "campaign.end"`, "before campaign.start"},
		{"campaign:\n  pages: [\"[\"]\n", `storecheck.yaml:2: key "campaign.pages[0]"`, "not a valid regex"},
		{"promo:\n  stale_after_days: -1\n", `storecheck.yaml:2: key "promo.stale_after_days"`, "want 0–183 days"},
		{"promo:\n  stale_after_days: 184\n", `storecheck.yaml:2: key "promo.stale_after_days"`, "got 184"},
		{"ocr:\n  min_px: 0\n", `storecheck.yaml:2: key "ocr.min_px"`, "want 1–10000 CSS px"},
		{"ocr:\n  max_per_page: 0\n", `storecheck.yaml:2: key "ocr.max_per_page"`, "got 0"},
		{"ocr:\n  min_confidence: 101\n", `storecheck.yaml:2: key "ocr.min_confidence"`, "want 0–100"},
		{"ocr:\n  languages: \"chi sim\"\n", `storecheck.yaml:2: key "ocr.languages"`, "joined by +"},
		{"ocr:\n  enabled: sometimes\n", `storecheck.yaml:2: key "ocr.enabled"`, "want true or false"},
		{"product_pages:\n  - '^/p/(\\d+'\n", `storecheck.yaml:2: key "product_pages[0]"`, "not a valid regex"},
		{"budgets: {load_ms: 0}\n", `storecheck.yaml:1: key "budgets.load_ms"`, "above 0"},
		{"budgets:\n  lcp_ms: -1\n", `storecheck.yaml:2: key "budgets.lcp_ms"`, "above 0"},
		{"budgets:\n  fcp_ms: 0\n", `storecheck.yaml:2: key "budgets.fcp_ms"`, "above 0"},
		{"budgets:\n  cls: -0.1\n", `storecheck.yaml:2: key "budgets.cls"`, "above 0"},
		{"budgets:\n  tbt_ms: fast\n", `storecheck.yaml:2: key "budgets.tbt_ms"`, "want a number"},
		{"budgets:\n  confirm_runs: 12\n", `storecheck.yaml:2: key "budgets.confirm_runs"`, "0 to 9"},
		{"budgets:\n  min_benchmark_index: -1\n", `storecheck.yaml:2: key "budgets.min_benchmark_index"`, "negative"},
		{"budgets:\n  page_bytes: 0\n", `storecheck.yaml:2: key "budgets.page_bytes"`, "above 0"},
		{"banned_terms:\n  extra: [\" \"]\n", `storecheck.yaml:2: key "banned_terms.extra[0]"`, "empty"},
		{"layout:\n  nav_max_items: 0\n", `storecheck.yaml:2: key "layout.nav_max_items"`, "at least 1"},
		{"layout:\n  above_fold:\n    - '#hero'\n    - ''\n", `storecheck.yaml:4: key "layout.above_fold[1]"`, "empty"},
		{"images:\n  min_size: 0\n", `storecheck.yaml:2: key "images.min_size"`, "above 0"},
		{"images:\n  max_megapixels: -1\n", `storecheck.yaml:2: key "images.max_megapixels"`, "above 0"},
		{"images:\n  blur_threshold: 0\n", `storecheck.yaml:2: key "images.blur_threshold"`, "above 0"},
		{"images:\n  oversized_max_bytes: 1000\n", `storecheck.yaml:2: key "images.oversized_max_bytes"`, "above images.oversized_min_bytes"},
		{"images:\n  gallery_min: 0\n", `storecheck.yaml:2: key "images.gallery_min"`, "at least 1"},
		{"images:\n  duplicate_distance: 64\n", `storecheck.yaml:2: key "images.duplicate_distance"`, "0–63"},
		{"brand:\n  logo_match_max: 300\n", `storecheck.yaml:2: key "brand.logo_match_max"`, "1–255"},
		{"brand:\n  logo_parts_min: 60\n", `storecheck.yaml:2: key "brand.logo_parts_min"`, "logo_match_max"},
		{"brand:\n  logo_min_sharpness: 1.5\n", `storecheck.yaml:2: key "brand.logo_min_sharpness"`, "0–1"},
		{"brand:\n  logo_upscale_max: 0.5\n", `storecheck.yaml:2: key "brand.logo_upscale_max"`, "at least 1"},
		{"brand:\n  logo_distort_pct: -5\n", `storecheck.yaml:2: key "brand.logo_distort_pct"`, "above 0"},
		{"retention:\n  keep_runs: -1\n", `storecheck.yaml:2: key "retention.keep_runs"`, "negative"},
		{"retention:\n  keep_days: -3\n", `storecheck.yaml:2: key "retention.keep_days"`, "negative"},
		{"db: \"\"\n", `storecheck.yaml:1: key "db"`, "empty"},
		{"remote_browsers: [localhost:9222]\n", `storecheck.yaml:1: key "remote_browsers[0]"`, "ws://"},
		{"scope: 5\n", `storecheck.yaml:1: key "scope"`, `want a mapping, got "5"`},
		{"scope:\n  max_pages: 1\n  max_pages: 2\n", `storecheck.yaml:3: key "scope.max_pages"`, "given twice (first on line 2)"},
		{"scope:\n  [a]: 1\n", `storecheck.yaml:2: key "scope"`, "a key must be a string"},
	} {
		_, err := parseString(t, dir, tc.src)
		var ce *Error
		if !errors.As(err, &ce) {
			t.Errorf("%q: error %v is not a *config.Error", tc.src, err)
			continue
		}
		if got := err.Error(); !strings.HasPrefix(got, tc.want+": ") || !strings.Contains(got, tc.msg) {
			t.Errorf("%q:\n got %s\nwant %s: …%s…", tc.src, got, tc.want, tc.msg)
		}
	}
}

func TestUnknownKeys(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want string
	}{
		{"name: x\nscope:\n  max_depth: 2\n\n  max_pagez: 5\n", `storecheck.yaml:5: unknown key "scope.max_pagez" (did you mean "scope.max_pages"?)`},
		{"colour: red\n", `storecheck.yaml:1: unknown key "colour"`},
		{"cookies:\n  - name: a\n  - nmae: b\n", `storecheck.yaml:3: unknown key "cookies[1].nmae" (did you mean "cookies[1].name"?)`},
		{"budgets: {load_ms: 1, lcp: 2}\n", `storecheck.yaml:1: unknown key "budgets.lcp" (did you mean "budgets.lcp_ms"?)`},
		{"settle: 1s\n", `storecheck.yaml:1: unknown key "settle"`},
		{"basic_auth:\n  user: u\n  pass: p\n", `storecheck.yaml:3: unknown key "basic_auth.pass" (did you mean "basic_auth.password"?)`},
		{"\"<<\": {name: x}\n", `storecheck.yaml:1: unknown key "<<"`},
		{"1: x\n", `storecheck.yaml:1: unknown key "1"`},
	} {
		_, err := parseString(t, t.TempDir(), tc.src)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q:\n got %v\nwant %s", tc.src, err, tc.want)
		}
		if !errors.Is(err, ErrUnknownKey) {
			t.Errorf("%q: errors.Is(err, ErrUnknownKey) = false", tc.src)
		}
	}
}

func TestSyntaxErrors(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want string
	}{
		{"name: x\nscope:\n  max_pages: [1\n", "storecheck.yaml:3: invalid YAML: "},
		{"name: x\n\tscope: {}\n", "storecheck.yaml:2: invalid YAML: "},
		{"name: x\nname: y: z\n", "storecheck.yaml:2: invalid YAML: "},
		{"- a\n- b\n", "storecheck.yaml:1: want a mapping of keys at the top level, got a list"},
		{"just text\n", `storecheck.yaml:1: want a mapping of keys at the top level, got "just text"`},
		{"name: a\n---\nname: b\n", "storecheck.yaml:2: only one YAML document is allowed"},
		{"name: *nowhere\n", "storecheck.yaml: invalid YAML: unknown anchor"},
	} {
		_, err := parseString(t, t.TempDir(), tc.src)
		var ce *Error
		if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q:\n got %v\nwant %s…", tc.src, err, tc.want)
		}
	}
}

func TestAliasesAndMerges(t *testing.T) {
	src := `
scope:
  include: &paths ["^/a/", "^/b/"]
  exclude: *paths
cookies:
  - &base {name: a, value: "1", domain: shop.example.com, path: /}
  - <<: *base
    name: b
headers:
  <<: [{X-A: first}, {X-A: second, X-B: b}]
  X-C: c
`
	c, err := parseString(t, t.TempDir(), src)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"^/a/", "^/b/"}; !reflect.DeepEqual(c.Scope.Exclude, want) {
		t.Errorf("exclude = %v, want %v", c.Scope.Exclude, want)
	}
	if want := (Cookie{Name: "b", Value: "1", Domain: "shop.example.com", Path: "/"}); c.Cookies[1] != want {
		t.Errorf("merged cookie = %+v, want %+v", c.Cookies[1], want)
	}
	if want := map[string]string{"X-A": "first", "X-B": "b", "X-C": "c"}; !reflect.DeepEqual(c.Headers, want) {
		t.Errorf("merged headers = %v, want %v", c.Headers, want)
	}

	// A merge is checked like the mapping it is merged into.
	_, err = parseString(t, t.TempDir(), "cookies:\n  - &c {name: a, valeu: x}\n  - <<: *c\n")
	if err == nil || !strings.HasPrefix(err.Error(), `storecheck.yaml:2: unknown key "cookies[0].valeu"`) {
		t.Errorf("typo in an anchored mapping: %v", err)
	}
}

func TestAliasCycleAndBomb(t *testing.T) {
	_, err := parseString(t, t.TempDir(), "scope: &s\n  <<: *s\n")
	if err == nil {
		t.Error("a mapping merging itself loaded")
	}

	// Each level merges the one before ten times: 10^9 nodes if expanded.
	var b strings.Builder
	b.WriteString("cookies:\n  - &l0 {name: a}\n")
	for i := 1; i < 10; i++ {
		fmt.Fprintf(&b, "  - &l%d {<<: [", i)
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]}\n")
	}
	// Expanded, the bomb is 10^9 nodes: a parser that expanded it would
	// run into the suite's -timeout (or out of memory), not pass late.
	_, err = parseString(t, t.TempDir(), b.String())
	if err == nil || !strings.Contains(err.Error(), "through aliases") {
		t.Errorf("alias bomb: %v", err)
	}
}

// TestRelativePaths: paths in a config file, and the default db when a file
// is loaded, are relative to the file's folder.
func TestRelativePaths(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "site")
	if err := os.MkdirAll(filepath.Join(sub, "marks"), 0o755); err != nil {
		t.Fatal(err)
	}
	abs := filepath.Join(root, "abs.png")
	for _, f := range []string{filepath.Join(root, "logo.png"), filepath.Join(sub, "marks", "x.png"), abs} {
		if err := os.WriteFile(f, []byte("png"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src := fmt.Sprintf("db: data/runs.db\nbrand:\n  logo: ../logo.png\n  protected_logos: [marks/x.png, %q]\n", abs)
	if err := os.WriteFile(filepath.Join(sub, "storecheck.yaml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "plain.yaml"), []byte("name: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)

	c, err := Load("site/storecheck.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ key, got, want string }{
		{"db", c.DB, filepath.Join(sub, "data", "runs.db")},
		{"brand.logo", c.Brand.Logo, filepath.Join(root, "logo.png")},
		{"brand.protected_logos[0]", c.Brand.ProtectedLogos[0], filepath.Join(sub, "marks", "x.png")},
		{"brand.protected_logos[1]", c.Brand.ProtectedLogos[1], abs},
		{"FilePath", c.FilePath, filepath.Join(sub, "storecheck.yaml")},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %q, want %q", tc.key, tc.got, tc.want)
		}
	}

	c, err = Load("site/plain.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(sub, "storecheck.db"); c.DB != want {
		t.Errorf("default db = %q, want %q", c.DB, want)
	}

	// A missing file is named relative to the config file's folder.
	if err := os.WriteFile(filepath.Join(sub, "bad.yaml"), []byte("brand:\n  logo: nope.png\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load("site/bad.yaml")
	if want := fmt.Sprintf(`site/bad.yaml:2: key "brand.logo": cannot use %q`, filepath.Join(sub, "nope.png")); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want %s…", err, want)
	}
}

// TestDiscovery: with no path, ./storecheck.yaml is read when it exists.
func TestDiscovery(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)

	c, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, Defaults()) {
		t.Errorf("no file: got %+v, want the defaults", c)
	}

	if err := os.WriteFile(DefaultFile, []byte("name: found\nconcurrency: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err = Load("")
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "found" || c.Concurrency != 3 || c.FilePath != filepath.Join(dir, DefaultFile) {
		t.Errorf("got name %q concurrency %d file %q", c.Name, c.Concurrency, c.FilePath)
	}

	if err := os.WriteFile(DefaultFile, []byte("name: found\nconcurrency: 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load("")
	if want := `storecheck.yaml:2: key "concurrency": must be at least 1, got 0`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestMissingFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	_, err := Load("nope.yaml")
	var ce *Error
	if !errors.As(err, &ce) || err.Error() != "nope.yaml: cannot read config file: no such file or directory" {
		t.Errorf("got %v", err)
	}
	if !errors.Is(err, os.ErrNotExist) {
		t.Error("errors.Is(err, os.ErrNotExist) = false")
	}

	// ./storecheck.yaml that is not a file is an error, not "no config".
	if err := os.Mkdir(DefaultFile, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(""); !errors.As(err, &ce) || ce.File != DefaultFile {
		t.Errorf("storecheck.yaml directory: got %v", err)
	}
}

// TestValidateRemembersLines: an error found after loading, e.g. after code
// changed a value, still names the key's line.
func TestValidateRemembersLines(t *testing.T) {
	c, err := parseString(t, t.TempDir(), "name: x\nscope:\n  max_rps: 2\n")
	if err != nil {
		t.Fatal(err)
	}
	c.Scope.MaxRPS = -1
	if want := `storecheck.yaml:3: key "scope.max_rps": must be above 0, got -1`; c.Validate() == nil || c.Validate().Error() != want {
		t.Errorf("got %v, want %s", c.Validate(), want)
	}
	c = Defaults()
	c.Scope.MaxRPS = 0
	if want := `key "scope.max_rps": must be above 0, got 0`; c.Validate() == nil || c.Validate().Error() != want {
		t.Errorf("built in code: got %v, want %s", c.Validate(), want)
	}
}
