// Command gen draws the pictures of the bundled test sites: product photos
// of tea tins, cups and leaves (800×800 JPEG), the 双11 banner (1350×400
// JPEG), the logo (256×256 PNG), the favicon (64×64 PNG), the pictures
// of the image-rule fixtures (see imageFixtures), those of the logo-rule
// fixtures (see logoFixtures), the messy-markup shop's logo, badge, product
// photos and the card pictures of its duplicate-listing pages (see
// dupsPictures, which needs cwebp for its WebP copies), and copies the font
// fixtures' TrueType file.
//
// The pictures are drawn, not photographed, but like photos: lit shapes with
// one-pixel anti-aliased edges, paper, wood and metal textures and sensor
// grain, so that blur and quality checks see them as sharp. The output is
// deterministic. Run from the repository root:
//
//	go run ./internal/testsite/gen -out testdata/sites
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"log"
	"os"
	"path/filepath"

	"golang.org/x/image/font/gofont/goregular"
)

// quality is the JPEG quality of every photo.
const quality = 85

func main() {
	out := flag.String("out", "testdata/sites", "folder holding the demo/ and fixtures/ sites")
	flag.Parse()
	if err := generate(*out); err != nil {
		log.Fatal(err)
	}
}

// product is one product photo: a tin on a table with props.
type product struct {
	id               string
	wallTop, wallBot string
	surf             surface
	tin              tin
	leaves           *leafStyle // a heap of dry leaves beside the tin
	leavesLeft       bool
	cup              string // tea colour of a cup beside the tin, "" for none
	cupLeft          bool
}

func products() []product {
	gold, silver, dark := hexc("#d4af5a"), hexc("#c9cdd1"), hexc("#3b2a20")
	t := func(body, lid, label, accent rgb, style int) tin {
		return tin{body: body, lid: lid, label: label, accent: accent, style: style}
	}
	return []product{
		{id: "1001", wallTop: "#efe9dc", wallBot: "#d9cfbc", surf: woodLight, tin: t(hexc("#3f8f6b"), gold, hexc("#f1e9d2"), hexc("#2f6b4f"), 1), leaves: &greenLeaves, leavesLeft: true, cup: "#c9c26a"},
		{id: "1002", wallTop: "#e4ece8", wallBot: "#c9d6d0", surf: linen, tin: t(hexc("#23707a"), silver, hexc("#eef0e8"), hexc("#23707a"), 2), leaves: &greenLeaves},
		{id: "1003", wallTop: "#f1ebe0", wallBot: "#dccfb6", surf: bamboo, tin: t(hexc("#6b7a2e"), gold, hexc("#f3ecd6"), hexc("#55611f"), 0), cup: "#cfc578", cupLeft: true},
		{id: "1004", wallTop: "#e8e4dc", wallBot: "#c8c1b4", surf: slate, tin: t(hexc("#1f6b46"), silver, hexc("#edeee4"), hexc("#1f6b46"), 1), leaves: &greenLeaves},
		{id: "1005", wallTop: "#e9dfd2", wallBot: "#c7b49c", surf: woodDark, tin: t(hexc("#6e1f26"), gold, hexc("#efe2c9"), hexc("#6e1f26"), 2), leaves: &blackLeaves, leavesLeft: true, cup: "#9c3f18"},
		{id: "1006", wallTop: "#f0e6dc", wallBot: "#d6c2ae", surf: linen, tin: t(hexc("#a3202c"), gold, hexc("#f4e8d2"), hexc("#a3202c"), 0), cup: "#a3461c"},
		{id: "1007", wallTop: "#efe7d8", wallBot: "#d3c2a2", surf: slate, tin: t(hexc("#c0741f"), dark, hexc("#f3e7cf"), hexc("#8a3f12"), 1), leaves: &blackLeaves, leavesLeft: true},
		{id: "1008", wallTop: "#f1e4e4", wallBot: "#d5bfbf", surf: woodLight, tin: t(hexc("#6b2c4a"), silver, hexc("#f2e8e6"), hexc("#6b2c4a"), 2), cup: "#a84a22", cupLeft: true},
	}
}

func (p product) draw(seed uint64) *image.RGBA {
	const size = 800
	c := newCanvas(size, size)
	m := newMask(size, size)
	studio(c, hexc(p.wallTop), hexc(p.wallBot), 470, p.surf, seed)
	rng := newRand(seed)
	tcx := 400.0
	if p.cup != "" || p.leaves != nil {
		tcx = 440
		if !p.leavesLeft && p.leaves != nil || p.cup != "" && !p.cupLeft {
			tcx = 340
		}
	}
	tn := p.tin
	tn.cx, tn.base, tn.w, tn.h, tn.seed = tcx, 640, 250, 390, seed+1
	drawTin(c, m, tn)
	side := func(left bool) float64 {
		if left {
			return 160
		}
		return 640
	}
	if p.leaves != nil {
		scatter(c, rng, *p.leaves, 160, side(p.leavesLeft), 705, 115, 38, 40, seed+2)
	}
	if p.cup != "" {
		drawCup(c, m, side(p.cupLeft), 700, 180, hexc(p.cup), p.leaves == &greenLeaves || p.cup == "#c9c26a", seed+3)
	}
	return c.finish(seed, 0.03, 0.18)
}

