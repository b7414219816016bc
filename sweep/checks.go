package sweep

// This file is the sweep's whole use of package checks: building the
// environment, choosing the active rules, running them over a page and over
// the site with the facts they declare. The sweep knows no rule by name: what
// a rule needs (logo candidates, price history, page facts, strictness in a
// pre-campaign check) is declared on the rule.

import (
	"strings"
	"sync"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/checks/pagemodel"
	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
)

// rules are the checks a sweep runs, the environment they read and the
// facts of the visits kept for the site rules.
type rules struct {
	env    *checks.Env
	active []*checks.Check
	strict bool // raise the findings of Strict rules to error (Options.Strict)

	// keepFacts is set when an active site rule compares the visits' facts
	// (price.inconsistent); facts are kept only then.
	keepFacts bool
	factsMu   sync.Mutex
	facts     []checks.PageFacts
}

// newRules builds the checks' environment under cfg at the sweep's clock now
// and picks the enabled rules minus --skip-rules. The brand's logos are
// decoded here, before the browser starts: an unusable brand.logo is a
// config error (exit 2), found in a second.
func newRules(cfg *config.Config, now time.Time, strict bool) (*rules, error) {
	env, err := checks.NewEnv(cfg, now)
	if err != nil {
		return nil, err
	}
	active := skipRules(checks.Active(checks.Registry(), env), cfg.SkipRules)
	return &rules{env: env, active: active, strict: strict, keepFacts: checks.NeedsFacts(active)}, nil
}

// wantsPriceHistory reports whether an active rule reads the price history.
func (r *rules) wantsPriceHistory() bool { return checks.NeedsPriceHistory(r.active) }

// priceHistoryFrom is the start of the window whose runs give the
// reference prices, for a sweep whose clock reads now.
func priceHistoryFrom(now time.Time) time.Time {
	return now.AddDate(0, 0, -checks.ReferenceDays)
}

// setPriceHistory hands the checks the lowest price each product page
// showed in the reference window.
func (r *rules) setPriceHistory(h map[string]float64) { r.env.PriceHistory = h }

// wantsPictureText reports whether an active rule judges text read from
// pictures: only then does the sweep read them.
func (r *rules) wantsPictureText() bool { return checks.NeedsPictureText(r.active) }

// suspect reports whether an active rule wants the visit loaded again,
// alone, before it judges it (budgets.confirm_runs). Safe for concurrent
// use.
func (r *rules) suspect(p *crawler.Page) bool { return checks.Suspect(r.active, r.env, p) }

// page checks one page and the text read from its pictures: its findings
// (escalated in a strict sweep), each finding read from a picture with its
// crop for the report, and the product price it showed, for storage. Safe
// for concurrent use.
func (r *rules) page(p *crawler.Page, pics []pagemodel.Picture) ([]checks.Finding, *checks.PagePrice) {
	fs, facts := checks.RunVisit(r.active, r.env, checks.Visit{Page: p, Pictures: pics})
	checks.AddPictureCrops(r.env, p, fs)
	if r.keepFacts {
		r.factsMu.Lock()
		r.facts = append(r.facts, facts)
		r.factsMu.Unlock()
	}
	return r.escalate(fs), facts.Price
}

// outlines reports whether a finding of the page outlines a region of it
// (checks.Outlines). It keeps no facts and escalates nothing: page checks
// the visit for real afterwards. Safe for concurrent use.
func (r *rules) outlines(p *crawler.Page, pics []pagemodel.Picture) bool {
	fs, _ := checks.RunVisit(r.active, r.env, checks.Visit{Page: p, Pictures: pics})
	return checks.Outlines(fs)
}

// site runs the cross-page checks over the sweep's digests and the facts
// of its visits.
func (r *rules) site(site *crawler.SiteFacts) []checks.Finding {
	r.factsMu.Lock()
	defer r.factsMu.Unlock()
	return r.escalate(checks.RunSite(r.active, r.env, site, r.facts))
}

func (r *rules) escalate(fs []checks.Finding) []checks.Finding {
	if !r.strict {
		return fs
	}
	return checks.Escalate(r.active, fs)
}

// skipRules drops the checks that --skip-rules names, by ID or by a family
// prefix ending in ".".
func skipRules(cs []*checks.Check, skip []string) []*checks.Check {
	var out []*checks.Check
	for _, c := range cs {
		drop := false
		for _, s := range skip {
			if c.ID == s || strings.HasSuffix(s, ".") && strings.HasPrefix(c.ID, s) {
				drop = true
			}
		}
		if !drop {
			out = append(out, c)
		}
	}
	return out
}
