// Command ocrgen draws the OCR fixture pictures (testdata/sites/fixtures/ocr/img)
// with the system Chromium: each picture is an HTML/CSS snippet, laid out at
// the picture's size and screenshot, so the text is set by a real text engine
// with real CJK fonts, as a shop's designer's tool would. It writes the
// pictures (PNG for flat ones, JPEG q85 for gradients and photos) and
// manifest.json, whose text, glyph sizes and keys are read back from the
// laid-out page, not typed twice. Run from the repository root:
//
//	go run ./internal/testsite/ocrgen -out testdata/sites/fixtures/ocr/img
package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/proto"

	"github.com/storecheck/storecheck/internal/testsite/ocrfix"
)

// jpegQuality keeps the photographic pictures small (the whole set stays
// near 2 MB) while leaving the compression ringing a shop's JPEGs have.
const jpegQuality = 85

func main() {
	out := flag.String("out", "testdata/sites/fixtures/ocr/img", "folder to write the pictures and manifest.json into")
	root := flag.String("root", ".", "repository root (source photos are read from its testdata)")
	bin := flag.String("browser", "", "browser binary (default: chromium on PATH)")
	only := flag.String("only", "", "draw only the pictures whose file name contains this (manifest not written)")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := run(ctx, *out, *root, *bin, *only); err != nil {
		slog.Error("ocrgen", "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out, root, bin, only string) error {
	if bin == "" {
		p, err := exec.LookPath("chromium")
		if err != nil {
			return fmt.Errorf("no chromium on PATH (this tool never downloads a browser): %w", err)
		}
		bin = p
	}
	var photoErr error
	photo := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			photoErr = cmp.Or(photoErr, fmt.Errorf("source photo (run from the repository root or set -root): %w", err))
		}
		return "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(b)
	}
	pics := pictures(photo)
	if photoErr != nil {
		return photoErr
	}
	if err := checkSpecs(pics); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}

	dir, err := os.MkdirTemp("", "ocrgen-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// The flags the crawler's browser runs with (no background services, no
	// network of its own), plus the ones that make text rendering the same
	// from run to run: no hinting, greyscale antialiasing, sRGB.
	l := launcher.New().Context(ctx).Bin(bin).Headless(true).Leakless(true).UserDataDir(dir).
		Logger(io.Discard).NoSandbox(os.Geteuid() == 0).
		Set("disable-gpu").Set("disable-component-update").Set("disable-quic").
		Set("disable-background-networking").Set("disable-sync").Set("no-first-run").
		Set("hide-scrollbars").Set("font-render-hinting", "none").Set("disable-lcd-text").
		Set("force-color-profile", "srgb")
	u, err := l.Launch()
	if err != nil {
		return fmt.Errorf("launch %s: %w", bin, err)
	}
	defer l.Kill()
	b := rod.New().ControlURL(u).Context(ctx)
	if err := b.Connect(); err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer b.Close()
	page, err := b.Page(proto.TargetCreateTarget{URL: "about:blank"})
	if err != nil {
		return fmt.Errorf("open tab: %w", err)
	}

	var manifest []ocrfix.Picture
	var total int
	for _, p := range pics {
		if only != "" && !strings.Contains(p.file, only) {
			continue
		}
		m, data, err := draw(ctx, page, p)
		if err != nil {
			return fmt.Errorf("%s: %w", p.file, err)
		}
		if err := os.WriteFile(filepath.Join(out, p.file), data, 0o644); err != nil {
			return err
		}
		total += len(data)
		manifest = append(manifest, m)
		fmt.Fprintf(os.Stderr, "%-40s %5d B  %dx%d %s\n", p.file, len(data), p.w, p.h, strings.Join(m.Text, " | "))
	}
	fmt.Fprintf(os.Stderr, "%d pictures, %d bytes\n", len(manifest), total)
	if only != "" {
		return nil
	}
	js, err := json.MarshalIndent(manifest, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, ocrfix.ManifestName), append(js, '\n'), 0o644)
}

// checkSpecs refuses a table with a repeated file name or a file name whose
// extension does not follow the background (PNG for flat, JPEG otherwise).
func checkSpecs(pics []pic) error {
	seen := map[string]bool{}
	for _, p := range pics {
		if seen[p.file] {
			return fmt.Errorf("picture %s twice", p.file)
		}
		seen[p.file] = true
		if want := p.bg == "flat"; want != strings.HasSuffix(p.file, ".png") {
			return fmt.Errorf("%s: a %s background is stored as %s", p.file, p.bg, map[bool]string{true: "PNG", false: "JPEG"}[want])
		}
	}
	return nil
}

// drawn is what the laid-out page says about its text: the text of every
// element marked t, and the smallest and largest font size of its glyphs.
type drawn struct {
	Text     []string `json:"text"`
	Min, Max float64
	Overflow []string `json:"overflow"`
}

