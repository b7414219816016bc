package main

// traps are the pictures a reader must read without a finding (harmless
// copy, an allowed 最新款, a future window) and the coverage cases: mixed
// sizes, Latin, low contrast, hollow letters, 14 px print, vertical lines.
func traps(photo func(string) string) []pic {
	return []pic{
		{file: "banner-clean-newtea.jpg", w: 750, h: 300, kind: "banner", bg: "photo", style: "shadowed",
			keys: []string{"新品上市", "春茶鲜香"}, note: "clean trap: harmless copy over a leaves photo",
			body: img(photo(leafGrn), "object-position:50% 30%;filter:brightness(.8)") + `
<div class="abs col" style="inset:0;gap:14px;color:#fff">
<div t class="b glow" style="font-size:56px">新品上市</div>
<div t class="glow" style="font-size:32px">春茶鲜香</div></div>`},
		{file: "banner-newest.png", w: 750, h: 260, kind: "banner", bg: "flat",
			keys: []string{"最新款"}, note: "clean trap: 最新款 names the newest batch, which the Advertising Law allows",
			body: `<div style="position:absolute;inset:0;background:#f3e5f5"></div>
<div class="abs col" style="inset:0;gap:14px">
<div t class="b" style="font-size:44px;color:#6a1b9a">2026春季最新款</div>
<div t style="font-size:26px;color:#4a148c">福鼎白茶饼 357g</div></div>`},
		{file: "banner-mixed-sizes.jpg", w: 750, h: 320, kind: "banner", bg: "gradient",
			keys: []string{"年中好茶节", "满199减20", "95折"}, note: "clean: four sizes in one banner, 60 px down to 14 px fine print",
			body: `<div style="position:absolute;inset:0;background:linear-gradient(100deg,#004d40,#00897b)"></div>
<div class="abs" style="left:50px;top:36px;color:#fff">
<div t class="b" style="font-size:60px">年中好茶节</div>
<div t class="b" style="font-size:32px;color:#ffeb3b;margin-top:12px">满199减20</div>
<div t style="font-size:20px;margin-top:14px">领券再享95折 会员加赠试饮装</div>
<div t style="font-size:14px;margin-top:22px;color:#b2dfdb">*活动最终解释权归本店所有，详见活动规则页</div></div>
<div class="abs" style="right:40px;top:40px;width:220px;height:240px;border-radius:16px;background:rgba(255,255,255,.12)"></div>`},
		{file: "banner-latin-sale.jpg", w: 750, h: 280, kind: "banner", bg: "gradient",
			keys: []string{"SPRING TEA SALE", "30% OFF"}, note: "clean: Latin-only banner",
			body: `<div style="position:absolute;inset:0;background:linear-gradient(45deg,#283593,#5c6bc0)"></div>
<div class="abs col" style="inset:0;gap:16px;color:#fff">
<div t class="b" style="font-size:54px;letter-spacing:2px">SPRING TEA SALE</div>
<div t style="font-size:24px;letter-spacing:1px">UP TO 30% OFF · FREE SHIPPING</div></div>`},
		{file: "banner-lowcontrast.png", w: 750, h: 220, kind: "banner", bg: "flat", style: "low-contrast",
			keys: []string{"会员专享", "5元"}, note: "clean: #999 on #bbb",
			body: `<div style="position:absolute;inset:0;background:#bbb"></div>
<div class="abs col" style="inset:0">
<div t class="b" style="font-size:36px;color:#999">会员专享 领券再减5元</div></div>`},
		{file: "banner-lowcontrast-photo.jpg", w: 750, h: 300, kind: "banner", bg: "photo", style: "low-contrast",
			keys: []string{"清香型", "¥68"}, note: "clean: pale text straight on a bright photo, no shadow",
			body: img(photo(cupGrn), "object-position:50% 50%") + `
<div class="abs" style="left:40px;top:50px;color:rgba(255,255,255,.8)">
<div t class="b" style="font-size:46px">清香型铁观音</div>
<div t style="font-size:28px;margin-top:14px">尝鲜价 ¥68</div></div>`},
		{file: "banner-outlined-hollow.jpg", w: 750, h: 300, kind: "banner", bg: "photo", style: "outlined",
			keys: []string{"限时秒杀", "10点"}, note: "clean: hollow (stroke only) letters over a photo",
			body: img(photo(leafBlk), "filter:brightness(.6)") + `
<div class="abs col" style="inset:0;gap:14px">
<div t class="b hollow" style="font-size:60px;-webkit-text-stroke:2px #ffeb3b">限时秒杀</div>
<div t class="b" style="font-size:26px;color:#fff">每日10点 准时开抢</div></div>`},
		{file: "banner-tiny-print.png", w: 750, h: 120, kind: "banner", bg: "flat",
			keys: []string{"7天无理由退换", "24小时"}, note: "clean: 14 px service notes, the smallest glyphs of the set",
			body: `<div style="position:absolute;inset:0;background:#fafafa;border-top:1px solid #e0e0e0"></div>
<div class="abs" style="left:30px;top:26px;color:#616161;font-size:14px;line-height:1.9">
<div t>本店支持7天无理由退换 · 赠运费险 · 24小时内发货</div>
<div t>Orders ship from Hangzhou by SF Express, usually within 24 hours.</div></div>`},
		{file: "banner-vertical-clean.jpg", w: 750, h: 360, kind: "banner", bg: "gradient", style: "vertical",
			keys: []string{"春茶上新", "明前龙井", "¥168"}, note: "clean: two vertical (竖排) titles and a horizontal price",
			body: `<div style="position:absolute;inset:0;background:linear-gradient(90deg,#fff8e1,#ffe0b2)"></div>
<div t class="abs v serif b" style="right:60px;top:30px;font-size:56px;color:#3e2723">春茶上新</div>
<div t class="abs v serif" style="right:140px;top:90px;font-size:34px;color:#6d4c41">明前龙井</div>
<div t class="abs b" style="left:70px;top:150px;font-size:48px;color:#d84315">¥168</div>`},
		{file: "banner-pc-future.jpg", w: 990, h: 300, kind: "banner", bg: "gradient", style: "shadowed",
			keys: []string{"年货节", "2027年1月20日-2月5日"}, note: "clean trap for promo.expired: a window still to come at a 2026-11-05 sweep (PC width 990)",
			body: `<div style="position:absolute;inset:0;background:linear-gradient(90deg,#b71c1c,#e53935 50%,#b71c1c)"></div>
<div class="abs col" style="inset:0;gap:18px;color:#fff8e1">
<div t class="b sh serif" style="font-size:60px">年货节 好茶迎新春</div>
<div t class="sh" style="font-size:28px">活动时间 2027年1月20日-2月5日</div></div>`},
		{file: "banner-latin-small.png", w: 750, h: 160, kind: "banner", bg: "flat",
			keys: []string{"¥99", "48h"}, note: "clean: 16 px Latin notes with a price and a duration",
			body: `<div style="position:absolute;inset:0;background:#e8f5e9"></div>
<div class="abs" style="left:40px;top:40px;color:#1b5e20;font-size:16px;line-height:2">
<div t>Free shipping on orders over ¥99 · Ships within 48h</div>
<div t>Questions? Chat with us 9:00-21:00 every day.</div></div>`},
	}
}
