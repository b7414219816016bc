package main

import (
	"fmt"
	"slices"
)

// pic is one picture to draw: its file, size and classification, the HTML
// that draws it (elements carrying the attribute t are the drawn strings, one
// manifest text entry each), and the keys a reader must get.
type pic struct {
	file      string
	w, h      int
	kind, bg  string
	style     string // "" is plain
	keys      []string
	note      string
	css, body string
}

// Source photos: the tea shop's generated product and gallery photos.
const (
	tin1    = "testdata/sites/demo/img/products/1001.jpg"
	tin2    = "testdata/sites/demo/img/products/1002.jpg"
	tin3    = "testdata/sites/demo/img/products/1003.jpg"
	tin4    = "testdata/sites/demo/img/products/1004.jpg"
	tin5    = "testdata/sites/demo/img/products/1005.jpg"
	tin6    = "testdata/sites/demo/img/products/1006.jpg"
	tin7    = "testdata/sites/demo/img/products/1007.jpg"
	tin8    = "testdata/sites/demo/img/products/1008.jpg"
	cupBlk  = "testdata/sites/demo/img/gallery/cup-black.jpg"
	cupGrn  = "testdata/sites/demo/img/gallery/cup-green.jpg"
	garden  = "testdata/sites/demo/img/gallery/garden.jpg"
	giftbox = "testdata/sites/demo/img/gallery/giftbox.jpg"
	leafBlk = "testdata/sites/demo/img/gallery/leaves-black.jpg"
	leafGrn = "testdata/sites/demo/img/gallery/leaves-green.jpg"
	messy3  = "testdata/sites/messy/img/p/1003.jpg"
	messy5  = "testdata/sites/messy/img/p/1005.jpg"
	messy7  = "testdata/sites/messy/img/p/1007.jpg"
)

// idNumber appends the GB 11643-1999 check character (ISO 7064 MOD 11-2) to
// the 17 digits of a resident ID number.
func idNumber(d17 string) string {
	w := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range d17 {
		sum += int(c-'0') * w[i]
	}
	return d17 + string("10X98765432"[sum%11])
}

// img is a full-picture <img> of a source photo; extra is inline CSS
// (object-position, a zoom through transform).
func img(src, extra string) string {
	return fmt.Sprintf(`<img class="fill" src="%s" style="%s">`, src, extra)
}

// sticker is a price sticker in a card's corner: a small label over a large
// amount, both in one drawn string.
func sticker(pos, label, amount string, labelPx, amountPx int, colour string) string {
	return fmt.Sprintf(`<div t class="abs row" style="%s;background:%s;color:#fff;border-radius:10px;padding:6px 12px;gap:4px;align-items:baseline">`+
		`<span style="font-size:%dpx">%s</span><span class="b" style="font-size:%dpx">%s</span></div>`, pos, colour, labelPx, label, amountPx, amount)
}

// pictures is the fixture set; photo turns a source photo path into a data
// URL.
func pictures(photo func(string) string) []pic {
	return slices.Concat(campaign(photo), details(photo), marks(), photos(photo), traps(photo))
}

