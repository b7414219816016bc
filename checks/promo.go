package checks

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/storecheck/storecheck/checks/cndate"
	"github.com/storecheck/storecheck/checks/fingerprint"
	"github.com/storecheck/storecheck/checks/pagemodel"
)

// promoChecks judge the dates promotions state, against the sweep's clock
// (--now) and the configured campaign, as text a shopper can see.
func promoChecks() []*Check {
	return []*Check{
		{
			ID:          "promo.expired",
			Doc:         "a promotion whose end is before now is still advertised",
			Severity:    SeverityError,
			Subject:     "the promotion text, excerpted",
			Run:         runPromoExpired,
			PictureText: true,
			Strict:      true,
		},
		{
			ID:          "promo.invalid-date",
			Doc:         "an impossible date, or an end before its start",
			Severity:    SeverityError,
			Subject:     "the date text",
			Run:         runPromoInvalidDate,
			PictureText: true,
			Strict:      true,
		},
		{
			ID:          "promo.stale-campaign",
			Doc:         "the page still shows creative for a shopping festival that is over (see Dates) and is not the configured `campaign`",
			Severity:    SeverityWarning,
			Subject:     "the campaign text as shown (`双11`, `6.1狂欢`)",
			Run:         runPromoStaleCampaign,
			PictureText: true,
			Strict:      true,
		},
		{
			ID:       "promo.window-mismatch",
			Doc:      "campaign text states dates other than `campaign.start`/`end`",
			Severity: SeverityError,
			Subject:  "the date text",
			Enabled: func(env *Env) bool {
				return !env.Campaign.Start.IsZero() && !env.Campaign.End.IsZero()
			},
			Run:    runPromoWindowMismatch,
			Strict: true,
		},
	}
}

// runPromoExpired reports a promotion window that ended before now and is
// still on the page: a window (from–to, 即日起至…, …截止) in text that
// talks about a promotion. One finding per text. Past phases (presale,
// deposit …) of a campaign the page shows running are a schedule, not an
// expired promotion.
func runPromoExpired(p *Pass) {
	now := p.Env.Now
	running := false // a promotion of the page is on now or still to come
	for _, pt := range p.Model.Promos {
		for _, w := range pt.Windows {
			if pt.IsPromo && w.To != nil && w.To.Invalid == "" && !w.To.EndOfDay().Before(now) {
				running = true
			}
		}
	}
	var found sightings
	for _, pt := range p.Model.Promos {
		// A schedule of a running campaign lists its past phases (presale,
		// deposit) on purpose.
		if running && phaseRE.MatchString(pt.Text) {
			continue
		}
		for _, w := range pt.Windows {
			if !pt.IsPromo {
				break // a production date or a shipping range is no promotion
			}
			if w.To == nil || w.To.Invalid != "" || (w.From != nil && w.From.Invalid != "") {
				continue
			}
			end := w.To.EndOfDay()
			if w.From != nil && end.Before(w.From.Time) {
				continue // promo.invalid-date's
			}
			subject := fingerprint.Excerpt(pt.Text)
			if !end.Before(now) || found.seen(subject, pt.Block) {
				continue
			}
			found.add(subject, pt.Block, subject, M("promo.expired",
				end.Format("2006-01-02 15:04"), now.In(end.Location()).Format("2006-01-02 15:04")),
				map[string]any{"window": w.Text, "end": end.Format(time.RFC3339), "now": now.Format(time.RFC3339)})
		}
		// A countdown to a day that has gone (距11.11开抢还有4天 read on
		// 11-28) counts down to nothing: the target read as any yearless
		// date, its whole day allowed. A countdown with a target is
		// promotional copy whatever words surround it.
		for _, cd := range pt.Countdowns {
			if cd.Target == nil {
				continue // 仅剩3天: nothing to judge it against
			}
			end := cd.Target.EndOfDay()
			subject := fingerprint.Excerpt(pt.Text)
			if !end.Before(now) || found.seen(subject, pt.Block) {
				continue
			}
			found.add(subject, pt.Block, subject, M("promo.expired/countdown",
				cd.Text, end.Format("2006-01-02"), now.In(end.Location()).Format("2006-01-02 15:04")),
				map[string]any{"countdown": cd.Text, "target": cd.Target.Text, "end": end.Format(time.RFC3339),
					"now": now.Format(time.RFC3339), "selector": pagemodel.NodeSelector(pt.Block.Node)})
		}
	}
	found.report(p)
}

