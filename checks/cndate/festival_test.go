package cndate

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// showMentions renders mentions as "Text=Name first..last", "+bare" when
// bare and "+year" when the year is written.
func showMentions(ms []Mention) string {
	var b []string
	for _, m := range ms {
		s := fmt.Sprintf("%s=%s %s", m.Text, m.Name, m.First.Format("2006-01-02"))
		if !m.Last.Equal(m.First) {
			s += ".." + m.Last.Format("2006-01-02")
		}
		if m.Bare {
			s += " +bare"
		}
		if m.HasYear {
			s += " +year"
		}
		b = append(b, s)
	}
	return strings.Join(b, "; ")
}

// The messy shop's clock: 2026-11-28 10:00 in Shanghai.
var late = Context{Now: time.Date(2026, 11, 28, 10, 0, 0, 0, cst), Loc: cst}

var festivalTests = []struct {
	name, in, want string
}{
	{"double 11", "双11狂欢 全场5折", "双11狂欢=双11 2026-11-11"},
	{"double 11 in words", "双十一好物提前抢", "双十一=双11 2026-11-11"},
	{"double 11 spaced", "双 11 大促", "双 11 大促=双11 2026-11-11"},
	{"full width", "双１１", "双１１=双11 2026-11-11"},
	{"11.11 bare", "11.11 当天付款", "11.11=双11 2026-11-11 +bare"},
	{"11.11 with word", "11.11狂欢节", "11.11狂欢节=双11 2026-11-11"},
	{"double 12 ahead", "双12预热", "双12=双12 2026-12-12"},
	{"12.12", "12.12 年终盛典", "12.12=双12 2026-12-12 +bare"},
	{"618", "618 年中庆", "618=618 2026-06-18 +bare"},
	{"618 mid-year", "618年中大促", "618年中大促=618 2026-06-18"},
	{"618 with word", "618大促 爆款直降", "618大促=618 2026-06-18"},
	{"6.18", "6.18 狂欢", "6.18 狂欢=618 2026-06-18"},
	{"6.1 with word", "6.1狂欢 童装低至5折", "6.1狂欢=6.1 2026-06-01"},
	{"六一", "六一儿童节特惠", "六一儿童节=6.1 2026-06-01"},
	{"3.8", "3.8女王节", "3.8女王节=3.8 2027-03-08"},
	{"38节", "38节 美妆专场", "38节=3.8 2027-03-08"},
	{"女王节", "女王节宠爱自己", "女王节=3.8 2027-03-08"},
	{"99大促", "99大促 每满300减50", "99大促=99大促 2026-09-09"},
	{"9.9 with word", "9.9 狂欢", "9.9 狂欢=99大促 2026-09-09"},
	{"black friday", "黑五海淘节", "黑五=黑五 2026-11-27"},
	{"black friday long", "黑色星期五", "黑色星期五=黑五 2026-11-27"},
	{"nianhuo", "年货节 年味好礼", "年货节=年货节 2027-01-07..2027-02-05"},
	{"year before", "2025双11战绩", "2025双11=双11 2025-11-11 +year"},
	{"year 年 before", "2025年618", "2025年618=618 2025-06-18 +bare +year"},
	{"year nianhuo", "2027年货节", "2027年货节=年货节 2027-01-07..2027-02-05 +year"},
	{"two", "双11返场 · 双12预告", "双11返场=双11 2026-11-11; 双12=双12 2026-12-12"},
	// Numbers that are not festivals.
	{"6.1 inch", "6.1英寸大屏", ""},
	{"price 6.18", "¥6.18", ""},
	{"price 11.11", "前1小时下单再减¥11.11", ""},
	{"amount 11.11", "立减11.11元", ""},
	{"3.8折", "全场3.8折", ""},
	{"9.9包邮", "9.9元包邮", ""},
	{"9.9 bare", "秒杀价 9.9", ""},
	{"9.9特惠 is a price", "9.9特惠", ""},
	{"version", "v6.1 版本 6.1.2 更新", ""},
	{"dated", "2026.11.11 当天", ""},
	{"phone", "客服热线 400-820-6618", ""},
	{"longer number", "订单号 16180 与 6183", ""},
	{"618g", "净含量618g", ""},
	{"618 room", "618室 618号", ""},
	{"38 lessons", "38节课", ""},
	{"black five grains", "黑五类粉", ""},
	{"6.1 bare", "6.1 上新", ""},
	{"double without number", "双人套餐", ""},
	{"double 110", "双110", ""},
	{"11.111", "11.111", ""},
	{"ordinal", "第618位顾客", ""},
}

