// Package config turns YAML and flags into a validated Config. It is the only
// home of defaults: every other package reads them from here.
//
// Precedence is flags > config file > defaults: Load reads the file over
// Defaults, ApplyFlags lays the flags given on the command line over that.
// Every error is a *Error naming the key (with its file and line) or the flag.
package config

import (
	"bytes"
	"encoding/json"
	"net/url"
	"runtime"
	"strings"
	"time"
	_ "time/tzdata" // timezone must load on machines without a zoneinfo database
)

// Config is the whole of a sweep's configuration, with the contract's keys.
// The zero value is not usable: start from Defaults or Load.
type Config struct {
	// Name is the target's name, used to pair runs for diff. Default "":
	// TargetName then falls back to the host of the first start URL.
	Name string `yaml:"name" json:"name"`
	// StartURLs are absolute http(s) URLs, each visited at depth 0. Default
	// none; URLs given as arguments replace them.
	StartURLs []string `yaml:"start_urls" json:"start_urls"`
	// Scope limits what a sweep visits.
	Scope Scope `yaml:"scope" json:"scope"`
	// Viewports to visit every page in: "desktop" and/or "mobile", no
	// duplicates. Default [desktop, mobile].
	Viewports []string `yaml:"viewports" json:"viewports"`
	// Concurrency is the number of pages rendered at once, at least 1.
	// Default: runtime.NumCPU().
	Concurrency int `yaml:"concurrency" json:"concurrency"`
	// PageTimeout bounds one page visit, navigation to capture. Default 30s;
	// must be above 0.
	PageTimeout Duration `yaml:"page_timeout" json:"page_timeout"`
	// Locale is sent as Accept-Language and reported as navigator.language.
	// Default "zh-CN".
	Locale string `yaml:"locale" json:"locale"`
	// Lang is the language people read storecheck's output in (finding
	// messages, tables, the report): "zh-CN" or "en". Default "": from
	// LC_ALL, LC_MESSAGES or LANG (zh* is zh-CN, anything else en); --lang
	// overrides it.
	Lang string `yaml:"lang" json:"lang"`
	// Timezone is an IANA zone name: the browser's zone, and the zone for
	// dates written without one (campaign.start/end). Default "Asia/Shanghai".
	Timezone string `yaml:"timezone" json:"timezone"`
	// UserAgent overrides the browser's user agent. Default "": the browser's
	// own UA without "Headless", plus " storecheck/VERSION".
	UserAgent string `yaml:"user_agent" json:"user_agent"`
	// Headers are sent with every request (page, sitemap, robots, link
	// checks). Default none.
	Headers map[string]string `yaml:"headers" json:"headers"`
	// Cookies are set in every browser context. Default none.
	Cookies []Cookie `yaml:"cookies" json:"cookies"`
	// BasicAuth answers HTTP basic-auth challenges. Default: none (user "").
	BasicAuth BasicAuth `yaml:"basic_auth" json:"basic_auth"`
	// TLSInsecure accepts invalid certificates (staging, tests). Default false.
	TLSInsecure bool `yaml:"tls_insecure" json:"tls_insecure"`
	// Brand configures the logo rules; no Logo means no logo rules.
	Brand Brand `yaml:"brand" json:"brand"`
	// Campaign configures the promotion-window rules; no Start and End means
	// no promo.window-mismatch.
	Campaign Campaign `yaml:"campaign" json:"campaign"`
	// Promo configures the promotion rules.
	Promo Promo `yaml:"promo" json:"promo"`
	// OCR configures reading the text inside pictures.
	OCR OCR `yaml:"ocr" json:"ocr"`
	// ProductPages are regexes on the URL that force a page's kind to
	// product. Default none.
	ProductPages []string `yaml:"product_pages" json:"product_pages"`
	// Budgets are the perf rules' thresholds.
	Budgets Budgets `yaml:"budgets" json:"budgets"`
	// BannedTerms adjusts the advertising-law term list.
	BannedTerms BannedTerms `yaml:"banned_terms" json:"banned_terms"`
	// PII lists numbers that may appear.
	PII PII `yaml:"pii" json:"pii"`
	// Layout configures the layout rules.
	Layout Layout `yaml:"layout" json:"layout"`
	// Images configures the image rules.
	Images Images `yaml:"images" json:"images"`
	// Retention prunes old runs after a sweep.
	Retention Retention `yaml:"retention" json:"retention"`
	// DB is the SQLite file runs are stored in, or a PostgreSQL URL
	// (postgres://user:pass@host:5432/storecheck?sslmode=…) of an existing
	// database. Default "storecheck.db"; when a config file is loaded, a
	// relative db (the default too) is made absolute against the file's
	// folder.
	DB string `yaml:"db" json:"db"`
	// RemoteBrowser lists DevTools endpoints (ws://, wss://, http://,
	// https://) of browsers to use instead of launching one. Default none;
	// --remote-browser replaces them.
	RemoteBrowser []string `yaml:"remote_browsers" json:"remote_browsers"`

	// Set from flags only (not config keys).

	// Now is the sweep's clock (--now); zero means the wall clock at start.
	Now time.Time `yaml:"-" json:"-"`
	// Browser is the Chromium binary to launch (--browser); "" = find one.
	Browser string `yaml:"-" json:"-"`
	// FailOn is the severity at or above which sweep exits 1 (--fail-on):
	// "", "error" or "warning". Default "": findings never fail the sweep.
	FailOn string `yaml:"-" json:"-"`
	// JSONOut is the file the run's JSON is written to (--json); "" = none.
	JSONOut string `yaml:"-" json:"-"`
	// Quiet silences progress on stderr (--quiet). Default false.
	Quiet bool `yaml:"-" json:"-"`
	// Settle is the quiet time after paint before capture (hidden --settle;
	// tests shorten it). Default 1s.
	Settle Duration `yaml:"-" json:"-"`
	// Repeat is how many times each page is measured; its metrics are the
	// medians (--repeat). Default 1.
	Repeat int `yaml:"-" json:"-"`
	// SkipRules are rule IDs or family prefixes ending in "." ("image.")
	// whose rules do not run (hidden --skip-rules; benchmarks measure what
	// a family costs with it). Default none.
	SkipRules []string `yaml:"-" json:"-"`
	// FilePath is the absolute path of the config file this came from, ""
	// when none.
	FilePath string `yaml:"-" json:"-"`

	// src remembers where each key came from, so that Validate can name the
	// line or the flag. Nil for a Config built in code.
	src *source
}