func generate(out string) error {
	demo := filepath.Join(out, "demo", "img")
	fixtures := filepath.Join(out, "fixtures", "img")
	messy := filepath.Join(out, "messy", "img")
	for i, p := range products() {
		photo := p.draw(uint64(1000 + i))
		// The messy-markup shop sells the same tins: its cards and product
		// pages show the same photos under its own paths.
		for _, dir := range []string{filepath.Join(demo, "products"), filepath.Join(messy, "p")} {
			if err := writeJPEG(filepath.Join(dir, p.id+".jpg"), photo); err != nil {
				return err
			}
		}
	}
	gallery := map[string]func() *image.RGBA{
		"leaves-green.jpg": func() *image.RGBA { return dishPhoto(greenLeaves, linen, 21) },
		"leaves-black.jpg": func() *image.RGBA { return dishPhoto(blackLeaves, woodLight, 22) },
		"cup-green.jpg":    func() *image.RGBA { return cupPhoto("#c9c26a", true, woodLight, 23) },
		"cup-black.jpg":    func() *image.RGBA { return cupPhoto("#9a3a16", false, woodDark, 24) },
		"giftbox.jpg":      func() *image.RGBA { return giftPhoto(25) },
		"garden.jpg":       func() *image.RGBA { return gardenPhoto(26) },
	}
	for name, draw := range gallery {
		if err := writeJPEG(filepath.Join(demo, "gallery", name), draw()); err != nil {
			return err
		}
	}
	if err := writeJPEG(filepath.Join(demo, "banner-double11.jpg"), banner(1350, 400, 31)); err != nil {
		return err
	}
	if err := imageFixtures(fixtures); err != nil {
		return err
	}
	if err := logoFixtures(fixtures); err != nil {
		return err
	}
	if err := dupsPictures(filepath.Join(out, "messy", "img", "card")); err != nil {
		return err
	}
	// The font fixtures' web font that loads: Go Regular, a real TrueType
	// file (its bytes as golang.org/x/image ships them).
	if err := write(filepath.Join(out, "fixtures", "font", "go-regular.ttf"), goregular.TTF); err != nil {
		return err
	}
	// The messy shop's service icons (正品保障 …) are the badge the logo
	// fixtures use as an unrelated mark.
	if err := writePNG(filepath.Join(messy, "badge.png"), badge(128)); err != nil {
		return err
	}
	if err := writePNG(filepath.Join(demo, "service.png"), serviceIcon(128)); err != nil {
		return err
	}
	for _, dir := range []string{demo, fixtures, messy} {
		if err := writePNG(filepath.Join(dir, "logo.png"), logo(256)); err != nil {
			return err
		}
		if err := writePNG(filepath.Join(dir, "favicon.png"), logo(64)); err != nil {
			return err
		}
	}
	return nil
}

func dishPhoto(st leafStyle, s surface, seed uint64) *image.RGBA {
	c := newCanvas(800, 800)
	dish(c, newMask(800, 800), st, s, seed)
	return c.finish(seed, 0.018, 0.2)
}

func cupPhoto(tea string, floating bool, s surface, seed uint64) *image.RGBA {
	c := newCanvas(800, 800)
	m := newMask(800, 800)
	studio(c, hexc("#eee8dd"), hexc("#d3c8b5"), 380, s, seed)
	drawCup(c, m, 400, 600, 400, hexc(tea), floating, seed)
	return c.finish(seed, 0.03, 0.18)
}

func giftPhoto(seed uint64) *image.RGBA {
	c := newCanvas(800, 800)
	m := newMask(800, 800)
	studio(c, hexc("#f0e7dc"), hexc("#d8c6b0"), 450, woodLight, seed)
	giftBox(c, m, 150, 400, 380, 240, 200, hexc("#a3202c"), hexc("#e0b552"), seed)
	drawTin(c, m, tin{cx: 640, base: 700, w: 150, h: 230, body: hexc("#3f8f6b"), lid: hexc("#d4af5a"),
		label: hexc("#f1e9d2"), accent: hexc("#2f6b4f"), style: 1, seed: seed + 1})
	return c.finish(seed, 0.03, 0.18)
}

func gardenPhoto(seed uint64) *image.RGBA {
	c := newCanvas(800, 800)
	garden(c, seed)
	return c.finish(seed, 0.025, 0.12)
}

func writeJPEG(path string, img image.Image) error { return writeJPEGQ(path, img, quality) }

// writeJPEGQ writes img as a JPEG of quality q.
func writeJPEGQ(path string, img image.Image, q int) error {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return write(path, b.Bytes())
}

func writePNG(path string, img image.Image) error {
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&b, img); err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return write(path, b.Bytes())
}

func write(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return err
	}
	log.Printf("wrote %s (%d KB)", path, len(b)/1024)
	return nil
}
