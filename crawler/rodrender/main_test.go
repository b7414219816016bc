package rodrender

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/storecheck/storecheck/crawler"
)

// shared is the one browser of this test binary; tests that need other
// options derive a Renderer from it (derive), only the browser-death and
// process tests launch their own.
var shared *Renderer

// testOpts are the options of the shared renderer: short timeouts keep the
// suite fast.
func testOpts() crawler.RenderOptions {
	return crawler.RenderOptions{
		PageTimeout: 5 * time.Second,
		Settle:      200 * time.Millisecond,
		UAProduct:   "storecheck/test",
		Locale:      "zh-CN",
		Timezone:    "Asia/Shanghai",
	}
}

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		helperMain()
		return
	}
	os.Exit(run(m))
}

func run(m *testing.M) int {
	bin, err := FindBrowser("")
	if err != nil {
		if os.Getenv("CI") == "true" {
			fmt.Fprintln(os.Stderr, "rodrender tests need Chromium in CI:", err)
			return 1
		}
		fmt.Fprintln(os.Stderr, "SKIP rodrender tests: no browser:", err)
		return 0
	}
	opts := testOpts()
	opts.Bin = bin
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	shared, err = New(ctx, opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "launch browser:", err)
		return 1
	}
	code := m.Run()
	dir := shared.insts[0].dir
	shared.Close()
	if procs := browserProcs(dir); len(procs) > 0 {
		fmt.Fprintf(os.Stderr, "browser processes left after Close: %q\n", procs)
		return 1
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		fmt.Fprintf(os.Stderr, "profile %s left after Close\n", dir)
		return 1
	}
	return code
}

// derive returns a Renderer on the shared browser with changed options (not
// the launch-time ones). Do not Close it.
func derive(change func(*crawler.RenderOptions)) *Renderer {
	o := shared.opts
	change(&o)
	r := &Renderer{
		opts: o, limits: withDefaultLimits(o.Limits), timeout: o.PageTimeout, settle: o.Settle,
		bin: shared.bin, mode: shared.mode, insts: shared.insts, deaths: make([]int, len(shared.insts)),
		log: shared.log, version: shared.version, ua: shared.ua, major: shared.major,
	}
	if r.timeout <= 0 {
		r.timeout = fallbackTimeout
	}
	if r.settle <= 0 {
		r.settle = fallbackSettle
	}
	return r
}
