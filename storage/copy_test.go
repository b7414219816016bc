package storage

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/ocr"
)

// TestCopy copies a SQLite file into a new store (PostgreSQL when the
// tests run there: what `storecheck migrate` does), twice, and reads every
// run back from both: pages, prices, requests, screenshots, findings with
// their evidence pictures, assignments and the caches are the same, and
// the second copy copies nothing.
func TestCopy(t *testing.T) {
	ctx := t.Context()
	src := openPath(t, filepath.Join(t.TempDir(), "laptop.db"))
	clock := time.Now()
	src.Now = func() time.Time { return clock }

	// A complete run with prices, full-page shots and evidence pictures,
	// an interrupted one, and one still being swept.
	id1, w := newRun(t, src)
	for i := range 3 {
		if err := w.AddPage(ctx, growthRecord(i, 4)); err != nil {
			t.Fatal(err)
		}
	}
	site := finding("site.duplicate-title", checks.SeverityWarning, "https://shop.example.cn/", "", "title")
	if err := w.AddSiteFindings(ctx, []checks.Finding{site}); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(ctx, StatusComplete, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	// Marked fixed after the first run: the runs after it re-check it.
	if err := src.MarkFixed(ctx, "shop", []string{"0123456789abcdef"}, FixMark{At: t0.Add(time.Hour), Note: "换回原图"}); err != nil {
		t.Fatal(err)
	}
	ri := runInfo("shop")
	ri.StartedAt = t0.Add(time.Hour)
	id2, err := src.CreateRun(ctx, ri)
	if err != nil {
		t.Fatal(err)
	}
	w2 := src.Writer(id2)
	if err := w2.AddPage(ctx, record("https://shop.example.cn/a", "mobile", 3)); err != nil {
		t.Fatal(err)
	}
	if err := w2.Finish(ctx, StatusInterrupted, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	ri.StartedAt = t0.Add(3 * time.Hour)
	if _, err := src.CreateRun(ctx, ri); err != nil { // running, fresh heartbeat
		t.Fatal(err)
	}
	fp := site.Fingerprint
	if err := src.Assign(ctx, "shop", []string{fp}, Assignment{Owner: "小王", Due: "2026-11-10", AssignedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := src.OCRCache().Put(ctx, "pic|chi_sim", ocr.Result{Lines: []ocr.Line{{Text: "限时特价"}}}); err != nil {
		t.Fatal(err)
	}
	if err := src.MeasureStore().SaveMeasures(ctx, map[string][]byte{"m1": {1, 2, 3}}, nil); err != nil {
		t.Fatal(err)
	}

	// The team store has a run already: the copies' ids differ.
	dst, _ := openTemp(t)
	if _, err := dst.CreateRun(ctx, runInfo("other")); err != nil {
		t.Fatal(err)
	}
	res, err := Copy(ctx, src, dst)
	if err != nil {
		t.Fatal(err)
	}
	if res.Runs != 2 || res.Present != 0 || res.Running != 1 || res.Pages != 4 || res.Findings != 10 ||
		res.Assignments != 1 || res.Blobs == 0 {
		t.Errorf("first copy: %+v; want 2 runs, 1 running left, 4 pages, 10 findings, 1 assignment, pictures", res)
	}
	for _, id := range []int64{id1, id2} {
		sameRun(t, src, dst, id)
	}
	if a, err := dst.Assignments(ctx, "shop"); err != nil || a[fp].Owner != "小王" {
		t.Errorf("assignments copied: %+v, %v", a, err)
	}
	// The mark came after the source's first run: in the copy, after
	// that run's copy.
	wantAfter := int64(0)
	if runs, err := dst.Runs(ctx); err == nil && len(runs) > 1 {
		wantAfter = runs[1].ID
	}
	if m, err := dst.FixMarks(ctx, "shop"); err != nil || len(m) != 1 || !m["0123456789abcdef"].At.Equal(t0.Add(time.Hour)) ||
		m["0123456789abcdef"].Note != "换回原图" || m["0123456789abcdef"].AfterRun != wantAfter {
		t.Errorf("fix marks copied: %+v, %v", m, err)
	}
	if r, ok, err := dst.OCRCache().Get(ctx, "pic|chi_sim"); err != nil || !ok || r.Lines[0].Text != "限时特价" {
		t.Errorf("OCR cache copied: %+v %v %v", r, ok, err)
	}
	if m, ok, err := dst.MeasureStore().LoadMeasure(ctx, "m1"); err != nil || !ok || !reflect.DeepEqual(m, []byte{1, 2, 3}) {
		t.Errorf("measure cache copied: %v %v %v", m, ok, err)
	}

	again, err := Copy(ctx, src, dst)
	if err != nil {
		t.Fatal(err)
	}
	if again != (CopyResult{Present: 2, Running: 1}) {
		t.Errorf("second copy: %+v; want nothing copied, 2 present, 1 running", again)
	}
	runs, err := dst.Runs(ctx)
	if err != nil || len(runs) != 3 {
		t.Errorf("destination has %d runs, %v; want its own and the 2 copied", len(runs), err)
	}
}

// sameRun holds the copy of src's run id in dst (found by its start) to
// the original, ids aside.
func sameRun(t *testing.T, src, dst *DB, id int64) {
	t.Helper()
	ctx := t.Context()
	a := load(t, src, fmt.Sprint(id))
	var b *RunData
	runs, err := dst.Runs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		if r.StartedAt.Equal(a.Run.StartedAt) {
			b = load(t, dst, fmt.Sprint(r.ID))
		}
	}
	if b == nil {
		t.Fatalf("run %d not in the copy", id)
	}
	ra, rb := a.Run, b.Run
	ra.ID, rb.ID = 0, 0
	if !reflect.DeepEqual(ra, rb) {
		t.Errorf("run %d:\n got %+v\nwant %+v", id, rb, ra)
	}
	if len(a.Pages) != len(b.Pages) || len(a.Findings) != len(b.Findings) {
		t.Fatalf("run %d: %d pages, %d findings; want %d, %d", id, len(b.Pages), len(b.Findings), len(a.Pages), len(a.Findings))
	}
	for i := range a.Pages {
		pa, pb := a.Pages[i], b.Pages[i]
		shotA, errA := src.Screenshot(ctx, pa.ID)
		shotB, errB := dst.Screenshot(ctx, pb.ID)
		fullA, hA, _ := src.FullScreenshot(ctx, pa.ID)
		fullB, hB, _ := dst.FullScreenshot(ctx, pb.ID)
		resA, _ := src.Resources(ctx, pa.ID)
		resB, _ := dst.Resources(ctx, pb.ID)
		pa.ID, pb.ID = 0, 0
		if !reflect.DeepEqual(pa, pb) {
			t.Errorf("run %d page %d:\n got %+v\nwant %+v", id, i, pb, pa)
		}
		if errA != nil || errB != nil || !reflect.DeepEqual(shotA, shotB) || hA != hB || !reflect.DeepEqual(fullA, fullB) {
			t.Errorf("run %d page %d: screenshots differ (%v, %v)", id, i, errA, errB)
		}
		if !reflect.DeepEqual(resA, resB) {
			t.Errorf("run %d page %d: requests\n got %+v\nwant %+v", id, i, resB, resA)
		}
	}
	if !reflect.DeepEqual(a.Findings, b.Findings) {
		t.Errorf("run %d: findings differ:\n got %+v\nwant %+v", id, b.Findings, a.Findings)
	}
	imA, errA := src.EvidenceImages(ctx, a.Run.ID)
	imB, errB := dst.EvidenceImages(ctx, b.Run.ID)
	if errA != nil || errB != nil || !reflect.DeepEqual(imA, imB) {
		t.Errorf("run %d: evidence pictures differ (%d, %d; %v %v)", id, len(imB), len(imA), errA, errB)
	}
}

// TestCopyRowsBatches: copyRows's multi-row inserts cut at their row,
// parameter and byte bounds without losing, doubling or reordering a row,
// and count only the rows the destination took.
func TestCopyRowsBatches(t *testing.T) {
	ctx := t.Context()
	src, _ := openTemp(t)
	dst, _ := openTemp(t)
	const n = 1234
	want := map[string]string{}
	err := src.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for i := range n {
			result := fmt.Sprintf("r%d", i)
			if i%300 == 7 { // a few rows past the byte bound on their own
				result = strings.Repeat("字", copyBatchBytes/3+i)
			}
			k := fmt.Sprintf("k%05d", i)
			want[k] = result
			if _, err := tx.ExecContext(ctx, "INSERT INTO ocr_cache (key, result, created_at) VALUES (?, ?, ?)", k, result, "t"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for round, wantN := range []int64{n, 0} { // the second copies nothing twice
		var got int64
		err := dst.inTx(ctx, func(ctx context.Context, tx *sql.Tx) (err error) {
			got, err = copyRows(ctx, src.sql, tx, "SELECT key, result, created_at FROM ocr_cache ORDER BY key",
				"ocr_cache", "ON CONFLICT (key) DO NOTHING", nil)
			return err
		})
		if err != nil || got != wantN {
			t.Fatalf("copy %d: %d rows, %v; want %d", round, got, err, wantN)
		}
	}
	rows, err := dst.sql.QueryContext(ctx, "SELECT key, result FROM ocr_cache")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var k, r string
		if err := rows.Scan(&k, &r); err != nil {
			t.Fatal(err)
		}
		if want[k] != r {
			t.Errorf("row %s: %d bytes, want %d", k, len(r), len(want[k]))
		}
		seen++
	}
	if seen != n {
		t.Errorf("%d rows copied, want %d", seen, n)
	}
}
