package adlaw

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// findCases are inputs with the matches expected from Default(), each as
// "Term" or, when the text as written differs, "Term=Text".
var findCases = []struct {
	name string
	in   string
	want []string
}{
	// Terms from each group.
	{"law 国家级", "国家级产品", []string{"国家级"}},
	{"law 最高级", "最高级工艺", []string{"最高级"}},
	{"law 最佳", "最佳选择", []string{"最佳"}},
	{"最好", "这是最好的茶", []string{"最好"}},
	{"最优", "最优品质", []string{"最优"}},
	{"最强", "性能最强", []string{"最强"}},
	{"最大", "最大的优惠", []string{"最大"}},
	{"最先进", "采用最先进技术", []string{"最先进"}},
	{"最便宜", "全城最便宜", []string{"最便宜"}},
	{"最实惠", "最实惠的价格", []string{"最实惠"}},
	{"最受欢迎", "最受欢迎的款式", []string{"最受欢迎"}},
	{"唯一", "唯一指定", []string{"唯一"}},
	{"独一无二", "独一无二的设计", []string{"独一无二"}},
	{"独家", "独家配方", []string{"独家"}},
	{"首个 首家", "首个获批，首家上市", []string{"首个", "首家"}},
	{"首选", "送礼首选", []string{"首选"}},
	{"级", "国际级品质，世界级工艺", []string{"国际级", "世界级"}},
	{"顶级 顶尖", "顶级面料顶尖做工", []string{"顶级", "顶尖"}},
	{"极", "极品好茶，极致体验，手感极佳", []string{"极品", "极致", "极佳"}},
	{"绝对 万能", "绝对正品，万能清洁", []string{"绝对", "万能"}},
	{"永久", "永久保修", []string{"永久"}},
	{"史无前例", "史无前例前无古人", []string{"史无前例", "前无古人"}},
	{"王牌", "王牌产品", []string{"王牌"}},
	{"领袖品牌", "行业领袖品牌", []string{"领袖品牌"}},
	{"遥遥领先", "遥遥领先同行", []string{"遥遥领先"}},
	{"国家领导人推荐", "国家领导人推荐用品", []string{"国家领导人推荐"}},
	{"特供 专供", "特供茶，出口专供", []string{"特供", "专供"}},
	{"百分百", "百分百满意", []string{"百分百"}},

	// Longest match wins, no overlaps.
	{"全网最低价", "全网最低价！", []string{"全网最低价"}},
	{"全网最低", "全网最低，快来", []string{"全网最低"}},
	{"史上最低价", "史上最低价清仓", []string{"史上最低价"}},
	{"最低价", "今日最低价", []string{"最低价"}},
	{"最低", "价格最低", []string{"最低"}},
	{"最高 vs 最高级", "最高级与最高", []string{"最高级", "最高"}},
	{"全网销量冠军", "全网销量冠军单品", []string{"全网销量冠军"}},
	{"销量冠军", "年度销量冠军", []string{"销量冠军"}},
	{"冠军", "冠军之选", []string{"冠军"}},
	{"全网第一", "全网第一", []string{"全网第一"}},
	{"销量第一", "连续三年销量第一", []string{"销量第一"}},
	{"全国第一 行业第一 排名第一", "全国第一、行业第一、排名第一", []string{"全国第一", "行业第一", "排名第一"}},
	{"第一", "品质第一", []string{"第一"}},
	{"several", "最佳口感，全网最低价，销量第一！", []string{"最佳", "全网最低价", "销量第一"}},

	// Latin, case-insensitive, full-width folded, not glued to letters/digits.
	{"NO.1", "行业NO.1", []string{"NO.1"}},
	{"No.1 mixed case", "行业No.1品牌", []string{"NO.1=No.1"}},
	{"no1 lower", "销量no1", []string{"No1=no1"}},
	{"TOP1", "TOP1单品", []string{"TOP1"}},
	{"top1 lower", "榜单top1", []string{"TOP1=top1"}},
	{"full-width ＴＯＰ１", "榜单ＴＯＰ１", []string{"TOP1=ＴＯＰ１"}},
	{"TOP10 is a list", "TOP10榜单", nil},
	{"No12 is a code", "货号No12", nil},
	{"STOP1 is a word", "STOP1", nil},

	// 100%: a claim in copy, a fact in a composition.
	{"100%有效", "100%有效", []string{"100%"}},
	{"100%纯天然", "100%纯天然", []string{"100%"}},
	{"100％ full width", "100％满意", []string{"100%=100％"}},
	{"100%棉", "面料：100%棉", nil},
	{"100%纯棉", "100%纯棉T恤", nil},
	{"100% 羊毛 spaced", "成分 100% 羊毛", nil},
	{"100%桑蚕丝", "100%桑蚕丝睡衣", nil},
	{"100%头层牛皮", "100%头层牛皮", nil},
	{"百分百纯棉", "百分百纯棉", nil},
	{"1100% not 100%", "涨幅1100%", nil},

	// Ordinal and time words are not claims.
	{"最后一天", "活动最后一天", nil},
	{"最近更新", "最近更新于昨天", nil},
	{"最初 最终 最早 最晚", "最初的设计，最终定稿，最早发货，最晚周五", nil},
	{"最新款", "2024最新款上架", nil},
	{"第一次购买", "第一次购买送礼", nil},
	{"第一时间发货", "付款后第一时间发货", nil},
	{"第一步", "第一步：清洁", nil},
	{"第一天 第一件", "第一天下单第一件半价", nil},
	{"第一个 第一批", "第一个订单，第一批现货", nil},
	{"第一代 第一季", "第一代产品第一季", nil},
	{"第一页 第一章 第一杯", "第一页第一章第一杯", nil},
	{"ordinal then claim", "第一次购买享全网最低价", []string{"全网最低价"}},
	{"empty", "", nil},
	{"plain", "纯棉短袖T恤，夏季新款", nil},
}

