package config

import (
	"fmt"
	"math"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/storecheck/storecheck/lang"
)

// Validate checks every value and returns the first fault as a *Error. A
// value from the config file is named by key and line, one set by a flag by
// the flag (so call it again after ApplyFlags, which does), one set in code
// by its key alone.
func (c *Config) Validate() error {
	for _, check := range []func() error{
		c.validateURLs,
		c.validateScope,
		c.validateRun,
		c.validateRequests,
		c.validateRules,
		c.validateFlagsOnly,
	} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// KeyError is the *Error about key that a consumer of the config finds
// after loading (an unreadable brand.logo image): named by the flag that set
// key, else by its line in the config file, like every loading error.
func (c *Config) KeyError(key, format string, args ...any) *Error {
	return c.bad(key, format, args...)
}

// bad builds the error for key: named by the flag that set it, else by the
// config file's line.
func (c *Config) bad(key, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	if c.src == nil {
		return &Error{Key: key, Msg: msg}
	}
	for k := key; k != ""; k = parentKey(k) {
		if flag, ok := c.src.flags[k]; ok {
			return &Error{Key: flag, Msg: msg}
		}
	}
	for k := key; k != ""; k = parentKey(k) {
		if line, ok := c.src.lines[k]; ok {
			return &Error{File: c.src.file, Line: line, Key: key, Msg: msg}
		}
	}
	return &Error{Key: key, Msg: msg}
}

// parentKey strips the last element of a key path: "a.b[2]" -> "a.b" -> "a".
func parentKey(k string) string {
	if i := strings.LastIndexAny(k, ".["); i >= 0 {
		return k[:i]
	}
	return ""
}

func (c *Config) validateURLs() error {
	for i, u := range c.StartURLs {
		if err := checkURL(u, "http", "https"); err != nil {
			return c.bad(fmt.Sprintf("start_urls[%d]", i), "%q %s", u, err)
		}
	}
	for i, u := range c.RemoteBrowser {
		if err := checkURL(u, "ws", "wss", "http", "https"); err != nil {
			return c.bad(fmt.Sprintf("remote_browsers[%d]", i), "%q %s", u, err)
		}
	}
	return nil
}

// checkURL reports, as a phrase after the URL, why raw is not an absolute
// URL with a host and one of schemes.
func checkURL(raw string, schemes ...string) error {
	want := strings.Join(schemes, "://, ") + "://"
	u, err := url.Parse(raw)
	if err != nil || !slices.Contains(schemes, strings.ToLower(u.Scheme)) || u.Host == "" {
		return fmt.Errorf("is not an absolute URL (want %s and a host)", want)
	}
	return nil
}

func (c *Config) validateScope() error {
	s := c.Scope
	if s.MaxPages < 1 {
		return c.bad("scope.max_pages", "must be at least 1, got %d", s.MaxPages)
	}
	if s.MaxDepth < 0 {
		return c.bad("scope.max_depth", "must not be negative, got %d", s.MaxDepth)
	}
	if err := c.regexes("scope.include", s.Include); err != nil {
		return err
	}
	if err := c.regexes("scope.exclude", s.Exclude); err != nil {
		return err
	}
	if !positive(s.MaxRPS) {
		return c.bad("scope.max_rps", "must be above 0, got %v", s.MaxRPS)
	}
	if s.Robots != "respect" && s.Robots != "ignore" {
		return c.bad("scope.robots", "want respect or ignore, got %q", s.Robots)
	}
	if s.MaxDuration < 0 {
		return c.bad("scope.max_duration", "must not be negative, got %s", s.MaxDuration)
	}
	return nil
}

func (c *Config) validateRun() error {
	if c.Lang != "" {
		if _, err := lang.Parse(c.Lang); err != nil {
			return c.bad("lang", "want zh-CN or en, got %q", c.Lang)
		}
	}
	if len(c.Viewports) == 0 {
		return c.bad("viewports", "must list at least one of desktop, mobile")
	}
	for i, v := range c.Viewports {
		if v != Desktop && v != Mobile {
			return c.bad(fmt.Sprintf("viewports[%d]", i), "want desktop or mobile, got %q", v)
		}
		if slices.Index(c.Viewports, v) < i {
			return c.bad(fmt.Sprintf("viewports[%d]", i), "%q is listed twice", v)
		}
	}
	if c.Concurrency < 1 {
		return c.bad("concurrency", "must be at least 1, got %d", c.Concurrency)
	}
	if c.PageTimeout <= 0 {
		return c.bad("page_timeout", "must be above 0, got %s", c.PageTimeout)
	}
	if c.Timezone == "" || c.Timezone == "Local" {
		return c.bad("timezone", "want an IANA zone name like Asia/Shanghai, got %q", c.Timezone)
	}
	if _, err := loadLocation(c.Timezone); err != nil {
		return c.bad("timezone", "unknown time zone %q", c.Timezone)
	}
	if c.DB == "" {
		return c.bad("db", "must not be empty")
	}
	if c.Retention.KeepRuns < 0 {
		return c.bad("retention.keep_runs", "must not be negative, got %d", c.Retention.KeepRuns)
	}
	if c.Retention.KeepDays < 0 {
		return c.bad("retention.keep_days", "must not be negative, got %d", c.Retention.KeepDays)
	}
	return nil
}

func (c *Config) validateRequests() error {
	for _, name := range sortedKeys(c.Headers) {
		key := "headers." + name
		if !isToken(name) {
			return c.bad(key, "%q is not a valid header name", name)
		}
		if strings.ContainsAny(c.Headers[name], "\r\n\x00") {
			return c.bad(key, "a header value must not contain CR, LF or NUL")
		}
	}
	for i, ck := range c.Cookies {
		key := fmt.Sprintf("cookies[%d]", i)
		if ck.Name == "" {
			return c.bad(key+".name", "a cookie needs a name")
		}
		if !isToken(ck.Name) {
			return c.bad(key+".name", "%q is not a valid cookie name", ck.Name)
		}
		if strings.ContainsFunc(ck.Value, func(r rune) bool { return r == ';' || r < ' ' || r == 0x7f }) {
			return c.bad(key+".value", "a cookie value must not contain ';' or control characters")
		}
	}
	if strings.Contains(c.BasicAuth.User, ":") {
		return c.bad("basic_auth.user", "must not contain ':'")
	}
	if c.BasicAuth.User == "" && c.BasicAuth.Password != "" {
		return c.bad("basic_auth.user", "a password is given without a user")
	}
	return nil
}

func (c *Config) validateRules() error {
	// brand.names are plain names (aliases of the brand), not patterns.
	for i, n := range c.Brand.Names {
		if strings.TrimSpace(n) == "" {
			return c.bad(fmt.Sprintf("brand.names[%d]", i), "must not be empty")
		}
	}
	if c.Brand.Logo != "" {
		if err := c.file("brand.logo", c.Brand.Logo); err != nil {
			return err
		}
	}
	for i, p := range c.Brand.ProtectedLogos {
		if err := c.file(fmt.Sprintf("brand.protected_logos[%d]", i), p); err != nil {
			return err
		}
	}
	if err := c.regexes("brand.logo_optional", c.Brand.LogoOptional); err != nil {
		return err
	}

	if err := c.validateCampaign(); err != nil {
		return err
	}
	if d := c.Promo.StaleAfterDays; d < 0 || d > 183 {
		return c.bad("promo.stale_after_days", "want 0–183 days (a festival is its occurrence within 183 days of now), got %d", d)
	}
	if err := c.validateOCR(); err != nil {
		return err
	}
	if err := c.regexes("product_pages", c.ProductPages); err != nil {
		return err
	}

	b := c.Budgets
	for _, f := range []struct {
		key string
		v   float64
	}{
		{"budgets.load_ms", b.LoadMs},
		{"budgets.lcp_ms", b.LCPMs},
		{"budgets.fcp_ms", b.FCPMs},
		{"budgets.cls", b.CLS},
		{"budgets.tbt_ms", b.TBTMs},
		{"budgets.page_bytes", float64(b.PageBytes)},
	} {
		if !positive(f.v) {
			return c.bad(f.key, "must be above 0, got %v", f.v)
		}
	}
	if b.ConfirmRuns < 0 || b.ConfirmRuns > 9 {
		return c.bad("budgets.confirm_runs", "want 0 to 9 more loads, got %d", b.ConfirmRuns)
	}
	if b.MinBenchmarkIndex < 0 {
		return c.bad("budgets.min_benchmark_index", "must not be negative, got %v", b.MinBenchmarkIndex)
	}

	for i, t := range c.BannedTerms.Extra {
		if strings.TrimSpace(t) == "" {
			return c.bad(fmt.Sprintf("banned_terms.extra[%d]", i), "must not be empty")
		}
	}
	if c.Layout.NavMaxItems < 1 {
		return c.bad("layout.nav_max_items", "must be at least 1, got %d", c.Layout.NavMaxItems)
	}
	for i, s := range c.Layout.AboveFold {
		if strings.TrimSpace(s) == "" {
			return c.bad(fmt.Sprintf("layout.above_fold[%d]", i), "want a CSS selector, got an empty string")
		}
	}
	if c.Images.MinSize <= 0 {
		return c.bad("images.min_size", "must be above 0, got %d", c.Images.MinSize)
	}
	return c.validateThresholds()
}

// validateThresholds checks the numeric thresholds of the image and logo
// rules: each must be a usable number in its range.
func (c *Config) validateThresholds() error {
	im, b := c.Images, c.Brand
	for _, f := range []struct {
		key string
		v   float64
	}{
		{"images.max_megapixels", im.MaxMegapixels},
		{"images.blur_threshold", im.BlurThreshold},
		{"images.low_res_ratio", im.LowResRatio},
		{"images.low_res_small_ratio", im.LowResSmallRatio},
		{"images.distort_min_px", im.DistortMinPx},
		{"images.distort_min_pct", im.DistortMinPct},
		{"images.oversized_area_ratio", im.OversizedAreaRatio},
		{"images.oversized_min_bytes", float64(im.OversizedMinBytes)},
		{"brand.logo_distort_pct", b.LogoDistortPct},
		{"brand.logo_colour_delta_e", b.LogoColourDeltaE},
		{"brand.logo_parts_local", b.LogoPartsLocal},
		{"brand.logo_parts_colour", b.LogoPartsColour},
	} {
		if !positive(f.v) {
			return c.bad(f.key, "must be above 0, got %v", f.v)
		}
	}
	switch {
	case im.OversizedMaxBytes <= im.OversizedMinBytes:
		return c.bad("images.oversized_max_bytes", "must be above images.oversized_min_bytes (%d), got %d", im.OversizedMinBytes, im.OversizedMaxBytes)
	case im.GalleryMin < 1:
		return c.bad("images.gallery_min", "must be at least 1, got %d", im.GalleryMin)
	case im.DuplicateDistance < 0 || im.DuplicateDistance > 63:
		return c.bad("images.duplicate_distance", "must be 0–63, got %d", im.DuplicateDistance)
	case !(im.DuplicateColourDiff >= 0 && im.DuplicateColourDiff <= 255):
		return c.bad("images.duplicate_colour_diff", "must be 0–255, got %v", im.DuplicateColourDiff)
	case b.LogoMatchMax < 1 || b.LogoMatchMax > 255:
		return c.bad("brand.logo_match_max", "must be 1–255, got %d", b.LogoMatchMax)
	case b.LogoPartsMin < 1 || b.LogoPartsMin > b.LogoMatchMax:
		return c.bad("brand.logo_parts_min", "must be 1–logo_match_max (%d), got %d", b.LogoMatchMax, b.LogoPartsMin)
	case !(b.LogoMinSharpness >= 0 && b.LogoMinSharpness <= 1):
		return c.bad("brand.logo_min_sharpness", "must be 0–1, got %v", b.LogoMinSharpness)
	case !(b.LogoUpscaleMax >= 1) || math.IsInf(b.LogoUpscaleMax, 0):
		return c.bad("brand.logo_upscale_max", "must be at least 1, got %v", b.LogoUpscaleMax)
	}
	return nil
}

func (c *Config) validateCampaign() error {
	loc := c.Location()
	var start, end time.Time
	var err error
	if s := c.Campaign.Start; s != "" {
		if start, err = parseTime(s, loc, false); err != nil {
			return c.bad("campaign.start", "%s", err)
		}
	}
	if s := c.Campaign.End; s != "" {
		if end, err = parseTime(s, loc, true); err != nil {
			return c.bad("campaign.end", "%s", err)
		}
	}
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		return c.bad("campaign.end", "%q is before campaign.start %q", c.Campaign.End, c.Campaign.Start)
	}
	return c.regexes("campaign.pages", c.Campaign.Pages)
}

