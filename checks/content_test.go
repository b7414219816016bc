package checks

import (
	"bytes"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/disintegration/imaging"

	"github.com/storecheck/storecheck/checks/imagequality"
	"github.com/storecheck/storecheck/checks/pagemodel"
	"github.com/storecheck/storecheck/crawler"
)

// testCard is one product card of a hand-built listing.
type testCard struct {
	href, title, img string
	price            string // "" for ¥99
}

const listingBase = "https://shop.example"

// cardHTML is a card as the demo shop writes it: the whole card one link,
// the title in a hinted <h3>.
func cardHTML(c testCard) string {
	price := c.price
	if price == "" {
		price = "¥99"
	}
	img := ""
	if c.img != "" {
		img = fmt.Sprintf(`<img src="%s" width="800" height="800" alt="%s">`, c.img, c.title)
	}
	return fmt.Sprintf(`<li class="card"><a href="%s">%s<div class="card-body"><h3 class="card-title">%s</h3><p class="card-price">%s</p></div></a></li>`,
		c.href, img, c.title, price)
}

// listingPage is a listing of cards in one grid, after before (a "hot"
// strip …); pics maps an image path to its bytes (nil: a picture the
// browser did not get the bytes of).
func listingPage(before string, cards []testCard, pics map[string][]byte) *crawler.Page {
	var b strings.Builder
	b.WriteString(`<html><head><title>红茶 - 山野茶铺</title></head><body><h1>红茶</h1>` + before + `<ul class="grid">`)
	for _, c := range cards {
		b.WriteString(cardHTML(c))
	}
	b.WriteString(`</ul><p>售后保障：七天无理由退换货</p></body></html>`)
	p := &crawler.Page{
		URL: listingBase + "/category/black-tea.html", FinalURL: listingBase + "/category/black-tea.html",
		Viewport: crawler.Desktop, Status: 200, Kind: crawler.KindListing, HTML: b.String(),
	}
	seen := map[string]bool{}
	for _, c := range cards {
		if c.img == "" || seen[c.img] {
			continue
		}
		seen[c.img] = true
		p.Images = append(p.Images, cardImage(c.img, pics[c.img], 800))
	}
	return p
}

// cardImage is a loaded, visible 160 px card picture of src.
func cardImage(src string, data []byte, side int) crawler.Image {
	u := src
	if !strings.HasPrefix(src, "data:") {
		u = listingBase + src
	}
	return crawler.Image{
		Src: u, CurrentSrc: u, Alt: "tea", HasAlt: true, NaturalWidth: side, NaturalHeight: side,
		Box: crawler.Box{W: 160, H: 160}, ObjectFit: "fill", Visible: true, Complete: true, Status: 200,
		MIME: "image/jpeg", Bytes: data,
	}
}

