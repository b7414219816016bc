package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/checks/fingerprint"
	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/crawler/rodrender"
	"github.com/storecheck/storecheck/internal/benchshop"
	"github.com/storecheck/storecheck/internal/hostile"
	"github.com/storecheck/storecheck/internal/testsite"
	"github.com/storecheck/storecheck/storage"
	"github.com/storecheck/storecheck/sweep"
)

// benchNow is the clock of the benchmark sweeps (--now) and of the shop's
// promotion window.
const benchNow = benchshop.SweepNow

// benchSite is a generated shop being served, with the configuration the
// benchmark sweeps read.
type benchSite struct {
	shop   *benchshop.Shop
	url    string // the server's base URL, without a trailing slash
	config string // storecheck.yaml
}

// pageURLs are the absolute URLs of every page of the shop.
func (s benchSite) pageURLs() []string {
	var urls []string
	for _, p := range s.shop.URLs() {
		urls = append(urls, s.url+p)
	}
	return urls
}

// benchShop serves a generated shop of n pages with benchshop.PhotoSize
// gallery photos and its promotion dated around benchNow, until tb ends,
// with the configuration of benchshop's WriteConfig (every rule runs).
func benchShop(tb testing.TB, n int) benchSite {
	tb.Helper()
	now, err := time.Parse(time.RFC3339, benchNow)
	if err != nil {
		tb.Fatal(err)
	}
	shop := benchshop.New(n, benchshop.PhotoSize)
	shop.Now = now
	srv := httptest.NewServer(shop)
	tb.Cleanup(srv.Close)

	dir := tb.TempDir()
	if err := shop.WriteConfig(dir); err != nil {
		tb.Fatal(err)
	}
	return benchSite{shop: shop, url: srv.URL, config: filepath.Join(dir, "storecheck.yaml")}
}

// benchEnvInt reads a page count from the environment variable name; def
// when it is unset.
func benchEnvInt(tb testing.TB, name string, def int) int {
	tb.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 3 {
		tb.Fatalf("%s=%q: want a page count of at least 3", name, v)
	}
	return n
}

// benchConfig is the configuration of the benchmark sweeps, read the way
// `storecheck sweep START --config FILE --viewport desktop --now benchNow`
// reads it.
func benchConfig(tb testing.TB, file, start string) *config.Config {
	tb.Helper()
	vp, now := config.Desktop, benchNow
	cfg, err := config.LoadSweep(config.Flags{Config: file, URLs: []string{start}, Viewport: &vp, Now: &now, Browser: &browserPath})
	if err != nil {
		tb.Fatal(err)
	}
	return &cfg
}

// BenchmarkSweep measures the sweep table on a generated shop of
// STORECHECK_BENCH_PAGES pages (default 300): at concurrency 1, 2 and 4, the
// real storecheck binary sweeps it in the desktop viewport with every check
// and storage on, and the bare loop (the same pages, pool and isolation:
// navigate, wait for paint and settle, metrics only) renders every page in
// process. It prints one table (pages/s of both and their ratio, peak RSS
// of storecheck, peak PSS of the browser's process tree, database and
// screenshot bytes per visit), then the time per page each rule family's
// page checks take on a sample of the shop. `make bench` prints them for
// the README's Performance section.
func BenchmarkSweep(b *testing.B) {
	if browserPath == "" {
		b.Skip("no Chromium installed")
	}
	pages := benchEnvInt(b, "STORECHECK_BENCH_PAGES", 300)
	bin := benchBuild(b)
	site := benchShop(b, pages)
	urls := site.pageURLs()

	var rows []benchRow
	for _, conc := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				row := benchRow{conc: conc, bareVisits: len(urls), bare: bareLoop(b, site, urls, conc),
					sweep: benchRunSweep(b, bin, site.config, site.url+"/", conc, pages)}
				row.report(b)
				if i == b.N-1 {
					rows = append(rows, row)
				}
			}
		})
	}
	var fams []benchFamilyTime
	var inactive []string
	b.Run("families", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			fams, inactive = benchFamilies(b, site, benchSamplePaths(site.shop.URLs()))
		}
	})
	benchPrintSweep(os.Stdout, pages, rows)
	benchPrintFamilies(os.Stdout, fams, inactive)
}

