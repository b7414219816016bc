package main

// Measurement helpers of the sweep benchmarks: storecheck runs as a real
// process, so its memory and its browser's are read from /proc the way an
// operator would see them, not from the Go runtime's own counters.

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// benchProcStats is what benchSample saw of a process and its descendants.
// Sizes are in KiB, as /proc reports them.
type benchProcStats struct {
	// PeakRSS is the root's peak resident set: the largest of its VmHWM (the
	// kernel's own high-water mark) and VmRSS over the samples. A peak in
	// the last interval before exit can be missed.
	PeakRSS int64
	// PeakTreePSS is the largest sum, over one sample, of the proportional
	// set size of every descendant of the root (not the root itself): the
	// browser's process tree, shared pages split among their users.
	PeakTreePSS int64
	// MaxProcs is the most descendants seen in one sample.
	MaxProcs int
	// RSS is the root's VmRSS at every sample, oldest first.
	RSS []benchRSSPoint
}

// benchRSSPoint is one sample of the root's resident set.
type benchRSSPoint struct {
	At  time.Duration // since sampling started
	RSS int64         // KiB
}

// benchSample samples process pid and its descendants every interval until
// ctx ends or the process is gone, then sends what it saw and closes the
// channel. Processes that vanish between listing and reading are skipped:
// a browser starts and ends renderers all the time.
func benchSample(ctx context.Context, pid int, every time.Duration) <-chan benchProcStats {
	out := make(chan benchProcStats, 1)
	go func() {
		defer close(out)
		var st benchProcStats
		t0 := time.Now()
		tick := time.NewTicker(every)
		defer tick.Stop()
		for benchSampleOnce(pid, time.Since(t0), &st) {
			select {
			case <-ctx.Done():
				out <- st
				return
			case <-tick.C:
			}
		}
		out <- st
	}()
	return out
}

// benchSampleOnce adds one sample to st; false when pid is gone.
func benchSampleOnce(pid int, at time.Duration, st *benchProcStats) bool {
	status, err := benchStatusKB(pid, "VmRSS", "VmHWM")
	if err != nil || status["VmRSS"] == 0 {
		return false // exited, or a zombie waiting to be reaped
	}
	st.RSS = append(st.RSS, benchRSSPoint{At: at, RSS: status["VmRSS"]})
	st.PeakRSS = max(st.PeakRSS, status["VmRSS"], status["VmHWM"])
	desc := benchDescendants(pid)
	var pss int64
	for _, d := range desc {
		pss += benchPSS(d)
	}
	st.PeakTreePSS = max(st.PeakTreePSS, pss)
	st.MaxProcs = max(st.MaxProcs, len(desc))
	return true
}

// benchStatusKB reads the named "Key: N kB" lines of /proc/PID/status.
func benchStatusKB(pid int, keys ...string) (map[string]int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, fmt.Errorf("read status of %d: %w", pid, err)
	}
	return benchKBFields(data, keys...), nil
}

// benchPSS is the proportional set size of pid in KiB, from smaps_rollup
// (one line, so reading it does not walk every mapping in Go); 0 when the
// process is gone or unreadable.
func benchPSS(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0
	}
	return benchKBFields(data, "Pss")["Pss"]
}

// benchKBFields picks "Key:   123 kB" lines out of a /proc file.
func benchKBFields(data []byte, keys ...string) map[string]int64 {
	out := map[string]int64{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		for _, want := range keys {
			if k == want {
				f := strings.Fields(v)
				if len(f) > 0 {
					out[k], _ = strconv.ParseInt(f[0], 10, 64)
				}
			}
		}
	}
	return out
}

// benchDescendants lists every live descendant of root by walking the
// parent links of /proc/*/stat. Chromium's renderers are children of its
// zygote, the zygote of the browser, the browser of rod's leakless guard,
// and that of storecheck, so they all hang under the sweep's process.
func benchDescendants(root int) []int {
	children := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid, ok := benchParent(pid); ok {
			children[ppid] = append(children[ppid], pid)
		}
	}
	var out []int
	queue := []int{root}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

// benchParent reads pid's parent from /proc/PID/stat; false for a process
// that is gone or a zombie (it holds no memory).
func benchParent(pid int) (int, bool) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name may hold spaces and parentheses: the fields that
	// follow start after its last ")".
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 2 || f[0] == "Z" {
		return 0, false
	}
	ppid, err := strconv.Atoi(f[1])
	return ppid, err == nil
}

// benchBuild builds storecheck into a temporary folder of tb (main_test.go's
// binary helper takes a *testing.T; a benchmark has a *testing.B).
func benchBuild(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "storecheck")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// benchSweepResult is one storecheck sweep run as a process.
type benchSweepResult struct {
	Wall time.Duration // process start to exit, browser launch included
	Proc benchProcStats
	// MaxRSSRusage is wait4's ru_maxrss in KiB: the largest resident set of
	// storecheck or of any descendant it reaped, so it bounds PeakRSS from
	// above rather than equalling it.
	MaxRSSRusage int64
	// CPU is wait4's user+sys time: storecheck's own and that of the
	// descendants it reaped (its browser, tesseract).
	CPU time.Duration
	DB  benchDBStats
}

