package checks

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/storecheck/storecheck/checks/cndate"
	"github.com/storecheck/storecheck/checks/fingerprint"
)

// promoChecks judge the dates promotions state, against the sweep's clock
// (--now) and the configured campaign, as text a shopper can see.
func promoChecks() []*Check {
	return []*Check{
		{
			ID:       "promo.expired",
			Doc:      "a promotion whose end is before now is still advertised",
			Severity: SeverityError,
			Subject:  "the promotion text, excerpted",
			Run:      runPromoExpired,
			Strict:   true,
		},
		{
			ID:       "promo.invalid-date",
			Doc:      "an impossible date, or an end before its start",
			Severity: SeverityError,
			Subject:  "the date text",
			Run:      runPromoInvalidDate,
			Strict:   true,
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
	done := map[string]bool{}
	for _, pt := range p.Model.Promos {
		// A schedule of a running campaign lists its past phases (presale,
		// deposit) on purpose.
		if !pt.IsPromo || running && phaseRE.MatchString(pt.Text) {
			continue
		}
		for _, w := range pt.Windows {
			if w.To == nil || w.To.Invalid != "" || (w.From != nil && w.From.Invalid != "") {
				continue
			}
			end := w.To.EndOfDay()
			if w.From != nil && end.Before(w.From.Time) {
				continue // promo.invalid-date's
			}
			subject := fingerprint.Excerpt(pt.Text)
			if !end.Before(now) || done[subject] {
				continue
			}
			done[subject] = true
			p.Report("", subject, fmt.Sprintf("The promotion ended %s, before now (%s), but is still advertised.",
				end.Format("2006-01-02 15:04"), now.In(end.Location()).Format("2006-01-02 15:04")),
				map[string]any{"window": w.Text, "end": end.Format(time.RFC3339), "now": now.Format(time.RFC3339)})
		}
	}
}

// runPromoInvalidDate reports an impossible date (11月31日, 25:00) and a
// window whose end is before its start.
func runPromoInvalidDate(p *Pass) {
	done := map[string]bool{}
	for _, pt := range p.Model.Promos {
		for _, d := range pt.Dates {
			if d.Invalid == "" || done[d.Text] {
				continue
			}
			done[d.Text] = true
			p.Report("", d.Text, fmt.Sprintf("%q is not a real date: %s.", d.Text, d.Invalid),
				map[string]any{"reason": d.Invalid, "text": fingerprint.Excerpt(pt.Text)})
		}
		for _, w := range pt.Windows {
			if w.From == nil || w.To == nil || w.From.Invalid != "" || w.To.Invalid != "" || done[w.Text] {
				continue
			}
			if !w.To.EndOfDay().Before(w.From.Time) {
				continue
			}
			done[w.Text] = true
			p.Report("", w.Text, fmt.Sprintf("The window %q ends before it starts.", w.Text), map[string]any{
				"start": w.From.Time.Format(time.RFC3339), "end": w.To.EndOfDay().Format(time.RFC3339),
			})
		}
	}
}

// phaseRE marks text about another phase of a campaign (presale, deposit,
// encore), whose dates differ from the campaign's on purpose.
var phaseRE = regexp.MustCompile(`预售|预热|定金|尾款|返场|预约|付定|加购期`)

// campaignAliases are the names campaign text goes by: the configured name,
// and for 双11-style names the usual spellings.
func campaignAliases(name string) []string {
	out := []string{}
	if name != "" {
		out = append(out, name)
	}
	for _, group := range [][]string{{"双11", "双十一", "11.11"}, {"双12", "双十二", "12.12"}, {"618"}} {
		for _, a := range group {
			if strings.Contains(name, a) {
				out = append(out, group...)
				break
			}
		}
	}
	return out
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
	aliases := campaignAliases(p.Env.Campaign.Name)
	done := map[string]bool{}
	for _, pt := range p.Model.Promos {
		about := onCampaignPage && pt.IsPromo
		for _, a := range aliases {
			about = about || strings.Contains(pt.Text, a)
		}
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
			p.Report("", w.Text, fmt.Sprintf("The campaign runs %s to %s, but the page says %q.",
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
