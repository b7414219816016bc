package checks

import (
	"image"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/storecheck/storecheck/checks/pagemodel"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/ocr"
)

// line is one line read from a picture: its words, each at conf.
func line(y int, conf float64, words ...string) ocr.Line {
	l := ocr.Line{}
	x := 10
	for _, w := range words {
		b := image.Rect(x, y, x+20*len([]rune(w)), y+30)
		l.Words = append(l.Words, ocr.Word{Text: w, Box: b, Conf: conf})
		x = b.Max.X + 4
	}
	l.Box = l.Words[0].Box.Union(l.Words[len(l.Words)-1].Box)
	return l
}

// lowWord is line with the word at i read under any min_confidence.
func lowWord(l ocr.Line, i int) ocr.Line {
	l.Words = append([]ocr.Word{}, l.Words...)
	l.Words[i].Conf = 20
	return l
}

// picturePage is a visit with a banner picture, a gallery main picture, a
// card whose picture is card.jpg and page text body; buy is the product's
// text price.
func picturePage(body, buy string) *crawler.Page {
	html := `<html><head><title>茶</title></head><body><div id="main"><img id="gallery" src="https://shop.example/img/gallery.jpg">` +
		`<h1>山野绿茶 250g</h1><p class="price">` + buy + `</p><button>加入购物车</button></div>` +
		`<img id="banner" src="https://shop.example/img/banner.jpg"><p>` + body + `</p>` +
		`<ul id="recs"><li><a href="https://shop.example/item/2.html"><img id="card" src="https://shop.example/img/card.jpg">` +
		`<span class="title">红茶礼盒</span><b>¥59.00</b></a></li>` +
		`<li><a href="https://shop.example/item/3.html"><img src="https://shop.example/img/card3.jpg">` +
		`<span class="title">白茶饼</span><b>¥88.00</b></a></li></ul></body></html>`
	img := func(id string, box crawler.Box, gallery bool) crawler.Image {
		u := "https://shop.example/img/" + id + ".jpg"
		return crawler.Image{Src: u, CurrentSrc: u, Selector: "#" + id, Box: box, Visible: true, Complete: true,
			Gallery: gallery, NaturalWidth: int(box.W), NaturalHeight: int(box.H), Status: 200}
	}
	return &crawler.Page{
		URL: "https://shop.example/item/1.html", FinalURL: "https://shop.example/item/1.html",
		Viewport: crawler.Desktop, Status: 200, Kind: crawler.KindProduct, HTML: html,
		Images: []crawler.Image{
			img("gallery", crawler.Box{X: 10, Y: 10, W: 400, H: 400}, true),
			img("banner", crawler.Box{X: 0, Y: 500, W: 1200, H: 300}, false),
			img("card", crawler.Box{X: 20, Y: 900, W: 200, H: 200}, false),
		},
	}
}

// pics hands the visit's pictures their lines, by element id.
func pics(pg *crawler.Page, lines map[string][]ocr.Line) []pagemodel.Picture {
	var out []pagemodel.Picture
	for i := range pg.Images {
		im := &pg.Images[i]
		if ls, ok := lines[strings.TrimPrefix(im.Selector, "#")]; ok {
			out = append(out, pagemodel.Picture{Image: im, Lines: ls})
		}
	}
	return out
}

