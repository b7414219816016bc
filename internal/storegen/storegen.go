// Package storegen fills a store with generated sweeps: years of daily runs
// of a shop, with metrics, prices and findings that persist, come and go,
// and come back. The dashboard's benchmarks need 1 000 runs × 500 pages,
// which storage's one-transaction-per-page Writer would take many minutes
// to write; storegen writes each run's rows in a few multi-row INSERTs of
// one transaction instead (storage.InsertRows, through the store's own
// pool, storage.DB.SQL). What it writes is what a sweep
// stores, less what no reading path it serves looks at: no requests
// (resources), no full-page screenshots or evidence pictures, and
// first-screen screenshots only where a Spec asks for them.
//
// The same Specs and Seed write the same rows, whatever the store.
package storegen

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/checks/fingerprint"
	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/storage"
)

// Spec is one target's history.
type Spec struct {
	Target string
	// Runs complete runs, one every Every from Start (the sweep's clock).
	Runs  int
	Start time.Time
	Every time.Duration
	// Interrupted more runs stop halfway, spread over the history: they
	// hold half the pages and no finding is followed through them.
	Interrupted int
	// URLs pages, each visited in desktop and mobile: a home page, a
	// listing for every ten, product pages (with a price) for the rest.
	URLs int
	// Core findings are in every run; a few of them change severity once.
	Core int
	// Flap findings come and go: absent in a run with probability Off
	// after a run that had them, present again with probability On after
	// one that did not (presence On/(On+Off) on average).
	Flap    int
	On, Off float64
	// NewPerRun findings appear in a run on average, each staying for
	// EpisodeRuns runs on average, then gone (a tenth of them come back
	// once, later).
	NewPerRun   float64
	EpisodeRuns float64
	// Twice is the share of findings reported twice in a run (a rule
	// that names one subject on two elements).
	Twice float64
	// Assigned findings of the newest run have an owner, half of them
	// overdue by the newest run's clock; Marked others are marked fixed
	// after it, awaiting their re-check.
	Assigned, Marked int
	// Screenshots gives every visit its first-screen JPEG, of the size the
	// crawler takes (half the device pixels: 675×470 desktop, 360×720
	// mobile), the same bytes every run, as an unchanged shop's are
	// (stored once, storage/doc.go).
	Screenshots bool
}

// Target is what Fill wrote for one Spec.
type Target struct {
	Name string
	// Complete are the ids of its complete runs, oldest first.
	Complete []int64
	Pages    int // page rows of all its runs
	Findings int // findings of all its runs
	// Fingerprints is how many different findings its runs had.
	Fingerprints int
}

// Fill writes specs into the store at dsn (a SQLite file or a PostgreSQL
// URL, as storage.Open takes it), migrating it first; the store must hold
// no run yet. Runs of all specs are interleaved by their clocks, so their
// ids mix as the targets' sweeps would. The random choices follow seed.
func Fill(ctx context.Context, dsn string, seed uint64, specs ...Spec) ([]Target, error) {
	st, err := storage.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	g := &gen{db: st.SQL(), pg: storage.IsPostgres(dsn)}
	var n int
	if err := g.db.QueryRowContext(ctx, "SELECT count(*) FROM runs").Scan(&n); err != nil {
		return nil, fmt.Errorf("storegen: %w", err)
	}
	if n > 0 {
		return nil, fmt.Errorf("storegen: %s holds %d runs already", dsn, n)
	}

	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	var plans []*runPlan
	var hist []*history
	for i, s := range specs {
		h := newHistory(s, rng, i)
		hist = append(hist, h)
		plans = append(plans, h.plan()...)
	}
	// By clock, then spec: the order a store shared by the targets' sweeps
	// would have given them ids in.
	slices.SortStableFunc(plans, func(a, b *runPlan) int { return a.now.Compare(b.now) })
	for _, p := range plans {
		if err := g.writeRun(ctx, p); err != nil {
			return nil, fmt.Errorf("storegen: run %d of %s: %w", p.id, p.h.spec.Target, err)
		}
		if p.complete {
			p.h.out.Complete = append(p.h.out.Complete, p.id)
		}
	}
	out := make([]Target, len(hist))
	for i, h := range hist {
		if err := g.assign(ctx, h); err != nil {
			return nil, fmt.Errorf("storegen: assignments of %s: %w", h.spec.Target, err)
		}
		h.out.Fingerprints = len(h.fps)
		out[i] = h.out
	}
	if g.pg {
		// Explicit ids leave the identity sequences behind: a later
		// sweep into the store must get ids past the generated ones.
		for _, t := range []string{"runs", "pages", "findings"} {
			if _, err := g.db.ExecContext(ctx, fmt.Sprintf(
				"SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT max(id) FROM %[1]s))", t)); err != nil {
				return nil, fmt.Errorf("storegen: %s ids: %w", t, err)
			}
		}
		// What autovacuum has done to a store that grew over years: its
		// statistics, and pages marked all-visible, which let a query
		// answer from an index alone. A bulk load has neither until it
		// runs, and the planner then reads the tables instead (the board's
		// spans: 470 ms, against 140 after VACUUM ANALYZE).
		if _, err := g.db.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
			return nil, fmt.Errorf("storegen: vacuum: %w", err)
		}
	}
	return out, nil
}

