package checks

import (
	"bytes"
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"github.com/storecheck/storecheck/checks/imagequality"
	"github.com/storecheck/storecheck/crawler"
)

// checkThumb fails unless ev is a thumbnail of role whose Data decodes to
// its declared W×H and MIME, at most evidenceSide px and evidenceMaxBytes.
func checkThumb(t *testing.T, ev EvidenceImage, role string) {
	t.Helper()
	if ev.Role != role {
		t.Errorf("role %q, want %q", ev.Role, role)
	}
	img, format, err := image.Decode(bytes.NewReader(ev.Data))
	if err != nil {
		t.Fatalf("%s thumbnail does not decode: %v", ev.MIME, err)
	}
	if "image/"+format != ev.MIME {
		t.Errorf("MIME %s, data is %s", ev.MIME, format)
	}
	if b := img.Bounds(); b.Dx() != ev.W || b.Dy() != ev.H {
		t.Errorf("declared %d×%d, decodes to %d×%d", ev.W, ev.H, b.Dx(), b.Dy())
	}
	if max(ev.W, ev.H) > evidenceSide || len(ev.Data) > evidenceMaxBytes {
		t.Errorf("%d×%d, %d bytes: over %d px or %d bytes", ev.W, ev.H, len(ev.Data), evidenceSide, evidenceMaxBytes)
	}
}

func TestThumbnail(t *testing.T) {
	seal := readSeal(t) // 256 px, transparent outside the disc
	twoColours := imaging.New(1000, 400, color.NRGBA{200, 30, 40, 255})
	twoColours = imaging.Paste(twoColours, imaging.New(500, 400, color.White), image.Pt(500, 0))
	tests := []struct {
		name string
		img  image.Image
		mime string
		w, h int
	}{
		{"photo 900×600", imaging.Resize(imagequality.TestImage("photo", 900), 900, 600, imaging.Linear), "image/jpeg", 240, 160},
		{"portrait photo 400×1000", imaging.Resize(imagequality.TestImage("foliage", 400), 400, 1000, imaging.Linear), "image/jpeg", 96, 240},
		{"small photo is not upscaled", imagequality.TestImage("fabric", 150), "image/jpeg", 150, 150},
		{"product on white", imagequality.TestImage("product", 600), "image/jpeg", 240, 240},
		{"text", imagequality.TestImage("text", 600), "image/jpeg", 240, 240},
		{"transparent logo", seal, "image/png", 240, 240},
		{"logo screenshot 72×40", shot(seal, 72, 40), "image/png", 72, 40},
		// Flat, but its PNG is 3× the JPEG's bytes.
		{"large logo screenshot, downscaled", shot(seal, 300, 300), "image/jpeg", 240, 240},
		{"flat banner, two colours", twoColours, "image/png", 240, 96},
		{"tiny icon", imagequality.TestImage("photo", 32), "image/png", 32, 32},
		{"thin strip keeps a row", imaging.New(2000, 3, color.Black), "image/png", 240, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, ok := thumbnail(ImageFlagged, tt.img)
			if !ok {
				t.Fatal("no thumbnail")
			}
			t.Logf("%s %d×%d, %d bytes", ev.MIME, ev.W, ev.H, len(ev.Data))
			checkThumb(t, ev, ImageFlagged)
			if ev.MIME != tt.mime || ev.W != tt.w || ev.H != tt.h {
				t.Errorf("%s %d×%d, want %s %d×%d", ev.MIME, ev.W, ev.H, tt.mime, tt.w, tt.h)
			}
			// Stored and compared across runs: the same picture, the same bytes.
			if again, _ := thumbnail(ImageFlagged, tt.img); !bytes.Equal(again.Data, ev.Data) {
				t.Error("a second thumbnail of the same picture differs")
			}
		})
	}
	if _, ok := thumbnail(ImageFlagged, image.NewNRGBA(image.Rect(0, 0, 0, 0))); ok {
		t.Error("a thumbnail of an empty image")
	}
}

