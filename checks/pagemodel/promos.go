package pagemodel

import (
	"regexp"
	"strings"

	"github.com/storecheck/storecheck/checks/cndate"
)

// promoWordRE says a block of text is about a promotion: only windows in
// such blocks are promotions (a production date or a shipping range is not).
var promoWordRE = regexp.MustCompile(`活动|促销|优惠|特惠|秒杀|限时|折|立减|直降|满减|券|狂欢|大促|抢购|特价|开抢|预售|福利|专享|返场|会场|包邮|赠|双11|双十一|双12|618|年货节|大促|周年庆|promotion|sale`)

// Promo is one block of shown text that states dates, and what it says.
type Promo struct {
	Text    string
	Block   *Block
	Windows []cndate.Window
	Dates   []cndate.Date
	IsPromo bool // the text mentions a promotion
}

// readPromos reads the dates of every shown block with a digit.
func readPromos(blocks []*Block, c cndate.Context) []Promo {
	var out []Promo
	for _, blk := range blocks {
		text := blk.Shown
		if text == "" || !strings.ContainsAny(text, "0123456789０１２３４５６７８９") {
			continue
		}
		pt := Promo{Text: text, Block: blk, Windows: cndate.Windows(text, c), Dates: cndate.Dates(text, c),
			IsPromo: promoWordRE.MatchString(text)}
		if len(pt.Windows) > 0 || len(pt.Dates) > 0 {
			out = append(out, pt)
		}
	}
	return out
}
