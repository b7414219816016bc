package testsite

import (
	"image"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/corona10/goimagehash"
	"github.com/disintegration/imaging"

	"github.com/storecheck/storecheck/checks/imagequality"
	"github.com/storecheck/storecheck/checks/logomatch"
)

// decodeFile decodes a generated picture of a site.
func decodeFile(t *testing.T, file string) image.Image {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := imagequality.DecodeLimited(b, 40)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return img
}

// TestLogoPictures holds the logo fixtures' pictures to the logo matcher the
// logo rules use, at the sizes the pages draw them on desktop and on mobile
// (DPR 1.75): each variant is recognised as the seal with only its own
// defect, and nothing else is taken for the seal or the protected mark.
func TestLogoPictures(t *testing.T) {
	dir := filepath.Join(Dir(t, "fixtures"), "img")
	reference := func(name string) *logomatch.Reference {
		ref, err := logomatch.NewReference(decodeFile(t, filepath.Join(dir, name)))
		if err != nil {
			t.Fatal(err)
		}
		return ref
	}
	brand, rival := reference("logo.png"), reference("rival-mark.png")
	type verdict struct{ brand, recoloured, parts, rival bool }
	for _, tc := range []struct {
		file string
		px   int // drawn size on the page, CSS px
		want verdict
	}{
		{"logo.png", 40, verdict{brand: true}},
		{"logo-recoloured.png", 40, verdict{brand: true, recoloured: true}},
		{"logo-nosun.png", 64, verdict{brand: true, parts: true}},
		{"logo-24.png", 40, verdict{brand: true}},
		{"logo-blurred.png", 40, verdict{brand: true}},
		{"badge.png", 32, verdict{}},
		{"badge.png", 40, verdict{}},
		{"rival-mark-page.jpg", 80, verdict{rival: true}},
		{"gallery-1.jpg", 80, verdict{}},
		{"gallery-2.jpg", 80, verdict{}},
		{"sharp-product.jpg", 320, verdict{}},
		{"sharp-gradient.jpg", 320, verdict{}},
		{"photo.jpg", 320, verdict{}},
	} {
		img := decodeFile(t, filepath.Join(dir, tc.file))
		for _, dpr := range []float64{1, 1.75} {
			n := int(float64(tc.px)*dpr + 0.5)
			drawn := imaging.Resize(img, n, n, imaging.Linear)
			m, r := brand.Compare(drawn), rival.Compare(drawn)
			got := verdict{brand: m.Found, recoloured: m.Found && m.Recoloured, parts: m.Found && m.PartsChanged, rival: r.Found}
			t.Logf("%s at %d px: seal distance %d (ΔE %.1f, local %v), rival distance %d",
				tc.file, n, m.ShapeDistance, m.ColourDistance, m.Evidence["local_edge_diff"], r.ShapeDistance)
			if got != tc.want {
				t.Errorf("%s at %d device px: %+v, want %+v", tc.file, n, got, tc.want)
			}
			if m.Found && m.Distorted {
				t.Errorf("%s at %d device px: distorted", tc.file, n)
			}
		}
	}
}

// TestGalleryPictures checks that the fixtures' gallery pictures are
// distinct by perceptual hash, and the thumbnail a near-duplicate of
// gallery-1: product.few-images counts pictures, not URLs.
func TestGalleryPictures(t *testing.T) {
	dir := filepath.Join(Dir(t, "fixtures"), "img")
	names := []string{"gallery-1.jpg", "gallery-2.jpg", "gallery-3.jpg", "gallery-4.jpg", "photo.jpg"}
	hashes := map[string]*goimagehash.ImageHash{}
	for _, n := range append(names, "gallery-1-thumb.jpg") {
		h, err := goimagehash.PerceptionHash(decodeFile(t, filepath.Join(dir, n)))
		if err != nil {
			t.Fatal(err)
		}
		hashes[n] = h
	}
	dist := func(a, b string) int {
		d, _ := hashes[a].Distance(hashes[b])
		return d
	}
	for i, a := range names {
		for _, b := range names[i+1:] {
			if d := dist(a, b); d < 20 {
				t.Errorf("%s and %s: pHash distance %d, want distinct pictures (≥ 20)", a, b, d)
			}
		}
	}
	if d := dist("gallery-1.jpg", "gallery-1-thumb.jpg"); d > 4 {
		t.Errorf("gallery-1-thumb.jpg: pHash distance %d from gallery-1.jpg, want a near-duplicate (≤ 4)", d)
	}
}

// svgInnerRE captures what is inside an <svg> element.
var svgInnerRE = regexp.MustCompile(`(?s)<svg[^>]*>\n?(.*?)</svg>`)

