package checks

import (
	"sort"

	"github.com/storecheck/storecheck/checks/adlaw"
	"github.com/storecheck/storecheck/checks/pagemodel"
)

// textChecks judge the words a shopper reads: absolute advertising terms.
func textChecks() []*Check {
	return []*Check{
		{
			ID:          "text.banned-term",
			Doc:         "an absolute / exaggerated term (Advertising Law art. 9(3)); one finding per term per page, every sentence in evidence",
			Severity:    SeverityError,
			Subject:     "the term",
			Run:         runBannedTerm,
			PictureText: true,
		},
	}
}

// maxTermSentences bounds the sentences a banned-term finding carries.
const maxTermSentences = 10

// runBannedTerm reports each banned term the page shows (its <title>, every
// shown block, spec tables excepted: they state facts, not claims, and the
// text read from its pictures), once, with every sentence it occurs in.
func runBannedTerm(p *Pass) {
	if p.Page.Status >= 400 || p.Page.HTML == "" {
		return
	}
	list := p.Env.Banned
	specs := p.Model.Specs
	type hit struct {
		sentences []string
		seen      map[string]bool
		n         int
		page      bool
		picture   *pagemodel.Block // the first picture block showing the term
	}
	hits := map[string]*hit{}
	look := func(text string, pic *pagemodel.Block) {
		for _, m := range list.Find(text) {
			h := hits[m.Term]
			if h == nil {
				h = &hit{seen: map[string]bool{}}
				hits[m.Term] = h
			}
			h.n++
			if pic == nil {
				h.page = true
			} else if h.picture == nil {
				h.picture = pic
			}
			s := adlaw.Sentence(text, m.Start, m.End)
			if !h.seen[s] && len(h.sentences) < maxTermSentences {
				h.seen[s] = true
				h.sentences = append(h.sentences, s)
			}
		}
	}
	look(p.Page.Title, nil)
	for _, blk := range textBlocks(p.Model) {
		if pagemodel.InAny(blk.Node, specs) {
			continue
		}
		var pic *pagemodel.Block
		if blk.Picture != nil {
			pic = blk
		}
		look(blk.Shown, pic)
	}
	terms := make([]string, 0, len(hits))
	for t := range hits {
		terms = append(terms, t)
	}
	sort.Strings(terms)
	for _, t := range terms {
		h := hits[t]
		key := "text.banned-term"
		if !h.page {
			key = "text.banned-term/picture"
		}
		p.Report("", t, M(key, t),
			withSource(map[string]any{"sentences": h.sentences, "occurrences": h.n}, h.page, h.picture))
	}
}
