package main

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/storecheck/storecheck/internal/benchshop"
	"github.com/storecheck/storecheck/storage"
)

// A sweep killed with SIGKILL, or stopped with SIGINT/SIGTERM, keeps every
// page it finished with its findings, reads as interrupted, and leaves no
// browser behind.
func TestSweepStopped(t *testing.T) {
	needBrowser(t)
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := binary(t)
	shop := benchshop.New(60, 200)
	shop.JSErrorEvery = 3
	srv := httptest.NewServer(shop)
	t.Cleanup(srv.Close) // after the parallel subtests, which a defer would not wait for

	tests := []struct {
		name     string
		sig      syscall.Signal
		wantExit int // -1: killed, no exit code
	}{
		{"kill -9", syscall.SIGKILL, -1},
		{"ctrl-c", syscall.SIGINT, 130},
		{"sigterm", syscall.SIGTERM, 143},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Each stop has its own process, browser profile and database,
			// and every wait below is on an event, so the three run at once.
			t.Parallel()
			dir := t.TempDir()
			tmp := filepath.Join(dir, "tmp") // the browser's profile lands here
			os.Mkdir(tmp, 0o755)
			dbPath := filepath.Join(dir, "run.db")
			cmd, exited, stderr := startSweepProcess(t, bin, dir, tmp, srv.URL+"/", "--db", dbPath, "--max-pages", "60")

			// Wait until a few pages are committed, one of them a page with
			// a planted error (which pages come first depends on the
			// machine: two pages render at once), then stop it mid-sweep.
			stored := waitForPages(t, dbPath, 4, exited, func(url string) bool { return jsErrorPage(srv.URL, url) })
			cmd.Process.Signal(tt.sig)
			var code int
			select {
			case err := <-exited:
				var ee *exec.ExitError
				if errors.As(err, &ee) {
					code = ee.ExitCode()
				}
			case <-time.After(60 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("sweep did not stop on %v; stderr:\n%s", tt.sig, stderr.String())
			}
			if code != tt.wantExit {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tt.wantExit, stderr.String())
			}

			db, err := storage.Open(context.Background(), dbPath)
			if err != nil {
				t.Fatalf("DB does not open after %v: %v", tt.sig, err)
			}
			defer db.Close()
			if tt.sig == syscall.SIGKILL {
				// Nobody marked the run: it must read interrupted once its
				// heartbeat is stale.
				db.StaleAfter = time.Second
				time.Sleep(1500 * time.Millisecond)
			}
			data, err := db.LoadRun(context.Background(), "latest")
			if err != nil {
				t.Fatal(err)
			}
			if data.Run.Status != storage.StatusInterrupted {
				t.Errorf("run status %q, want interrupted", data.Run.Status)
			}
			if len(data.Pages) < stored || len(data.Pages) >= 60 {
				t.Errorf("%d pages kept, want at least the %d seen before the signal and fewer than 60", len(data.Pages), stored)
			}
			// Every product page with a planted error that was kept has its finding.
			errPages := map[string]bool{}
			for _, f := range data.Findings {
				if f.Rule == "page.js-error" {
					errPages[f.URL] = true
				}
			}
			for _, p := range data.Pages {
				if jsErrorPage(srv.URL, p.URL) && !errPages[p.URL] {
					t.Errorf("page %s kept without its page.js-error finding", p.URL)
				}
			}
			if len(errPages) == 0 {
				t.Errorf("no page.js-error finding kept among %d pages", len(data.Pages))
			}
			waitNoBrowser(t, tmp)
		})
	}
}

// startSweepProcess starts `bin sweep ARGS` in dir, desktop, at
// concurrency 2, with the browser's profile under tmp, and returns the
// process, its exit (sent once) and its stderr.
func startSweepProcess(t *testing.T, bin, dir, tmp string, args ...string) (*exec.Cmd, chan error, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(bin, append(append([]string{"sweep"}, args...),
		"--viewport", "desktop", "--concurrency", "2", "--settle", "100ms", "--quiet")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "STORECHECK_BROWSER="+browserPath)
	stderr := new(strings.Builder)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	return cmd, exited, stderr
}

// jsErrorPage reports whether url is a product page of the bench shop at
// base with a planted script error (JSErrorEvery = 3).
func jsErrorPage(base, url string) bool {
	var id int
	_, err := fmt.Sscanf(url, base+"/p/%d.html", &id)
	return err == nil && id%3 == 0
}

// waitForPages polls the database until the latest run has n pages, one of
// them a page whose URL wanted accepts.
func waitForPages(t *testing.T, dbPath string, n int, exited chan error, wanted func(url string) bool) int {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("sweep ended before it was stopped: %v", err)
		default:
		}
		if _, err := os.Stat(dbPath); err == nil {
			if db, err := storage.Open(context.Background(), dbPath); err == nil {
				data, err := db.LoadRun(context.Background(), "latest")
				db.Close()
				if err == nil && len(data.Pages) >= n && slices.ContainsFunc(data.Pages, func(p storage.PageRow) bool { return wanted(p.URL) }) {
					return len(data.Pages)
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("fewer than %d pages, or none of the wanted ones, stored after 90 s", n)
	return 0
}

// waitNoBrowser fails unless every browser process whose profile lives under
// tmp is gone within a few seconds.
func waitNoBrowser(t *testing.T, tmp string) {
	t.Helper()
	var left []string
	for i := 0; i < 50; i++ {
		left = processesMentioning(tmp)
		if len(left) == 0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("browser processes left behind: %v", left)
}

// processesMentioning lists the command lines of running processes that
// contain s.
func processesMentioning(s string) []string {
	var out []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || len(b) == 0 {
			continue
		}
		cmdline := strings.ReplaceAll(string(b), "\x00", " ")
		if strings.Contains(cmdline, s) {
			if stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat")); err == nil && strings.Contains(string(stat), ") Z ") {
				continue // a zombie holds nothing
			}
			out = append(out, e.Name()+": "+cmdline)
		}
	}
	return out
}
