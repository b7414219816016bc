// Package htmlcheck opens a storecheck HTML report in the real Chromium and
// reads back what a person would see: the summary counts, every finding
// listed, the pictures, and anything that went wrong (console errors,
// exceptions, dialogs, requests that left the file). Tests of the report
// use it; it is not part of the tool.
package htmlcheck

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/proto"

	"github.com/storecheck/storecheck/storage"
)

// Finding is one finding as the report lists it.
type Finding struct {
	Fingerprint string `json:"fp"`
	URL         string `json:"url"`
	Viewport    string `json:"viewport"`
	Rule        string `json:"rule"`
	Severity    string `json:"sev"`
}

// Result is what the opened report showed and did.
type Result struct {
	Title    string
	Counts   map[string]int // count-error, count-warning, count-info, count-pages, diff-new…
	Findings []Finding
	// Pictures counts the decoded pictures shown with each finding, by
	// fingerprint: its evidence images and the outlined region.
	Pictures map[string]int
	// CardTitles are the page titles as rendered text, by card id.
	CardTitles map[string]string
	Scripts    int // <script> elements in the document
	// Images and Loaded count <img> elements and those decoded after the
	// whole report was scrolled through; Pending still wait for data-src.
	Images, Loaded, Pending int
	// Problems: console errors, exceptions, dialogs, requests that left the
	// file (anything but the file itself and data: URLs).
	Problems []string
	// Filtered is the number of findings visible after choosing FilterRule
	// in the rule filter; -1 when no rule was given.
	Filtered int
	// Lang is the document's lang attribute.
	Lang string
	// Messages are the findings' messages as rendered text.
	Messages []string
	// HeadingFonts are the fonts the browser drew the first heading of the
	// report's main part with (CSS.getPlatformFontsForNode): a Chinese
	// heading drawn without a CJK font shows as empty boxes (tofu).
	HeadingFonts []string
}

