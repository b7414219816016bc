package ocr

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeEngine writes a shell script that answers --version and
// --list-langs like tesseract 5.3.0 with chi_sim and eng and runs body for
// anything else; the failure paths need an engine
// that hangs or crashes on demand.
func fakeEngine(t *testing.T, body string) *Engine {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tesseract")
	script := "#!/bin/sh\n" +
		"if [ \"$1\" = --version ]; then echo 'tesseract 5.3.0'; exit 0; fi\n" +
		"if [ \"$1\" = --list-langs ]; then echo 'List of available languages (2):'; echo chi_sim; echo eng; exit 0; fi\n" +
		body + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	e, err := Find(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestReadEngineFailure: a picture that hangs or crashes the engine is an
// error the caller skips, within the per-picture timeout.
func TestReadEngineFailure(t *testing.T) {
	pic := fixture(t, "banner-phone.png")
	for _, tc := range []struct {
		name, body string
		timeout    time.Duration
		want       string
	}{
		// An engine that was not killed at the timeout would hold Read for
		// ten minutes: into the suite's -timeout, not a late pass.
		{"hangs", "exec sleep 600", time.Second, "deadline exceeded"},
		// A timeout the crash comes well within, even under -race on a
		// loaded machine.
		{"crashes", "cat >/dev/null; echo 'Segmentation fault' >&2; exit 139", 20 * time.Second, "exit status 139"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader(fakeEngine(t, tc.body), Options{Timeout: tc.timeout}, nil)
			res, _, err := r.Read(context.Background(), pic)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Read = %+v, %v; want an error with %q", res, err, tc.want)
			}
		})
	}
}

// TestReadNoTextRunsNoEngine: a text-free photo costs the detector only;
// an engine that always crashes proves it never ran.
func TestReadNoTextRunsNoEngine(t *testing.T) {
	r := NewReader(fakeEngine(t, "exit 139"), Options{}, nil)
	for _, name := range []string{"photo-fabric.jpg", "photo-wood-grain.jpg", "photo-tin.jpg"} {
		res, _, err := r.Read(context.Background(), fixture(t, name))
		if err != nil || len(res.Regions) != 0 || len(res.Lines) != 0 {
			t.Errorf("%s: Read = %+v, %v; want nothing read and no engine run", name, res, err)
		}
	}
}

// TestReadTooLarge: a picture over MaxPixels is refused from its header.
func TestReadTooLarge(t *testing.T) {
	r := NewReader(fakeEngine(t, "exit 139"), Options{MaxPixels: 100_000}, nil)
	_, _, err := r.Read(context.Background(), fixture(t, "banner-phone.png")) // 750×200
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Read = %v, want ErrTooLarge", err)
	}
}

// TestReadPoolBound: no more engine processes at once than Workers. The
// fake engine records how many copies run beside it.
func TestReadPoolBound(t *testing.T) {
	dir := t.TempDir()
	body := `cat >/dev/null
touch "` + dir + `/run.$$"
ls "` + dir + `" | grep -c '^run\.' >> "` + dir + `/seen"
sleep 0.2
rm -f "` + dir + `/run.$$"`
	r := NewReader(fakeEngine(t, body), Options{Workers: 2}, nil)
	pic := fixture(t, "banner-phone.png")
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := r.Read(context.Background(), pic); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	seen, err := os.ReadFile(filepath.Join(dir, "seen"))
	if err != nil {
		t.Fatal(err)
	}
	runs := strings.Fields(string(seen))
	// Two runs a picture: the fake engine reads nothing, so every line's
	// region is unsure and read again (rowLangs).
	if len(runs) != 12 {
		t.Fatalf("engine ran %d times, want 12", len(runs))
	}
	for _, s := range runs {
		if n, _ := strconv.Atoi(s); n > 2 {
			t.Errorf("%d engine processes at once, want ≤ 2 (Workers)", n)
		}
	}
}

