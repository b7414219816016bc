// Package crawler holds the snapshot of a rendered page (plain data, the only
// input of checks), the frontier that decides which URLs are visited, and the
// sweep loop that drives a Renderer over it. It knows no rule and imports no
// browser library: the browser sits behind the Renderer interface.
package crawler

import "strings"

// Viewport is one emulated screen a page is visited in.
type Viewport struct {
	Name   string  // "desktop" or "mobile"
	Width  int     // CSS px
	Height int     // CSS px
	DPR    float64 // device pixel ratio
	Mobile bool    // touch, mobile UA, meta-viewport honoured
}

// Kind is what a page is, as the crawl semantics define it.
type Kind string

const (
	KindHome    Kind = "home"
	KindProduct Kind = "product"
	KindListing Kind = "listing"
	KindOther   Kind = "other"
)

// Page is the snapshot of one visit of one URL in one viewport. It is plain
// data: checks read it and nothing else. Lists are capped by the renderer (see
// Limits) so a monster page cannot exhaust memory.
type Page struct {
	URL      string // normalised requested URL: the page's identity
	FinalURL string // after redirects
	Viewport Viewport
	Depth    int
	Status   int    // HTTP status of the main document; 0 when there was no usable response
	Error    string // why Status is 0 or the visit was cut short: "timeout", "net::ERR_…", "redirected off-site"
	TimedOut bool   // page_timeout expired; what loaded is kept
	Kind     Kind
	Title    string

	// HTML is the rendered DOM (same-origin iframes and open shadow roots
	// inlined), capped. Every element with text of its own carries what the
	// browser computed for it: data-sc-hidden="" when that text is not
	// shown (display:none, visibility:hidden, zero size, off the page),
	// data-sc-struck="" when it is drawn struck through (<del>, <s>,
	// text-decoration: line-through on it or an ancestor), and data-sc-fs,
	// its font size in CSS px. The page's own data-sc-* attributes are
	// dropped.
	HTML          string
	HTMLTruncated bool

	Links     []Link
	Console   []ConsoleMessage // console.error calls and uncaught exceptions
	Requests  []Request
	Images    []Image
	TextBoxes []TextBox
	// LogoCandidates are the elements that may show the brand's logo, each
	// with a screenshot of how it was drawn. Captured only when the
	// renderer is asked to (RenderOptions.LogoCandidates).
	LogoCandidates []LogoCandidate

	DocWidth, DocHeight int // scrollWidth / scrollHeight of the document, CSS px
	// Screenshot is a JPEG of the first viewport at half the device
	// resolution.
	Screenshot []byte
	// FullScreenshot is a JPEG of the whole page (at most
	// MaxFullScreenshotHeight CSS px tall from the top), at half the device
	// pixels (a cost measured in docs/performance.md); nil when not taken.
	// A sweep takes it only for visits with a finding about a region
	// (evidence.box), and storage keeps it only for those.
	FullScreenshot []byte
	// FullScreenshotHeight is the CSS px height FullScreenshot covers.
	FullScreenshotHeight int

	// Layout is the page's geometry as the browser laid it out, after
	// scrolling back to the top.
	Layout Layout

	Metrics Metrics
	// Samples are the metrics of each load of a visit measured more than
	// once, in load order: with SweepOptions.Repeat, and for a visit whose
	// timings were confirmed (SweepOptions.Suspect); Metrics is then their
	// median. Nil for a visit loaded once.
	Samples []Metrics
	// Unconfirmed marks a visit whose timings were to be confirmed but
	// could not be (the sweep was stopped first): they are one load's on a
	// machine that may have been busy.
	Unconfirmed bool
	// Headings are the texts of the page's h1 elements.
	Headings []string
	// Signals are the DOM facts the page kind is decided from.
	Signals KindSignals
	// Fonts are the web font families the page declares (@font-face rules
	// and FontFace objects of the main document's document.fonts), in the
	// order first declared, at most 50 ("fonts" in Truncated beyond).
	Fonts []WebFont
	// Truncated names the lists that hit their cap ("requests", "links", …).
	Truncated []string
}

