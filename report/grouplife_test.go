package report

import (
	"testing"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/storage"
	"github.com/storecheck/storecheck/track"
)

// TestGroupLife: a group's status on the sheet is the most urgent of its
// findings'.
func TestGroupLife(t *testing.T) {
	day := time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)
	owned := &storage.Assignment{Owner: "运营-小王", Due: "2026-11-08"}
	lives := map[string]track.Life{
		"plain":    {Open: true},
		"owned":    {Open: true, Assignment: owned},
		"pending":  {Open: true, Assignment: owned, Recheck: track.RecheckPending},
		"back":     {Open: true, Reopened: 1, Recheck: track.RecheckPending},
		"failed":   {Open: true, Reopened: 1, Recheck: track.RecheckFailed},
		"overdue":  {Open: true, Assignment: owned, Overdue: true, Recheck: track.RecheckFailed},
		"resolved": {Recheck: track.RecheckConfirmed},
	}
	for fp, l := range lives {
		l.FirstSeen = track.Seen{RunID: 1, At: day}
		lives[fp] = l
	}
	tests := []struct {
		fps  []string
		want string
	}{
		{[]string{"plain"}, "open"},
		{[]string{"plain", "owned"}, "assigned"},
		{[]string{"owned", "pending"}, "pending"},
		{[]string{"pending", "back"}, "reopened"},
		{[]string{"back", "failed", "owned"}, "failed"},
		{[]string{"failed", "overdue"}, "overdue"},
		{[]string{"plain", "resolved"}, "open"},
	}
	for _, tt := range tests {
		var g Group
		for _, fp := range tt.fps {
			g.Findings = append(g.Findings, checks.Finding{Fingerprint: fp})
		}
		if got := groupLife(g, lives); got.status != tt.want {
			t.Errorf("%v: status %q, want %q", tt.fps, got.status, tt.want)
		}
	}
}
