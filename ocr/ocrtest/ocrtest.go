// Package ocrtest holds what tests outside package ocr need of it: the
// real tesseract, or a skip (a failure in CI) when it is missing.
package ocrtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/storecheck/storecheck/ocr"
)

// NeedTesseract finds the real tesseract with every language of langs
// (Tesseract's -l form, "chi_sim+eng"). Outside CI a machine without them
// skips the test; in CI (CI=true) their absence fails it, as the OCR
// tests' TestMain fail the run without the program.
func NeedTesseract(tb testing.TB, langs string) *ocr.Engine {
	tb.Helper()
	fail := tb.Skip
	if os.Getenv("CI") == "true" {
		fail = tb.Fatal
	}
	ctx := context.Background()
	e, err := ocr.Find(ctx, "")
	if errors.Is(err, ocr.ErrNotInstalled) {
		fail(err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	missing, err := e.Missing(ctx, langs)
	if err != nil {
		tb.Fatal(err)
	}
	if len(missing) > 0 {
		fail(fmt.Sprintf("tesseract %s lacks languages %v", e.Path, missing))
	}
	return e
}
