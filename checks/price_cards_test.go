package checks

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/storecheck/storecheck/crawler"
)

// cardGrid is a campaign page (kind other: its cards link nowhere) whose
// grid shows each card body beside a picture and a title, in <li> tiles.
func cardGrid(cards ...string) *crawler.Page {
	var b strings.Builder
	b.WriteString(`<html><head><title>会场</title></head><body><div class="hd"><a href="/">首页</a></div>` +
		`<div class="banner"><img src="/img/b.jpg" width="960" height="300"><p>全场满299减50 低至5折</p></div><ul class="goods">`)
	for i, c := range cards {
		fmt.Fprintf(&b, `<li class="item"><a href="#"><img src="/img/p%d.jpg" width="200" height="200"></a><p class="name">山野好茶 %d 号</p>%s</li>`, i, i+1, c)
	}
	b.WriteString(`</ul></body></html>`)
	p := okPage()
	p.URL, p.FinalURL = "https://shop.example/huichang.html", "https://shop.example/huichang.html"
	p.Kind, p.HTML = crawler.KindOther, b.String()
	return p
}

// cardRules runs the two card-judging rules over p: "rule subject" lines.
func cardRules(t *testing.T, p *crawler.Page) ([]string, []Finding) {
	t.Helper()
	cs := []*Check{checkByID(t, "price.original-not-higher"), checkByID(t, "price.discount-mismatch")}
	fs := RunPage(cs, textEnv(), p)
	out := []string{}
	for _, f := range fs {
		out = append(out, f.Rule+" "+f.Subject)
		t.Logf("%s %q: %s %v", f.Rule, f.Subject, f.Message, f.Evidence)
	}
	sort.Strings(out)
	return out, fs
}

