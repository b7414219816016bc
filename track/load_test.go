package track

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/storecheck/storecheck/internal/pgtest"
	"github.com/storecheck/storecheck/internal/storegen"
	"github.com/storecheck/storecheck/storage"
)

// Load, which reads each fingerprint's span from the store
// (storage.FindingSpans), gives what Follow makes of every occurrence, on
// a generated history with findings that stay, come and go, come back,
// are reported twice in a run and change severity, beside interrupted runs
// and another target's runs; on a SQLite file and on PostgreSQL.
func TestLoadIsFollow(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	start := time.Date(2025, 3, 1, 2, 0, 0, 0, cst)
	specs := []storegen.Spec{
		{Target: "旗舰店", Runs: 120, Start: start, Every: 24 * time.Hour, Interrupted: 4, URLs: 30,
			Core: 25, Flap: 30, On: 0.15, Off: 0.2, NewPerRun: 0.8, EpisodeRuns: 6, Twice: 0.1, Assigned: 10, Marked: 8},
		{Target: "outlet", Runs: 17, Start: start.Add(time.Hour), Every: 7 * 24 * time.Hour, URLs: 6, Core: 3,
			Flap: 4, On: 0.3, Off: 0.3},
	}
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			ctx := t.Context()
			dsn := filepath.Join(t.TempDir(), "track.db")
			if store == "postgres" {
				dsn = pgtest.Start(t).NewDatabase(t)
			}
			if _, err := storegen.Fill(ctx, dsn, 7, specs...); err != nil {
				t.Fatal(err)
			}
			db, err := storage.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			now := start.AddDate(0, 0, 125)
			for _, s := range specs {
				runs, err := db.CompleteRuns(ctx, s.Target)
				if err != nil {
					t.Fatal(err)
				}
				occ, err := db.Occurrences(ctx, s.Target)
				if err != nil {
					t.Fatal(err)
				}
				assigned, err := db.Assignments(ctx, s.Target)
				if err != nil {
					t.Fatal(err)
				}
				marks, err := db.FixMarks(ctx, s.Target)
				if err != nil {
					t.Fatal(err)
				}
				want := Follow(runs, occ, assigned, now)
				Mark(want, marks)
				got, err := Load(ctx, db, s.Target, now)
				if err != nil {
					t.Fatal(err)
				}
				reopened, fixed, marked := 0, 0, 0
				for _, l := range want {
					reopened += l.Reopened
					if !l.Open {
						fixed++
					}
					if l.Mark != nil {
						marked++
					}
				}
				if s.Target == specs[0].Target && (len(want) < 50 || reopened == 0 || fixed == 0 || marked == 0) {
					t.Fatalf("%s: %d lives, %d reopenings, %d fixed, %d marked: the history should have all kinds",
						s.Target, len(want), reopened, fixed, marked)
				}
				if len(got) != len(want) {
					t.Fatalf("%s: Load has %d lives, Follow %d", s.Target, len(got), len(want))
				}
				for i := range want {
					if !reflect.DeepEqual(got[i], want[i]) {
						t.Errorf("%s: life %d:\nLoad   %+v\nFollow %+v", s.Target, i, got[i], want[i])
					}
				}
			}
		})
	}
}