func demoProduct(t *testing.T, id string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "sites", "demo", "img", "products", id+".jpg"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDuplicateListing(t *testing.T) {
	pic := func(kind string) []byte { return jpegOf(t, imagequality.TestImage(kind, 400), 85) }
	photo, fabric, product, text, lineart := pic("photo"), pic("fabric"), pic("product"), pic("text"), pic("lineart")
	// The photo at 200 px, re-encoded: the same picture under another URL.
	photoSmall := jpegOf(t, imaging.Resize(imagequality.TestImage("photo", 400), 200, 200, imaging.Lanczos), 70)
	pics := map[string][]byte{
		"/img/1.jpg": photo, "/img/2.jpg": fabric, "/img/3.jpg": product, "/img/4.jpg": text, "/img/5.jpg": lineart,
		"/img/1-200.jpg": photoSmall, "/img/1-copy.jpg": photo,
		"/img/loading.jpg": photo,
		"/img/1001.jpg":    demoProduct(t, "1001"), "/img/1005.jpg": demoProduct(t, "1005"),
		"/img/1003.jpg": demoProduct(t, "1003"), "/img/1008.jpg": demoProduct(t, "1008"),
	}
	grid := func(cards ...testCard) []testCard { return cards }
	c := func(id int, title, img string) testCard {
		return testCard{href: fmt.Sprintf("/item/%d.html", id), title: title, img: img}
	}
	four := grid(c(1, "山野红茶 金骏眉 100g 罐装", "/img/1.jpg"), c(2, "山野绿茶 西湖龙井 100g 罐装", "/img/2.jpg"),
		c(3, "山野乌龙 大红袍 100g 罐装", "/img/3.jpg"), c(4, "山野白茶 白牡丹 100g 罐装", "/img/4.jpg"))
	with := func(extra ...testCard) []testCard { return append(slices.Clone(four), extra...) }

	tests := []struct {
		name    string
		page    func() *crawler.Page
		subject []string // wanted subjects, sorted; nil: clean
		reasons string   // of the first finding
	}{
		{"distinct cards", func() *crawler.Page { return listingPage("", four, pics) }, nil, ""},
		{"two products, one title", func() *crawler.Page {
			return listingPage("", with(c(5, "山野红茶 金骏眉 100g 罐装", "/img/5.jpg")), pics)
		}, []string{"山野红茶 金骏眉 100g 罐装"}, "title"},
		{"titles equal after width, case and space folding", func() *crawler.Page {
			return listingPage("", with(c(5, "山野红茶　ＪＪＭ  金骏眉", "/img/5.jpg"), c(6, "山野红茶 jjm 金骏眉", "/img/1003.jpg")), pics)
		}, []string{"山野红茶 ＪＪＭ 金骏眉"}, "title"},
		{"one picture URL, two titles", func() *crawler.Page {
			return listingPage("", with(c(5, "山野红茶 正山小种 250g 罐装", "/img/1.jpg")), pics)
		}, []string{listingBase + "/img/1.jpg"}, "image"},
		{"one picture's bytes under two URLs", func() *crawler.Page {
			return listingPage("", with(c(5, "山野红茶 正山小种 250g 罐装", "/img/1-copy.jpg")), pics)
		}, []string{listingBase + "/img/1.jpg"}, "image"},
		{"one picture resized under two URLs", func() *crawler.Page {
			return listingPage("", with(c(5, "山野红茶 正山小种 250g 罐装", "/img/1-200.jpg")), pics)
		}, []string{listingBase + "/img/1.jpg"}, "image"},
		{"one link, two titles", func() *crawler.Page {
			return listingPage("", with(c(1, "山野红茶 正山小种 250g 罐装", "/img/1.jpg")), pics)
		}, []string{"山野红茶 金骏眉 100g 罐装"}, "link"},
		{"one link, two pictures", func() *crawler.Page {
			return listingPage("", with(c(1, "山野红茶 金骏眉 100g 罐装", "/img/5.jpg")), pics)
		}, []string{"山野红茶 金骏眉 100g 罐装"}, "link"},
		{"hot strip and grid show one product alike", func() *crawler.Page {
			hot := `<section class="hot"><h2>本周热卖</h2><ul>` +
				cardHTML(testCard{href: "/item/1.html?spm=a1z10.hot.1", title: "金骏眉 100g 罐装", img: "/img/1-200.jpg"}) +
				cardHTML(testCard{href: "/item/3.html?spm=a1z10.hot.2", title: "山野乌龙 大红袍 100g 罐装", img: "/img/3.jpg"}) + `</ul></section>`
			p := listingPage(hot, four, pics)
			p.Images = append(p.Images, cardImage("/img/1-200.jpg", photoSmall, 200))
			return p
		}, nil, ""},
		{"a family of variants, each its own photo", func() *crawler.Page {
			return listingPage("", grid(c(1, "山野红茶 金骏眉 100g 罐装", "/img/1.jpg"), c(2, "山野红茶 金骏眉 250g 礼盒", "/img/2.jpg"),
				c(3, "山野红茶 金骏眉 50g 试饮装", "/img/3.jpg"), c(4, "山野红茶 金骏眉 500g 散装", "/img/4.jpg")), pics)
		}, nil, ""},
		{"different tins shot alike (pHash 10 apart, colours not)", func() *crawler.Page {
			return listingPage("", grid(c(1, "西湖龙井 雨前 250g 罐装", "/img/1001.jpg"), c(2, "正山小种 250g 罐装", "/img/1005.jpg"),
				c(3, "黄山毛峰 250g 罐装", "/img/1003.jpg"), c(4, "九曲红梅 150g 罐装", "/img/1008.jpg")), pics)
		}, nil, ""},
		{"a lazy-load spacer on every card", func() *crawler.Page {
			const spacer = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
			cards := grid(c(1, "山野红茶 金骏眉 100g 罐装", spacer), c(2, "山野绿茶 西湖龙井 100g 罐装", spacer),
				c(3, "山野乌龙 大红袍 100g 罐装", spacer), c(4, "山野白茶 白牡丹 100g 罐装", spacer))
			p := listingPage("", cards, pics)
			p.Images[0].NaturalWidth, p.Images[0].NaturalHeight, p.Images[0].MIME = 1, 1, "image/gif"
			return p
		}, nil, ""},
		{"a loading picture on some cards", func() *crawler.Page {
			return listingPage("", with(c(5, "山野红茶 正山小种 250g 罐装", "/img/loading.jpg"), c(6, "山野红茶 祁门 200g 罐装", "/img/loading.jpg")), pics)
		}, nil, ""},
		{"a small spinner on some cards", func() *crawler.Page {
			p := listingPage("", with(c(5, "山野红茶 正山小种 250g 罐装", "/img/spin.jpg"), c(6, "山野红茶 祁门 200g 罐装", "/img/spin.jpg")), pics)
			p.Images[len(p.Images)-1] = cardImage("/img/spin.jpg", pic("photo"), 48)
			return p
		}, nil, ""},
		{"a picture not loaded yet", func() *crawler.Page {
			p := listingPage("", with(c(5, "山野红茶 正山小种 250g 罐装", "/img/1.jpg")), pics)
			p.Images[0].Complete, p.Images[0].NaturalWidth, p.Images[0].NaturalHeight = false, 0, 0
			return p
		}, nil, ""},
		{"one picture on every card is a placeholder", func() *crawler.Page {
			return listingPage("", grid(c(1, "山野红茶 金骏眉 100g 罐装", "/img/5.jpg"), c(2, "山野绿茶 西湖龙井 100g 罐装", "/img/5.jpg"),
				c(3, "山野乌龙 大红袍 100g 罐装", "/img/5.jpg"), c(4, "山野白茶 白牡丹 100g 罐装", "/img/5.jpg")), pics)
		}, nil, ""},
		{"links to category pages are no product cards", func() *crawler.Page {
			tiles := `<ul class="cats"><li><a href="/category/green.html"><img src="/img/1.jpg" width="800" height="800" alt="绿茶"><h3 class="card-title">查看全部茶品</h3></a></li>` +
				`<li><a href="/category/black.html"><img src="/img/2.jpg" width="800" height="800" alt="红茶"><h3 class="card-title">查看全部茶品</h3></a></li></ul>`
			return listingPage(tiles, four, pics)
		}, nil, ""},
		{"a call to action is no title", func() *crawler.Page {
			return listingPage("", grid(c(1, "查看详情", "/img/1.jpg"), c(2, "查看详情", "/img/2.jpg"),
				c(3, "查看详情", "/img/3.jpg"), c(4, "查看详情", "/img/4.jpg")), pics)
		}, nil, ""},
		{"hidden text is not the title", func() *crawler.Page {
			return listingPage("", with(c(5, `<span data-sc-hidden="">山野红茶 金骏眉 100g 罐装</span>山野红茶 正山小种`, "/img/5.jpg")), pics)
		}, nil, ""},
		{"not a listing", func() *crawler.Page {
			p := listingPage("", with(c(5, "山野红茶 金骏眉 100g 罐装", "/img/5.jpg")), pics)
			p.Kind = crawler.KindProduct
			return p
		}, nil, ""},
		{"home page", func() *crawler.Page {
			p := listingPage("", with(c(5, "山野红茶 金骏眉 100g 罐装", "/img/5.jpg")), pics)
			p.Kind = crawler.KindHome
			return p
		}, []string{"山野红茶 金骏眉 100g 罐装"}, "title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := runRule(t, "content.duplicate-listing", tt.page())
			got := subjects(fs)
			if tt.subject == nil {
				tt.subject = []string{}
			}
			if !slices.Equal(got, tt.subject) {
				for _, f := range fs {
					t.Logf("%s: %s %v", f.Subject, f.Message, f.Evidence)
				}
				t.Fatalf("subjects %q, want %q", got, tt.subject)
			}
			if len(fs) > 0 {
				if r := fs[0].Evidence["reasons"].([]string); r[0] != tt.reasons {
					t.Errorf("reasons %v, want %s first", r, tt.reasons)
				}
			}
		})
	}
}