// Scope limits what a sweep visits.
type Scope struct {
	// MaxPages caps distinct URLs; each is visited in every viewport.
	// Default 500; at least 1.
	MaxPages int `yaml:"max_pages" json:"max_pages"`
	// MaxDepth is the link depth followed: start URLs are depth 0, sitemap
	// URLs depth 1. Default 3; at least 0.
	MaxDepth int `yaml:"max_depth" json:"max_depth"`
	// Include are regexes on the URL path; empty = all. Default none.
	Include []string `yaml:"include" json:"include"`
	// Exclude are regexes on the URL path; a match is never visited.
	// Default none.
	Exclude []string `yaml:"exclude" json:"exclude"`
	// MaxRPS caps page navigations per second per host. Default 5; above 0.
	MaxRPS float64 `yaml:"max_rps" json:"max_rps"`
	// Robots is "respect" or "ignore" (robots.txt). Default "respect".
	Robots string `yaml:"robots" json:"robots"`
	// BlockExternal blocks every request to hosts outside the sweep.
	// Default false.
	BlockExternal bool `yaml:"block_external" json:"block_external"`
	// MaxDuration caps the whole sweep. Default 0: no cap.
	MaxDuration Duration `yaml:"max_duration" json:"max_duration"`
}

// Cookie is set in every browser context and sent with storecheck's own requests.
type Cookie struct {
	// Name is required, an HTTP token.
	Name string `yaml:"name" json:"name"`
	// Value may be empty; no ';' or control characters.
	Value string `yaml:"value" json:"value"`
	// Domain the cookie is set for; "" = each start URL's host.
	Domain string `yaml:"domain" json:"domain"`
	// Path the cookie is set for; "" = "/".
	Path string `yaml:"path" json:"path"`
}

// BasicAuth answers HTTP basic-auth challenges.
type BasicAuth struct {
	// User is the user name; "" = no basic auth. Default "".
	User string `yaml:"user" json:"user"`
	// Password goes with User. Default "". JSON redacts it.
	Password string `yaml:"password" json:"password"`
}

