package storage

import (
	"testing"
	"time"
)

func TestAssignments(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	// Two complete runs of shop, one running, one of another target.
	var ids []int64
	for i, name := range []string{"shop", "shop", "shop", "other"} {
		id, err := db.CreateRun(ctx, runInfo(name))
		if err != nil {
			t.Fatal(err)
		}
		w := db.Writer(id)
		if err := w.AddPage(ctx, record("https://shop.test/p", "mobile", 2)); err != nil {
			t.Fatal(err)
		}
		if i != 2 {
			if err := w.Finish(ctx, StatusComplete, t0.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		ids = append(ids, id)
	}
	d := load(t, db, "1")
	fp := d.Findings[0].Fingerprint

	if err := db.Assign(ctx, "shop", []string{fp}, Assignment{Owner: "运营-小王", Due: "2026-11-08", Note: "a"}); err != nil {
		t.Fatal(err)
	}
	// Assigning again replaces.
	if err := db.Assign(ctx, "shop", []string{fp}, Assignment{Owner: "设计-小李", Due: "2026-11-09"}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Assignments(ctx, "shop")
	if err != nil {
		t.Fatal(err)
	}
	if a := got[fp]; len(got) != 1 || a.Owner != "设计-小李" || a.Due != "2026-11-09" || a.Note != "" || a.AssignedAt.IsZero() {
		t.Errorf("assignments %+v", got)
	}
	if other, _ := db.Assignments(ctx, "other"); len(other) != 0 {
		t.Errorf("other target's assignments %+v", other)
	}

	// A mark replaces a mark and leaves the assignment; assigning again
	// withdraws it.
	for _, m := range []FixMark{{At: t0.Add(time.Hour), Note: "a"}, {At: t0.Add(2 * time.Hour), Note: "换回原图"}} {
		if err := db.MarkFixed(ctx, "shop", []string{fp}, m); err != nil {
			t.Fatal(err)
		}
	}
	marks, err := db.FixMarks(ctx, "shop")
	if err != nil {
		t.Fatal(err)
	}
	if m := marks[fp]; len(marks) != 1 || !m.At.Equal(t0.Add(2*time.Hour)) || m.Note != "换回原图" {
		t.Errorf("fix marks %+v", marks)
	}
	if got, _ := db.Assignments(ctx, "shop"); got[fp].Owner != "设计-小李" {
		t.Errorf("marking fixed changed the assignment: %+v", got)
	}
	if other, _ := db.FixMarks(ctx, "other"); len(other) != 0 {
		t.Errorf("other target's fix marks %+v", other)
	}
	if err := db.Assign(ctx, "shop", []string{fp}, Assignment{Owner: "设计-小李", Due: "2026-11-12"}); err != nil {
		t.Fatal(err)
	}
	if marks, _ := db.FixMarks(ctx, "shop"); len(marks) != 0 {
		t.Errorf("assigning again kept the fix mark: %+v", marks)
	}

	targets, err := db.TargetsOf(ctx, []string{fp, "0000000000000000"})
	if err != nil {
		t.Fatal(err)
	}
	if ts := targets[fp]; len(ts) != 2 || ts[0] != "other" || ts[1] != "shop" {
		t.Errorf("targets of %s: %v, want other and shop", fp, ts)
	}
	if _, ok := targets["0000000000000000"]; ok {
		t.Error("an unknown fingerprint has targets")
	}

	// Occurrences: only the complete runs of the target, oldest first.
	occ, err := db.Occurrences(ctx, "shop")
	if err != nil {
		t.Fatal(err)
	}
	if len(occ) != 4 || occ[0].RunID != ids[0] || occ[3].RunID != ids[1] {
		t.Fatalf("occurrences %+v", occ)
	}
	for _, o := range occ {
		if o.RunID == ids[2] || o.Finding.Fingerprint == "" || o.Finding.Rule == "" {
			t.Errorf("occurrence %+v", o)
		}
	}
}
