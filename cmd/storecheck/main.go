// Command storecheck sweeps an online storefront in headless Chromium,
// measures every page, runs the quality-inspection checks and keeps every run
// in SQLite so that runs can be compared.
package main

import (
	"context"
	"os"
	"runtime/debug"
)

// softMemoryLimit is the Go heap size past which the collector works harder
// (runtime/debug.SetMemoryLimit), unless GOMEMLIMIT says otherwise. Heap
// profiles of a 240-page sweep showed 58–93 MB in use after a collection,
// nearly all of it snapshots and decoded pictures in flight; with the
// default GOGC alone the heap grew to twice that between collections and
// the process to 225 MB over 1 000 pages (166 MB with this limit).
// A soft limit costs nothing until it is reached and never fails an
// allocation.
const softMemoryLimit = 140 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
	}
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}