// benchSampleEvery is the sampling interval of the sweep benchmarks.
const benchSampleEvery = 200 * time.Millisecond

// benchRunSweep runs `storecheck sweep` over start with the configuration
// file cfg, in the desktop viewport, sampling its memory and its browser's,
// and measures the database it leaves. Exit 0 and exit 1 (findings) are
// both a sweep.
func benchRunSweep(tb testing.TB, bin, cfg, start string, conc, pages int) benchSweepResult {
	tb.Helper()
	return benchRunSweepInto(tb, bin, cfg, start, conc, pages, filepath.Join(tb.TempDir(), "bench.db"))
}

// benchRunSweepInto is benchRunSweep into the database db, which may hold
// earlier runs (their caches too).
func benchRunSweepInto(tb testing.TB, bin, cfg, start string, conc, pages int, db string) benchSweepResult {
	tb.Helper()
	dir := tb.TempDir()
	tmp := filepath.Join(dir, "tmp") // the browser's profile lands here
	if err := os.Mkdir(tmp, 0o755); err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(bin, "sweep", start, "--config", cfg, "--db", db, "--browser", browserPath,
		"--viewport", "desktop", "--concurrency", strconv.Itoa(conc), "--max-pages", strconv.Itoa(pages),
		"--now", benchNow, "--quiet")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	var stderr bytes.Buffer
	cmd.Stdout = io.Discard
	cmd.Stderr = &stderr
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start sweep: %v", err)
	}
	ctx, stop := context.WithCancel(context.Background())
	samples := benchSample(ctx, cmd.Process.Pid, benchSampleEvery)
	err := cmd.Wait()
	wall := time.Since(t0)
	stop()
	res := benchSweepResult{Wall: wall, Proc: <-samples}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.MaxRSSRusage = ru.Maxrss
	}
	res.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == exitFindings) {
		tb.Fatalf("sweep at concurrency %d: %v\n%s", conc, err, stderr.String())
	}
	res.DB = benchMeasureDB(tb, db)
	return res
}

// benchDBStats is what a sweep left in its database.
type benchDBStats struct {
	Visits int           // page rows of the run
	Run    time.Duration // the run's started_at to finished_at: browser up to run finished
	Bytes  int64         // the database file as the sweep left it
	// NoShots is the file's size once the viewport and full-page
	// screenshots are deleted and the file vacuumed. Evidence images stay:
	// they belong to findings, as the JSON of a finding does.
	NoShots int64
	// Shots, FullShots and Evidence are the stored JPEG bytes of the
	// viewport screenshots (one per visit), the full-page screenshots (kept
	// only for visits with a finding about a region) and the findings'
	// evidence pictures, each distinct picture counted once as it is stored.
	Shots, FullShots, Evidence int64
	Findings                   map[string]int // by rule
	OCR                        benchOCRStats
}

// benchOCRStats is what the sweep's OCR step left in the database: its
// counts summed over the visits, and the results it cached.
type benchOCRStats struct {
	// Visits are the visits with OCR counts: 0 when pictures were not read.
	Visits int
	// Read to Failed are the visits' OCR counts summed (storage.OCRCounts).
	Read, Cached, SkippedSmall, SkippedLarge, SkippedLimit, Failed int
	// Results are the pictures in the OCR cache; Sent those of them the
	// detector sent to tesseract (with regions), Lines the lines read.
	Results, Sent, Lines int
}

// benchMeasureDB reads the one run of the database at path, and measures a
// copy of it without screenshots.
func benchMeasureDB(tb testing.TB, path string) benchDBStats {
	tb.Helper()
	var st benchDBStats
	fi, err := os.Stat(path)
	if err != nil {
		tb.Fatalf("sweep left no database: %v", err)
	}
	st.Bytes = fi.Size()
	cp := filepath.Join(tb.TempDir(), "noshots.db")
	if err := benchCopyFile(path, cp); err != nil {
		tb.Fatal(err)
	}
	db, err := sql.Open("sqlite", cp+"?_pragma=busy_timeout(5000)")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // VACUUM wants the only connection
	if err := benchReadRun(db, &st); err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	for _, q := range []string{"DELETE FROM screenshots", "DELETE FROM full_screenshots",
		"DELETE FROM blobs WHERE hash NOT IN (SELECT blob_hash FROM evidence_images)", "VACUUM"} {
		if _, err := db.Exec(q); err != nil {
			tb.Fatalf("%s on a copy of %s: %v", q, path, err)
		}
	}
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
	fi, err = os.Stat(cp)
	if err != nil {
		tb.Fatal(err)
	}
	st.NoShots = fi.Size()
	return st
}

