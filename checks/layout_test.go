package checks

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
)

// laidOutPage is a visit with a 1350×940 (or 412×823 mobile) layout and a
// header nav of 4 same-site links.
func laidOutPage(vp crawler.Viewport) *crawler.Page {
	p := okPage()
	p.Kind, p.Viewport = crawler.KindOther, vp
	p.Layout = crawler.Layout{ViewportWidth: vp.Width, ViewportHeight: vp.Height, ScrollWidth: vp.Width,
		Navs: []crawler.Nav{{Selector: "#nav", Kind: "nav", Visible: true, TopItems: 4,
			Links: []string{"/", "/a", "/b", "https://shop.example/c", "https://other.example/x"}}}}
	return p
}

func text(sel, t string, x, y, w, h, font float64) crawler.TextBox {
	return crawler.TextBox{Selector: sel, Text: t, Box: crawler.Box{X: x, Y: y, W: w, H: h}, FontSizePx: font, Visible: true}
}

func TestLayoutRules(t *testing.T) {
	cfg := config.Defaults()
	cfg.Layout.AboveFold = []string{"#campaign-banner"}
	env := envFor(&cfg, time.Time{})
	tests := []struct {
		name string
		vp   crawler.Viewport
		edit func(p *crawler.Page)
		want []string
	}{
		{"clean", crawler.Desktop, func(p *crawler.Page) {
			p.TextBoxes = []crawler.TextBox{text("#a", "第一段文字内容", 0, 0, 300, 20, 16), text("#b", "第二段文字内容", 0, 30, 300, 20, 16)}
		}, nil},
		{"overflow", crawler.Mobile, func(p *crawler.Page) {
			p.Layout.ScrollWidth = 1600
			p.Layout.Overflowing = []crawler.LayoutBox{{Selector: "#banner", Box: crawler.Box{W: 1600, H: 200}}}
		}, []string{"layout.horizontal-overflow #banner"}},
		{"one px is rounding", crawler.Mobile, func(p *crawler.Page) { p.Layout.ScrollWidth = 413 }, nil},
		{"text over text", crawler.Desktop, func(p *crawler.Page) {
			p.TextBoxes = []crawler.TextBox{text("#a", "第一段文字内容", 0, 0, 300, 20, 16), text("#b", "第二段文字内容", 10, 5, 300, 20, 16)}
		}, []string{"layout.overlap #a"}},
		{"a child's text, a badge over media, a sticky bar, transparent text, sr-only text", crawler.Desktop, func(p *crawler.Page) {
			child := text("#c", "子元素文字", 10, 5, 100, 20, 16)
			child.Parent = 1
			badge := text("#badge", "新品上市", 0, 0, 60, 20, 12)
			badge.Layered = true
			bar := text("#bar", "顶部通栏", 0, 0, 300, 20, 16)
			bar.Fixed = true
			ghost := text("#g", "透明文字", 0, 0, 300, 20, 16)
			ghost.Transparent = true
			sr := text("#sr", "现价二百六十八元", 0, 0, 300, 20, 16)
			sr.Rects = []crawler.Box{{X: 0, Y: 0, W: 1, H: 1}}
			p.TextBoxes = []crawler.TextBox{text("#p", "父元素文字内容", 0, 0, 300, 20, 16), child, badge, bar, ghost, sr}
		}, nil},
		{"a wrapped title beside its price, a clipped title", crawler.Desktop, func(p *crawler.Page) {
			title := text("#title", "西湖龙井明前特级", 0, 0, 160, 40, 14)
			title.Rects = []crawler.Box{{X: 0, Y: 0, W: 160, H: 20}, {X: 0, Y: 20, W: 60, H: 20}}
			price := text("#price", "¥1,299", 80, 20, 60, 20, 14)
			cut := text("#cut", "很长很长很长的商品标题被截断", 200, 0, 400, 20, 14)
			cut.Rects = []crawler.Box{{X: 200, Y: 0, W: 160, H: 20}}
			next := text("#next", "另一个商品标题", 380, 0, 160, 20, 14)
			gone := text("#gone", "轮播图里看不见的文字", 0, 0, 300, 20, 14)
			gone.ClippedAway = true
			p.TextBoxes = []crawler.TextBox{title, price, cut, next, gone}
		}, nil},
		{"slight touch", crawler.Desktop, func(p *crawler.Page) {
			p.TextBoxes = []crawler.TextBox{text("#a", "第一段文字内容", 0, 0, 300, 20, 16), text("#b", "第二段文字内容", 0, 18, 300, 20, 16)}
		}, nil},
		{"no nav", crawler.Desktop, func(p *crawler.Page) {
			p.Layout.Navs = []crawler.Nav{{Selector: "#n", Links: []string{"/", "https://other.example/a", "https://other.example/b"}}}
		}, []string{"layout.nav-missing "}},
		{"a nav whose links lead nowhere", crawler.Desktop, func(p *crawler.Page) {
			p.Layout.Navs = []crawler.Nav{{Selector: "#menu", Kind: "named-list", Dead: 6, DeadHrefs: []string{"#", "javascript:void(0)"}}}
		}, []string{"layout.nav-missing "}},
		{"dead links beside enough live ones", crawler.Desktop, func(p *crawler.Page) {
			p.Layout.Navs[0].Dead, p.Layout.Navs[0].DeadHrefs = 2, []string{"#"}
		}, nil},
		{"overloaded nav", crawler.Desktop, func(p *crawler.Page) { p.Layout.Navs[0].TopItems = 16 },
			[]string{"layout.nav-overloaded #nav"}},
		{"small text on mobile", crawler.Mobile, func(p *crawler.Page) {
			p.TextBoxes = []crawler.TextBox{text("#s", "小字说明文字", 0, 0, 100, 12, 10), text("#t", "¥9", 0, 20, 20, 10, 9)}
		}, []string{"layout.small-text "}},
		{"small text on desktop", crawler.Desktop, func(p *crawler.Page) {
			p.TextBoxes = []crawler.TextBox{text("#rules", "活动规则：满300减40", 0, 0, 100, 12, 10), text("#tag", "包邮包税", 0, 20, 40, 12, 11)}
		}, []string{"layout.small-text "}},
		{"small text exemptions, both viewports", crawler.Desktop, func(p *crawler.Page) {
			ghost := text("#g", "透明的小字说明", 0, 0, 100, 12, 10)
			ghost.Transparent = true
			hidden := text("#h", "隐藏的小字说明", 0, 0, 100, 12, 10)
			hidden.Visible = false
			away := text("#away", "轮播里看不见的小字", 0, 0, 100, 12, 10)
			away.ClippedAway = true
			p.TextBoxes = []crawler.TextBox{ghost, hidden, away, text("#ir", "山野茶铺官方旗舰店", -9999, 0, 120, 12, 10), text("#t", "¥9", 0, 20, 20, 10, 9),
				text("#at", "正好十二像素的字", 0, 40, 100, 12, 12), text("#z", "字号未知的文字", 0, 60, 100, 12, 0)}
		}, nil},
		{"clipped title", crawler.Desktop, func(p *crawler.Page) {
			p.Layout.Clipped = []crawler.ClippedText{
				{Selector: "#t", Text: "西湖龙井明前特级绿茶礼盒装", Hint: "title", ScrollW: 300, ClientW: 160, ScrollH: 20, ClientH: 20},
				{Selector: "#e", Text: "西湖龙井明前特级绿茶礼盒装", Hint: "title", ScrollW: 300, ClientW: 160, Ellipsis: true},
				{Selector: "#x", Text: "随便一段说明", Hint: "desc", ScrollW: 300, ClientW: 160},
				{Selector: "#p", Text: "¥1,299.00", Hint: "", ScrollW: 90, ClientW: 60},
				{Selector: "#logo", Text: "山野茶铺官方旗舰店", Hint: "logo title", ScrollW: 400, ClientW: 120, Concealed: "outside-box"},
				{Selector: "#sr", Text: "¥1,299.00", Hint: "sr-only price", ScrollW: 90, ClientW: 1, Concealed: "tiny-box"},
			}
		}, []string{"layout.clipped-text #p", "layout.clipped-text #t"}},
		{"banner below the fold", crawler.Desktop, func(p *crawler.Page) {
			p.Layout.Selected = map[string][]crawler.Box{"#campaign-banner": {{Y: 1500, W: 1000, H: 300}}}
		}, []string{"layout.promo-below-fold #campaign-banner"}},
		{"banner mostly above the fold", crawler.Desktop, func(p *crawler.Page) {
			p.Layout.Selected = map[string][]crawler.Box{"#campaign-banner": {{Y: 700, W: 1000, H: 300}}}
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := laidOutPage(tt.vp)
			tt.edit(p)
			var cs []*Check
			for _, c := range Active(Registry(), env) {
				if strings.HasPrefix(c.ID, "layout.") {
					cs = append(cs, c)
				}
			}
			got := []string{}
			for _, f := range RunPage(cs, env, p) {
				got = append(got, f.Rule+" "+f.Subject)
				if _, ok := f.Evidence["box"]; !ok && (f.Rule != "layout.nav-missing" || f.Evidence["dead_links"] != nil) {
					t.Errorf("%s has no evidence.box", f.Rule)
				}
			}
			sort.Strings(got)
			want := tt.want
			if want == nil {
				want = []string{}
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

// The nav-missing message says why when the links are there but dead.
func TestNavMissingMessage(t *testing.T) {
	env := testEnv()
	tests := []struct {
		name string
		navs []crawler.Nav
		want string // a part of the message
		dead any
	}{
		{"no nav at all", nil, "no navigation with at least 3 links to the site (best: 0)", nil},
		{"all dead", []crawler.Nav{{Selector: "#menu", Dead: 6, DeadHrefs: []string{"#", "javascript:void(0)", ""}}},
			`A navigation (#menu) has 6 links but all lead nowhere (#, javascript:void(0), ""): no navigation has at least 3 links to the site (best: 0).`, 6},
		{"some dead", []crawler.Nav{{Selector: "#menu", Links: []string{"/", "/a"}, Dead: 4, DeadHrefs: []string{"javascript:;"}}},
			"A navigation (#menu) has 6 links but 4 lead nowhere (javascript:;)", 4},
		{"too few even with the dead ones", []crawler.Nav{{Selector: "#menu", Links: []string{"/"}, Dead: 1, DeadHrefs: []string{"#"}}},
			"no navigation with at least 3 links to the site (best: 1)", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := laidOutPage(crawler.Desktop)
			p.Layout.Navs = tt.navs
			fs := RunPage([]*Check{checkByID(t, "layout.nav-missing")}, env, p)
			if len(fs) != 1 {
				t.Fatalf("%d findings, want 1", len(fs))
			}
			if !strings.Contains(fs[0].Message, tt.want) {
				t.Errorf("message %q, want it to contain %q", fs[0].Message, tt.want)
			}
			if got := fs[0].Evidence["dead_links"]; got != tt.dead {
				t.Errorf("dead_links = %v, want %v", got, tt.dead)
			}
		})
	}
}
