package cnprice

import (
	"fmt"
	"strings"
	"testing"
)

// p is a compact expectation: value, max, kind, label and text.
type p struct {
	v, max float64
	kind   Kind
	label  string
	text   string
}

var findTests = []struct {
	in   string
	want []p
}{
	// Currency forms.
	{"¥1299", []p{{1299, 0, Current, "", "¥1299"}}},
	{"￥59.9", []p{{59.9, 0, Current, "", "￥59.9"}}},
	{"RMB 1,299.00", []p{{1299, 0, Current, "", "RMB 1,299.00"}}},
	{"rmb99", []p{{99, 0, Current, "", "rmb99"}}},
	{"99元", []p{{99, 0, Current, "", "99元"}}},
	{"99.00元包邮", []p{{99, 0, Current, "", "99.00元"}}},
	{"人民币 88", []p{{88, 0, Current, "", "人民币 88"}}},
	{"1299 RMB", []p{{1299, 0, Current, "", "1299 RMB"}}},
	{"¥1,299", []p{{1299, 0, Current, "", "¥1,299"}}},
	{"¥1，299", []p{{1299, 0, Current, "", "¥1，299"}}},
	{"¥1299.5", []p{{1299.5, 0, Current, "", "¥1299.5"}}},
	{"￥１２９９", []p{{1299, 0, Current, "", "￥１２９９"}}},
	{"１，２９９．００元", []p{{1299, 0, Current, "", "１，２９９．００元"}}},
	{"¥1.2万", []p{{12000, 0, Current, "", "¥1.2万"}}},
	{"5万元", []p{{50000, 0, Current, "", "5万元"}}},
	{"99块钱", []p{{99, 0, Current, "", "99块钱"}}},
	// Split markup.
	{"¥ 1,299 .00", []p{{1299, 0, Current, "", "¥ 1,299 .00"}}},
	{"¥1,299.00", []p{{1299, 0, Current, "", "¥1,299.00"}}},
	{"￥ 59.9", []p{{59.9, 0, Current, "", "￥ 59.9"}}},
	// Ranges.
	{"¥99-199", []p{{99, 199, Current, "", "¥99-199"}}},
	{"¥99~¥199", []p{{99, 199, Current, "", "¥99~¥199"}}},
	{"¥99 - ¥199", []p{{99, 199, Current, "", "¥99 - ¥199"}}},
	{"99-199元", []p{{99, 199, Current, "", "99-199元"}}},
	{"¥99～199", []p{{99, 199, Current, "", "¥99～199"}}},
	{"¥199-99", []p{}}, // a falling "range" is neither a range nor a price
	// Labels.
	{"促销价 ¥1,299.00 原价¥1,599", []p{{1299, 0, Current, "促销价", "促销价 ¥1,299.00"}, {1599, 0, Original, "原价", "原价¥1,599"}}},
	{"现价：¥99", []p{{99, 0, Current, "现价", "现价：¥99"}}},
	{"秒杀价:￥9.9", []p{{9.9, 0, Current, "秒杀价", "秒杀价:￥9.9"}}},
	{"到手价 ¥899", []p{{899, 0, Final, "到手价", "到手价 ¥899"}}},
	{"券后价¥79", []p{{79, 0, Final, "券后价", "券后价¥79"}}},
	{"折后价 ¥70", []p{{70, 0, Final, "折后价", "折后价 ¥70"}}},
	{"优惠价¥88", []p{{88, 0, Final, "优惠价", "优惠价¥88"}}},
	{"到手价仅¥99", []p{{99, 0, Final, "到手价", "到手价仅¥99"}}},
	{"会员价¥89", []p{{89, 0, Member, "会员价", "会员价¥89"}}},
	{"VIP价 ¥85", []p{{85, 0, Member, "VIP价", "VIP价 ¥85"}}},
	{"PLUS价¥80", []p{{80, 0, Member, "PLUS价", "PLUS价¥80"}}},
	{"88VIP价¥79", []p{{79, 0, Member, "88VIP价", "88VIP价¥79"}}},
	{"店铺会员价 ¥90", []p{{90, 0, Member, "店铺会员价", "店铺会员价 ¥90"}}},
	{"划线价¥199", []p{{199, 0, Original, "划线价", "划线价¥199"}}},
	{"吊牌价：599元", []p{{599, 0, Original, "吊牌价", "吊牌价：599元"}}},
	{"市场价 ¥399", []p{{399, 0, Original, "市场价", "市场价 ¥399"}}},
	{"专柜价¥2,680", []p{{2680, 0, Original, "专柜价", "专柜价¥2,680"}}},
	{"建议零售价 ¥1999", []p{{1999, 0, Original, "建议零售价", "建议零售价 ¥1999"}}},
	{"零售价 ¥1999", []p{{1999, 0, Current, "零售价", "零售价 ¥1999"}}},
	{"日常价¥129", []p{{129, 0, Original, "日常价", "日常价¥129"}}},
	{"原价 1599", []p{{1599, 0, Original, "原价", "原价 1599"}}},
	{"【原价】¥1599", []p{{1599, 0, Original, "原价", "【原价】¥1599"}}},
	{"¥1,599(原价)", []p{{1599, 0, Original, "", "¥1,599(原价)"}}},
	{"¥1,599（划线价）", []p{{1599, 0, Original, "", "¥1,599（划线价）"}}},
	{"底价¥99", []p{{99, 0, Current, "", "¥99"}}},
	{"拼团价 ¥39.9 单买价 ¥49.9", []p{{39.9, 0, Current, "拼团价", "拼团价 ¥39.9"}, {49.9, 0, Current, "", "¥49.9"}}},
	// Not product prices.
	{"¥999.67×3期 免息", []p{{999.67, 0, Instalment, "", "¥999.67×3期"}}},
	{"¥333/期", []p{{333, 0, Instalment, "", "¥333/期"}}},
	{"每期¥333", []p{{333, 0, Instalment, "每期", "每期¥333"}}},
	{"分3期 ¥333", []p{{333, 0, Instalment, "分3期", "分3期 ¥333"}}},
	{"3期免息 每期¥333.00", []p{{333, 0, Instalment, "每期", "每期¥333.00"}}},
	{"¥12.5/斤", []p{{12.5, 0, PerUnit, "", "¥12.5/斤"}}},
	{"¥8.8/100g", []p{{8.8, 0, PerUnit, "", "¥8.8/100g"}}},
	{"每斤¥25", []p{{25, 0, PerUnit, "每斤", "每斤¥25"}}},
	{"每100g ¥8.8", []p{{8.8, 0, PerUnit, "每100g", "每100g ¥8.8"}}},
	{"¥2.5/片", []p{{2.5, 0, PerUnit, "", "¥2.5/片"}}},
	{"¥30/500ml", []p{{30, 0, PerUnit, "", "¥30/500ml"}}},
	{"¥99/件", []p{{99, 0, Current, "", "¥99/件"}}},
	{"¥99/盒", []p{{99, 0, Current, "", "¥99/盒"}}},
	{"¥99/罐", []p{{99, 0, Current, "", "¥99/罐"}}},
	{"¥99/套", []p{{99, 0, Current, "", "¥99/套"}}},
	{"优惠券¥20", []p{{20, 0, Coupon, "优惠券", "优惠券¥20"}}},
	{"领券减20", []p{{20, 0, Coupon, "领券减", "领券减20"}}},
	{"券¥20", []p{{20, 0, Coupon, "券", "券¥20"}}},
	{"20元券", []p{{20, 0, Coupon, "", "20元券"}}},
	{"20元优惠券", []p{{20, 0, Coupon, "", "20元优惠券"}}},
	{"店铺券¥5", []p{{5, 0, Coupon, "店铺券", "店铺券¥5"}}},
	{"¥199券后¥99", []p{{199, 0, Current, "", "¥199"}, {99, 0, Final, "券后", "券后¥99"}}},
	{"运费¥10", []p{{10, 0, Shipping, "运费", "运费¥10"}}},
	{"邮费10元", []p{{10, 0, Shipping, "邮费", "邮费10元"}}},
	{"快递费：¥12", []p{{12, 0, Shipping, "快递费", "快递费：¥12"}}},
	{"配送费 5元", []p{{5, 0, Shipping, "配送费", "配送费 5元"}}},
	{"包邮", []p{}},
	{"省¥200", []p{{200, 0, Saving, "省", "省¥200"}}},
	{"立减200", []p{{200, 0, Saving, "立减", "立减200"}}},
	{"直降200元", []p{{200, 0, Saving, "直降", "直降200元"}}},
	{"立省50", []p{{50, 0, Saving, "立省", "立省50"}}},
	{"满300减40", []p{{300, 0, Threshold, "满", "满300"}, {40, 0, Saving, "减", "减40"}}},
	{"满300减40 领券再减20", []p{{300, 0, Threshold, "满", "满300"}, {40, 0, Saving, "减", "减40"}, {20, 0, Coupon, "领券再减", "领券再减20"}}},
	{"每满300元减40元", []p{{300, 0, Threshold, "每满", "每满300元"}, {40, 0, Saving, "减", "减40元"}}},
	{"满300-40", []p{{300, 0, Threshold, "满", "满300"}, {40, 0, Saving, "", "40"}}},
	// Bare numbers, dates, phones, percentages, models.
	{"库存 1299", []p{}},
	{"月销 2000+", []p{}},
	{"型号 2026", []p{}},
	{"11.11 狂欢", []p{}},
	{"2026.11.11元", []p{}},
	{"3期", []p{}},
	{"100%纯棉", []p{}},
	{"7折", []p{}},
	{"客服电话 400-820-8820", []p{}},
	{"手机 13812345678", []p{}},
	{"¥13812345678", []p{}},
	{"iPhone15 Pro", []p{}},
	{"元旦特惠 2026元旦", []p{}},
	{"优惠30%", []p{}},
	{"价格 99件", []p{}},
	{"已售1万+ 好评率99%", []p{}},
	{"¥", []p{}},
	// A realistic block.
	{"【双11】活动价￥ 1,099 .00 日常价 ¥1,399 88VIP价 ¥1,044 3期免息 每期¥366.33 满1000减100",
		[]p{{1099, 0, Current, "活动价", "活动价￥ 1,099 .00"}, {1399, 0, Original, "日常价", "日常价 ¥1,399"},
			{1044, 0, Member, "88VIP价", "88VIP价 ¥1,044"}, {366.33, 0, Instalment, "每期", "每期¥366.33"},
			{1000, 0, Threshold, "满", "满1000"}, {100, 0, Saving, "减", "减100"}}},
}