// Open loads the report at path (as a file:// URL) in the browser bin,
// scrolls through it and, when filterRule is set, picks that rule in the
// report's rule filter.
func Open(ctx context.Context, bin, path, filterRule string) (*Result, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "htmlcheck-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	l := launcher.New().Context(ctx).Bin(bin).Headless(true).Leakless(true).UserDataDir(dir).
		Logger(io.Discard).NoSandbox(os.Geteuid() == 0).
		Set("disable-gpu").Set("disable-component-update").Set("disable-quic").
		Set("disable-background-networking").Set("disable-sync").Set("no-first-run")
	u, err := l.Launch()
	if err != nil {
		return nil, fmt.Errorf("launch %s: %w", bin, err)
	}
	defer l.Kill()
	b := rod.New().ControlURL(u).Context(ctx)
	if err := b.Connect(); err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	defer b.Close()
	page, err := b.Page(proto.TargetCreateTarget{URL: "about:blank"})
	if err != nil {
		return nil, fmt.Errorf("open tab: %w", err)
	}
	if err := page.SetViewport(&proto.EmulationSetDeviceMetricsOverride{Width: 1280, Height: 900, DeviceScaleFactor: 1}); err != nil {
		return nil, err
	}

	res := &Result{Counts: map[string]int{}, Pictures: map[string]int{}, CardTitles: map[string]string{}, Filtered: -1}
	var mu sync.Mutex
	problem := func(format string, args ...any) {
		mu.Lock()
		res.Problems = append(res.Problems, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	fileURL := (&url.URL{Scheme: "file", Path: abs}).String()
	for _, enable := range []func() error{
		func() error { return proto.NetworkEnable{}.Call(page) },
		func() error { return proto.RuntimeEnable{}.Call(page) },
		func() error { return proto.LogEnable{}.Call(page) },
		func() error { return proto.PageEnable{}.Call(page) },
	} {
		if err := enable(); err != nil {
			return nil, fmt.Errorf("enable events: %w", err)
		}
	}
	wait := page.Context(ctx).EachEvent(
		func(e *proto.NetworkRequestWillBeSent) {
			if u := e.Request.URL; !strings.HasPrefix(u, "data:") && u != fileURL && u != "about:blank" {
				problem("request %s", u)
			}
		},
		func(e *proto.RuntimeConsoleAPICalled) {
			if e.Type == proto.RuntimeConsoleAPICalledTypeError || e.Type == proto.RuntimeConsoleAPICalledTypeWarning {
				problem("console.%s %v", e.Type, e.Args)
			}
		},
		func(e *proto.RuntimeExceptionThrown) { problem("exception %s", e.ExceptionDetails.Text) },
		func(e *proto.LogEntryAdded) {
			if e.Entry.Level == proto.LogLogEntryLevelError {
				problem("log %s: %s", e.Entry.Source, e.Entry.Text)
			}
		},
		func(e *proto.PageJavascriptDialogOpening) {
			problem("dialog %s: %s", e.Type, e.Message)
			_ = proto.PageHandleJavaScriptDialog{Accept: false}.Call(page)
		},
	)
	go wait()

	if err := page.Navigate(fileURL); err != nil {
		return nil, fmt.Errorf("open %s: %w", fileURL, err)
	}
	if err := page.WaitLoad(); err != nil {
		return nil, fmt.Errorf("load %s: %w", fileURL, err)
	}
	// Scroll the whole report in screen steps, giving the lazy loader a
	// frame at each, then wait for every picture it set to decode.
	if _, err := page.Eval(`async () => {
		const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
		for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight) {
			scrollTo(0, y);
			await frame();
		}
		await frame();
		await Promise.all(Array.from(document.images).filter(i => i.getAttribute("src")).map(i => i.decode().catch(() => {})));
		scrollTo(0, 0);
	}`); err != nil {
		return nil, fmt.Errorf("scroll report: %w", err)
	}
	out, err := page.Eval(`(rule) => {
		const counts = {};
		document.querySelectorAll("[data-count][id]").forEach(e => { counts[e.id] = Number(e.dataset.count); });
		const findings = Array.from(document.querySelectorAll("li.finding")).map(li => ({
			fp: li.dataset.fp, url: li.dataset.url, viewport: li.dataset.viewport, rule: li.dataset.rule, sev: li.dataset.sev}));
		const pictures = {};
		document.querySelectorAll("li.finding").forEach(li => {
			pictures[li.dataset.fp] = Array.from(li.querySelectorAll("img")).filter(i => i.complete && i.naturalWidth > 0).length; });
		const titles = {};
		document.querySelectorAll("article.card").forEach(c => {
			const t = c.querySelector(".ptitle"); if (t) { titles[c.id] = t.textContent; } });
		const imgs = Array.from(document.images);
		let filtered = -1;
		if (rule) {
			const sel = document.getElementById("f-rule");
			sel.value = rule;
			sel.dispatchEvent(new Event("change"));
			filtered = Array.from(document.querySelectorAll("li.finding")).filter(li => !li.hidden && !li.closest("article").hidden).length;
		}
		const messages = Array.from(document.querySelectorAll("li.finding p.msg")).map(p => p.textContent);
		return JSON.stringify({title: document.title, counts, findings, titles, pictures, messages, lang: document.documentElement.lang,
			scripts: document.scripts.length, images: imgs.length,
			loaded: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
			pending: document.querySelectorAll("img[data-src]").length, filtered});
	}`, filterRule)
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	var got struct {
		Title    string            `json:"title"`
		Counts   map[string]int    `json:"counts"`
		Findings []Finding         `json:"findings"`
		Titles   map[string]string `json:"titles"`
		Pictures map[string]int    `json:"pictures"`
		Scripts  int               `json:"scripts"`
		Images   int               `json:"images"`
		Loaded   int               `json:"loaded"`
		Pending  int               `json:"pending"`
		Filtered int               `json:"filtered"`
		Lang     string            `json:"lang"`
		Messages []string          `json:"messages"`
	}
	if err := json.Unmarshal([]byte(out.Value.Str()), &got); err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	fonts, err := headingFonts(page)
	if err != nil {
		return nil, err
	}
	// Late console messages and requests arrive as events; give them a
	// moment before reading Problems.
	time.Sleep(200 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	res.Title, res.Counts, res.Findings, res.CardTitles, res.Pictures = got.Title, got.Counts, got.Findings, got.Titles, got.Pictures
	res.Scripts, res.Images, res.Loaded, res.Pending, res.Filtered = got.Scripts, got.Images, got.Loaded, got.Pending, got.Filtered
	res.Lang, res.Messages, res.HeadingFonts = got.Lang, got.Messages, fonts
	res.Problems = append([]string(nil), res.Problems...)
	return res, nil
}

// Mismatches lists where the opened report disagrees with the run it shows:
// summary counts, and findings missing, extra or listed twice.
func (r *Result) Mismatches(d *storage.RunData) []string {
	var out []string
	want := map[string]int{"count-error": d.Run.Findings.Error, "count-warning": d.Run.Findings.Warning,
		"count-info": d.Run.Findings.Info, "count-pages": d.Run.Pages}
	for _, k := range []string{"count-error", "count-warning", "count-info", "count-pages"} {
		if r.Counts[k] != want[k] {
			out = append(out, fmt.Sprintf("summary %s = %d, the run has %d", k, r.Counts[k], want[k]))
		}
	}
	listed := map[Finding]int{}
	for _, f := range r.Findings {
		listed[f]++
	}
	for _, f := range d.Findings {
		k := Finding{Fingerprint: f.Fingerprint, URL: f.URL, Viewport: f.Viewport, Rule: f.Rule, Severity: string(f.Severity)}
		if listed[k] == 0 {
			out = append(out, fmt.Sprintf("finding %s %s on %s (%s) is not in the report", f.Rule, f.Fingerprint, f.URL, f.Viewport))
			continue
		}
		listed[k]--
	}
	if len(r.Findings) != len(d.Findings) {
		out = append(out, fmt.Sprintf("report lists %d findings, the run has %d", len(r.Findings), len(d.Findings)))
	}
	return out
}

// headingFonts are the families of the platform fonts that drew the first
// h2 of the report's main part.
func headingFonts(page *rod.Page) ([]string, error) {
	h, err := page.Element("main h2")
	if err != nil {
		return nil, fmt.Errorf("find heading: %w", err)
	}
	if err := (proto.DOMEnable{}).Call(page); err != nil {
		return nil, err
	}
	if _, err := (proto.DOMGetDocument{}).Call(page); err != nil {
		return nil, err
	}
	if err := (proto.CSSEnable{}).Call(page); err != nil {
		return nil, err
	}
	node, err := proto.DOMRequestNode{ObjectID: h.Object.ObjectID}.Call(page)
	if err != nil {
		return nil, fmt.Errorf("heading node: %w", err)
	}
	used, err := proto.CSSGetPlatformFontsForNode{NodeID: node.NodeID}.Call(page)
	if err != nil {
		return nil, fmt.Errorf("heading fonts: %w", err)
	}
	var out []string
	for _, f := range used.Fonts {
		out = append(out, fmt.Sprintf("%s (%d glyphs)", f.FamilyName, int(f.GlyphCount)))
	}
	return out, nil
}
