package pagemodel

import (
	"fmt"
	"strings"
	"testing"

	"github.com/storecheck/storecheck/crawler"
)

// cardPage is an answered page of kind with body as its <body>.
func cardPage(kind crawler.Kind, body string) *crawler.Page {
	u := "https://shop.example/huichang.html"
	if kind == crawler.KindProduct {
		u = "https://shop.example/item/9.html"
	}
	return &crawler.Page{URL: u, FinalURL: u, Status: 200, Kind: kind,
		HTML: "<html><head><title>t</title></head><body>" + body + "</body></html>"}
}

// repeat is n copies of f(i), i from 1.
func repeat(n int, f func(i int) string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.WriteString(f(i))
	}
	return b.String()
}

var shopHeader = `<div id="top"><a href="/"><img src="/img/logo.png" alt="山野茶铺" width="120" height="40"></a>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/list.html">全部商品</a></li><li><a href="/huichang.html">会场</a></li><li><a href="/about.html">关于我们</a></li></ul></div>`

func TestCardsFound(t *testing.T) {
	cases := []struct {
		name   string
		kind   crawler.Kind
		body   string
		titles []string // one per card, in order
		noLink string   // every card's NoLink
	}{
		{
			name: "jQuery table of cells, no links, bare numbers",
			kind: crawler.KindOther,
			body: shopHeader + `<table width="960" border="0" cellpadding="0"><tr>` + repeat(4, func(i int) string {
				return fmt.Sprintf(`<td width="240" align="center"><img src="/img/p%d.jpg" width="200" height="200"><br>`+
					`<font size="2">山野绿茶 第%d款 250g</font><br><font color="red"><i>￥</i>%d</font> <s data-sc-struck="">￥%d</s></td>`, i, i, 100+i, 150+i)
			}) + `</tr></table>`,
			titles: []string{"山野绿茶 第1款 250g", "山野绿茶 第2款 250g", "山野绿茶 第3款 250g", "山野绿茶 第4款 250g"},
			noLink: NoLinkNone,
		},
		{
			name: "li grid whose links are all #",
			kind: crawler.KindListing,
			body: shopHeader + `<ul class="goods-list clearfix">` + repeat(3, func(i int) string {
				return fmt.Sprintf(`<li class="goods-item item%d"><a href="#"><img src="/img/p%d.jpg" width="220" height="220"></a>`+
					`<p class="goods-name"><a href="javascript:;">红茶礼盒 %d号</a></p>`+
					`<p class="goods-price"><span class="yen">¥</span><span class="int">%d</span><span class="dec">.00</span></p></li>`, i, i, i, 200+i)
			}) + `</ul>`,
			titles: []string{"红茶礼盒 1号", "红茶礼盒 2号", "红茶礼盒 3号"},
			noLink: NoLinkDead,
		},
		{
			name: "every card links the campaign page",
			kind: crawler.KindOther,
			body: shopHeader + `<div class="floor-bd">` + repeat(3, func(i int) string {
				return fmt.Sprintf(`<div class="pro"><a href="/huichang.html?f=1"><img src="/img/p%d.jpg" width="180" height="180"></a>`+
					`<div class="pro-name">白茶饼 %d 357g</div><div class="pro-price">¥%d</div></div>`, i, i, 300+i)
			}) + `</div>`,
			titles: []string{"白茶饼 1 357g", "白茶饼 2 357g", "白茶饼 3 357g"},
			noLink: NoLinkOther,
		},
		{
			name: "floors of grids: the floors are containers",
			kind: crawler.KindHome,
			body: shopHeader + repeat(2, func(f int) string {
				return fmt.Sprintf(`<div class="floor"><h2><img src="/img/f%d.png" width="300" height="60">%dF 好茶</h2><ul>`, f, f) +
					repeat(2, func(i int) string {
						return fmt.Sprintf(`<li><img src="/img/p%d%d.jpg" width="160" height="160"><span class="name">乌龙茶 %d-%d</span><em>¥%d</em></li>`, f, i, f, i, 50*f+i)
					}) + `</ul></div>`
			}),
			titles: []string{"乌龙茶 1-1", "乌龙茶 1-2", "乌龙茶 2-1", "乌龙茶 2-2"},
			noLink: NoLinkNone,
		},
		{
			name: "inline cards: <a class=item> in a div",
			kind: crawler.KindOther,
			body: shopHeader + `<div class="hot">` + repeat(2, func(i int) string {
				return fmt.Sprintf(`<a class="item" href="javascript:void(0)"><img src="/img/p%d.jpg" width="150" height="150"><span class="t">花茶 %d 号罐</span><span class="p"><i>￥</i>%d</span></a>`, i, i, 60+i)
			}) + `</div>`,
			titles: []string{"花茶 1 号罐", "花茶 2 号罐"},
			noLink: NoLinkDead,
		},
		{
			name: "a sold-out card without price joins its priced siblings",
			kind: crawler.KindOther,
			body: shopHeader + `<ul class="list">` + repeat(3, func(i int) string {
				price := fmt.Sprintf(`<b>¥%d</b>`, 80+i)
				if i == 2 {
					price = `<b>已售罄</b>`
				}
				return fmt.Sprintf(`<li class="cell"><img src="/img/p%d.jpg" width="150" height="150"><p class="title">普洱 %d 号饼</p>%s</li>`, i, i, price)
			}) + `</ul>`,
			titles: []string{"普洱 1 号饼", "普洱 2 号饼", "普洱 3 号饼"},
			noLink: NoLinkNone,
		},
		{
			name: "nav with icons, spec table, footer links, coupons and a banner: no cards",
			kind: crawler.KindOther,
			body: shopHeader +
				`<ul class="menu">` + repeat(4, func(i int) string {
				return fmt.Sprintf(`<li><img src="/img/i%d.png" width="24" height="24"><a href="/c%d.html">分类%d</a></li>`, i, i, i)
			}) + `</ul>` +
				`<ul class="quan">` + repeat(3, func(i int) string {
				return fmt.Sprintf(`<li style="background:url(/img/q.png)"><b>¥%d</b><p>满%d可用</p><a href="#">立即领取</a></li>`, 10*i, 100*i)
			}) + `</ul>` +
				`<div class="banner"><img src="/img/b.jpg" width="960" height="300"><p>全场满299减50</p></div>` +
				`<table class="specs"><tr><th>品牌</th><td>山野</td></tr><tr><th>产地</th><td>福建</td></tr></table>` +
				`<div class="foot"><ul>` + repeat(3, func(i int) string {
				return fmt.Sprintf(`<li><a href="/help/%d.html">帮助%d</a></li>`, i, i)
			}) + `</ul></div>`,
		},
		{
			name: "product page: recommendations are cards, the buy box's SKU tiles are not",
			kind: crawler.KindProduct,
			body: shopHeader + `<div class="detail"><div class="gallery"><img src="/img/g1.jpg" width="400" height="400"></div>` +
				`<div class="info"><h1>金骏眉 礼盒 500g</h1><p class="price">¥599</p><ul class="sku">` +
				repeat(2, func(i int) string {
					return fmt.Sprintf(`<li><img src="/img/s%d.jpg" width="60" height="60">规格%d ¥%d</li>`, i, i, 500+100*i)
				}) + `</ul><button>加入购物车</button></div>` +
				`<div class="recommend"><h3>猜你喜欢</h3><ul>` + repeat(3, func(i int) string {
				return fmt.Sprintf(`<li><a href="/item/%d.html"><img src="/img/r%d.jpg" width="160" height="160"></a><p class="name">推荐茶 %d 号</p><p>¥%d</p></li>`, 20+i, i, i, 90+i)
			}) + `</ul></div></div>`,
			titles: []string{"推荐茶 1 号", "推荐茶 2 号", "推荐茶 3 号"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := Build(cardPage(tc.kind, tc.body), Options{})
			var got []string
			for i, c := range m.Cards {
				got = append(got, c.Title)
				if c.Pos != i+1 {
					t.Errorf("card %d: Pos %d", i, c.Pos)
				}
				if c.NoLink != tc.noLink {
					t.Errorf("card %q: NoLink %q, want %q", c.Title, c.NoLink, tc.noLink)
				}
				if (c.Link == "") != (c.NoLink != "") || (c.Product == "") != (c.Link == "") {
					t.Errorf("card %q: Link %q, Product %q, NoLink %q", c.Title, c.Link, c.Product, c.NoLink)
				}
			}
			if strings.Join(got, "|") != strings.Join(tc.titles, "|") {
				t.Errorf("cards %q, want %q", got, tc.titles)
			}
		})
	}
}

