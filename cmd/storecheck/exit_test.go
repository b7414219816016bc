package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/storage"
)

// Every error kind maps to the contract's exit code, also when wrapped.
func TestExitCode(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("context: %w", err) }
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"ok", nil, 0},
		{"findings at fail-on", errFindings, 1},
		{"usage", usagef("--format: bad"), 2},
		{"config error", &config.Error{File: "x.yaml", Line: 3, Key: "scope.max_pages", Msg: "bad"}, 2},
		{"wrapped config error", wrap(&config.Error{Key: "--now", Msg: "bad"}), 2},
		{"no browser", wrap(crawler.ErrNoBrowser), 3},
		{"browser died", wrap(crawler.ErrBrowserDied), 3},
		{"start failed", crawler.ErrStartFailed, 3},
		{"db unusable", wrap(storage.ErrUnusable), 3},
		{"run not found", wrap(storage.ErrRunNotFound), 3},
		{"other fault", errors.New("disk full"), 3},
		{"SIGINT", signalError{syscall.SIGINT}, 130},
		{"SIGTERM", signalError{syscall.SIGTERM}, 143},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := exitCode(tt.err); got != tt.want {
				t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}

// A command that ends with the echo of the root context's cancellation
// exits as the signal that cancelled it; other errors, and a cancellation
// without a signal, keep their own code.
func TestSignalled(t *testing.T) {
	byTERM, cancel := context.WithCancelCause(context.Background())
	cancel(signalError{syscall.SIGTERM})
	byTest, cancel2 := context.WithCancel(context.Background())
	cancel2()
	canceled := fmt.Errorf("load run: %w", context.Canceled)
	tests := []struct {
		name string
		ctx  context.Context
		err  error
		want int
	}{
		{"no error", byTERM, nil, 0},
		{"canceled by SIGTERM", byTERM, canceled, 143},
		{"sweep's own signal error", byTERM, signalError{syscall.SIGINT}, 130},
		{"other error after SIGTERM", byTERM, usagef("bad"), 2},
		{"canceled without a signal", byTest, canceled, 3},
		{"canceled, context live", context.Background(), canceled, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := exitCode(signalled(tt.ctx, tt.err)); got != tt.want {
				t.Errorf("exit code %d, want %d", got, tt.want)
			}
		})
	}
}

// The first signal cancels the root context with the signal as its cause
// (exit 128+signal after the run is kept); the second exits at once with
// 128+signal.
func TestSignals(t *testing.T) {
	for _, tt := range []struct {
		first, second syscall.Signal
		wantFirst     int
		wantSecond    int
	}{
		{syscall.SIGINT, syscall.SIGTERM, 130, 143},
		{syscall.SIGTERM, syscall.SIGINT, 143, 130},
	} {
		t.Run(tt.first.String(), func(t *testing.T) {
			exits := make(chan int, 1)
			ctx, stop := withSignals(context.Background(), func(code int) { exits <- code })
			defer stop()
			if err := syscall.Kill(os.Getpid(), tt.first); err != nil {
				t.Fatal(err)
			}
			select {
			case <-ctx.Done():
			case <-time.After(5 * time.Second):
				t.Fatalf("%v did not cancel the root context", tt.first)
			}
			if got := exitCode(context.Cause(ctx)); got != tt.wantFirst {
				t.Errorf("after %v: exit code %d, want %d", tt.first, got, tt.wantFirst)
			}
			if err := syscall.Kill(os.Getpid(), tt.second); err != nil {
				t.Fatal(err)
			}
			select {
			case code := <-exits:
				if code != tt.wantSecond {
					t.Errorf("second signal %v: exit %d, want %d", tt.second, code, tt.wantSecond)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("second signal %v did not exit", tt.second)
			}
		})
	}
}
