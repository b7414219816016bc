package pagemodel

import (
	"image"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/ocr"
)

// words are Tesseract words, one per text, each at its confidence.
func words(texts string, confs ...float64) []ocr.Word {
	var out []ocr.Word
	for i, t := range strings.Fields(texts) {
		out = append(out, ocr.Word{Text: t, Box: image.Rect(10*i, 0, 10*i+9, 20), Conf: confs[i]})
	}
	return out
}

// A picture's lines become blocks of text with source image: a word under
// min_confidence splits its line, CJK joins without spaces, Latin with one,
// and each block keeps its box and its lowest confidence.
func TestReadPictures(t *testing.T) {
	tests := []struct {
		name  string
		words []ocr.Word
		want  []string // block texts
		conf  []float64
		box   []image.Rectangle
	}{
		{"one line", words("全 网 最 低 价", 95, 90, 96, 97, 91), []string{"全网最低价"}, []float64{90}, []image.Rectangle{image.Rect(0, 0, 49, 20)}},
		{"a low word splits", words("全 网 最 低 价", 95, 90, 40, 97, 91), []string{"全网", "低价"}, []float64{90, 91},
			[]image.Rectangle{image.Rect(0, 0, 19, 20), image.Rect(30, 0, 49, 20)}},
		{"latin words keep their spaces", words("SPRING TEA SALE", 92, 93, 94), []string{"SPRING TEA SALE"}, []float64{92}, nil},
		{"mixed", words("到 手 价 ¥44.9", 91, 92, 93, 88), []string{"到手价¥44.9"}, []float64{88}, nil},
		{"all low", words("618 儿 次", 19, 30, 10), nil, nil, nil},
	}
	doc := docOf(t, `<html><body><div id="hero"><img id="banner" src="/b.jpg"></div></body></html>`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im := &crawler.Image{Src: "https://shop.example/b.jpg", Selector: "#banner", Box: crawler.Box{X: 5, Y: 6, W: 750, H: 300}}
			blocks := readPictures(doc, []Picture{{Image: im, Lines: []ocr.Line{{Words: tt.words}}}}, 60)
			if len(blocks) != len(tt.want) {
				t.Fatalf("%d blocks %v, want %q", len(blocks), blocks, tt.want)
			}
			for i, b := range blocks {
				if b.Shown != tt.want[i] || b.Source != SourceImage || b.Picture.Conf != tt.conf[i] ||
					b.Picture.URL != "https://shop.example/b.jpg" || b.Picture.Box != im.Box || Attr(b.Node, "id") != "banner" {
					t.Errorf("block %d = %q %s conf %v url %s box %v node %s", i, b.Shown, b.Source, b.Picture.Conf, b.Picture.URL,
						b.Picture.Box, Attr(b.Node, "id"))
				}
				if tt.box != nil && b.Picture.Line != tt.box[i] {
					t.Errorf("block %d line box %v, want %v", i, b.Picture.Line, tt.box[i])
				}
				if b.Picture.All != strings.Join(tt.want, " ") {
					t.Errorf("block %d All %q, want %q", i, b.Picture.All, strings.Join(tt.want, " "))
				}
			}
		})
	}
}

// A picture whose selector finds nothing in the parsed DOM (a shadow root,
// a selector the parser cannot read) is placed on <body>.
func TestReadPicturesFallback(t *testing.T) {
	doc := docOf(t, `<html><body><p>x</p></body></html>`)
	for _, sel := range []string{"#gone", "div:::bad(", ""} {
		im := &crawler.Image{Src: "https://shop.example/b.jpg", Selector: sel}
		blocks := readPictures(doc, []Picture{{Image: im, Lines: []ocr.Line{{Words: words("新 品", 90, 90)}}}}, 60)
		if len(blocks) != 1 || blocks[0].Node == nil || blocks[0].Node.Data != "body" {
			t.Errorf("selector %q: blocks %v, want one on <body>", sel, blocks)
		}
	}
}

func docOf(t *testing.T, src string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