// runPromoStaleCampaign reports creative for a shopping festival whose
// last day ended more than promo.stale_after_days before now: 6.1狂欢 in
// November, 双11 banners at the end of November. A festival without a year
// is its occurrence nearest now (cndate.Festivals). Never reported: the
// configured campaign while its window covers now; mentions that are not
// live creative (reviews, 双11同款, recaps such as 去年双11战绩, product
// names, spec tables); a number alone (618, 11.11) outside promotional
// copy; a countdown's target or a dated window (promo.expired judges
// those). One finding per festival per page.
func runPromoStaleCampaign(p *Pass) {
	now := p.Env.Now
	grace := time.Duration(p.Env.Promo.StaleAfterDays) * 24 * time.Hour
	campaignOn := !p.Env.Campaign.Start.IsZero() && !p.Env.Campaign.End.IsZero() &&
		!now.Before(p.Env.Campaign.Start) && !now.After(p.Env.Campaign.End)
	var found sightings
	for _, pt := range p.Model.Promos {
		if len(pt.Festivals) == 0 || !liveCreative(p.Model, pt) {
			continue
		}
		for _, m := range pt.Festivals {
			if !now.After(m.Over().Add(grace)) {
				continue
			}
			if campaignOn && slices.Contains(p.Env.Campaign.Festivals, m.Name) {
				continue
			}
			if m.Bare && !liveWordRE.MatchString(pt.Text[:m.Start]+" "+pt.Text[m.End:]) {
				continue // 618 with nothing promotional around it
			}
			if notCreativeAfterRE.MatchString(pt.Text[m.End:]) || judgedElsewhere(pt, m) || productName(p.Model, pt, m) {
				continue
			}
			if found.seen(m.Name, pt.Block) {
				continue
			}
			loc := m.Last.Location()
			today := time.Date(now.In(loc).Year(), now.In(loc).Month(), now.In(loc).Day(), 0, 0, 0, 0, loc)
			since := int(today.Sub(m.Last).Hours()/24 + 0.5)
			day := m.First.Format("2006-01-02")
			if !m.Last.Equal(m.First) {
				day += " – " + m.Last.Format("2006-01-02")
			}
			// The catalog picks the plural of the days since; English
			// needs a text of its own for a grace of one day.
			key := "promo.stale-campaign"
			if p.Env.Promo.StaleAfterDays == 1 {
				key = "promo.stale-campaign/grace-one-day"
			}
			found.add(m.Name, pt.Block, m.Text, M(key, m.Text, m.Name, day, since, p.Env.Promo.StaleAfterDays),
				map[string]any{"festival": m.Name, "day": m.First.Format("2006-01-02"), "last_day": m.Last.Format("2006-01-02"),
					"days_since": since, "stale_after_days": p.Env.Promo.StaleAfterDays,
					"text": fingerprint.Excerpt(pt.Text), "selector": pagemodel.NodeSelector(pt.Block.Node)})
		}
	}
	found.report(p)
}

var (
	// liveWordRE marks promotional copy around a bare festival number: 618
	// 年中大促, 11.11 全场5折.
	liveWordRE = regexp.MustCompile(`狂欢|大促|抢|秒杀|折|优惠|特惠|券|满减|立减|直降|活动|会场|限时|爆款|开售|预售|返场|包邮|低至|红包|盛典|钜惠|福利|专场|年中|年终|好价`)
	// recapRE marks a block that looks back (去年双11战绩, 双11回顾) and
	// reviewRE one a buyer wrote (买家评价：双11买的): not live creative.
	recapRE  = regexp.MustCompile(`战绩|回顾|去年|前年|往届|历届|复盘`)
	reviewRE = regexp.MustCompile(`评价|买家秀|追评|晒单|评论|好评|买家说|网友|用户说`)
	// reviewHintRE matches a class or id token of a review list, or a
	// part of one between - and _ (J-comment-list, tb-rate-item).
	reviewHintRE = regexp.MustCompile(`(?i)(^|[-_])(comments?|reviews?|rate|ratings?|evaluat[a-z]*|pingjia|pinglun|buyer-?show|maijiaxiu)([-_]|$)`)
	// notCreativeAfterRE, right after a festival, makes it part of a
	// product's name: 双11同款, 618限定款, 双11纪念版, 年货节礼盒.
	notCreativeAfterRE = regexp.MustCompile(`^ ?(同款|(限定|特别|纪念|定制|联名|专属)?(款|版|礼盒|套装))`)
	// nameHintRE matches the class, id or itemprop token of a product's
	// name: p-name, goods-title, itemprop=name.
	nameHintRE = regexp.MustCompile(`(?i)^((p|goods|item|product|prod|pro|sku)[-_]?(name|title)|name)$`)
)