// TestMapBack: words read from the montage land in the picture's pixels,
// through a scaled horizontal slot and through a column's glyph cells.
func TestMapBack(t *testing.T) {
	slots := []slot{
		{At: image.Rect(32, 32, 232, 82), Src: image.Rect(100, 50, 200, 75), Scale: 2},
		{At: image.Rect(32, 114, 152, 154), Src: image.Rect(600, 20, 640, 140), Scale: 1,
			CellsAt:  []image.Rectangle{image.Rect(32, 114, 72, 154), image.Rect(80, 114, 120, 154), image.Rect(128, 114, 152, 154)},
			CellsSrc: []image.Rectangle{image.Rect(600, 20, 640, 60), image.Rect(600, 60, 640, 100), image.Rect(600, 100, 640, 140)}},
	}
	lines := []Line{
		{Words: []Word{{Text: "到", Box: image.Rect(42, 40, 82, 76), Conf: 90}, {Text: "Y44.9", Box: image.Rect(90, 40, 170, 76), Conf: 80}}},
		// One engine line across both slots is two lines.
		{Words: []Word{{Text: "春", Box: image.Rect(34, 116, 70, 152), Conf: 95}, {Text: "茶", Box: image.Rect(82, 116, 118, 152), Conf: 93}, {Text: "x", Box: image.Rect(400, 400, 410, 410)}}},
	}
	got := mapBack(lines, slots)
	want := []struct {
		text string
		box  image.Rectangle
	}{
		{"春茶", image.Rect(600, 20, 640, 100)},
		{"到¥44.9", image.Rect(105, 54, 169, 72)},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d lines %+v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		if got[i].Text != w.text || got[i].Box != w.box {
			t.Errorf("line %d = %q %v, want %q %v", i, got[i].Text, got[i].Box, w.text, w.box)
		}
	}
}

