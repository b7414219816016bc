// Command storecheck sweeps an online storefront in headless Chromium,
// measures every page, runs the quality-inspection checks and keeps every run
// in SQLite so that runs can be compared.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}
