package checks

import (
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/disintegration/imaging"
	"gopkg.in/yaml.v3"

	"github.com/storecheck/storecheck/checks/imagequality"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/lang"
)

// checkZH fails when zh, with its arguments taken out (page text, URLs,
// selectors may be English), is not Chinese.
func checkZH(t *testing.T, zh string, args []any) {
	t.Helper()
	rest := zh
	for _, a := range args {
		if s, ok := a.(string); ok && s != "" {
			rest = strings.ReplaceAll(rest, strconv.Quote(s), "")
			rest = strings.ReplaceAll(rest, s, "")
		}
	}
	if m := englishWords.FindString(rest); m != "" {
		t.Errorf("zh-CN text holds English %q: %s", m, zh)
	}
	if !strings.ContainsFunc(rest, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		t.Errorf("zh-CN text has no Chinese: %s", zh)
	}
}

// One real finding of each image, logo, content and product rule (and of
// their main variants) renders in both languages: its English is the
// Message it was reported with, its Chinese is Chinese, and neither lacks
// an argument.
func TestMessagesImageLogoContentProduct(t *testing.T) {
	good := encodePNG(t, 40, 30)
	big := pad(encodeJPEG(t, 800, 800), 250_000)
	huge := pad(encodeJPEG(t, 400, 400), 3_100_000)
	blur := jpegOf(t, imagequality.GaussianBlur(imagequality.TestImage("product", 800), 2), 85)
	noAlt := func(hasAlt bool) crawler.Image {
		im := shown(encodeJPEG(t, 8, 8), 800, 800, 400, 400)
		im.Alt, im.HasAlt = "", hasAlt
		return im
	}
	image := func(id string, kind crawler.Kind, reqs []crawler.Request, ims ...crawler.Image) func(*testing.T) []Finding {
		return func(t *testing.T) []Finding {
			p := pageWith(crawler.Desktop, ims...)
			p.Kind, p.Requests = kind, reqs
			return runRule(t, id, p)
		}
	}
	req := func(status int, failure string) []crawler.Request {
		return []crawler.Request{{URL: imgURL, Type: "Image", Status: status, Failure: failure}}
	}
	status404 := shown(nil, 0, 0, 40, 30)
	status404.Status = 404
	failed := shown(nil, 0, 0, 40, 30)
	failed.Status = 0
	stretched := shown(good, 40, 30, 80, 30)

	seal := readSeal(t)
	sealPNG := pngOf(t, seal)
	box40 := crawler.Box{X: 20, Y: 10, W: 40, H: 40}
	tiny := imaging.Resize(seal, 24, 24, imaging.Lanczos)
	logoImg := func(data []byte, w, h int, box crawler.Box) crawler.Image {
		return crawler.Image{Src: logoURL, CurrentSrc: logoURL, Selector: "#logo", Alt: "brand", HasAlt: true,
			NaturalWidth: w, NaturalHeight: h, Box: box, ObjectFit: "fill", Visible: true, Complete: true,
			Status: 200, MIME: "image/png", Bytes: data}
	}
	env := logoEnv(t, rival())
	logo := func(id string, kind crawler.Kind, vp crawler.Viewport, cands []crawler.LogoCandidate, ims ...crawler.Image) func(*testing.T) []Finding {
		return func(t *testing.T) []Finding {
			p := okPage()
			p.Kind, p.Viewport, p.LogoCandidates, p.Images = kind, vp, cands, ims
			return RunPage([]*Check{checkByID(t, id)}, env, p)
		}
	}
	partner := crawler.Image{Src: "https://shop.example/img/partner.jpg", CurrentSrc: "https://shop.example/img/partner.jpg",
		Selector: "#partner", Alt: "partner", HasAlt: true, NaturalWidth: 120, NaturalHeight: 120,
		Box: crawler.Box{X: 100, Y: 600, W: 120, H: 120}, Visible: true, Complete: true, Status: 200,
		MIME: "image/jpeg", Bytes: jpegOf(t, imaging.Resize(rival(), 120, 120, imaging.Lanczos), 80)}

	text := func(id string, p *crawler.Page) func(*testing.T) []Finding {
		return func(t *testing.T) []Finding { return RunPage([]*Check{checkByID(t, id)}, textEnv(), p) }
	}
	pic := func(kind string) []byte { return jpegOf(t, imagequality.TestImage(kind, 400), 85) }
	pics := map[string][]byte{"/img/1.jpg": pic("photo"), "/img/2.jpg": pic("fabric"), "/img/3.jpg": pic("product"),
		"/img/4.jpg": pic("text"), "/img/5.jpg": pic("lineart")}
	card := func(id int, title, img string) testCard {
		return testCard{href: fmt.Sprintf("/item/%d.html", id), title: title, img: img}
	}
	listing := func(cards ...testCard) func(*testing.T) []Finding {
		return text("content.duplicate-listing", listingPage("", cards, pics))
	}
	const u = "https://shop.example/img/"
	gallery := func(ims ...crawler.Image) func(*testing.T) []Finding {
		return image("product.few-images", crawler.KindProduct, nil, ims...)
	}

	tests := []struct {
		name string
		key  string
		find func(*testing.T) []Finding
	}{
		{"image answered 404", "image.broken/status", image("image.broken", crawler.KindOther, req(404, ""), status404)},
		{"image failed", "image.broken/failed", image("image.broken", crawler.KindOther, req(0, "net::ERR_CONNECTION_RESET"), failed)},
		{"image undecodable", "image.broken/undecodable", image("image.broken", crawler.KindOther, req(200, ""),
			shown([]byte("not a picture at all"), 0, 0, 40, 30))},
		{"image upscaled", "image.low-resolution", image("image.low-resolution", crawler.KindOther, nil, shown(good, 40, 30, 200, 150))},
		{"image stretched", "image.distorted", image("image.distorted", crawler.KindOther, nil, stretched)},
		{"image too many pixels", "image.oversized-file", image("image.oversized-file", crawler.KindOther, nil, shown(big, 800, 800, 120, 120))},
		{"image over 3 MB", "image.oversized-file/bytes", image("image.oversized-file", crawler.KindOther, nil, shown(huge, 400, 400, 400, 400))},
		{"product image without alt", "image.missing-alt", image("image.missing-alt", crawler.KindProduct, nil, noAlt(false))},
		{"product image with an empty alt", "image.missing-alt/empty", image("image.missing-alt", crawler.KindProduct, nil, noAlt(true))},
		{"image over the megapixels", "image.too-large", image("image.too-large", crawler.KindOther, nil,
			shown(encodePNG(t, 7000, 6000), 7000, 6000, 350, 300))},
		{"image blurred", "image.blurry", image("image.blurry", crawler.KindOther, nil, shown(blur, 800, 800, 400, 400))},

		{"no logo candidate", "logo.missing/no-candidates", logo("logo.missing", crawler.KindHome, crawler.Desktop, nil)},
		{"logo not among the candidates", "logo.missing/closest", logo("logo.missing", crawler.KindOther, crawler.Desktop,
			[]crawler.LogoCandidate{candidate("img", "https://shop.example/badge.png", box40, pngOf(t, shot(rival(), 40, 40)))})},
		{"logo stretched", "logo.distorted", logo("logo.distorted", crawler.KindOther, crawler.Desktop,
			[]crawler.LogoCandidate{candidate("img", logoURL, crawler.Box{W: 72, H: 40}, pngOf(t, shot(seal, 72, 40)))},
			logoImg(sealPNG, 256, 256, crawler.Box{W: 72, H: 40}))},
		{"logo with parts changed", "logo.altered/parts", logo("logo.altered", crawler.KindOther, crawler.Desktop,
			[]crawler.LogoCandidate{candidate("background", logoURL, box40, pngOf(t, shot(recolour(seal), 40, 40)))})},
		{"logo upscaled and blurred", "logo.low-quality/upscaled+blurred", logo("logo.low-quality", crawler.KindOther, crawler.Mobile,
			[]crawler.LogoCandidate{candidate("img", logoURL, box40, pngOf(t, shot(tiny, 70, 70)))},
			logoImg(pngOf(t, tiny), 24, 24, box40))},
		{"logo blurred", "logo.low-quality/blurred", logo("logo.low-quality", crawler.KindOther, crawler.Mobile,
			[]crawler.LogoCandidate{candidate("svg", "", box40, pngOf(t, shot(imagequality.GaussianBlur(seal, 12), 70, 70)))})},
		{"a rival's mark", "logo.foreign", logo("logo.foreign", crawler.KindOther, crawler.Desktop,
			[]crawler.LogoCandidate{candidate("img", logoURL, box40, pngOf(t, shot(seal, 40, 40)))},
			logoImg(sealPNG, 256, 256, box40), partner)},

		{"no specs", "content.missing-specs", text("content.missing-specs",
			productPage("/item/14", `<p>¥39</p>`, `<p>售后：七天无理由退换货</p>`))},
		{"no after-sales", "content.missing-after-sales", text("content.missing-after-sales",
			productPage("/item/15", `<p>¥39</p>`, `<table><tr><th>品牌</th><td>x</td></tr><tr><th>产地</th><td>y</td></tr></table>`))},
		{"template syntax", "content.placeholder-text/template", text("content.placeholder-text",
			shopPage(`<h1 class="title">{{ item.name }}</h1>`))},
		{"filler", "content.placeholder-text/filler", text("content.placeholder-text", shopPage(`<h1 class="title">测试</h1>`))},
		{"two products, one title", "content.duplicate-listing/title", listing(card(1, "山野红茶 金骏眉", "/img/1.jpg"),
			card(2, "山野红茶 金骏眉", "/img/2.jpg"), card(3, "山野乌龙 大红袍", "/img/3.jpg"))},
		{"one picture, two products", "content.duplicate-listing/image", listing(card(1, "山野红茶 金骏眉", "/img/1.jpg"),
			card(2, "山野绿茶 西湖龙井", "/img/1.jpg"), card(3, "山野乌龙 大红袍", "/img/3.jpg"))},
		{"one product, two titles", "content.duplicate-listing/link-titles", listing(card(1, "山野红茶 金骏眉", "/img/1.jpg"),
			card(1, "山野绿茶 西湖龙井", "/img/1.jpg"), card(3, "山野乌龙 大红袍", "/img/3.jpg"))},
		{"one title found by title and by link", "content.duplicate-listing/title+link-titles", listing(
			card(1, "山野红茶 金骏眉", "/img/1.jpg"), card(1, "山野绿茶 西湖龙井", "/img/1.jpg"),
			card(2, "山野红茶 金骏眉", "/img/2.jpg"), card(3, "山野乌龙 大红袍", "/img/3.jpg"))},

		{"one picture in two images", "product.few-images", gallery(galleryImage(u+"1.jpg", pics["/img/1.jpg"], 400, 400),
			galleryImage(u+"1-copy.jpg", pics["/img/1.jpg"], 400, 80))},
		{"one image", "product.few-images/one-image", gallery(galleryImage(u+"1.jpg", pics["/img/1.jpg"], 400, 400))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f *Finding
			fs := tt.find(t)
			for i := range fs {
				if fs[i].Msg.Key == tt.key {
					f = &fs[i]
				}
			}
			if f == nil {
				var keys []string
				for _, f := range fs {
					keys = append(keys, f.Msg.Key+" "+f.Message)
				}
				t.Fatalf("no finding keyed %s among %q", tt.key, keys)
			}
			en, zh := f.Msg.Render(lang.EN), f.Msg.Render(lang.ZH)
			t.Logf("en: %s\nzh-CN: %s", en, zh)
			if !Messages().Has(f.Msg.Key) {
				t.Errorf("%s is not in the catalog", f.Msg.Key)
			}
			if en != f.Message {
				t.Errorf("English %q, reported %q", en, f.Message)
			}
			if zh == en {
				t.Errorf("zh-CN is the English text: %s", zh)
			}
			for _, s := range []string{en, zh} {
				if strings.Contains(s, "%!") {
					t.Errorf("bad arguments: %s", s)
				}
			}
			checkZH(t, zh, f.Msg.Args)
		})
	}
}

