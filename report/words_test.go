package report

import (
	"testing"

	"github.com/storecheck/storecheck/checks"
)

// TestWords: the reports' catalog loads (both languages, same arguments)
// and names every area, severity and status the sheet prints.
func TestWords(t *testing.T) {
	c := words()
	keys := []string{"severity.error", "severity.warning", "severity.info",
		"status.open", "status.assigned", "status.overdue", "status.reopened"}
	for _, a := range checks.Areas {
		keys = append(keys, "area."+a)
	}
	for _, k := range keys {
		if !c.Has(k) {
			t.Errorf("no %s in the reports' catalog", k)
		}
	}
}