// Every finding about one picture carries its thumbnail; logo findings carry
// the logo as drawn beside the reference. Findings without pixels to show
// (a broken image, one too large to decode) carry none. With or without the
// sweep's measure cache.
func TestFindingImages(t *testing.T) {
	seal := readSeal(t)
	sealPNG := pngOf(t, seal)
	photo := func(side int) []byte { return jpegOf(t, imagequality.TestImage("photo", side), 85) }
	p400 := photo(400)
	sharp := imagequality.TestImage("product", 800)
	blurred := jpegOf(t, imagequality.GaussianBlur(sharp, 2), 85)
	noAlt := shown(p400, 400, 400, 400, 400)
	noAlt.Alt, noAlt.HasAlt = "", false
	gone := shown(nil, 0, 0, 300, 300)
	gone.Status = 404
	huge := encodePNG(t, 7000, 6000)
	box40 := crawler.Box{X: 20, Y: 10, W: 40, H: 40}
	logoImg := func(data []byte, w, h int, box crawler.Box) crawler.Image {
		im := shown(data, w, h, box.W, box.H)
		im.Src, im.CurrentSrc, im.Box = logoURL, logoURL, box
		return im
	}
	tiny := imaging.Resize(seal, 24, 24, imaging.Lanczos)
	partner := shown(jpegOf(t, imaging.Resize(rival(), 120, 120, imaging.Lanczos), 80), 120, 120, 120, 120)
	partner.Src, partner.CurrentSrc = "https://shop.example/img/partner.jpg", "https://shop.example/img/partner.jpg"
	const g = "https://shop.example/img/g"

	tests := []struct {
		rule  string
		ims   []crawler.Image
		cands []crawler.LogoCandidate
		want  []string // roles of the finding's Images
	}{
		{"image.low-resolution", []crawler.Image{shown(photo(200), 200, 200, 600, 600)}, nil, []string{ImageFlagged}},
		{"image.distorted", []crawler.Image{shown(p400, 400, 400, 400, 200)}, nil, []string{ImageFlagged}},
		{"image.blurry", []crawler.Image{shown(blurred, 800, 800, 400, 400)}, nil, []string{ImageFlagged}},
		{"image.oversized-file", []crawler.Image{shown(pad(p400, 250_000), 400, 400, 100, 100)}, nil, []string{ImageFlagged}},
		{"image.missing-alt", []crawler.Image{noAlt}, nil, []string{ImageFlagged}},
		{"image.broken", []crawler.Image{gone}, nil, nil},
		{"image.too-large", []crawler.Image{shown(huge, 7000, 6000, 350, 300)}, nil, nil},
		{"logo.distorted", []crawler.Image{logoImg(sealPNG, 256, 256, crawler.Box{W: 72, H: 40})},
			[]crawler.LogoCandidate{candidate("img", logoURL, crawler.Box{W: 72, H: 40}, pngOf(t, shot(seal, 72, 40)))},
			[]string{ImageDrawn, ImageReference}},
		{"logo.altered", nil,
			[]crawler.LogoCandidate{candidate("background", logoURL, box40, pngOf(t, shot(recolour(seal), 40, 40)))},
			[]string{ImageDrawn, ImageReference}},
		{"logo.low-quality", []crawler.Image{logoImg(pngOf(t, tiny), 24, 24, box40)},
			[]crawler.LogoCandidate{candidate("img", logoURL, box40, pngOf(t, shot(tiny, 40, 40)))},
			[]string{ImageDrawn, ImageReference}},
		{"logo.foreign", []crawler.Image{partner}, nil, []string{ImageFlagged, ImageReference}},
		{"product.few-images", []crawler.Image{galleryImage(g+"1.jpg", p400, 400, 400),
			galleryImage(g+"1b.jpg", p400, 400, 80), galleryImage(g+"2.jpg", jpegOf(t, sharp, 85), 800, 80)},
			nil, []string{ImageFlagged, ImageFlagged}},
	}
	cached := logoEnv(t, rival())
	bareEnv := *cached
	bareEnv.Measures = nil
	bare := &bareEnv
	for _, env := range []struct {
		name string
		env  *Env
	}{{"cache", cached}, {"no cache", bare}} {
		for _, tt := range tests {
			t.Run(env.name+"/"+tt.rule, func(t *testing.T) {
				p := pageWith(crawler.Desktop, tt.ims...)
				p.LogoCandidates = tt.cands
				p.Requests = []crawler.Request{{URL: imgURL, Type: "Image", Status: 404}}
				fs := RunPage([]*Check{checkByID(t, tt.rule)}, env.env, p)
				if len(fs) != 1 {
					t.Fatalf("%d findings, want 1: %+v", len(fs), fs)
				}
				got := fs[0].Images
				if len(got) != len(tt.want) {
					t.Fatalf("%d images, want roles %v", len(got), tt.want)
				}
				for i, ev := range got {
					t.Logf("%s: %s %d×%d, %d bytes", ev.Role, ev.MIME, ev.W, ev.H, len(ev.Data))
					checkThumb(t, ev, tt.want[i])
				}
			})
		}
	}
}