// verbArgs matches a catalog text's verbs, with their argument index.
var verbArgs = regexp.MustCompile(`%(?:\[(\d+)\])?[-+# 0]*\d*(?:\.\d+)?([a-zA-Z%])`)

// Every key of the four areas renders in both languages, with the
// arguments its English text asks for, including the variants no fixture
// above reaches (logo.altered/inverted+parts); every rule has advice.
func TestMessagesImageLogoContentProductCatalog(t *testing.T) {
	rules := map[string]bool{}
	for _, cs := range [][]*Check{imageChecks(), logoChecks(), contentChecks(), productChecks()} {
		for _, c := range cs {
			rules[c.ID] = true
		}
	}
	c := Messages()
	raw := englishFormats(t)
	for id := range rules {
		en, zh := Advice(id, lang.EN), Advice(id, lang.ZH)
		if !c.Has("advice."+id) || en == zh || strings.Contains(en+zh, "%!") {
			t.Errorf("advice.%s: en %q, zh-CN %q", id, en, zh)
		}
		checkZH(t, zh, nil)
	}
	for _, key := range c.Keys() {
		rule, _, _ := strings.Cut(key, "/")
		if !rules[rule] {
			continue
		}
		var args []any
		next := 1
		for _, m := range verbArgs.FindAllStringSubmatch(raw[key], -1) {
			if m[2] == "%" {
				continue
			}
			i := next
			if m[1] != "" {
				i, _ = strconv.Atoi(m[1])
			}
			next = i + 1
			for len(args) < i {
				args = append(args, nil)
			}
			if m[2] == "d" {
				args[i-1] = int64(2)
			} else {
				args[i-1] = "ARG"
			}
		}
		en, zh := c.Sprintf(lang.EN, key, args...), c.Sprintf(lang.ZH, key, args...)
		if strings.Contains(en+zh, "%!") || en == zh {
			t.Errorf("%s: en %q, zh-CN %q", key, en, zh)
		}
		checkZH(t, zh, args)
	}
}

