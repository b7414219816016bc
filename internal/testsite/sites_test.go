package testsite

import (
	"crypto/sha256"
	"encoding/xml"
	"image"
	_ "image/jpeg"
	_ "image/png"

	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	_ "golang.org/x/image/webp"

	"github.com/storecheck/storecheck/checks/imagequality"
	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/internal/testsite/ocrfix"
)

// TestSiteExpectations reads both sites' expectations: their markup is
// well-formed (see Read), and each plants defects beside clean pages.
// Which rules they cover is TestFixtureCoverage's (cmd/storecheck), whether a
// sweep agrees TestFixtures' and TestDemoShop's.
func TestSiteExpectations(t *testing.T) {
	for _, tc := range []struct {
		site           string
		planted, clean int // at least this many pages
		// shared are the defects of the site's shared header, planted on
		// every page (the demo's squashed service icon): a page with only
		// those counts as clean, since the sweep must find nothing else.
		shared []string
	}{
		{"demo", 8, 7, []string{"image.distorted"}},
		{"messy", 0, 7, nil},
		{"fixtures", 60, 34, nil},
	} {
		t.Run(tc.site, func(t *testing.T) {
			fx, err := Read(Dir(t, tc.site))
			if err != nil {
				t.Fatal(err)
			}
			planted, clean := 0, 0
			for _, rules := range fx.Expect {
				if !slices.ContainsFunc(rules, func(r string) bool { return !slices.Contains(tc.shared, r) }) {
					clean++
				} else {
					planted++
				}
			}
			if planted < tc.planted || clean < tc.clean {
				t.Errorf("%d pages with planted defects, %d clean; want at least %d and %d", planted, clean, tc.planted, tc.clean)
			}
		})
	}
}

// ref is a reference from a page to something the browser would load or
// follow.
type ref struct {
	tag, attr, value string
	target           string // same-site path, "" for none
	expectTarget     string
}

func pageRefs(t *testing.T, pg page) []ref {
	t.Helper()
	var refs []ref
	for _, tg := range pg.tags {
		var attrs []string
		switch tg.name {
		case "a", "link":
			attrs = []string{"href"}
		case "script", "iframe", "audio", "video", "source", "track", "embed":
			attrs = []string{"src"}
		case "img":
			attrs = []string{"src", "srcset"}
		}
		for _, a := range attrs {
			v, ok := tg.attrs[a]
			if !ok {
				continue
			}
			vals := []string{v}
			if a == "srcset" {
				vals = nil
				for _, c := range strings.Split(v, ",") {
					if f := strings.Fields(c); len(f) > 0 {
						vals = append(vals, f[0])
					}
				}
			}
			for _, v := range vals {
				r := ref{tag: tg.name, attr: a, value: v, expectTarget: tg.attrs["data-expect-target"]}
				// javascript: links lead nowhere, as old templates' cards and
				// buttons do: nothing to fetch.
				if strings.HasPrefix(v, "mailto:") || strings.HasPrefix(v, "tel:") || strings.HasPrefix(v, "javascript:") {
					refs = append(refs, r)
					continue
				}
				if tg.name == "img" && a == "src" && strings.HasPrefix(v, "data:image/") {
					continue // an inline lazy-load spacer: nothing to fetch
				}
				if !placeholderRE.MatchString(v) && regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:|^//`).MatchString(v) {
					t.Errorf("%s: <%s %s=%q>: the sites must not reach other hosts", pg.file, tg.name, a, v)
					continue
				}
				target, err := pg.resolve(v)
				if err != nil {
					t.Errorf("%s: <%s %s=%q>: %v", pg.file, tg.name, a, v, err)
					continue
				}
				r.target = target
				refs = append(refs, r)
			}
		}
	}
	return refs
}

// served reports whether a same-site path answers 200 from the handler.
func served(root, target string) bool {
	p, query, _ := strings.Cut(target, "?")
	switch {
	case p == "/heavy.bin":
		kb, err := strconv.Atoi(strings.TrimPrefix(query, "kb="))
		return query == "" || err == nil && kb >= 0 && kb <= MaxHeavyKB
	case strings.HasPrefix(p, "/status/"), errorPageRE.MatchString(p):
		return false
	}
	if strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	info, err := os.Stat(filepath.Join(root, filepath.FromSlash(path.Clean(p))))
	return err == nil && info.Mode().IsRegular()
}

