package testsite

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/storecheck/storecheck/internal/testsite/ocrfix"
)

// The fixtures' pages are swept with the price, promo, text, content and
// security rules on every page, so a page must not trip one by accident.
// These are rough, static guards for the authors of the pages; the rules
// themselves (checks/…) are what the end-to-end sweep measures.
var (
	commentRE = regexp.MustCompile(`(?s)<!--.*?-->`)
	scriptRE  = regexp.MustCompile(`(?is)<(script|style|template)\b[^>]*>.*?</(script|style|template)>`)
	// hiddenRE is an element hidden with the hidden attribute or display:none
	// that holds no element of its own kind (good enough for these pages).
	hiddenRE   = regexp.MustCompile(`(?s)<(div|p|span|li)\b[^>]*(?:\shidden[\s>]|display:\s*none)[^>]*>.*?</(?:div|p|span|li)>`)
	tagRE      = regexp.MustCompile(`<[^>]*>`)
	specsRE    = regexp.MustCompile(`(?s)<table class="specs">.*?</table>`)
	amountRE   = regexp.MustCompile(`[¥￥]\s*\d`)
	mobileRE   = regexp.MustCompile(`(?:^|\D)1[3-9]\d{9}(?:\D|$)`)
	idNumberRE = regexp.MustCompile(`(?:^|\D)\d{17}[\dX](?:\D|$)`)

	specWords       = []string{"品牌", "型号", "规格", "材质", "尺寸", "产地", "成分", "重量", "净含量", "保质期", "包装"}
	afterSalesWords = []string{"退换货", "售后", "七天无理由", "7天无理由退货", "保修", "退货", "换货"}
	// bannedWords is a sample of the Advertising Law's absolute terms;
	// allowedWords are the near-misses that contain one.
	bannedWords  = []string{"最低价", "销量第一", "国家级", "顶级", "极品", "最佳", "最好", "最高", "第一", "唯一", "独家", "首选"}
	allowedWords = []string{"极品山野", "第一次", "第一时间"}
)

// pageText is what a shopper can see of an HTML page, roughly: no comments,
// scripts, templates or hidden elements, tags replaced by spaces. With
// hidden, hidden elements (inactive tab panels) are kept.
func pageText(src string, hidden bool) string {
	s := commentRE.ReplaceAllString(src, " ")
	s = scriptRE.ReplaceAllString(s, " ")
	if !hidden {
		s = hiddenRE.ReplaceAllString(s, " ")
	}
	if _, body, ok := strings.Cut(s, "<body>"); ok {
		s = body // not the <title>
	}
	return tagRE.ReplaceAllString(s, " ")
}

func TestFixturePagesCommerce(t *testing.T) {
	root := Dir(t, "fixtures")
	pages, err := readPages(root)
	if err != nil {
		t.Fatal(err)
	}
	exp, err := Expectations(root)
	if err != nil {
		t.Fatal(err)
	}
	// Text drawn inside the OCR fixture pictures is text the page shows.
	ocrPics, err := ocrfix.Load(filepath.Join(root, "ocr", "img"))
	if err != nil {
		t.Fatal(err)
	}
	drawn := map[string]string{}
	for _, p := range ocrPics {
		drawn["/ocr/img/"+p.File] = strings.Join(p.Text, " ")
	}
	products := 0
	for _, pg := range pages {
		expects := func(rule string) bool { return slices.Contains(exp[pg.path], rule) }
		b, err := os.ReadFile(pg.file)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		if strings.HasSuffix(pg.path, "/gbk.html") {
			continue // GBK bytes; TestGBKTwin holds it to utf8.html
		}
		visible, all := pageText(src, false), pageText(src, true)
		for _, tg := range pg.tags {
			if tg.name == "img" {
				visible += " " + drawn[tg.attrs["src"]]
			}
		}

		banned := visible
		for _, w := range allowedWords {
			banned = strings.ReplaceAll(banned, w, " ")
		}
		hasBanned := slices.ContainsFunc(bannedWords, func(w string) bool { return strings.Contains(banned, w) })
		if hasBanned != expects("text.banned-term") {
			t.Errorf("%s: shows a banned term %v; expects text.banned-term: %v", pg.file, hasBanned, expects("text.banned-term"))
		}
		pii := mobileRE.MatchString(visible) || idNumberRE.MatchString(visible)
		if pii != expects("security.pii-exposed") {
			t.Errorf("%s: shows a full mobile or ID number %v; expects security.pii-exposed: %v", pg.file, pii, expects("security.pii-exposed"))
		}

		if !buyRE.MatchString(src) {
			for _, r := range []string{"price.missing", "price.ambiguous", "content.missing-specs", "content.missing-after-sales"} {
				if expects(r) {
					t.Errorf("%s expects %s but is no product page (no buy control)", pg.file, r)
				}
			}
			continue
		}
		products++
		// A price written by a script counts: the page shows it once loaded.
		scripted := slices.ContainsFunc(scriptRE.FindAllString(src, -1), amountRE.MatchString)
		if priced := amountRE.MatchString(visible) || scripted; priced == expects("price.missing") {
			t.Errorf("%s: shows a price %v; expects price.missing: %v", pg.file, priced, expects("price.missing"))
		}
		specs := 0
		for _, w := range specWords {
			if strings.Contains(pageText(specsRE.FindString(src), true), w) {
				specs++
			}
		}
		if (specs >= 2) == expects("content.missing-specs") {
			t.Errorf("%s: spec table with %d of the spec words; expects content.missing-specs: %v", pg.file, specs, expects("content.missing-specs"))
		}
		if expects("content.missing-specs") && slices.ContainsFunc(specWords, func(w string) bool { return strings.Contains(all, w) }) {
			t.Errorf("%s expects content.missing-specs but names a spec", pg.file)
		}
		after := slices.ContainsFunc(afterSalesWords, func(w string) bool { return strings.Contains(all, w) })
		if after == expects("content.missing-after-sales") {
			t.Errorf("%s: after-sales terms %v; expects content.missing-after-sales: %v", pg.file, after, expects("content.missing-after-sales"))
		}
	}
	if products < 20 {
		t.Errorf("%d product pages, want at least 20", products)
	}
}