// englishFormats are the catalog's English texts as written (a plural's
// other form), by key.
func englishFormats(t *testing.T) map[string]string {
	t.Helper()
	names, err := fs.Glob(messageFiles, "messages/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, name := range names {
		b, err := fs.ReadFile(messageFiles, name)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]map[string]any
		if err := yaml.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		for key, byLang := range doc {
			switch v := byLang["en"].(type) {
			case string:
				out[key] = v
			case map[string]any:
				out[key], _ = v["other"].(string)
			}
		}
	}
	return out
}

// A group merged from more than two reasons (the links of two products
// whose first cards share the title of a title group) has no key of its
// own: it is its parts' sentences one after another (Msg.More), in either
// language, and the store keeps them.
func TestDuplicateListingLongMerge(t *testing.T) {
	pics := map[string][]byte{"/img/1.jpg": jpegOf(t, imagequality.TestImage("photo", 400), 85),
		"/img/2.jpg": jpegOf(t, imagequality.TestImage("fabric", 400), 85),
		"/img/3.jpg": jpegOf(t, imagequality.TestImage("product", 400), 85)}
	card := func(id int, title, img string) testCard {
		return testCard{href: fmt.Sprintf("/item/%d.html", id), title: title, img: img}
	}
	p := listingPage("", []testCard{card(1, "山野红茶 金骏眉", "/img/1.jpg"), card(1, "山野绿茶 西湖龙井", "/img/1.jpg"),
		card(2, "山野红茶 金骏眉", "/img/2.jpg"), card(2, "山野白茶 白牡丹", "/img/2.jpg"), card(3, "山野乌龙 大红袍", "/img/3.jpg")}, pics)
	fs := RunPage([]*Check{checkByID(t, "content.duplicate-listing")}, textEnv(), p)
	const want = "2 cards of 2 different products carry the same title. 2 cards link to the same product with different titles. " +
		"2 cards link to the same product with different titles."
	if len(fs) != 1 || fs[0].Msg.Key == "" || len(fs[0].Msg.More) != 2 || fs[0].Message != want {
		t.Fatalf("findings %+v", fs)
	}
	m := fs[0].Msg
	zh := m.Render(lang.ZH)
	checkTexts(t, m.Render(lang.EN), zh)
	back, err := ParseMsg(m.Key, m.ArgsJSON())
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Render(lang.ZH); got != zh {
		t.Errorf("stored and read back: %q, want %q", got, zh)
	}
}