func TestPictureText(t *testing.T) {
	rules := []string{"text.banned-term", "promo.expired", "promo.invalid-date", "promo.stale-campaign",
		"security.pii-exposed", "price.image-mismatch"}
	var cs []*Check
	for _, id := range rules {
		cs = append(cs, checkByID(t, id))
	}
	env := envFor(testConfig(), time.Date(2026, 11, 5, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	type want struct {
		rule, subject, source, image string
	}
	tests := []struct {
		name       string
		body, buy  string
		lines      map[string][]ocr.Line
		want       []want
		wantNoPics []want // the same visit with no picture read
	}{
		{
			name: "banned term in a banner",
			body: "新茶上市", buy: "¥99.00",
			lines: map[string][]ocr.Line{"banner": {line(20, 95, "全", "网", "最", "低", "价")}},
			want:  []want{{"text.banned-term", "全网最低价", "image", "https://shop.example/img/banner.jpg"}},
		},
		{
			name: "a term in page text and in a picture is one finding",
			body: "全网最低价，放心买", buy: "¥99.00",
			lines:      map[string][]ocr.Line{"banner": {line(20, 95, "全", "网", "最", "低", "价")}},
			want:       []want{{"text.banned-term", "全网最低价", "page+image", "https://shop.example/img/banner.jpg"}},
			wantNoPics: []want{{"text.banned-term", "全网最低价", "", ""}},
		},
		{
			name: "a word under min_confidence splits its line",
			body: "新茶上市", buy: "¥99.00",
			lines: map[string][]ocr.Line{"banner": {lowWord(line(20, 95, "全", "网", "最", "低", "价"), 2)}},
		},
		{
			name: "a line read under min_confidence is never judged",
			body: "新茶上市", buy: "¥99.00",
			lines: map[string][]ocr.Line{"banner": {line(20, 40, "全", "网", "最", "低", "价")}},
		},
		{
			name: "expired window on a banner, promotional by its other line",
			body: "新茶上市", buy: "¥99.00",
			lines: map[string][]ocr.Line{"banner": {line(20, 92, "国", "庆", "特", "惠"), line(60, 90, "2026.10.01-2026.10.07")}},
			want:  []want{{"promo.expired", "2026.10.01-2026.10.07", "image", "https://shop.example/img/banner.jpg"}},
		},
		{
			name: "impossible date on a banner",
			body: "新茶上市", buy: "¥99.00",
			lines: map[string][]ocr.Line{"banner": {line(20, 92, "活", "动", "截", "止", "11月31日")}},
			want:  []want{{"promo.invalid-date", "11月31日", "image", "https://shop.example/img/banner.jpg"}},
		},
		{
			name: "past festival on a banner",
			body: "新茶上市", buy: "¥99.00",
			lines: map[string][]ocr.Line{"banner": {line(20, 92, "618", "年", "中", "大", "促")}},
			want:  []want{{"promo.stale-campaign", "618年中大促", "image", "https://shop.example/img/banner.jpg"}},
		},
		{
			name: "unmasked phone in a picture",
			body: "新茶上市", buy: "¥99.00",
			lines: map[string][]ocr.Line{"banner": {line(20, 91, "客", "服", "13812345678")}},
			want:  []want{{"security.pii-exposed", "138****5678", "image", "https://shop.example/img/banner.jpg"}},
		},
		{
			name: "card picture price differs from the card's text price",
			body: "新茶上市", buy: "¥99.00",
			lines: map[string][]ocr.Line{"card": {line(150, 93, "到", "手", "价", "¥44.9")}},
			want:  []want{{"price.image-mismatch", "¥44.9", "image", "https://shop.example/img/card.jpg"}},
		},
		{
			name: "card picture price equal to the card's text price",
			body: "新茶上市", buy: "¥99.00",
			lines: map[string][]ocr.Line{"card": {line(150, 93, "¥59")}},
		},
		{
			name: "gallery picture price differs from the buy box",
			body: "新茶上市", buy: "¥99.00",
			lines: map[string][]ocr.Line{"gallery": {line(300, 93, "券", "后", "¥79")}},
			want:  []want{{"price.image-mismatch", "¥79", "image", "https://shop.example/img/gallery.jpg"}},
		},
		{
			name: "a floor, a coupon and a bare number are not the price",
			body: "新茶上市", buy: "¥99.00",
			lines: map[string][]ocr.Line{"gallery": {line(300, 93, "¥39起"), line(340, 93, "优", "惠", "券", "¥20"), line(380, 93, "250")}},
		},
		{
			// 领券立减 and 起 read under min_confidence: the amount beside
			// them is no price to compare, whatever they said.
			name: "an amount cut from words read unsure is not the price",
			body: "新茶上市", buy: "¥99.00",
			lines: map[string][]ocr.Line{"gallery": {lowWord(line(300, 93, "领券立减", "10元"), 0), lowWord(line(340, 93, "¥39", "起"), 1)}},
		},
		{
			name: "an amount with its own label beside words read unsure is judged",
			body: "新茶上市", buy: "¥99.00",
			lines: map[string][]ocr.Line{"gallery": {lowWord(line(300, 93, "限时", "到手价¥79", "包邮"), 0)}},
			want:  []want{{"price.image-mismatch", "¥79", "image", "https://shop.example/img/gallery.jpg"}},
		},
		{
			name: "one of the picture's amounts equals the text price",
			body: "新茶上市", buy: "原价¥129 现价¥99.00",
			lines: map[string][]ocr.Line{"gallery": {line(300, 93, "¥129"), line(340, 93, "¥99")}},
		},
		{
			name: "photo with no text",
			body: "新茶上市", buy: "¥99.00",
			lines: map[string][]ocr.Line{"gallery": nil, "banner": nil, "card": nil},
		},
	}
	got := func(pg *crawler.Page, ps []pagemodel.Picture) []want {
		fs, _ := RunVisit(cs, env, Visit{Page: pg, Pictures: ps})
		out := []want{}
		for _, f := range fs {
			src, _ := f.Evidence["source"].(string)
			img, _ := f.Evidence["image"].(string)
			out = append(out, want{f.Rule, f.Subject, src, img})
			if src != "" {
				for _, k := range []string{"image_box", "ocr_confidence", "ocr_text", "box"} {
					if _, ok := f.Evidence[k]; !ok {
						t.Errorf("%s %q: evidence has no %s: %v", f.Rule, f.Subject, k, f.Evidence)
					}
				}
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].rule+out[i].subject < out[j].rule+out[j].subject })
		return out
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pg := picturePage(tt.body, tt.buy)
			if g := got(pg, pics(pg, tt.lines)); len(g) != len(tt.want) || len(g) > 0 && !reflect.DeepEqual(g, tt.want) {
				t.Errorf("with pictures: %+v, want %+v", g, tt.want)
			}
			if g := got(pg, nil); len(g) != len(tt.wantNoPics) || len(g) > 0 && !reflect.DeepEqual(g, tt.wantNoPics) {
				t.Errorf("without pictures: %+v, want %+v", g, tt.wantNoPics)
			}
		})
	}
}

// A finding from a picture has the fingerprint of the same subject from
// page text.
func TestPictureTextFingerprint(t *testing.T) {
	c := []*Check{checkByID(t, "text.banned-term")}
	env := testEnv()
	fromPage := picturePage("全网最低价", "¥99.00")
	fromPic := picturePage("新茶上市", "¥99.00")
	a, _ := RunVisit(c, env, Visit{Page: fromPage})
	b, _ := RunVisit(c, env, Visit{Page: fromPic, Pictures: pics(fromPic, map[string][]ocr.Line{"banner": {line(20, 95, "全网最低价")}})})
	if len(a) != 1 || len(b) != 1 || a[0].Fingerprint != b[0].Fingerprint {
		t.Fatalf("page %+v, picture %+v: want one finding each with one fingerprint", a, b)
	}
}
