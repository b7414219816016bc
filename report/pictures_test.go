package report

import (
	"bytes"
	"encoding/json"
	"image"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/diff"
	"github.com/storecheck/storecheck/lang"
	"github.com/storecheck/storecheck/storage"
)

const (
	picShop   = "https://pics.test/"
	picBanner = "https://cdn.pics.test/banner-618.jpg"
	picCard   = "https://cdn.pics.test/card-7.png"
)

// picturesRun is a run whose findings were read from pictures (OCR), with
// evidence as the contract's "Text inside pictures" gives it: from a
// picture only, from a picture and the page's text, and the same rule from
// page text alone, which must look as before.
func picturesRun() *storage.RunData {
	ocr := func(img string, box map[string]any, conf float64, extra map[string]any) map[string]any {
		ev := map[string]any{"source": "image", "image": img, "image_box": box, "ocr_confidence": conf,
			"box": map[string]any{"x": 0, "y": 120, "w": 750, "h": 300}}
		for k, v := range extra {
			ev[k] = v
		}
		return ev
	}
	d := &storage.RunData{
		Run: storage.Run{ID: 9, Name: "pics", Status: storage.StatusComplete, StartedAt: t0, Now: t0,
			FinishedAt: t0.Add(20 * time.Second), StartURLs: []string{picShop}, Pages: 1,
			Findings: storage.Counts{Error: 4, Warning: 1}},
		Pages: []storage.PageRow{{ID: 1, URL: picShop, FinalURL: picShop, Viewport: "desktop", Kind: crawler.KindHome, Status: 200,
			Title: "图片店", Metrics: crawler.Metrics{Loadms: ptr(1800)}}},
		Findings: []checks.Finding{
			finding("text.banned-term", checks.SeverityError, picShop, "desktop", "全网最低价", "“全网最低价” is an absolute term.",
				ocr(picBanner, map[string]any{"x": 412, "y": 96, "w": 260, "h": 58}, 88,
					map[string]any{"term": "全网最低价", "ocr_text": "618 全网最低价 限时抢购"})),
			finding("text.banned-term", checks.SeverityError, picShop, "desktop", "第一", "“第一” is an absolute term.",
				map[string]any{"source": "page+image", "image": picBanner,
					"image_box": map[string]any{"x": 40, "y": 200, "w": 120, "h": 40}, "ocr_confidence": 74,
					"sentences": []any{"销量第一", "行业第一品牌"}}),
			finding("text.banned-term", checks.SeverityError, picShop, "desktop", "最佳", "“最佳” is an absolute term.",
				map[string]any{"source": "page", "sentences": []any{"最佳选择"}}),
			finding("price.image-mismatch", checks.SeverityError, picShop, "desktop", "¥44.9",
				"The card picture shows ¥44.9, the card's text price is ¥49.9.",
				ocr(picCard, map[string]any{"x": 20, "y": 300, "w": 180, "h": 52}, 91,
					map[string]any{"text_price": 49.9, "read": "到手价¥44.9"})),
			finding("promo.stale-campaign", checks.SeverityWarning, picShop, "desktop", "618", "The page still shows 618 creative.",
				ocr(picBanner, map[string]any{"x": 30, "y": 20, "w": 140, "h": 80}, 66, nil)),
		},
	}
	checks.SortFindings(d.Findings)
	return d
}

// imageSubjectPrefix is the English tables' mark on a subject read from a
// picture (table.image-mark).
const imageSubjectPrefix = "[image] "