// liveCreative reports whether pt may be live creative: not a recap, not a
// review (by its words or a review list around it), not a spec table.
func liveCreative(m *pagemodel.Model, pt pagemodel.Promo) bool {
	if recapRE.MatchString(pt.Text) || reviewRE.MatchString(pt.Text) {
		return false
	}
	if pagemodel.InAny(pt.Block.Node, m.Specs) {
		return false
	}
	for n := pt.Block.Node; n != nil; n = n.Parent {
		if hintToken(n, reviewHintRE, false) {
			return false
		}
	}
	return true
}

// judgedElsewhere reports whether m is a countdown's target or inside a
// dated window of its block: promo.expired judges those.
func judgedElsewhere(pt pagemodel.Promo, m cndate.Mention) bool {
	for _, cd := range pt.Countdowns {
		if cd.Target != nil && m.Start < cd.Target.End && cd.Target.Start < m.End {
			return true
		}
	}
	for _, w := range pt.Windows {
		if m.Start < w.End && w.Start < m.End {
			return true
		}
	}
	return false
}

// productName reports whether m is part of a product's name: the title of
// the product card holding its block, the h1 of a product page, or an
// element marked as a name (p-name, goods-title, itemprop=name).
func productName(model *pagemodel.Model, pt pagemodel.Promo, m cndate.Mention) bool {
	for n := pt.Block.Node; n != nil; n = n.Parent {
		if model.BuyBox != nil && n.Data == "h1" || hintToken(n, nameHintRE, true) {
			return true
		}
		for _, c := range model.Cards {
			if c.Node == n && strings.Contains(c.Title, m.Text) {
				return true
			}
		}
	}
	return false
}

// hintToken reports whether a token of n's class or id (or, with itemprop,
// its itemprop) matches re.
func hintToken(n *html.Node, re *regexp.Regexp, itemprop bool) bool {
	if n.Type != html.ElementNode {
		return false
	}
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" && !(itemprop && a.Key == "itemprop") {
			continue
		}
		for _, tok := range strings.Fields(a.Val) {
			if re.MatchString(tok) {
				return true
			}
		}
	}
	return false
}

// runPromoInvalidDate reports an impossible date (11月31日, 25:00) and a
// window whose end is before its start.
func runPromoInvalidDate(p *Pass) {
	var found sightings
	for _, pt := range p.Model.Promos {
		for _, d := range pt.Dates {
			if d.Invalid == "" || found.seen(d.Text, pt.Block) {
				continue
			}
			found.add(d.Text, pt.Block, d.Text, invalidDateMsg(d),
				map[string]any{"reason": d.Invalid, "text": fingerprint.Excerpt(pt.Text)})
		}
		for _, w := range pt.Windows {
			if w.From == nil || w.To == nil || w.From.Invalid != "" || w.To.Invalid != "" {
				continue
			}
			if !w.To.EndOfDay().Before(w.From.Time) || found.seen(w.Text, pt.Block) {
				continue
			}
			found.add(w.Text, pt.Block, w.Text, M("promo.invalid-date/window", w.Text), map[string]any{
				"start": w.From.Time.Format(time.RFC3339), "end": w.To.EndOfDay().Format(time.RFC3339),
			})
		}
	}
	found.report(p)
}

// invalidDateMsg is promo.invalid-date's message for an impossible date:
// a key per kind of problem, and per month for a day past its month's end,
// whose English names the month. Numbers that may pass 999 (the year) go
// as text: the catalog groups digits.
func invalidDateMsg(d cndate.Date) Msg {
	pr := d.Problem
	switch pr.Part {
	case "month-end":
		if pr.Month == 2 {
			return M("promo.invalid-date/february", d.Text, pr.Value, strconv.Itoa(pr.Year), pr.Days)
		}
		// Only the 30-day months: april, june, september, november.
		return M("promo.invalid-date/"+strings.ToLower(time.Month(pr.Month).String()), d.Text, pr.Value, pr.Days)
	case "24:00":
		return M("promo.invalid-date/24h", d.Text, fmt.Sprintf("%02d", pr.Value))
	}
	return M("promo.invalid-date/"+pr.Part, d.Text, pr.Value)
}

