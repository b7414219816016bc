package config

import (
	"encoding/json"
	"errors"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestDefaults holds Defaults to the contract's "Config keys and defaults".
func TestDefaults(t *testing.T) {
	d := Defaults()
	covered := map[string]bool{}
	for _, tc := range []struct {
		key       string
		got, want any
	}{
		{"name", d.Name, ""},
		{"start_urls", d.StartURLs, []string{}},
		{"scope.max_pages", d.Scope.MaxPages, 500},
		{"scope.max_depth", d.Scope.MaxDepth, 3},
		{"scope.include", d.Scope.Include, []string{}},
		{"scope.exclude", d.Scope.Exclude, []string{}},
		{"scope.max_rps", d.Scope.MaxRPS, 5.0},
		{"scope.robots", d.Scope.Robots, "respect"},
		{"scope.block_external", d.Scope.BlockExternal, false},
		{"scope.max_duration", d.Scope.MaxDuration, Duration(0)},
		{"viewports", d.Viewports, []string{"desktop", "mobile"}},
		{"concurrency", d.Concurrency, runtime.NumCPU()},
		{"page_timeout", d.PageTimeout, Duration(30 * time.Second)},
		{"locale", d.Locale, "zh-CN"},
		{"lang", d.Lang, ""},
		{"timezone", d.Timezone, "Asia/Shanghai"},
		{"user_agent", d.UserAgent, ""},
		{"headers", d.Headers, map[string]string{}},
		{"cookies", d.Cookies, []Cookie{}},
		{"basic_auth", d.BasicAuth, BasicAuth{}},
		{"tls_insecure", d.TLSInsecure, false},
		{"brand", d.Brand, Brand{Names: []string{}, ProtectedLogos: []string{}, LogoOptional: []string{},
			LogoMatchMax: 52, LogoDistortPct: 5, LogoColourDeltaE: 15, LogoPartsMin: 45, LogoPartsLocal: 180,
			LogoPartsColour: 40, LogoMinSharpness: 0.77, LogoUpscaleMax: 1}},
		{"campaign", d.Campaign, Campaign{Pages: []string{}}},
		{"promo", d.Promo, Promo{StaleAfterDays: 3}},
		{"ocr", d.OCR, OCR{Enabled: true, Languages: "chi_sim+eng", MinPx: 120, MaxPerPage: 40, MinConfidence: 60}},
		{"product_pages", d.ProductPages, []string{}},
		{"budgets", d.Budgets, Budgets{LoadMs: 3000, LCPMs: 2500, FCPMs: 1800, CLS: 0.1, TBTMs: 200, PageBytes: 3000000,
			ConfirmRuns: 2, MinBenchmarkIndex: 600}},
		{"banned_terms", d.BannedTerms, BannedTerms{Extra: []string{}, Allow: []string{}}},
		{"pii", d.PII, PII{Allow: []string{}}},
		{"layout", d.Layout, Layout{NavMaxItems: 12, AboveFold: []string{}}},
		{"images", d.Images, Images{MinSize: 100, MaxMegapixels: 40, BlurThreshold: 1.08, LowResRatio: 0.75,
			LowResSmallRatio: 1, DistortMinPx: 3, DistortMinPct: 4, OversizedAreaRatio: 4, OversizedMinBytes: 200_000,
			OversizedMaxBytes: 3_000_000, GalleryMin: 3, DuplicateDistance: 12, DuplicateColourDiff: 8}},
		{"retention", d.Retention, Retention{KeepRuns: 0, KeepDays: 0}},
		{"db", d.DB, "storecheck.db"},
		{"remote_browsers", d.RemoteBrowser, []string{}},
		{"Now (flag only)", d.Now, time.Time{}},
		{"FailOn (flag only)", d.FailOn, ""},
		{"Settle (flag only)", d.Settle, Duration(time.Second)},
		{"FilePath", d.FilePath, ""},
	} {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("default %s = %#v, want %#v", tc.key, tc.got, tc.want)
		}
		top, _, _ := strings.Cut(tc.key, ".")
		covered[top] = true
	}
	for key := range yamlFields(reflect.TypeFor[Config]()) {
		if !covered[key] {
			t.Errorf("key %s has no line in TestDefaults", key)
		}
	}
	if err := d.Validate(); err != nil {
		t.Errorf("Defaults().Validate() = %v", err)
	}
}

func TestDefaultsAreFresh(t *testing.T) {
	a := Defaults()
	a.Viewports[0] = "tablet"
	a.Headers["X"] = "y"
	b := Defaults()
	if b.Viewports[0] != Desktop || len(b.Headers) != 0 {
		t.Errorf("Defaults shares state between calls: %v %v", b.Viewports, b.Headers)
	}
}

func TestTargetName(t *testing.T) {
	for _, tc := range []struct {
		name string
		urls []string
		want string
	}{
		{"Shop", []string{"https://a.example.com/"}, "Shop"},
		{"", []string{"https://Shop.Example.com:8443/x", "https://b.example.com/"}, "shop.example.com"},
		{"", []string{"http://127.0.0.1:34567/"}, "127.0.0.1"},
		{"", nil, ""},
	} {
		c := Defaults()
		c.Name, c.StartURLs = tc.name, tc.urls
		if got := c.TargetName(); got != tc.want {
			t.Errorf("TargetName(%q, %v) = %q, want %q", tc.name, tc.urls, got, tc.want)
		}
	}
}

func TestLocation(t *testing.T) {
	c := Defaults()
	if got := c.Location().String(); got != "Asia/Shanghai" {
		t.Errorf("Location() = %s, want Asia/Shanghai", got)
	}
	c.Timezone = "Nowhere/Atlantis"
	if got := c.Location(); got != time.UTC {
		t.Errorf("Location() of a bad zone = %s, want UTC", got)
	}
}