type gen struct {
	db            *sql.DB
	pg            bool
	runID, pageID int64
	findingID     int64
	cfgJSON       map[string]string // target -> its configuration as a sweep stores it
	shots         map[string]string // URL and viewport -> hash of its stored screenshot
}

// history is one target's runs as they are planned: which findings each
// run has.
type history struct {
	spec  Spec
	index int
	rng   *rand.Rand
	urls  []page
	fps   map[string]bool
	out   Target
}

type page struct {
	url, title string
	kind       string
	depth      int
	lcp, ttfb  float64 // the page's usual figures, ms
	bytes      int64
	price      float64 // 0: not a product page
}

// defect is one finding that some runs have.
type defect struct {
	kind     int // index in rules
	rule     string
	severity checks.Severity
	page     int // index in history.urls
	viewport string
	subject  string
	fp       string
	twice    bool
	// severityFrom: from this run index on, the severity is next (a
	// finding that became worse); -1 never.
	severityFrom int
	next         checks.Severity
}

type runPlan struct {
	h        *history
	seq      int // index among the target's runs
	id       int64
	now      time.Time
	complete bool
	defects  []*defect
}

var viewports = []string{"desktop", "mobile"}

func newHistory(s Spec, parent *rand.Rand, index int) *history {
	h := &history{spec: s, index: index, rng: rand.New(rand.NewPCG(parent.Uint64(), parent.Uint64())),
		fps: map[string]bool{}, out: Target{Name: s.Target}}
	host := strings.ToLower(strings.ReplaceAll(s.Target, " ", "-")) + ".example.cn"
	for i := range max(s.URLs, 1) {
		p := page{depth: 2, lcp: 900 + h.rng.Float64()*2600, ttfb: 60 + h.rng.Float64()*400,
			bytes: 400_000 + h.rng.Int64N(3_600_000)}
		switch {
		case i == 0:
			p.url, p.kind, p.depth, p.title = "https://"+host+"/", "home", 0, s.Target+" 官方旗舰店 - 首页"
		case i%10 == 1:
			p.url, p.kind, p.depth = fmt.Sprintf("https://%s/category/%03d.html", host, i/10), "listing", 1
			p.title = fmt.Sprintf("%s 第%d类 热销榜 - 双11好物", s.Target, i/10)
		default:
			p.url, p.kind = fmt.Sprintf("https://%s/item/%06d.html", host, 100000+i), "product"
			p.title = fmt.Sprintf("山野茶铺 祁门红茶 200g 罐装 第%d款 - %s", i, s.Target)
			p.price = float64(19+h.rng.IntN(480)) + 0.9
		}
		h.urls = append(h.urls, p)
	}
	return h
}

type ruleGen struct {
	rule     string
	severity checks.Severity
	key      string
	subject  func(h *history, page, n int) string
	args     func(r *rand.Rand) []any
}