func TestFestivals(t *testing.T) {
	for _, tt := range festivalTests {
		t.Run(tt.name, func(t *testing.T) {
			if got := showMentions(Festivals(tt.in, late)); got != tt.want {
				t.Errorf("Festivals(%q)\n got %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
}

// A festival is its occurrence nearest Now's day: the contract's ±183
// days, a tie to the later one.
func TestFestivalNearest(t *testing.T) {
	at := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 10, 0, 0, 0, cst) }
	tests := []struct {
		now      time.Time
		in, want string
	}{
		// 2026-06-01 is 186 days before 2026-12-04, 2027-06-01 179 after.
		{at(2026, 12, 4), "6.1狂欢", "6.1狂欢=6.1 2027-06-01"},
		{at(2026, 11, 28), "6.1狂欢", "6.1狂欢=6.1 2026-06-01"},
		{at(2026, 1, 10), "双11", "双11=双11 2025-11-11"},
		{at(2026, 5, 12), "双11", "双11=双11 2025-11-11"},
		{at(2026, 5, 13), "双11", "双11=双11 2026-11-11"},
		// Inside 年货节 2026 (2026-01-18..02-16): that one.
		{at(2026, 2, 1), "年货节", "年货节=年货节 2026-01-18..2026-02-16"},
		{at(2026, 3, 1), "年货节", "年货节=年货节 2026-01-18..2026-02-16"},
		{at(2026, 9, 1), "年货节", "年货节=年货节 2027-01-07..2027-02-05"},
		// Outside the lunar table: no 年货节.
		{at(2070, 1, 1), "年货节", ""},
		{at(2026, 11, 1), "黑五", "黑五=黑五 2026-11-27"},
		{at(2027, 11, 1), "黑五", "黑五=黑五 2027-11-26"},
		{at(2028, 11, 1), "黑五", "黑五=黑五 2028-11-24"},
	}
	for _, tt := range tests {
		c := Context{Now: tt.now, Loc: cst}
		if got := showMentions(Festivals(tt.in, c)); got != tt.want {
			t.Errorf("Festivals(%q) at %s\n got %s\nwant %s", tt.in, tt.now.Format("2006-01-02"), got, tt.want)
		}
	}
}

func TestSpringFestival(t *testing.T) {
	for _, want := range []string{"2000-02-05", "2024-02-10", "2025-01-29", "2026-02-17", "2027-02-06", "2033-01-31",
		"2034-02-19", "2060-02-02"} {
		y := 0
		fmt.Sscanf(want, "%d", &y)
		got, ok := SpringFestival(y)
		if !ok || got.Format("2006-01-02") != want {
			t.Errorf("SpringFestival(%d) = %v, %v; want %s", y, got, ok, want)
		}
	}
	for _, y := range []int{1999, 2061} {
		if _, ok := SpringFestival(y); ok {
			t.Errorf("SpringFestival(%d) is known; the table holds 2000–2060", y)
		}
	}
	// Each new year is 21 January to 20 February, and years are 353–385
	// days apart: a mistyped row breaks one or the other.
	prev := time.Time{}
	for y := 2000; y <= 2060; y++ {
		d, _ := SpringFestival(y)
		if d.Before(civil(y, 1, 21)) || d.After(civil(y, 2, 20)) {
			t.Errorf("%d: %s outside 21 Jan..20 Feb", y, d.Format("2006-01-02"))
		}
		if !prev.IsZero() {
			if n := int(d.Sub(prev).Hours() / 24); n != 353 && n != 354 && n != 355 && n != 383 && n != 384 && n != 385 {
				t.Errorf("%d: %d days after the year before", y, n)
			}
		}
		prev = d
	}
}

var targetTests = []struct {
	name, in, want string
}{
	{"date-named festival", "距11.11开抢还有4天", "距11.11开抢还有4天=96h0m0s→11.11开抢=2026-11-11"},
	{"date words", "距11月11日结束还有2天", "距11月11日结束还有2天=48h0m0s→11月11日=2026-11-11"},
	{"date and time", "距11月24日 20:00开播 还有4天", "距11月24日 20:00开播 还有4天=96h0m0s→11月24日 20:00=2026-11-24 20:00:00"},
	{"festival", "距双11开抢仅剩2天", "距双11开抢仅剩2天=48h0m0s→双11开抢=2026-11-11"},
	{"distance", "距离双12还有14天", "距离双12还有14天=336h0m0s→双12=2026-12-12"},
	{"festival before", "双11倒计时 2天", "倒计时 2天=48h0m0s→双11=2026-11-11"},
	{"date before", "11月11日开抢倒计时：1天", "倒计时：1天=24h0m0s→11月11日=2026-11-11"},
	{"li", "离双11还有3天", "离双11还有3天=72h0m0s→双11=2026-11-11"},
	{"haiyou after a festival", "双11还有3天开抢", "还有3天=72h0m0s→双11=2026-11-11"},
	{"haiyou after a date", "11月11日开抢 还有3天", "还有3天=72h0m0s→11月11日=2026-11-11"},
	{"bare haiyou", "还有7天无理由退货", ""},
	{"haiyou in another clause", "双11，还有7天无理由退货", ""},
	{"no target", "仅剩3天", "仅剩3天=72h0m0s"},
	{"words only", "距活动结束还有3天", "距活动结束还有3天=72h0m0s"},
	{"clause break", "双11，倒计时 2天", "倒计时 2天=48h0m0s"},
	{"impossible target", "距11月31日还有2天", ""},
}

func TestCountdownTargets(t *testing.T) {
	for _, tt := range targetTests {
		t.Run(tt.name, func(t *testing.T) {
			var b []string
			for _, c := range Countdowns(tt.in, late) {
				s := c.Text + "=" + c.Left.String()
				if c.Target != nil {
					s += "→" + show(c.Target)
				}
				b = append(b, s)
			}
			if got := strings.Join(b, "; "); got != tt.want {
				t.Errorf("Countdowns(%q)\n got %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
}
