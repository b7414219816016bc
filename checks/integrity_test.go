package checks

import (
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/storecheck/storecheck/crawler"
)

// rulePairs runs one rule over p and returns "subject" per finding, sorted.
func ruleSubjects(t *testing.T, id string, p *crawler.Page) []string {
	t.Helper()
	out := []string{}
	for _, f := range RunPage([]*Check{checkByID(t, id)}, textEnv(), p) {
		if f.Rule != id {
			t.Errorf("%s reported as %s", id, f.Rule)
		}
		out = append(out, f.Subject)
		t.Logf("%s %q: %s %v", f.Rule, f.Subject, f.Message, f.Evidence)
	}
	sort.Strings(out)
	return out
}

func TestMissingTitle(t *testing.T) {
	tests := []struct {
		title, html string
		status      int
		want        []string
	}{
		{"西湖龙井 明前特级 - 山野茶铺", "", 200, nil},
		{"首页", "", 200, nil},
		{"Home", "", 200, nil},
		{"Document Camera 高清高拍仪", "", 200, nil},
		{"测试报告 - 山野茶铺", "", 200, nil},
		{"", "", 200, []string{""}},
		{"   \n ", "", 200, []string{""}},
		{"Document", "", 200, []string{"Document"}},
		{"  Untitled   Document ", "", 200, []string{"Untitled Document"}},
		{"无标题文档", "", 200, []string{"无标题文档"}},
		{"新建网页 1", "", 200, []string{"新建网页 1"}},
		{"Insert title here", "", 200, []string{"Insert title here"}},
		{"React App", "", 200, []string{"React App"}},
		{"index", "", 200, []string{"index"}},
		{"undefined", "", 200, []string{"undefined"}},
		{"{{ pageTitle }}", "", 200, []string{"{{ pageTitle }}"}},
		{"<%= htmlWebpackPlugin.options.title %>", "", 200, []string{"<%= htmlWebpackPlugin.options.title %>"}},
		// document.title not captured: the serialised <title> decides.
		{"", "<html><head><title>龙井 - 山野茶铺</title></head><body><p>x</p></body></html>", 200, nil},
		{"", "<html><head><title>Document</title></head><body><p>x</p></body></html>", 200, []string{"Document"}},
		// Error pages are page.http-error's.
		{"", "", 404, nil},
		{"Document", "", 500, nil},
	}
	for _, tt := range tests {
		p := okPage()
		p.Title, p.Status = tt.title, tt.status
		p.HTML = "<html><head></head><body><h1>x</h1></body></html>"
		if tt.html != "" {
			p.HTML = tt.html
		}
		got := ruleSubjects(t, "page.missing-title", p)
		if len(got) == 0 && tt.want == nil {
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("title %q: got %q, want %q", tt.title, got, tt.want)
		}
	}
}