// measureJS reads the marked text back from the page and lists the marked
// elements that do not fit inside the picture (text that would be cut).
const measureJS = `async () => {
	await document.fonts.ready;
	await Promise.all(Array.from(document.images).map(i => i.decode().catch(() => {})));
	await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
	const out = {text: [], Min: 0, Max: 0, overflow: []};
	const W = innerWidth, H = innerHeight;
	for (const el of document.querySelectorAll("[t]")) {
		out.text.push(el.textContent.replace(/\s+/g, " ").trim());
		const r = el.getBoundingClientRect();
		if (r.left < -0.5 || r.top < -0.5 || r.right > W + 0.5 || r.bottom > H + 0.5) out.overflow.push(el.textContent.trim());
		const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
		for (let n = w.nextNode(); n; n = w.nextNode()) {
			if (!n.textContent.trim()) continue;
			const fs = parseFloat(getComputedStyle(n.parentElement).fontSize);
			if (!out.Min || fs < out.Min) out.Min = fs;
			if (fs > out.Max) out.Max = fs;
		}
	}
	return out;
}`

// draw lays p out, screenshots it and encodes it; it fails when a key is
// not in the drawn text or marked text overflows the picture.
func draw(ctx context.Context, page *rod.Page, p pic) (ocrfix.Picture, []byte, error) {
	page = page.Context(ctx).Timeout(30 * time.Second)
	if err := page.SetViewport(&proto.EmulationSetDeviceMetricsOverride{Width: p.w, Height: p.h, DeviceScaleFactor: 1}); err != nil {
		return ocrfix.Picture{}, nil, fmt.Errorf("viewport: %w", err)
	}
	if err := page.SetDocumentContent(document(p)); err != nil {
		return ocrfix.Picture{}, nil, fmt.Errorf("set content: %w", err)
	}
	res, err := page.Eval(measureJS)
	if err != nil {
		return ocrfix.Picture{}, nil, fmt.Errorf("measure: %w", err)
	}
	var d drawn
	if err := res.Value.Unmarshal(&d); err != nil {
		return ocrfix.Picture{}, nil, fmt.Errorf("measure: %w", err)
	}
	if len(d.Overflow) > 0 {
		return ocrfix.Picture{}, nil, fmt.Errorf("text outside the picture: %q", d.Overflow)
	}
	if d.Text == nil {
		d.Text = []string{}
	}
	keys := p.keys
	if keys == nil {
		keys = []string{}
	}
	for _, k := range keys {
		if !slices.ContainsFunc(d.Text, func(t string) bool { return strings.Contains(squeeze(t), squeeze(k)) }) {
			return ocrfix.Picture{}, nil, fmt.Errorf("key %q is not drawn (text %q)", k, d.Text)
		}
	}
	if (len(keys) == 0) != (len(d.Text) == 0) {
		return ocrfix.Picture{}, nil, fmt.Errorf("text %q with keys %q: a picture with text needs keys and one without none", d.Text, keys)
	}
	shot, err := page.Screenshot(false, &proto.PageCaptureScreenshot{
		Format: proto.PageCaptureScreenshotFormatPng,
		Clip:   &proto.PageViewport{X: 0, Y: 0, Width: float64(p.w), Height: float64(p.h), Scale: 1},
	})
	if err != nil {
		return ocrfix.Picture{}, nil, fmt.Errorf("screenshot: %w", err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		return ocrfix.Picture{}, nil, fmt.Errorf("decode screenshot: %w", err)
	}
	if got := img.Bounds().Size(); got != image.Pt(p.w, p.h) {
		return ocrfix.Picture{}, nil, fmt.Errorf("screenshot is %v, want %dx%d", got, p.w, p.h)
	}
	var buf bytes.Buffer
	if p.bg == "flat" {
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality})
	}
	if err != nil {
		return ocrfix.Picture{}, nil, fmt.Errorf("encode: %w", err)
	}
	style := p.style
	if style == "" {
		style = "plain"
	}
	return ocrfix.Picture{
		File: p.file, Width: p.w, Height: p.h, Kind: p.kind, Background: p.bg,
		GlyphPx: int(d.Min + 0.5), GlyphPxMax: int(d.Max + 0.5), Style: style,
		Text: d.Text, Keys: keys, Note: p.note,
	}, buf.Bytes(), nil
}

// document wraps a picture's body in the page every picture shares: the
// picture's size, no margins, the CJK fonts a shop's designer uses.
func document(p pic) string {
	return fmt.Sprintf(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
*{box-sizing:border-box;margin:0;padding:0}
html,body{width:%[1]dpx;height:%[2]dpx;overflow:hidden}
body{position:relative;font-family:"Noto Sans CJK SC","DejaVu Sans",sans-serif;color:#222;background:#fff;line-height:1.25}
.fill{position:absolute;left:0;top:0;width:100%%;height:100%%;object-fit:cover}
.abs{position:absolute}
.col{display:flex;flex-direction:column;align-items:center;justify-content:center}
.row{display:flex;align-items:center}
.b{font-weight:700}
.serif{font-family:"Noto Serif CJK SC","DejaVu Serif",serif}
.v{writing-mode:vertical-rl;text-orientation:upright}
.stk{-webkit-text-stroke:3px #fff;paint-order:stroke fill}
.hollow{color:transparent;-webkit-text-stroke:2px #fff}
.sh{text-shadow:2px 3px 4px rgba(0,0,0,.55)}
.glow{text-shadow:0 0 6px rgba(0,0,0,.7),0 0 2px rgba(0,0,0,.9)}
%[3]s
</style></head><body>%[4]s</body></html>`, p.w, p.h, p.css, p.body)
}

// squeeze drops the spaces a layout puts between words, so a key matches the
// drawn text however the line was spaced.
func squeeze(s string) string { return strings.ReplaceAll(s, " ", "") }