// WebFont is one font family the page declares as a web font, and the
// visible text whose computed font-family names it first. Only the main
// document is looked at: a frame has fonts of its own.
type WebFont struct {
	Family string // as declared, unquoted
	// Status sums up the family's faces when the capture ended: "error"
	// when any face failed (its download or its decoding), else "loading",
	// "loaded" or "unloaded" (never needed), by the first that any face has.
	Status string
	// Faces is how many faces (weights, styles, unicode-range subsets) the
	// family has.
	Faces int
	// Srcs are the http(s) URLs of the family's @font-face src descriptors,
	// resolved, at most 10; empty when the rules cannot be read (a
	// cross-origin stylesheet) or the faces were made by script.
	Srcs []string
	// Elements counts the visible elements that draw text of their own in
	// this family (their computed font-family names it first), and the
	// empty visible elements whose ::before / ::after draws a string in it
	// (the usual icon-font markup).
	Elements int
	// PrivateUse counts the Elements whose text holds private-use code
	// points (U+E000–U+F8FF): icon-font glyphs, meaningless in any other
	// font.
	PrivateUse int
	// Fallback counts the Elements whose text is not drawn in the family:
	// document.fonts.check for the element's style and text was false once
	// loading settled (a face it needs failed or never loaded). Only the
	// first 1000 elements of a family are tested.
	Fallback int
	// FallbackPrivateUse counts the Fallback elements with private-use code
	// points.
	FallbackPrivateUse int
	// Examples are up to 3 of the Elements, those that fall back first.
	Examples []FontUse
}

// FontUse is one element drawing text in a web font.
type FontUse struct {
	Selector   string
	Text       string // whitespace-collapsed, cut at 80 characters
	PrivateUse bool   // the text holds private-use code points
	Fallback   bool   // the text is not drawn in the family (see WebFont.Fallback)
}

// KindSignals are DOM facts captured in the browser that decide Page.Kind.
type KindSignals struct {
	BuyControl    bool     // a buy / add-to-cart control (立即购买, 加入购物车, "add to cart" …)
	GalleryImages int      // visible images inside a gallery-like container or large product images
	JSONLDProduct bool     // JSON-LD with @type Product
	OGProduct     bool     // <meta property="og:type" content="product…">
	CardLinks     []string // distinct hrefs of links that wrap or sit beside an image (product cards)
}

// Link is an <a href> seen in the rendered DOM, resolved against the page.
type Link struct {
	URL  string // absolute, fragment dropped
	Text string // whitespace-collapsed, cut at 80 characters
	Rel  string
}

// ConsoleMessage is a console.error call or an uncaught exception.
type ConsoleMessage struct {
	Kind   string // "exception" or "console.error"
	Text   string
	Source string // script URL when known
	Line   int
	Column int
}

// Request is one network request the page made, as the browser saw it.
type Request struct {
	URL       string
	Type      string // CDP resource type: Document, Script, Stylesheet, Image, Font, Media, Fetch, XHR, Other …
	Method    string
	Status    int    // 0 when no response arrived
	Bytes     int64  // encoded bytes on the wire (transfer size)
	Size      int64  // the body size the response declared (Content-Length); 0 when absent
	Failure   string // net::ERR_… text when it failed
	Canceled  bool   // aborted by the page itself (navigation away, script abort)
	Blocked   string // CDP blockedReason: "mixed-content", "inspector", …; not a failure of the site
	MIME      string
	FromCache bool
}

// Box is a rectangle in CSS px of the full page (not of the viewport).
type Box struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// Image is an <img>, a <picture> source or a CSS background image.
type Image struct {
	Src            string // attribute value, resolved
	CurrentSrc     string // what the browser actually shows (srcset / <picture>)
	Selector       string
	Alt            string
	HasAlt         bool // the alt attribute exists (alt="" is a decorative image)
	Background     bool // a CSS background-image
	NaturalWidth   int  // density-corrected by the browser; see DecodedWidth of the bytes
	NaturalHeight  int
	Box            Box    // rendered box
	ObjectFit      string // computed object-fit
	BackgroundSize string // computed background-size for background images
	Visible        bool
	Complete       bool // img.complete
	Gallery        bool // inside a gallery-like container, or a large (≥ 250 px) picture
	Status         int  // HTTP status of CurrentSrc's response, 0 when unknown
	MIME           string
	Bytes          []byte // response body from the browser's own network, nil when unavailable or over the cap
	BytesTruncated bool   // body was over the cap and not kept
}