func TestFind(t *testing.T) {
	for _, tc := range findTests {
		got := Find(tc.in)
		var g, w []string
		for _, x := range got {
			g = append(g, fmt.Sprintf("%v-%v %s %q %q", x.Value, x.Max, x.Kind, x.Label, x.Text))
			if tc.in[x.Start:x.End] != x.Text {
				t.Errorf("Find(%q): Text %q is not s[%d:%d]", tc.in, x.Text, x.Start, x.End)
			}
		}
		for _, x := range tc.want {
			w = append(w, fmt.Sprintf("%v-%v %s %q %q", x.v, x.max, x.kind, x.label, x.text))
		}
		if strings.Join(g, "\n") != strings.Join(w, "\n") {
			t.Errorf("Find(%q)\n got: %s\nwant: %s", tc.in, strings.Join(g, "\n      "), strings.Join(w, "\n      "))
		}
	}
}

// d is a compact discount expectation.
type d struct {
	kind              DiscountKind
	rate, amount, thr float64
	text              string
}

var discountTests = []struct {
	in   string
	want []d
}{
	{"7折", []d{{Zhe, 0.7, 0, 0, "7折"}}},
	{"7.5折", []d{{Zhe, 0.75, 0, 0, "7.5折"}}},
	{"75折", []d{{Zhe, 0.75, 0, 0, "75折"}}},
	{"88折", []d{{Zhe, 0.88, 0, 0, "88折"}}},
	{"95折", []d{{Zhe, 0.95, 0, 0, "95折"}}},
	{"0.5折", []d{{Zhe, 0.05, 0, 0, "0.5折"}}},
	{"五折", []d{{Zhe, 0.5, 0, 0, "五折"}}},
	{"七五折", []d{{Zhe, 0.75, 0, 0, "七五折"}}},
	{"八八折", []d{{Zhe, 0.88, 0, 0, "八八折"}}},
	{"九五折", []d{{Zhe, 0.95, 0, 0, "九五折"}}},
	{"七点五折", []d{{Zhe, 0.75, 0, 0, "七点五折"}}},
	{"全场两折", []d{{Zhe, 0.2, 0, 0, "两折"}}},
	{"半价", []d{{Zhe, 0.5, 0, 0, "半价"}}},
	{"打7折", []d{{Zhe, 0.7, 0, 0, "7折"}}},
	{"低至3折", []d{{Zhe, 0.3, 0, 0, "3折"}}},
	{"7折起", []d{{Zhe, 0.7, 0, 0, "7折"}}},
	{"１２折", []d{{Zhe, 0.12, 0, 0, "１２折"}}},
	{"10折", nil}, // 十折: full price
	{"50折", []d{{Zhe, 0.5, 0, 0, "50折"}}},
	{"三折叠伞", nil},
	{"统一折扣", nil},
	{"不打折", nil},
	{"30% off", []d{{PercentOff, 0.7, 0, 0, "30% off"}}},
	{"30%OFF", []d{{PercentOff, 0.7, 0, 0, "30%OFF"}}},
	{"减30%", []d{{PercentOff, 0.7, 0, 0, "减30%"}}},
	{"优惠30%", []d{{PercentOff, 0.7, 0, 0, "优惠30%"}}},
	{"100%纯棉", nil},
	{"好评率99%", nil},
	{"省¥200", []d{{AmountOff, 0, 200, 0, "省¥200"}}},
	{"立减200", []d{{AmountOff, 0, 200, 0, "立减200"}}},
	{"直降200元", []d{{AmountOff, 0, 200, 0, "直降200元"}}},
	{"优惠50元", []d{{AmountOff, 0, 50, 0, "优惠50元"}}},
	{"立省50", []d{{AmountOff, 0, 50, 0, "立省50"}}},
	{"优惠券¥20", nil},
	{"优惠价¥88", nil},
	{"满300减40", []d{{Spend, 0, 40, 300, "满300减40"}}},
	{"每满300减40", []d{{Spend, 0, 40, 300, "每满300减40"}}},
	{"满300元减40元", []d{{Spend, 0, 40, 300, "满300元减40元"}}},
	{"满300-40", []d{{Spend, 0, 40, 300, "满300-40"}}},
	{"满¥300减¥40，满500减80", []d{{Spend, 0, 40, 300, "满¥300减¥40"}, {Spend, 0, 80, 500, "满500减80"}}},
	{"满300减40 领券再减20", []d{{Spend, 0, 40, 300, "满300减40"}, {AmountOff, 0, 20, 0, "领券再减20"}}},
	{"满99包邮", nil},
	{"第二件半价", []d{{SecondHalf, 0, 0, 0, "第二件半价"}}},
	{"第2件半价", []d{{SecondHalf, 0, 0, 0, "第2件半价"}}},
	{"限时8折 第二件半价 满200减30", []d{{Zhe, 0.8, 0, 0, "8折"}, {SecondHalf, 0, 0, 0, "第二件半价"}, {Spend, 0, 30, 200, "满200减30"}}},
	{"减肥3斤", nil},
	{"2026.7折", nil},
}

