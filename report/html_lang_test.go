package report_test

import (
	"bytes"
	"context"
	"html/template"
	"slices"
	"strings"
	"testing"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/checks/fingerprint"
	"github.com/storecheck/storecheck/lang"
	"github.com/storecheck/storecheck/report"
)

// TestHTMLLanguages renders the same run in zh-CN and en (and with no
// language, which is en): the report's own words, its lang attribute and
// the script's "shown" format are the language's, finding messages come
// through as given, and a rule with advice shows it under its finding.
func TestHTMLLanguages(t *testing.T) {
	s := buildShop(t, t.TempDir(), 4)
	// A slow page: perf.slow-load has advice, the shop's other rules may
	// not have any yet.
	slowURL := s.head.Pages[0].URL
	slow := checks.Finding{Rule: "perf.slow-load", Severity: checks.SeverityWarning, URL: slowURL,
		Viewport: s.head.Pages[0].Viewport, Subject: "load_ms", Msg: checks.M("perf.slow-load/load", "4200", "3000"),
		Fingerprint: fingerprint.Of("perf.slow-load", s.head.Pages[0].Viewport, slowURL, "load_ms")}
	headings := []string{">Summary<", ">Changes<", ">Trends<", ">Pages<"}
	tests := []struct {
		tag     lang.Tag
		want    []string
		notWant []string
	}{
		{lang.ZH,
			[]string{`<html lang="zh-CN">`, ">概要<", ">变化<", ">趋势<", ">页面<", "<h3>新增</h3>", "<h3>已修复</h3>",
				"<span>错误</span>", "<figcaption>首屏</figcaption>", `alt="整页截图"`, "<span>次页面访问</span>",
				">电脑端<", "指纹 ", "详情页 · HTTP 200", `data-format="显示 {0} / {1} 次页面访问，{2} 个问题"`,
				"本文件自成一体", "<b>整改建议</b> " + template.HTMLEscapeString(checks.Advice("perf.slow-load", lang.ZH)),
				"页面加载用时 4200 毫秒，超出预算 3000 毫秒。"},
			append(slices.Clone(headings), ">Advice<", "fingerprint ", "first screen", "whole page", "show only",
				"No findings", ">visits<", ">errors<", "findings shown", "self-contained", "The page took")},
		{lang.EN,
			[]string{`<html lang="en">`, ">Summary<", ">Changes<", ">Trends<", ">Pages<", "<h3>New</h3>", "<h3>Resolved</h3>",
				"<span>error</span>", "<figcaption>first screen</figcaption>", `alt="the whole page"`, "<span>visits</span>",
				">desktop<", "fingerprint ", "product · HTTP 200", `data-format="{0} of {1} visits, {2} findings shown"`,
				"this file is self-contained: it loads nothing from the network.",
				"<b>Advice</b> " + template.HTMLEscapeString(checks.Advice("perf.slow-load", lang.EN)),
				"The page took 4200 ms to load, over the 3000 ms budget."},
			[]string{"概要", "整改建议", "首屏", "指纹"}},
		{"", // no language asked for: English
			[]string{`<html lang="en">`, ">Summary<", "<b>Advice</b> "}, []string{"概要"}},
	}
	for _, tt := range tests {
		t.Run(cmp(tt.tag), func(t *testing.T) {
			in := s.input(t)
			run := *in.Run
			run.Findings = append(slices.Clone(run.Findings), slow)
			checks.Localize(run.Findings, cmpTag(tt.tag))
			in.Run, in.Lang = &run, tt.tag
			var buf bytes.Buffer
			if err := report.WriteHTML(context.Background(), &buf, in, s.db); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("report lacks %q", w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("report holds %q", w)
				}
			}
			// Messages stored without a key come through as given.
			if !strings.Contains(out, "<p class=\"msg\">Two text blocks overlap.</p>") {
				t.Error("a stored message did not come through as given")
			}
			// A rule without advice shows none, not the catalog's key.
			if strings.Contains(out, "advice.") {
				t.Error("the report shows a missing advice key")
			}
			if n := strings.Count(out, `<p class="advice">`); n < 1 {
				t.Errorf("%d advice paragraphs, want the slow page's at least", n)
			}
		})
	}
}

func cmpTag(t lang.Tag) lang.Tag {
	if t == "" {
		return lang.EN
	}
	return t
}

func cmp(t lang.Tag) string {
	if t == "" {
		return "default"
	}
	return string(t)
}