// rules are the findings the generator draws from: real rules with their
// catalog keys, so messages render as the store's readers render them.
var rules = []ruleGen{
	{"image.blurry", checks.SeverityWarning, "image.blurry",
		func(h *history, p, n int) string {
			return fmt.Sprintf("https://img.alicdn.example.cn/imgextra/i%d/O1CN01%08d.jpg", n%4, p*1000+n)
		},
		func(r *rand.Rand) []any { return []any{fmt.Sprintf("%.1f", 1.6+r.Float64()*2), "1.5"} }},
	{"image.missing-alt", checks.SeverityInfo, "image.missing-alt",
		func(h *history, p, n int) string {
			return fmt.Sprintf("https://img.alicdn.example.cn/bao/uploaded/i%d/%08d.png", n%4, p*1000+n)
		},
		func(r *rand.Rand) []any { return nil }},
	{"perf.slow-load", checks.SeverityWarning, "perf.slow-load/lcp",
		func(h *history, p, n int) string { return "lcp" },
		func(r *rand.Rand) []any { return []any{fmt.Sprint(2600 + r.IntN(3000)), "2500"} }},
	{"text.banned-term", checks.SeverityError, "text.banned-term",
		func(h *history, p, n int) string {
			return []string{"最佳", "第一", "国家级", "最高级", "顶级", "全网最低"}[n%6]
		},
		func(r *rand.Rand) []any { return nil }},
	{"content.missing-specs", checks.SeverityWarning, "content.missing-specs",
		func(h *history, p, n int) string { return "specs" },
		func(r *rand.Rand) []any { return []any{3, "品牌、产地、净含量、保质期"} }},
	{"price.original-not-higher", checks.SeverityError, "price.original-not-higher",
		func(h *history, p, n int) string { return "buy-box" },
		func(r *rand.Rand) []any { return []any{"¥128.00", "¥128.00"} }},
	{"layout.horizontal-overflow", checks.SeverityWarning, "layout.horizontal-overflow",
		func(h *history, p, n int) string { return fmt.Sprintf(".banner-%d", n) },
		func(r *rand.Rand) []any { return []any{fmt.Sprint(412 + r.IntN(80)), "390", ".banner"} }},
}

// newDefect draws a finding no run of h has had yet.
func (h *history) newDefect() *defect {
	for {
		k := h.rng.IntN(len(rules))
		p := h.rng.IntN(len(h.urls))
		n := h.rng.IntN(40)
		vp := viewports[h.rng.IntN(2)]
		r := rules[k]
		d := &defect{kind: k, rule: r.rule, severity: r.severity, page: p, viewport: vp,
			subject: r.subject(h, p, n), severityFrom: -1}
		d.fp = fingerprint.Of(d.rule, vp, h.urls[p].url, d.subject)
		if h.fps[d.fp] {
			continue
		}
		h.fps[d.fp] = true
		d.twice = h.rng.Float64() < h.spec.Twice
		return d
	}
}

// plan decides every run of h: its clock and which findings it has.
func (h *history) plan() []*runPlan {
	s := h.spec
	core := make([]*defect, s.Core)
	for i := range core {
		core[i] = h.newDefect()
		if h.rng.IntN(20) == 0 && s.Runs > 1 {
			core[i].severityFrom, core[i].next = h.rng.IntN(s.Runs), checks.SeverityError
		}
	}
	flap := make([]*defect, s.Flap)
	present := make([]bool, s.Flap)
	for i := range flap {
		flap[i] = h.newDefect()
		present[i] = h.rng.Float64() < s.On/math.Max(s.On+s.Off, 1e-9)
	}
	type episode struct {
		d          *defect
		left, back int // runs still to go; runs until it comes back (0: never)
	}
	var live []*episode
	interrupted := map[int]bool{}
	for range s.Interrupted {
		interrupted[1+h.rng.IntN(max(s.Runs-1, 1))] = true
	}
	var plans []*runPlan
	seq := 0
	for i := range s.Runs {
		at := s.Start.Add(time.Duration(i) * s.Every)
		if interrupted[i] {
			// A sweep that died the day before this one, its own day.
			plans = append(plans, &runPlan{h: h, seq: seq, now: at.Add(-s.Every / 2), complete: false,
				defects: append([]*defect(nil), core[:len(core)/2]...)})
			seq++
		}
		p := &runPlan{h: h, seq: seq, now: at, complete: true}
		seq++
		p.defects = append(p.defects, core...)
		for j, d := range flap {
			if i > 0 {
				if present[j] {
					present[j] = h.rng.Float64() >= s.Off
				} else {
					present[j] = h.rng.Float64() < s.On
				}
			}
			if present[j] {
				p.defects = append(p.defects, d)
			}
		}
		for n := poisson(h.rng, s.NewPerRun); n > 0; n-- {
			e := &episode{d: h.newDefect(), left: 1 + poisson(h.rng, math.Max(s.EpisodeRuns-1, 0))}
			if h.rng.IntN(10) == 0 {
				e.back = 2 + h.rng.IntN(30)
			}
			live = append(live, e)
		}
		next := live[:0]
		for _, e := range live {
			switch {
			case e.left > 0:
				p.defects = append(p.defects, e.d)
				e.left--
				if e.left > 0 || e.back > 0 {
					next = append(next, e)
				}
			case e.back > 1:
				e.back--
				next = append(next, e)
			default: // back: one more stretch, then gone for good
				e.back, e.left = 0, 1+poisson(h.rng, math.Max(s.EpisodeRuns-1, 0))
				next = append(next, e)
			}
		}
		live = next
		plans = append(plans, p)
	}
	return plans
}