func parseWant(w string) (term, text string) {
	term, text, ok := strings.Cut(w, "=")
	if !ok {
		text = term
	}
	return term, text
}

func TestFind(t *testing.T) {
	l := Default()
	for _, tc := range findCases {
		t.Run(tc.name, func(t *testing.T) {
			got := l.Find(tc.in)
			checkMatches(t, tc.in, got)
			var gotS []string
			for _, m := range got {
				s := m.Term
				if m.Text != m.Term {
					s += "=" + m.Text
				}
				gotS = append(gotS, s)
			}
			if fmt.Sprint(gotS) != fmt.Sprint(tc.want) {
				t.Errorf("Find(%q) = %q, want %q", tc.in, gotS, tc.want)
			}
		})
	}
}

// checkMatches checks the invariants every result holds.
func checkMatches(t *testing.T, s string, ms []Match) {
	t.Helper()
	prev := 0
	for _, m := range ms {
		if m.Start < prev || m.End <= m.Start || m.End > len(s) {
			t.Fatalf("Find(%q): bad or overlapping offsets %+v after %d", s, m, prev)
		}
		if s[m.Start:m.End] != m.Text {
			t.Fatalf("Find(%q): s[%d:%d] = %q, Text %q", s, m.Start, m.End, s[m.Start:m.End], m.Text)
		}
		if m.Term == "" {
			t.Fatalf("Find(%q): empty Term in %+v", s, m)
		}
		prev = m.End
	}
}

func TestWith(t *testing.T) {
	tests := []struct {
		name         string
		extra, allow []string
		in           string
		want         []string
	}{
		{"extra term", []string{"秒杀全网"}, nil, "秒杀全网", []string{"秒杀全网"}},
		{"extra Latin folds", []string{"Best"}, nil, "the BEST tea", []string{"Best=BEST"}},
		{"extra longer than built-in", []string{"最佳品质"}, nil, "最佳品质", []string{"最佳品质"}},
		{"extra keeps built-in", []string{"秒杀全网"}, nil, "最佳", []string{"最佳"}},
		{"brand exempts 第一", nil, []string{"第一坊"}, "第一坊旗舰店", nil},
		{"brand exempts only inside", nil, []string{"第一坊"}, "第一坊销量第一", []string{"销量第一"}},
		{"allow phrase", nil, []string{"最佳拍档"}, "你的最佳拍档", nil},
		{"allow phrase, term elsewhere", nil, []string{"最佳拍档"}, "最佳拍档，最佳选择", []string{"最佳"}},
		{"allow shorter than match does not exempt", nil, []string{"最低"}, "全网最低价", []string{"全网最低价"}},
		{"allow overlapping but not covering", nil, []string{"价格"}, "最低价格", []string{"最低价"}},
		{"allow falls back to shorter term", nil, []string{"最低价位"}, "最低价位", nil},
		{"allow Latin folds", nil, []string{"top1 club"}, "TOP1 Club会员", nil},
		{"empty words ignored", []string{"", "  "}, []string{""}, "最佳", []string{"最佳"}},
		{"extra obeys ordinal rule", []string{"本店第一"}, nil, "本店第一次", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := Default().With(tc.extra, tc.allow)
			got := l.Find(tc.in)
			checkMatches(t, tc.in, got)
			var gotS []string
			for _, m := range got {
				s := m.Term
				if m.Text != m.Term {
					s += "=" + m.Text
				}
				gotS = append(gotS, s)
			}
			if fmt.Sprint(gotS) != fmt.Sprint(tc.want) {
				t.Errorf("Find(%q) = %q, want %q", tc.in, gotS, tc.want)
			}
		})
	}
	// With copies: the default list is unchanged.
	Default().With([]string{"秒杀全网"}, []string{"最佳拍档"})
	if got := Default().Find("秒杀全网最佳拍档"); len(got) != 1 || got[0].Term != "最佳" {
		t.Errorf("Default changed by With: %+v", got)
	}
}