// No thumbnail is made for a page without findings: the per-picture cost of
// a clean page is what it was.
func TestNoEvidenceOnCleanPage(t *testing.T) {
	seal := readSeal(t)
	env := logoEnv(t, rival())
	const g = "https://shop.example/img/g"
	pic := func(kind string) []byte { return jpegOf(t, imagequality.TestImage(kind, 400), 85) }
	box40 := crawler.Box{X: 20, Y: 10, W: 40, H: 40}
	logo := shown(pngOf(t, seal), 256, 256, 40, 40)
	logo.Src, logo.CurrentSrc, logo.Box = logoURL, logoURL, box40
	p := pageWith(crawler.Desktop, logo, galleryImage(g+"1.jpg", pic("photo"), 400, 400),
		galleryImage(g+"2.jpg", pic("fabric"), 400, 400), galleryImage(g+"3.jpg", pic("product"), 400, 400))
	p.LogoCandidates = []crawler.LogoCandidate{candidate("img", logoURL, box40, pngOf(t, shot(seal, 40, 40)))}
	var rules []*Check
	for _, c := range Active(Registry(), env) {
		if family, _, _ := strings.Cut(c.ID, "."); c.Run != nil && (family == "image" || family == "logo" || family == "product") {
			rules = append(rules, c)
		}
	}
	if fs := RunPage(rules, env, p); len(fs) != 0 {
		t.Fatalf("findings on the clean page: %+v", fs)
	}
	c := env.Measures
	if c.evidenceBytes != 0 {
		t.Errorf("%d bytes of thumbnails made for a clean page", c.evidenceBytes)
	}
	for _, m := range c.entries {
		if m.done&needEvidence != 0 || len(m.evidence.Data) > 0 {
			t.Error("a measured picture got a thumbnail")
		}
	}
}

// A picture decoded for a measure that will be reported keeps its thumbnail
// from that decode; past the cache's budget a thumbnail is still handed out
// but not kept.
func TestEvidenceCache(t *testing.T) {
	env := testEnv()
	blurred := jpegOf(t, imagequality.GaussianBlur(imagequality.TestImage("product", 800), 2), 85)
	if m := env.measure(blurred, needSharpness, 40); m.done&needEvidence == 0 || len(m.evidence.Data) == 0 {
		t.Error("a blurry picture's thumbnail was not made while it was decoded")
	}
	sharp := jpegOf(t, imagequality.TestImage("product", 800), 85)
	if m := env.measure(sharp, needSharpness, 40); m.done&needEvidence != 0 {
		t.Error("a sharp picture got a thumbnail")
	}

	env.Measures.evidenceBytes = maxEvidenceBytes
	for range 2 {
		ev, ok := env.evidence(sharp, ImageFlagged, 40)
		if !ok {
			t.Fatal("no thumbnail past the budget")
		}
		checkThumb(t, ev, ImageFlagged)
	}
	if m := env.Measures.entry(sharp); m.done&needEvidence != 0 || m.evidence.Data != nil {
		t.Error("a thumbnail was kept past the budget")
	}
	if _, ok := env.evidence([]byte("not a picture"), ImageFlagged, 40); ok {
		t.Error("a thumbnail of undecodable bytes")
	}
	if _, ok := testEnv().evidence(sharp, ImageFlagged, 0.01); ok {
		t.Error("a picture over max_megapixels was decoded")
	}
}