// IsSVG reports whether the image at URL u (its CurrentSrc or Src) is
// vector art, by the type it was served with or by its file name: pixel
// measures and OCR read raster pictures only (an SVG's text is its markup).
func (im *Image) IsSVG(u string) bool {
	if strings.Contains(strings.ToLower(im.MIME), "svg") {
		return true
	}
	path, _, _ := strings.Cut(u, "?")
	return strings.HasSuffix(strings.ToLower(path), ".svg")
}

// LogoCandidate is an element that may show a logo: an <img>, an element
// with a CSS background image or an inline <svg> that sits in the page's
// header or top band, or whose src, alt, class or id (or an ancestor's) says
// logo or brand.
type LogoCandidate struct {
	Selector string
	Kind     string // "img", "background" or "svg"
	Src      string // image URL for img and background ("" for inline SVG)
	Alt      string
	Box      Box    // drawn content box, CSS px of the full page
	Why      string // "named" (src/alt/class/id says logo or brand) or "header"
	// NaturalWidth and NaturalHeight are the browser's (density-corrected)
	// natural size of an <img>; 0 otherwise.
	NaturalWidth, NaturalHeight int
	// Shot is a PNG of Box as the browser drew it, in device pixels (Box ×
	// the viewport's DPR); nil when the capture failed.
	Shot []byte
}

// MaxFullScreenshotHeight caps FullScreenshot, in CSS px.
const MaxFullScreenshotHeight = 8000

// Layout is the geometry the layout checks judge: plain data captured by
// one in-page script.
type Layout struct {
	// ViewportWidth and ViewportHeight are the layout viewport, CSS px:
	// innerWidth / innerHeight, or the root element's client size when
	// mobile emulation grew innerWidth to the content's width.
	ViewportWidth, ViewportHeight int
	// ScrollWidth is the document's scrollWidth, CSS px.
	ScrollWidth int
	// Overflowing are the elements whose right edge is past the viewport's
	// and that no overflow: hidden/auto/scroll/clip ancestor clips, furthest
	// first, at most 10.
	Overflowing []LayoutBox
	// Navs are the navigation candidates: nav, [role=navigation], and
	// lists of links in the header or named menu / category.
	Navs []Nav
	// Clipped are elements with text of their own whose content is cut off
	// by their box (overflow hidden or clip, scroll size over client size).
	Clipped []ClippedText
	// Selected are the boxes of the elements that RenderOptions.Selectors
	// match, by selector (the first 5 matches of each); a selector that
	// matches nothing is absent.
	Selected map[string][]Box
}

// LayoutBox is an element and its box.
type LayoutBox struct {
	Selector string
	Box      Box
}

// Nav is a navigation candidate.
type Nav struct {
	Selector string
	Kind     string   // "nav" (nav / role=navigation), "header-list", "named-list" (class/id says menu, nav, category …)
	Links    []string // absolute hrefs of its links, hidden ones included, at most 200; dead ones left out
	// Dead counts its links that lead nowhere: an empty href, "#" or "#!"
	// alone, or a javascript: URL (jQuery-era menus that only run a
	// script, or placeholders never filled in). They are not in Links,
	// where "#" would resolve to the page itself and count as a link.
	Dead int
	// DeadHrefs are the distinct hrefs of the Dead links as written
	// ("#", "javascript:void(0)"), at most 5.
	DeadHrefs []string
	TopItems  int // top-level items: the direct <li>s of its first list, else its direct links
	Visible   bool
	Box       Box
}

