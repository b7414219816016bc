package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/storecheck/storecheck/checks"
)

// BenchmarkInsertFindings stores 100 000 findings per iteration, either as
// 1 000 pages of 100 findings, each page its own transaction as in a sweep,
// or as one AddSiteFindings transaction.
func BenchmarkInsertFindings(b *testing.B) {
	const pages, perPage = 1000, 100
	recs := make([]PageRecord, pages)
	var all []checks.Finding
	for i := range recs {
		recs[i] = record(fmt.Sprintf("https://shop.test/p%04d", i), "desktop", perPage)
		all = append(all, recs[i].Findings...)
	}
	bench := func(b *testing.B, write func(context.Context, *Writer) error) {
		db, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		ctx := context.Background()
		for b.Loop() {
			id, err := db.CreateRun(ctx, runInfo("bench"))
			if err != nil {
				b.Fatal(err)
			}
			w := db.Writer(id)
			if err := write(ctx, w); err != nil {
				b.Fatal(err)
			}
			if err := w.Finish(ctx, StatusComplete, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(all)), "ns/finding")
	}
	b.Run("per-page", func(b *testing.B) {
		bench(b, func(ctx context.Context, w *Writer) error {
			for _, rec := range recs {
				if err := w.AddPage(ctx, rec); err != nil {
					return err
				}
			}
			return nil
		})
	})
	b.Run("one-tx", func(b *testing.B) {
		bench(b, func(ctx context.Context, w *Writer) error { return w.AddSiteFindings(ctx, all) })
	})
}
