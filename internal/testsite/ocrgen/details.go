package main

// details are the tall 详情 images (750 px wide, 1200 px and more): several
// text blocks of different sizes, some beside a photo.
func details(photo func(string) string) []pic {
	return []pic{
		{file: "detail-params.png", w: 750, h: 1200, kind: "detail", bg: "flat",
			keys: []string{"250g", "2026年3月15日", "18个月"}, note: "clean: a parameter table with a production date, weights and a shelf life",
			css: `.tb{position:absolute;left:50px;right:50px;top:150px;border-top:2px solid #8d6e63}
.tr{display:flex;border-bottom:1px solid #d7ccc8;padding:18px 10px;font-size:24px}
.tr span:first-child{width:180px;color:#8d6e63}`,
			body: `<div style="position:absolute;inset:0;background:#fbf8f3"></div>
<div t class="abs b" style="left:50px;top:50px;font-size:44px;color:#4e342e">产品参数</div>
<div class="tb">
<div t class="tr"><span>品名</span> <span>西湖龙井</span></div>
<div t class="tr"><span>净含量</span> <span>250g</span></div>
<div t class="tr"><span>产地</span> <span>浙江杭州</span></div>
<div t class="tr"><span>保质期</span> <span>18个月</span></div>
<div t class="tr"><span>生产日期</span> <span>2026年3月15日</span></div>
<div t class="tr"><span>储存方法</span> <span>密封 避光 防潮</span></div></div>
<div t class="abs b" style="left:50px;top:780px;font-size:34px;color:#4e342e">冲泡建议</div>
<div t class="abs" style="left:50px;right:50px;top:850px;font-size:20px;line-height:1.8;color:#5d4037">水温80-85℃，投茶3克，头泡30秒出汤，之后每泡延长10秒。玻璃杯冲泡可观赏茶叶舒展，盖碗冲泡香气更集中。</div>`},
		{file: "detail-banned.jpg", w: 750, h: 1400, kind: "detail", bg: "gradient",
			keys: []string{"最高级", "100%"}, note: "text.banned-term: 最高级 and 100% in the blocks under a photo, among harmless copy",
			body: `<div style="position:absolute;inset:0;background:linear-gradient(180deg,#f1f8e9,#c5e1a5)"></div>
<div t class="abs serif b" style="left:0;right:0;top:50px;text-align:center;font-size:56px;color:#33691e">茶香四溢</div>
<img src="` + photo(leafGrn) + `" style="position:absolute;left:40px;top:160px;width:670px;height:440px;object-fit:cover;border-radius:12px">
<div t class="abs b" style="left:0;right:0;top:660px;text-align:center;font-size:32px;color:#1b5e20">精选高山茶园 最高级原料</div>
<div t class="abs" style="left:0;right:0;top:730px;text-align:center;font-size:26px;color:#2e7d32">100%原叶 无添加 无香精</div>
<div t class="abs" style="left:60px;right:60px;top:820px;font-size:18px;line-height:1.9;color:#33691e">海拔800米以上高山茶园，清明前手工采摘一芽一叶，古法杀青揉捻，保留鲜爽本味。每一批茶叶出厂前均经过农残检测，请放心饮用。</div>
<div t class="abs b" style="left:0;right:0;top:1060px;text-align:center;font-size:40px;color:#fff;background:#558b2f;padding:30px 0">原产地直发 新鲜到家</div>
<div t class="abs" style="left:0;right:0;top:1250px;text-align:center;font-size:22px;color:#33691e">山野茶铺 · 只做好茶</div>`},
		{file: "detail-expired.jpg", w: 750, h: 1300, kind: "detail", bg: "photo",
			keys: []string{"2026年10月1日-10月7日", "¥199"}, note: "promo.expired: a gift-box detail image whose campaign window ended before a 2026-11-05 sweep",
			body: `<div style="position:absolute;inset:0;background:#fff8f0"></div>
<img src="` + photo(giftbox) + `" style="position:absolute;left:0;top:0;width:750px;height:650px;object-fit:cover">
<div t class="abs b sh" style="left:0;right:0;top:40px;text-align:center;font-size:52px;color:#fff">国庆限定礼盒</div>
<div t class="abs" style="left:0;right:0;top:700px;text-align:center;font-size:28px;color:#b71c1c">活动时间 2026年10月1日-10月7日</div>
<div t class="abs" style="left:0;right:0;top:780px;text-align:center;font-size:24px;color:#5d4037">下单赠 定制青瓷杯一只</div>
<div t class="abs" style="left:80px;right:80px;top:860px;font-size:20px;line-height:1.8;color:#6d4c41">礼盒内含明前龙井125g两罐，配手提袋与贺卡，适合走亲访友。</div>
<div t class="abs b" style="left:0;right:0;top:1080px;text-align:center;font-size:44px;color:#d50000">到手价¥199</div>`},
		{file: "detail-service.png", w: 750, h: 1200, kind: "detail", bg: "flat",
			keys: []string{"13812345678", "48小时"}, note: "security.pii-exposed: a mobile number in the after-sale block of a detail image",
			css: `.blk{position:absolute;left:60px;right:60px;font-size:26px;color:#37474f;padding:26px 30px;background:#eceff1;border-radius:12px}`,
			body: `<div style="position:absolute;inset:0;background:#fff"></div>
<div t class="abs b" style="left:60px;top:60px;font-size:44px;color:#263238">售后服务</div>
<div t class="blk" style="top:180px">客服电话 13812345678</div>
<div t class="blk" style="top:320px">发货时间 付款后48小时内</div>
<div t class="blk" style="top:460px">7天无理由退换 赠运费险</div>
<div t class="blk" style="top:600px">破损包赔 拍照联系客服</div>
<div t class="abs" style="left:60px;right:60px;top:780px;font-size:18px;line-height:1.8;color:#78909c">温馨提示：茶叶属于食品，拆封后不支持无理由退换；因个人口味原因不喜欢的，请在拆封前联系客服。</div>`},
		{file: "detail-latin.jpg", w: 750, h: 1200, kind: "detail", bg: "gradient",
			keys: []string{"LONGJING", "250g", "2027-09-30"}, note: "clean: Latin copy (an export label) with a future best-before date",
			body: `<div style="position:absolute;inset:0;background:linear-gradient(200deg,#1b5e20,#0d2b10)"></div>
<div t class="abs serif b" style="left:60px;top:80px;font-size:52px;color:#f1e7c6">WEST LAKE LONGJING</div>
<div t class="abs serif" style="left:60px;top:170px;font-size:30px;color:#c8e6c9">西湖龙井 明前特级</div>
<div t class="abs" style="left:60px;top:360px;font-size:26px;color:#fff">ORIGIN: HANGZHOU, CHINA</div>
<div t class="abs" style="left:60px;top:430px;font-size:26px;color:#fff">NET WT 250g / 8.8 oz</div>
<div t class="abs" style="left:60px;top:500px;font-size:22px;color:#e0e0e0">Best before 2027-09-30</div>
<div t class="abs" style="left:60px;top:560px;font-size:20px;color:#e0e0e0">Brew at 80°C for 2 minutes, three infusions.</div>
<div t class="abs" style="left:60px;right:60px;top:900px;font-size:16px;line-height:1.7;color:#a5d6a7">Store sealed in a cool dry place away from sunlight and strong odours. Packed in Hangzhou, Zhejiang.</div>`},
		{file: "detail-vertical-poem.jpg", w: 750, h: 1200, kind: "detail", bg: "photo", style: "vertical",
			keys: []string{"一杯春露暂留客", "¥298"}, note: "clean: two vertical (竖排) lines of verse over a dark photo, a price under them",
			body: img(photo(cupBlk), "filter:brightness(.55)") + `
<div t class="abs v serif" style="right:120px;top:120px;font-size:46px;color:#fff;letter-spacing:6px">一杯春露暂留客</div>
<div t class="abs v serif" style="right:210px;top:220px;font-size:46px;color:#fff;letter-spacing:6px">两腋清风几欲仙</div>
<div t class="abs v" style="left:80px;top:140px;font-size:24px;color:#e0e0e0">山野茶铺 敬呈</div>
<div t class="abs b" style="left:0;right:0;bottom:90px;text-align:center;font-size:38px;color:#ffd54f">明前龙井 ¥298</div>`},
		{file: "detail-lowcontrast.png", w: 750, h: 1200, kind: "detail", bg: "flat", style: "low-contrast",
			keys: []string{"85℃", "3g", "5次"}, note: "clean: #999 text on #bbb, the brewing guide a designer set too faint",
			body: `<div style="position:absolute;inset:0;background:#bbb"></div>
<div t class="abs b" style="left:60px;top:80px;font-size:44px;color:#999">冲泡方法</div>
<div t class="abs" style="left:60px;top:220px;font-size:30px;color:#999">水温85℃ 投茶量3g</div>
<div t class="abs" style="left:60px;top:320px;font-size:26px;color:#999">闷泡2分钟 可续泡5次</div>
<div t class="abs" style="left:60px;top:420px;font-size:22px;color:#999">建议使用玻璃杯或盖碗</div>
<div t class="abs" style="left:60px;right:60px;top:560px;font-size:18px;line-height:1.8;color:#999">茶汤颜色偏浅属正常现象，高山绿茶汤色嫩绿明亮。</div>`},
	}
}