// ClippedText is text cut off by its element's box.
type ClippedText struct {
	Selector                           string
	Text                               string // whitespace-collapsed, cut at 80 characters
	Hint                               string // the element's and its parent's class and id, for telling titles and prices
	Box                                Box
	ScrollW, ClientW, ScrollH, ClientH int
	// Ellipsis: text-overflow: ellipsis or -webkit-line-clamp makes the cut
	// intended.
	Ellipsis bool
	// Concealed says why the text is hidden on purpose rather than cut
	// off, "" when it is not: "outside-box" (none of it is drawn inside
	// the box: image replacement by text-indent: -9999px or 100%, or
	// padding pushing it below a fixed height), "tiny-box" (the box is at
	// most 2 px on an axis: visually-hidden / sr-only), "clip" (clip:
	// rect(0 0 0 0) or clip-path: inset(50%)), "zero-font" (font-size 0)
	// or "transparent" (its colour has alpha 0).
	Concealed string
}

// TextBox is a visible element with its own text.
type TextBox struct {
	Selector   string
	Text       string // whitespace-collapsed, cut at 80 characters
	Box        Box
	FontSizePx float64
	Visible    bool
	// Parent is 1 + the index in Page.TextBoxes of the nearest ancestor
	// element that is also a text box; 0 when none (the zero value).
	Parent int
	// Transparent: the text's colour has alpha 0 (drawn invisibly).
	Transparent bool
	// Layered: the element (or an ancestor) is absolutely or fixed
	// positioned over an image, video, canvas or background-image element:
	// a caption or badge laid over media on purpose.
	Layered bool
	// Fixed: the element (or an ancestor) is position: fixed or sticky.
	Fixed bool
	// Rects are the line boxes of the text (at most 12), cut to the area
	// its overflow-clipping ancestors let it be drawn in; CSS px of the
	// full page. Box is the rectangle around the uncut lines.
	Rects []Box
	// ClippedAway: the text is all outside its clipping ancestors (an
	// off-screen carousel slide).
	ClippedAway bool
}

// Metrics are the web vitals of one visit. Times are in ms since navigation
// start; a metric that was not measured is nil.
type Metrics struct {
	TTFBms             *float64 `json:"ttfb_ms"`
	FCPms              *float64 `json:"fcp_ms"`
	LCPms              *float64 `json:"lcp_ms"`
	DOMContentLoadedms *float64 `json:"dom_content_loaded_ms"`
	Loadms             *float64 `json:"load_ms"`
	CLS                *float64 `json:"cls"`
	TBTms              *float64 `json:"tbt_ms"`
	Requests           int      `json:"requests"`
	TransferBytes      int64    `json:"transfer_bytes"`
}

// Limits cap a snapshot's lists and byte sizes.
type Limits struct {
	HTMLBytes      int
	TextBoxes      int
	Requests       int
	Links          int
	Images         int
	ImageBytes     int64 // per image body
	ConsoleEntries int
	LogoCandidates int // elements screenshotted as logo candidates
}

// DefaultLimits are generous for real storefronts and small enough that a
// hostile page costs a few tens of MB at most.
var DefaultLimits = Limits{
	HTMLBytes:      2 << 20,
	TextBoxes:      5000,
	Requests:       2000,
	Links:          5000,
	Images:         500,
	ImageBytes:     8 << 20,
	ConsoleEntries: 200,
	LogoCandidates: 12,
}

// Digest is the compact per-visit summary that site-level checks read
// instead of whole snapshots.
type Digest struct {
	URL      string
	FinalURL string
	Viewport string
	Kind     Kind
	Status   int
	Title    string
	Headings []string // h1 texts
	Links    []string // same-site link targets, normalised, de-duplicated, sorted
}

// LinkStatus is what a link target answered, from a visit or from a check request.
type LinkStatus struct {
	Status int    // 0 when no response
	Error  string // network error text
}

// SiteFacts is what site checks read at the end of a sweep.
type SiteFacts struct {
	Digests []Digest
	// LinkStatus maps a normalised same-site URL to what it answered.
	LinkStatus map[string]LinkStatus
}
