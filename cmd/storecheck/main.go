// Command storecheck sweeps an online storefront in headless Chromium,
// measures every page, runs the quality-inspection checks and keeps every run
// in SQLite so that runs can be compared.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
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
	ctx, stop := withSignals(context.Background(), os.Exit)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// withSignals is the process's one owner of SIGINT and SIGTERM. The first
// cancels the returned context with a signalError as its cause: a sweep
// stops, keeps its finished pages and marks its run interrupted, and the
// cause sets the exit code (128+signal). A second signal calls exit with
// 128+signal at once, for a user who will not wait for the pages in flight.
// stop ends the watch; the default handling of both signals returns.
func withSignals(parent context.Context, exit func(code int)) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		caught := false
		for {
			select {
			case s := <-sigs:
				sig := s.(syscall.Signal)
				if caught {
					exit(128 + int(sig))
					continue
				}
				caught = true
				cancel(signalError{sig})
			case <-done:
				return
			}
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
}
