// Package checks holds every rule storecheck knows, as values in a sorted
// registry. A check reads a crawler.Page (or, for site checks, the per-page
// digests) and reports findings through its Pass; it never touches the browser
// or the database.
package checks

import (
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/storecheck/storecheck/crawler"
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

// Check is one rule: a page rule (Run), a site rule (RunSite), or a site
// rule whose Run only collects what RunSite compares at the end of the
// sweep (price.inconsistent).
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
}

// EvidenceImage is one picture backing a finding, already downscaled so a
// report of many pages stays small.
type EvidenceImage struct {
	Role string // what it shows: ImageFlagged, ImageDrawn or ImageReference
	MIME string // image/jpeg or image/png
	Data []byte
	W, H int // pixel size of Data
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
	doc   *sharedDoc
	emit  func(Finding)
}

// sharedDoc parses a page's HTML once, on first use, for every check.
type sharedDoc struct {
	once sync.Once
	html string
	doc  *goquery.Document

	textOnce sync.Once
	text     *pageText
	boxOnce  sync.Once
	box      *buyBox

	promoOnce sync.Once
	promos    []promoText

	specOnce sync.Once
	specs    []*html.Node

	cardsOnce sync.Once
	cards     []linkCard
}

// Doc returns the page's rendered DOM, parsed once and shared by every check
// of the visit. It is never nil: unparsable HTML yields an empty document.
func (p *Pass) Doc() *goquery.Document {
	p.doc.once.Do(func() {
		d, err := goquery.NewDocumentFromReader(strings.NewReader(p.doc.html))
		if err != nil {
			d, _ = goquery.NewDocumentFromReader(strings.NewReader(""))
		}
		p.doc.doc = d
	})
	return p.doc.doc
}

// Report records a finding of this pass's check on this page and viewport.
// sev "" means the check's default severity.
func (p *Pass) Report(sev Severity, subject, message string, evidence map[string]any) {
	p.ReportWith(sev, subject, message, evidence, nil)
}

// ReportWith is Report with the pictures behind the finding (its Images);
// images may be nil.
func (p *Pass) ReportWith(sev Severity, subject, message string, evidence map[string]any, images []EvidenceImage) {
	if sev == "" {
		sev = p.Check.Severity
	}
	f := newFinding(p.Check.ID, sev, p.Page.URL, p.Page.Viewport.Name, subject, message, evidence)
	f.Images = images
	p.emit(f)
}

// SitePass is one site check's view of the whole sweep.
type SitePass struct {
	Check *Check
	Site  *crawler.SiteFacts
	Env   *Env
	emit  func(Finding)
}

// Report records a finding about the visit of url in viewport.
func (p *SitePass) Report(url, viewport string, sev Severity, subject, message string, evidence map[string]any) {
	if sev == "" {
		sev = p.Check.Severity
	}
	p.emit(newFinding(p.Check.ID, sev, url, viewport, subject, message, evidence))
}

func newFinding(rule string, sev Severity, url, viewport, subject, message string, evidence map[string]any) Finding {
	subject = subjectText(subject)
	if evidence == nil {
		evidence = map[string]any{}
	}
	return Finding{
		Rule: rule, Severity: sev, URL: url, Viewport: viewport, Subject: subject,
		Message: message, Evidence: evidence,
		Fingerprint: Fingerprint(rule, viewport, url, subject),
	}
}

// subjectText is the stored form of a subject: an absolute URL is kept whole
// (cutting it would merge different resources and keep half a cache-buster in
// the fingerprint); any other text is excerpted.
func subjectText(s string) string {
	if t := strings.TrimSpace(s); schemeRE.MatchString(t) && !strings.ContainsFunc(t, unicode.IsSpace) {
		return t
	}
	return Excerpt(s)
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
	all = append(all, copyChecks()...)
	all = append(all, layoutChecks()...)
	all = append(all, integrityChecks()...)
	all = append(all, listingChecks()...)
	all = append(all, fontChecks()...)
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

// RunPageFacts is RunPage, also returning the product's price as the page
// showed it (nil when it is not a product page or shows no current price):
// the sweep stores it with the run, for comparing runs.
func RunPageFacts(cs []*Check, env *Env, page *crawler.Page) ([]Finding, *PagePrice) {
	var out []Finding
	doc := &sharedDoc{html: page.HTML}
	emit := func(f Finding) { out = append(out, f) }
	prefetchMeasures(cs, env, page)
	for _, c := range cs {
		if c.Run == nil {
			continue
		}
		c.Run(&Pass{Check: c, Page: page, Env: env, doc: doc, emit: emit})
	}
	SortFindings(out)
	return out, (&Pass{Page: page, Env: env, doc: doc, emit: emit}).Price()
}

// RunSite runs every site check of cs over the sweep's digests.
func RunSite(cs []*Check, env *Env, site *crawler.SiteFacts) []Finding {
	var out []Finding
	emit := func(f Finding) { out = append(out, f) }
	for _, c := range cs {
		if c.RunSite == nil {
			continue
		}
		c.RunSite(&SitePass{Check: c, Site: site, Env: env, emit: emit})
	}
	SortFindings(out)
	return out
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
