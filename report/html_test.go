package report_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/checks/fingerprint"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/crawler/rodrender"
	"github.com/storecheck/storecheck/diff"
	"github.com/storecheck/storecheck/internal/htmlcheck"
	"github.com/storecheck/storecheck/report"
	"github.com/storecheck/storecheck/storage"
)

// xssTitle is a page title that must reach the reader as text.
const xssTitle = `<script>alert(1)</script><img src=x onerror=alert(2)>`

// pictures holds encoded stand-ins for what the crawler stores, made once.
type pictures struct {
	desktop, mobile, full []byte // JPEGs
	logo, ref             []byte // PNGs
	// read is the stored crop of banner, a picture with text drawn at
	// bannerText, as the sweep keeps it for a finding read from it.
	read checks.EvidenceImage
}

// bannerText is where banner carries its text, in its pixels.
var bannerText = image.Rect(300, 120, 300+8*7*5, 120+13*5)

// banner is a 750×300 gradient banner with "-50% NOW" drawn at bannerText
// (basicfont at 5×: what matters is that the outline lands on it).
func banner(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 750, 300))
	for y := range 300 {
		for x := range 750 {
			img.Set(x, y, color.RGBA{uint8(200 + x*55/750), uint8(40 + y/6), 60, 255})
		}
	}
	small := image.NewRGBA(image.Rect(0, 0, 8*7, 13))
	d := font.Drawer{Dst: small, Src: image.White, Face: basicfont.Face7x13, Dot: fixed.P(0, 10)}
	d.DrawString("-50% NOW")
	xdraw.NearestNeighbor.Scale(img, bannerText, small, small.Bounds(), xdraw.Over, nil)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func makePictures(t testing.TB) pictures {
	t.Helper()
	enc := func(w, h int, png bool) []byte {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x + y) % 256), 255})
			}
		}
		var buf bytes.Buffer
		var err error
		if png {
			err = pngEncode(&buf, img)
		} else {
			err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 70})
		}
		if err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	read, ok := checks.PictureCrop(banner(t), bannerText, 40)
	if !ok {
		t.Fatal("no crop of the banner")
	}
	return pictures{
		desktop: enc(1350, 940, false), mobile: enc(721, 1440, false),
		full: enc(675, 1500, false), // half resolution of a 1350 × 3000 CSS px page
		logo: enc(120, 40, true), ref: enc(120, 40, true),
		read: read,
	}
}

func pngEncode(buf *bytes.Buffer, img image.Image) error { return png.Encode(buf, img) }

func ms(v float64) *float64 { return &v }

// shop is a stored target with two complete runs: the head run has an XSS
// title, boxed findings with a full-page screenshot, evidence pictures, a
// price change, one finding fixed and one new since the base run.
type shop struct {
	db         *storage.DB
	base, head *storage.RunData
}