func TestSameTitleSite(t *testing.T) {
	digest := func(path, vp, title string, status int, h1 ...string) crawler.Digest {
		u := "https://shop.example" + path
		return crawler.Digest{URL: u, FinalURL: u, Viewport: vp, Status: status, Title: title, Headings: h1}
	}
	site := func(ds ...crawler.Digest) *crawler.SiteFacts { return &crawler.SiteFacts{Digests: ds} }
	tests := []struct {
		name string
		site *crawler.SiteFacts
		want []string // "path viewport subject"
	}{
		{"one title, three headings", site(
			digest("/", "desktop", "山野茶铺", 200, "山野茶铺"),
			digest("/item/1", "desktop", "山野茶铺", 200, "西湖龙井"),
			digest("/about", "desktop", " 山野茶铺 ", 200, "关于我们"),
			digest("/missing", "desktop", "页面不存在", 404, "404"),
		), []string{"/ desktop 山野茶铺", "/about desktop 山野茶铺", "/item/1 desktop 山野茶铺"}},
		{"brand repeated, titles differ", site(
			digest("/", "desktop", "山野茶铺 - 首页", 200, "山野茶铺"),
			digest("/item/1", "desktop", "西湖龙井 - 山野茶铺", 200, "西湖龙井"),
			digest("/about", "desktop", "关于我们 - 山野茶铺", 200, "关于我们"),
		), nil},
		{"only two pages", site(
			digest("/", "desktop", "山野茶铺", 200, "山野茶铺"),
			digest("/item/1", "desktop", "山野茶铺", 200, "西湖龙井"),
		), nil},
		{"same headings too (one page under three URLs)", site(
			digest("/", "desktop", "山野茶铺", 200, "山野茶铺"),
			digest("/index.html", "desktop", "山野茶铺", 200, "山野茶铺"),
			digest("/home", "desktop", "山野茶铺", 200, "山野茶铺"),
		), nil},
		{"no headings", site(
			digest("/a", "desktop", "山野茶铺", 200),
			digest("/b", "desktop", "山野茶铺", 200),
			digest("/c", "desktop", "山野茶铺", 200),
		), nil},
		{"one page differs", site(
			digest("/", "desktop", "山野茶铺", 200, "山野茶铺"),
			digest("/item/1", "desktop", "山野茶铺", 200, "西湖龙井"),
			digest("/item/2", "desktop", "山野茶铺", 200, "碧螺春"),
			digest("/about", "desktop", "关于我们 - 山野茶铺", 200, "关于我们"),
		), nil},
		{"placeholder everywhere: the page check reports it", site(
			digest("/", "desktop", "Document", 200, "山野茶铺"),
			digest("/item/1", "desktop", "Document", 200, "西湖龙井"),
			digest("/about", "desktop", "Document", 200, "关于我们"),
		), nil},
		{"per viewport; untitled pages left out", site(
			digest("/", "mobile", "山野茶铺", 200, "山野茶铺"),
			digest("/item/1", "mobile", "山野茶铺", 200, "西湖龙井"),
			digest("/about", "mobile", "山野茶铺", 200, "关于我们"),
			digest("/blank", "mobile", "", 200, "空白"),
			digest("/", "desktop", "山野茶铺", 200, "山野茶铺"),
			digest("/item/1", "desktop", "西湖龙井 - 山野茶铺", 200, "西湖龙井"),
			digest("/about", "desktop", "山野茶铺", 200, "关于我们"),
		), []string{"/ mobile 山野茶铺", "/about mobile 山野茶铺", "/item/1 mobile 山野茶铺"}},
	}
	for _, tt := range tests {
		got := []string{}
		for _, f := range RunSite([]*Check{checkByID(t, "page.missing-title")}, textEnv(), tt.site, nil) {
			got = append(got, fmt.Sprintf("%s %s %s", f.URL[len("https://shop.example"):], f.Viewport, f.Subject))
		}
		sort.Strings(got)
		if len(got) == 0 && tt.want == nil {
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// shopPage is a 2xx content page with body inside <main>.
func shopPage(body string) *crawler.Page {
	p := okPage()
	p.Kind, p.Title = crawler.KindOther, "山野茶铺"
	p.HTML = `<html><head><title>山野茶铺</title><style>.x{content:"{{a}}"}</style><script>var s = "{{name}} undefined NaN";</script></head>
<body><header><a href="/">山野茶铺</a></header><main>` + body + `</main><footer>客服热线 400-820-6618</footer></body></html>`
	return p
}

func TestPlaceholderText(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"clean copy", `<h1>西湖龙井 明前特级</h1><p>通过SGS检测报告，经第三方测试无农残。</p>
<p>Tested by SGS. The null hypothesis of tea lovers: NaN is not a number, and undefined flavours are not ours.</p>
<p>Cha cha cha</p><p>XXL 茶巾</p><ol><li>步骤1</li><li>步骤2</li><li>步骤3</li></ol>
<ul><li>套餐1</li><li>套餐2</li><li>套餐3</li></ul><p>暂无评价</p>
<form><label class="title">请输入商品名称</label><input placeholder="请输入商品名称"><textarea>TODO</textarea></form>
<pre>{{ item.price }}</pre><p>模板写法 <code>${price}</code></p><img src="a.jpg" alt="测试">
<span data-sc-hidden="">{{ hidden }} undefined</span><p class="review"><span class="nick">test</span> 好好好</p>
<table class="specs"><tr><th>产品名称</th><td>西湖龙井</td></tr><tr><th>品牌</th><td>山野茶铺</td></tr></table>
<p>¥99.00 100%纯棉 哈哈哈，好喝</p><h2>商品1号店</h2>`, nil},
		{"mustache and template literal", `<h1>{{ item.name }}</h1><p class="price">¥${price}</p><p>限时 <b>{{discount}}</b> 折</p>`,
			[]string{"${price}", "{{ item.name }}", "{{discount}}"}},
		{"ejs, jinja, x price", `<p>欢迎 <%= user.name %></p><p>{% if stock %}有货{% endif %}</p><p class="price">¥XX.XX</p>`,
			[]string{"<%= user.name %>", "¥XX.XX", "{% endif %}", "{% if stock %}"}},
		{"script values", `<p class="price">¥NaN</p><p>已售null件</p><p>库存：undefined</p><p>[object Object]</p><p>Invalid Date 发货</p>
<p>Sold: <b>undefined</b> items</p>`,
			[]string{"Invalid Date", "NaN", "[object Object]", "null", "undefined"}},
		{"same value twice is one finding", `<p>已售null件</p><p>评价null条</p>`, []string{"null"}},
		{"lorem", `<p>Lorem ipsum dolor sit amet, consectetur.</p>`, []string{"Lorem ipsum dolor sit amet, consectetur."}},
		{"whole-text fillers", `<h3 class="goods-title">测试</h3><p>TODO</p><td>待补充</td><p class="desc">描述：待补充</p><div class="name">xxx</div>
<p>test</p>`, []string{"TODO", "test", "xxx", "待补充", "描述：待补充", "测试"}},
		{"prompt in a title element", `<h3 class="title">请输入商品标题</h3><p>请输入收货地址</p>`, []string{"请输入商品标题"}},
		{"numbered dummies", `<ul><li><a href="/1"><img src="1.jpg" alt="x"><span class="name">商品1</span><span class="price">¥99</span></a></li>
<li><a href="/2"><span class="name">商品2</span><span class="price">¥99</span></a></li>
<li><a href="/3"><span class="name">商品3</span><span class="price">¥99</span></a></li></ul><p>商品9</p>`,
			[]string{"商品1", "商品2", "商品3"}},
		{"two numbered are not a series", `<p>标题1</p><p>标题2</p><p>标题4</p>`, nil},
		{"repeated token name", `<h3 class="item-name">新款新款新款</h3><p class="title">热卖热卖热卖热卖</p><p>哈哈哈</p>`,
			[]string{"新款新款新款", "热卖热卖热卖热卖"}},
	}
	for _, tt := range tests {
		got := ruleSubjects(t, "content.placeholder-text", shopPage(tt.body))
		if len(got) == 0 && tt.want == nil {
			continue
		}
		want := append([]string(nil), tt.want...)
		sort.Strings(want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %q, want %q", tt.name, got, want)
		}
	}
}

func TestPlaceholderEvidence(t *testing.T) {
	fs := RunPage([]*Check{checkByID(t, "content.placeholder-text")}, textEnv(),
		shopPage(`<div id="box"><p>已售null件</p><p>评价null条</p></div>`))
	if len(fs) != 1 {
		t.Fatalf("%d findings, want 1", len(fs))
	}
	ev := fs[0].Evidence
	if ev["selector"] != "#box > p:nth-of-type(1)" || ev["occurrences"] != 2 || ev["kind"] != phScript {
		t.Errorf("evidence = %v", ev)
	}
}

func TestInstalmentMismatch(t *testing.T) {
	tests := []struct {
		name, box, rest string
		want            []string
	}{
		{"interest-free, exact", `<p class="price">¥1,299.00</p><p>¥433×3期 免息</p>`, "", nil},
		{"interest-free, rounded", `<p class="price">¥1,000.00</p><p>花呗分期 ¥333.33×3期 免息</p>`, "", nil},
		{"float trap", `<p class="price">¥999.00</p><p>¥99.9×10期 免息</p><p>10×¥99.9 = ¥999 免息</p>`, "", nil},
		{"with interest, above", `<p class="price">¥1,299.00</p><p>分12期 每期¥115.50（含手续费）</p>`, "", nil},
		{"floor not judged", `<p class="price">¥1,299.00</p><p>每期¥50起（分12期）</p>`, "", nil},
		{"final price", `<p class="price">¥1,299.00</p><p>券后价 ¥1,199.00</p><p>¥399.67×3期 免息</p>`, "", nil},
		{"outside the buy box", `<p class="price">¥1,299.00</p>`,
			`<div class="recommend"><p>¥99×3期 免息</p></div>` + specsAndTerms, nil},
		{"hidden", `<p class="price">¥1,299.00</p><p data-sc-hidden="">¥99×3期 免息</p>`, "", nil},
		{"below the price", `<p class="price">¥1,299.00</p><p>¥399×3期</p>`, "", []string{"¥399×3期"}},
		{"interest-free above", `<p class="price">¥1,299.00</p><p>12期免息，每期¥115.50</p>`, "", []string{"12期免息，每期¥115.50"}},
		{"several plans", `<p class="price">¥999.00</p><p>3期免息 ¥333×3期 | 6期 ¥150×6期 | 12期 ¥90×12期</p>`, "",
			[]string{"¥150×6期"}},
		{"full-width", `<p class="price">¥999.00</p><p>￥９９．９＊１０期 免息</p><p>￥９０×１０期</p>`, "", []string{"￥９０×１０期"}},
		{"price range not judged", `<p class="price">¥99-199</p><p>¥10×3期</p>`, "", nil},
	}
	for _, tt := range tests {
		rest := tt.rest
		if rest == "" {
			rest = specsAndTerms
		}
		got := ruleSubjects(t, "price.instalment-mismatch", productPage("/item/9", tt.box, rest))
		if len(got) == 0 && tt.want == nil {
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestInstalmentEvidence(t *testing.T) {
	fs := RunPage([]*Check{checkByID(t, "price.instalment-mismatch")}, textEnv(),
		productPage("/item/9", `<p class="price">¥1,299.00</p><p>¥399×3期</p>`, specsAndTerms))
	if len(fs) != 1 {
		t.Fatalf("%d findings, want 1", len(fs))
	}
	ev := fs[0].Evidence
	if ev["total"] != 1197.0 || ev["price"] != 1299.0 || ev["payments"] != 3 || ev["interest_free"] != false {
		t.Errorf("evidence = %v", ev)
	}
}