// BenchmarkRepeatSweep is issue 20's scheduled-sweep table: the generated
// shop (STORECHECK_BENCH_PAGES, default 300) swept STORECHECK_BENCH_SWEEPS
// times (default 2) into one database, unchanged, at concurrency
// STORECHECK_BENCH_CONC (default 4), each sweep against the bare loop timed
// just before it; and the database's growth per sweep, from which 30 daily
// sweeps are extrapolated against one (growth is linear in sweeps: each
// adds its rows and the pictures that came out different). Targets: first
// sweep ≤ 1.5 × bare, later ≤ 1.2 ×, 30 sweeps ≤ 2 × one.
func BenchmarkRepeatSweep(b *testing.B) {
	if browserPath == "" {
		b.Skip("no Chromium installed")
	}
	pages := benchEnvInt(b, "STORECHECK_BENCH_PAGES", 300)
	sweeps := benchEnvInt(b, "STORECHECK_BENCH_SWEEPS", 2)
	conc := benchEnvInt(b, "STORECHECK_BENCH_CONC", 4)
	bin := benchBuild(b)
	site := benchShop(b, pages)
	urls := site.pageURLs()
	for range b.N {
		db := filepath.Join(b.TempDir(), "repeat.db")
		var sizes []int64
		for i := range sweeps {
			bare := bareLoop(b, site, urls, conc)
			res := benchRunSweepInto(b, bin, site.config, site.url+"/", conc, pages, db)
			row := benchRow{conc: conc, bareVisits: len(urls), bare: bare, sweep: res}
			sizes = append(sizes, res.DB.Bytes)
			b.Logf("sweep %d: %d visits, %.2f pages/s against the bare loop's %.2f: full/bare %.2f; DB %.1f MB; findings: %s",
				i+1, res.DB.Visits, row.fullRate(), row.bareRate(), row.bareRate()/row.fullRate(),
				float64(res.DB.Bytes)/(1<<20), benchFindings(res.DB.Findings))
			b.ReportMetric(row.bareRate()/row.fullRate(), fmt.Sprintf("full/bare-%d", i+1))
		}
		if len(sizes) > 1 {
			per := float64(sizes[len(sizes)-1]-sizes[0]) / float64(len(sizes)-1)
			ratio := (float64(sizes[0]) + 29*per) / float64(sizes[0])
			b.Logf("database: %.1f MB after one sweep, +%.2f MB per later sweep: 30 sweeps ≈ %.2f × one",
				float64(sizes[0])/(1<<20), per/(1<<20), ratio)
			b.ReportMetric(ratio, "db-30/1")
		}
	}
}

// benchRow is one concurrency's line of the sweep table.
type benchRow struct {
	conc       int
	bareVisits int
	bare       time.Duration // the bare loop over every URL, browser already up
	sweep      benchSweepResult
}

// fullRate is the sweep's visits per second of its run: from the stored
// start (browser up, as for the bare loop) to the run's end.
func (r benchRow) fullRate() float64 {
	return float64(r.sweep.DB.Visits) / r.sweep.DB.Run.Seconds()
}

func (r benchRow) bareRate() float64 { return float64(r.bareVisits) / r.bare.Seconds() }

// perVisit divides bytes by the sweep's visits, in KiB.
func (r benchRow) perVisit(bytes int64) float64 {
	return float64(bytes) / 1024 / float64(max(1, r.sweep.DB.Visits))
}

