package sweep

import (
	"context"
	"testing"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/config"
)

// A sweep takes the full-page screenshot of the visits whose findings
// outline a region of the page, and of no other: the question asked while
// the tab is open gives the answer the stored findings give. The pages are
// a clipped title (layout.clipped-text outlines the title) and its clean
// near-miss, in both viewports.
func TestFullScreenshotOnlyForOutlines(t *testing.T) {
	cfg := fixtureSweep(t, []string{config.Desktop, config.Mobile}, `^/layout/(clipped-title|ellipsis)\.html$`)
	res, db := runFixtureSweep(t, cfg)
	outlined := map[string]bool{} // URL viewport
	for _, f := range res.Run.Findings {
		if checks.Outlines([]checks.Finding{f}) {
			outlined[f.URL+" "+f.Viewport] = true
		}
	}
	if !outlined[cfg.StartURLs[0]+"layout/clipped-title.html desktop"] {
		t.Fatalf("no outlined finding on the clipped title: the test no longer covers a wanted screenshot; findings %+v", res.Run.Findings)
	}
	if len(res.Run.Pages) != 6 {
		t.Fatalf("%d visits, want 3 pages × 2 viewports", len(res.Run.Pages))
	}
	for _, pg := range res.Run.Pages {
		full, h, err := db.FullScreenshot(context.Background(), pg.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := outlined[pg.URL+" "+pg.Viewport]; (len(full) > 0 && h > 0) != want {
			t.Errorf("%s %s: full-page screenshot %d bytes, height %d; outlined finding %v", pg.URL, pg.Viewport, len(full), h, want)
		}
	}
	if res.FullScreenshots != len(outlined) {
		t.Errorf("%d visits took a full-page screenshot, want the %d with an outlined finding", res.FullScreenshots, len(outlined))
	}
}