func TestCampaignWindow(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	for _, tc := range []struct {
		start, end string
		ws, we     time.Time
	}{
		{"", "", time.Time{}, time.Time{}},
		{"2025-11-01", "2025-11-11", time.Date(2025, 11, 1, 0, 0, 0, 0, sh), time.Date(2025, 11, 11, 23, 59, 59, 0, sh)},
		{"2025-11-01 20:00", "2025-11-11 23:59:30", time.Date(2025, 11, 1, 20, 0, 0, 0, sh), time.Date(2025, 11, 11, 23, 59, 30, 0, sh)},
		{"2025-11-01T20:00:00Z", "", time.Date(2025, 11, 1, 20, 0, 0, 0, time.UTC), time.Time{}},
		{"", "2025-11-11T08:00", time.Time{}, time.Date(2025, 11, 11, 8, 0, 0, 0, sh)},
	} {
		c := Defaults()
		c.Campaign.Start, c.Campaign.End = tc.start, tc.end
		s, e := c.CampaignWindow()
		if !s.Equal(tc.ws) || !e.Equal(tc.we) {
			t.Errorf("CampaignWindow(%q, %q) = %v, %v; want %v, %v", tc.start, tc.end, s, e, tc.ws, tc.we)
		}
	}
}

func TestJSON(t *testing.T) {
	c := Defaults()
	c.Concurrency = 2
	c.Headers = map[string]string{"b": "2", "a": "1", "Empty": ""}
	c.Cookies = []Cookie{{Name: "s", Value: "secret"}}
	c.BasicAuth = BasicAuth{User: "u", Password: "p"}
	c.Scope.Include = []string{"<a&b>"}
	c.DB = "postgres://qc:pgsecret@db.internal:5432/storecheck?sslmode=require"
	got := string(c.JSON())
	if got != string(c.JSON()) {
		t.Fatal("JSON is not deterministic")
	}
	if !json.Valid([]byte(got)) {
		t.Fatalf("JSON is not valid: %s", got)
	}
	for _, want := range []string{
		`"headers":{"Empty":"","a":"REDACTED","b":"REDACTED"}`,
		`"cookies":[{"name":"s","value":"REDACTED","domain":"","path":""}]`,
		`"basic_auth":{"user":"u","password":"REDACTED"}`,
		`"db":"postgres://qc:REDACTED@db.internal:5432/storecheck?sslmode=require"`,
		`"include":["<a&b>"]`,
		`"page_timeout":"30s"`,
		`"max_duration":"0s"`,
		`"concurrency":2,`,
		`"start_urls":[]`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("JSON lacks %s:\n%s", want, got)
		}
	}
	for _, secret := range []string{"secret", `"p"`, `"1"`, "pgsecret"} {
		if strings.Contains(got, secret) {
			t.Errorf("JSON leaks %s", secret)
		}
	}
	if c.Cookies[0].Value != "secret" || c.Headers["a"] != "1" {
		t.Error("JSON redacted the Config itself, not a copy")
	}
	for _, flagOnly := range []string{"settle", "fail_on", "now", "FilePath", "quiet"} {
		if strings.Contains(got, flagOnly) {
			t.Errorf("JSON holds flag-only field %s", flagOnly)
		}
	}
}

func TestDuration(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Duration
		err  string
	}{
		{"30s", Duration(30 * time.Second), ""},
		{"1m30s", Duration(90 * time.Second), ""},
		{"0", 0, ""},
		{"0s", 0, ""},
		{"30", 0, "want a duration"},
		{"-1s", 0, "must not be negative"},
		{"soon", 0, "want a duration"},
	} {
		got, err := ParseDuration(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseDuration(%q) error = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	var d Duration
	if err := json.Unmarshal([]byte(`"1m30s"`), &d); err != nil || d != Duration(90*time.Second) {
		t.Errorf("UnmarshalJSON = %v, %v", d, err)
	}
	if err := json.Unmarshal([]byte(`90`), &d); err == nil {
		t.Error("UnmarshalJSON accepted a number")
	}
	if b, _ := json.Marshal(Duration(90 * time.Second)); string(b) != `"1m30s"` {
		t.Errorf("MarshalJSON = %s", b)
	}
}

func TestErrorFormat(t *testing.T) {
	for _, tc := range []struct {
		err  *Error
		want string
	}{
		{&Error{File: "s.yaml", Line: 7, Key: "scope.max_pages", Msg: "must be at least 1"}, `s.yaml:7: key "scope.max_pages": must be at least 1`},
		{&Error{File: "s.yaml", Line: 7, Key: "scope.max_pagez", Err: ErrUnknownKey}, `s.yaml:7: unknown key "scope.max_pagez"`},
		{&Error{File: "s.yaml", Msg: "cannot read config file: no such file or directory"}, `s.yaml: cannot read config file: no such file or directory`},
		{&Error{Key: "--concurrency", Msg: "must be at least 1"}, `--concurrency: must be at least 1`},
		{&Error{Key: ArgURL, Msg: `"x" is bad`}, `URL argument: "x" is bad`},
		{&Error{Key: "concurrency", Msg: "must be at least 1"}, `key "concurrency": must be at least 1`},
		{&Error{Line: 3, Msg: "m"}, `line 3: m`},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %s, want %s", got, tc.want)
		}
	}
	e := &Error{Err: ErrUnknownKey}
	if !errors.Is(e, ErrUnknownKey) {
		t.Error("errors.Is(*Error, ErrUnknownKey) = false")
	}
}
