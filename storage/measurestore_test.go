package storage

import (
	"bytes"
	"context"
	"testing"
	"time"
)

// Stored measures outlive the process that wrote them; saving replaces a
// record and marks the reused ones used; pruning drops what no sweep used
// since the cutoff and keeps what one did.
func TestMeasureStore(t *testing.T) {
	ctx := context.Background()
	db, path := openTemp(t)
	day := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return day }
	s := db.MeasureStore()
	if _, ok, err := s.LoadMeasure(ctx, "a"); err != nil || ok {
		t.Fatalf("empty store: ok %v err %v, want a miss", ok, err)
	}
	recs := map[string][]byte{"a": []byte(`{"done":1}`), "b": []byte(`{"done":2}`), "c": []byte(`{"done":3}`)}
	if err := s.SaveMeasures(ctx, recs, nil); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// Forty days later a sweep reuses a, measures b again, and never asks
	// for c (the shop dropped that picture).
	db = openPath(t, path)
	day = day.AddDate(0, 0, 40)
	db.Now = func() time.Time { return day }
	s = db.MeasureStore()
	if err := s.SaveMeasures(ctx, map[string][]byte{"b": []byte(`{"done":6}`)}, []string{"a"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key  string
		ok   bool
		want string
	}{
		{"a", true, `{"done":1}`},
		{"b", true, `{"done":6}`},
		{"c", true, `{"done":3}`},
		{"d", false, ""},
	}
	for _, tt := range tests {
		got, ok, err := s.LoadMeasure(ctx, tt.key)
		if err != nil || ok != tt.ok || !bytes.Equal(got, []byte(tt.want)) {
			t.Errorf("LoadMeasure(%s) = %s, %v, %v; want %s, %v", tt.key, got, ok, err, tt.want, tt.ok)
		}
	}
	n, err := db.PruneMeasures(ctx, day.AddDate(0, 0, -MeasureCacheDays))
	if err != nil || n != 1 {
		t.Fatalf("PruneMeasures = %d, %v; want c removed", n, err)
	}
	for key, want := range map[string]bool{"a": true, "b": true, "c": false} {
		if _, ok, err := s.LoadMeasure(ctx, key); err != nil || ok != want {
			t.Errorf("after pruning, %s stored: %v (%v), want %v", key, ok, err, want)
		}
	}
}