// TestSiteLinks is a link checker over the files: every reference resolves
// to a file the handler serves, or is a planted defect that says so.
func TestSiteLinks(t *testing.T) {
	for _, site := range []string{"demo", "fixtures", "messy"} {
		t.Run(site, func(t *testing.T) {
			root := Dir(t, site)
			pages, err := readPages(root)
			if err != nil {
				t.Fatal(err)
			}
			exp, err := Expectations(root)
			if err != nil {
				t.Fatal(err)
			}
			checked := 0
			for _, pg := range pages {
				expects := func(rule string) bool { return slices.Contains(exp[pg.path], rule) }
				brokenLinks, brokenResources, insecure := 0, 0, 0
				for _, r := range pageRefs(t, pg) {
					if strings.HasPrefix(r.value, "{{HTTPBASE}}") {
						insecure++
					}
					if r.target == "" {
						continue
					}
					checked++
					ok := served(root, r.target)
					switch {
					case r.tag == "a":
						if ok && r.expectTarget != "" {
							t.Errorf("%s: link to %s carries data-expect-target but works", pg.file, r.target)
						}
						if !ok {
							brokenLinks++
							if !strings.Contains(r.expectTarget, "page.http-error") || !expects("page.broken-link") {
								t.Errorf("%s: broken link to %s: not a planted defect (data-expect-target page.http-error on the link, page.broken-link on the page)", pg.file, r.target)
							}
						}
					case r.tag == "img":
						if !ok && !expects("image.broken") {
							t.Errorf("%s: <img src=%q> does not exist", pg.file, r.value)
						}
					case r.tag == "link" && r.target == pg.path:
						// rel=canonical to itself
					default:
						if !ok {
							brokenResources++
							if !expects("page.broken-resource") {
								t.Errorf("%s: <%s %s=%q> does not exist and the page does not expect page.broken-resource", pg.file, r.tag, r.attr, r.value)
							}
						}
					}
				}
				if expects("page.broken-link") && brokenLinks == 0 {
					t.Errorf("%s expects page.broken-link but has no broken link", pg.file)
				}
				if expects("page.broken-resource") && brokenResources == 0 {
					t.Errorf("%s expects page.broken-resource but loads no missing resource", pg.file)
				}
				if expects("security.mixed-content") != (insecure > 0) {
					t.Errorf("%s: %d {{HTTPBASE}} resources; expects security.mixed-content: %v", pg.file, insecure, expects("security.mixed-content"))
				}
			}
			if checked < 50 {
				t.Errorf("checked only %d references", checked)
			}
		})
	}
}

