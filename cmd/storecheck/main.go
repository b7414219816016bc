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
// (runtime/debug.SetMemoryLimit), unless GOMEMLIMIT says otherwise. A sweep
// keeps about 60 MB live (snapshots in flight, decoded pictures, the
// sweep's digests); with the default GOGC alone the heap grew to twice
// that between collections and the process to 225 MB over 1 000 pages.
// A soft limit costs nothing until it is reached and never fails an
// allocation.
const softMemoryLimit = 140 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
	}
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}