func TestTableMarksPictures(t *testing.T) {
	d := picturesRun()
	var table bytes.Buffer
	if err := ShowTable(&table, lang.EN, d, 3); err != nil {
		t.Fatal(err)
	}
	golden(t, "show-pictures.txt", table.Bytes())

	tests := []struct {
		subject string
		marked  bool
	}{
		{"全网最低价", true}, // a picture only
		{"第一", true},    // a picture and the page's text
		{"¥44.9", true},
		{"618", true},
		{"最佳", false}, // page text only
	}
	for _, tt := range tests {
		cellText := imageSubjectPrefix + tt.subject + " "
		if got := strings.Contains(table.String(), cellText); got != tt.marked {
			t.Errorf("%q marked %v in the table, want %v", tt.subject, got, tt.marked)
		}
	}

	// JSON carries the subjects as the rules made them.
	var js bytes.Buffer
	if err := RunJSON(&js, d); err != nil {
		t.Fatal(err)
	}
	var doc struct{ Findings []struct{ Subject string } }
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for i, f := range doc.Findings {
		if f.Subject != d.Findings[i].Subject {
			t.Errorf("JSON subject %q, want %q", f.Subject, d.Findings[i].Subject)
		}
	}
	if strings.Contains(js.String(), strings.TrimSpace(imageSubjectPrefix)) {
		t.Error("the table's picture mark leaked into the JSON")
	}

	// The diff table marks them the same way.
	empty := &storage.RunData{Run: storage.Run{ID: 8, Name: "pics", Status: storage.StatusComplete, StartedAt: t0, Now: t0}}
	var dt bytes.Buffer
	if err := DiffTable(&dt, lang.EN, diff.Compute(empty, d, nil)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dt.String(), imageSubjectPrefix+"¥44.9 ") || strings.Contains(dt.String(), imageSubjectPrefix+"最佳") {
		t.Errorf("diff table marks the wrong subjects:\n%s", dt.String())
	}
	// In zh-CN the mark and the table's words are Chinese.
	dt.Reset()
	if err := DiffTable(&dt, lang.ZH, diff.Compute(empty, d, nil)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[图片] ¥44.9 ", "对比基准", "新增", "已修复"} {
		if !strings.Contains(dt.String(), want) {
			t.Errorf("zh-CN diff table lacks %q:\n%s", want, dt.String())
		}
	}
	for _, english := range []string{"[image]", "Base", "Resolved", "RULE", "New errors"} {
		if strings.Contains(dt.String(), english) {
			t.Errorf("zh-CN diff table has %q:\n%s", english, dt.String())
		}
	}
}

// golden compares got with testdata/name.golden (-update rewrites it).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (go test -update rewrites it)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestNewReadView(t *testing.T) {
	read := func(region image.Rectangle) checks.EvidenceImage {
		return checks.EvidenceImage{Role: checks.ImageRead, MIME: "image/jpeg", Data: []byte{0xff, 0xd8}, W: 480, H: 154, Region: region}
	}
	flagged := checks.EvidenceImage{Role: checks.ImageFlagged, MIME: "image/png", Data: []byte{0x89}, W: 240, H: 96}
	tests := []struct {
		name string
		pe   checks.PictureEvidence
		pics []checks.EvidenceImage
		box  *overlay // nil: no outline
		part string
		left []string // roles of the pictures left to show as they are
	}{
		{"crop of a tall picture", checks.PictureEvidence{Box: image.Rect(100, 1500, 600, 1560), Confidence: -1},
			[]checks.EvidenceImage{flagged, read(image.Rect(0, 1410, 750, 1650))},
			&overlay{Severity: "error", Left: "13.33%", Top: "37.5%", Width: "66.67%", High: "25%"}, "x 0–750, y 1410–1650 px of the picture", []string{"flagged"}},
		{"box partly outside the crop is clipped", checks.PictureEvidence{Box: image.Rect(-10, 250, 100, 350), Confidence: 50},
			[]checks.EvidenceImage{read(image.Rect(0, 0, 400, 300))},
			&overlay{Severity: "error", Left: "0%", Top: "83.33%", Width: "25%", High: "16.67%"}, "x 0–400, y 0–300 px of the picture", nil},
		{"box outside the crop", checks.PictureEvidence{Box: image.Rect(0, 10, 50, 40), Confidence: -1},
			[]checks.EvidenceImage{read(image.Rect(0, 1000, 750, 1240))}, nil, "x 0–750, y 1000–1240 px of the picture", nil},
		{"no box", checks.PictureEvidence{Confidence: -1},
			[]checks.EvidenceImage{read(image.Rect(0, 0, 750, 300))}, nil, "x 0–750, y 0–300 px of the picture", nil},
		{"no crop stored", checks.PictureEvidence{Box: image.Rect(0, 0, 10, 10), Confidence: -1},
			[]checks.EvidenceImage{flagged}, nil, "", []string{"flagged"}},
		{"a crop without its region is shown as it is", checks.PictureEvidence{Box: image.Rect(0, 0, 10, 10), Confidence: -1},
			[]checks.EvidenceImage{read(image.Rectangle{})}, nil, "", []string{"read"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := slices.Clone(tt.pics)
			rv, left := newReadView(tt.pe, "error", tt.pics, wordsIn(lang.EN))
			if (rv.Box == nil) != (tt.box == nil) || rv.Box != nil && *rv.Box != *tt.box {
				t.Errorf("box %+v, want %+v", rv.Box, tt.box)
			}
			if rv.Part != tt.part || (rv.Pic != nil) != (tt.part != "") {
				t.Errorf("part %q (picture %v), want %q", rv.Part, rv.Pic != nil, tt.part)
			}
			var roles []string
			for _, im := range left {
				roles = append(roles, im.Role)
			}
			if !slices.Equal(roles, tt.left) {
				t.Errorf("left %v, want %v", roles, tt.left)
			}
			if !reflect.DeepEqual(tt.pics, orig) {
				t.Error("the stored pictures were modified")
			}
		})
	}
}