func (r benchRow) report(b *testing.B) {
	b.ReportMetric(r.fullRate(), "pages/s")
	b.ReportMetric(r.bareRate(), "bare-pages/s")
	b.ReportMetric(r.bareRate()/r.fullRate(), "full/bare")
	b.ReportMetric(float64(r.sweep.Proc.PeakRSS)/1024, "rss-MB")
	b.ReportMetric(float64(r.sweep.Proc.PeakTreePSS)/1024, "browser-pss-MB")
	b.ReportMetric(r.perVisit(r.sweep.DB.NoShots), "db-KB/visit")
	b.ReportMetric(r.perVisit(r.sweep.DB.Shots+r.sweep.DB.FullShots), "shot-KB/page")
}

// benchPrintSweep prints the sweep table, then a line per row of what
// stands behind it.
func benchPrintSweep(w io.Writer, pages int, rows []benchRow) {
	fmt.Fprintf(w, "\nSweep of a generated %d-page shop, desktop viewport, %d CPUs\n", pages, runtime.NumCPU())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "concurrency\tfull pages/s\tbare pages/s\tfull/bare\tstorecheck peak RSS MB\tbrowser peak PSS MB\tDB KB/visit (no shots)\tshot KB/page\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%d\t%.2f\t%.2f\t%.2f\t%.1f\t%.1f\t%.1f\t%.1f\t\n", r.conc, r.fullRate(), r.bareRate(),
			r.bareRate()/r.fullRate(), float64(r.sweep.Proc.PeakRSS)/1024, float64(r.sweep.Proc.PeakTreePSS)/1024,
			r.perVisit(r.sweep.DB.NoShots), r.perVisit(r.sweep.DB.Shots+r.sweep.DB.FullShots))
	}
	tw.Flush()
	fmt.Fprint(w, `full: storecheck sweep with every check and storage; bare: the same pages in the same pool, navigate,
  paint and settle only. Both are timed with the browser already up (full: the run's stored start to end).
full/bare: time per page of full over bare. RSS: storecheck's VmHWM/VmRSS; PSS: summed over every
  descendant process of storecheck, sampled every 200 ms. MB = 1024² bytes, KB = 1024 bytes.
DB KB/visit: the database file without viewport and full-page screenshots, vacuumed, over visits.
shot KB/page: viewport screenshot of every visit plus full-page screenshots (kept for region findings).
`)
	for _, r := range rows {
		s := r.sweep
		fmt.Fprintf(w, "  concurrency %d: %d visits in %.1f s (process %.1f s with browser launch); DB %.0f KB stored;"+
			" viewport %.1f KB, full-page %.1f KB, evidence %.1f KB per visit; rusage maxrss %.0f MB; browser processes ≤ %d; findings: %s\n",
			r.conc, s.DB.Visits, s.DB.Run.Seconds(), s.Wall.Seconds(), float64(s.DB.Bytes)/1024,
			r.perVisit(s.DB.Shots), r.perVisit(s.DB.FullShots), r.perVisit(s.DB.Evidence),
			float64(s.MaxRSSRusage)/1024, s.Proc.MaxProcs, benchFindings(s.DB.Findings))
	}
}

// benchFindings lists the findings per rule, sorted by rule.
func benchFindings(by map[string]int) string {
	if len(by) == 0 {
		return "none"
	}
	var out []string
	for rule, n := range by {
		out = append(out, fmt.Sprintf("%s %d", rule, n))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// bareLoop renders every URL once in the desktop viewport with the sweep's
// renderer options in bare mode and a pool of conc workers, and returns
// the wall time from the browser being up to the last page.
func bareLoop(b *testing.B, site benchSite, urls []string, conc int) time.Duration {
	ctx := context.Background()
	cfg := benchConfig(b, site.config, site.url+"/")
	opts := sweep.RenderOptions(cfg, browserPath, version, nil)
	opts.Bare, opts.FullScreenshot = true, false
	r, err := rodrender.New(ctx, opts)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	t0 := time.Now()
	benchRenderAll(urls, conc, func(_ int, u string) {
		if _, err := r.Render(ctx, crawler.RenderRequest{URL: u, Viewport: crawler.Desktop,
			AllowedHosts: []string{crawler.Host(u)}}); err != nil {
			b.Error(err)
		}
	})
	return time.Since(t0)
}

// benchRenderAll calls render for every URL from a pool of conc workers,
// as the sweep bounds its renders.
func benchRenderAll(urls []string, conc int, render func(i int, u string)) {
	work := make(chan int)
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				render(i, urls[i])
			}
		}()
	}
	for i := range urls {
		work <- i
	}
	close(work)
	wg.Wait()
}

