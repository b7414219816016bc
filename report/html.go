package report

import (
	"cmp"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/diff"
	"github.com/storecheck/storecheck/lang"
	"github.com/storecheck/storecheck/storage"
	"github.com/storecheck/storecheck/track"
)

//go:embed html
var htmlFiles embed.FS

// htmlTemplate is parsed once per report, its words bound to the report's
// language: t renders a catalog key, word a value's name (severity, kind,
// viewport…) or the value itself when the catalog has no name for it.
// html/template escapes every value by context, so page titles, subjects
// and evidence stay text.
func htmlTemplate(t tfunc) (*template.Template, error) {
	css, err := htmlFiles.ReadFile("html/report.css")
	if err != nil {
		return nil, err
	}
	js, err := htmlFiles.ReadFile("html/report.js")
	if err != nil {
		return nil, err
	}
	return template.New("report.tmpl").Funcs(template.FuncMap{
		// Our own embedded files, not page-derived: trusted as is.
		"css": func() template.CSS { return template.CSS(css) },
		"js":  func() template.JS { return template.JS(js) },
		"t":   t,
		"word": func(group string, v any) string {
			return word(t, group, fmt.Sprint(v))
		},
	}).ParseFS(htmlFiles, "html/report.tmpl")
}

// tfunc renders a key of the reports' catalog in one language.
type tfunc func(key string, args ...any) string

// wordsIn is the reports' catalog bound to tag; the empty tag is English.
func wordsIn(tag lang.Tag) tfunc {
	tag = cmp.Or(tag, lang.EN)
	return func(key string, args ...any) string { return words().Sprintf(tag, key, args...) }
}

// word is the name of v in group (group.v in the catalog), or v itself
// when the catalog has none: a database can hold values we never named.
func word(t tfunc, group, v string) string {
	if k := group + "." + v; words().Has(k) {
		return t(k)
	}
	return v
}

// Pictures reads the stored pictures of a run; *storage.DB has them.
type Pictures interface {
	Screenshot(ctx context.Context, pageID int64) ([]byte, error)
	FullScreenshot(ctx context.Context, pageID int64) ([]byte, int, error)
	EvidenceImages(ctx context.Context, runID int64) (map[string][]checks.EvidenceImage, error)
}

// HTMLInput is what one HTML report shows.
type HTMLInput struct {
	Run *storage.RunData
	// Diff compares Run with an earlier run; nil when there is none.
	Diff *diff.Result
	// Trend is the target's runs up to Run, oldest first, Run last, with
	// their pages (findings are not needed: the run counts are).
	Trend []TrendRun
	// Assigned are the target's assignments by fingerprint: each finding
	// shows its owner and due date, overdue ones (at the run's clock)
	// marked and counted.
	Assigned map[string]storage.Assignment
	// ShotURL, when set, is where a browser gets the screenshot of a
	// card's page at a width in px ("" when the page has none): the report
	// names it instead of embedding it, and the caller serves it. The
	// dashboard does: embedding 1 000 thumbnails meant making them on
	// every request (1.5 s), and the report's script loads a picture only
	// as its card nears the view.
	ShotURL func(pageID int64, width int) string
	// Marks are the target's fix marks by fingerprint: a finding of the
	// run marked fixed reads awaiting re-check when the run began before
	// the mark, and re-check failed when after it.
	Marks map[string]storage.FixMark
	// Lang is the language of the report's own words; empty is English.
	// Findings' messages must already be in it (checks.Localize).
	Lang      lang.Tag
	Generated time.Time
	Version   string
}

// TrendRun is one point of the trend charts.
type TrendRun struct {
	Run   storage.Run
	Pages []storage.PageRow
}