// Cards written the way price/listing.html and Taobao's search write them:
// the title as the link's text beside the price, or in its own link next
// to a picture link; tracking parameters do not make two products.
func TestDuplicateListingCardShapes(t *testing.T) {
	pics := map[string][]byte{}
	for i, kind := range imagequality.TestImageKinds {
		pics[fmt.Sprintf("/img/%d.jpg", i+1)] = jpegOf(t, imagequality.TestImage(kind, 400), 85)
	}
	page := func(cards string, imgs ...string) *crawler.Page {
		p := &crawler.Page{
			URL: listingBase + "/search?q=tea", FinalURL: listingBase + "/search?q=tea", Viewport: crawler.Mobile,
			Status: 200, Kind: crawler.KindListing,
			HTML: `<html><body><h1>搜索结果</h1><div id="list">` + cards + `</div></body></html>`,
		}
		for _, src := range imgs {
			p.Images = append(p.Images, cardImage(src, pics[src], 800))
		}
		return p
	}
	inline := func(id int, title, price, img string) string {
		return fmt.Sprintf(`<div class="item"><a href="/item.htm?id=%d&spm=a21.%d"><img src="%s" width="800" height="800" alt="x"><span>%s</span> <span class="price">%s</span></a></div>`,
			id, id, img, title, price)
	}
	split := func(id int, title, img string) string {
		return fmt.Sprintf(`<div class="item"><a href="/item.htm?id=%d&spm=a21.%d"><img src="%s" alt="x"></a>`+
			`<div class="row"><a href="/item.htm?spm=b.%d&id=%d">%s</a></div><div class="row"><strong>¥%d.00</strong> <span>月销 %d</span></div>`+
			`<button>加入购物车</button></div>`, id, id, img, id, id, title, 100+id, 10*id)
	}

	fs := runRule(t, "content.duplicate-listing", page(
		inline(1, "山野红茶 金骏眉 100g 罐装", "¥128", "/img/1.jpg")+inline(2, "山野绿茶 西湖龙井 100g 罐装", "¥168", "/img/2.jpg")+
			inline(3, "山野红茶 金骏眉 100g 罐装", "¥199", "/img/3.jpg")+inline(4, "山野白茶 白牡丹 100g 罐装", "¥98", "/img/4.jpg"),
		"/img/1.jpg", "/img/2.jpg", "/img/3.jpg", "/img/4.jpg"))
	if got := subjects(fs); !slices.Equal(got, []string{"山野红茶 金骏眉 100g 罐装"}) {
		t.Errorf("title beside the price in the link: subjects %q", got)
	} else if cards := fs[0].Evidence["cards"].([]map[string]any); len(cards) != 2 || cards[0]["position"] != 1 || cards[1]["position"] != 3 ||
		cards[1]["link"] != listingBase+"/item.htm?id=3&spm=a21.3" || cards[1]["image"] != listingBase+"/img/3.jpg" ||
		cards[1]["selector"] != "#list > div:nth-of-type(3)" {
		t.Errorf("evidence cards %v", cards)
	}

	fs = runRule(t, "content.duplicate-listing", page(
		split(1, "山野红茶 金骏眉 100g 罐装", "/img/1.jpg")+split(2, "山野绿茶 西湖龙井 100g 罐装", "/img/2.jpg")+
			split(3, "山野乌龙 大红袍 100g 罐装", "/img/3.jpg")+split(4, "山野白茶 白牡丹 100g 罐装", "/img/4.jpg")+
			split(1, "山野红茶 金骏眉 100g 罐装", "/img/1.jpg"),
		"/img/1.jpg", "/img/2.jpg", "/img/3.jpg", "/img/4.jpg"))
	if len(fs) != 0 {
		t.Errorf("one product twice alike, links differing in spm: %v", fs)
	}

	fs = runRule(t, "content.duplicate-listing", page(
		split(1, "山野红茶 金骏眉 100g 罐装", "/img/1.jpg")+split(2, "山野绿茶 西湖龙井 100g 罐装", "/img/2.jpg")+
			split(3, "山野乌龙 大红袍 100g 罐装", "/img/3.jpg")+split(4, "山野白茶 白牡丹 100g 罐装", "/img/4.jpg")+
			split(1, "山野白茶 寿眉 100g 罐装", "/img/1.jpg"),
		"/img/1.jpg", "/img/2.jpg", "/img/3.jpg", "/img/4.jpg"))
	if got := subjects(fs); !slices.Equal(got, []string{"山野红茶 金骏眉 100g 罐装"}) {
		t.Errorf("one link, two titles, split card: subjects %q", got)
	}
}