func (c *Config) validateFlagsOnly() error {
	if c.FailOn != "" && c.FailOn != "error" && c.FailOn != "warning" {
		return &Error{Key: "--fail-on", Msg: fmt.Sprintf("want error or warning, got %q", c.FailOn)}
	}
	if c.Settle < 0 {
		return &Error{Key: "--settle", Msg: fmt.Sprintf("must not be negative, got %s", c.Settle)}
	}
	return nil
}

// CompilePatterns compiles the regexes of list, the value of key: the one
// place a user's pattern becomes a *regexp.Regexp, for Validate and for the
// runtime values built from a Config. A pattern that does not compile is an
// *Error naming the key and index (exit 2), never a panic.
func (c *Config) CompilePatterns(key string, list []string) ([]*regexp.Regexp, error) {
	out := make([]*regexp.Regexp, 0, len(list))
	for i, p := range list {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, c.bad(fmt.Sprintf("%s[%d]", key, i), "not a valid regex: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
		out = append(out, re)
	}
	return out, nil
}

// regexes checks that every entry of list, at key, compiles.
func (c *Config) regexes(key string, list []string) error {
	_, err := c.CompilePatterns(key, list)
	return err
}

// file checks that path names a readable regular file.
func (c *Config) file(key, path string) error {
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return c.bad(key, "cannot use %q: %s", path, unwrapPath(err))
	case !st.Mode().IsRegular():
		return c.bad(key, "%q is not a regular file", path)
	}
	return nil
}

