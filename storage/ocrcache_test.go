package storage

import (
	"context"
	"image"
	"reflect"
	"testing"
	"time"

	"github.com/storecheck/storecheck/ocr"
)

// The OCR cache keeps results across opens of the database: a later sweep
// (a new process) finds what an earlier one read.
func TestOCRCache(t *testing.T) {
	ctx := context.Background()
	db, path := openTemp(t)
	c := db.OCRCache()
	if _, ok, err := c.Get(ctx, "k1"); err != nil || ok {
		t.Fatalf("empty cache: ok %v err %v, want a miss", ok, err)
	}
	want := ocr.Result{
		Lines: []ocr.Line{{Text: "全网最低", Box: image.Rect(1, 2, 81, 32),
			Words: []ocr.Word{{Text: "全", Box: image.Rect(1, 2, 21, 32), Conf: 96.5}}}},
		Regions: []image.Rectangle{image.Rect(0, 0, 750, 300)},
	}
	if err := c.Put(ctx, "k1", want); err != nil {
		t.Fatal(err)
	}
	if err := c.Put(ctx, "k2", ocr.Result{}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db2 := openPath(t, path)
	c2 := db2.OCRCache()
	tests := []struct {
		key  string
		ok   bool
		want ocr.Result
	}{
		{"k1", true, want},
		{"k2", true, ocr.Result{}},
		{"k3", false, ocr.Result{}},
	}
	for _, tt := range tests {
		got, ok, err := c2.Get(ctx, tt.key)
		if err != nil || ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Get(%s) = %+v, %v, %v; want %+v, %v", tt.key, got, ok, err, tt.want, tt.ok)
		}
	}
}

// A visit's OCR counts are stored with it and read back; a visit without
// them reads nil.
func TestPageOCRCounts(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	_, w := newRun(t, db)
	counts := &OCRCounts{Read: 3, Cached: 2, SkippedSmall: 5, SkippedLarge: 1, SkippedLimit: 4, Failed: 1}
	with := record("https://shop.example/a", "desktop", 0)
	with.OCR = counts
	if err := w.AddPage(ctx, with); err != nil {
		t.Fatal(err)
	}
	if err := w.AddPage(ctx, record("https://shop.example/b", "desktop", 0)); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(ctx, StatusComplete, time.Now()); err != nil {
		t.Fatal(err)
	}
	d := load(t, db, "latest")
	if len(d.Pages) != 2 {
		t.Fatalf("%d pages, want 2", len(d.Pages))
	}
	if got := d.Pages[0].OCR; got == nil || *got != *counts {
		t.Errorf("page a OCR = %+v, want %+v", got, counts)
	}
	if got := d.Pages[1].OCR; got != nil {
		t.Errorf("page b OCR = %+v, want nil", got)
	}
}