// benchSamplePaths picks the pages the family timings run on: the home
// page, two listings and twenty product pages spread over the shop.
func benchSamplePaths(paths []string) []string {
	out := []string{"/"}
	var cats, prods []string
	for _, p := range paths {
		switch {
		case strings.HasPrefix(p, "/c/"):
			cats = append(cats, p)
		case strings.HasPrefix(p, "/p/"):
			prods = append(prods, p)
		}
	}
	out = append(out, cats[:min(2, len(cats))]...)
	const n = 20
	for i := range min(n, len(prods)) {
		out = append(out, prods[i*len(prods)/min(n, len(prods))])
	}
	return out
}

// benchFamilyTime is the time a family of rules takes per page.
type benchFamilyTime struct {
	family   string // the rule IDs' prefix; "(parse HTML)" and "(all)" for the rows around them
	rules    int    // page rules of the family
	perPage  time.Duration
	findings int // on the sample: a clean shop should give few
}

// benchFamilyPasses is how often each family runs over the sample; the
// fastest pass counts, as the machine may be busy with other work.
const benchFamilyPasses = 3

// benchFamilies renders the sample with the sweep's full renderer, then runs
// each rule family's page checks alone over every snapshot, each page
// with a fresh Env, so no family profits from measures (decoded images,
// hashes) another one cached. It also returns the rules the configuration
// leaves off.
func benchFamilies(b *testing.B, site benchSite, paths []string) ([]benchFamilyTime, []string) {
	cfg := benchConfig(b, site.config, site.url+"/")
	env, err := checks.NewEnv(cfg, cfg.Now)
	if err != nil {
		b.Fatal(err)
	}
	active := checks.Active(checks.Registry(), env)
	on := map[string]bool{}
	for _, c := range active {
		on[c.ID] = true
	}
	var inactive []string
	for _, c := range checks.Registry() {
		if !on[c.ID] {
			inactive = append(inactive, c.ID)
		}
	}
	snaps := benchSnapshots(b, cfg, active, site.url, paths)

	byFamily := map[string][]*checks.Check{}
	var page []*checks.Check
	for _, c := range active {
		if c.Run == nil {
			continue // a site rule: it runs once per sweep, not per page
		}
		fam, _, _ := strings.Cut(c.ID, ".")
		byFamily[fam] = append(byFamily[fam], c)
		page = append(page, c)
	}
	families := make([]string, 0, len(byFamily))
	for f := range byFamily {
		families = append(families, f)
	}
	sort.Strings(families)

	out := []benchFamilyTime{benchTimeParse(b, cfg, snaps)}
	for _, f := range families {
		out = append(out, benchTimeChecks(b, cfg, f, byFamily[f], snaps))
	}
	return append(out, benchTimeChecks(b, cfg, "(all)", page, snaps)), inactive
}

// benchSnapshots renders base+path for every path with the renderer a
// sweep builds, classified as the sweep classifies them.
func benchSnapshots(b *testing.B, cfg *config.Config, active []*checks.Check, base string, paths []string) []*crawler.Page {
	ctx := context.Background()
	r, err := rodrender.New(ctx, sweep.RenderOptions(cfg, browserPath, version, active))
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	urls := make([]string, len(paths))
	for i, p := range paths {
		urls[i] = base + p
	}
	productPages, err := cfg.CompilePatterns("product_pages", cfg.ProductPages)
	if err != nil {
		b.Fatal(err)
	}
	snaps := make([]*crawler.Page, len(urls))
	benchRenderAll(urls, 2, func(i int, u string) {
		p, err := r.Render(ctx, crawler.RenderRequest{URL: u, Viewport: crawler.Desktop, AllowedHosts: []string{crawler.Host(u)}})
		if err != nil {
			b.Error(err)
			return
		}
		p.Kind = crawler.ClassifyKind(p, paths[i] == "/", productPages)
		snaps[i] = p
	})
	if b.Failed() {
		b.FailNow()
	}
	return snaps
}