// poisson draws from a Poisson distribution of mean m (Knuth's method:
// the means here are small).
func poisson(r *rand.Rand, m float64) int {
	if m <= 0 {
		return 0
	}
	l, k, p := math.Exp(-m), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// writeRun writes one run with its pages, prices and findings in one
// transaction.
func (g *gen) writeRun(ctx context.Context, p *runPlan) error {
	h, s := p.h, p.h.spec
	rng := rand.New(rand.NewPCG(uint64(h.index)<<32|uint64(p.seq), 0xda5b0a4d))
	g.runID++
	p.id = g.runID
	if g.cfgJSON == nil {
		g.cfgJSON = map[string]string{}
	}
	cfg, ok := g.cfgJSON[s.Target]
	if !ok {
		c := config.Defaults()
		c.Name, c.StartURLs, c.Concurrency = s.Target, []string{h.urls[0].url}, 4
		cfg = string(c.JSON())
		g.cfgJSON[s.Target] = cfg
	}
	// Pages: a complete run visits every URL in both viewports; an
	// interrupted one the first half.
	visits := len(h.urls) * len(viewports)
	if !p.complete {
		visits /= 2
	}
	pageIDs := map[[2]int]int64{}
	type priceRow struct {
		page int64
		cur  float64
		orig float64
	}
	var prices []priceRow
	pageRows := make([][]any, 0, visits)
	for v := range visits {
		ui, vi := v/len(viewports), v%len(viewports)
		u := h.urls[ui]
		g.pageID++
		pageIDs[[2]int{ui, vi}] = g.pageID
		noise := func(x float64) float64 { return math.Round(x * (0.8 + 0.45*rng.Float64())) }
		lcp := noise(u.lcp)
		if vi == 1 {
			lcp = noise(u.lcp * 1.4)
		}
		fcp := math.Round(lcp * (0.45 + 0.3*rng.Float64()))
		status, errText := 200, ""
		if rng.IntN(2000) == 0 {
			status = 404
		}
		var ocr any
		if u.kind == "product" && vi == 0 {
			ocr = fmt.Sprintf(`{"read":%d,"cached":%d,"skipped_small":%d,"skipped_large":0,"skipped_limit":0,"failed":0}`,
				rng.IntN(3), 6+rng.IntN(6), rng.IntN(4))
		}
		requests := 40 + rng.IntN(80)
		pageRows = append(pageRows, []any{g.pageID, p.id, u.url, u.url, viewports[vi], u.kind, status, errText, u.title,
			u.depth, false, noise(u.ttfb), fcp, lcp, math.Round(lcp * 1.1), math.Round(lcp*1.6 + 300),
			math.Round(rng.Float64()*0.25*1000) / 1000, math.Round(rng.Float64() * 400), requests,
			u.bytes + rng.Int64N(200_000), ocr})
		if u.price > 0 {
			cur := u.price
			// Repriced now and then: a campaign price for a stretch of runs.
			if (p.seq/30+ui)%7 == 0 {
				cur = math.Round(u.price*0.8) - 0.1
			}
			prices = append(prices, priceRow{g.pageID, cur, math.Round(u.price*1.3) - 0.1})
		}
	}
	priceRows := make([][]any, 0, len(prices))
	for _, pr := range prices {
		priceRows = append(priceRows, []any{pr.page, pr.cur, pr.orig, fmt.Sprintf("¥%.2f", pr.cur), fmt.Sprintf("¥%.2f", pr.orig)})
	}

	// Findings, in the order a sweep stores them: by page.
	defects := slices.Clone(p.defects)
	slices.SortStableFunc(defects, func(a, b *defect) int { return a.page*2 + vi(a.viewport) - b.page*2 - vi(b.viewport) })
	var counts storage.Counts
	var findRows [][]any
	for _, d := range defects {
		pid, ok := pageIDs[[2]int{d.page, vi(d.viewport)}]
		if !ok {
			continue // a page the interrupted run did not reach
		}
		sev := d.severity
		if d.severityFrom >= 0 && p.seq >= d.severityFrom {
			sev = d.next
		}
		u := h.urls[d.page]
		for k := range 1 + b2i(d.twice) {
			m := checks.M(rules[d.kind].key, rules[d.kind].args(rng)...)
			ev, _ := json.Marshal(map[string]any{
				"box":      map[string]int{"x": 24 + 8*k, "y": 180 + rng.IntN(1600), "w": 328, "h": 120 + rng.IntN(300)},
				"selector": fmt.Sprintf("#J_DivItemDesc > div:nth-child(%d) img", 1+rng.IntN(12)),
			})
			g.findingID++
			findRows = append(findRows, []any{g.findingID, p.id, pid, d.rule, string(sev), u.url, d.viewport, d.subject,
				m.Render("zh-CN"), string(ev), d.fp, m.Key, m.ArgsJSON()})
			switch sev {
			case checks.SeverityError:
				counts.Error++
			case checks.SeverityWarning:
				counts.Warning++
			default:
				counts.Info++
			}
		}
	}
	h.out.Pages += visits
	h.out.Findings += len(findRows)

	status := storage.StatusComplete
	if !p.complete {
		status = storage.StatusInterrupted
	}
	started := p.now.Add(time.Duration(rng.IntN(90)) * time.Second)
	finished := started.Add(time.Duration(visits) * (2500 + time.Duration(rng.IntN(800))) * time.Millisecond)
	bench, load := 1400+rng.Float64()*300, rng.Float64()*1.5
	urls, _ := json.Marshal([]string{h.urls[0].url})
	tx, err := g.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, (`INSERT INTO runs (id, name, status, started_at, finished_at, heartbeat_at, now,
		start_urls, config, concurrency, cpus, browser, pages, errors, warnings, infos, benchmark_index, load_avg)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		p.id, s.Target, string(status), ts(started), ts(finished), ts(finished), ts(p.now), string(urls), cfg,
		4, 2, "Chromium 156.0.8078.108", visits, counts.Error, counts.Warning, counts.Info, bench, load)
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	if err := g.insert(ctx, tx, "pages", []string{"id", "run_id", "url", "final_url", "viewport", "kind", "status",
		"error", "title", "depth", "timed_out", "ttfb_ms", "fcp_ms", "lcp_ms", "dom_content_loaded_ms", "load_ms", "cls",
		"tbt_ms", "requests", "transfer_bytes", "ocr"}, pageRows); err != nil {
		return fmt.Errorf("pages: %w", err)
	}
	if err := g.insert(ctx, tx, "prices", []string{"page_id", "current", "original", "current_text", "original_text"}, priceRows); err != nil {
		return fmt.Errorf("prices: %w", err)
	}
	if s.Screenshots {
		if err := g.screenshots(ctx, tx, h, visits, pageIDs); err != nil {
			return fmt.Errorf("screenshots: %w", err)
		}
	}
	if err := g.insert(ctx, tx, "findings", []string{"id", "run_id", "page_id", "rule", "severity", "url", "viewport",
		"subject", "message", "evidence", "fingerprint", "message_key", "message_args"}, findRows); err != nil {
		return fmt.Errorf("findings: %w", err)
	}
	return tx.Commit()
}

// assign gives owners to some findings of h's newest complete run and
// marks others fixed.
func (g *gen) assign(ctx context.Context, h *history) error {
	if h.spec.Assigned+h.spec.Marked == 0 || len(h.out.Complete) == 0 {
		return nil
	}
	last := h.out.Complete[len(h.out.Complete)-1]
	var now string
	if err := g.db.QueryRowContext(ctx, ("SELECT now FROM runs WHERE id = ?"), last).Scan(&now); err != nil {
		return err
	}
	at, err := time.Parse(time.RFC3339Nano, now)
	if err != nil {
		return err
	}
	rows, err := g.db.QueryContext(ctx, ("SELECT DISTINCT fingerprint FROM findings WHERE run_id = ? ORDER BY fingerprint"), last)
	if err != nil {
		return err
	}
	var fps []string
	for rows.Next() {
		var fp string
		if err := rows.Scan(&fp); err != nil {
			rows.Close()
			return err
		}
		fps = append(fps, fp)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	owners := []string{"运营-小王", "设计-小李", "客服-小张", "技术-老陈"}
	var vals [][]any
	for i, fp := range fps[:min(h.spec.Assigned, len(fps))] {
		due := at.AddDate(0, 0, 7)
		if i%2 == 0 {
			due = at.AddDate(0, 0, -3) // overdue
		}
		vals = append(vals, []any{h.spec.Target, fp, owners[i%len(owners)], due.Format("2006-01-02"),
			"双11前整改", ts(at.AddDate(0, 0, -10))})
	}
	var marks [][]any
	for _, fp := range fps[min(h.spec.Assigned, len(fps)):min(h.spec.Assigned+h.spec.Marked, len(fps))] {
		marks = append(marks, []any{h.spec.Target, fp, ts(at.Add(time.Hour)), g.runID, "已更换主图"})
	}
	tx, err := g.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := g.insert(ctx, tx, "assignments", []string{"name", "fingerprint", "owner", "due", "note", "assigned_at"}, vals); err != nil {
		return err
	}
	if err := g.insert(ctx, tx, "fix_marks", []string{"name", "fingerprint", "marked_at", "after_run", "note"}, marks); err != nil {
		return err
	}
	return tx.Commit()
}

// insert writes rows into table's columns cols, many rows a statement.
func (g *gen) insert(ctx context.Context, tx *sql.Tx, table string, cols []string, rows [][]any) error {
	_, err := storage.InsertRows(ctx, tx, table, cols, rows, "")
	return err
}

func ts(t time.Time) string { return t.Format(time.RFC3339Nano) }

func vi(viewport string) int {
	if viewport == "mobile" {
		return 1
	}
	return 0
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// screenshots stores the first-screen JPEG of the run's visits, each
// visit's picture once for all runs.
func (g *gen) screenshots(ctx context.Context, tx *sql.Tx, h *history, visits int, pageIDs map[[2]int]int64) error {
	if g.shots == nil {
		g.shots = map[string]string{}
	}
	var blobs, rows [][]any
	for v := range visits {
		ui, vi := v/len(viewports), v%len(viewports)
		key := h.urls[ui].url + " " + viewports[vi]
		hash, ok := g.shots[key]
		if !ok {
			b, err := screenshot(vi, uint64(h.index)<<32|uint64(ui))
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			hash = hex.EncodeToString(sum[:])
			g.shots[key] = hash
			blobs = append(blobs, []any{hash, len(b), b})
		}
		rows = append(rows, []any{pageIDs[[2]int{ui, vi}], hash})
	}
	if err := g.insert(ctx, tx, "blobs", []string{"hash", "size", "data"}, blobs); err != nil {
		return err
	}
	return g.insert(ctx, tx, "screenshots", []string{"page_id", "blob_hash"}, rows)
}

// screenshot draws a page's first screen as the crawler would store it:
// a header, a product picture (a gradient with grain, which JPEG keeps
// as a photo's worth of bytes), lines of text, at JPEG quality 70.
func screenshot(viewport int, seed uint64) ([]byte, error) {
	w, h := 675, 470
	if viewport == 1 {
		w, h = 360, 720
	}
	rng := rand.New(rand.NewPCG(seed, uint64(viewport)))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 0, w, 48), image.NewUniform(color.RGBA{0xff, 0x50, 0x00, 0xff}), image.Point{}, draw.Src)
	side := min(w-32, 320)
	photo := image.Rect(16, 64, 16+side, 64+side)
	r0, g0, b0 := uint8(rng.IntN(128)), uint8(rng.IntN(128)), uint8(rng.IntN(128))
	for y := photo.Min.Y; y < photo.Max.Y; y++ {
		for x := photo.Min.X; x < photo.Max.X; x++ {
			grain := uint8(rng.IntN(24))
			img.SetRGBA(x, y, color.RGBA{r0 + uint8(x/4) + grain, g0 + uint8(y/4) + grain, b0 + grain, 0xff})
		}
	}
	text := image.NewUniform(color.RGBA{0x33, 0x33, 0x33, 0xff})
	for y := photo.Max.Y + 16; y+10 < h; y += 22 {
		draw.Draw(img, image.Rect(16, y, 32+rng.IntN(w-48), y+10), text, image.Point{}, draw.Src)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 70}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
