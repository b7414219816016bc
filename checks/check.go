// Package checks holds every rule storecheck knows, as values in a sorted
// registry. A check reads a crawler.Page (or, for site checks, the per-page
// digests) and reports findings through its Pass; it never touches the browser
// or the database.
package checks

import (
	"fmt"
	"image"
	"sort"
	"time"

	"github.com/storecheck/storecheck/checks/fingerprint"
	"github.com/storecheck/storecheck/checks/pagemodel"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/lang"
)

// Severity is how bad a finding is; --fail-on compares against it.
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Rank orders severities: error 3, warning 2, info 1, anything else 0.
func (s Severity) Rank() int {
	switch s {
	case SeverityError:
		return 3
	case SeverityWarning:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

// Check is one rule: a page rule (Run), a site rule (RunSite), or both.
// What a rule needs beyond the page model is declared on it, so that
// neither the engine nor the sweep knows a rule by name.
type Check struct {
	ID       string   // stable rule ID, "family.name"
	Doc      string   // one line: when it fires
	Severity Severity // default severity
	// SeverityDoc overrides the severity column of the catalog when the
	// severity depends on the page ("home / else").
	SeverityDoc string
	Subject     string // what the finding's subject holds
	// Enabled reports whether the configuration this rule needs is present;
	// nil means always enabled.
	Enabled func(*Env) bool
	Run     func(*Pass)
	RunSite func(*SitePass)

	// Pictures lists the pixel measures Run will ask of the visit's
	// pictures; the engine takes every active rule's at once, in parallel,
	// before the rules run, so each picture is decoded once. Nil: none.
	Pictures func(env *Env, m *pagemodel.Model) []PictureNeed
	// LogoCandidates: Run reads the page's logo candidates, which the
	// crawler screenshots only when an active rule declares it.
	LogoCandidates bool
	// PriceHistory: Run reads Env.PriceHistory, which the sweep loads from
	// stored runs only when an active rule declares it.
	PriceHistory bool
	// Facts: RunSite reads every visit's PageFacts, which the sweep keeps
	// only when an active rule declares it.
	Facts bool
	// Strict: a pre-campaign check (preflight) raises the rule's findings
	// to error.
	Strict bool
	// PictureText: Run judges the text read from the visit's pictures
	// (Model.PictureBlocks), which the sweep reads (OCR) only when an
	// active rule declares it.
	PictureText bool
	// Suspect reports whether Run would judge the visit on a measure that
	// a busy machine, not the page, may have pushed over its limit (a
	// timing budget). The sweep then loads the page again, alone, before
	// Run sees it (budgets.confirm_runs). Nil: Run judges single loads.
	Suspect func(env *Env, p *crawler.Page) bool
}

// Finding is one reported defect. Evidence holds the numbers behind the
// verdict; Fingerprint is filled in by the report callback.
type Finding struct {
	Rule        string         `json:"rule"`
	Severity    Severity       `json:"severity"`
	URL         string         `json:"url"`
	Viewport    string         `json:"viewport"`
	Subject     string         `json:"subject"`
	Message     string         `json:"message"`
	Evidence    map[string]any `json:"evidence"`
	Fingerprint string         `json:"fingerprint"`
	// Images are the pictures behind the verdict, for the HTML report: the
	// flagged image, the logo as drawn beside the reference. They are stored
	// with the finding but are not part of its JSON.
	Images []EvidenceImage `json:"-"`
	// Msg is Message as a catalog key and its arguments, from which
	// Localize renders Message in the language asked for; stored with the
	// finding, not part of its JSON. Empty in runs stored before messages
	// had keys: their Message is shown as stored.
	Msg Msg `json:"-"`
}

// EvidenceImage is one picture backing a finding, already downscaled so a
// report of many pages stays small.
type EvidenceImage struct {
	Role string // what it shows: ImageFlagged, ImageDrawn, ImageReference or ImageRead
	MIME string // image/jpeg or image/png
	Data []byte
	W, H int // pixel size of Data
	// Region is the part of the source picture Data shows, scaled to W×H,
	// in that picture's pixels (origin top left): set on ImageRead pictures,
	// where it is the picture's bounds when Data shows all of it; empty
	// when not known (thumbnails of the other roles).
	Region image.Rectangle
}

// Roles of an EvidenceImage.
const (
	ImageFlagged   = "flagged"   // the picture the finding is about, as the browser received it
	ImageDrawn     = "drawn"     // the region as the browser drew it (a logo candidate's screenshot)
	ImageReference = "reference" // what it was compared with (the brand's logo, a protected mark)
)

// Pass is one check's view of one page visit.
type Pass struct {
	Check *Check
	Page  *crawler.Page
	Env   *Env
	// Model is the page as every rule of the visit reads it, built once
	// before any rule runs.
	Model *pagemodel.Model
	emit  func(Finding)
}

// Report records a finding whose message is m (see Msg): its Message
// is m in English until Localize renders it in the language asked for.
func (p *Pass) Report(sev Severity, subject string, m Msg, evidence map[string]any) {
	p.ReportWith(sev, subject, m, evidence, nil)
}

// ReportWith is Report with the pictures behind the finding.
func (p *Pass) ReportWith(sev Severity, subject string, m Msg, evidence map[string]any, images []EvidenceImage) {
	if sev == "" {
		sev = p.Check.Severity
	}
	f := newFinding(p.Check.ID, sev, p.Page.URL, p.Page.Viewport.Name, subject, m.Render(lang.EN), evidence)
	f.Msg = m
	f.Images = images
	p.emit(f)
}

// SitePass is one site check's view of the whole sweep.
type SitePass struct {
	Check *Check
	Site  *crawler.SiteFacts
	Env   *Env
	// Facts are the per-visit facts of the sweep, in visit order; nil
	// unless the check declares Facts.
	Facts []PageFacts
	emit  func(Finding)
}

// Report records a finding about the visit of url in viewport whose
// message is m (see Pass.Report).
func (p *SitePass) Report(url, viewport string, sev Severity, subject string, m Msg, evidence map[string]any) {
	if sev == "" {
		sev = p.Check.Severity
	}
	f := newFinding(p.Check.ID, sev, url, viewport, subject, m.Render(lang.EN), evidence)
	f.Msg = m
	p.emit(f)
}

func newFinding(rule string, sev Severity, url, viewport, subject, message string, evidence map[string]any) Finding {
	subject = fingerprint.Subject(subject)
	if evidence == nil {
		evidence = map[string]any{}
	}
	return Finding{
		Rule: rule, Severity: sev, URL: url, Viewport: viewport, Subject: subject,
		Message: message, Evidence: evidence,
		Fingerprint: fingerprint.Of(rule, viewport, url, subject),
	}
}

// Registry returns every check, sorted by ID. It builds a fresh slice each
// call, so callers may filter it freely.
func Registry() []*Check {
	all := []*Check{}
	all = append(all, perfChecks()...)
	all = append(all, pageChecks()...)
	all = append(all, securityChecks()...)
	all = append(all, imageChecks()...)
	all = append(all, logoChecks()...)
	all = append(all, productChecks()...)
	all = append(all, priceChecks()...)
	all = append(all, promoChecks()...)
	all = append(all, textChecks()...)
	all = append(all, contentChecks()...)
	all = append(all, layoutChecks()...)
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all
}

// Active returns the checks of reg that are enabled under env.
func Active(reg []*Check, env *Env) []*Check {
	var out []*Check
	for _, c := range reg {
		if c.Enabled == nil || c.Enabled(env) {
			out = append(out, c)
		}
	}
	return out
}

// RunPage runs every page check of cs over page and returns the findings,
// sorted (rule, subject).
func RunPage(cs []*Check, env *Env, page *crawler.Page) []Finding {
	fs, _ := RunPageFacts(cs, env, page)
	return fs
}

// RunPageFacts is RunVisit of a visit whose pictures were not read.
func RunPageFacts(cs []*Check, env *Env, page *crawler.Page) ([]Finding, PageFacts) {
	return RunVisit(cs, env, Visit{Page: page})
}

// Visit is one page visit as the checks read it: the snapshot, and the
// text the sweep read from its pictures. Reading pictures is the sweep's
// step between the crawler and the checks; the checks only judge the text.
type Visit struct {
	Page *crawler.Page
	// Pictures is the text read from the visit's pictures, one entry per
	// distinct picture read; nil when none was read (ocr.enabled false, no
	// tesseract), and then no rule judges picture text.
	Pictures []pagemodel.Picture
}

// RunVisit builds the page model (the page and its pictures' text), takes
// the pixel measures the rules declare, runs every page check of cs, and
// returns the findings (sorted) with the visit's facts: the product's price
// as the page showed it, stored with the run, and what site rules compare
// across pages. A nil env means the defaults at the wall clock.
func RunVisit(cs []*Check, env *Env, v Visit) ([]Finding, PageFacts) {
	if env == nil {
		env = defaultEnv()
	}
	page := v.Page
	var out []Finding
	emit := func(f Finding) { out = append(out, f) }
	m := pagemodel.BuildVisit(page, v.Pictures, env.modelOptions())
	prefetchMeasures(cs, env, m)
	for _, c := range cs {
		if c.Run == nil {
			continue
		}
		c.Run(&Pass{Check: c, Page: page, Env: env, Model: m, emit: emit})
	}
	SortFindings(out)
	return out, factsOf(m)
}

// RunSite runs every site check of cs over the sweep's digests; facts are
// the sweep's per-visit facts, handed to the checks that declare Facts.
func RunSite(cs []*Check, env *Env, site *crawler.SiteFacts, facts []PageFacts) []Finding {
	if env == nil {
		env = defaultEnv()
	}
	var out []Finding
	emit := func(f Finding) { out = append(out, f) }
	for _, c := range cs {
		if c.RunSite == nil {
			continue
		}
		sp := &SitePass{Check: c, Site: site, Env: env, emit: emit}
		if c.Facts {
			sp.Facts = facts
		}
		c.RunSite(sp)
	}
	SortFindings(out)
	return out
}

// defaultEnv is the environment of the contract's defaults.
func defaultEnv() *Env {
	env, err := NewEnv(nil, time.Time{})
	if err != nil {
		panic(fmt.Sprintf("the default config does not make an environment: %v", err)) // the defaults are fixed
	}
	return env
}

// SortFindings sorts by url, viewport, rule, subject, fingerprint: the order
// every list leaving the program has.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.URL != b.URL {
			return a.URL < b.URL
		}
		if a.Viewport != b.Viewport {
			return a.Viewport < b.Viewport
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Subject != b.Subject {
			return a.Subject < b.Subject
		}
		return a.Fingerprint < b.Fingerprint
	})
}
