package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/proto"

	"github.com/storecheck/storecheck/crawler/rodrender"
	"github.com/storecheck/storecheck/report"
)

// benchPages is the report size the issue asks to stay usable: 500 URLs,
// each in both viewports.
const benchPages = 500

// BenchmarkHTMLReport writes the report of a stored run of 500 URLs × 2
// viewports (every visit with a screenshot, a boxed finding and its
// full-page screenshot; a quarter with logo pictures), against the run
// before it. It reports the file size.
func BenchmarkHTMLReport(b *testing.B) {
	s := buildShop(b, b.TempDir(), benchPages)
	in := s.input(b)
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := report.WriteHTML(context.Background(), &buf, in, s.db); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/1e6, "MB/report")
}

// BenchmarkHTMLReportOpen opens that report from its file URL in Chromium
// and reports how long until it is usable (the load event, the script's
// first filter pass included), how long the rule filter takes over 1 000
// cards, and the JS heap once every picture near the top has decoded.
func BenchmarkHTMLReportOpen(b *testing.B) {
	bin, err := rodrender.FindBrowser("")
	if err != nil {
		b.Skip("no browser:", err)
	}
	s := buildShop(b, b.TempDir(), benchPages)
	path := filepath.Join(b.TempDir(), "report.html")
	writeReport(b, s, path)
	dir := b.TempDir()
	l := launcher.New().Bin(bin).Headless(true).Leakless(true).UserDataDir(dir).NoSandbox(os.Geteuid() == 0).
		Set("disable-gpu").Set("disable-background-networking").Set("disable-component-update").
		Set("disable-sync").Set("no-first-run").Set("disable-quic")
	u, err := l.Launch()
	if err != nil {
		b.Fatal(err)
	}
	defer l.Kill()
	br := rod.New().ControlURL(u)
	if err := br.Connect(); err != nil {
		b.Fatal(err)
	}
	defer br.Close()
	fileURL := (&url.URL{Scheme: "file", Path: path}).String()
	var loadMs, filterMs, heapMB, nodes float64
	for b.Loop() {
		page, err := br.Page(proto.TargetCreateTarget{URL: "about:blank"})
		if err != nil {
			b.Fatal(err)
		}
		if err := page.SetViewport(&proto.EmulationSetDeviceMetricsOverride{Width: 1280, Height: 900, DeviceScaleFactor: 1}); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := page.Navigate(fileURL); err != nil {
			b.Fatal(err)
		}
		if err := page.WaitLoad(); err != nil {
			b.Fatal(err)
		}
		loadMs = float64(time.Since(start).Milliseconds())
		res, err := page.Eval(`() => {
			const sel = document.getElementById("f-rule");
			const t0 = performance.now();
			sel.value = "logo.distorted";
			sel.dispatchEvent(new Event("change"));
			document.body.offsetHeight; // the layout the filter causes
			const ms = performance.now() - t0;
			return JSON.stringify({ms, heap: performance.memory ? performance.memory.usedJSHeapSize : 0,
				nodes: document.getElementsByTagName("*").length});
		}`)
		if err != nil {
			b.Fatal(err)
		}
		var got struct {
			Ms    float64 `json:"ms"`
			Heap  float64 `json:"heap"`
			Nodes float64 `json:"nodes"`
		}
		if err := json.Unmarshal([]byte(res.Value.Str()), &got); err != nil {
			b.Fatalf("read timings %s: %v", res.Value.Str(), err)
		}
		filterMs, heapMB, nodes = got.Ms, got.Heap/1e6, got.Nodes
		if err := page.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(loadMs, "load-ms")
	b.ReportMetric(filterMs, "filter-ms")
	b.ReportMetric(heapMB, "js-heap-MB")
	b.ReportMetric(nodes, "dom-nodes")
}