// benchTimeParse times building each snapshot's page model (parsing its
// HTML, its text blocks, prices, buy box, cards, dates): every run of
// rules pays it once per page, so it is in each family's time.
func benchTimeParse(tb testing.TB, cfg *config.Config, snaps []*crawler.Page) benchFamilyTime {
	env, err := checks.NewEnv(cfg, cfg.Now)
	if err != nil {
		tb.Fatal(err)
	}
	best := time.Duration(math.MaxInt64)
	for range benchFamilyPasses {
		t0 := time.Now()
		for _, p := range snaps {
			checks.RunPage(nil, env, p) // no rule: the model alone
		}
		best = min(best, time.Since(t0))
	}
	return benchFamilyTime{family: "(page model)", perPage: best / time.Duration(len(snaps))}
}

// benchTimeChecks times cs over every snapshot, a fresh Env per page, and
// keeps the fastest of benchFamilyPasses passes.
func benchTimeChecks(tb testing.TB, cfg *config.Config, name string, cs []*checks.Check, snaps []*crawler.Page) benchFamilyTime {
	best := time.Duration(math.MaxInt64)
	findings := 0
	for range benchFamilyPasses {
		envs := make([]*checks.Env, len(snaps))
		for i := range envs {
			env, err := checks.NewEnv(cfg, cfg.Now)
			if err != nil {
				tb.Fatal(err)
			}
			envs[i] = env
		}
		findings = 0
		t0 := time.Now()
		for i, p := range snaps {
			findings += len(checks.RunPage(cs, envs[i], p))
		}
		best = min(best, time.Since(t0))
	}
	return benchFamilyTime{family: name, rules: len(cs), perPage: best / time.Duration(len(snaps)), findings: findings}
}

