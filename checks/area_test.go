package checks

import (
	"slices"
	"testing"
)

// TestAreas: every rule reports under one of the regime's areas, and each
// area has rules.
func TestAreas(t *testing.T) {
	used := map[string]int{}
	for _, r := range Registry() {
		a := AreaOf(r.ID)
		if !slices.Contains(Areas, a) {
			t.Errorf("%s: area %q is not one of %v", r.ID, a, Areas)
		}
		used[a]++
	}
	for _, a := range Areas {
		if used[a] == 0 {
			t.Errorf("no rule reports under %s", a)
		}
	}
}
