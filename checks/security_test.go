package checks

import (
	"reflect"
	"testing"

	"github.com/storecheck/storecheck/crawler"
)

func TestMixedContent(t *testing.T) {
	tests := []struct {
		name     string
		url      string // final URL of the page; default https
		html     string
		reqs     []crawler.Request
		want     []string
		evidence []map[string]any
	}{
		{name: "https page, https resources", html: `<img src="https://s.example/a.jpg"><script src="/app.js"></script>
			<img src="//s.example/b.jpg"><link rel="stylesheet" href="https://s.example/a.css">`,
			reqs: []crawler.Request{{URL: "https://s.example/a.jpg", Type: "Image", Status: 200}}, want: []string{}},
		{name: "http page, http resources", url: "http://shop.example/p/1",
			html: `<img src="http://s.example/a.jpg">`,
			reqs: []crawler.Request{{URL: "http://s.example/a.js", Type: "Script", Status: 200}}, want: []string{}},
		{name: "http request on https page",
			reqs:     []crawler.Request{{URL: "http://s.example/a.js", Type: "Script", Status: 200}},
			want:     []string{"http://s.example/a.js"},
			evidence: []map[string]any{{"type": "Script", "blocked": false}}},
		{name: "blocked request still counts",
			reqs:     []crawler.Request{{URL: "http://s.example/a.js", Type: "Script", Blocked: "mixed-content", Failure: "net::ERR_BLOCKED_BY_CLIENT"}},
			want:     []string{"http://s.example/a.js"},
			evidence: []map[string]any{{"type": "Script", "blocked": true}}},
		{name: "loopback judged by scheme",
			reqs: []crawler.Request{{URL: "http://127.0.0.1:40123/a.css", Type: "Stylesheet", Status: 200}},
			want: []string{"http://127.0.0.1:40123/a.css"}},
		{name: "redirect hops of the page are not mixed content",
			reqs: []crawler.Request{{URL: "http://shop.example/p/1", Type: "Document", Status: 301},
				{URL: "https://shop.example/p/1", Type: "Document", Status: 200}},
			want: []string{}},
		{name: "DOM references", html: `<html><head>
			<link rel="stylesheet" href="http://s.example/a.css">
			<link rel="canonical" href="http://shop.example/p/1">
			<link rel="alternate" href="http://shop.example/en/p/1">
			<script src="HTTP://S.example/b.js"></script></head><body>
			<img src=" http://s.example/c.jpg ">
			<img src="https://s.example/d.jpg" srcset="https://s.example/d2.jpg 2x, http://s.example/d3.jpg 3x">
			<iframe src="http://video.example/embed/1"></iframe>
			<video src="http://s.example/e.mp4" poster="http://s.example/e.jpg"><source src="http://s.example/f.webm"></video>
			<audio src="http://s.example/g.mp3"></audio>
			<a href="http://elsewhere.example/">plain links are navigations</a>
			<form action="http://s.example/post"></form>
			<template><img src="http://s.example/inert.jpg"></template>
			</body></html>`,
			want: []string{"http://s.example/a.css", "http://s.example/b.js", "http://s.example/c.jpg",
				"http://s.example/d3.jpg", "http://s.example/e.jpg", "http://s.example/e.mp4",
				"http://s.example/f.webm", "http://s.example/g.mp3", "http://video.example/embed/1"}},
		{name: "request and DOM reference reported once",
			html: `<img src="http://s.example/a.jpg#frag"><img src="http://s.example/a.jpg">`,
			reqs: []crawler.Request{{URL: "http://s.example/a.jpg", Type: "Image", Status: 200},
				{URL: "http://s.example/a.jpg", Type: "Image", Status: 200}},
			want:     []string{"http://s.example/a.jpg"},
			evidence: []map[string]any{{"type": "Image", "blocked": false}}},
		{name: "DOM only evidence", html: `<script src="http://s.example/x.js"></script>`,
			want:     []string{"http://s.example/x.js"},
			evidence: []map[string]any{{"tag": "script", "attr": "src", "blocked": nil}}},
		{name: "https requested, final URL decides", url: "http://shop.example/p/1",
			reqs: []crawler.Request{{URL: "http://s.example/a.js", Type: "Script"}}, want: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := okPage()
			if tt.url != "" {
				p.FinalURL = tt.url
			}
			p.HTML = tt.html
			p.Requests = tt.reqs
			fs := runRule(t, "security.mixed-content", p)
			if got := subjects(fs); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("subjects = %q, want %q", got, tt.want)
			}
			for i, ev := range tt.evidence {
				if !reflect.DeepEqual(fs[i].Evidence, ev) {
					t.Errorf("evidence of %s = %v, want %v", fs[i].Subject, fs[i].Evidence, ev)
				}
			}
			for _, f := range fs {
				if f.URL != p.URL || f.Severity != SeverityWarning {
					t.Errorf("finding header wrong: %+v", f)
				}
			}
		})
	}
}

func TestMixedContentNoFinalURL(t *testing.T) {
	p := okPage()
	p.FinalURL = ""
	p.Requests = []crawler.Request{{URL: "http://s.example/a.js", Type: "Script", Status: 200}}
	if got := subjects(runRule(t, "security.mixed-content", p)); !reflect.DeepEqual(got, []string{"http://s.example/a.js"}) {
		t.Errorf("subjects = %q", got)
	}
}