// Brand configures the logo rules.
type Brand struct {
	// Name is the brand's display name. Default "".
	Name string `yaml:"name" json:"name"`
	// Names are regexes of other spellings of the brand. Default none.
	Names []string `yaml:"names" json:"names"`
	// Logo is the reference logo image file; "" = no logo rules. Relative
	// to the config file's folder; must exist.
	Logo string `yaml:"logo" json:"logo"`
	// ProtectedLogos are image files of marks that must not appear
	// (logo.foreign). Relative to the config file's folder; must exist.
	ProtectedLogos []string `yaml:"protected_logos" json:"protected_logos"`
	// LogoOptional are regexes on the URL path (with query) of pages that
	// need not show the logo. Default none.
	LogoOptional []string `yaml:"logo_optional" json:"logo_optional"`

	// The logo thresholds. Their defaults were measured on the test logos
	// (see checks/logomatch); tune them only with a reason.

	// LogoMatchMax is the largest shape distance (0–256, sum of four 64-bit
	// perceptual-hash distances) at which a candidate still counts as the
	// logo (or a protected mark). Default 52; 1–255.
	LogoMatchMax int `yaml:"logo_match_max" json:"logo_match_max"`
	// LogoDistortPct is the aspect-ratio difference from the reference, in
	// percent, above which a found logo is logo.distorted. Default 5; above 0.
	LogoDistortPct float64 `yaml:"logo_distort_pct" json:"logo_distort_pct"`
	// LogoColourDeltaE is the CIE76 colour difference of the logo's mean
	// foreground colour above which it is recoloured (logo.altered).
	// Default 15; above 0.
	LogoColourDeltaE float64 `yaml:"logo_colour_delta_e" json:"logo_colour_delta_e"`
	// LogoPartsMin is the shape distance from which a found logo counts as
	// having parts changed (logo.altered). Default 45; at most logo_match_max.
	LogoPartsMin int `yaml:"logo_parts_min" json:"logo_parts_min"`
	// LogoPartsLocal is the local edge difference (percent of a cell's
	// expected edge energy) from which a found logo counts as having parts
	// changed even when its shape distance is small. Default 180; above 0.
	LogoPartsLocal float64 `yaml:"logo_parts_local" json:"logo_parts_local"`
	// LogoPartsColour is the mean colour difference (CIE76 ΔE) of the most
	// changed 1/64 of the logo's area from which a found logo in the
	// reference's palette counts as having parts changed. Default 40; above 0.
	LogoPartsColour float64 `yaml:"logo_parts_colour" json:"logo_parts_colour"`
	// LogoMinSharpness is the edge steepness of a found logo relative to the
	// reference drawn at the same size under which it is blurred
	// (logo.low-quality). Default 0.77; 0–1.
	LogoMinSharpness float64 `yaml:"logo_min_sharpness" json:"logo_min_sharpness"`
	// LogoUpscaleMax is how far a raster logo may be drawn beyond its natural
	// pixel size (rendered × DPR ÷ natural) before it is upscaled
	// (logo.low-quality). Default 1.0; at least 1.
	LogoUpscaleMax float64 `yaml:"logo_upscale_max" json:"logo_upscale_max"`
}

// Campaign configures the promotion-window rules.
type Campaign struct {
	// Name of the campaign. Default "".
	Name string `yaml:"name" json:"name"`
	// Start is when the campaign begins: RFC3339, or "2006-01-02 15:04",
	// "2006-01-02 15:04:05", "2006-01-02" read in Timezone. Default "".
	Start string `yaml:"start" json:"start"`
	// End is when the campaign ends, in the same forms as Start; a bare date
	// means the end of that day. Not before Start. Default "".
	End string `yaml:"end" json:"end"`
	// Pages are regexes on the URL of campaign pages. Default none.
	Pages []string `yaml:"pages" json:"pages"`
}

// Promo configures the promotion rules.
type Promo struct {
	// StaleAfterDays is how many days after a shopping festival's last day
	// its creative may stay up (a 返场 encore, a slow take-down) before it
	// is promo.stale-campaign. Default 3; 0–183, since a festival resolves
	// to its occurrence within 183 days of now and a larger value would
	// silently disable the rule.
	StaleAfterDays int `yaml:"stale_after_days" json:"stale_after_days"`
}