func TestTermsFile(t *testing.T) {
	terms, rules := parseTerms(termsTxt)
	seen := map[string]bool{}
	for _, term := range terms {
		k := string(foldString(term))
		if seen[k] {
			t.Errorf("terms.txt lists %q twice", term)
		}
		seen[k] = true
		if len(Default().Find(term)) != 1 {
			t.Errorf("term %q does not find itself", term)
		}
	}
	for _, must := range strings.Fields("最低价 全网最低 全网最低价 史上最低价 最低 最高 最好 最佳 最优 最强 最大 最先进 最高级 最便宜 最实惠 最受欢迎 第一 全网第一 销量第一 全国第一 行业第一 排名第一 NO.1 No1 TOP1 唯一 独一无二 独家 首个 首家 首选 国家级 国际级 世界级 顶级 顶尖 极品 极致 极佳 绝对 万能 100% 百分百 永久 史无前例 前无古人 王牌 领袖品牌 全网销量冠军 销量冠军 冠军 遥遥领先 国家领导人推荐 特供 专供") {
		if !seen[string(foldString(must))] {
			t.Errorf("terms.txt is missing %q", must)
		}
	}
	for _, not := range strings.Fields("最后 最近 最初 最终 最早 最晚 最新 最") {
		if seen[not] {
			t.Errorf("terms.txt lists the time word %q", not)
		}
	}
	if len(rules) != 3 {
		t.Errorf("terms.txt has %d rules, want 3", len(rules))
	}
}

func TestSentence(t *testing.T) {
	long := strings.Repeat("好", 200)
	tests := []struct {
		name string
		s    string
		term string
		want string
	}{
		{"cut at 。", "第一句。本品全网最低价，快来！下一句", "全网最低价", "本品全网最低价，快来"},
		{"cut at ! and ?", "Hi! 真的是最佳? yes", "最佳", "真的是最佳"},
		{"cut at ；; and newline", "a；b最佳c;d\ne", "最佳", "b最佳c"},
		{"whitespace collapsed", "  最佳 \t  选择\r\n下一行", "最佳", "最佳 选择"},
		{"whole text", "最佳", "最佳", "最佳"},
		{"long left", long + "最佳", "最佳", strings.Repeat("好", 118) + "最佳"},
		{"long right", "最佳" + long, "最佳", "最佳" + strings.Repeat("好", 118)},
		{"long both", long + "最佳" + long, "最佳", strings.Repeat("好", 59) + "最佳" + strings.Repeat("好", 59)},
		{"short left gives rest to right", "x。ab最佳" + long, "最佳", "ab最佳" + strings.Repeat("好", 116)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			i := strings.Index(tc.s, tc.term)
			got := Sentence(tc.s, i, i+len(tc.term))
			if got != tc.want {
				t.Errorf("Sentence = %q, want %q", got, tc.want)
			}
			if n := utf8.RuneCountInString(got); n > sentenceMax {
				t.Errorf("Sentence has %d runes", n)
			}
		})
	}
	// Out-of-range and mid-rune offsets are clamped, not a panic.
	for _, r := range [][2]int{{-5, 3}, {1, 2}, {4, 1000}, {1000, 2000}, {5, 2}} {
		_ = Sentence("最佳选择", r[0], r[1])
	}
	if got := Sentence("最佳选择", 1, 2); got != "最佳选择" {
		t.Errorf("mid-rune: %q", got)
	}
}

func FuzzFind(f *testing.F) {
	for _, tc := range findCases {
		f.Add(tc.in)
	}
	f.Add("\xff最佳\xfe第一")
	l := Default().With([]string{"秒杀"}, []string{"第一坊", "最佳拍档"})
	f.Fuzz(func(t *testing.T, s string) {
		for _, list := range []*List{Default(), l} {
			ms := list.Find(s)
			checkMatches(t, s, ms)
			for _, m := range ms {
				if n := utf8.RuneCountInString(Sentence(s, m.Start, m.End)); n > sentenceMax {
					t.Fatalf("Sentence has %d runes", n)
				}
			}
		}
	})
}

// benchText is about 2 KB of product copy with a few claims in it.
var benchText = truncate(strings.Repeat("【夏季新款】纯棉短袖T恤男士宽松圆领，100%纯棉面料，透气舒适；第一次购买送运费险，付款后第一时间发货。"+
	"本店销量第一，全网最低价，品质最佳！尺码：S M L XL XXL，颜色：黑 白 灰。", 10), 800)

func BenchmarkFind(b *testing.B) {
	l := Default()
	b.SetBytes(int64(len(benchText)))
	b.ReportAllocs()
	for b.Loop() {
		l.Find(benchText)
	}
}

func BenchmarkFindAllow(b *testing.B) {
	l := Default().With(nil, []string{"第一坊", "最佳拍档"})
	b.SetBytes(int64(len(benchText)))
	b.ReportAllocs()
	for b.Loop() {
		l.Find(benchText)
	}
}
