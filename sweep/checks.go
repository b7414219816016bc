package sweep

// This file is the sweep's whole use of package checks: building the
// environment, choosing the active rules, running them over a page and over
// the site, and the rule-ID prefix matches (--skip-rules, Escalate, logo
// capture). The checks API is being reshaped (page facts, the price ledger,
// rule families without ID prefixes); when it changes, this file is what
// the sweep adapts. Other files of the package name checks types only.

import (
	"strings"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
)

// rules are the checks a sweep runs and the environment they read.
type rules struct {
	env      *checks.Env
	active   []*checks.Check
	escalate []string // rule-ID prefixes raised to error (Options.Escalate)
}

// newRules builds the checks' environment under cfg at the sweep's clock now
// and picks the enabled rules minus --skip-rules. The brand's logos are
// decoded here, before the browser starts: an unusable brand.logo is a
// config error (exit 2), found in a second.
func newRules(cfg *config.Config, now time.Time, escalate []string) (*rules, error) {
	env, err := checks.NewEnv(cfg, now)
	if err != nil {
		return nil, err
	}
	active := skipRules(checks.Active(checks.Registry(), env), cfg.SkipRules)
	return &rules{env: env, active: active, escalate: escalate}, nil
}

// priceHistoryFrom is the start of the window whose runs give the
// reference prices, for a sweep whose clock reads now.
func priceHistoryFrom(now time.Time) time.Time {
	return now.AddDate(0, 0, -checks.ReferenceDays)
}

// setPriceHistory hands the checks the lowest price each product page
// showed in the reference window.
func (r *rules) setPriceHistory(h map[string]float64) { r.env.PriceHistory = h }

// page checks one page: its findings (escalated) and the product price it
// showed, for storage.
func (r *rules) page(p *crawler.Page) ([]checks.Finding, *checks.PagePrice) {
	fs, price := checks.RunPageFacts(r.active, r.env, p)
	return escalate(fs, r.escalate), price
}

// site runs the cross-page checks over the sweep's digests.
func (r *rules) site(site *crawler.SiteFacts) []checks.Finding {
	return escalate(checks.RunSite(r.active, r.env, site), r.escalate)
}

// escalate raises the findings of rules with one of prefixes to error.
func escalate(fs []checks.Finding, prefixes []string) []checks.Finding {
	for i, f := range fs {
		for _, p := range prefixes {
			if strings.HasPrefix(f.Rule, p) {
				fs[i].Severity = checks.SeverityError
			}
		}
	}
	return fs
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

// logoRulesActive reports whether a logo rule will run: only then does the
// crawler screenshot logo candidates.
func logoRulesActive(cs []*checks.Check) bool {
	for _, c := range cs {
		if strings.HasPrefix(c.ID, "logo.") {
			return true
		}
	}
	return false
}
