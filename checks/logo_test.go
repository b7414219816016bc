package checks

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/disintegration/imaging"

	"github.com/storecheck/storecheck/checks/imagequality"
	"github.com/storecheck/storecheck/crawler"
)

// The brand logo of the test sites: a round seal, 256 px, transparent
// outside the disc.
var sealPath = filepath.Join("..", "testdata", "sites", "fixtures", "img", "logo.png")

func readSeal(t *testing.T) image.Image {
	t.Helper()
	f, err := os.Open(sealPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func pngOf(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// shot is what the browser draws of img at w×h device px on a white header.
func shot(img image.Image, w, h int) *image.NRGBA {
	bg := imaging.New(w, h, color.White)
	return imaging.Overlay(bg, imaging.Resize(img, w, h, imaging.Linear), image.Pt(0, 0), 1)
}

// logoEnv is a sweep environment with the seal as brand.logo and mark as
// the one protected mark (written to a temp file).
func logoEnv(t *testing.T, mark image.Image) *Env {
	t.Helper()
	cfg := testConfig()
	cfg.Brand.Logo = sealPath
	if mark != nil {
		p := filepath.Join(t.TempDir(), "rival.png")
		if err := os.WriteFile(p, pngOf(t, mark), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg.Brand.ProtectedLogos = []string{p}
	}
	cfg.Brand.LogoOptional = []string{"^/landing/"}
	env, err := NewEnv(cfg, time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// rival is another brand's mark: an orange rounded square with a white chevron.
func rival() image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, 200, 200))
	for y := range 200 {
		for x := range 200 {
			if x < 10 || y < 10 || x >= 190 || y >= 190 {
				continue
			}
			c := color.NRGBA{240, 120, 20, 255}
			if d := x - 100; y > 60 && y < 150 && abs(y-60-abs(d)) < 18 && abs(d) < 60 {
				c = color.NRGBA{255, 255, 255, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// recolour swaps the red and blue channels of every opaque pixel.
func recolour(img image.Image) *image.NRGBA {
	out := imaging.Clone(img)
	for i := 0; i < len(out.Pix); i += 4 {
		out.Pix[i], out.Pix[i+2] = out.Pix[i+2], out.Pix[i]
	}
	return out
}

const logoURL = "https://shop.example/img/logo.png"

func candidate(kind, src string, box crawler.Box, shotPNG []byte) crawler.LogoCandidate {
	return crawler.LogoCandidate{Selector: "#logo", Kind: kind, Src: src, Box: box, Why: "header", Shot: shotPNG}
}

func TestLogoRules(t *testing.T) {
	seal := readSeal(t)
	sealPNG := pngOf(t, seal)
	box40 := crawler.Box{X: 20, Y: 10, W: 40, H: 40}
	logoImg := func(data []byte, w, h int, box crawler.Box) crawler.Image {
		return crawler.Image{Src: logoURL, CurrentSrc: logoURL, Selector: "#logo", Alt: "brand", HasAlt: true,
			NaturalWidth: w, NaturalHeight: h, Box: box, ObjectFit: "fill", Visible: true, Complete: true,
			Status: 200, MIME: "image/png", Bytes: data}
	}
	tiny := imaging.Resize(seal, 24, 24, imaging.Lanczos)
	badge := imaging.New(64, 64, color.NRGBA{0, 0, 0, 0})
	badge = imaging.Overlay(badge, imaging.New(48, 48, color.NRGBA{30, 130, 60, 255}), image.Pt(8, 8), 1)
	rivalPage := jpegOf(t, imaging.Resize(rival(), 120, 120, imaging.Lanczos), 80)
	// 800 px pictures are compared through measure's reduced working copy.
	rivalPhoto := jpegOf(t, imaging.PasteCenter(imaging.New(800, 800, color.White),
		imaging.Resize(rival(), 560, 560, imaging.Lanczos)), 85)
	cleanPhoto := jpegOf(t, imagequality.TestImage("product", 800), 85)
	photo := func(name string, data []byte) crawler.Image {
		u := "https://shop.example/img/" + name + ".jpg"
		return crawler.Image{Src: u, CurrentSrc: u, Selector: "#gallery img", Alt: name, HasAlt: true,
			NaturalWidth: 800, NaturalHeight: 800, Box: crawler.Box{X: 100, Y: 600, W: 400, H: 400},
			Visible: true, Complete: true, Status: 200, MIME: "image/jpeg", Bytes: data}
	}

	tests := []struct {
		name  string
		vp    crawler.Viewport
		kind  crawler.Kind
		path  string
		cands []crawler.LogoCandidate
		ims   []crawler.Image
		want  []string // rule@severity, sorted
	}{
		{"clean desktop", crawler.Desktop, crawler.KindOther, "/p/1",
			[]crawler.LogoCandidate{candidate("img", logoURL, box40, pngOf(t, shot(seal, 40, 40)))},
			[]crawler.Image{logoImg(sealPNG, 256, 256, box40)}, nil},
		{"clean mobile", crawler.Mobile, crawler.KindOther, "/p/1",
			[]crawler.LogoCandidate{candidate("img", logoURL, box40, pngOf(t, shot(seal, 70, 70)))},
			[]crawler.Image{logoImg(sealPNG, 256, 256, box40)}, nil},
		{"no candidate on the home page", crawler.Desktop, crawler.KindHome, "/", nil, nil,
			[]string{"logo.missing@error"}},
		{"an unrelated badge elsewhere", crawler.Desktop, crawler.KindOther, "/p/1",
			[]crawler.LogoCandidate{candidate("img", "https://shop.example/badge.png", box40, pngOf(t, shot(badge, 40, 40)))},
			nil, []string{"logo.missing@warning"}},
		{"optional page", crawler.Desktop, crawler.KindOther, "/landing/x", nil, nil, nil},
		{"stretched", crawler.Desktop, crawler.KindOther, "/p/1",
			[]crawler.LogoCandidate{candidate("img", logoURL, crawler.Box{W: 72, H: 40}, pngOf(t, shot(seal, 72, 40)))},
			[]crawler.Image{logoImg(sealPNG, 256, 256, crawler.Box{W: 72, H: 40})}, []string{"logo.distorted@error"}},
		{"recoloured", crawler.Desktop, crawler.KindOther, "/p/1",
			[]crawler.LogoCandidate{candidate("background", logoURL, box40, pngOf(t, shot(recolour(seal), 40, 40)))},
			nil, []string{"logo.altered@error"}},
		{"upscaled", crawler.Mobile, crawler.KindOther, "/p/1",
			[]crawler.LogoCandidate{candidate("img", logoURL, box40, pngOf(t, shot(tiny, 70, 70)))},
			[]crawler.Image{logoImg(pngOf(t, tiny), 24, 24, box40)}, []string{"logo.low-quality@warning"}},
		{"blurred", crawler.Mobile, crawler.KindOther, "/p/1",
			[]crawler.LogoCandidate{candidate("svg", "", box40, pngOf(t, shot(imagequality.GaussianBlur(seal, 12), 70, 70)))},
			nil, []string{"logo.low-quality@warning"}},
		{"a rival's mark in the content", crawler.Desktop, crawler.KindOther, "/p/1",
			[]crawler.LogoCandidate{candidate("img", logoURL, box40, pngOf(t, shot(seal, 40, 40)))},
			[]crawler.Image{logoImg(sealPNG, 256, 256, box40), {
				Src: "https://shop.example/img/partner.jpg", CurrentSrc: "https://shop.example/img/partner.jpg",
				Selector: "#partner", Alt: "partner", HasAlt: true, NaturalWidth: 120, NaturalHeight: 120,
				Box: crawler.Box{X: 100, Y: 600, W: 120, H: 120}, Visible: true, Complete: true, Status: 200,
				MIME: "image/jpeg", Bytes: rivalPage}}, []string{"logo.foreign@error"}},
		{"a rival's mark as an 800 px product photo", crawler.Desktop, crawler.KindProduct, "/p/1",
			[]crawler.LogoCandidate{candidate("img", logoURL, box40, pngOf(t, shot(seal, 40, 40)))},
			[]crawler.Image{logoImg(sealPNG, 256, 256, box40), photo("rival", rivalPhoto)}, []string{"logo.foreign@error"}},
		{"an 800 px product photo", crawler.Desktop, crawler.KindProduct, "/p/1",
			[]crawler.LogoCandidate{candidate("img", logoURL, box40, pngOf(t, shot(seal, 40, 40)))},
			[]crawler.Image{logoImg(sealPNG, 256, 256, box40), photo("product", cleanPhoto)}, nil},
	}
	env := logoEnv(t, rival())
	var logoRules []*Check
	for _, c := range Registry() {
		if len(c.ID) > 5 && c.ID[:5] == "logo." {
			logoRules = append(logoRules, c)
		}
	}
	if len(logoRules) != 5 {
		t.Fatalf("%d logo rules, want 5", len(logoRules))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := okPage()
			p.URL, p.FinalURL = "https://shop.example"+tt.path, "https://shop.example"+tt.path
			p.Kind, p.Viewport = tt.kind, tt.vp
			p.LogoCandidates, p.Images = tt.cands, tt.ims
			got := []string{}
			for _, f := range RunPage(logoRules, env, p) {
				got = append(got, f.Rule+"@"+string(f.Severity))
				t.Logf("%s %s: %s %v", f.Rule, f.Subject, f.Message, f.Evidence)
			}
			sort.Strings(got)
			want := tt.want
			if want == nil {
				want = []string{}
			}
			if len(got) != len(want) {
				t.Fatalf("got %v, want %v", got, want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("got %v, want %v", got, want)
				}
			}
		})
	}
}

// Without brand.logo no logo rule runs; with only protected marks, only
// logo.foreign does.
func TestLogoRulesEnabled(t *testing.T) {
	ids := func(env *Env) []string {
		var out []string
		for _, c := range Active(Registry(), env) {
			if len(c.ID) > 5 && c.ID[:5] == "logo." {
				out = append(out, c.ID)
			}
		}
		return out
	}
	if got := ids(testEnv()); len(got) != 0 {
		t.Errorf("no brand: active %v", got)
	}
	cfg := testConfig()
	p := filepath.Join(t.TempDir(), "mark.png")
	if err := os.WriteFile(p, pngOf(t, rival()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Brand.ProtectedLogos = []string{p}
	env, err := NewEnv(cfg, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(env); len(got) != 1 || got[0] != "logo.foreign" {
		t.Errorf("protected marks only: active %v", got)
	}
}

// An unreadable or blank reference logo is a config error naming the key.
func TestNewEnvBadLogo(t *testing.T) {
	dir := t.TempDir()
	blank := filepath.Join(dir, "blank.png")
	if err := os.WriteFile(blank, pngOf(t, image.NewNRGBA(image.Rect(0, 0, 50, 50))), 0o644); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(dir, "logo.png")
	if err := os.WriteFile(text, []byte("not an image"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{blank, text} {
		cfg := testConfig()
		cfg.Brand.Logo = path
		_, err := NewEnv(cfg, time.Time{})
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte(`key "brand.logo"`)) {
			t.Errorf("%s: err = %v, want a brand.logo key error", filepath.Base(path), err)
		}
	}
}

// The brand's own logo is judged by the logo rules only: stretched, it is
// logo.distorted and not also image.distorted; another stretched picture
// still is image.distorted.
func TestLogoNotJudgedTwice(t *testing.T) {
	seal := readSeal(t)
	box := crawler.Box{X: 10, Y: 10, W: 72, H: 40}
	stretched := shown(pngOf(t, seal), 256, 256, 72, 40)
	stretched.Src, stretched.CurrentSrc, stretched.Box = logoURL, logoURL, box
	p := pageWith(crawler.Desktop, stretched)
	p.Kind = crawler.KindOther
	p.LogoCandidates = []crawler.LogoCandidate{candidate("img", logoURL, box, pngOf(t, shot(seal, 72, 40)))}
	rules := []*Check{checkByID(t, "image.distorted"), checkByID(t, "logo.distorted")}
	rulesOf := func(fs []Finding) []string {
		out := []string{}
		for _, f := range fs {
			out = append(out, f.Rule)
		}
		return out
	}
	if got := rulesOf(RunPage(rules, logoEnv(t, nil), p)); len(got) != 1 || got[0] != "logo.distorted" {
		t.Errorf("with brand.logo: %v, want [logo.distorted]", got)
	}
	if got := rulesOf(RunPage(rules, testEnv(), p)); len(got) != 1 || got[0] != "image.distorted" {
		t.Errorf("without brand.logo: %v, want [image.distorted]", got)
	}
}
