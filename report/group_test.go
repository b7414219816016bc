package report

import (
	"fmt"
	"slices"
	"testing"

	"github.com/storecheck/storecheck/checks"
)

// TestGroups: one rule about one subject on many pages and viewports is one
// group, subjects that differ only where fingerprints normalise them too;
// groups come most severe first, then on most pages.
func TestGroups(t *testing.T) {
	f := func(rule string, sev checks.Severity, url, vp, subject string) checks.Finding {
		return checks.Finding{Rule: rule, Severity: sev, URL: url, Viewport: vp, Subject: subject}
	}
	var fs []checks.Finding
	for i := range 3 {
		url := fmt.Sprintf("https://shop.test/p/%d", i)
		for _, vp := range []string{"desktop", "mobile"} {
			// the shared header's icon, a cache-buster per page
			fs = append(fs, f("image.distorted", checks.SeverityWarning, url, vp, fmt.Sprintf("https://cdn.shop.test/icon.png?v=%d", i)))
		}
	}
	fs = append(fs,
		f("image.distorted", checks.SeverityWarning, "https://shop.test/p/1", "desktop", "https://cdn.shop.test/hero.jpg"),
		f("page.missing-title", checks.SeverityWarning, "https://shop.test/p/1", "mobile", ""),
		f("page.missing-title", checks.SeverityWarning, "https://shop.test/p/2", "mobile", ""),
		f("price.missing", checks.SeverityError, "https://shop.test/p/2", "desktop", "茶"),
	)
	type got struct {
		rule, subject string
		sev           checks.Severity
		findings      int
		urls, vps     []string
	}
	var out []got
	for _, g := range Groups(fs) {
		out = append(out, got{g.Rule, g.Subject, g.Severity, len(g.Findings), g.URLs(), g.Viewports()})
	}
	want := []got{
		{"price.missing", "茶", checks.SeverityError, 1, []string{"https://shop.test/p/2"}, []string{"desktop"}},
		{"image.distorted", "https://cdn.shop.test/icon.png?v=0", checks.SeverityWarning, 6,
			[]string{"https://shop.test/p/0", "https://shop.test/p/1", "https://shop.test/p/2"}, []string{"desktop", "mobile"}},
		{"page.missing-title", "", checks.SeverityWarning, 2, []string{"https://shop.test/p/1", "https://shop.test/p/2"}, []string{"mobile"}},
		{"image.distorted", "https://cdn.shop.test/hero.jpg", checks.SeverityWarning, 1, []string{"https://shop.test/p/1"}, []string{"desktop"}},
	}
	if len(out) != len(want) {
		t.Fatalf("%d groups, want %d: %+v", len(out), len(want), out)
	}
	for i := range want {
		g, w := out[i], want[i]
		if g.rule != w.rule || g.subject != w.subject || g.sev != w.sev || g.findings != w.findings ||
			!slices.Equal(g.urls, w.urls) || !slices.Equal(g.vps, w.vps) {
			t.Errorf("group %d: %+v, want %+v", i, g, w)
		}
	}
}
