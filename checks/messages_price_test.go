package checks

import (
	"testing"
	"time"

	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/lang"
	"github.com/storecheck/storecheck/ocr"
)

// asciiSentence is two English words in a row: a Chinese text that shows
// one was left untranslated (page text in the fixtures below is Chinese).

// TestPriceMessages renders one real finding of each price, promo and text
// rule (and of each message key of theirs worth a fixture) in zh-CN and
// English, and checks the rule's advice in both.
func TestPriceMessages(t *testing.T) {
	// page runs rule over a product page (kind other when !product) under
	// env, textEnv when nil.
	page := func(rule, path, box string, product bool, env *Env) func(*testing.T) []Finding {
		return func(t *testing.T) []Finding {
			p := productPage(path, box, specsAndTerms)
			if !product {
				p.Kind = crawler.KindOther
			}
			if env == nil {
				env = textEnv()
			}
			return RunPage([]*Check{checkByID(t, rule)}, env, p)
		}
	}
	onCards := func(rule string, cards ...string) func(*testing.T) []Finding {
		return func(t *testing.T) []Finding {
			return RunPage([]*Check{checkByID(t, rule)}, textEnv(), cardGrid(cards...))
		}
	}
	promo := func(rule, body string) func(*testing.T) []Finding {
		return func(t *testing.T) []Finding {
			return RunPage([]*Check{checkByID(t, rule)}, lateEnv(nil), promoPage(crawler.KindHome, body))
		}
	}
	pictures := func(rule, picture string, lines ...ocr.Line) func(*testing.T) []Finding {
		return func(t *testing.T) []Finding {
			pg := picturePage("新茶上市", "¥99.00")
			env := envFor(testConfig(), time.Date(2026, 11, 5, 10, 0, 0, 0, shanghai))
			fs, _ := RunVisit([]*Check{checkByID(t, rule)}, env, Visit{Page: pg, Pictures: pics(pg, map[string][]ocr.Line{picture: lines})})
			return fs
		}
	}
	history := textEnv()
	history.PriceHistory = map[string]float64{"https://shop.example/item/r": 168}
	const struck = `<p><span class="yen">¥</span>299 <del data-sc-struck="">¥259.00</del></p>`

	tests := []struct {
		rule, key string
		run       func(*testing.T) []Finding
	}{
		{"price.missing", "price.missing", page("price.missing", "/item/2", `<p>好茶</p>`, true, nil)},
		{"price.ambiguous", "price.ambiguous", page("price.ambiguous", "/item/4", `<p>¥199.00</p><p>¥239.00</p>`, true, nil)},
		{"price.original-not-higher", "price.original-not-higher",
			page("price.original-not-higher", "/item/6", `<p>现价 ¥299</p><p>原价 <del data-sc-struck="">¥259</del></p>`, true, nil)},
		{"price.original-not-higher", "price.original-not-higher/card-many", onCards("price.original-not-higher", struck, struck)},
		{"price.discount-mismatch", "price.discount-mismatch/rate",
			page("price.discount-mismatch", "/item/8", `<p>¥80.00 原价 <del data-sc-struck="">¥100.00</del> 限时7折</p>`, true, nil)},
		{"price.discount-mismatch", "price.discount-mismatch/spend-final",
			page("price.discount-mismatch", "/item/16", `<p>¥300.00 满300减40 到手价¥280</p>`, true, nil)},
		{"price.discount-mismatch", "price.discount-mismatch/card-amount",
			onCards("price.discount-mismatch", `<p class="price"><i>￥</i>99</p>`, `<p>¥80 <del data-sc-struck="">¥100</del></p><p>立减30</p>`)},
		{"price.reference-suspect", "price.reference-suspect",
			page("price.reference-suspect", "/item/r", `<p>¥168.00 原价 <del data-sc-struck="">¥218.00</del></p>`, true, history)},
		{"price.instalment-mismatch", "price.instalment-mismatch",
			page("price.instalment-mismatch", "/item/20", `<p>¥999.00</p><p>¥150×6期</p>`, true, nil)},
		{"price.instalment-mismatch", "price.instalment-mismatch/interest-free",
			page("price.instalment-mismatch", "/item/21", `<p>¥1,299.00</p><p>12期免息，每期¥115.50</p>`, true, nil)},
		{"price.image-mismatch", "price.image-mismatch", pictures("price.image-mismatch", "gallery", line(300, 93, "券", "后", "¥79"))},
		{"price.image-mismatch", "price.image-mismatch/card", pictures("price.image-mismatch", "card", line(150, 93, "到", "手", "价", "¥44.9"))},
		{"price.inconsistent", "price.inconsistent", priceInconsistentFinding},
		{"promo.expired", "promo.expired",
			page("promo.expired", "/item/11", `<p>¥59 国庆特惠 活动时间：2026年10月1日至10月7日</p>`, true, nil)},
		{"promo.expired", "promo.expired/countdown", promo("promo.expired", `<p>距11月11日结束还有2天</p>`)},
		{"promo.invalid-date", "promo.invalid-date/november", page("promo.invalid-date", "/page/a", `<p>活动截止 11月31日</p>`, false, nil)},
		{"promo.invalid-date", "promo.invalid-date/february", page("promo.invalid-date", "/page/a", `<p>活动截止 2026年2月30日</p>`, false, nil)},
		{"promo.invalid-date", "promo.invalid-date/window",
			page("promo.invalid-date", "/page/b", `<p>活动时间：2026年11月20日至2026年11月1日</p>`, false, nil)},
		{"promo.stale-campaign", "promo.stale-campaign", promo("promo.stale-campaign", `<div class="banner">6.1狂欢 童装低至5折</div>`)},
		{"promo.window-mismatch", "promo.window-mismatch",
			page("promo.window-mismatch", "/page/c", `<p>双11狂欢 活动时间：11月1日 00:00 至 11月10日 23:59</p>`, false, nil)},
		{"text.banned-term", "text.banned-term", page("text.banned-term", "/page/d", `<p>全网最低价！</p>`, false, nil)},
		{"text.banned-term", "text.banned-term/picture", pictures("text.banned-term", "banner", line(20, 95, "全", "网", "最", "低", "价"))},
		// The rule's advice is the security family's; its messages go
		// through the text rules' reporter and are in text.yaml.
		{"", "security.pii-exposed/mobile", page("security.pii-exposed", "/page/e", `<p>最新订单：张** 13812345678 已下单</p>`, false, nil)},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			fs := tt.run(t)
			if len(fs) == 0 {
				t.Fatal("no finding")
			}
			f := fs[0]
			if f.Msg.Key != tt.key {
				t.Fatalf("key %q, want %q (message %q)", f.Msg.Key, tt.key, f.Message)
			}
			en, zh := f.Msg.Render(lang.EN), f.Msg.Render(lang.ZH)
			t.Logf("en: %s\nzh: %s", en, zh)
			if en != f.Message {
				t.Errorf("English %q is not the finding's message %q", en, f.Message)
			}
			checkTexts(t, en, zh)
			if tt.rule != "" {
				checkTexts(t, Advice(tt.rule, lang.EN), Advice(tt.rule, lang.ZH))
			}
		})
	}
}

// priceInconsistentFinding is price.inconsistent's finding on a listing
// whose card asks ¥199 for a product its detail page sells at ¥219.
func priceInconsistentFinding(t *testing.T) []Finding {
	env := textEnv()
	cs := []*Check{checkByID(t, "price.inconsistent")}
	_, detail := RunPageFacts(cs, env, productPage("/item/p3.html", "<p>¥219</p>", specsAndTerms))
	listing := okPage()
	listing.URL, listing.FinalURL, listing.Kind = "https://shop.example/list", "https://shop.example/list", crawler.KindListing
	listing.HTML = `<html><body><ul><li><a href="/item/p3.html"><img src="/c.jpg" alt="c"><p>红茶</p><span>¥199</span></a></li></ul></body></html>`
	_, facts := RunPageFacts(cs, env, listing)
	return RunSite(cs, env, &crawler.SiteFacts{}, []PageFacts{detail, facts})
}