// OCR configures reading the text drawn inside pictures (banners, gallery
// and detail images, card pictures, CSS backgrounds) with Tesseract, so
// that the text rules judge it like page text.
type OCR struct {
	// Enabled turns reading pictures on. Default true; without tesseract
	// installed a sweep logs one warning and skips only these judgments.
	Enabled bool `yaml:"enabled" json:"enabled"`
	// Tesseract is the tesseract program; "" finds it on PATH. A relative
	// path resolves against the config file's folder. Default "".
	Tesseract string `yaml:"tesseract" json:"tesseract"`
	// Languages is Tesseract's -l value: trained languages joined by "+".
	// Default "chi_sim+eng".
	Languages string `yaml:"languages" json:"languages"`
	// MinPx is the shorter rendered side, in CSS px, from which a picture
	// is read; smaller ones (icons, thumbnails) are skipped. Default 120;
	// at least 1.
	MinPx int `yaml:"min_px" json:"min_px"`
	// MaxPerPage caps the pictures read per visit, in document order; the
	// rest are skipped and counted. Default 40; at least 1.
	MaxPerPage int `yaml:"max_per_page" json:"max_per_page"`
	// MinConfidence is the word confidence (0–100, Tesseract's) below which
	// a word read from a picture is never judged. Default 60.
	MinConfidence float64 `yaml:"min_confidence" json:"min_confidence"`
}

// Budgets are the thresholds of the perf rules; each must be above 0.
type Budgets struct {
	// LoadMs is the load-event budget in ms. Default 3000.
	LoadMs float64 `yaml:"load_ms" json:"load_ms"`
	// LCPMs is the largest-contentful-paint budget in ms. Default 2500.
	LCPMs float64 `yaml:"lcp_ms" json:"lcp_ms"`
	// FCPMs is the first-contentful-paint budget in ms. Default 1800.
	FCPMs float64 `yaml:"fcp_ms" json:"fcp_ms"`
	// CLS is the cumulative-layout-shift budget (unitless). Default 0.1.
	CLS float64 `yaml:"cls" json:"cls"`
	// TBTMs is the total-blocking-time budget in ms. Default 200.
	TBTMs float64 `yaml:"tbt_ms" json:"tbt_ms"`
	// PageBytes is the transferred-bytes budget per page. Default 3000000.
	PageBytes int64 `yaml:"page_bytes" json:"page_bytes"`
	// ConfirmRuns is how many more times a visit over a timing budget
	// (load, LCP, FCP, CLS, TBT) is loaded, alone, after the sweep's main
	// pass; the finding stands only when the median of all its loads is
	// still over. 0 reports single loads as they are. Default 2.
	ConfirmRuns int `yaml:"confirm_runs" json:"confirm_runs"`
	// MinBenchmarkIndex is the slowest host the timing budgets are meant
	// for, as the sweep's start-up CPU benchmark scores it (a
	// Lighthouse-style index: the 2-core CI machine scores 850–1350 idle
	// and 500–800 beside two busy loops, about half of Lighthouse 12's
	// benchmarkIndex there). A host scoring below it, or loaded beyond its
	// cores, is named in show, the report and the summary: its timings may
	// be inflated. Default 600.
	MinBenchmarkIndex float64 `yaml:"min_benchmark_index" json:"min_benchmark_index"`
}

// BannedTerms adjusts the advertising-law term list.
type BannedTerms struct {
	// Extra terms to ban besides the built-in list. Default none.
	Extra []string `yaml:"extra" json:"extra"`
	// Allow are built-in terms not to report. Default none.
	Allow []string `yaml:"allow" json:"allow"`
}

// PII lists numbers that may appear (the shop's own hotline).
type PII struct {
	// Allow are numbers that are not reported. Default none.
	Allow []string `yaml:"allow" json:"allow"`
}

// Layout configures the layout rules.
type Layout struct {
	// NavMaxItems is the most top-level items a nav may have before
	// layout.nav-overloaded. Default 12; at least 1.
	NavMaxItems int `yaml:"nav_max_items" json:"nav_max_items"`
	// AboveFold are CSS selectors that must be inside the first viewport
	// (layout.promo-below-fold); none may be empty. Default none.
	AboveFold []string `yaml:"above_fold" json:"above_fold"`
}

