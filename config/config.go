// Package config turns YAML and flags into a validated Config. It is the only
// home of defaults: every other package reads them from here.
package config

import "time"

// Config is the whole of a sweep's configuration, with the contract's keys.
type Config struct {
	Name          string            `yaml:"name"`
	StartURLs     []string          `yaml:"start_urls"`
	Scope         Scope             `yaml:"scope"`
	Viewports     []string          `yaml:"viewports"`    // desktop, mobile
	Concurrency   int               `yaml:"concurrency"`  // default: number of CPUs
	PageTimeout   Duration          `yaml:"page_timeout"` // default 30s
	Locale        string            `yaml:"locale"`
	Timezone      string            `yaml:"timezone"`
	UserAgent     string            `yaml:"user_agent"`
	Headers       map[string]string `yaml:"headers"`
	Cookies       []Cookie          `yaml:"cookies"`
	BasicAuth     BasicAuth         `yaml:"basic_auth"`
	TLSInsecure   bool              `yaml:"tls_insecure"`
	Brand         Brand             `yaml:"brand"`
	Campaign      Campaign          `yaml:"campaign"`
	ProductPages  []string          `yaml:"product_pages"`
	Budgets       Budgets           `yaml:"budgets"`
	BannedTerms   BannedTerms       `yaml:"banned_terms"`
	PII           PII               `yaml:"pii"`
	Layout        Layout            `yaml:"layout"`
	Images        Images            `yaml:"images"`
	Retention     Retention         `yaml:"retention"`
	DB            string            `yaml:"db"`
	RemoteBrowser []string          `yaml:"remote_browsers"`

	// Set from flags only (not config keys).
	Now      time.Time `yaml:"-"` // the sweep's clock; zero = wall clock at start
	Browser  string    `yaml:"-"` // --browser
	FailOn   string    `yaml:"-"` // --fail-on: "", error, warning
	JSONOut  string    `yaml:"-"` // --json FILE
	Quiet    bool      `yaml:"-"`
	Settle   Duration  `yaml:"-"` // quiet time after paint before capture (tests shorten it)
	FilePath string    `yaml:"-"` // the config file this came from, "" when none
}

// Scope limits what a sweep visits.
type Scope struct {
	MaxPages      int      `yaml:"max_pages"`
	MaxDepth      int      `yaml:"max_depth"`
	Include       []string `yaml:"include"` // regexes on the URL path
	Exclude       []string `yaml:"exclude"`
	MaxRPS        float64  `yaml:"max_rps"` // navigations per second per host
	Robots        string   `yaml:"robots"`  // respect | ignore
	BlockExternal bool     `yaml:"block_external"`
	MaxDuration   Duration `yaml:"max_duration"` // 0 = no cap
}

// Cookie is set in every browser context and sent with storecheck's own requests.
type Cookie struct {
	Name   string `yaml:"name"`
	Value  string `yaml:"value"`
	Domain string `yaml:"domain"`
	Path   string `yaml:"path"`
}

// BasicAuth answers HTTP basic-auth challenges.
type BasicAuth struct {
	User     string `yaml:"user"`
	Password string `yaml:"password"`
}

// Brand configures the logo rules.
type Brand struct {
	Name           string   `yaml:"name"`
	Names          []string `yaml:"names"`
	Logo           string   `yaml:"logo"`
	ProtectedLogos []string `yaml:"protected_logos"`
	LogoOptional   []string `yaml:"logo_optional"`
}

// Campaign configures the promotion-window rules.
type Campaign struct {
	Name  string   `yaml:"name"`
	Start string   `yaml:"start"`
	End   string   `yaml:"end"`
	Pages []string `yaml:"pages"`
}

// Budgets are the thresholds of the perf rules.
type Budgets struct {
	LoadMs    float64 `yaml:"load_ms"`
	LCPMs     float64 `yaml:"lcp_ms"`
	FCPMs     float64 `yaml:"fcp_ms"`
	CLS       float64 `yaml:"cls"`
	TBTMs     float64 `yaml:"tbt_ms"`
	PageBytes int64   `yaml:"page_bytes"`
}

// BannedTerms adjusts the advertising-law term list.
type BannedTerms struct {
	Extra []string `yaml:"extra"`
	Allow []string `yaml:"allow"`
}

// PII lists numbers that may appear (the shop's own hotline).
type PII struct {
	Allow []string `yaml:"allow"`
}

// Layout configures the layout rules.
type Layout struct {
	NavMaxItems int      `yaml:"nav_max_items"`
	AboveFold   []string `yaml:"above_fold"`
}

// Images configures the image rules.
type Images struct {
	MinSize       int     `yaml:"min_size"`
	MaxMegapixels float64 `yaml:"max_megapixels"`
}

// Retention prunes old runs; 0 keeps everything.
type Retention struct {
	KeepRuns int `yaml:"keep_runs"`
	KeepDays int `yaml:"keep_days"`
}

// Duration is a time.Duration written as "30s" in YAML.
type Duration time.Duration
