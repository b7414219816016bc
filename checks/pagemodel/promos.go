package pagemodel

import (
	"regexp"
	"strings"

	"github.com/storecheck/storecheck/checks/cndate"
)

// promoWordRE says a block of text is about a promotion: only windows in
// such blocks are promotions (a production date or a shipping range is not).
var promoWordRE = regexp.MustCompile(`活动|促销|优惠|特惠|秒杀|限时|折|立减|直降|满减|券|狂欢|大促|抢购|特价|开抢|预售|福利|专享|返场|会场|包邮|赠|双11|双十一|双12|双十二|618|年货节|女王节|黑五|开播|直播|周年庆|promotion|sale`)

// Promo is one block of shown text that states dates, counts down or names
// a shopping festival, and what it says.
type Promo struct {
	Text       string
	Block      *Block
	Windows    []cndate.Window
	Dates      []cndate.Date
	Countdowns []cndate.Countdown
	Festivals  []cndate.Mention
	IsPromo    bool // the text mentions a promotion
}

const (
	digits = "0123456789０１２３４５６７８９"
	// festivalRunes start the festival names written without a digit
	// (双十一, 女王节, 黑五, 年货节, 六一).
	festivalRunes = "双女黑年六"
	// countdownRunes are in every countdown's words (仅剩, 倒计时, 距…还有).
	countdownRunes = "剩倒距"
)

// readPromos reads the dates, countdowns and festivals of every shown
// block; the cheap rune tests spare the grammar the blocks that cannot
// hold any.
func readPromos(blocks []*Block, c cndate.Context) []Promo {
	var out []Promo
	for _, blk := range blocks {
		text := blk.Shown
		hasDigit := strings.ContainsAny(text, digits)
		if text == "" || !hasDigit && !strings.ContainsAny(text, festivalRunes) {
			continue
		}
		pt := Promo{Text: text, Block: blk, Festivals: cndate.Festivals(text, c), IsPromo: promoWordRE.MatchString(text)}
		if blk.Picture != nil && !pt.IsPromo {
			// A picture is one piece of creative: its date line is
			// promotional when another of its lines says so.
			pt.IsPromo = promoWordRE.MatchString(blk.Picture.All)
		}
		if hasDigit {
			pt.Windows, pt.Dates = cndate.Windows(text, c), cndate.Dates(text, c)
			if strings.ContainsAny(text, countdownRunes) {
				pt.Countdowns = cndate.Countdowns(text, c)
			}
		}
		if len(pt.Windows) > 0 || len(pt.Dates) > 0 || len(pt.Countdowns) > 0 || len(pt.Festivals) > 0 {
			out = append(out, pt)
		}
	}
	return out
}