func unwrapPath(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// positive reports whether f is a finite number above 0.
func positive(f float64) bool { return f > 0 && !math.IsInf(f, 0) }

// isToken reports whether s is an HTTP token (RFC 9110 5.6.2), as header
// and cookie names must be.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b >= 0x80 || b <= ' ' || b == 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, b) >= 0 {
			return false
		}
	}
	return true
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func loadLocation(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	return time.LoadLocation(name)
}

// timeLayouts are the forms campaign.start/end may take besides RFC3339;
// they are read in the config's timezone.
var timeLayouts = []string{
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
}

// parseTime reads s as RFC3339, or as one of timeLayouts or a bare date in
// loc. A bare date is the start of that day, or with endOfDay its last
// second.
func parseTime(s string, loc *time.Location, endOfDay bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		if endOfDay {
			t = t.AddDate(0, 0, 1).Add(-time.Second)
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf(`want a time like "2025-11-11T20:00:00+08:00", "2025-11-11 20:00" or "2025-11-11", got %q`, s)
}

// validateOCR checks the ocr keys. The program itself is looked for when a
// sweep starts: a missing tesseract only skips the picture judgments.
func (c *Config) validateOCR() error {
	o := c.OCR
	if o.Enabled && !langsRE.MatchString(o.Languages) {
		return c.bad("ocr.languages", "want trained languages joined by + (chi_sim+eng), got %q", o.Languages)
	}
	if o.MinPx < 1 || o.MinPx > 10000 {
		return c.bad("ocr.min_px", "want 1–10000 CSS px, got %d", o.MinPx)
	}
	if o.MaxPerPage < 1 || o.MaxPerPage > 1000 {
		return c.bad("ocr.max_per_page", "want 1–1000 pictures, got %d", o.MaxPerPage)
	}
	if o.MinConfidence < 0 || o.MinConfidence > 100 || math.IsNaN(o.MinConfidence) {
		return c.bad("ocr.min_confidence", "want 0–100 (Tesseract's word confidence), got %g", o.MinConfidence)
	}
	return nil
}

// langsRE matches Tesseract's -l value: trained-data names joined by +.
var langsRE = regexp.MustCompile(`^[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)*$`)