// campaign holds the banners that carry a planted defect and the price-sticker
// cards.
func campaign(photo func(string) string) []pic {
	id := idNumber("11010519900307123")
	return []pic{
		// Banners with the planted defects.
		{file: "banner-banned-lowest.jpg", w: 750, h: 300, kind: "banner", bg: "gradient", style: "shadowed",
			keys: []string{"全网最低价"}, note: "text.banned-term: 全网最低价 in a campaign banner",
			body: `<div style="position:absolute;inset:0;background:linear-gradient(120deg,#ff4d2e,#c8102e 55%,#7a0019)"></div>
<div class="abs col" style="inset:0;color:#fff;gap:14px">
<div t class="b sh" style="font-size:60px;letter-spacing:4px">全网最低价</div>
<div t class="sh" style="font-size:26px">春茶节 限时直降 好茶不等人</div></div>`},
		{file: "banner-banned-national.png", w: 750, h: 280, kind: "banner", bg: "flat", style: "outlined",
			keys: []string{"国家级"}, note: "text.banned-term: 国家级配方, red text with a dark outline",
			body: `<div style="position:absolute;inset:0;background:#fff3dc"></div>
<div class="abs col" style="inset:0;gap:16px">
<div t class="b" style="font-size:56px;color:#e8372c;-webkit-text-stroke:2px #5a1208">国家级配方</div>
<div t style="font-size:24px;color:#6b4a1e">古法窨制 茉莉花茶 七窨一提</div></div>`},
		{file: "banner-banned-salesfirst.jpg", w: 750, h: 320, kind: "banner", bg: "photo", style: "shadowed",
			keys: []string{"销量第一"}, note: "text.banned-term: 销量第一 over the tea garden photo",
			body: img(photo(garden), "object-position:50% 60%") + `
<div class="abs col" style="left:40px;top:60px;align-items:flex-start;color:#fff;gap:12px">
<div t class="b glow" style="font-size:52px">销量第一</div>
<div t class="glow" style="font-size:22px">好评如潮 老客回购 山野茶铺</div></div>`},
		{file: "banner-banned-100.jpg", w: 750, h: 260, kind: "banner", bg: "gradient",
			keys: []string{"100%"}, note: "text.banned-term: 100%纯天然, Latin digits and a percent sign inside CJK",
			body: `<div style="position:absolute;inset:0;background:linear-gradient(90deg,#e6f4d8,#9ccc65)"></div>
<div class="abs col" style="inset:0;align-items:flex-start;padding-left:60px;gap:10px;color:#1b5e20">
<div t class="b" style="font-size:48px">100%纯天然</div>
<div t style="font-size:20px">无添加 原叶冷泡 清爽回甘</div></div>`},
		{file: "banner-banned-vertical.png", w: 750, h: 360, kind: "banner", bg: "flat", style: "vertical",
			keys: []string{"国家级"}, note: "text.banned-term: 国家级 in a vertical (竖排) line",
			body: `<div style="position:absolute;inset:0;background:#f4efe6"></div>
<div t class="abs v serif b" style="right:70px;top:24px;font-size:40px;color:#3e2a14">国家级非遗工艺</div>
<div t class="abs v serif" style="right:150px;top:60px;font-size:28px;color:#7b5a35">匠心制茶二十年</div>
<div t class="abs" style="left:60px;top:150px;font-size:30px;color:#3e2a14">武夷岩茶 大红袍</div>`},
		{file: "banner-banned-first.jpg", w: 750, h: 300, kind: "banner", bg: "gradient",
			keys: []string{"全网第一", "NO.1"}, note: "text.banned-term: 全网第一 and NO.1, mixed sizes",
			body: `<div style="position:absolute;inset:0;background:radial-gradient(circle at 30% 40%,#ffd54f,#ff8f00 70%,#e65100)"></div>
<div class="abs col" style="inset:0;gap:8px;color:#4e1500">
<div t class="b" style="font-size:44px">好评率全网第一</div>
<div t class="b" style="font-size:20px;letter-spacing:6px">NO.1 TEA SHOP</div></div>`},
		{file: "banner-banned-top-grade.jpg", w: 750, h: 300, kind: "banner", bg: "gradient", style: "low-contrast",
			keys: []string{"最高级"}, note: "text.banned-term: 最高级, gold on a light gold gradient",
			body: `<div style="position:absolute;inset:0;background:linear-gradient(160deg,#f7e7c1,#e9cf8e)"></div>
<div class="abs col" style="inset:0;gap:10px;color:#b28a3c">
<div t class="b serif" style="font-size:50px">最高级 甄选茶礼</div>
<div t style="font-size:22px;color:#9c7a36">中秋送礼 体面之选</div></div>`},

		// Dates and festivals.
		{file: "banner-expired-national-day.jpg", w: 750, h: 300, kind: "banner", bg: "gradient", style: "shadowed",
			keys: []string{"2026年10月1日-10月7日"}, note: "promo.expired: a National Day window, over by a 2026-11-05 sweep",
			body: `<div style="position:absolute;inset:0;background:linear-gradient(180deg,#d50000,#8e0000)"></div>
<div class="abs col" style="inset:0;gap:18px;color:#ffe082">
<div t class="b sh" style="font-size:56px">国庆特惠 茶礼五折起</div>
<div t class="sh" style="font-size:26px;color:#fff">活动时间 2026年10月1日-10月7日</div></div>`},
		{file: "banner-expired-small.png", w: 750, h: 240, kind: "banner", bg: "flat",
			keys: []string{"2026年10月1日-10月7日", "满299减30"}, note: "promo.expired: the window in 16px fine print under a large offer",
			body: `<div style="position:absolute;inset:0;background:#fff"></div>
<div class="abs col" style="inset:0;gap:18px">
<div t class="b" style="font-size:48px;color:#d81b60">满299减30</div>
<div t style="font-size:16px;color:#555">活动时间：2026年10月1日-10月7日 以页面为准</div></div>`},
		{file: "banner-double11.jpg", w: 750, h: 300, kind: "banner", bg: "gradient", style: "outlined",
			keys: []string{"双11", "11月11日"}, note: "a 双11 banner: the festival and its day (stale or upcoming by sweep date)",
			body: `<div style="position:absolute;inset:0;background:linear-gradient(135deg,#6a1b9a,#d81b60)"></div>
<div class="abs col" style="inset:0;gap:16px">
<div t class="b stk" style="font-size:60px;color:#ff1744">双11狂欢</div>
<div t class="b" style="font-size:28px;color:#fff">11月11日 0点开抢</div></div>`},
		{file: "banner-618.jpg", w: 750, h: 300, kind: "banner", bg: "gradient", style: "shadowed",
			keys: []string{"618", "6.18"}, note: "promo.stale-campaign: a 618 banner left up in November",
			body: `<div style="position:absolute;inset:0;background:linear-gradient(90deg,#ff6f00,#ffca28)"></div>
<div class="abs col" style="inset:0;gap:14px;color:#fff">
<div t class="b sh" style="font-size:60px">618狂欢</div>
<div t class="sh" style="font-size:26px">6.18 年中大促 满300减40</div></div>`},
		{file: "banner-children-day.png", w: 750, h: 280, kind: "banner", bg: "flat",
			keys: []string{"6.1", "儿童节"}, note: "promo.stale-campaign: a 6.1儿童节 banner left up in November",
			body: `<div style="position:absolute;inset:0;background:#e3f2fd"></div>
<div class="abs col" style="inset:0;gap:14px">
<div t class="b" style="font-size:54px;color:#1565c0">6.1儿童节</div>
<div t style="font-size:26px;color:#ef6c00">亲子茶礼 童趣礼盒</div></div>`},
		{file: "banner-invalid-date.png", w: 750, h: 240, kind: "banner", bg: "flat",
			keys: []string{"2026年2月30日"}, note: "promo.invalid-date: a day that does not exist",
			body: `<div style="position:absolute;inset:0;background:#fffde7"></div>
<div class="abs col" style="inset:0;gap:14px">
<div t class="b" style="font-size:46px;color:#bf360c">限时抢购 第二件半价</div>
<div t style="font-size:24px;color:#333">截止 2026年2月30日</div></div>`},
		{file: "banner-expired-dots.jpg", w: 750, h: 300, kind: "banner", bg: "photo", style: "shadowed",
			keys: []string{"10.1-10.7"}, note: "promo.expired: a dotted window 10.1-10.7 over a gift box photo",
			body: img(photo(giftbox), "object-position:50% 40%") + `
<div class="abs col" style="right:40px;top:70px;align-items:flex-end;gap:10px;color:#fff">
<div t class="b glow" style="font-size:50px">国庆茶礼</div>
<div t class="b glow" style="font-size:34px">10.1-10.7</div></div>`},

		// Personal numbers.
		{file: "banner-phone.png", w: 750, h: 200, kind: "banner", bg: "flat",
			keys: []string{"13812345678"}, note: "security.pii-exposed: an unmasked mobile number",
			body: `<div style="position:absolute;inset:0;background:#f5f5f5"></div>
<div class="abs col" style="inset:0;gap:12px">
<div t class="b" style="font-size:34px;color:#c62828">客服电话 13812345678</div>
<div t style="font-size:18px;color:#666">工作时间 9:00-21:00 节假日无休</div></div>`},
		{file: "detail-id-number.png", w: 750, h: 420, kind: "detail", bg: "flat",
			keys: []string{id}, note: "security.pii-exposed: an 18-digit resident ID number with a valid check character, in a screenshot of an order form",
			body: `<div style="position:absolute;inset:0;background:#fff"></div>
<div class="abs" style="left:40px;top:30px;right:40px">
<div t class="b" style="font-size:30px;color:#333;margin-bottom:24px">订单信息 · 实名认证</div>
<div t style="font-size:22px;color:#444;margin-bottom:18px">收货人 张三</div>
<div t style="font-size:22px;color:#444;margin-bottom:18px">身份证号 ` + id + `</div>
<div t style="font-size:22px;color:#444">收货地址 浙江省杭州市西湖区龙井路1号</div></div>`},
		{file: "banner-phone-masked.png", w: 750, h: 200, kind: "banner", bg: "flat",
			keys: []string{"400-820-8820", "138****5678"}, note: "clean trap for security.pii-exposed: a service hotline and a masked mobile",
			body: `<div style="position:absolute;inset:0;background:#eceff1"></div>
<div class="abs col" style="inset:0;gap:12px;color:#263238">
<div t class="b" style="font-size:32px">客服热线 400-820-8820</div>
<div t style="font-size:22px">微信同号 138****5678</div></div>`},

		// Cards: a 400×400 product photo with a price sticker.
		{file: "card-price-44-9.jpg", w: 400, h: 400, kind: "card", bg: "photo",
			keys: []string{"到手价", "¥44.9"}, note: "clean trap for price.image-mismatch: the card's text price is ¥44.9 too",
			body: img(photo(tin1), "") + sticker("right:14px;bottom:14px", "到手价", "¥44.9", 20, 34, "#e4393c")},
		{file: "card-price-39-9.jpg", w: 400, h: 400, kind: "card", bg: "photo",
			keys: []string{"到手价", "¥39.9"}, note: "price.image-mismatch: the picture says ¥39.9 where the card's text price is ¥44.9",
			body: img(photo(tin2), "") + sticker("right:14px;bottom:14px", "到手价", "¥39.9", 20, 34, "#e4393c")},
		{file: "card-price-199.jpg", w: 400, h: 400, kind: "card", bg: "photo",
			keys: []string{"¥199"}, note: "a card price in a round top-left sticker",
			body: img(photo(tin3), "") + `<div class="abs col" style="left:14px;top:14px;width:110px;height:110px;border-radius:50%;background:#ff5722;color:#fff">
<div t class="b" style="font-size:36px">¥199</div></div>`},
		{file: "card-price-from.jpg", w: 400, h: 400, kind: "card", bg: "photo",
			keys: []string{"¥59", "起"}, note: "clean trap for price.image-mismatch: a 起 floor is not the price",
			body: img(photo(tin4), "") + sticker("left:14px;bottom:14px", "低至", "¥59起", 18, 32, "#d32f2f")},
		{file: "card-coupon.jpg", w: 400, h: 400, kind: "card", bg: "photo",
			keys: []string{"10元", "¥89"}, note: "price.image-mismatch reads ¥89 (券后), not the coupon amount 10元",
			body: img(photo(tin5), "") + `<div class="abs" style="left:0;right:0;bottom:0;height:70px;background:rgba(200,16,46,.92)"></div>
<div t class="abs" style="left:16px;bottom:20px;font-size:22px;color:#ffeb3b">领券立减10元</div>
<div t class="abs b" style="right:16px;bottom:14px;font-size:34px;color:#fff">券后¥89</div>`},
		{file: "card-price-outlined.jpg", w: 400, h: 400, kind: "card", bg: "photo", style: "outlined",
			keys: []string{"¥128"}, note: "a price in outlined (stroked) red digits straight on the photo",
			body: img(photo(tin6), "") + `<div t class="abs b" style="right:20px;top:18px;font-size:56px;color:#e53935;-webkit-text-stroke:3px #fff;paint-order:stroke fill">¥128</div>`},
		{file: "card-price-small.jpg", w: 400, h: 400, kind: "card", bg: "photo",
			keys: []string{"到手价", "¥44.9"}, note: "the smallest legible sticker: 14px label, 18px amount",
			body: img(photo(tin7), "") + sticker("right:10px;bottom:10px", "到手价", "¥44.9", 14, 18, "#e4393c")},
		{file: "card-price-vertical.jpg", w: 400, h: 400, kind: "card", bg: "photo", style: "vertical",
			keys: []string{"到手价", "¥99"}, note: "到手价 in a vertical strip and the amount beside it",
			body: img(photo(tin8), "") + `<div t class="abs v b" style="left:0;top:0;height:400px;width:56px;background:#b71c1c;color:#fff;font-size:28px;display:flex;align-items:center;justify-content:center">到手价</div>
<div t class="abs b" style="left:70px;top:16px;font-size:44px;color:#b71c1c">¥99</div>`},
	}
}
