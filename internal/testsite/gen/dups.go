package main

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"log"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/disintegration/imaging"
)

// cardSide is the side of the card pictures of the duplicate-listing
// pages: shops serve listing pictures at 300–400 px, not the 800 px photo.
const cardSide = 400

// dupsPictures draws the card pictures of the duplicate-listing pages
// (messy/img/card/): distinct product photos, 400×400 JPEG q85; three
// of them also as WebP, the way a CDN serves the same photo to a browser
// that accepts it (dahongpao.webp at 300 px and quality 60: re-encoded,
// scaled and in another format); and two tins alike but for their colour
// (tin-green.jpg, tin-red.jpg), two products a shopper tells apart that a
// luminance hash does not.
//
// Go has no WebP encoder (golang.org/x/image decodes only), so the .webp
// files are written with cwebp (Debian's webp package) when it is on the
// PATH, from a lossless PNG of the same drawing; without it the committed
// files are kept and the run says so. cwebp 1.2.4 writes the same bytes for
// the same input and options; nothing but this generator needs it.
func dupsPictures(dir string) error {
	type pic struct {
		name string
		draw func() image.Image
		webp []webpCopy // WebP copies of the same drawing
	}
	t := func(body, lid, label, accent rgb, style int) tin {
		return tin{body: body, lid: lid, label: label, accent: accent, style: style}
	}
	gold, silver := hexc("#d4af5a"), hexc("#c9cdd1")
	tinScene := func(body string) product {
		b := hexc(body)
		return product{wallTop: "#efe9dc", wallBot: "#d9cfbc", surf: woodLight,
			tin: t(b, gold, hexc("#f1e9d2"), b, 1), leaves: &blackLeaves, leavesLeft: true}
	}
	pics := []pic{
		{name: "hongcha-jjm", draw: func() image.Image {
			return product{wallTop: "#e9dfd2", wallBot: "#c7b49c", surf: woodDark, tin: t(hexc("#6e1f26"), gold, hexc("#efe2c9"), hexc("#6e1f26"), 2),
				leaves: &blackLeaves, leavesLeft: true, cup: "#9c3f18"}.draw(3001)
		}, webp: []webpCopy{{side: cardSide, quality: 75}}},
		{name: "hongcha-gift", draw: func() image.Image { return giftPhoto(3002) }},
		{name: "longjing", draw: func() image.Image {
			return product{wallTop: "#e4ece8", wallBot: "#c9d6d0", surf: linen, tin: t(hexc("#23707a"), silver, hexc("#eef0e8"), hexc("#23707a"), 2),
				leaves: &greenLeaves, cup: "#c9c26a"}.draw(3003)
		}},
		{name: "baimudan", draw: func() image.Image { return dishPhoto(greenLeaves, bamboo, 3004) }},
		{name: "dahongpao", draw: func() image.Image {
			return product{wallTop: "#efe7d8", wallBot: "#d3c2a2", surf: slate, tin: t(hexc("#c0741f"), hexc("#3b2a20"), hexc("#f3e7cf"), hexc("#8a3f12"), 1),
				leaves: &blackLeaves, leavesLeft: true}.draw(3005)
		}, webp: []webpCopy{{side: 300, quality: 60}}},
		{name: "qimen", draw: func() image.Image { return cupPhoto("#9a3a16", false, woodLight, 3006) }},
		{name: "puer", draw: func() image.Image { return dishPhoto(blackLeaves, slate, 3007) }},
		{name: "yuqian", draw: func() image.Image { return gardenPhoto(3008) }},
		{name: "zhengshan", draw: func() image.Image {
			return product{wallTop: "#f1e4e4", wallBot: "#d5bfbf", surf: linen, tin: t(hexc("#6b2c4a"), silver, hexc("#f2e8e6"), hexc("#6b2c4a"), 0),
				cup: "#a84a22", cupLeft: true}.draw(3009)
		}, webp: []webpCopy{{side: cardSide, quality: 75}}},
		{name: "tin-green", draw: func() image.Image { return tinScene("#3f8f6b").draw(3010) }},
		{name: "tin-red", draw: func() image.Image { return tinScene("#a3202c").draw(3010) }},
	}
	cwebp, lookErr := exec.LookPath("cwebp")
	for _, p := range pics {
		img := imaging.Resize(p.draw(), cardSide, cardSide, imaging.Lanczos)
		if err := writeJPEG(filepath.Join(dir, p.name+".jpg"), img); err != nil {
			return err
		}
		for _, w := range p.webp {
			out := filepath.Join(dir, p.name+".webp")
			if lookErr != nil {
				log.Printf("kept %s: cwebp not found (%v)", out, lookErr)
				continue
			}
			if err := writeWebP(cwebp, out, imaging.Resize(img, w.side, w.side, imaging.Lanczos), w.quality); err != nil {
				return err
			}
		}
	}
	return nil
}

// webpCopy is a WebP copy of a card picture: its side in px and cwebp's
// quality.
type webpCopy struct {
	side, quality int
}

// writeWebP encodes img as a lossy WebP of quality q with the cwebp binary.
func writeWebP(cwebp, path string, img image.Image, q int) error {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	// -m 4 is cwebp's default method, named so a newer default cannot change
	// the bytes; -metadata none keeps the file free of the encoder's notes.
	cmd := exec.Command(cwebp, "-quiet", "-q", fmt.Sprint(q), "-m", "4", "-metadata", "none", "-o", path, "--", "-")
	cmd.Stdin = &b
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("cwebp %s: %w: %s", path, err, stderr.String())
	}
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if st.Size() == 0 {
		return errors.New("cwebp wrote an empty " + path)
	}
	log.Printf("wrote %s (%d KB)", path, st.Size()/1024)
	return nil
}
