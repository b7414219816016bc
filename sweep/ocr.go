package sweep

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"image"
	"log/slog"
	"sync"

	"github.com/storecheck/storecheck/checks/fingerprint"
	"github.com/storecheck/storecheck/checks/pagemodel"
	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/ocr"
	"github.com/storecheck/storecheck/storage"

	// Decoders for DecodeConfig of the pictures shops serve.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/webp"
)

// pictureReader is the sweep's OCR step, between the crawler and the
// checks: it chooses a visit's pictures, reads them through the ocr.Reader
// (the store's cache first) and hands the text to the checks with the
// visit. Built once per sweep; safe for concurrent visits.
type pictureReader struct {
	reader *ocr.Reader
	opts   config.OCR
	maxMP  float64 // images.max_megapixels
	log    *slog.Logger

	// A picture shown on many pages, or in both viewports, is read once
	// per sweep: later visits wait for the first read and count it cached.
	mu   sync.Mutex
	memo map[string]*pictureRead

	early sync.WaitGroup // readEarly's reads
}

// pictureRead is one picture's read, shared by the visits that show it.
type pictureRead struct {
	done chan struct{}
	res  ocr.Result
	err  error
	// stored: the result came from the store's cache, no engine ran.
	stored bool
	// counted: a visit counted the engine's run as its read (under mu);
	// every visit after it counts the picture cached.
	counted bool
}

// newPictureReader builds the OCR step of a sweep under cfg: nil when
// ocr.enabled is false or no active rule judges picture text, and nil
// after one warning when tesseract (or a language it needs) is missing:
// then only the picture judgments are skipped.
func newPictureReader(ctx context.Context, cfg *config.Config, wanted bool, cache ocr.Cache, log *slog.Logger) *pictureReader {
	if !cfg.OCR.Enabled || !wanted {
		return nil
	}
	eng, err := ocr.Find(ctx, cfg.OCR.Tesseract)
	if err != nil {
		log.Warn("ocr: tesseract not found; text inside pictures is not judged this sweep", "err", err)
		return nil
	}
	missing, err := eng.Missing(ctx, cfg.OCR.Languages)
	if err != nil {
		log.Warn("ocr: tesseract unusable; text inside pictures is not judged this sweep", "err", err)
		return nil
	}
	if len(missing) > 0 {
		log.Warn("ocr: tesseract lacks a language of ocr.languages; text inside pictures is not judged this sweep",
			"language", missing[0], "missing", missing, "tesseract", eng.Path)
		return nil
	}
	// Workers 0: one tesseract per CPU (ocr.Options), whatever the
	// sweep's concurrency, so pictures of concurrent visits share the pool.
	r := ocr.NewReader(eng, ocr.Options{Languages: cfg.OCR.Languages}, cache)
	log.Info("ocr: reading pictures", "tesseract", eng.Path, "version", eng.Version, "languages", cfg.OCR.Languages)
	return &pictureReader{reader: r, opts: cfg.OCR, maxMP: cfg.Images.MaxMegapixels, log: log, memo: map[string]*pictureRead{}}
}

// candidate is a picture chosen to be read.
type candidate struct {
	bytes []byte
	key   string
}

// read reads the visit's pictures: the visible, raster ones (<img> and CSS
// backgrounds) that did not fail and whose bytes the crawler kept, at least ocr.min_px CSS px on
// their shorter rendered side, at most images.max_megapixels decoded,
// each distinct content once, the first ocr.max_per_page of them in
// document order. A picture that fails is counted, and logged at warn when
// the engine timed out or crashed on it; the visit goes on. It returns
// the text read and the counts; nil for both on a nil reader or a visit
// without a usable page.
func (r *pictureReader) read(ctx context.Context, pg *crawler.Page) ([]pagemodel.Picture, *storage.OCRCounts) {
	if r == nil || pg.Status < 200 || pg.Status >= 400 || pg.HTML == "" {
		return nil, nil
	}
	counts := &storage.OCRCounts{}
	var chosen []candidate
	var shown []*crawler.Image // chosen[i]'s image
	seenURL, seenBytes := map[string]bool{}, map[[32]byte]bool{}
	for i := range pg.Images {
		im := &pg.Images[i]
		u := pagemodel.ImageURL(im)
		if !im.Visible || u == "" || im.Status >= 400 || im.IsSVG(u) || seenURL[fingerprint.Normalize(u)] {
			continue
		}
		seenURL[fingerprint.Normalize(u)] = true
		if min(im.Box.W, im.Box.H) < float64(r.opts.MinPx) {
			counts.SkippedSmall++
			continue
		}
		if len(im.Bytes) == 0 || im.BytesTruncated {
			continue // nothing to read: the crawler kept no bytes
		}
		sum := sha256.Sum256(im.Bytes)
		if seenBytes[sum] {
			continue
		}
		seenBytes[sum] = true
		cfg, _, err := image.DecodeConfig(bytes.NewReader(im.Bytes))
		if err != nil {
			// image.broken reports a picture that does not decode; the
			// engine never saw it, so no warning here.
			counts.Failed++
			r.log.Debug("ocr: picture not read", "url", u, "page", pg.URL, "err", fmt.Errorf("decode: %w", err))
			continue
		}
		if float64(cfg.Width)*float64(cfg.Height)/1e6 > r.maxMP {
			counts.SkippedLarge++
			continue
		}
		if len(chosen) == r.opts.MaxPerPage {
			counts.SkippedLimit++
			continue
		}
		chosen = append(chosen, candidate{bytes: im.Bytes, key: r.reader.Key(im.Bytes)})
		shown = append(shown, im)
	}

	outs := r.readShared(ctx, chosen, true)

	var pics []pagemodel.Picture
	for i, o := range outs {
		im := shown[i]
		switch {
		case o.Err != nil:
			counts.Failed++
			if ctx.Err() == nil {
				r.log.Warn("ocr: picture not read", "url", pagemodel.ImageURL(im), "page", pg.URL, "err", o.Err)
			}
			continue
		case o.Cached:
			counts.Cached++
		default:
			counts.Read++
		}
		if len(o.Result.Lines) > 0 {
			pics = append(pics, pagemodel.Picture{Image: im, Lines: o.Result.Lines})
		}
	}
	return pics, counts
}

