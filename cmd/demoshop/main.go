// Command demoshop serves the bundled demo storefront for `make demo`:
//
//	demoshop [--addr 127.0.0.1:8080] [--root testdata/sites/demo] [--slow 3.5s] [--tls-addr 127.0.0.1:8443]
//	demoshop --bench N [--bench-config DIR] [--addr 127.0.0.1:8080]
//
// It prints "serving http://ADDR/" on stdout once it listens and stops on
// SIGINT or SIGTERM. --slow is how long pages under /slow/ are held.
// --tls-addr serves the same site over HTTPS too (scripts/compare-findings.sh
// serves the rule fixtures so, as TestFixtures does).
//
// --bench N serves, instead of a site folder, the generated N-page shop the
// sweep benchmarks check (internal/benchshop, its promotion dated around
// benchshop.SweepNow: sweep with that --now), and --bench-config DIR writes
// their storecheck.yaml, logo and protected mark into DIR, so the benchmark's
// sweep can be run by hand or beside another tool
// (scripts/lighthouse-compare.sh).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/storecheck/storecheck/internal/benchshop"
	"github.com/storecheck/storecheck/internal/testsite"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "demoshop:", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a bad command line (exit 2).
type usageError struct{ error }

// run serves until ctx ends, then shuts down gracefully.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demoshop", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	root := fs.String("root", "testdata/sites/demo", "site folder to serve")
	slow := fs.Duration("slow", testsite.DemoSlowDelay, "how long pages under /slow/ are held")
	bench := fs.Int("bench", 0, "serve the generated benchmark shop of this many pages (at least 3) instead of --root; 0: serve --root")
	benchConfig := fs.String("bench-config", "", "with --bench: write the benchmark sweep's storecheck.yaml, logo.png and mark.png into this folder")
	tlsAddr := fs.String("tls-addr", "", "also serve HTTPS (a self-signed certificate: sweep with tls_insecure) on this address, with {{HTTPBASE}} the plain origin; empty: none")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	var handler http.Handler
	switch {
	case *bench != 0:
		if *tlsAddr != "" {
			return usageError{errors.New("--tls-addr serves --root only, not --bench")}
		}
		shop, err := benchShop(*bench, *benchConfig)
		if err != nil {
			return err
		}
		handler = shop
	case *benchConfig != "":
		return usageError{errors.New("--bench-config needs --bench")}
	default:
		if _, err := os.Stat(filepath.Join(*root, "index.html")); err != nil {
			return usageError{fmt.Errorf("--root %s is not a site folder: %w", *root, err)}
		}
		handler = testsite.Handler(*root, testsite.Options{SlowDelay: *slow})
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", *addr, err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
	}
	fmt.Fprintf(stdout, "serving http://%s/\n", ln.Addr())
	if *tlsAddr != "" {
		// The fixtures' mixed-content page counts over https only, loading a
		// script from the plain origin ({{HTTPBASE}}), as TestFixtures serves it.
		tln, err := net.Listen("tcp", *tlsAddr)
		if err != nil {
			return fmt.Errorf("listen %s: %w", *tlsAddr, err)
		}
		secure := httptest.NewUnstartedServer(testsite.Handler(*root, testsite.Options{SlowDelay: *slow, HTTPBase: "http://" + ln.Addr().String()}))
		secure.Listener.Close()
		secure.Listener = tln
		secure.StartTLS()
		defer secure.Close()
		fmt.Fprintf(stdout, "serving %s/\n", secure.URL)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// benchShop generates the n-page benchmark shop dated around
// benchshop.SweepNow and, when dir is not "", writes its sweep
// configuration there.
func benchShop(n int, dir string) (*benchshop.Shop, error) {
	if n < 3 {
		return nil, usageError{fmt.Errorf("--bench %d: want at least 3 pages", n)}
	}
	now, err := time.Parse(time.RFC3339, benchshop.SweepNow)
	if err != nil {
		return nil, fmt.Errorf("benchmark clock: %w", err)
	}
	shop := benchshop.New(n, benchshop.PhotoSize)
	shop.Now = now
	if dir != "" {
		if err := shop.WriteConfig(dir); err != nil {
			return nil, fmt.Errorf("--bench-config %s: %w", dir, err)
		}
	}
	return shop, nil
}