func TestPriceRulesOnCards(t *testing.T) {
	const ok = `<p class="price"><i>￥</i>99</p>` // a card with one price
	tests := []struct {
		name  string
		cards []string
		want  []string
	}{
		{"struck price below the sale price", []string{ok, `<p><span class="yen">¥</span><span class="int">299</span><span class="dec">.00</span> <del data-sc-struck="">¥259.00</del></p>`},
			[]string{"price.original-not-higher ¥259.00"}},
		{"a 原价 equal to the price", []string{ok, `<p>¥128 原价¥128</p>`}, []string{"price.original-not-higher 原价¥128"}},
		{"5折 that the card's prices contradict", []string{ok, `<p><b>¥80</b> <s data-sc-struck="">¥100</s></p><span class="tag">5折</span>`},
			[]string{"price.discount-mismatch 5折"}},
		{"立减 that is not the difference", []string{ok, `<p>¥80 <del data-sc-struck="">¥100</del></p><p>立减30</p>`}, []string{"price.discount-mismatch 立减30"}},
		{"30% off that is 20% off", []string{ok, `<p>¥80 <del data-sc-struck="">¥100</del> 30% OFF</p>`}, []string{"price.discount-mismatch 30% OFF"}},
		// Traps that must stay quiet.
		{"a correct 7折", []string{ok, `<p>¥69.3 <del data-sc-struck="">¥99</del></p><span>7折</span>`}, nil},
		{"低至5折 over a range", []string{ok, `<p>¥59-¥99 <del data-sc-struck="">¥129</del></p><span>低至5折</span>`}, nil},
		{"a range whose struck price lies inside it", []string{ok, `<p>¥59-¥99 <del data-sc-struck="">¥79</del></p>`}, nil},
		{"the struck price above the current", []string{ok, `<p>¥199 <del data-sc-struck="">¥259</del></p>`}, nil},
		{"a coupon", []string{ok, `<p>¥199 <del data-sc-struck="">¥259</del></p><p>券¥20 领券立减20 用券减10</p>`}, nil},
		{"sales counts", []string{ok, `<p>¥199 <del data-sc-struck="">¥259</del></p><p>月销3000笔 已售1.2万件</p>`}, nil},
		{"member price and rate", []string{ok, `<p>¥199 <del data-sc-struck="">¥259</del></p><p>会员价¥179 会员9折</p>`}, nil},
		{"a multi-buy", []string{ok, `<p>¥199 <del data-sc-struck="">¥259</del></p><p>2件9折 第2件5折</p>`}, nil},
		{"two prices drawn alike: which is paid cannot be told", []string{ok, `<p>¥199 ¥159 <del data-sc-struck="">¥169</del></p>`}, nil},
		{"a store-wide banner beside clean cards", []string{ok, ok}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := cardRules(t, cardGrid(tc.cards...))
			want := tc.want
			if want == nil {
				want = []string{}
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

// TestPriceCardEvidence: one finding per subject, on the first card, with
// its selector, box and the count of cards showing it.
func TestPriceCardEvidence(t *testing.T) {
	bad := `<p>¥299 <del data-sc-struck="">¥259</del></p>`
	p := cardGrid(`<p>¥99</p>`, bad, bad)
	p.Images = []crawler.Image{{Selector: "html > body:nth-of-type(1) > ul:nth-of-type(1) > li:nth-of-type(2) > a:nth-of-type(1) > img:nth-of-type(1)",
		Visible: true, Box: crawler.Box{X: 220, Y: 400, W: 200, H: 200}}}
	p.TextBoxes = []crawler.TextBox{{Selector: "html > body:nth-of-type(1) > ul:nth-of-type(1) > li:nth-of-type(2) > p:nth-of-type(2)",
		Visible: true, Box: crawler.Box{X: 220, Y: 640, W: 120, H: 20}}}
	got, fs := cardRules(t, p)
	if strings.Join(got, "|") != "price.original-not-higher ¥259" {
		t.Fatalf("got %q", got)
	}
	ev := fs[0].Evidence
	box, _ := ev["box"].(map[string]any)
	if ev["selector"] != "html > body:nth-of-type(1) > ul:nth-of-type(1) > li:nth-of-type(2)" || ev["card"] != 2 || ev["cards"] != 2 ||
		ev["card_title"] != "山野好茶 2 号" || box["y"] != 400.0 || box["h"] != 260.0 {
		t.Errorf("evidence %v", ev)
	}
	if !strings.Contains(fs[0].Message, `"山野好茶 2 号"`) || !strings.Contains(fs[0].Message, "2 cards") {
		t.Errorf("message %q", fs[0].Message)
	}
}

// TestPriceCardsOnProductPage: a product page's recommendation cards are
// judged; its buy box is judged as before, and a subject both show is one
// finding.
func TestPriceCardsOnProductPage(t *testing.T) {
	rec := `<div class="recommend"><h3>猜你喜欢</h3><ul>` +
		`<li><a href="/item/2.html"><img src="/img/r1.jpg" width="160" height="160"></a><p class="name">白毫银针 100g</p><p>¥150 <del data-sc-struck="">¥120</del></p></li>` +
		`<li><a href="/item/3.html"><img src="/img/r2.jpg" width="160" height="160"></a><p class="name">白牡丹 100g</p><p>¥90 <del data-sc-struck="">¥259</del></p></li>` +
		`<li><a href="/item/4.html"><img src="/img/r3.jpg" width="160" height="160"></a><p class="name">老白茶饼 357g</p><p>¥300 原价 ¥259</p></li>` +
		`</ul></div>`
	p := productPage("/item/1.html", `<p>现价 <span class="price">¥299</span> 原价 <del data-sc-struck="">¥259</del></p>`, rec+specsAndTerms)
	got, fs := cardRules(t, p)
	want := []string{"price.original-not-higher ¥120", "price.original-not-higher 原价 ¥259"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got %q, want %q", got, want)
	}
	for _, f := range fs {
		if _, card := f.Evidence["card"]; card != (f.Subject == "¥120") {
			t.Errorf("%s: evidence %v", f.Subject, f.Evidence)
		}
	}
}