// TestFindVertical: Find notes the vertical model when the engine lists
// it, and the cache key changes with it.
func TestFindVertical(t *testing.T) {
	for _, tc := range []struct {
		langs string
		want  string
	}{
		{"chi_sim\\neng", ""},
		{"chi_sim\\nchi_sim_vert\\neng", "chi_sim_vert"},
	} {
		path := filepath.Join(t.TempDir(), "tesseract")
		script := "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'tesseract 5.3.0'; exit 0; fi\n" +
			"printf 'List of available languages (3):\\n" + tc.langs + "\\n'\n"
		if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		e, err := Find(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		if e.Vertical != tc.want {
			t.Errorf("langs %q: Vertical = %q, want %q", tc.langs, e.Vertical, tc.want)
		}
		key := NewReader(e, Options{}, nil).Key([]byte("x"))
		if strings.HasSuffix(key, "|chi_sim_vert") != (tc.want != "") {
			t.Errorf("langs %q: key %q", tc.langs, key)
		}
	}
}

// TestReadAllFallsBack: when the engine fails a run over several pictures,
// each is read alone, so one bad picture cannot fail its companions. The
// fake engine crashes on any run given more than one picture.
func TestReadAllFallsBack(t *testing.T) {
	body := `n=$(grep -c . -)
if [ "$n" -gt 1 ]; then echo 'Segmentation fault' >&2; exit 139; fi`
	r := NewReader(fakeEngine(t, body), Options{}, nil)
	outs := r.ReadAll(context.Background(), [][]byte{fixture(t, "banner-phone.png"), fixture(t, "card-price-199.jpg")})
	for i, o := range outs {
		if o.Err != nil {
			t.Errorf("picture %d: %v; want it read alone after the batch failed", i, o.Err)
		}
	}
}

// TestReadAllBatches: ReadAll reads its pictures in as few engine runs as
// Options.BatchPixels allows. The fake engine reads nothing, so each batch
// takes two runs (its lines, then the same lines again as unsure).
func TestReadAllBatches(t *testing.T) {
	dir := t.TempDir()
	pics := [][]byte{fixture(t, "banner-phone.png"), fixture(t, "banner-invalid-date.png"), fixture(t, "banner-tiny-print.png")} // 750×200, 750×240, 750×120
	for _, tc := range []struct {
		batch int
		runs  int
	}{
		{0, 2},       // the default holds all three
		{400_000, 4}, // 150 000 + 180 000, then 90 000
		{100_000, 6}, // one each: every picture is over the bound alone
	} {
		os.Remove(filepath.Join(dir, "runs"))
		r := NewReader(fakeEngine(t, "cat >/dev/null; echo run >> "+dir+"/runs"), Options{BatchPixels: tc.batch}, nil)
		for i, o := range r.ReadAll(context.Background(), pics) {
			if o.Err != nil {
				t.Fatalf("BatchPixels %d, picture %d: %v", tc.batch, i, o.Err)
			}
		}
		b, _ := os.ReadFile(filepath.Join(dir, "runs"))
		if n := strings.Count(string(b), "run"); n != tc.runs {
			t.Errorf("BatchPixels %d: %d engine runs, want %d", tc.batch, n, tc.runs)
		}
	}
}

// TestReadAllAsAlone: the real engine reads pictures in one batch as it
// reads each alone, in fewer runs: one per step (lines, lines read again,
// columns) for the batch, not per picture.
func TestReadAllAsAlone(t *testing.T) {
	real := needEngine(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "tesseract")
	script := "#!/bin/sh\ncase \"$1\" in --version|--list-langs) ;; *) echo run >> " + dir + "/runs;; esac\nexec " + real.Path + " \"$@\"\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	e, err := Find(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	runs := func() int {
		b, _ := os.ReadFile(filepath.Join(dir, "runs"))
		defer os.Remove(filepath.Join(dir, "runs"))
		return strings.Count(string(b), "run")
	}
	// Lines read sure and unsure, and a column.
	names := []string{"banner-phone.png", "card-price-199.jpg", "banner-vertical-clean.jpg", "photo-tin.jpg"}
	var pics [][]byte
	for _, n := range names {
		pics = append(pics, fixture(t, n))
	}
	r := NewReader(e, Options{}, nil)
	outs := r.ReadAll(context.Background(), pics)
	batchRuns := runs()
	aloneRuns := 0
	for i, n := range names {
		res, _, err := r.Read(context.Background(), pics[i])
		aloneRuns += runs()
		if err != nil || outs[i].Err != nil {
			t.Fatalf("%s: alone %v, in the batch %v", n, err, outs[i].Err)
		}
		if got, want := lineTexts(outs[i].Result), lineTexts(res); got != want {
			t.Errorf("%s: in the batch %q, alone %q", n, got, want)
		}
		if !slices.Equal(outs[i].Result.Regions, res.Regions) {
			t.Errorf("%s: regions in the batch %v, alone %v", n, outs[i].Result.Regions, res.Regions)
		}
	}
	if batchRuns > 3 || batchRuns >= aloneRuns {
		t.Errorf("the batch took %d engine runs, the pictures alone %d; want ≤ 3 and fewer", batchRuns, aloneRuns)
	}
	t.Logf("engine runs: %d for the batch, %d for the pictures alone", batchRuns, aloneRuns)
}