// readEarly starts reading, in the background, the pictures among a
// visit's early bodies (crawler.RenderRequest.Prefetched) that the visit
// may choose, judged by their bytes alone as read judges them: decoded at
// least ocr.min_px on the shorter side, at most images.max_megapixels,
// each distinct content once, at most ocr.max_per_page. The visit's own
// read then finds them read or under way (the memo) instead of reading
// them while its tab waits. A picture the visit does not choose after all
// (hidden, or shown smaller than ocr.min_px) was read for nothing: the
// price of starting early. A read that fails is forgotten, and the visit
// reads the picture itself. wait waits for every read started here.
func (r *pictureReader) readEarly(ctx context.Context, bodies [][]byte) {
	if r == nil {
		return
	}
	r.early.Go(func() {
		var chosen []candidate
		seen := map[[32]byte]bool{}
		for _, b := range bodies {
			if len(chosen) == r.opts.MaxPerPage {
				break
			}
			sum := sha256.Sum256(b)
			if seen[sum] {
				continue
			}
			seen[sum] = true
			cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
			if err != nil || min(cfg.Width, cfg.Height) < r.opts.MinPx ||
				float64(cfg.Width)*float64(cfg.Height)/1e6 > r.maxMP {
				continue
			}
			chosen = append(chosen, candidate{bytes: b, key: r.reader.Key(b)})
		}
		r.readShared(ctx, chosen, false)
	})
}

// wait waits for the reads readEarly started.
func (r *pictureReader) wait() {
	if r != nil {
		r.early.Wait()
	}
}

// readShared reads the chosen pictures of a visit through the Reader in
// one batch (ocr.Reader.ReadAll: the engine's models load once per visit,
// not once per picture), each once per sweep: a picture another read has
// under way is waited for. The first visit (visit: not readEarly) to take
// an engine's read counts it read, the others cached. A failed read is not
// remembered, so a later visit tries again; a visit that waited on one
// reads it itself.
func (r *pictureReader) readShared(ctx context.Context, chosen []candidate, visit bool) []ocr.Outcome {
	outs := make([]ocr.Outcome, len(chosen))
	var mine []int
	var mineReads []*pictureRead
	theirs := map[int]*pictureRead{}
	r.mu.Lock()
	for i, c := range chosen {
		if pr, ok := r.memo[c.key]; ok {
			theirs[i] = pr
			continue
		}
		pr := &pictureRead{done: make(chan struct{})}
		r.memo[c.key] = pr
		mine = append(mine, i)
		mineReads = append(mineReads, pr)
	}
	r.mu.Unlock()

	if len(mine) > 0 {
		data := make([][]byte, len(mine))
		for j, i := range mine {
			data[j] = chosen[i].bytes
		}
		read := r.reader.ReadAll(ctx, data)
		for j, i := range mine {
			outs[i] = read[j]
			pr := mineReads[j]
			pr.res, pr.err, pr.stored = read[j].Result, read[j].Err, read[j].Cached
			r.mu.Lock()
			if pr.err != nil {
				delete(r.memo, chosen[i].key)
			}
			pr.counted = visit
			r.mu.Unlock()
			close(pr.done)
		}
	}
	var again []int
	for i, pr := range theirs {
		select {
		case <-pr.done:
		case <-ctx.Done():
			outs[i].Err = ctx.Err()
			continue
		}
		if pr.err != nil {
			again = append(again, i)
			continue
		}
		r.mu.Lock()
		first := !pr.counted && !pr.stored
		pr.counted = true
		r.mu.Unlock()
		outs[i] = ocr.Outcome{Result: pr.res, Cached: !first}
	}
	if len(again) > 0 {
		data := make([][]byte, len(again))
		for j, i := range again {
			data[j] = chosen[i].bytes
		}
		for j, o := range r.reader.ReadAll(ctx, data) {
			outs[again[j]] = o
		}
	}
	return outs
}