// TestSiteMaps checks that robots.txt and sitemap.xml point at pages that
// exist and that sitemap lists every page a sweep must see.
func TestSiteMaps(t *testing.T) {
	for _, site := range []string{"demo", "fixtures"} {
		t.Run(site, func(t *testing.T) {
			root := Dir(t, site)
			robots, err := os.ReadFile(filepath.Join(root, "robots.txt"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(robots), "Sitemap: {{BASE}}/sitemap.xml") {
				t.Errorf("robots.txt does not point at {{BASE}}/sitemap.xml:\n%s", robots)
			}
			b, err := os.ReadFile(filepath.Join(root, "sitemap.xml"))
			if err != nil {
				t.Fatal(err)
			}
			var sm struct {
				URLs []struct {
					Loc string `xml:"loc"`
				} `xml:"url"`
			}
			if err := xml.Unmarshal(b, &sm); err != nil {
				t.Fatal(err)
			}
			if len(sm.URLs) < 10 {
				t.Errorf("sitemap lists %d URLs", len(sm.URLs))
			}
			for _, u := range sm.URLs {
				p, ok := strings.CutPrefix(u.Loc, "{{BASE}}")
				if !ok || !served(root, p) {
					t.Errorf("sitemap URL %q is not a page of the site", u.Loc)
				}
			}
		})
	}
}

// imageSizes are the decoded sizes of the generated pictures, by glob.
var imageSizes = []struct {
	glob string
	w, h int
	n    int  // files expected
	big  bool // over 200 KB on purpose (image.oversized-file)
}{
	{"fixtures/ocr/drawn/*.png", 750, 250, 2, false},
	{"demo/img/products/*.jpg", 800, 800, 8, false},
	{"demo/img/gallery/*.jpg", 800, 800, 6, false},
	{"demo/img/banner-double11.jpg", 1350, 400, 1, false},
	{"demo/img/logo.png", 256, 256, 1, false},
	{"demo/img/favicon.png", 64, 64, 1, false},
	{"messy/img/p/*.jpg", 800, 800, 8, false},
	{"messy/img/logo.png", 256, 256, 1, false},
	{"messy/img/favicon.png", 64, 64, 1, false},
	{"messy/img/badge.png", 128, 128, 1, false},
	{"messy/img/card/*.jpg", 400, 400, 11, false},
	{"messy/img/card/[hz]*.webp", 400, 400, 2, false},
	{"messy/img/card/dahongpao.webp", 300, 300, 1, false},
	{"fixtures/img/logo.png", 256, 256, 1, false},
	{"fixtures/img/favicon.png", 64, 64, 1, false},
	{"fixtures/img/photo.jpg", 800, 800, 1, false},
	{"fixtures/img/photo-blurred.jpg", 800, 800, 1, false},
	{"fixtures/img/photo-blur-*.jpg", 800, 800, 2, false},
	{"fixtures/img/sharp-*.jpg", 800, 800, 5, false},
	{"fixtures/img/gallery-?.jpg", 800, 800, 4, false},
	{"fixtures/img/gallery-1-thumb.jpg", 160, 160, 1, false},
	{"fixtures/img/logo-recoloured.png", 256, 256, 1, false},
	{"fixtures/img/logo-nosun.png", 256, 256, 1, false},
	{"fixtures/img/logo-blurred.png", 256, 256, 1, false},
	{"fixtures/img/logo-24.png", 24, 24, 1, false},
	{"fixtures/img/rival-mark.png", 300, 300, 1, false},
	{"fixtures/img/rival-mark-page.jpg", 120, 120, 1, false},
	{"fixtures/img/badge.png", 128, 128, 1, false},
	{"demo/img/service.png", 128, 128, 1, false},
	{"fixtures/img/thumb-200.jpg", 200, 200, 1, false},
	{"fixtures/img/heavy.jpg", 800, 800, 1, true},
	{"fixtures/img/huge-flat.png", 7000, 6000, 1, false},
}

func TestSiteImages(t *testing.T) {
	sites := filepath.Dir(Dir(t, "demo"))
	total := int64(0)
	seen := map[[32]byte]string{}
	sizes := map[string][2]int{} // path under the site → decoded size
	for _, tc := range imageSizes {
		files, err := filepath.Glob(filepath.Join(sites, filepath.FromSlash(tc.glob)))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != tc.n {
			t.Errorf("%s: %d files, want %d", tc.glob, len(files), tc.n)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(sites, f)
			if strings.HasPrefix(rel, "demo") {
				total += int64(len(b))
			}
			img, format, err := image.Decode(strings.NewReader(string(b)))
			if err != nil {
				t.Errorf("%s: %v", rel, err)
				continue
			}
			if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w != tc.w || h != tc.h {
				t.Errorf("%s: %d×%d, want %d×%d", rel, w, h, tc.w, tc.h)
			}
			if want := strings.TrimPrefix(filepath.Ext(f), "."); format != strings.Replace(want, "jpg", "jpeg", 1) {
				t.Errorf("%s: format %s", rel, format)
			}
			// image.oversized-file reports big files over 200 KB
			if len(b) > 200_000 && !tc.big {
				t.Errorf("%s: %d bytes, want at most 200 KB", rel, len(b))
			}
			sum := sha256.Sum256(b)
			if other, dup := seen[sum]; dup && filepath.Base(f) != filepath.Base(other) {
				t.Errorf("%s is a copy of %s: every picture must be distinct", rel, other)
			}
			seen[sum] = rel
			sizes[filepath.ToSlash(rel)] = [2]int{img.Bounds().Dx(), img.Bounds().Dy()}
		}
	}
	if total > 3<<20 {
		t.Errorf("demo images total %d bytes, want under 3 MB", total)
	}
	// The OCR fixture pictures state their sizes in their manifest (whose
	// own test decodes them).
	ocrPics, err := ocrfix.Load(filepath.Join(sites, "fixtures", "ocr", "img"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ocrPics {
		sizes["fixtures/ocr/img/"+p.File] = [2]int{p.Width, p.Height}
	}

	// Every <img> names its decoded size in width/height, so nothing moves
	// when it loads and nothing is stretched.
	// The image-rule fixtures plant broken pictures and pictures without alt
	// on purpose; the page's data-expect (or, for a near-miss, data-no-alt on
	// the <img>) says so.
	for _, site := range []string{"demo", "fixtures", "messy"} {
		pages, err := readPages(filepath.Join(sites, site))
		if err != nil {
			t.Fatal(err)
		}
		exp, err := Expectations(filepath.Join(sites, site))
		if err != nil {
			t.Fatal(err)
		}
		for _, pg := range pages {
			expects := func(rule string) bool { return slices.Contains(exp[pg.path], rule) }
			for _, tg := range pg.tags {
				if tg.name != "img" {
					continue
				}
				src, _, _ := strings.Cut(strings.TrimPrefix(tg.attrs["src"], "/"), "?")
				size, ok := sizes[site+"/"+src]
				if strings.HasPrefix(src, "data:") {
					// A lazy-load spacer: no file; width/height reserve the
					// picture that data-src names.
					size, ok = sizes[site+"/"+strings.TrimPrefix(tg.attrs["data-src"], "/")]
				}
				if !ok && expects("image.broken") {
					continue
				}
				if !ok {
					t.Errorf("%s: <img src=%q> is not a generated picture", pg.file, tg.attrs["src"])
					continue
				}
				if tg.attrs["width"] != strconv.Itoa(size[0]) || tg.attrs["height"] != strconv.Itoa(size[1]) {
					t.Errorf("%s: <img src=%q width=%q height=%q>, picture is %d×%d", pg.file, tg.attrs["src"], tg.attrs["width"], tg.attrs["height"], size[0], size[1])
				}
				_, noAlt := tg.attrs["data-no-alt"]
				if strings.TrimSpace(tg.attrs["alt"]) == "" && !noAlt && !expects("image.missing-alt") {
					t.Errorf("%s: <img src=%q> has no alt text", pg.file, tg.attrs["src"])
				}
			}
		}
	}
}

// TestSiteImagesSharp guards the photos against a regenerated, soft set: the
// demo's photos and the fixtures' sharp and gallery pictures must pass the
// blur rule's own measure, and the fixtures' blurred photos (σ 1.5, 2, 3)
// must fail it.
func TestSiteImagesSharp(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(Dir(t, "demo"), "img", "*", "*.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	banner, _ := filepath.Glob(filepath.Join(Dir(t, "demo"), "img", "*.jpg"))
	files = append(files, banner...)
	if len(files) < 15 {
		t.Fatalf("found %d photos", len(files))
	}
	fixtures := filepath.Join(Dir(t, "fixtures"), "img")
	blurred := map[string]bool{}
	for _, name := range []string{"photo-blurred.jpg", "photo-blur-1-5.jpg", "photo-blur-3.jpg"} {
		blurred[filepath.Join(fixtures, name)] = true
		files = append(files, filepath.Join(fixtures, name))
	}
	sharp, _ := filepath.Glob(filepath.Join(fixtures, "sharp-*.jpg"))
	gallery, _ := filepath.Glob(filepath.Join(fixtures, "gallery-?.jpg"))
	if len(sharp) != 5 || len(gallery) != 4 {
		t.Fatalf("found %d sharp and %d gallery pictures", len(sharp), len(gallery))
	}
	files = append(append(files, sharp...), gallery...)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		img, _, err := imagequality.DecodeLimited(b, 40)
		if err != nil {
			t.Fatal(err)
		}
		r := imagequality.Sharpness(img)
		t.Logf("%s: blur score %.3f, Laplacian variance %.1f", filepath.Base(f), r.Score, r.LaplacianVar)
		if want := blurred[f]; r.Blurry != want || r.Skipped != "" {
			t.Errorf("%s: blurry %v (score %.3f, skipped %q), want %v", f, r.Blurry, r.Score, r.Skipped, want)
		}
	}
}

// TestSiteConfigs loads each site's storecheck.yaml (scripts/demo.sh sweeps
// the demo with its own, TestFixtures the fixtures with theirs) through the
// real config loader.
func TestSiteConfigs(t *testing.T) {
	for _, site := range []string{"demo", "fixtures"} {
		t.Run(site, func(t *testing.T) {
			cfg, err := config.Load(filepath.Join(Dir(t, site), "storecheck.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			for _, logo := range append([]string{cfg.Brand.Logo}, cfg.Brand.ProtectedLogos...) {
				if _, err := os.Stat(logo); err != nil {
					t.Errorf("brand: %v", err)
				}
			}
			start, end := cfg.CampaignWindow()
			if start.IsZero() || end.IsZero() || !end.After(start) {
				t.Errorf("campaign window %v – %v", start, end)
			}
		})
	}
}
