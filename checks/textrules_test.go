package checks

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
)

// textEnv pins the clock inside the 双11 campaign and sets the fixtures'
// campaign, brand names and allowed hotline.
func textEnv() *Env {
	cfg := config.Defaults()
	cfg.Campaign = config.Campaign{Name: "双11", Start: "2026-11-01 00:00", End: "2026-11-11 23:59", Pages: []string{"^/promo/campaign"}}
	cfg.PII.Allow = []string{"400-820-6618"}
	cfg.Brand.Name, cfg.Brand.Names = "山野茶铺", []string{"极品山野"}
	return envFor(&cfg, time.Date(2026, 11, 5, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
}

const specsAndTerms = `<table class="specs"><tr><th>品牌</th><td>山野茶铺</td></tr><tr><th>产地</th><td>杭州</td></tr>
<tr><th>净含量</th><td>250g</td></tr></table><p>售后保障：七天无理由退换货</p>`

// productPage is a product page whose buy box holds box, with specs and
// after-sales terms unless the body replaces them.
func productPage(path, box, rest string) *crawler.Page {
	html := `<html><head><title>西湖龙井</title></head><body><header><a href="/">山野茶铺</a></header>
<main><div class="item"><h1>西湖龙井 明前特级 250g</h1>` + box + `<button>加入购物车</button></div>` + rest + `</main>
<footer>客服热线 400-820-6618</footer></body></html>`
	p := okPage()
	p.URL, p.FinalURL = "https://shop.example"+path, "https://shop.example"+path
	p.Kind, p.HTML, p.Title, p.Headings = crawler.KindProduct, html, "西湖龙井", []string{"西湖龙井 明前特级 250g"}
	return p
}

// ruleFindings runs every page rule of the text families over p.
func ruleFindings(t *testing.T, env *Env, p *crawler.Page) []string {
	t.Helper()
	var cs []*Check
	for _, c := range Registry() {
		for _, fam := range []string{"price.", "promo.", "text.", "content.", "security.pii"} {
			if strings.HasPrefix(c.ID, fam) {
				cs = append(cs, c)
			}
		}
	}
	out := []string{}
	for _, f := range RunPage(Active(cs, env), env, p) {
		out = append(out, f.Rule+" "+f.Subject)
		t.Logf("%s %q: %s %v", f.Rule, f.Subject, f.Message, f.Evidence)
	}
	sort.Strings(out)
	return out
}

func TestTextRules(t *testing.T) {
	tests := []struct {
		name      string
		path      string
		box, rest string
		product   bool
		want      []string
	}{
		{"clean, every form", "/item/1", `<div class="price">促销价 <span>¥</span><em data-sc-fs="28">1,299</em><i>.00</i></div>
<p>原价 <del><span data-sc-struck="">¥1,599.00</span></del> 8.1折 省¥300 会员价¥1,249</p>
<p>¥433×3期 免息 ¥12.99/100g 运费¥0 包邮 优惠券¥20 满300减40 第二件半价</p>
<p>双11 活动时间：11月1日 00:00 至 11月11日 23:59 仅剩6天 最后一天 爆款返场</p>
<p>下单用户 138****5678 第一次购买 第一时间发货 最新款 极品山野出品</p>`, specsAndTerms, true, nil},
		{"no price", "/item/2", `<p>好茶</p>`, specsAndTerms, true, []string{"price.missing 西湖龙井 明前特级 250g"}},
		{"hidden and commented prices only", "/item/3", `<span data-sc-hidden="">¥49</span><!-- ¥59 -->`, specsAndTerms, true,
			[]string{"price.missing 西湖龙井 明前特级 250g"}},
		{"two current prices", "/item/4", `<p>¥199.00</p><p>¥239.00</p>`, specsAndTerms, true, []string{"price.ambiguous ¥199 / ¥239"}},
		{"a card of another product is not this price", "/item/5", `<p>¥199.00</p>`,
			specsAndTerms + `<div class="recommend"><a href="/item/9"><p>¥59</p></a></div>`, true, nil},
		{"original not higher", "/item/6", `<p>现价 ¥299</p><p>原价 <del data-sc-struck="">¥259</del></p>`, specsAndTerms, true,
			[]string{"price.original-not-higher 原价 ¥259"}},
		{"css line-through original not higher", "/item/7", `<p>¥99</p><p><span data-sc-struck="">¥89</span></p>`, specsAndTerms, true,
			[]string{"price.original-not-higher ¥89"}},
		{"wrong 折", "/item/8", `<p>¥80.00 原价 <del data-sc-struck="">¥100.00</del> 限时7折</p>`, specsAndTerms, true,
			[]string{"price.discount-mismatch 7折"}},
		{"right 折, a floor and a spend offer", "/item/9", `<p>¥70.00 原价 <del data-sc-struck="">¥100.00</del> 7折 全场低至3折 满100减20</p>`, specsAndTerms, true, nil},
		{"spend offer taking off more than the threshold", "/item/10", `<p>¥70.00 满100减100</p>`, specsAndTerms, true,
			[]string{"price.discount-mismatch 满100减100"}},
		{"final price contradicting a spend offer", "/item/16", `<p>¥300.00 满300减40 到手价¥280</p>`, specsAndTerms, true,
			[]string{"price.discount-mismatch 满300减40"}},
		{"final price lower than a spend offer alone", "/item/17", `<p>¥300.00 满300减40 领券再减20 到手价¥240</p>`, specsAndTerms, true, nil},
		{"expired promotion", "/item/11", `<p>¥59 国庆特惠 活动时间：2026年10月1日至10月7日</p>`, specsAndTerms, true,
			[]string{"promo.expired ¥59 国庆特惠 活动时间：2026年10月1日至10月7日"}},
		{"impossible date", "/page/a", `<p>活动截止 11月31日</p>`, "", false, []string{"promo.invalid-date 11月31日"}},
		{"end before start", "/page/b", `<p>活动时间：2026年11月20日至2026年11月1日</p>`, "", false,
			[]string{"promo.invalid-date 2026年11月20日至2026年11月1日"}},
		{"campaign dates differ", "/page/c", `<p>双11狂欢 活动时间：11月1日 00:00 至 11月10日 23:59</p>`, "", false,
			[]string{"promo.window-mismatch 11月1日 00:00 至 11月10日 23:59"}},
		{"campaign named by another spelling of its festival", "/page/h", `<p>双十一狂欢 活动时间：11月1日 00:00 至 11月10日 23:59</p>`, "", false,
			[]string{"promo.window-mismatch 11月1日 00:00 至 11月10日 23:59"}},
		{"another festival's window is not the campaign's", "/page/i", `<p>双12狂欢 活动时间：12月10日 00:00 至 12月12日 23:59</p>`, "", false, nil},
		{"campaign page dates differ", "/promo/campaign-x", `<p>限时特惠 11月2日-11月11日</p>`, "", false,
			[]string{"promo.window-mismatch 11月2日-11月11日"}},
		{"campaign presale is another window", "/promo/campaign-y", `<p>双11预售 10月20日-10月31日</p><p>双11 正式开售 11月1日-11月11日</p>`, "", false, nil},
		{"a past presale alone has expired", "/page/g", `<p>双11预售 10月20日-10月31日</p>`, "", false,
			[]string{"promo.expired 双11预售 10月20日-10月31日"}},
		{"banned terms, one finding each", "/page/d", `<p>全网最低价！销量第一</p><p>国家级工艺，全网最低价</p>`, "", false,
			[]string{"text.banned-term 全网最低价", "text.banned-term 国家级", "text.banned-term 销量第一"}},
		{"100% in a spec table is a fact", "/item/12", `<p>¥39</p>`, `<table><tr><td>成分</td><td>100%纯棉</td></tr>
<tr><td>尺寸</td><td>40×60cm</td></tr></table><p>七天无理由退货</p>`, true, nil},
		{"specs and after-sales in a closed tab", "/item/13", `<p>¥39</p>`, `<div class="tab-panel" hidden>` + specsAndTerms + `</div>`, true, nil},
		{"no specs", "/item/14", `<p>¥39</p>`, `<p>售后：七天无理由退换货</p>`, true, []string{"content.missing-specs "}},
		{"no after-sales", "/item/15", `<p>¥39</p>`, `<table><tr><th>品牌</th><td>x</td></tr><tr><th>产地</th><td>y</td></tr></table>`, true,
			[]string{"content.missing-after-sales "}},
		{"a consumer's phone and ID", "/page/e", `<p>最新订单：张** 13812345678 已下单</p><p>身份证 11010519900307005X</p>`, "", false,
			[]string{"security.pii-exposed 110105********005X", "security.pii-exposed 138****5678"}},
		{"masked and hidden numbers", "/page/f", `<p>138****5678 110105********123X 400-820-6618</p><p data-sc-hidden="">13912345678</p><!-- 13912345678 -->`, "", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := productPage(tt.path, tt.box, tt.rest)
			if !tt.product {
				p.Kind = crawler.KindOther
			}
			got := ruleFindings(t, textEnv(), p)
			want := tt.want
			if want == nil {
				want = []string{}
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// price.inconsistent compares a listing's card prices with the detail
// pages' prices at the end of the sweep.
func TestPriceInconsistent(t *testing.T) {
	env := textEnv()
	var cs []*Check
	for _, c := range Registry() {
		if strings.HasPrefix(c.ID, "price.") {
			cs = append(cs, c)
		}
	}
	var facts []PageFacts
	for i, price := range []string{"¥128", "¥168", "¥219", "¥98"} {
		p := productPage("/item/p"+string(rune('1'+i))+".html", "<p>"+price+"</p>", specsAndTerms)
		_, f := RunPageFacts(cs, env, p)
		facts = append(facts, f)
	}
	listing := okPage()
	listing.URL, listing.FinalURL, listing.Kind = "https://shop.example/list", "https://shop.example/list", crawler.KindListing
	listing.HTML = `<html><body><ul>
<li><a href="/item/p1.html"><img src="/a.jpg" alt="a"><p>龙井</p></a><span>¥128</span></li>
<li><a href="/item/p2.html"><img src="/b.jpg" alt="b"><p>碧螺春</p><span>¥168</span></a></li>
<li><a href="/item/p3.html"><img src="/c.jpg" alt="c"><p>红茶</p><span>¥199</span></a></li>
<li><div><a href="/item/p4.html">白茶</a><span>¥98</span></div></li>
</ul></body></html>`
	_, f := RunPageFacts(cs, env, listing)
	fs := RunSite(cs, env, &crawler.SiteFacts{}, append(facts, f))
	if len(fs) != 1 || fs[0].Rule != "price.inconsistent" || fs[0].URL != listing.URL ||
		fs[0].Subject != "https://shop.example/item/p3.html" {
		t.Fatalf("findings %+v", fs)
	}
	if fs[0].Evidence["card_price"] != 199.0 || fs[0].Evidence["detail_price"] != 219.0 {
		t.Errorf("evidence %v", fs[0].Evidence)
	}
}

// price.reference-suspect compares the original price with the lowest
// price the stored runs of the week before showed.
func TestPriceReferenceSuspect(t *testing.T) {
	page := productPage("/item/r", `<p>¥168.00 原价 <del data-sc-struck="">¥218.00</del></p>`, specsAndTerms)
	tests := []struct {
		name    string
		history map[string]float64
		want    int
	}{
		{"no history", nil, 0},
		{"another page's history", map[string]float64{"https://shop.example/item/other": 99}, 0},
		{"the week's lowest was the original", map[string]float64{"https://shop.example/item/r": 218}, 0},
		{"the week's lowest was below the original", map[string]float64{"https://shop.example/item/r": 168}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := textEnv()
			env.PriceHistory = tt.history
			fs := RunPage([]*Check{checkByID(t, "price.reference-suspect")}, env, page)
			if len(fs) != tt.want {
				t.Fatalf("findings %+v", fs)
			}
			if tt.want == 1 && (fs[0].Subject != "原价 ¥218.00" || fs[0].Evidence["lowest_before"] != 168.0) {
				t.Errorf("finding %+v", fs[0])
			}
		})
	}
}