// benchPrintFamilies prints the family table.
func benchPrintFamilies(w io.Writer, fams []benchFamilyTime, inactive []string) {
	if len(fams) == 0 {
		return
	}
	fmt.Fprintf(w, "\nPage checks per rule family, desktop, sample of the same shop (home, 2 listings, up to 20 product pages)\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "family\tpage rules\tms/page\tfindings\t")
	for _, f := range fams {
		rules := "-"
		if f.rules > 0 {
			rules = strconv.Itoa(f.rules)
		}
		fmt.Fprintf(tw, "%s\t%s\t%.2f\t%d\t\n", f.family, rules, float64(f.perPage.Microseconds())/1000, f.findings)
	}
	tw.Flush()
	fmt.Fprint(w, `Each family alone, a fresh Env per page (no cached image measures), fastest of 3 passes, wall time
(image decoding runs on every CPU). A family that reads the DOM includes one HTML parse; (all) parses once.
Site rules (run once per sweep) are not timed.
`)
	if len(inactive) > 0 {
		fmt.Fprintf(w, "Not enabled by the configuration: %s.\n", strings.Join(inactive, ", "))
	}
}

// BenchmarkSweepMemory sweeps a generated shop of
// STORECHECK_BENCH_MEMORY_PAGES pages (default 1 000) at concurrency 4 with
// the real binary, and prints storecheck's peak RSS and how it moved over
// the sweep, the browser tree's peak PSS and the database bytes per visit,
// against the targets: under 200 MB, 1 GB and 20 KB. Missing a
// target is printed, not failed: the numbers depend on the machine.
func BenchmarkSweepMemory(b *testing.B) {
	if browserPath == "" {
		b.Skip("no Chromium installed")
	}
	pages := benchEnvInt(b, "STORECHECK_BENCH_MEMORY_PAGES", 1000)
	bin := benchBuild(b)
	site := benchShop(b, pages)
	for i := 0; i < b.N; i++ {
		res := benchRunSweep(b, bin, site.config, site.url+"/", 4, pages)
		r := benchRow{conc: 4, sweep: res}
		b.ReportMetric(r.fullRate(), "pages/s")
		b.ReportMetric(float64(res.Proc.PeakRSS)/1024, "rss-MB")
		b.ReportMetric(float64(res.Proc.PeakTreePSS)/1024, "browser-pss-MB")
		b.ReportMetric(r.perVisit(res.DB.NoShots), "db-KB/visit")
		benchPrintMemory(os.Stdout, pages, r)
	}
}

// benchPrintMemory prints the memory sweep's lines.
func benchPrintMemory(w io.Writer, pages int, r benchRow) {
	s := r.sweep
	mb := func(kib int64) float64 { return float64(kib) / 1024 }
	verdict := func(ok bool) string {
		if ok {
			return "ok"
		}
		return "OVER"
	}
	rss := s.Proc.RSS
	// The low point from a quarter of the way on: before, the process was
	// still starting its browser.
	low := int64(0)
	for i, p := range rss {
		if i >= len(rss)/4 && (low == 0 || p.RSS < low) {
			low = p.RSS
		}
	}
	at := func(f float64) float64 {
		if len(rss) == 0 {
			return 0
		}
		return mb(rss[int(math.Round(f*float64(len(rss)-1)))].RSS)
	}
	dbKB := r.perVisit(s.DB.NoShots)
	fmt.Fprintf(w, "\nMemory sweep of a generated %d-page shop, concurrency 4, desktop, %d CPUs: %d visits in %.0f s (%.2f pages/s)\n",
		pages, runtime.NumCPU(), s.DB.Visits, s.DB.Run.Seconds(), r.fullRate())
	fmt.Fprintf(w, "  storecheck peak RSS %.1f MB (target < 200: %s); RSS at 25/50/75/100 %% of the sweep %.1f / %.1f / %.1f / %.1f MB, lowest from 25 %% on %.1f MB (%d samples)\n",
		mb(s.Proc.PeakRSS), verdict(mb(s.Proc.PeakRSS) < 200), at(0.25), at(0.5), at(0.75), at(1), mb(low), len(rss))
	fmt.Fprintf(w, "  browser tree peak PSS %.1f MB over at most %d processes (target < 1024: %s)\n",
		mb(s.Proc.PeakTreePSS), s.Proc.MaxProcs, verdict(mb(s.Proc.PeakTreePSS) < 1024))
	fmt.Fprintf(w, "  DB %.1f KB/visit without screenshots (target < 20: %s); screenshots %.1f KB/page; findings: %s\n",
		dbKB, verdict(dbKB < 20), r.perVisit(s.DB.Shots+s.DB.FullShots), benchFindings(s.DB.Findings))
}

type nopWriter struct{}

func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }

// BenchmarkImageChecks sweeps the demo shop (both viewports, its own brand
// logo, concurrency 2) with every rule, and with the image, logo and gallery
// rules skipped (so no picture is decoded and no logo candidate is
// screenshotted), alternating the two twice and keeping each one's faster
// sweep. It reports the wall time each adds per page visit and their ratio:
// the target is image checks adding at most 15 %.
func BenchmarkImageChecks(b *testing.B) {
	if browserPath == "" {
		b.Skip("no Chromium installed")
	}
	root := testsite.Dir(b, "demo")
	site := testsite.Start(b, root, testsite.Options{})
	dir := b.TempDir()
	cfg := filepath.Join(dir, "storecheck.yaml")
	body := fmt.Sprintf("start_urls: [%q]\nbrand: {name: 山野茶铺, logo: %q}\n", site.URL+"/", filepath.Join(root, "img", "logo.png"))
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		b.Fatal(err)
	}
	sweep := func(extra ...string) (time.Duration, int) {
		db := filepath.Join(b.TempDir(), "bench.db")
		args := append([]string{"sweep", "--config", cfg, "--db", db, "--browser", browserPath,
			"--concurrency", "2", "--now", "2026-11-05T10:00:00+08:00", "--quiet"}, extra...)
		t0 := time.Now()
		var out, errb nopWriter
		if code := run(context.Background(), args, &out, &errb); code != 0 && code != exitFindings {
			b.Fatalf("sweep exit %d", code)
		}
		d := time.Since(t0)
		return d, loadLatest(b, db).Run.Pages
	}
	for i := 0; i < b.N; i++ {
		with, without := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
		var visits int
		for range 2 {
			d, _ := sweep("--skip-rules", "image.,logo.,product.")
			without = min(without, d)
			d, visits = sweep()
			with = min(with, d)
		}
		perVisit := func(d time.Duration) float64 { return float64(d.Milliseconds()) / float64(visits) }
		b.ReportMetric(perVisit(with), "ms/visit")
		b.ReportMetric(perVisit(without), "ms/visit-without")
		b.ReportMetric(perVisit(with)-perVisit(without), "added-ms/visit")
		b.ReportMetric(with.Seconds()/without.Seconds(), "with/without")
		b.Logf("demo shop, %d visits: with image checks %v (%.0f ms/visit), without %v (%.0f ms/visit): +%.1f %%",
			visits, with.Round(time.Millisecond), perVisit(with), without.Round(time.Millisecond), perVisit(without),
			(with.Seconds()/without.Seconds()-1)*100)
	}
}