// TestInlineSVGLogo keeps the inline seal of the inline-svg fixture the same
// drawing as img/logo.svg, which the generator writes from the PNG's
// geometry.
func TestInlineSVGLogo(t *testing.T) {
	root := Dir(t, "fixtures")
	file, err := os.ReadFile(filepath.Join(root, "img", "logo.svg"))
	if err != nil {
		t.Fatal(err)
	}
	pg, err := os.ReadFile(filepath.Join(root, "logo", "inline-svg.html"))
	if err != nil {
		t.Fatal(err)
	}
	want, got := svgInnerRE.FindSubmatch(file), svgInnerRE.FindSubmatch(pg)
	if want == nil || got == nil {
		t.Fatalf("no <svg> in logo.svg (%v) or inline-svg.html (%v)", want != nil, got != nil)
	}
	if string(got[1]) != string(want[1]) {
		t.Errorf("inline-svg.html's <svg> differs from img/logo.svg:\n%s\nwant\n%s", got[1], want[1])
	}
}

// logoOptional is the brand.logo_optional the fixtures are swept with.
var logoOptional = regexp.MustCompile(`^/logo/optional`)

// buyRE matches a buy or add-to-cart control on a page.
// buyRE finds a page's buy control: a button, or as old templates write
// it, an <input type=button> or a link.
var buyRE = regexp.MustCompile(`<button[^>]*>(加入购物车|立即购买)</button>|<input[^>]*value="(加入购物车|立即购买)"|<a [^>]*>(加入购物车|立即购买)</a>`)

// TestSitePagesLogoAndGallery audits every page against the logo and product
// rules: a page answering 2xx shows the brand seal unless it expects
// logo.missing or its path is logo-optional; a product page shows at least 3
// distinct gallery pictures (pictures a perceptual hash cannot tell apart
// count once) unless it expects product.few-images.
func TestSitePagesLogoAndGallery(t *testing.T) {
	sites := filepath.Dir(Dir(t, "demo"))
	hashes := map[string]*goimagehash.ImageHash{}
	hashOf := func(file string) *goimagehash.ImageHash {
		if h, ok := hashes[file]; ok {
			return h
		}
		h, err := goimagehash.PerceptionHash(decodeFile(t, file))
		if err != nil {
			t.Fatal(err)
		}
		hashes[file] = h
		return h
	}
	css, err := os.ReadFile(filepath.Join(sites, "fixtures", "css", "fixture.css"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`\.brand-mark \{[^}]*background: url\(/img/logo\.png\)`).Match(css) {
		t.Error("fixture.css: .brand-mark does not draw /img/logo.png")
	}
	for _, site := range []string{"demo", "fixtures", "messy"} {
		root := filepath.Join(sites, site)
		pages, err := readPages(root)
		if err != nil {
			t.Fatal(err)
		}
		exp, err := Expectations(root)
		if err != nil {
			t.Fatal(err)
		}
		products := 0
		for _, pg := range pages {
			expects := func(rule string) bool { return slices.Contains(exp[pg.path], rule) }
			src, err := os.ReadFile(pg.file)
			if err != nil {
				t.Fatal(err)
			}
			seal := false
			var gallery []string
			for _, tg := range pg.tags {
				s := strings.TrimPrefix(tg.attrs["src"], "/")
				s, _, _ = strings.Cut(s, "?")
				switch {
				case tg.name == "img" && strings.HasPrefix(s, "img/logo"):
					seal = true
				case tg.name == "svg" && tg.attrs["aria-label"] == "山野茶铺":
					seal = true
				case tg.attrs["class"] == "brand-mark": // fixture.css draws the seal as its background
					seal = true
				case tg.attrs["class"] == "service-icon": // the demo's shared header, not the gallery
				case tg.name == "img" && s != "" && !strings.HasPrefix(s, "img/badge"):
					gallery = append(gallery, filepath.Join(root, filepath.FromSlash(s)))
				}
			}
			errorPage := errorPageRE.MatchString(pg.path)
			wantSeal := !errorPage && !expects("logo.missing") && !logoOptional.MatchString(pg.path)
			if !errorPage && seal != wantSeal {
				t.Errorf("%s: shows the seal %v, want %v", pg.file, seal, wantSeal)
			}
			if !buyRE.Match(src) {
				if expects("product.few-images") {
					t.Errorf("%s expects product.few-images but has no buy control", pg.file)
				}
				continue
			}
			products++
			var distinct []*goimagehash.ImageHash
			for _, f := range gallery {
				if _, err := os.Stat(f); err != nil {
					continue
				}
				h := hashOf(f)
				if !slices.ContainsFunc(distinct, func(o *goimagehash.ImageHash) bool { d, _ := h.Distance(o); return d <= 8 }) {
					distinct = append(distinct, h)
				}
			}
			if few := len(distinct) < 3; few != expects("product.few-images") {
				t.Errorf("%s: %d distinct gallery pictures; expects product.few-images: %v", pg.file, len(distinct), expects("product.few-images"))
			}
		}
		if products < 2 {
			t.Errorf("%s: %d product pages", site, products)
		}
	}
}
