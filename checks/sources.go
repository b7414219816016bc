package checks

import (
	"math"

	"github.com/storecheck/storecheck/checks/pagemodel"
)

// Text read from pictures is judged by the same rules, with the same code,
// as page text; a finding says where its text was seen through these
// evidence keys (absent for page text alone):
//
//	source          "image" (only pictures show it) or "page+image" (both)
//	image           the picture's URL (the first picture that shows it)
//	image_box       {x, y, w, h}: the text in that picture, picture px
//	ocr_confidence  the lowest confidence of its words, 0–100
//	ocr_text        the text read there (the line, or its confident stretch)
//	box             the picture on the page, CSS px of the full page
//
// A subject seen in page text and in a picture of the same visit is one
// finding (one fingerprint).
const (
	sourceImage     = "image"
	sourcePageImage = "page+image"
)

// sightings gathers one rule's findings of one visit by key, so that text
// seen both on the page and in a picture is reported once with both
// sources. The first sighting gives the subject, message and evidence.
type sightings struct {
	order []string
	by    map[string]*sighting
}

type sighting struct {
	subject  string
	message  Msg
	evidence map[string]any
	page     bool             // seen in page text
	picture  *pagemodel.Block // the first picture block it was seen in; nil when none
}

// seen reports whether key was already found on this visit, and records
// blk as one more place it shows.
func (s *sightings) seen(key string, blk *pagemodel.Block) bool {
	g := s.by[key]
	if g == nil {
		return false
	}
	g.note(blk)
	return true
}

// add records a finding under key, seen in blk.
func (s *sightings) add(key string, blk *pagemodel.Block, subject string, message Msg, evidence map[string]any) {
	if s.by == nil {
		s.by = map[string]*sighting{}
	}
	g := &sighting{subject: subject, message: message, evidence: evidence}
	g.note(blk)
	s.by[key] = g
	s.order = append(s.order, key)
}

func (g *sighting) note(blk *pagemodel.Block) {
	switch {
	case blk == nil || blk.Picture == nil:
		g.page = true
	case g.picture == nil:
		g.picture = blk
	}
}

// report reports every finding gathered, in the order first found.
func (s *sightings) report(p *Pass) {
	for _, key := range s.order {
		g := s.by[key]
		p.Report("", g.subject, g.message, withSource(g.evidence, g.page, g.picture))
	}
}

// withSource adds the picture keys to ev when text was seen in a picture
// (blk, a block of picture text; nil when none).
func withSource(ev map[string]any, page bool, blk *pagemodel.Block) map[string]any {
	if blk == nil || blk.Picture == nil {
		return ev
	}
	pic := blk.Picture
	if ev == nil {
		ev = map[string]any{}
	}
	ev["source"] = sourceImage
	if page {
		ev["source"] = sourcePageImage
	}
	ev["image"] = pic.URL
	r := pic.Line
	ev["image_box"] = map[string]any{"x": r.Min.X, "y": r.Min.Y, "w": r.Dx(), "h": r.Dy()}
	ev["ocr_confidence"] = math.Round(pic.Conf*10) / 10
	ev["ocr_text"] = blk.Shown
	ev["box"] = boxEvidence(pic.Box)
	return ev
}

// textBlocks are the blocks the text rules read: the page's, then the
// pictures'.
func textBlocks(m *pagemodel.Model) []*pagemodel.Block {
	if len(m.PictureBlocks) == 0 {
		return m.Blocks
	}
	out := make([]*pagemodel.Block, 0, len(m.Blocks)+len(m.PictureBlocks))
	return append(append(out, m.Blocks...), m.PictureBlocks...)
}
