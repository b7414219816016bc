package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/storecheck/storecheck/crawler/rodrender"
)

// browserPath is the Chromium the end-to-end tests drive; "" when none.
var browserPath string

// TestMain finds the browser and pins the locale. The site sweeps
// (TestFixtures, TestDemoShop, TestMessyShop, TestPreflight,
// TestConfirmedPerfVerdicts, TestDiffDemo; not TestHostile, which sets
// the environment) run in parallel, two at a time (-parallel is
// GOMAXPROCS): a sweep spends much of its time waiting on settles and held
// pages, and the suite must pass beside two busy loops
// (scripts/test-under-load.sh), more load than a second sweep adds. Their
// perf fixtures keep margins load cannot cross, perf verdicts are
// confirmed by loading the page again alone, and TestDiffDemo holds only
// a 2 s slowdown to a diff.
func TestMain(m *testing.M) {
	if p, err := rodrender.FindBrowser(""); err == nil {
		browserPath = p
	} else if os.Getenv("CI") == "true" {
		// In CI a missing browser fails the run; it never skips silently.
		fmt.Fprintln(os.Stderr, "CI=true but no browser:", err)
		os.Exit(1)
	}
	// The fixtures' /ocr/ pages need tesseract (chi_sim + eng); without it
	// a sweep only warns, so in CI its absence fails the run here, by name.
	if _, err := exec.LookPath("tesseract"); err != nil && os.Getenv("CI") == "true" {
		fmt.Fprintln(os.Stderr, "CI=true but no tesseract (scripts/ensure-deps.sh installs it):", err)
		os.Exit(1)
	}
	// Commands speak the locale's language when --lang is not given: the
	// tests read English whatever the machine's locale, unless they say.
	for _, k := range []string{"LC_ALL", "LC_MESSAGES"} {
		os.Unsetenv(k)
	}
	os.Setenv("LANG", "C.UTF-8")
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// needBrowser skips an end-to-end test when no Chromium is installed
// (outside CI: TestMain fails CI before any test runs).
func needBrowser(t *testing.T) {
	t.Helper()
	if browserPath == "" {
		t.Skip("no Chromium installed: apt-get install chromium")
	}
}

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// binary builds storecheck once per test binary, for tests that need a real
// process to signal or kill.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "storecheck-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "storecheck")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}
