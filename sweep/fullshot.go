package sweep

import (
	"context"
	"sync"

	"github.com/storecheck/storecheck/checks/pagemodel"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/storage"
)

// fullShots answers the crawler's question whether a visit takes its
// full-page screenshot (crawler.SweepOptions.FullScreenshot): only when one
// of its findings outlines a region of the page, the one use of that
// screenshot. Drawing the whole page is the costliest capture of a visit,
// and a clean page (most of a shop) needs none.
//
// The question is asked while the visit's tab is open, before the visit
// function sees the page, so the answer checks the page once more than
// before. What that costs is the pictures' text, which is kept here for
// the visit function; the picture measures are cached for the sweep by
// then (checks.MeasureCache), and the text rules take well under a
// millisecond a page.
type fullShots struct {
	rules    *rules
	pictures *pictureReader

	mu   sync.Mutex
	read map[*crawler.Page]pictureText // read for the question, not yet taken
	yes  int                           // visits answered yes
}

// pictureText is what the picture reader returned for one visit.
type pictureText struct {
	pics   []pagemodel.Picture
	counts *storage.OCRCounts
}

func newFullShots(rs *rules, pictures *pictureReader) *fullShots {
	return &fullShots{rules: rs, pictures: pictures, read: map[*crawler.Page]pictureText{}}
}

// want reports whether the visit p needs its full-page screenshot. Safe for
// concurrent use.
func (f *fullShots) want(ctx context.Context, p *crawler.Page) bool {
	pics, counts := f.pictures.read(ctx, p)
	want := f.rules.outlines(p, pics)
	f.mu.Lock()
	f.read[p] = pictureText{pics: pics, counts: counts}
	if want {
		f.yes++
	}
	f.mu.Unlock()
	return want
}

// taken is how many visits were answered yes.
func (f *fullShots) taken() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.yes
}

// readPictures returns the text of p's pictures: what want read for it,
// else read now. Safe for concurrent use.
func (f *fullShots) readPictures(ctx context.Context, p *crawler.Page) ([]pagemodel.Picture, *storage.OCRCounts) {
	f.mu.Lock()
	t, ok := f.read[p]
	delete(f.read, p)
	f.mu.Unlock()
	if ok {
		return t.pics, t.counts
	}
	return f.pictures.read(ctx, p)
}