// The refactored card reading keeps price.inconsistent's view: one price
// per same-site card link.
func TestCardPricesShared(t *testing.T) {
	p := listingPage("", []testCard{
		{href: "/item/1.html", title: "山野红茶 金骏眉 100g 罐装", img: "/img/1.jpg", price: "¥128"},
		{href: "/item/2.html", title: "山野绿茶 西湖龙井 100g 罐装", img: "/img/2.jpg", price: "¥168"},
		{href: "https://other.example/item/3.html", title: "别家 大红袍", img: "/img/3.jpg", price: "¥199"},
	}, nil)
	m := pagemodel.Build(p, testEnv().modelOptions())
	got := m.CardPrices
	if len(got) != 2 || got[listingBase+"/item/1.html"].Value != 128 || got[listingBase+"/item/2.html"].Value != 168 {
		t.Errorf("card prices %v", got)
	}
	if n := len(m.Links); n != 3 {
		t.Errorf("%d link cards, want 3", n)
	}
}

// dupsPages holds the duplicate-listing pages of the messy shop, and
// dupsImages their card pictures (internal/testsite/gen draws them): JPEG
// photos, WebP copies of three, and a tin in green and in red.
const (
	dupsPages  = "../testdata/sites/messy"
	dupsImages = dupsPages + "/img/card"
)

