package checks

import (
	"strings"
	"testing"
	"time"

	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
)

var shanghai = time.FixedZone("CST", 8*3600)

// lateEnv is the messy shop's clock, 2026-11-28 10:00, with no campaign;
// mutate adjusts the config first.
func lateEnv(mutate func(*config.Config)) *Env {
	cfg := config.Defaults()
	if mutate != nil {
		mutate(&cfg)
	}
	return envFor(&cfg, time.Date(2026, 11, 28, 10, 0, 0, 0, shanghai))
}

// promoPage is a home page (or a listing, or a product page with a buy box)
// with body.
func promoPage(kind crawler.Kind, body string) *crawler.Page {
	p := okPage()
	p.URL, p.FinalURL, p.Kind = "https://shop.example/", "https://shop.example/", kind
	p.HTML = `<html><head><title>山野茶铺</title></head><body><header><a href="/">山野茶铺</a></header><main>` + body +
		`</main><footer>客服热线 400-820-6618</footer></body></html>`
	return p
}

func TestPromoStaleCampaign(t *testing.T) {
	card := func(href, title, price string) string {
		return `<li class="item"><a href="` + href + `"><img src="/img/p.jpg" alt="x" width="200" height="200"><p class="p-name">` +
			title + `</p></a><p>` + price + `</p></li>`
	}
	tests := []struct {
		name string
		env  *Env
		kind crawler.Kind
		body string
		want []string
	}{
		{"a 6.1 banner in November", nil, crawler.KindHome, `<div class="banner">6.1狂欢 童装低至5折</div>`,
			[]string{"promo.stale-campaign 6.1狂欢"}},
		{"双11 creative 17 days on", nil, crawler.KindHome, `<div class="banner">双11狂欢 全场5折起</div><p>双十一 爆款返场</p>`,
			[]string{"promo.stale-campaign 双11狂欢"}},
		{"a bare 11.11 in promotional copy", nil, crawler.KindHome, `<p>11.11 当天付款享8折</p>`,
			[]string{"promo.stale-campaign 11.11"}},
		{"a 双11 countdown is promo.expired, once", nil, crawler.KindHome, `<p>距11.11开抢还有4天</p><p>距双11结束还有2天 全场5折</p>`,
			[]string{"promo.expired 距11.11开抢还有4天", "promo.expired 距双11结束还有2天 全场5折"}},
		{"a countdown to a date", nil, crawler.KindHome, `<p>距11月11日结束还有2天</p><p>距11月29日 20:00开播 还有1天</p>`,
			[]string{"promo.expired 距11月11日结束还有2天"}},
		{"a countdown without a target", nil, crawler.KindHome, `<p>仅剩3天 全场5折</p>`, nil},
		{"a festival still to come", nil, crawler.KindHome, `<p>双12预热 领券满300减40</p><p>年货节 好茶提前囤</p>`, nil},
		{"within the grace days", lateEnv(func(c *config.Config) { c.Promo.StaleAfterDays = 30 }), crawler.KindHome,
			`<div class="banner">双11狂欢 全场5折起</div>`, nil},
		{"黑五 the day after", nil, crawler.KindHome, `<div class="banner">黑五 海淘直降</div>`, nil},
		{"grace 0: the day after", lateEnv(func(c *config.Config) { c.Promo.StaleAfterDays = 0 }), crawler.KindHome,
			`<div class="banner">黑五 海淘直降</div>`, []string{"promo.stale-campaign 黑五"}},
		{"the configured campaign while it runs", lateEnv(func(c *config.Config) {
			c.Campaign = config.Campaign{Name: "双11返场", Start: "2026-11-12", End: "2026-11-30"}
		}), crawler.KindHome, `<div class="banner">双11返场 全场5折起</div>`, nil},
		{"the configured campaign after it ran", lateEnv(func(c *config.Config) {
			c.Campaign = config.Campaign{Name: "双11好茶节", Start: "2026-11-01", End: "2026-11-11"}
		}), crawler.KindHome, `<div class="banner">双11好茶节 全场5折起</div>`, []string{"promo.stale-campaign 双11"}},
		{"another festival than the campaign", lateEnv(func(c *config.Config) {
			c.Campaign = config.Campaign{Name: "双12", Start: "2026-11-25", End: "2026-12-12"}
		}), crawler.KindHome, `<div class="banner">双12预热</div><div>618大促 返场</div>`, []string{"promo.stale-campaign 618大促"}},
		{"a buyer's review", nil, crawler.KindHome, `<p>买家评价：双11买的，很好喝</p>`, nil},
		{"a review list", nil, crawler.KindHome, `<ul class="J-comment-list"><li>双十一囤的第三罐了</li></ul>`, nil},
		{"同款", nil, crawler.KindHome, `<p>双11同款 明星单品 ¥128</p>`, nil},
		{"a recap", nil, crawler.KindHome, `<p>去年双11战绩：3分钟售罄</p><p>2025双11回顾</p>`, nil},
		{"a product named after a festival", nil, crawler.KindListing,
			`<ul>` + card("/item/1.html", "618限定款茶具 礼盒装", "¥199") + card("/item/2.html", "年货节礼盒 红茶", "¥299") + `</ul>`, nil},
		{"a product page's h1", nil, crawler.KindProduct,
			`<div class="item"><h1>双11纪念 金骏眉</h1><p>¥128</p><button>加入购物车</button></div>`, nil},
		{"numbers that are no festival", nil, crawler.KindHome,
			`<p>全场3.8折</p><p>¥6.18 秒杀</p><p>9.9元包邮</p><p>6.1英寸 大屏</p><p>v6.1 更新</p><p>订单 618 件</p>`, nil},
		{"a bare 618 outside promotional copy", nil, crawler.KindHome, `<p>门店：幸福路 618</p>`, nil},
		{"a dated window is promo.expired's", nil, crawler.KindHome, `<p>活动时间：6.1-6.18 满减</p>`,
			[]string{"promo.expired 活动时间：6.1-6.18 满减"}},
		{"a spec table", nil, crawler.KindProduct, `<div class="item"><h1>红茶</h1><p>¥99</p><button>加入购物车</button></div>
<table><tr><th>系列</th><td>618大促系列</td></tr><tr><th>产地</th><td>云南</td></tr></table>`, nil},
		{"one finding per festival", nil, crawler.KindHome, `<p>双11狂欢</p><p>双十一大促 全场5折</p><p>11.11 满减</p>`,
			[]string{"promo.stale-campaign 双11狂欢"}},
		{"hidden leftovers are not shown", nil, crawler.KindHome, `<p data-sc-hidden="">6.1狂欢</p>`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := tt.env
			if env == nil {
				env = lateEnv(nil)
			}
			var got []string
			for _, f := range RunPage([]*Check{checkByID(t, "promo.stale-campaign"), checkByID(t, "promo.expired")}, env,
				promoPage(tt.kind, tt.body)) {
				got = append(got, f.Rule+" "+f.Subject)
				t.Logf("%s %q: %s %v", f.Rule, f.Subject, f.Message, f.Evidence)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestPromoStaleEvidence(t *testing.T) {
	fs := RunPage([]*Check{checkByID(t, "promo.stale-campaign")}, lateEnv(nil),
		promoPage(crawler.KindHome, `<div class="banner" id="b61">6.1狂欢 童装低至5折</div>`))
	if len(fs) != 1 {
		t.Fatalf("findings %+v", fs)
	}
	ev := fs[0].Evidence
	if ev["festival"] != "6.1" || ev["day"] != "2026-06-01" || ev["days_since"] != 180 || ev["selector"] != "#b61" ||
		ev["text"] != "6.1狂欢 童装低至5折" {
		t.Errorf("evidence %v", ev)
	}
	if want := "The page still shows 6.1狂欢 creative, but 6.1 was 2026-06-01, 180 days ago (creative may stay 3 days after it)."; fs[0].Message != want {
		t.Errorf("message %q\nwant %q", fs[0].Message, want)
	}
}
