package report_test

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/lang"
	"github.com/storecheck/storecheck/report"
	"github.com/storecheck/storecheck/storage"
)

// TestInspectionPage: the report opens with the inspection (抽检结论):
// the verdict, every area, the groups to fix first, the rectifications
// with an overdue one marked; a defect on every page (the shop's overlap)
// is one group "on 4 pages" whose pages unfold; page text stays inert.
func TestInspectionPage(t *testing.T) {
	s := buildShop(t, t.TempDir(), 4)
	var overlap checks.Finding
	for _, f := range s.head.Findings {
		if f.Rule == "layout.overlap" {
			overlap = f
			break
		}
	}
	if err := s.db.Assign(context.Background(), "shop", []string{overlap.Fingerprint},
		storage.Assignment{Owner: "美工-小李", Due: "2026-11-01"}); err != nil { // the head run's clock is 11-02
		t.Fatal(err)
	}
	in := s.input(t)
	in.Lang = lang.ZH
	var buf bytes.Buffer
	if err := report.WriteHTML(context.Background(), &buf, in, s.db); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	insp, summary := strings.Index(out, `<section id="inspection">`), strings.Index(out, `<section id="summary">`)
	if insp < 0 || summary < insp {
		t.Fatalf("the inspection section is not first (at %d, summary at %d)", insp, summary)
	}
	first := out[insp:summary]
	want := []string{`class="verdict fail"`, "不合格", "优先整改（前十）", "整改跟踪", "涉及 4 个页面",
		`<tr class="overdue"><td>美工-小李</td><td>2026-11-01 · 已逾期</td>`,
		checks.Advice("layout.overlap", lang.ZH)} // the advice under the top group
	for _, a := range checks.Areas {
		want = append(want, map[string]string{"page": "页面规范", "display": "商品展示", "price": "价格与促销",
			"brand": "品牌标识", "adlaw": "广告合规", "consumer": "消费者信息"}[a])
	}
	for _, w := range want {
		if !strings.Contains(first, w) {
			t.Errorf("the inspection section lacks %q", w)
		}
	}
	rows := regexp.MustCompile(`(?s)<tr class="group" data-rule="layout.overlap"[^>]*>.*?</tr>`).FindAllString(out, -1)
	if len(rows) != 1 {
		t.Fatalf("%d problem rows for layout.overlap, want one group", len(rows))
	}
	if n := strings.Count(rows[0], `<li class="url">`); n != 4 || !strings.Contains(rows[0], "<details>") {
		t.Errorf("the group unfolds to %d pages, want 4: %s", n, rows[0])
	}
	if strings.Contains(out, "<img src=x onerror") {
		t.Error("a subject from the page was not escaped")
	}
}

// TestFixFirstOrder: among groups of one severity, one on a campaign page
// (the run's campaign.pages) or the home page comes before one on more
// pages elsewhere.
func TestFixFirstOrder(t *testing.T) {
	s := buildShop(t, t.TempDir(), 4)
	in := s.input(t)
	run := *in.Run
	run.Run.ConfigJSON = []byte(`{"campaign":{"pages":["/promo/"]}}`)
	promo := checks.Finding{Rule: "perf.slow-load", Severity: checks.SeverityWarning, URL: "http://shop.test/promo/1111.html",
		Viewport: "mobile", Subject: "load_ms", Message: "slow", Fingerprint: "promo-slow"}
	run.Findings = append(slices.Clone(run.Findings), promo)
	in.Run = &run
	var buf bytes.Buffer
	if err := report.WriteHTML(context.Background(), &buf, in, s.db); err != nil {
		t.Fatal(err)
	}
	top := buf.String()
	top = top[strings.Index(top, `<ol class="top">`):]
	top = top[:strings.Index(top, "</ol>")]
	slow, overlap := strings.Index(top, "perf.slow-load"), strings.Index(top, "layout.overlap")
	if slow < 0 || overlap < 0 || slow > overlap || !strings.Contains(top, "on a campaign page") {
		t.Errorf("the campaign page's warning (at %d) should come before the overlap on 4 pages (at %d):\n%s", slow, overlap, top)
	}
}
