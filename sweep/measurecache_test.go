package sweep

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler/rodrender"
	"github.com/storecheck/storecheck/internal/testsite"
	"github.com/storecheck/storecheck/storage"
)

// needBrowser returns the Chromium to sweep with, skipping the test when
// there is none, except in CI (CI=true), where a missing browser fails it.
func needBrowser(t *testing.T) string {
	t.Helper()
	p, err := rodrender.FindBrowser("")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but no browser: %v", err)
		}
		t.Skip("no Chromium installed: apt-get install chromium")
	}
	return p
}

// The pictures a sweep measured are not decoded again by the next sweep of
// the unchanged shop, and the cache changes nothing it finds: a sweep with
// a cold cache and one with a warm cache into one database store the same
// findings, with the same evidence and pictures. The pages fire the rules
// that read measures: image.blurry (sharpness), logo.distorted and
// logo.low-quality (logo comparison and sharpness), logo.foreign (protected
// marks), product.few-images and content.duplicate-listing (perceptual hash
// and colour thumbnail).
func TestMeasureCacheAcrossSweeps(t *testing.T) {
	cfg := fixtureSweep(t, []string{config.Desktop},
		`^/(image/blurry|logo/(stretched|blurred|foreign)|product/few-images|listing/same-photo)\.html$`)

	sweep := func() (Result, []string) {
		t.Helper()
		res, db := runFixtureSweep(t, cfg)
		pics, err := db.EvidenceImages(context.Background(), res.Run.Run.ID)
		if err != nil {
			t.Fatal(err)
		}
		return res, findingLines(t, res.Run.Findings, pics)
	}

	cold, coldFindings := sweep()
	warm, warmFindings := sweep()
	if cold.Run.Run.Pages != 7 {
		t.Fatalf("cold sweep checked %d pages, want the index and 6 pages under test", cold.Run.Run.Pages)
	}
	fired := map[string]bool{}
	for _, f := range cold.Run.Findings {
		fired[f.Rule] = true
	}
	for _, rule := range []string{"image.blurry", "logo.distorted", "logo.low-quality", "logo.foreign",
		"product.few-images", "content.duplicate-listing"} {
		if !fired[rule] {
			t.Errorf("the cold sweep did not report %s: the test no longer covers its measures", rule)
		}
	}
	if !strings.Contains(strings.Join(coldFindings, "\n"), " [flagged ") {
		t.Error("no finding of the cold sweep has a flagged picture: the cached thumbnails are not compared")
	}
	if got, want := strings.Join(warmFindings, "\n"), strings.Join(coldFindings, "\n"); got != want {
		t.Errorf("warm sweep's findings differ from the cold sweep's:\n--- cold\n%s\n--- warm\n%s", want, got)
	}
	c, w := cold.Measures, warm.Measures
	t.Logf("cold %+v; warm %+v", c, w)
	if c.Decoded == 0 || c.Saved == 0 {
		t.Errorf("cold sweep: %+v, want pictures decoded and saved", c)
	}
	if w.Decoded != 0 || w.Loaded != c.Saved || w.Saved != 0 || w.LoadErrors != 0 {
		t.Errorf("warm sweep: %+v, want nothing decoded or saved and all %d stored measures loaded", w, c.Saved)
	}
}

// fixtureSweep configures a sweep of the fixture site in viewports: its
// index and the pages whose paths match pagePattern, reached through the
// index's links (a product page is a product, not the home page, only when
// reached by a link), at concurrency 2 with a short settle, no OCR (its
// cache is another test's) and the fixtures' clock, into a fresh database.
func fixtureSweep(t *testing.T, viewports []string, pagePattern string) *config.Config {
	t.Helper()
	browser := needBrowser(t)
	root := testsite.Dir(t, "fixtures")
	site := testsite.Start(t, root, testsite.Options{})
	cfg, err := config.Load(filepath.Join(root, "storecheck.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.StartURLs = []string{site.URL + "/"}
	cfg.Scope.Include = []string{`^/$`, pagePattern}
	cfg.Scope.MaxDepth = 1
	cfg.DB = filepath.Join(t.TempDir(), "sweep.db")
	cfg.Browser = browser
	cfg.Viewports = viewports
	cfg.Concurrency = 2
	cfg.Settle = config.Duration(200 * time.Millisecond)
	cfg.OCR.Enabled = false
	cfg.Now = time.Date(2026, 11, 5, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	return &cfg
}

// runFixtureSweep runs the sweep cfg and opens its database, closed when
// the test ends.
func runFixtureSweep(t *testing.T, cfg *config.Config) (Result, *storage.DB) {
	t.Helper()
	res, err := Run(context.Background(), cfg, Options{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("sweep: %v", err)
	}
	db, err := storage.Open(context.Background(), cfg.DB)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return res, db
}

// findingLines are a run's findings as comparable lines, rule first, with
// their evidence and pictures (role, type, size and a digest of the
// bytes). perf.* findings are left out: they judge timings, which vary
// from one sweep to the next and no measure touches.
func findingLines(t *testing.T, fs []checks.Finding, pics map[string][]checks.EvidenceImage) []string {
	t.Helper()
	var out []string
	for _, f := range fs {
		if strings.HasPrefix(f.Rule, "perf.") {
			continue
		}
		ev, err := json.Marshal(f.Evidence)
		if err != nil {
			t.Fatal(err)
		}
		// Both sweeps read one server: URLs are equal as they are.
		line := fmt.Sprintf("%s %s %s %s %s %q %s", f.Rule, f.URL, f.Viewport, f.Subject, f.Severity, f.Message, ev)
		for _, im := range pics[f.Fingerprint] {
			line += fmt.Sprintf(" [%s %s %dx%d %x]", im.Role, im.MIME, im.W, im.H, sha256.Sum256(im.Data))
		}
		out = append(out, line)
	}
	return out
}