// Images configures the image rules.
type Images struct {
	// MinSize is the rendered size in CSS px (both sides) under which an
	// image is not analysed. Default 100; above 0.
	MinSize int `yaml:"min_size" json:"min_size"`
	// MaxMegapixels is the decoded size above which an image is not decoded
	// (image.too-large). Default 40; above 0.
	MaxMegapixels float64 `yaml:"max_megapixels" json:"max_megapixels"`
	// BlurThreshold is the estimated blur radius, in px at the 800 px
	// analysis size, from which a picture is image.blurry. Default 1.08
	// (measured: see docs/rules.md, image rules); above 0.
	BlurThreshold float64 `yaml:"blur_threshold" json:"blur_threshold"`
	// LowResRatio is the fraction of the drawn device pixels an image must
	// have (image.low-resolution). Default 0.75; above 0.
	LowResRatio float64 `yaml:"low_res_ratio" json:"low_res_ratio"`
	// LowResSmallRatio replaces LowResRatio for images drawn 64 CSS px or
	// less. Default 1.0; above 0.
	LowResSmallRatio float64 `yaml:"low_res_small_ratio" json:"low_res_small_ratio"`
	// DistortMinPx and DistortMinPct: an image is image.distorted when its
	// drawn aspect is off by at least this many CSS px on an axis and this
	// percentage of the ratio. Defaults 3 and 4 (measured: 20–40 px icons
	// stretched under 3 px, and photos under 4 %, cannot be told from the
	// original; the table is in docs/rules.md); above 0.
	DistortMinPx  float64 `yaml:"distort_min_px" json:"distort_min_px"`
	DistortMinPct float64 `yaml:"distort_min_pct" json:"distort_min_pct"`
	// OversizedAreaRatio and OversizedMinBytes: image.oversized-file when the
	// decoded area exceeds this multiple of the drawn device-pixel area and
	// the file this many bytes. Defaults 4 and 200000; above 0.
	OversizedAreaRatio float64 `yaml:"oversized_area_ratio" json:"oversized_area_ratio"`
	OversizedMinBytes  int64   `yaml:"oversized_min_bytes" json:"oversized_min_bytes"`
	// OversizedMaxBytes: any image file over this many bytes is
	// image.oversized-file. Default 3000000; above oversized_min_bytes.
	OversizedMaxBytes int64 `yaml:"oversized_max_bytes" json:"oversized_max_bytes"`
	// GalleryMin is how many distinct pictures a product gallery must show
	// (product.few-images). Default 3; at least 1.
	GalleryMin int `yaml:"gallery_min" json:"gallery_min"`
	// DuplicateDistance is the largest perceptual-hash distance (0–64) at
	// which two gallery pictures count as one. Default 12; 0–63.
	DuplicateDistance int `yaml:"duplicate_distance" json:"duplicate_distance"`
	// DuplicateColourDiff is the largest mean difference (levels, 0–255) of
	// two pictures' 16×16 colour thumbnails at which they count as one.
	// Default 8; 0–255.
	DuplicateColourDiff float64 `yaml:"duplicate_colour_diff" json:"duplicate_colour_diff"`
}

// Retention prunes old runs; 0 keeps everything.
type Retention struct {
	// KeepRuns keeps this many newest runs per target. Default 0: all.
	KeepRuns int `yaml:"keep_runs" json:"keep_runs"`
	// KeepDays keeps runs started in the last this-many days. Default 0: all.
	KeepDays int `yaml:"keep_days" json:"keep_days"`
}

// Viewport names, as written in viewports and --viewport.
const (
	Desktop = "desktop"
	Mobile  = "mobile"
)

