package config

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated key list in docs/config.md")

// Every key of Defaults has a comment in keyDocs, and every comment names a key.
func TestReferenceKeys(t *testing.T) {
	keys := referenceKeys()
	for _, k := range keys {
		if strings.TrimSpace(keyDocs[k]) == "" {
			t.Errorf("config key %s has no comment in keyDocs (config/reference.go)", k)
		}
	}
	for k := range keyDocs {
		if !slices.Contains(keys, k) {
			t.Errorf("keyDocs has a comment for %s, which is no config key", k)
		}
	}
}

// The block loads back as Defaults: the values shown are the defaults, and
// the block is a valid config file a user can start from.
func TestReferenceLoads(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, DefaultFile)
	got, err := parse(path, path, []byte(Reference()))
	if err != nil {
		t.Fatalf("the reference block does not load: %v\n%s", err, Reference())
	}
	want := Defaults()
	want.Concurrency = referenceConcurrency
	want.resolvePaths(dir)
	if g, w := string(got.JSON()), string(want.JSON()); g != w {
		t.Errorf("the reference block loads as\n%s\nwant Defaults()\n%s", g, w)
	}
}

// docs/config.md holds Reference between its markers; it must not drift.
func TestReferenceDoc(t *testing.T) {
	const begin, end = "<!-- config:begin -->\n", "<!-- config:end -->"
	path := filepath.Join("..", "docs", "config.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no %q … %q markers", path, begin, end)
	}
	want := "```yaml\n" + Reference() + "```\n"
	if got := doc[i+len(begin) : j]; got != want {
		if *update {
			if err := os.WriteFile(path, []byte(doc[:i+len(begin)]+want+doc[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("%s is stale; run: go test ./config -run TestReferenceDoc -update\n got:\n%s\nwant:\n%s", path, got, want)
	}
}