// WriteHTML writes the self-contained HTML report of in.Run: CSS, script and
// downscaled pictures are inline, so the file opens offline and makes no
// request. Its own words, and each rule's advice, are in in.Lang.
func WriteHTML(ctx context.Context, w io.Writer, in HTMLInput, pics Pictures) error {
	t := wordsIn(in.Lang)
	tmpl, err := htmlTemplate(t)
	if err != nil {
		return fmt.Errorf("html report template: %w", err)
	}
	v, err := buildView(ctx, in, pics, t)
	if err != nil {
		return err
	}
	if err := tmpl.Execute(w, v); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

// view is the template's data.
type view struct {
	Lang      lang.Tag
	Title     string
	Run       storage.Run
	Generated string
	Version   string
	Duration  string
	// Host is the host's figures, HostWarning what they mean for the
	// timings ("" when nothing: an idle, fast enough host).
	Host, HostWarning string
	Budgets           config.Budgets
	Counts            []sevCount
	Overdue           int
	Total             int
	PageCount         int
	Rules             []ruleRow
	RuleIDs           []string
	Diff              *diffView
	Charts            []template.HTML
	Cards             []*card
	// Insp is the first page: verdict, areas, groups to fix first,
	// rectifications.
	Insp inspection
}

type sevCount struct {
	Severity string
	N        int
}

type ruleRow struct {
	Rule, Severity string
	N, Pages       int
}

// card is one visit (URL × viewport), or the findings of visits without a
// page row.
type card struct {
	ID, URL, FinalURL, Title, Viewport, Kind, Error string
	Status                                          int
	Worst                                           string // most severe finding's severity; "" when clean
	Price                                           string
	Shot                                            *picture
	Full                                            *fullShot
	Metrics                                         []budgetCell
	Findings                                        []*findingView
	pageID                                          int64
}

type picture struct {
	Src  template.URL
	W, H int
}

// fullShot is the full-page screenshot with every boxed finding outlined.
type fullShot struct {
	picture
	Boxes []overlay
}

// overlay is an outline over a picture, in percent of it.
type overlay struct {
	N                      int
	Severity               string
	Left, Top, Width, High string
}

type budgetCell struct {
	Name, Value, Budget, Band, State string
}

type findingView struct {
	N                                               int
	Rule, Severity, URL, Viewport, Subject, Message string
	Fingerprint                                     string
	// Advice is the rule's rectification advice; "" when it has none yet.
	Advice        string
	Evidence      []evidenceItem
	Images        []labelled
	Crop          *fullShot
	Read          *readView
	New, Reopened bool
	Owner, Due    string
	Overdue       bool
	Recheck       string // "", pending or failed: a fix mark, and what this run says of it
	box           *boxPx
}

type evidenceItem struct{ Key, Value string }

// readView is the picture a finding's text was read from (OCR), with the
// read region outlined, and the text read.
type readView struct {
	// Mark is what tables put before the subject ([image] / [图片]).
	Mark string
	// Pic is the stored crop of the picture; nil when none was stored (its
	// bytes were not captured, or the run predates the crops).
	Pic *picture
	// Box outlines evidence.image_box on Pic; nil when there is no box or
	// it lies outside the crop.
	Box *overlay
	// Part says which part of the picture Pic shows, in picture px.
	Part             string
	Text, Confidence string
	URL              string
	AlsoPage         bool
}

type labelled struct {
	Label, Role string
	picture
}

// buildView turns the run into cards, pictures included, decoding and
// scaling the screenshots on every CPU.
func buildView(ctx context.Context, in HTMLInput, pics Pictures, t tfunc) (*view, error) {
	d := in.Run
	r := d.Run
	v := &view{
		Lang:      cmp.Or(in.Lang, lang.EN),
		Title:     t("html.title", r.Name, strconv.FormatInt(r.ID, 10)),
		Run:       r,
		Generated: in.Generated.Format("2006-01-02 15:04:05 -07:00"),
		Version:   in.Version,
		Duration:  duration(r),
		Budgets:   runBudgets(r),
		PageCount: len(d.Pages),
		Total:     len(d.Findings),
	}
	if h := hostLoadOf(r); h.measured() {
		v.Host, v.HostWarning = h.describe(t), h.warning(t)
	}
	for _, s := range []checks.Severity{checks.SeverityError, checks.SeverityWarning, checks.SeverityInfo} {
		n := 0
		for _, f := range d.Findings {
			if f.Severity == s {
				n++
			}
		}
		v.Counts = append(v.Counts, sevCount{Severity: string(s), N: n})
	}
	v.Rules = rulesTable(d.Findings)
	for _, rr := range v.Rules {
		if !slices.Contains(v.RuleIDs, rr.Rule) {
			v.RuleIDs = append(v.RuleIDs, rr.Rule)
		}
	}
	slices.Sort(v.RuleIDs)

	newFP := map[string]diff.NewFinding{}
	if in.Diff != nil {
		v.Diff = newDiffView(in.Diff)
		for _, f := range in.Diff.New {
			newFP[f.Fingerprint] = f
		}
	}
	v.Charts = trendCharts(in.Trend, v.Budgets, t)
	v.Insp = newInspection(d, in.Assigned, r.Now, v.Lang)

	images := map[string][]checks.EvidenceImage{}
	if pics != nil {
		var err error
		if images, err = pics.EvidenceImages(ctx, r.ID); err != nil {
			return nil, err
		}
	}
	v.Cards = buildCards(d, v.Budgets, images, newFP, v.Lang, t)
	for _, c := range v.Cards {
		for _, f := range c.Findings {
			if a, ok := in.Assigned[f.Fingerprint]; ok {
				f.Owner, f.Due, f.Overdue = a.Owner, a.Due, track.Overdue(a.Due, r.Now)
				if f.Overdue {
					v.Overdue++
				}
			}
			if m, ok := in.Marks[f.Fingerprint]; ok {
				f.Recheck = string(track.RecheckPending)
				if r.ID > m.AfterRun {
					f.Recheck = string(track.RecheckFailed)
				}
			}
		}
	}
	if pics != nil {
		if err := addPictures(ctx, v.Cards, pics, in.ShotURL); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// runBudgets reads the budgets the run was swept with from its stored
// configuration; a run stored without them is judged by the defaults.
func runBudgets(r storage.Run) config.Budgets {
	c := config.Defaults()
	var stored struct {
		Budgets *config.Budgets `json:"budgets"`
	}
	if json.Unmarshal(r.ConfigJSON, &stored) == nil && stored.Budgets != nil {
		b := *stored.Budgets
		// Zero means the key was absent from an older run's config.
		b.LoadMs = cmp.Or(b.LoadMs, c.Budgets.LoadMs)
		b.LCPMs = cmp.Or(b.LCPMs, c.Budgets.LCPMs)
		b.FCPMs = cmp.Or(b.FCPMs, c.Budgets.FCPMs)
		b.CLS = cmp.Or(b.CLS, c.Budgets.CLS)
		b.TBTMs = cmp.Or(b.TBTMs, c.Budgets.TBTMs)
		b.PageBytes = cmp.Or(b.PageBytes, c.Budgets.PageBytes)
		return b
	}
	return c.Budgets
}

func rulesTable(fs []checks.Finding) []ruleRow {
	pages := map[[2]string]map[string]bool{}
	for _, f := range fs {
		k := [2]string{string(f.Severity), f.Rule}
		if pages[k] == nil {
			pages[k] = map[string]bool{}
		}
		pages[k][f.URL] = true
	}
	var out []ruleRow
	for _, rc := range ruleCounts(fs) {
		out = append(out, ruleRow{Rule: rc.rule, Severity: string(rc.severity), N: rc.n,
			Pages: len(pages[[2]string{string(rc.severity), rc.rule}])})
	}
	return out
}

// buildCards makes one card per visit, findings attached, ordered most
// severe first so the report opens on what needs fixing.
func buildCards(d *storage.RunData, b config.Budgets, images map[string][]checks.EvidenceImage, newFP map[string]diff.NewFinding, tag lang.Tag, t tfunc) []*card {
	byVisit := map[[2]string]*card{}
	var cards []*card
	for _, p := range d.Pages {
		c := &card{
			ID: "p" + strconv.FormatInt(p.ID, 10), URL: p.URL, FinalURL: p.FinalURL, Title: p.Title,
			Viewport: p.Viewport, Kind: string(p.Kind), Status: p.Status, Error: p.Error,
			Metrics: metricCells(p, b), pageID: p.ID,
		}
		if p.FinalURL == p.URL {
			c.FinalURL = ""
		}
		if p.Price != nil {
			c.Price = priceText(*p.Price)
		}
		byVisit[[2]string{p.URL, p.Viewport}] = c
		cards = append(cards, c)
	}
	var orphans *card
	for i, f := range d.Findings {
		fv := &findingView{
			N: i + 1, Rule: f.Rule, Severity: string(f.Severity), URL: f.URL, Viewport: f.Viewport,
			Subject: f.Subject, Message: f.Message, Fingerprint: f.Fingerprint,
			Evidence: evidenceItems(f.Evidence), box: evidenceBox(f.Evidence),
		}
		// A rule without advice yet renders as its key: show none then.
		if a := checks.Advice(f.Rule, tag); a != "advice."+f.Rule {
			fv.Advice = a
		}
		if nf, ok := newFP[f.Fingerprint]; ok {
			fv.New, fv.Reopened = true, nf.Reopened
		}
		pics := images[f.Fingerprint]
		if pe, ok := checks.PictureOf(f.Evidence); ok {
			fv.Read, pics = newReadView(pe, sevClass(string(f.Severity)), pics, t)
		}
		for _, im := range pics {
			fv.Images = append(fv.Images, labelled{Label: imageLabel(im.Role, t), Role: sevClass(im.Role), picture: picture{
				Src: dataURL(im.MIME, im.Data), W: im.W, H: im.H}})
		}
		c := byVisit[[2]string{f.URL, f.Viewport}]
		if c == nil {
			if orphans == nil {
				orphans = &card{ID: "site", Title: t("html.orphans")}
			}
			c = orphans
		}
		c.Findings = append(c.Findings, fv)
		if c.Worst == "" || f.Severity.Rank() > checks.Severity(c.Worst).Rank() {
			c.Worst = string(f.Severity)
		}
	}
	if orphans != nil {
		cards = append(cards, orphans)
	}
	slices.SortStableFunc(cards, func(a, b *card) int {
		return cmp.Or(
			cmp.Compare(checks.Severity(b.Worst).Rank(), checks.Severity(a.Worst).Rank()),
			cmp.Compare(len(b.Findings), len(a.Findings)),
		)
	})
	return cards
}

// newReadView shows a finding read from the picture pe describes, on the
// first ImageRead picture among pics (a crop that knows its Region), which
// it takes out of the pictures left to show as they are.
func newReadView(pe checks.PictureEvidence, sev string, pics []checks.EvidenceImage, t tfunc) (*readView, []checks.EvidenceImage) {
	rv := &readView{Mark: t("html.mark.image"), Text: pe.Text, URL: pe.URL, AlsoPage: pe.AlsoPage}
	if pe.Confidence >= 0 {
		rv.Confidence = strconv.FormatFloat(math.Round(pe.Confidence), 'f', -1, 64)
	}
	i := slices.IndexFunc(pics, func(im checks.EvidenceImage) bool {
		return im.Role == checks.ImageRead && !im.Region.Empty() && len(im.Data) > 0
	})
	if i < 0 {
		return rv, pics
	}
	im := pics[i]
	rest := slices.Delete(slices.Clone(pics), i, i+1)
	rv.Pic = &picture{Src: dataURL(im.MIME, im.Data), W: im.W, H: im.H}
	r := im.Region
	itoa := strconv.Itoa
	rv.Part = t("html.read.part", itoa(r.Min.X), itoa(r.Max.X), itoa(r.Min.Y), itoa(r.Max.Y))
	if b := pe.Box.Intersect(r); !b.Empty() {
		w, h := float64(r.Dx()), float64(r.Dy())
		rv.Box = &overlay{Severity: sev,
			Left: pct(float64(b.Min.X-r.Min.X) / w), Top: pct(float64(b.Min.Y-r.Min.Y) / h),
			Width: pct(float64(b.Dx()) / w), High: pct(float64(b.Dy()) / h)}
	}
	return rv, rest
}

// imageLabel names an evidence picture by its role (html.image.<role>).
func imageLabel(role string, t tfunc) string {
	return word(t, "html.image", role)
}

// evidenceItems lists a finding's evidence for reading: the box is drawn
// instead, nested values are compact JSON.
func evidenceItems(ev map[string]any) []evidenceItem {
	keys := make([]string, 0, len(ev))
	for k := range ev {
		if k != "box" && k != "boxes" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := make([]evidenceItem, 0, len(keys))
	for _, k := range keys {
		out = append(out, evidenceItem{Key: k, Value: evidenceValue(ev[k])})
	}
	return out
}

func evidenceValue(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case nil:
		return "—"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := string(b)
	if len(s) > 600 {
		s = s[:600] + "…"
	}
	return s
}

// boxPx is an evidence.box in CSS px of the full page.
type boxPx struct{ X, Y, W, H float64 }

func evidenceBox(ev map[string]any) *boxPx {
	m, ok := ev["box"].(map[string]any)
	if !ok {
		return nil
	}
	num := func(k string) (float64, bool) {
		f, ok := m[k].(float64)
		return f, ok && !math.IsNaN(f) && !math.IsInf(f, 0)
	}
	x, ok1 := num("x")
	y, ok2 := num("y")
	w, ok3 := num("w")
	h, ok4 := num("h")
	if !ok1 || !ok2 || !ok3 || !ok4 || w <= 0 || h <= 0 {
		return nil
	}
	return &boxPx{x, y, w, h}
}

// metricCells are a visit's metrics against the run's budgets, with the
// Lighthouse band where the metric has one.
func metricCells(p storage.PageRow, b config.Budgets) []budgetCell {
	m := p.Metrics
	budgets := map[string]float64{"load_ms": b.LoadMs, "lcp_ms": b.LCPMs, "fcp_ms": b.FCPMs, "cls": b.CLS, "tbt_ms": b.TBTMs}
	var out []budgetCell
	for _, key := range []string{"lcp_ms", "fcp_ms", "cls", "tbt_ms", "ttfb_ms", "load_ms"} {
		c := budgetCell{Name: metricTitle(key), Value: "—"}
		val := diff.MetricValue(m, key)
		if bud, ok := budgets[key]; ok {
			c.Budget = metricValue(key, bud)
		}
		if val != nil {
			c.Value = metricValue(key, *val)
			if bands, ok := diff.BandsFor(p.Viewport, key); ok {
				c.Band = bands.Band(*val)
			}
			if bud, ok := budgets[key]; ok {
				c.State = "ok"
				if *val > bud {
					c.State = "over"
				}
			}
		}
		out = append(out, c)
	}
	bytesCell := budgetCell{Name: "bytes", Value: byteSize(m.TransferBytes), Budget: byteSize(b.PageBytes), State: "ok"}
	if m.TransferBytes > b.PageBytes {
		bytesCell.State = "over"
	}
	out = append(out, bytesCell, budgetCell{Name: "requests", Value: strconv.Itoa(m.Requests)})
	return out
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// diffView is the comparison with the earlier run.
type diffView struct {
	Base                                 storage.Run
	New, Resolved, Persisting            int
	Changed                              []diff.Change
	NewList, ResolvedList                []checks.Finding
	Reopened                             map[string]bool
	Metrics                              []metricChangeView
	Prices                               []priceChangeView
	PagesAdded, PagesRemoved             []diff.Visit
	NewErrors                            int
	MetricsWorse, MetricsBetter, NPrices int
}

type metricChangeView struct {
	URL, Viewport, Metric, Before, After, BandBefore, BandAfter, Direction string
}

type priceChangeView struct{ URL, Viewport, Before, After string }

func newDiffView(r *diff.Result) *diffView {
	v := &diffView{Base: r.Base, New: len(r.New), Resolved: len(r.Resolved), Persisting: len(r.Persisting),
		Changed: r.Changed, ResolvedList: r.Resolved, PagesAdded: r.PagesAdded, PagesRemoved: r.PagesRemoved,
		Reopened: map[string]bool{}, NPrices: len(r.PriceChanges)}
	for _, f := range r.New {
		v.NewList = append(v.NewList, f.Finding)
		if f.Reopened {
			v.Reopened[f.Fingerprint] = true
		}
		if f.Severity == checks.SeverityError {
			v.NewErrors++
		}
	}
	for _, m := range r.MetricChanges {
		v.Metrics = append(v.Metrics, metricChangeView{URL: m.URL, Viewport: m.Viewport, Metric: metricTitle(m.Metric),
			Before: metricValue(m.Metric, m.Before), After: metricValue(m.Metric, m.After),
			BandBefore: m.BandBefore, BandAfter: m.BandAfter, Direction: m.Direction})
		if m.Direction == "worse" {
			v.MetricsWorse++
		} else {
			v.MetricsBetter++
		}
	}
	for _, p := range r.PriceChanges {
		v.Prices = append(v.Prices, priceChangeView{URL: p.URL, Viewport: p.Viewport,
			Before: priceText(p.Before), After: priceText(p.After)})
	}
	// Errors first in the new list: that is what a gate looks at.
	slices.SortStableFunc(v.NewList, func(a, b checks.Finding) int {
		return cmp.Compare(b.Severity.Rank(), a.Severity.Rank())
	})
	return v
}

// addPictures fills each card's screenshot, full-page overview and finding
// crops, one card per CPU at a time: decoding is the report's main cost.
func addPictures(ctx context.Context, cards []*card, pics Pictures, shotURL func(int64, int) string) error {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, c := range cards {
		if c.pageID == 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := cardPictures(ctx, c, pics, shotURL); err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return firstErr
}

func cardPictures(ctx context.Context, c *card, pics Pictures, shotURL func(int64, int) string) error {
	if shotURL != nil {
		if u := shotURL(c.pageID, shotWidth); u != "" {
			c.Shot = &picture{Src: template.URL(u), W: shotWidth, H: shotHeight(c.Viewport)}
		}
	} else {
		shot, err := pics.Screenshot(ctx, c.pageID)
		if err != nil {
			return err
		}
		if len(shot) > 0 {
			c.Shot = thumbnail(shot, shotWidth)
		}
	}
	var boxed []*findingView
	for _, f := range c.Findings {
		if f.box != nil {
			boxed = append(boxed, f)
		}
	}
	if len(boxed) == 0 {
		return nil
	}
	full, height, err := pics.FullScreenshot(ctx, c.pageID)
	if err != nil {
		return err
	}
	if len(full) == 0 || height <= 0 {
		return nil
	}
	fp, err := decodeFull(full, height)
	if err != nil {
		// A picture that does not decode costs the card its outlines, not
		// the report.
		return nil
	}
	c.Full = fp.overview(boxed)
	for _, f := range boxed {
		f.Crop = fp.crop(f)
	}
	return nil
}

// pct formats a share as a CSS percentage.
func pct(v float64) string {
	return strconv.FormatFloat(math.Round(v*10000)/100, 'f', -1, 64) + "%"
}

// sevClass is a severity as a CSS class name; severities are ours, but a
// database could hold anything.
func sevClass(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r == '-' {
			return r
		}
		return -1
	}, s)
}