// Defaults returns the contract's defaults: the only place they are written
// down. Each call returns fresh slices and maps.
func Defaults() Config {
	return Config{
		Name:      "",
		StartURLs: []string{},
		Scope: Scope{
			MaxPages:      500,
			MaxDepth:      3,
			Include:       []string{},
			Exclude:       []string{},
			MaxRPS:        5,
			Robots:        "respect",
			BlockExternal: false,
			MaxDuration:   0,
		},
		Viewports:   []string{Desktop, Mobile},
		Concurrency: runtime.NumCPU(),
		PageTimeout: Duration(30 * time.Second),
		Locale:      "zh-CN",
		Timezone:    "Asia/Shanghai",
		UserAgent:   "",
		Headers:     map[string]string{},
		Cookies:     []Cookie{},
		BasicAuth:   BasicAuth{},
		TLSInsecure: false,
		Brand: Brand{
			Names:            []string{},
			ProtectedLogos:   []string{},
			LogoOptional:     []string{},
			LogoMatchMax:     52,
			LogoDistortPct:   5,
			LogoColourDeltaE: 15,
			LogoPartsMin:     45,
			LogoPartsLocal:   180,
			LogoPartsColour:  40,
			LogoMinSharpness: 0.77,
			LogoUpscaleMax:   1.0,
		},
		Campaign: Campaign{Pages: []string{}},
		Promo:    Promo{StaleAfterDays: 3},
		OCR: OCR{
			Enabled:       true,
			Tesseract:     "",
			Languages:     "chi_sim+eng",
			MinPx:         120,
			MaxPerPage:    40,
			MinConfidence: 60,
		},
		ProductPages: []string{},
		Budgets: Budgets{
			LoadMs:    3000,
			LCPMs:     2500,
			FCPMs:     1800,
			CLS:       0.1,
			TBTMs:     200,
			PageBytes: 3_000_000,

			ConfirmRuns:       2,
			MinBenchmarkIndex: 600,
		},
		BannedTerms: BannedTerms{Extra: []string{}, Allow: []string{}},
		PII:         PII{Allow: []string{}},
		Layout:      Layout{NavMaxItems: 12, AboveFold: []string{}},
		Images: Images{
			MinSize:             100,
			MaxMegapixels:       40,
			BlurThreshold:       1.08,
			LowResRatio:         0.75,
			LowResSmallRatio:    1.0,
			DistortMinPx:        3,
			DistortMinPct:       4,
			OversizedAreaRatio:  4,
			OversizedMinBytes:   200_000,
			OversizedMaxBytes:   3_000_000,
			GalleryMin:          3,
			DuplicateDistance:   12,
			DuplicateColourDiff: 8,
		},
		Retention:     Retention{KeepRuns: 0, KeepDays: 0},
		DB:            "storecheck.db",
		RemoteBrowser: []string{},
		Settle:        Duration(time.Second),
		Repeat:        1,
	}
}

// TargetName is Name, or when that is empty the host (without port) of the
// first start URL, or "" when there is none.
func (c Config) TargetName() string {
	if c.Name != "" {
		return c.Name
	}
	if len(c.StartURLs) == 0 {
		return ""
	}
	u, err := url.Parse(c.StartURLs[0])
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// Location is the time zone of Timezone; UTC when it does not load (Validate
// rejects such a Config).
func (c Config) Location() *time.Location {
	loc, err := loadLocation(c.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// CampaignWindow is the campaign's start and end in Location; a zero time for
// a bound that is unset or does not parse (Validate rejects the latter).
func (c Config) CampaignWindow() (start, end time.Time) {
	loc := c.Location()
	if c.Campaign.Start != "" {
		start, _ = parseTime(c.Campaign.Start, loc, false)
	}
	if c.Campaign.End != "" {
		end, _ = parseTime(c.Campaign.End, loc, true)
	}
	return start, end
}

// Redacted returns a copy with secrets replaced by "REDACTED": the basic-auth
// password, cookie values, header values and the password of a PostgreSQL
// db URL.
func (c Config) Redacted() Config {
	const mask = "REDACTED"
	if c.BasicAuth.Password != "" {
		c.BasicAuth.Password = mask
	}
	if u, err := url.Parse(c.DB); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), mask)
			c.DB = u.String()
		}
	}
	if c.Cookies != nil {
		cs := make([]Cookie, len(c.Cookies))
		copy(cs, c.Cookies)
		for i := range cs {
			if cs[i].Value != "" {
				cs[i].Value = mask
			}
		}
		c.Cookies = cs
	}
	if c.Headers != nil {
		hs := make(map[string]string, len(c.Headers))
		for k, v := range c.Headers {
			if v != "" {
				v = mask
			}
			hs[k] = v
		}
		c.Headers = hs
	}
	return c
}

// JSON is the effective configuration (the config-file keys, secrets
// redacted) as compact JSON, to store with a run. The same Config always
// gives the same bytes (struct order, sorted map keys). JSON is YAML, so the
// output loads back as a config file.
func (c Config) JSON() []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c.Redacted()); err != nil {
		// Only unsupported values (NaN, ±Inf) can fail; Validate rejects them.
		return []byte("null")
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