// benchReadRun fills st's counts from the database's latest run.
func benchReadRun(db *sql.DB, st *benchDBStats) error {
	var started, finished sql.NullString
	err := db.QueryRow("SELECT started_at, finished_at, pages FROM runs ORDER BY id DESC LIMIT 1").
		Scan(&started, &finished, &st.Visits)
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	t0, err1 := time.Parse(time.RFC3339Nano, started.String)
	t1, err2 := time.Parse(time.RFC3339Nano, finished.String)
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("run times: %w", err)
	}
	st.Run = t1.Sub(t0)
	for q, dst := range map[string]*int64{
		"SELECT COALESCE(SUM(size), 0) FROM blobs WHERE hash IN (SELECT blob_hash FROM screenshots)":      &st.Shots,
		"SELECT COALESCE(SUM(size), 0) FROM blobs WHERE hash IN (SELECT blob_hash FROM full_screenshots)": &st.FullShots,
		"SELECT COALESCE(SUM(size), 0) FROM blobs WHERE hash IN (SELECT blob_hash FROM evidence_images)":  &st.Evidence,
	} {
		if err := db.QueryRow(q).Scan(dst); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	o := &st.OCR
	err = db.QueryRow(`SELECT COUNT(ocr), COALESCE(SUM(ocr->>'$.read'), 0), COALESCE(SUM(ocr->>'$.cached'), 0),
		COALESCE(SUM(ocr->>'$.skipped_small'), 0), COALESCE(SUM(ocr->>'$.skipped_large'), 0),
		COALESCE(SUM(ocr->>'$.skipped_limit'), 0), COALESCE(SUM(ocr->>'$.failed'), 0) FROM pages`).
		Scan(&o.Visits, &o.Read, &o.Cached, &o.SkippedSmall, &o.SkippedLarge, &o.SkippedLimit, &o.Failed)
	if err != nil {
		return fmt.Errorf("ocr counts: %w", err)
	}
	err = db.QueryRow(`SELECT COUNT(*), COALESCE(SUM(json_array_length(result, '$.regions') > 0), 0),
		COALESCE(SUM(json_array_length(result, '$.lines')), 0) FROM ocr_cache`).Scan(&o.Results, &o.Sent, &o.Lines)
	if err != nil {
		return fmt.Errorf("ocr cache: %w", err)
	}
	rows, err := db.Query("SELECT rule, COUNT(*) FROM findings GROUP BY rule ORDER BY rule")
	if err != nil {
		return fmt.Errorf("findings: %w", err)
	}
	defer rows.Close()
	st.Findings = map[string]int{}
	for rows.Next() {
		var rule string
		var n int
		if err := rows.Scan(&rule, &n); err != nil {
			return fmt.Errorf("findings: %w", err)
		}
		st.Findings[rule] = n
	}
	return rows.Err()
}

// benchCopyFile copies a closed SQLite database, with its WAL when one was
// left behind, so the copy holds every committed page.
func benchCopyFile(src, dst string) error {
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(src + suffix)
		if suffix != "" && errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("copy database: %w", err)
		}
		if err := os.WriteFile(dst+suffix, data, 0o644); err != nil {
			return fmt.Errorf("copy database: %w", err)
		}
	}
	return nil
}

// The sampler sees a process's resident set, finds its grandchild, and
// sums a nonzero PSS over its descendants; no browser involved.
func TestBenchProcSampler(t *testing.T) {
	if _, err := os.Stat("/proc/self/smaps_rollup"); err != nil {
		t.Skip("no /proc/PID/smaps_rollup on this system")
	}
	// sh starts a background sleep and waits in another; the background one
	// is sh's child whether or not sh execs the last command itself.
	cmd := exec.Command("sh", "-c", "sleep 2 & sleep 2; wait")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // so the whole group can be killed
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	st := <-benchSample(ctx, cmd.Process.Pid, 50*time.Millisecond)

	t.Logf("peak RSS %d KiB, tree PSS %d KiB over %d descendants, %d samples", st.PeakRSS, st.PeakTreePSS, st.MaxProcs, len(st.RSS))
	if st.PeakRSS <= 0 {
		t.Errorf("peak RSS %d KiB, want > 0", st.PeakRSS)
	}
	if st.MaxProcs < 1 {
		t.Errorf("%d descendants seen, want at least the background sleep", st.MaxProcs)
	}
	if st.PeakTreePSS <= 0 {
		t.Errorf("peak tree PSS %d KiB, want > 0", st.PeakTreePSS)
	}
	if len(st.RSS) < 3 {
		t.Errorf("%d samples in 500 ms at 50 ms, want several", len(st.RSS))
	}
	// A process that is gone ends the sampling at once.
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	cmd.Wait()
	done := benchSample(context.Background(), cmd.Process.Pid, 50*time.Millisecond)
	select {
	case st := <-done:
		if len(st.RSS) != 0 {
			t.Errorf("%d samples of a reaped process", len(st.RSS))
		}
	case <-time.After(time.Second):
		t.Error("sampling a gone process did not stop")
	}
}