func TestFindDiscounts(t *testing.T) {
	for _, tc := range discountTests {
		got := FindDiscounts(tc.in)
		var g, w []string
		for _, x := range got {
			g = append(g, fmt.Sprintf("%s r=%v a=%v t=%v %q", x.Kind, x.Rate, x.Amount, x.Threshold, x.Text))
			if tc.in[x.Start:x.End] != x.Text {
				t.Errorf("FindDiscounts(%q): Text %q is not s[%d:%d]", tc.in, x.Text, x.Start, x.End)
			}
		}
		for _, x := range tc.want {
			w = append(w, fmt.Sprintf("%s r=%v a=%v t=%v %q", x.kind, x.rate, x.amount, x.thr, x.text))
		}
		if strings.Join(g, "\n") != strings.Join(w, "\n") {
			t.Errorf("FindDiscounts(%q)\n got: %s\nwant: %s", tc.in, strings.Join(g, "\n      "), strings.Join(w, "\n      "))
		}
	}
}

func TestLabelKind(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Kind
		ok   bool
	}{
		{"原价", Original, true},
		{"原价：", Original, true},
		{" 【到手价】 ", Final, true},
		{"VIP价", Member, true},
		{"运费", Shipping, true},
		{"库存", "", false},
		{"", "", false},
	} {
		got, ok := LabelKind(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("LabelKind(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// productPage is about 2 KB of the text a Tmall product page shows, block
// after block.
var productPage = strings.Join([]string{
	"【官方旗舰店】Apple/苹果 iPhone 15 Pro Max 256GB 5G手机 型号A3108",
	"月销 2000+ 累计评价 1.2万+ 好评率99%",
	"价格 ¥ 9,999 .00 促销价 ￥8,999.00 原价¥9,999",
	"到手价 ¥8,499 券后价¥8,599 88VIP价 ¥8,399",
	"3期免息 每期¥2,833.00 或 ¥708.25×12期",
	"满8000减400 每满300减30 领券再减100 店铺券¥50 20元优惠券",
	"限时9折 第二件半价 低至7.5折 30% off 立省1,500元 直降500",
	"运费¥0 包邮 快递费：10元 配送至 北京市 朝阳区",
	"颜色分类：原色钛金属 黑色钛金属 白色钛金属 蓝色钛金属",
	"存储容量：256GB 512GB 1TB",
	"库存 1299 件 限购 2 件",
	"客服电话 400-666-8800 工作时间 09:00-21:00",
	"保障：正品保证 极速退款 七天无理由退换 运费险",
	"赠品：价值¥199的保护壳 (原价) 限前100名",
	"规格：6.7英寸 超视网膜XDR显示屏 A17 Pro芯片 4800万像素",
	"发货时间：付款后48小时内发货 11.11 当天 0点开抢",
	"会员价¥8,799 PLUS价 ¥8,699 市场价 ¥10,999 吊牌价：11999元",
	"以旧换新最高抵¥3,000 分24期 ¥374.96 花呗分期",
	"AppleCare+ 服务计划 ¥1,598/2年 ¥99/月",
	"散装坚果 ¥12.5/斤 每100g ¥8.8 ¥2.5/片",
	"¥99-199 ¥99~¥199 99-199元 ￥１２９９ RMB 1,299",
	"宝贝详情 产地：中国大陆 上市时间：2023年9月 机身颜色：原色钛金属 CPU型号：A17 Pro",
	"运行内存：8GB 屏幕尺寸：6.7英寸 分辨率：2796x1290 电池容量：4422mAh 重量：221g",
	"店铺评分 描述 4.9 服务 4.8 物流 4.9 粉丝数 1280万 关注店铺 进店逛逛",
	"看了又看：iPhone 15 ¥5,999 iPhone 15 Plus ¥6,999 AirPods Pro 2 ¥1,899.00",
	"直播价 ¥8,888 拼团价 ¥8,666 2人团 已拼 3.5万件 单独购买 ¥8,999",
	"¥1,899(原价) 一口价：￥1,699 建议零售价 ¥1,999 零售价 ¥1,799",
	"买家秀 (2.1万) 问大家 (356) 好评 1.1万 中评 26 差评 12",
}, "\n")

func BenchmarkFind(b *testing.B) {
	b.SetBytes(int64(len(productPage)))
	for b.Loop() {
		Find(productPage)
	}
}

func BenchmarkFindDiscounts(b *testing.B) {
	b.SetBytes(int64(len(productPage)))
	for b.Loop() {
		FindDiscounts(productPage)
	}
}

func TestProductPage(t *testing.T) {
	if n := len(productPage); n < 1800 || n > 2400 {
		t.Errorf("productPage is %d bytes; keep it about 2 KB", n)
	}
	for _, p := range Find(productPage) {
		t.Logf("%-10s %9.2f %9.2f %-8q %q", p.Kind, p.Value, p.Max, p.Label, p.Text)
	}
	for _, d := range FindDiscounts(productPage) {
		t.Logf("%-11s %.2f %7.2f %7.2f %q", d.Kind, d.Rate, d.Amount, d.Threshold, d.Text)
	}
}
