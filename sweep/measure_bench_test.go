package sweep

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/disintegration/imaging"

	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/storage"
)

// productPage is a product page as the crawler hands it to the checks: the
// header logo (its <img> and its screenshot as a logo candidate), a
// gallery of six 800 px photos (one blurred) and a picture showing the
// rival's mark, all from the fixtures, which are judged under the
// fixtures' brand config.
func productPage(tb testing.TB) (*crawler.Page, *config.Config) {
	tb.Helper()
	root := filepath.Join("..", "testdata", "sites", "fixtures")
	cfg, err := config.Load(filepath.Join(root, "storecheck.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	cfg.OCR.Enabled = false
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(root, "img", name))
		if err != nil {
			tb.Fatal(err)
		}
		return b
	}
	pg := &crawler.Page{URL: "https://shop.example/item/1.html", FinalURL: "https://shop.example/item/1.html",
		Status: 200, Kind: crawler.KindProduct, HTML: "<html><body><h1>山野红茶</h1></body></html>"}
	img := func(name, sel string, box crawler.Box, gallery bool) crawler.Image {
		u := "https://shop.example/img/" + name
		return crawler.Image{Src: u, CurrentSrc: u, Selector: sel, Alt: name, HasAlt: true, Box: box,
			Visible: true, Complete: true, Status: 200, Gallery: gallery, Bytes: read(name)}
	}
	logoBox := crawler.Box{X: 20, Y: 10, W: 80, H: 80}
	pg.Images = append(pg.Images, img("logo.png", "#logo", logoBox, false))
	for i, name := range []string{"gallery-1.jpg", "gallery-2.jpg", "gallery-3.jpg", "gallery-4.jpg", "sharp-product.jpg", "photo-blurred.jpg"} {
		pg.Images = append(pg.Images, img(name, ".gallery img", crawler.Box{X: 100, Y: 200 + 420*float64(i), W: 400, H: 400}, true))
	}
	pg.Images = append(pg.Images, img("rival-mark-page.jpg", ".promo img", crawler.Box{X: 600, Y: 200, W: 200, H: 200}, false))
	logo, err := png.Decode(bytes.NewReader(read("logo.png")))
	if err != nil {
		tb.Fatal(err)
	}
	var shot bytes.Buffer
	if err := png.Encode(&shot, imaging.Resize(logo, 80, 80, imaging.Linear)); err != nil {
		tb.Fatal(err)
	}
	pg.LogoCandidates = []crawler.LogoCandidate{{Selector: "#logo", Kind: "img", Src: pg.Images[0].Src, Box: logoBox,
		Why: "header", NaturalWidth: 256, NaturalHeight: 256, Shot: shot.Bytes()}}
	return pg, &cfg
}

// checkPage is one sweep's checks of pg: the rules and their measure cache
// built as Run builds them, over the store of the database at path, the
// page checked, the cache saved. Only the checking and the saving count
// in the benchmark's time.
func checkPage(b *testing.B, cfg *config.Config, path string, pg *crawler.Page) (r pageRun) {
	b.StopTimer()
	ctx := context.Background()
	db, err := storage.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rs, err := newRules(cfg, time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC), false)
	if err != nil {
		b.Fatal(err)
	}
	rs.env.UseMeasureStore(db.MeasureStore())
	b.StartTimer()
	c0, t0 := cpuTime(), time.Now()
	fs, _ := rs.page(pg, nil)
	c1, t1 := cpuTime(), time.Now()
	if err := rs.env.Measures.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	return pageRun{findings: len(fs), decoded: rs.env.Measures.Stats().Decoded,
		checkCPU: c1 - c0, checkWall: t1.Sub(t0), flushWall: time.Since(t1)}
}

// pageRun is what checkPage measured.
type pageRun struct {
	findings            int
	decoded             int64
	checkCPU, checkWall time.Duration // the page's checks
	flushWall           time.Duration // saving the cache
}

// BenchmarkProductPageMeasures is the checks of one product page with eight
// pictures and a logo candidate, as the first page of a sweep (every
// picture new to its cache): "cold" with an empty store, as every sweep
// was before measures were stored; "warm" with the store filled by an
// earlier sweep of the same page. ns/op is the checks and the saving of the
// cache, per page; check-ms/op and check-cpu-ms/op the checks alone (wall
// and CPU time), flush-ms/op the saving. The warm run must decode nothing.
func BenchmarkProductPageMeasures(b *testing.B) {
	pg, cfg := productPage(b)
	for _, warm := range []bool{false, true} {
		name := "cold"
		if warm {
			name = "warm"
		}
		b.Run(name, func(b *testing.B) {
			dir := b.TempDir()
			path := filepath.Join(dir, "warm.db")
			coldFindings := checkPage(b, cfg, path, pg).findings
			var sum pageRun
			b.ResetTimer()
			for i := range b.N {
				if !warm {
					path = filepath.Join(dir, "cold.db")
					os.Remove(path)
					db, err := storage.Open(context.Background(), path) // the schema is not what is measured
					if err != nil {
						b.Fatal(err)
					}
					db.Close()
				}
				r := checkPage(b, cfg, path, pg)
				if r.findings != coldFindings || warm && r.decoded != 0 || !warm && r.decoded == 0 {
					b.Fatalf("run %d: %d findings, %d decodes; want %d findings and decodes only when cold", i, r.findings, r.decoded, coldFindings)
				}
				sum.checkCPU += r.checkCPU
				sum.checkWall += r.checkWall
				sum.flushWall += r.flushWall
			}
			per := func(d time.Duration) float64 { return d.Seconds() * 1000 / float64(b.N) }
			b.ReportMetric(per(sum.checkCPU), "check-cpu-ms/op")
			b.ReportMetric(per(sum.checkWall), "check-ms/op")
			b.ReportMetric(per(sum.flushWall), "flush-ms/op")
			b.ReportMetric(float64(coldFindings), "findings")
		})
	}
}