// TestCardsLinked: link cards of a listing keep their product link; a
// grid tile holding links to two products is a container, not a card.
func TestCardsLinked(t *testing.T) {
	body := shopHeader + `<ul class="cards">` + repeat(2, func(i int) string {
		return fmt.Sprintf(`<li class="card"><a href="/item/%d.html?spm=a%d"><img src="/img/p%d.jpg" width="160" height="160"></a>`+
			`<a href="/item/%d.html?spm=b%d">岩茶 %d 号</a><span class="price">¥%d</span></li>`, i, i, i, i, i, i, 100+i)
	}) + `</ul><div class="pair"><div class="two"><a href="/item/7.html"><img src="/img/p7.jpg" width="160" height="160"></a><a href="/item/8.html"><img src="/img/p8.jpg" width="160" height="160"></a><span>¥7</span></div>` +
		`<div class="two"><img src="/img/p9.jpg" width="160" height="160"><span>¥9</span></div></div>`
	m := Build(cardPage(crawler.KindListing, body), Options{})
	var got []string
	for _, c := range m.Cards {
		got = append(got, c.Node.Data+" "+c.Link+" "+c.NoLink)
	}
	want := []string{
		"li https://shop.example/item/1.html?spm=a1 ",
		"li https://shop.example/item/2.html?spm=a2 ",
		"a https://shop.example/item/7.html ",
		"a https://shop.example/item/8.html ",
		"div  none",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("cards:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCardPrices(t *testing.T) {
	cases := []struct {
		name    string
		card    string // one card; the page shows it twice, titles apart
		main    string // MainPrice's text; "" when not ok
		origins []string
	}{
		{"split spans", `<p class="price"><span class="yen" data-sc-fs="12">¥</span><span class="int" data-sc-fs="20">299</span><span class="dec" data-sc-fs="12">.00</span> <del data-sc-struck="" data-sc-fs="12">¥399.00</del></p>`,
			"¥299.00", []string{"¥399.00"}},
		{"bare number after a sign of its own", `<div class="p"><i>￥</i>299 <s data-sc-struck="">￥259</s></div>`, "￥299", []string{"￥259"}},
		{"line-through span and a labelled 原价", `<span class="now" data-sc-fs="18">¥89</span><span data-sc-struck="" data-sc-fs="12">¥129</span><p>原价¥139</p>`,
			"¥89", []string{"¥129", "原价¥139"}},
		{"label standing alone before the amount", `<dl><dt>原价</dt><dd>¥199</dd><dt>现价</dt><dd>¥159</dd></dl>`, "¥159", []string{"¥199"}},
		{"two prices drawn alike", `<p>¥59</p><p>¥69</p>`, "", nil},
		{"the larger of two prices", `<p data-sc-fs="12">¥59</p><p data-sc-fs="24">¥69</p>`, "¥69", nil},
		{"coupon, sales count, member price", `<p>¥99</p><p>券¥20 月销3000笔 会员价¥89</p>`, "¥99", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := `<ul class="g">` + repeat(2, func(i int) string {
				return fmt.Sprintf(`<li><img src="/img/p%d.jpg" width="160" height="160"><h3>茶 %d 号</h3>%s</li>`, i, i, tc.card)
			}) + `</ul>`
			m := Build(cardPage(crawler.KindOther, body), Options{})
			if len(m.Cards) != 2 {
				t.Fatalf("%d cards, want 2", len(m.Cards))
			}
			c := m.Cards[0]
			main := ""
			if pr, ok := c.MainPrice(); ok {
				main = pr.Text
			}
			var origins []string
			for _, pr := range c.Prices {
				if pr.Original() {
					origins = append(origins, pr.Text)
				}
			}
			if main != tc.main || strings.Join(origins, "|") != strings.Join(tc.origins, "|") {
				t.Errorf("main %q, originals %q; want %q, %q (prices %+v)", main, origins, tc.main, tc.origins, c.Prices)
			}
		})
	}
}

func TestCardWhere(t *testing.T) {
	body := `<ul id="g">` + repeat(2, func(i int) string {
		return fmt.Sprintf(`<li><img src="/img/p%d.jpg" width="160" height="160"><p id="n%d">茶 %d</p><p>¥%d</p></li>`, i, i, i, i)
	}) + `</ul>`
	page := cardPage(crawler.KindOther, body)
	page.TextBoxes = []crawler.TextBox{
		{Selector: "#n2", Visible: true, Box: crawler.Box{X: 200, Y: 300, W: 100, H: 20}},
		{Selector: "#g > li:nth-of-type(2) > p:nth-of-type(2)", Visible: true, Box: crawler.Box{X: 200, Y: 320, W: 50, H: 20}},
		{Selector: "#g > li:nth-of-type(1) > p:nth-of-type(2)", Visible: true, Box: crawler.Box{X: 0, Y: 320, W: 50, H: 20}},
	}
	page.Images = []crawler.Image{{Selector: "#g > li:nth-of-type(2) > img:nth-of-type(1)", Visible: true, Box: crawler.Box{X: 200, Y: 100, W: 160, H: 160}}}
	m := Build(page, Options{})
	if len(m.Cards) != 2 {
		t.Fatalf("%d cards", len(m.Cards))
	}
	sel, box, ok := m.CardWhere(m.Cards[1])
	want := crawler.Box{X: 200, Y: 100, W: 160, H: 240}
	if sel != "#g > li:nth-of-type(2)" || !ok || box != want {
		t.Errorf("CardWhere = %q %+v %v, want %+v", sel, box, ok, want)
	}
}
