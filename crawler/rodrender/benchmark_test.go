package rodrender

import (
	"context"
	"math"
	"testing"
	"time"
)

// TestBenchmarkIndex: the start-up CPU benchmark gives a finite positive
// score and leaves no tab behind. Its value depends on the machine; the
// test holds only that it is a measurement (the two loops ran and were
// timed), not how fast this machine is today.
func TestBenchmarkIndex(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	v, err := shared.BenchmarkIndex(ctx, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		t.Fatalf("benchmark index %v, want a positive finite score", v)
	}
	t.Logf("benchmark index %.0f", v)
	cancel()
	if _, err := shared.BenchmarkIndex(ctx, 50*time.Millisecond); err == nil {
		t.Error("a cancelled benchmark returned no error")
	}
}
