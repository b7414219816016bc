package rodrender

import (
	"github.com/storecheck/storecheck/crawler"
)

// maxFonts caps Page.Fonts (collect.js's MAX_FONTS).
const maxFonts = 50

// collected is what collect.js returns.
type collected struct {
	Title         string   `json:"title"`
	HTML          string   `json:"html"`
	HTMLTruncated bool     `json:"htmlTruncated"`
	Truncated     []string `json:"truncated"`
	DocWidth      float64  `json:"docWidth"`
	DocHeight     float64  `json:"docHeight"`
	Headings      []string `json:"headings"`
	Links         []struct {
		URL  string `json:"url"`
		Text string `json:"text"`
		Rel  string `json:"rel"`
	} `json:"links"`
	Images []struct {
		Src            string      `json:"src"`
		CurrentSrc     string      `json:"currentSrc"`
		Selector       string      `json:"selector"`
		Alt            string      `json:"alt"`
		HasAlt         bool        `json:"hasAlt"`
		Background     bool        `json:"background"`
		NaturalWidth   int         `json:"naturalWidth"`
		NaturalHeight  int         `json:"naturalHeight"`
		Box            crawler.Box `json:"box"`
		ObjectFit      string      `json:"objectFit"`
		BackgroundSize string      `json:"backgroundSize"`
		Visible        bool        `json:"visible"`
		Complete       bool        `json:"complete"`
		Gallery        bool        `json:"gallery"`
	} `json:"images"`
	Texts []struct {
		Selector   string      `json:"selector"`
		Text       string      `json:"text"`
		Box        crawler.Box `json:"box"`
		FontSizePx float64     `json:"fontSizePx"`
		Visible    bool        `json:"visible"`
		// Parent is 1 + the index in Texts itself (visible boxes first,
		// as Page.TextBoxes), 0 when none.
		Parent      int           `json:"parent"`
		Transparent bool          `json:"transparent"`
		Layered     bool          `json:"layered"`
		Rects       []crawler.Box `json:"rects"`
		ClippedAway bool          `json:"clippedAway"`
		Fixed       bool          `json:"fixed"`
	} `json:"texts"`
	Signals struct {
		Buy     bool     `json:"buy"`
		Gallery int      `json:"gallery"`
		JSONLD  bool     `json:"jsonld"`
		OG      bool     `json:"og"`
		Cards   []string `json:"cards"`
	} `json:"signals"`
	LogoCandidates []struct {
		Selector      string      `json:"selector"`
		Kind          string      `json:"kind"`
		Src           string      `json:"src"`
		Alt           string      `json:"alt"`
		Box           crawler.Box `json:"box"`
		Why           string      `json:"why"`
		NaturalWidth  int         `json:"naturalWidth"`
		NaturalHeight int         `json:"naturalHeight"`
	} `json:"logoCandidates"`
	// Layout decodes into crawler's own types where it can: their field
	// names match the script's keys (encoding/json matches case-insensitively).
	Layout struct {
		ViewportWidth  int                      `json:"viewportWidth"`
		ViewportHeight int                      `json:"viewportHeight"`
		ScrollWidth    float64                  `json:"scrollWidth"`
		Overflowing    []crawler.LayoutBox      `json:"overflowing"`
		Navs           []crawler.Nav            `json:"navs"`
		Clipped        []crawler.ClippedText    `json:"clipped"`
		Selected       map[string][]crawler.Box `json:"selected"`
	} `json:"layout"`
	// Fonts decode into crawler's own types (keys match field names).
	Fonts []crawler.WebFont `json:"fonts"`
	// View is the visible part of the page when collect.js ran, CSS px of
	// the full page; nil when the script could not tell.
	View *crawler.Box `json:"view"`
}

// apply copies the capture into p, enforcing the byte cap of the HTML (the
// script caps characters; a character may take up to 3 bytes).
func (c *collected) apply(p *crawler.Page, lim crawler.Limits) {
	p.Title = c.Title
	p.HTML, p.HTMLTruncated = c.HTML, c.HTMLTruncated
	if len(p.HTML) > lim.HTMLBytes {
		p.HTML, p.HTMLTruncated = truncUTF8(p.HTML, lim.HTMLBytes), true
	}
	p.DocWidth, p.DocHeight = int(c.DocWidth+0.5), int(c.DocHeight+0.5)
	p.Headings = c.Headings
	p.Links = make([]crawler.Link, 0, len(c.Links))
	for _, l := range c.Links {
		p.Links = append(p.Links, crawler.Link{URL: l.URL, Text: l.Text, Rel: l.Rel})
	}
	p.Images = make([]crawler.Image, 0, len(c.Images))
	for _, im := range c.Images {
		p.Images = append(p.Images, crawler.Image{
			Src: im.Src, CurrentSrc: im.CurrentSrc, Selector: im.Selector, Alt: im.Alt, HasAlt: im.HasAlt,
			Background: im.Background, NaturalWidth: im.NaturalWidth, NaturalHeight: im.NaturalHeight,
			Box: im.Box, ObjectFit: im.ObjectFit, BackgroundSize: im.BackgroundSize,
			Visible: im.Visible, Complete: im.Complete, Gallery: im.Gallery,
		})
	}
	p.TextBoxes = make([]crawler.TextBox, 0, len(c.Texts))
	for _, t := range c.Texts {
		p.TextBoxes = append(p.TextBoxes, crawler.TextBox{
			Selector: t.Selector, Text: t.Text, Box: t.Box, FontSizePx: t.FontSizePx, Visible: t.Visible,
			Parent: t.Parent, Transparent: t.Transparent, Layered: t.Layered, Fixed: t.Fixed,
			Rects: t.Rects, ClippedAway: t.ClippedAway,
		})
	}
	p.LogoCandidates = nil
	for _, l := range c.LogoCandidates {
		p.LogoCandidates = append(p.LogoCandidates, crawler.LogoCandidate{
			Selector: l.Selector, Kind: l.Kind, Src: l.Src, Alt: l.Alt, Box: l.Box, Why: l.Why,
			NaturalWidth: l.NaturalWidth, NaturalHeight: l.NaturalHeight,
		})
	}
	l := &c.Layout
	p.Layout = crawler.Layout{
		ViewportWidth: l.ViewportWidth, ViewportHeight: l.ViewportHeight, ScrollWidth: int(l.ScrollWidth + 0.5),
		Overflowing: l.Overflowing, Navs: l.Navs, Clipped: l.Clipped, Selected: l.Selected,
	}
	p.Signals = crawler.KindSignals{
		BuyControl: c.Signals.Buy, GalleryImages: c.Signals.Gallery,
		JSONLDProduct: c.Signals.JSONLD, OGProduct: c.Signals.OG, CardLinks: c.Signals.Cards,
	}
	p.Fonts = c.Fonts
	if len(p.Fonts) > maxFonts {
		p.Fonts = p.Fonts[:maxFonts]
		p.Truncated = appendOnce(p.Truncated, "fonts")
	}
	for _, t := range c.Truncated {
		p.Truncated = appendOnce(p.Truncated, t)
	}
}