// lineTexts is a result's lines with their boxes and confidences, one
// string to compare.
func lineTexts(res Result) string {
	var b strings.Builder
	for _, l := range res.Lines {
		fmt.Fprintf(&b, "%s %v", l.Text, l.Box)
		for _, w := range l.Words {
			fmt.Fprintf(&b, " %.1f", w.Conf)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestSurerWords: a second read's word replaces the first read's words it
// overlaps only when surer than each of them.
func TestSurerWords(t *testing.T) {
	slots := []slot{{At: image.Rect(0, 0, 300, 50), Src: image.Rect(0, 0, 300, 50), Scale: 1}}
	w := func(text string, x0, x1 int, conf float64) Word {
		return Word{Text: text, Box: image.Rect(x0, 5, x1, 45), Conf: conf}
	}
	first := []Line{{Text: "明前龙井298", Box: image.Rect(0, 5, 250, 45),
		Words: []Word{w("明前", 0, 80, 91), w("龙井", 90, 170, 96), w("298", 180, 250, 0)}}}
	for _, tc := range []struct {
		name   string
		second []Word
		want   string
	}{
		{"surer price", []Word{w("BAB", 0, 80, 39), w("AH", 90, 170, 25), w("¥298", 175, 255, 80)}, "明前龙井¥298"},
		{"less sure everywhere", []Word{w("BAB", 0, 80, 39), w("¥298", 175, 255, 0)}, "明前龙井298"},
		{"overlaps a surer word too", []Word{w("X298", 85, 255, 50)}, "明前龙井298"},
		{"overlaps nothing", []Word{w("¥", 260, 290, 99)}, "明前龙井298"},
	} {
		second := []Line{{Words: tc.second}}
		got := surerWords(first, slots, 0, second, slots, 0)
		if len(got) != 1 || got[0].Text != tc.want {
			t.Errorf("%s: got %+v, want %q", tc.name, got, tc.want)
		}
		if first[0].Text != "明前龙井298" || first[0].Words[2].Text != "298" {
			t.Fatalf("%s: the first read was changed in place", tc.name)
		}
	}
}

// TestUnsure: a line read unsure is read again; with eng as the second
// language only when its first read shows Latin letters, digits or ¥, or
// when nothing was read in its slot.
func TestUnsure(t *testing.T) {
	slots := []slot{
		{Src: image.Rect(0, 0, 300, 50)},    // Chinese, unsure
		{Src: image.Rect(0, 60, 300, 110)},  // price in digits, unsure
		{Src: image.Rect(0, 120, 300, 170)}, // full-width digits, unsure
		{Src: image.Rect(0, 180, 300, 230)}, // sure
		{Src: image.Rect(0, 240, 300, 290)}, // nothing read
	}
	line := func(slot int, text string, conf float64) Line {
		b := slots[slot].Src.Inset(5)
		return Line{Text: text, Box: b, Words: []Word{{Text: text, Box: b, Conf: conf}}}
	}
	lines := []Line{
		line(0, "茶香四洲", 0),
		line(1, "明前龙井298", 30),
		line(2, "到手价１９９", 45),
		line(3, "NET WT 250g", 95),
	}
	for _, tc := range []struct {
		second string
		want   []int
	}{
		{"eng", []int{1, 2, 4}},
		{"chi_tra+eng", []int{0, 1, 2, 4}},
	} {
		if got := unsure(lines, slots, tc.second); !slices.Equal(got, tc.want) {
			t.Errorf("second read with %s: slots %v read again, want %v", tc.second, got, tc.want)
		}
	}
}

// TestEngineEnv: tesseract runs with one OpenMP thread and glibc's huge
// page heap, whatever the caller's environment says, keeping the caller's
// other tunables and variables.
func TestEngineEnv(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  []string
		want []string
	}{
		{"bare", []string{"PATH=/usr/bin"},
			[]string{"PATH=/usr/bin", "OMP_THREAD_LIMIT=1", "GLIBC_TUNABLES=glibc.malloc.hugetlb=1"}},
		{"caller's tunables and threads", []string{"OMP_THREAD_LIMIT=8", "GLIBC_TUNABLES=glibc.malloc.arena_max=2", "LANG=C"},
			[]string{"LANG=C", "OMP_THREAD_LIMIT=1", "GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"}},
		{"empty tunables", []string{"GLIBC_TUNABLES="},
			[]string{"OMP_THREAD_LIMIT=1", "GLIBC_TUNABLES=glibc.malloc.hugetlb=1"}},
	} {
		if got := engineEnv(tc.env); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