// phaseRE marks text about another phase of a campaign (presale, deposit,
// encore), whose dates differ from the campaign's on purpose.
var phaseRE = regexp.MustCompile(`预售|预热|定金|尾款|返场|预约|付定|加购期`)

// namesCampaign reports whether pt names the configured campaign: by its
// name as configured, or by a shopping festival the name names (双11好茶节
// names 双11, so text saying 双十一 or 11.11狂欢 is about it), read with the
// festival calendar every promo rule shares.
func namesCampaign(c Campaign, pt pagemodel.Promo) bool {
	if c.Name != "" && strings.Contains(pt.Text, c.Name) {
		return true
	}
	for _, m := range pt.Festivals {
		if slices.Contains(c.Festivals, m.Name) {
			return true
		}
	}
	return false
}

// runPromoWindowMismatch reports a window in campaign text (a block naming
// the campaign, or any promotion text on a page matching campaign.pages)
// whose start or end differs from campaign.start / campaign.end. A date
// without a time matches any time of that day; a time matches to the
// minute. Presale, deposit and encore phases are other windows.
func runPromoWindowMismatch(p *Pass) {
	start, end := p.Env.Campaign.Start, p.Env.Campaign.End
	if start.IsZero() || end.IsZero() {
		return
	}
	onCampaignPage := matchesPath(p.Env.Campaign.Pages, p.Page.URL)
	done := map[string]bool{}
	for _, pt := range p.Model.Promos {
		if pt.Block.Source == pagemodel.SourceImage {
			continue // the contract leaves campaign windows in pictures unjudged
		}
		about := onCampaignPage && pt.IsPromo || namesCampaign(p.Env.Campaign, pt)
		if !about || phaseRE.MatchString(pt.Text) {
			continue
		}
		for _, w := range pt.Windows {
			if done[w.Text] || (w.From != nil && w.From.Invalid != "") || (w.To != nil && w.To.Invalid != "") {
				continue
			}
			var off []string
			if w.From != nil && !sameInstant(*w.From, start) {
				off = append(off, "start")
			}
			if w.To != nil && !sameInstant(*w.To, end) {
				off = append(off, "end")
			}
			if len(off) == 0 {
				continue
			}
			done[w.Text] = true
			ev := map[string]any{"campaign_start": start.Format(time.RFC3339), "campaign_end": end.Format(time.RFC3339),
				"differs": off, "text": fingerprint.Excerpt(pt.Text)}
			if w.From != nil {
				ev["stated_start"] = w.From.Time.Format(time.RFC3339)
			}
			if w.To != nil {
				ev["stated_end"] = w.To.EndOfDay().Format(time.RFC3339)
			}
			p.Report("", w.Text, M("promo.window-mismatch",
				start.Format("2006-01-02 15:04"), end.Format("2006-01-02 15:04"), w.Text), ev)
		}
	}
}

// sameInstant compares a stated date with a configured bound: a date with
// a time to the minute, a date alone by day.
func sameInstant(d cndate.Date, bound time.Time) bool {
	t := d.Time.In(bound.Location())
	if !d.HasTime {
		y1, m1, d1 := t.Date()
		y2, m2, d2 := bound.Date()
		return y1 == y2 && m1 == m2 && d1 == d2
	}
	diff := t.Sub(bound)
	if diff < 0 {
		diff = -diff
	}
	return diff < time.Minute
}

// matchesPath reports whether pageURL, whole or its path (with query),
// matches one of the patterns.
func matchesPath(patterns []*regexp.Regexp, pageURL string) bool {
	path := pageURL
	if u, err := url.Parse(pageURL); err == nil {
		path = u.EscapedPath()
		if u.RawQuery != "" {
			path += "?" + u.RawQuery
		}
	}
	for _, re := range patterns {
		if re.MatchString(path) || re.MatchString(pageURL) {
			return true
		}
	}
	return false
}
