package checks

import (
	"strings"
	"testing"
)

// A pre-campaign check counts every price and promotion defect as an
// error (a wrong price on the opening day is what it is for): those rules,
// and only those, declare Strict, and Escalate raises exactly them.
func TestEscalate(t *testing.T) {
	reg := Registry()
	for _, c := range reg {
		want := strings.HasPrefix(c.ID, "price.") || strings.HasPrefix(c.ID, "promo.")
		if c.Strict != want {
			t.Errorf("%s: Strict %v, want %v", c.ID, c.Strict, want)
		}
	}
	fs := []Finding{
		{Rule: "promo.expired", Severity: SeverityWarning},
		{Rule: "price.ambiguous", Severity: SeverityInfo},
		{Rule: "perf.slow-load", Severity: SeverityWarning},
		{Rule: "pricey.rule", Severity: SeverityWarning},
	}
	got := Escalate(reg, fs)
	want := []Severity{SeverityError, SeverityError, SeverityWarning, SeverityWarning}
	for i, f := range got {
		if f.Severity != want[i] {
			t.Errorf("%s: %s, want %s", f.Rule, f.Severity, want[i])
		}
	}
}

// What the sweep prepares for rules follows their declarations, not their
// names.
func TestNeeds(t *testing.T) {
	reg := Registry()
	if !NeedsLogoCandidates(reg) || !NeedsPriceHistory(reg) || !NeedsFacts(reg) {
		t.Fatal("the registry declares logo candidates, price history and facts")
	}
	var none []*Check
	for _, c := range reg {
		if !c.LogoCandidates && !c.PriceHistory && !c.Facts {
			none = append(none, c)
		}
	}
	if NeedsLogoCandidates(none) || NeedsPriceHistory(none) || NeedsFacts(none) {
		t.Error("checks that declare nothing still need something")
	}
	for _, c := range reg {
		if c.LogoCandidates != strings.HasPrefix(c.ID, "logo.") {
			t.Errorf("%s: LogoCandidates %v", c.ID, c.LogoCandidates)
		}
	}
}
