package main

import (
	"errors"
	"fmt"
	"syscall"
	"testing"

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