// BenchmarkDiff times `storecheck diff --format json` of two complete runs
// with 10 000 findings each (500 pages × 20, a fifth of them different
// between the runs), generated into the database: loading both runs, the
// reopened lookup, the comparison and the JSON.
func BenchmarkDiff(b *testing.B) {
	dbPath := filepath.Join(b.TempDir(), "diff.db")
	ctx := context.Background()
	db, err := storage.Open(ctx, dbPath)
	if err != nil {
		b.Fatal(err)
	}
	const pages, perPage = 500, 20
	for run := range 2 {
		id, err := db.CreateRun(ctx, storage.RunInfo{Name: "bench", StartedAt: time.Date(2026, 11, 1+run, 9, 0, 0, 0, time.UTC),
			StartURLs: []string{"https://shop.test/"}, Concurrency: 2, CPUs: 2})
		if err != nil {
			b.Fatal(err)
		}
		w := db.Writer(id)
		for i := range pages {
			url := fmt.Sprintf("https://shop.test/item/%d.html", i)
			p := &crawler.Page{URL: url, FinalURL: url, Viewport: crawler.Desktop, Status: 200, Kind: crawler.KindProduct}
			var fs []checks.Finding
			for j := range perPage {
				subject := fmt.Sprintf("subject %d", j)
				if j%5 == 0 {
					subject = fmt.Sprintf("subject %d run %d", j, run) // differs between the runs
				}
				fs = append(fs, checks.Finding{Rule: "text.banned-term", Severity: checks.SeverityError, URL: url,
					Viewport: "desktop", Subject: subject, Message: "m", Evidence: map[string]any{"n": j},
					Fingerprint: fingerprint.Of("text.banned-term", "desktop", url, subject)})
			}
			if err := w.AddPage(ctx, storage.PageRecord{Page: p, Findings: fs}); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Finish(ctx, storage.StatusComplete, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	db.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var out, errb nopWriter
		if code := run(ctx, []string{"diff", "--db", dbPath, "--format", "json"}, &out, &errb); code != 0 {
			b.Fatalf("diff exit %d", code)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/diff")
}

// BenchmarkHostileMemory sweeps the hostile fixtures (testdata/hostile: the
// never-ending and dripping responses, the loops, the 100 MB image, the PNG
// bomb, 5 000 links, the 50 000-node DOM, infinite scroll, …; the renderer
// crash and the browser kill need TestHostile's hooks and are plain pages
// here) with the real binary at concurrency 2 and a 10 s page timeout, and
// reports the peak RSS of storecheck and the peak PSS of its browser tree:
// what those pages cost in memory, which the tests do not assert.
func BenchmarkHostileMemory(b *testing.B) {
	if browserPath == "" {
		b.Skip("no Chromium installed")
	}
	_, srv := hostile.Start(b, hostile.Options{})
	cfg := filepath.Join(b.TempDir(), "storecheck.yaml")
	body := "page_timeout: 10s\nscope: {exclude: [\"^/catalogue/\"]}\n"
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		b.Fatal(err)
	}
	bin := benchBuild(b)
	for i := 0; i < b.N; i++ {
		res := benchRunSweep(b, bin, cfg, srv.URL+"/", 2, 100)
		b.ReportMetric(float64(res.Proc.PeakRSS)/1024, "rss-MB")
		b.ReportMetric(float64(res.Proc.PeakTreePSS)/1024, "browser-pss-MB")
		fmt.Printf("Hostile fixtures, %d visits in %v, concurrency 2: storecheck peak RSS %.1f MB, browser tree peak PSS %.1f MB (%d processes at most)\n",
			res.DB.Visits, res.Wall.Round(100*time.Millisecond), float64(res.Proc.PeakRSS)/1024,
			float64(res.Proc.PeakTreePSS)/1024, res.Proc.MaxProcs)
	}
}

// BenchmarkPageChecks is every page rule over captured snapshots of the
// bench shop's sample (home, two listings, twenty product pages), a fresh
// Env per page as a sweep's first sight of each picture: the storecheck
// side of a sweep's CPU, without the browser, to profile with -cpuprofile.
// Three ways: "nostore", the measure cache of one sweep only; "cold", a
// store in a database file that has none of the pictures (every lookup
// misses); "warm", the store filled by an earlier sweep of the same pages,
// as a scheduled sweep of an unchanged shop finds it.
func BenchmarkPageChecks(b *testing.B) {
	if browserPath == "" {
		b.Skip("no Chromium installed")
	}
	ctx := context.Background()
	site := benchShop(b, 60)
	cfg := benchConfig(b, site.config, site.url+"/")
	env, err := checks.NewEnv(cfg, cfg.Now)
	if err != nil {
		b.Fatal(err)
	}
	active := checks.Active(checks.Registry(), env)
	var page []*checks.Check
	for _, c := range active {
		if c.Run != nil {
			page = append(page, c)
		}
	}
	snaps := benchSnapshots(b, cfg, active, site.url, benchSamplePaths(site.shop.URLs()))
	for _, mode := range []string{"nostore", "cold", "warm"} {
		b.Run(mode, func(b *testing.B) {
			db, err := storage.Open(ctx, filepath.Join(b.TempDir(), "measures.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			newEnv := func() *checks.Env {
				env, err := checks.NewEnv(cfg, cfg.Now)
				if err != nil {
					b.Fatal(err)
				}
				if mode != "nostore" {
					env.UseMeasureStore(db.MeasureStore())
				}
				return env
			}
			if mode == "warm" {
				for _, p := range snaps {
					env := newEnv()
					checks.RunPage(page, env, p)
					if err := env.Measures.Flush(ctx); err != nil {
						b.Fatal(err)
					}
				}
			}
			var decoded int64
			var cpu time.Duration
			b.ResetTimer()
			for b.Loop() {
				for _, p := range snaps {
					b.StopTimer()
					env := newEnv()
					b.StartTimer()
					c0 := processCPU()
					checks.RunPage(page, env, p)
					cpu += processCPU() - c0
					decoded += env.Measures.Stats().Decoded
				}
			}
			// CPU as well as wall time: on a machine shared with other
			// work the wall time says more about the neighbours.
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*len(snaps)), "ms/page")
			b.ReportMetric(cpu.Seconds()*1000/float64(b.N*len(snaps)), "cpu-ms/page")
			b.ReportMetric(float64(decoded)/float64(b.N*len(snaps)), "decodes/page")
		})
	}
}

// processCPU is the user+sys CPU time of this process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
