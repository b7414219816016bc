package config

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"gopkg.in/yaml.v3"
)

// FuzzLoad: no input panics or hangs; every error is a *Error; whatever
// loads is valid and survives a YAML round trip.
func FuzzLoad(f *testing.F) {
	example, err := os.ReadFile("testdata/storecheck.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		string(example),
		"",
		"scope:\n  max_pages: 5\n",
		"scope: {max_pagez: 1}\n",
		"cookies:\n  - &c {name: a}\n  - <<: *c\n    value: b\n",
		"scope: &s\n  <<: *s\n",
		"headers: {X-A: b, <<: {X-B: c}}\n",
		"campaign: {start: 2025-11-01, end: 2025-11-11 20:00}\n",
		"viewports: [desktop, desktop]\n",
		"page_timeout: 1h\nscope: {max_duration: 0}\n",
		"- a\n",
		"name: [\n",
	} {
		f.Add([]byte(seed))
	}
	dir, err := filepath.Abs("testdata")
	if err != nil {
		f.Fatal(err)
	}
	file := filepath.Join(dir, "fuzz.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parse("fuzz.yaml", file, data)
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) || err.Error() == "" {
				t.Fatalf("error %v (%T) is not a *config.Error", err, err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("loaded but does not validate: %v", err)
		}
		if !json.Valid(c.JSON()) {
			t.Fatalf("JSON() is not valid JSON: %s", c.JSON())
		}
		out, err := yaml.Marshal(c)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		back, err := parse("fuzz.yaml", file, out)
		if err != nil {
			t.Fatalf("round trip: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(plain(back), plain(c)) {
			t.Fatalf("round trip differs:\n got %+v\nwant %+v\n%s", plain(back), plain(c), out)
		}
	})
}