func buildShop(t testing.TB, dir string, n int) *shop {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(dir, "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	pics := makePictures(t)
	start := time.Date(2026, 11, 1, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	var ids []int64
	for run := range 2 {
		at := start.Add(time.Duration(run) * 24 * time.Hour)
		id, err := db.CreateRun(ctx, storage.RunInfo{Name: "shop", StartedAt: at, Now: at,
			StartURLs: []string{"http://shop.test/"}, Concurrency: 2, CPUs: 2, Browser: "Chromium 156",
			ConfigJSON: []byte(`{"budgets":{"load_ms":3000,"lcp_ms":2500,"fcp_ms":1800,"cls":0.1,"tbt_ms":200,"page_bytes":3000000}}`)})
		if err != nil {
			t.Fatal(err)
		}
		w := db.Writer(id)
		for i := range n {
			for _, vp := range []string{"desktop", "mobile"} {
				if err := w.AddPage(ctx, shopVisit(pics, run, i, vp)); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := w.Finish(ctx, storage.StatusComplete, at.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	s := &shop{db: db}
	if s.base, err = db.LoadRun(ctx, fmt.Sprint(ids[0])); err != nil {
		t.Fatal(err)
	}
	if s.head, err = db.LoadRun(ctx, fmt.Sprint(ids[1])); err != nil {
		t.Fatal(err)
	}
	return s
}

// shopVisit is page i in viewport vp of run 0 (base) or 1 (head).
func shopVisit(pics pictures, run, i int, vp string) storage.PageRecord {
	url := fmt.Sprintf("http://shop.test/item/%d", i)
	p := &crawler.Page{URL: url, FinalURL: url, Viewport: crawler.Viewport{Name: vp}, Status: 200,
		Kind: crawler.KindProduct, Title: fmt.Sprintf("商品 %d 旗舰店", i), Depth: 1,
		Screenshot: pics.desktop, FullScreenshot: pics.full, FullScreenshotHeight: 3000,
		Metrics: crawler.Metrics{TTFBms: ms(90), FCPms: ms(800 + float64(i%7)*100), LCPms: ms(1400 + float64(run*900+i%5*50)),
			Loadms: ms(2000), CLS: ms(0.02), TBTms: ms(40), Requests: 30, TransferBytes: 900_000}}
	if vp == "mobile" {
		p.Screenshot = pics.mobile
	}
	if i == 0 && vp == "desktop" && run == 1 {
		p.Title = xssTitle
	}
	f := func(rule string, sev checks.Severity, subject, msg string, ev map[string]any) checks.Finding {
		return checks.Finding{Rule: rule, Severity: sev, URL: url, Viewport: vp, Subject: subject, Message: msg,
			Evidence: ev, Fingerprint: fingerprint.Of(rule, vp, url, subject)}
	}
	var fs []checks.Finding
	// Persisting on every page: a boxed layout finding with an XSS subject.
	fs = append(fs, f("layout.overlap", checks.SeverityWarning, `<img src=x onerror=alert(3)>`,
		"Two text blocks overlap.", map[string]any{"box": map[string]any{"x": 100, "y": 1200 + i%3*100, "w": 400, "h": 120},
			"overlap_pct": 35, "note": "</script><script>alert(4)</script>"}))
	if i%4 == 0 {
		// A logo finding with its pictures.
		lf := f("logo.distorted", checks.SeverityError, "http://shop.test/logo.png", "The logo is stretched 18 %.",
			map[string]any{"box": map[string]any{"x": 20, "y": 10, "w": 160, "h": 40}, "aspect_diff_pct": 18})
		lf.Images = []checks.EvidenceImage{
			{Role: checks.ImageDrawn, MIME: "image/png", Data: pics.logo, W: 120, H: 40},
			{Role: checks.ImageReference, MIME: "image/png", Data: pics.ref, W: 120, H: 40},
		}
		fs = append(fs, lf)
	}
	if run == 0 && i == 1 {
		fs = append(fs, f("price.discount-mismatch", checks.SeverityError, "7折", "7折 of ¥899 is ¥629.30, the page says ¥599.",
			map[string]any{"current_text": "¥599", "original_text": "¥899"}))
	}
	if run == 1 && i == 2 {
		// Read from a banner (OCR), its crop stored.
		b := bannerText
		bf := f("text.banned-term", checks.SeverityError, "全网最低价", "Advertising Law term 全网最低价.",
			map[string]any{"term": "最低价", "source": "image", "image": "http://shop.test/banner.jpg",
				"image_box":      map[string]any{"x": b.Min.X, "y": b.Min.Y, "w": b.Dx(), "h": b.Dy()},
				"ocr_confidence": 83.4, "ocr_text": "全网最低价，仅此一天",
				"box": map[string]any{"x": 0, "y": 600, "w": 750, "h": 300}})
		bf.Images = []checks.EvidenceImage{pics.read}
		fs = append(fs, bf)
	}
	price := &checks.PagePrice{Current: 599, Original: 899, CurrentText: "¥599", OriginalText: "¥899"}
	if run == 1 && i == 3 {
		price = &checks.PagePrice{Current: 629, Original: 899, CurrentText: "¥629", OriginalText: "¥899"}
	}
	return storage.PageRecord{Page: p, Findings: fs, Price: price}
}

func (s *shop) input(t testing.TB) report.HTMLInput {
	t.Helper()
	ctx := context.Background()
	var fps []string
	for _, f := range s.head.Findings {
		fps = append(fps, f.Fingerprint)
	}
	seen, err := s.db.SeenBefore(ctx, "shop", s.base.Run.ID, fps)
	if err != nil {
		t.Fatal(err)
	}
	assigned, err := s.db.Assignments(ctx, "shop")
	if err != nil {
		t.Fatal(err)
	}
	res := diff.Compute(s.base, s.head, seen)
	res.Assign(assigned)
	return report.HTMLInput{
		Run: s.head, Diff: res, Assigned: assigned,
		Trend:     []report.TrendRun{{Run: s.base.Run, Pages: s.base.Pages}, {Run: s.head.Run, Pages: s.head.Pages}},
		Generated: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC), Version: "test",
	}
}

func writeReport(t testing.TB, s *shop, path string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := report.WriteHTML(context.Background(), &buf, s.input(t), s.db); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestHTMLEscapes reads the written bytes: page-derived text is escaped
// wherever it lands (text, attributes), the only script is ours, and nothing
// points outside the file but the links to the pages themselves.
func TestHTMLEscapes(t *testing.T) {
	s := buildShop(t, t.TempDir(), 4)
	out := string(writeReport(t, s, filepath.Join(t.TempDir(), "r.html")))
	for _, bad := range []string{"<script>alert", "<img src=x", "</script><script>"} {
		if strings.Contains(out, bad) {
			t.Errorf("report holds unescaped %q", bad)
		}
	}
	if n := strings.Count(out, "<script"); n != 1 {
		t.Errorf("%d <script> elements, want 1 (the report's own)", n)
	}
	for _, attr := range []string{`src="http`, `src="//`, `href="//`, "url(http", "@import"} {
		if strings.Contains(out, attr) {
			t.Errorf("report loads something from outside: found %q", attr)
		}
	}
	if !strings.Contains(out, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the XSS title is not in the report as escaped text")
	}
}

// TestHTMLReportInBrowser opens the report from a file URL in the real
// Chromium: no console error, no request leaving the file, the summary
// counts are the run's, every finding is listed, pictures decode, the XSS
// title stays text, and the rule filter shows exactly that rule's findings.
func TestHTMLReportInBrowser(t *testing.T) {
	bin, err := rodrender.FindBrowser("")
	if err != nil {
		t.Skip("no browser:", err)
	}
	s := buildShop(t, t.TempDir(), 6)
	// Two logo findings are assigned: one was due before the run's clock
	// (overdue), one after it.
	var logos []string
	for _, f := range s.head.Findings {
		if f.Rule == "logo.distorted" {
			logos = append(logos, f.Fingerprint)
		}
	}
	ctx0 := context.Background()
	if err := s.db.Assign(ctx0, "shop", logos[:1], storage.Assignment{Owner: "设计-小李", Due: "2026-10-30"}); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Assign(ctx0, "shop", logos[1:2], storage.Assignment{Owner: "设计-小李", Due: "2026-12-30"}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "report.html")
	writeReport(t, s, path)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := htmlcheck.Open(ctx, bin, path, "logo.distorted")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Problems {
		t.Errorf("problem in the browser: %s", p)
	}
	for _, m := range res.Mismatches(s.head) {
		t.Error(m)
	}
	var xssCard string
	for _, p := range s.head.Pages {
		if p.Title == xssTitle {
			xssCard = fmt.Sprintf("p%d", p.ID)
		}
	}
	if got := res.CardTitles[xssCard]; got != xssTitle {
		t.Errorf("card %s shows title %q, want the text %q", xssCard, got, xssTitle)
	}
	if res.Scripts != 1 {
		t.Errorf("%d scripts in the document, want 1", res.Scripts)
	}
	if res.Images == 0 || res.Loaded != res.Images || res.Pending != 0 {
		t.Errorf("images: %d, decoded %d, still pending %d; want all decoded", res.Images, res.Loaded, res.Pending)
	}
	wantLogo := 0
	for _, f := range s.head.Findings {
		if f.Rule == "logo.distorted" {
			wantLogo++
		}
	}
	if res.Filtered != wantLogo {
		t.Errorf("rule filter logo.distorted shows %d findings, want %d", res.Filtered, wantLogo)
	}
	if res.Counts["count-overdue"] != 1 {
		t.Errorf("summary shows %d overdue, want 1", res.Counts["count-overdue"])
	}
	// The diff: the banned term is new and the discount resolved, in both
	// viewports.
	if res.Counts["diff-new"] != 2 || res.Counts["diff-resolved"] != 2 {
		t.Errorf("diff counts new %d resolved %d, want 2 and 2", res.Counts["diff-new"], res.Counts["diff-resolved"])
	}
}

// TestHTMLPictureRead: a finding read from a picture shows the stored crop
// of that picture with the read region outlined where the text was drawn,
// the text read and its confidence, and the table's picture mark before
// its subject; its crop is not shown a second time as a plain picture.
func TestHTMLPictureRead(t *testing.T) {
	s := buildShop(t, t.TempDir(), 4)
	out := string(writeReport(t, s, filepath.Join(t.TempDir(), "r.html")))
	var item string
	for _, li := range strings.Split(out, `<li class="finding`)[1:] {
		li, _, _ = strings.Cut(li, "</li>")
		if strings.Contains(li, `data-rule="text.banned-term"`) && strings.Contains(li, `data-viewport="desktop"`) {
			item = li
		}
	}
	if item == "" {
		t.Fatal("no text.banned-term finding in the report")
	}
	for _, want := range []string{
		`<span class="tag pic">[image]</span> 全网最低价`,
		`<figure class="ocr"><div class="outlined"><img class="lazy" data-src="data:image/`,
		// The banner is 750×300 and its text at x 300–580, y 120–185: the
		// crop is the whole banner, the outline at 40 %, 40 %.
		`<span class="box sev-error" style="left:40%;top:40%;width:37.33%;height:21.67%">`,
		`read: <q class="ocrtext">全网最低价，仅此一天</q> · confidence 83`,
		`http://shop.test/banner.jpg</span> · x 0–750, y 0–300 px of the picture`,
	} {
		if !strings.Contains(item, want) {
			t.Errorf("the finding lacks %q:\n%s", want, item)
		}
	}
	if n := strings.Count(item, "<img"); n != 2 {
		t.Errorf("%d pictures beside the finding, want 2 (the read crop, the region on the page)", n)
	}
	// Only the findings read from a picture (one per viewport) are marked.
	if n := strings.Count(out, `class="tag pic"`); n != 2 {
		t.Errorf("%d picture marks, want 2", n)
	}
}

// TestHTMLRecheck: a finding marked fixed before the run began still
// shows: its re-check failed; one marked after the run began awaits its
// re-check; an unmarked one has no tag.
func TestHTMLRecheck(t *testing.T) {
	s := buildShop(t, t.TempDir(), 2)
	in := s.input(t)
	var logos []string // findings shown on their page's card
	for _, f := range s.head.Findings {
		if f.Rule == "logo.distorted" {
			logos = append(logos, f.Fingerprint)
		}
	}
	failed, pending := logos[0], logos[1]
	in.Marks = map[string]storage.FixMark{
		failed:  {AfterRun: s.head.Run.ID - 1},
		pending: {AfterRun: s.head.Run.ID},
	}
	var buf bytes.Buffer
	if err := report.WriteHTML(context.Background(), &buf, in, s.db); err != nil {
		t.Fatal(err)
	}
	tags := map[string]string{}
	re := regexp.MustCompile(`(?s)data-fp="([0-9a-f]+)".*?<div class="fhead">(.*?)</div>`)
	for _, m := range re.FindAllStringSubmatch(buf.String(), -1) {
		tag := ""
		if t := regexp.MustCompile(`class="tag recheck-(\w+)"`).FindStringSubmatch(m[2]); t != nil {
			tag = t[1]
		}
		if prev, ok := tags[m[1]]; ok && prev != tag {
			t.Errorf("finding %s tagged %q and %q", m[1], prev, tag)
		}
		tags[m[1]] = tag
	}
	if len(tags) < 3 {
		t.Fatalf("%d findings found in the report", len(tags))
	}
	for fp, got := range tags {
		if want := map[string]string{failed: "failed", pending: "pending"}[fp]; got != want {
			t.Errorf("finding %s: tag %q, want %q", fp, got, want)
		}
	}
	if tags[failed] == "" || tags[pending] == "" {
		t.Errorf("the marked findings are not both shown: %v", tags)
	}
}

// TestHTMLShotURL: with ShotURL the cards name their screenshots (the
// dashboard serves them) at the card's size, and embed none.
func TestHTMLShotURL(t *testing.T) {
	s := buildShop(t, t.TempDir(), 2)
	in := s.input(t)
	in.ShotURL = func(pageID int64, width int) string { return fmt.Sprintf("/shots/%d?w=%d", pageID, width) }
	var buf bytes.Buffer
	if err := report.WriteHTML(context.Background(), &buf, in, s.db); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, p := range s.head.Pages {
		h := 251 // the desktop viewport's first screen, 360 px wide
		if p.Viewport == "mobile" {
			h = 719
		}
		want := fmt.Sprintf(`data-src="/shots/%d?w=360" width="360" height="%d"`, p.ID, h)
		if !strings.Contains(out, want) {
			t.Errorf("page %d (%s): no %s", p.ID, p.Viewport, want)
		}
	}
	// The same report without ShotURL embeds a thumbnail a page more.
	var embedded bytes.Buffer
	if err := report.WriteHTML(context.Background(), &embedded, s.input(t), s.db); err != nil {
		t.Fatal(err)
	}
	pics := func(s string) int { return strings.Count(s, `data-src="data:image/jpeg`) }
	if got, want := pics(embedded.String())-pics(out), len(s.head.Pages); got != want {
		t.Errorf("%d fewer embedded pictures with ShotURL, want %d (a screenshot a page)", got, want)
	}
}