func dupsPicture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dupsImages, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// modelCard is a card of a hand-built page model: its link ("" for none
// that names a product: #, javascript:), title and picture file ("" for
// none).
type modelCard struct{ link, title, pic string }

// runOnCards runs content.duplicate-listing on a page of kind whose model
// holds cards as given, as pagemodel reads cards without usable links:
// Link and Product "". A picture is a loaded 160 px card <img> of the named
// file of dupsImages (or of extra).
func runOnCards(t *testing.T, kind crawler.Kind, cards []modelCard, extra map[string][]byte) []Finding {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<html><body><table id="grid"><tr>`)
	for range cards {
		b.WriteString(`<td class="item"></td>`)
	}
	b.WriteString(`</tr></table></body></html>`)
	page := &crawler.Page{URL: listingBase + "/list.html", FinalURL: listingBase + "/list.html", Viewport: crawler.Desktop,
		Status: 200, Kind: kind, HTML: b.String()}
	m := pagemodel.Build(page, testEnv().modelOptions())
	tds := m.Doc.Find("td.item").Nodes
	images := map[string]*crawler.Image{}
	for i, mc := range cards {
		c := &pagemodel.Card{Pos: i + 1, Node: tds[i], Title: mc.title, Norm: pagemodel.NormTitle(mc.title)}
		if mc.link != "" {
			c.Link = listingBase + mc.link
			c.Product = pagemodel.ProductKey(c.Link)
		}
		if mc.pic != "" {
			im := images[mc.pic]
			if im == nil {
				data, ok := extra[mc.pic]
				if !ok {
					data = dupsPicture(t, mc.pic)
				}
				mime := "image/jpeg"
				if strings.HasSuffix(mc.pic, ".webp") {
					mime = "image/webp"
				}
				img := cardImage("/img/"+mc.pic, data, 400)
				img.MIME = mime
				im = &img
				images[mc.pic] = im
			}
			c.Img, c.ImgURL = im, im.CurrentSrc
		}
		m.Cards = append(m.Cards, c)
	}
	var out []Finding
	env := testEnv()
	check := checkByID(t, "content.duplicate-listing")
	check.Run(&Pass{Check: check, Page: page, Env: env, Model: m, emit: func(f Finding) { out = append(out, f) }})
	SortFindings(out)
	return out
}

// Cards without a usable link are told apart by their pictures (for one
// title) and their titles (for one picture).
func TestDuplicateListingWithoutLinks(t *testing.T) {
	const (
		jjm      = "山野红茶 金骏眉 特级 125g 罐装"
		longjing = "山野绿茶 明前龙井 100g 罐装"
		dhp      = "山野乌龙 武夷大红袍 150g 罐装"
		moli     = "山野花茶 茉莉银针 80g 袋装"
		zs       = "山野红茶 正山小种 野茶 250g 礼盒装"
	)
	type mc = modelCard
	placeholder := map[string][]byte{"spin.jpg": jpegOf(t, imagequality.TestImage("lineart", 400), 85)}
	grid := func(cards ...modelCard) []modelCard {
		return append([]modelCard{{"", longjing, "longjing.jpg"}, {"", "山野白茶 福鼎白牡丹 100g 饼", "baimudan.jpg"},
			{"", "山野红茶 祁门工夫 200g 罐装", "qimen.jpg"}}, cards...)
	}
	tests := []struct {
		name     string
		kind     crawler.Kind
		cards    []modelCard
		subjects []string // nil: clean
		reasons  string   // of the first finding
		products int      // of the first finding
	}{
		{"distinct cards", crawler.KindOther, grid(mc{"", jjm, "hongcha-jjm.jpg"}, mc{"", dhp, "dahongpao.jpg"}), nil, "", 0},
		{"one title over two pictures", crawler.KindOther, grid(mc{"", jjm, "hongcha-jjm.jpg"}, mc{"", jjm, "hongcha-gift.jpg"}),
			[]string{jjm}, "title", 2},
		{"one title over two tins alike but for colour", crawler.KindListing, grid(mc{"", jjm, "tin-green.jpg"}, mc{"", jjm, "tin-red.jpg"}),
			[]string{jjm}, "title", 2},
		{"one picture as JPEG and WebP under two titles", crawler.KindHome, grid(mc{"", dhp, "dahongpao.jpg"}, mc{"", moli, "dahongpao.webp"}),
			[]string{listingBase + "/img/dahongpao.jpg"}, "image", 2},
		{"one picture URL under two titles", crawler.KindOther, grid(mc{"", dhp, "dahongpao.jpg"}, mc{"", moli, "dahongpao.jpg"}),
			[]string{listingBase + "/img/dahongpao.jpg"}, "image", 2},
		{"one product twice: same title, JPEG and WebP", crawler.KindOther, grid(mc{"", jjm, "hongcha-jjm.jpg"}, mc{"", jjm, "hongcha-jjm.webp"}), nil, "", 0},
		{"one product twice: same title and URL", crawler.KindOther, grid(mc{"", jjm, "hongcha-jjm.jpg"}, mc{"", jjm, "hongcha-jjm.jpg"}), nil, "", 0},
		{"one product twice, with a link and without", crawler.KindOther, grid(mc{"/item/7.html", jjm, "hongcha-jjm.jpg"}, mc{"", jjm, "hongcha-jjm.webp"}), nil, "", 0},
		{"a title cut short with an ellipsis, same picture", crawler.KindOther,
			grid(mc{"", "山野红茶 正山小种 野茶 250g 礼…", "zhengshan.webp"}, mc{"", zs, "zhengshan.jpg"}), nil, "", 0},
		{"a title cut short with three dots, same picture", crawler.KindOther,
			grid(mc{"", "山野红茶 正山小种 野茶...", "zhengshan.jpg"}, mc{"", zs, "zhengshan.jpg"}), nil, "", 0},
		{"a title cut short is not known to be another card's", crawler.KindOther,
			grid(mc{"", "山野红茶 正山小种 野茶 250g 礼…", "zhengshan.jpg"}, mc{"", "山野红茶 正山小种 野茶 250g 礼…", "tin-red.jpg"}), nil, "", 0},
		{"a shortened title in a strip, same picture", crawler.KindOther, grid(mc{"", "金骏眉 特级 125g", "hongcha-jjm.webp"}, mc{"", jjm, "hongcha-jjm.jpg"}), nil, "", 0},
		{"two tins alike but for colour under two titles", crawler.KindOther, grid(mc{"", jjm, "tin-red.jpg"}, mc{"", longjing + " 绿罐", "tin-green.jpg"}), nil, "", 0},
		{"a card without a title", crawler.KindOther, grid(mc{"", "", "dahongpao.jpg"}, mc{"", moli, "dahongpao.webp"}), nil, "", 0},
		{"a card without a picture", crawler.KindOther, grid(mc{"", jjm, ""}, mc{"", jjm, "hongcha-jjm.jpg"}), nil, "", 0},
		{"a picture that cannot be measured", crawler.KindOther, grid(mc{"", jjm, "broken.jpg"}, mc{"", jjm, "hongcha-jjm.jpg"}), nil, "", 0},
		{"one placeholder on every card", crawler.KindOther, []modelCard{mc{"", jjm, "spin.jpg"}, mc{"", longjing, "spin.jpg"}, mc{"", dhp, "spin.jpg"}}, nil, "", 0},
		// The shared link is a link group of its own; the title group is
		// found as for cards without links.
		{"every card links to one product", crawler.KindOther, []modelCard{{"/item/1.html", longjing, "longjing.jpg"},
			{"/item/1.html", jjm, "hongcha-jjm.jpg"}, {"/item/1.html", jjm, "hongcha-gift.jpg"}, {"/item/1.html", dhp, "dahongpao.jpg"}},
			[]string{jjm, longjing}, "title", 2},
		{"a product page's strip is not a listing", crawler.KindProduct, grid(mc{"", jjm, "hongcha-jjm.jpg"}, mc{"", jjm, "hongcha-gift.jpg"}), nil, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			extra := map[string][]byte{"broken.jpg": []byte("not a picture")}
			for k, v := range placeholder {
				extra[k] = v
			}
			fs := runOnCards(t, tt.kind, tt.cards, extra)
			want := tt.subjects
			if want == nil {
				want = []string{}
			}
			if got := subjects(fs); !slices.Equal(got, want) {
				for _, f := range fs {
					t.Logf("%s: %s %v", f.Subject, f.Message, f.Evidence)
				}
				t.Fatalf("subjects %q, want %q", got, want)
			}
			if len(fs) == 0 {
				return
			}
			ev := fs[0].Evidence
			if r := ev["reasons"].([]string); r[0] != tt.reasons || len(r) != 1 {
				t.Errorf("reasons %v, want [%s]", r, tt.reasons)
			}
			if n := ev["products"].(int); n != tt.products {
				t.Errorf("products %d, want %d", n, tt.products)
			}
			cards := ev["cards"].([]map[string]any)
			if len(cards) != 2 || cards[0]["selector"] == "" || cards[1]["no_product_link"] != true {
				t.Errorf("evidence cards %v", cards)
			}
		})
	}
}

// TestCardPictureIdentity: a photo and its copies in another format, size
// or quality are one picture; different products' photos, however alike,
// are not (samePictureAs, on the files the fixture pages show).
func TestCardPictureIdentity(t *testing.T) {
	p := &Pass{Env: testEnv()}
	card := func(name string) *listedCard {
		data := dupsPicture(t, name)
		im := cardImage("/img/"+name, data, 400)
		lc := &listedCard{Card: &pagemodel.Card{Img: &im, ImgURL: im.CurrentSrc}}
		lc.m = pictureMeasures(p, lc.Img, lc.ImgURL)
		if lc.m == nil {
			t.Fatalf("%s: not measured", name)
		}
		return lc
	}
	ic := p.Env.Images
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"hongcha-jjm.jpg", "hongcha-jjm.webp", true},
		{"zhengshan.jpg", "zhengshan.webp", true},
		{"dahongpao.jpg", "dahongpao.webp", true}, // 300 px, quality 60
		{"tin-green.jpg", "tin-red.jpg", false},   // pHash 4 bits, 3.9 levels on average, 91 in the tin's cells
		{"hongcha-jjm.jpg", "hongcha-gift.jpg", false},
		{"hongcha-jjm.webp", "dahongpao.webp", false},
		{"qimen.jpg", "hongcha-jjm.jpg", false},
		{"longjing.jpg", "zhengshan.jpg", false},
	} {
		m, same := samePictureAs(card(tc.a), card(tc.b), ic.DuplicateDistance, ic.DuplicateColourDiff)
		if same != tc.same {
			a, b := card(tc.a).m, card(tc.b).m
			d, _ := a.hash.Distance(b.hash)
			t.Errorf("%s ~ %s: same %v, want %v (pHash %d, colour %.1f, local %.1f)", tc.a, tc.b, same, tc.same,
				d, thumbDiff(a.thumb, b.thumb), localDiff(a.thumb, b.thumb))
		}
		if same && (m.by != "phash" || m.local > maxLocalDiff/2) {
			t.Errorf("%s ~ %s: matched %+v, want by phash with local diff under half the limit", tc.a, tc.b, m)
		}
	}
}

// TestDuplicateListingDupsPages runs the rule on the duplicate-listing
// pages (dupsPages) as a browser shows their cards (td.goods-item:
// title, picture; every link "#", "javascript:" or none), apart from
// pagemodel's card reading, which TestFixtures covers once the pages are
// swept: the page marked data-expect gives one title group and one picture
// group, the one marked data-clean nothing.
func TestDuplicateListingDupsPages(t *testing.T) {
	for _, tc := range []struct {
		page    string
		reasons []string // of the findings, in subject order; nil: clean
	}{
		{"list-copies.html", []string{"image", "title"}},
		{"floors-clean.html", nil},
	} {
		t.Run(tc.page, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(dupsPages, tc.page))
			if err != nil {
				t.Fatal(err)
			}
			html := string(src)
			marked := `data-clean="content.duplicate-listing"`
			if tc.reasons != nil {
				marked = `data-expect="content.duplicate-listing"`
			}
			if !strings.Contains(html, marked) {
				t.Fatalf("%s is not marked %s", tc.page, marked)
			}
			page := &crawler.Page{URL: listingBase + "/" + tc.page, FinalURL: listingBase + "/" + tc.page, Viewport: crawler.Mobile,
				Status: 200, Kind: crawler.KindOther, HTML: html}
			m := pagemodel.Build(page, testEnv().modelOptions())
			byFile := map[string]*crawler.Image{}
			m.Doc.Find("td.goods-item").Each(func(i int, s *goquery.Selection) {
				src := s.Find("img").AttrOr("src", "")
				im := byFile[src]
				if im == nil {
					data := dupsPicture(t, filepath.Base(src))
					cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
					if err != nil {
						t.Fatalf("%s: %v", src, err)
					}
					img := cardImage(src, data, cfg.Width)
					im = &img
					byFile[src] = im
				}
				if h := s.Find("a").AttrOr("href", ""); h != "" && h != "#" && !strings.HasPrefix(h, "javascript:") {
					t.Fatalf("card %d links to %q: the page plants cards without usable links", i+1, h)
				}
				title := pagemodel.ShownText(s.Find(".goods-name").Nodes[0])
				m.Cards = append(m.Cards, &pagemodel.Card{Pos: i + 1, Node: s.Nodes[0], Title: title, Norm: pagemodel.NormTitle(title),
					Img: im, ImgURL: im.CurrentSrc})
			})
			var fs []Finding
			check := checkByID(t, "content.duplicate-listing")
			check.Run(&Pass{Check: check, Page: page, Env: testEnv(), Model: m, emit: func(f Finding) { fs = append(fs, f) }})
			SortFindings(fs)
			var got []string
			for _, f := range fs {
				t.Logf("%s: %s %v", f.Subject, f.Message, f.Evidence["cards"])
				got = append(got, f.Evidence["reasons"].([]string)...)
			}
			if !slices.Equal(got, tc.reasons) {
				t.Errorf("reasons %v, want %v", got, tc.reasons)
			}
		})
	}
}
