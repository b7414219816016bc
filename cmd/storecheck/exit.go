package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/storage"
)

// Exit codes of the contract.
const (
	exitOK       = 0
	exitFindings = 1 // sweep: findings at/above --fail-on; diff: new findings
	exitUsage    = 2 // usage or config error
	exitCannot   = 3 // cannot run: no browser, DB unusable, run not found, …
)

// usageError is a bad flag, argument or config value.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// errFindings means the sweep ran and found what --fail-on fails on.
var errFindings = errors.New("findings at or above --fail-on")

// signalError means a command stopped on SIGINT or SIGTERM. main cancels
// the root context with it as the cause (withSignals); a sweep returns the
// cause as its error.
type signalError struct{ sig syscall.Signal }

func (e signalError) Error() string { return "interrupted by " + e.sig.String() }

// Signal returns the signal; the sweep package names it in its log through
// this method, without knowing this type.
func (e signalError) Signal() os.Signal { return e.sig }

// signalled returns err, or the signal that stopped the command when err is
// the echo of the root context's cancellation ("context canceled" from a
// read or a render), so that a command stopped by a signal exits 128+signal
// like a sweep does.
func signalled(ctx context.Context, err error) error {
	var se signalError
	if err != nil && errors.Is(err, context.Canceled) && errors.As(context.Cause(ctx), &se) {
		return se
	}
	return err
}

// exitCode maps an error to the contract's exit code. It is the one place
// that decides exit codes.
func exitCode(err error) int {
	var (
		ue usageError
		ce *config.Error
		se signalError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &se):
		return 128 + int(se.sig)
	case errors.Is(err, errFindings):
		return exitFindings
	case errors.As(err, &ue), errors.As(err, &ce):
		return exitUsage
	case errors.Is(err, crawler.ErrNoBrowser),
		errors.Is(err, crawler.ErrBrowserDied),
		errors.Is(err, crawler.ErrStartFailed),
		errors.Is(err, storage.ErrUnusable),
		errors.Is(err, storage.ErrRunNotFound):
		return exitCannot
	}
	return exitCannot
}

// finish prints err (if any) to stderr and returns the exit code.
func finish(stderr io.Writer, err error) int {
	code := exitCode(err)
	if err != nil && !errors.Is(err, errFindings) {
		fmt.Fprintf(stderr, "storecheck: %v\n", err)
	}
	return code
}
