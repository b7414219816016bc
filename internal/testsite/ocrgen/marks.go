package main

// marks are the logo wordmarks and the small badges.
func marks() []pic {
	return []pic{
		{file: "logo-mingxiang.png", w: 360, h: 140, kind: "logo", bg: "flat",
			keys: []string{"茗香", "MINGXIANG"}, note: "clean trap: the brand wordmark in a stylised serif",
			body: `<div style="position:absolute;inset:0;background:#fff"></div>
<div class="abs col" style="inset:0;gap:2px;color:#2e4a2a">
<div t class="serif b" style="font-size:58px;letter-spacing:14px;line-height:1">茗香</div>
<div t class="serif" style="font-size:20px;letter-spacing:9px;font-family:'DejaVu Serif',serif">MINGXIANG</div></div>`},
		{file: "logo-mingxiang-gold.jpg", w: 360, h: 140, kind: "logo", bg: "gradient",
			keys: []string{"茗香", "MINGXIANG"}, note: "clean trap: the wordmark in gold gradient letters on dark green",
			body: `<div style="position:absolute;inset:0;background:linear-gradient(135deg,#0f3d2e,#062018)"></div>
<div class="abs row" style="inset:0;justify-content:center;gap:14px">
<div t class="serif b" style="font-size:54px;line-height:1;background:linear-gradient(180deg,#fff3c4,#c9a13b 60%,#8a6a1c);-webkit-background-clip:text;color:transparent">茗香</div>
<div t style="font-size:22px;letter-spacing:3px;font-family:'DejaVu Serif',serif;font-style:italic;color:#d9b95a">MINGXIANG</div></div>`},
		{file: "logo-shanye-seal.png", w: 160, h: 160, kind: "logo", bg: "flat", style: "vertical",
			keys: []string{"山野", "茶铺"}, note: "clean: the shop's name as a red seal, two vertical columns read right to left",
			body: `<div style="position:absolute;inset:0;background:#fff"></div>
<div class="abs" style="left:14px;top:14px;width:132px;height:132px;background:#c62828;border-radius:10px"></div>
<div t class="abs v serif b" style="right:24px;top:22px;font-size:50px;line-height:1.1;color:#fff">山野</div>
<div t class="abs v serif b" style="left:24px;top:22px;font-size:50px;line-height:1.1;color:#fff">茶铺</div>`},
		{file: "badge-free-shipping.png", w: 120, h: 120, kind: "badge", bg: "flat",
			keys: []string{"包邮"}, note: "clean: a round 包邮 badge",
			body: `<div class="abs col" style="left:6px;top:6px;width:108px;height:108px;border-radius:50%;background:#e53935;color:#fff">
<div t class="b" style="font-size:36px">包邮</div></div>`},
		{file: "badge-new.png", w: 160, h: 80, kind: "badge", bg: "flat",
			keys: []string{"NEW", "新品"}, note: "clean: a NEW / 新品 tag, Latin and CJK",
			body: `<div class="abs row" style="inset:8px;border-radius:8px;background:#00897b;color:#fff;justify-content:center;gap:8px">
<div t class="b" style="font-size:24px">NEW</div><div t style="font-size:24px">新品</div></div>`},
		{file: "badge-first-brand.png", w: 200, h: 200, kind: "badge", bg: "flat",
			keys: []string{"第一品牌"}, note: "text.banned-term: 第一品牌 in a round award badge",
			body: `<div class="abs col" style="left:10px;top:10px;width:180px;height:180px;border-radius:50%;background:#f9a825;border:6px solid #fff59d;color:#4e2600;gap:4px">
<div t class="b" style="font-size:30px">第一品牌</div><div t style="font-size:16px">茶叶类目</div></div>`},
		{file: "badge-genuine.png", w: 200, h: 80, kind: "badge", bg: "flat",
			keys: []string{"正品保障"}, note: "clean: a 正品保障 strip",
			body: `<div class="abs row" style="inset:10px;border:2px solid #2e7d32;border-radius:6px;justify-content:center;color:#2e7d32">
<div t class="b" style="font-size:26px">正品保障</div></div>`},
		{file: "badge-hot.jpg", w: 180, h: 100, kind: "badge", bg: "gradient", style: "shadowed",
			keys: []string{"HOT", "热卖"}, note: "clean: a HOT 热卖 tag on a gradient",
			body: `<div class="abs row" style="inset:0;background:linear-gradient(90deg,#ff1744,#ff9100);color:#fff;justify-content:center;gap:10px">
<div t class="b sh" style="font-size:34px">HOT</div><div t class="b sh" style="font-size:28px">热卖</div></div>`},
		{file: "badge-buy1get1.png", w: 200, h: 90, kind: "badge", bg: "flat", style: "outlined",
			keys: []string{"买一送一"}, note: "clean: hollow outlined letters on yellow",
			body: `<div class="abs row" style="inset:0;background:#ffeb3b;justify-content:center">
<div t class="b" style="font-size:40px;color:transparent;-webkit-text-stroke:2px #d50000">买一送一</div></div>`},
		{file: "badge-1111.jpg", w: 180, h: 90, kind: "badge", bg: "gradient",
			keys: []string{"11.11"}, note: "a 11.11 预售 tag: the festival as a date",
			body: `<div class="abs col" style="inset:0;background:linear-gradient(135deg,#d500f9,#ff1744);color:#fff">
<div t class="b" style="font-size:30px">11.11 预售</div></div>`},
	}
}
