package checks

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"image"
	"image/color"
	"sync"

	"github.com/corona10/goimagehash"
	"github.com/disintegration/imaging"

	"github.com/storecheck/storecheck/checks/imagequality"
	"github.com/storecheck/storecheck/checks/logomatch"
	"github.com/storecheck/storecheck/checks/pagemodel"
	"github.com/storecheck/storecheck/crawler"
)

// maxCached bounds the entries of a MeasureCache. An entry holds numbers,
// not pixels (a few hundred bytes), so this is a few MB at most, plus the
// thumbnails of reported pictures, bounded apart (maxEvidenceBytes); past it
// images are measured without being remembered.
const maxCached = 20000

// MeasureCache remembers the pixel measures of image bytes for one sweep,
// keyed by their content, so a picture shown on many pages and in both
// viewports (the header logo, a product photo on its page and on listings)
// is decoded and measured once. It also bounds how many decodes run at once
// to the CPU count, whatever the crawl concurrency. With a MeasureStore
// (UseMeasureStore) it also reuses what earlier sweeps measured and keeps
// what this one measures (Flush). Safe for concurrent use.
type MeasureCache struct {
	seed  maphash.Seed
	slots chan struct{} // one per CPU: a decode and its measures hold one

	mu      sync.Mutex
	entries map[contentKey]*measures
	// evidenceBytes is the size of the thumbnails the entries keep
	// (maxEvidenceBytes).
	evidenceBytes int64

	// store keeps measures across sweeps (UseMeasureStore); nil keeps them
	// for this sweep only. settings is the settings part of its keys.
	store    MeasureStore
	settings string
	count    cacheCounters
}

type contentKey struct {
	hash uint64
	n    int
}

// NewMeasureCache returns a cache whose measures run at most cpus at a time.
func NewMeasureCache(cpus int) *MeasureCache {
	return &MeasureCache{
		seed:    maphash.MakeSeed(),
		slots:   make(chan struct{}, max(cpus, 1)),
		entries: map[contentKey]*measures{},
	}
}

// need names the measures a caller wants of an image.
type need uint8

const (
	needSharpness need = 1 << iota // imagequality.Sharpness
	needHash                       // perceptual hash, for near-duplicates
	needForeign                    // comparison with every protected mark
	needLogo                       // comparison with the brand's logo, and its sharpness
	needEvidence                   // a thumbnail for a finding's Images (evidence.go)
)

// measures are what is known about one image's bytes. done records which
// needs have been computed (successfully or not).
type measures struct {
	mu   sync.Mutex
	done need
	// cached is set when the MeasureCache remembers this entry.
	cached bool
	// err is why the bytes could not be decoded; every measure is then absent.
	err error
	// key is the entry's key in the cache's store, set by its first lookup
	// there; loaded is set when the store had it, dirty when measures were
	// taken since (Flush saves them).
	key           string
	loaded, dirty bool

	sharp     imagequality.Result
	hash      *goimagehash.ImageHash
	thumb     []uint8           // thumbSide² RGB of the picture flattened on white
	foreign   []logomatch.Match // parallel to Brand.Protected
	logo      logomatch.Match
	logoSharp float64 // candidate edge steepness ÷ the reference's at the same size
	// evidence is the picture's thumbnail, kept when needEvidence is done.
	evidence EvidenceImage
}

// hashSide is the size a picture is reduced to before its perceptual hash:
// hashing a small copy costs little and makes the hash of a thumbnail and of
// its full-size original agree better (measured: a 32 px linear copy kept
// resized copies of ten contents within 17 bits and different contents 24
// or more apart; 64 px box copies 20 vs 22).
const hashSide = 32

// thumbSide is the side of the colour thumbnail compared pixel by pixel: at
// 16×16 a thumbnail and its original agree within 4 levels on average.
const thumbSide = 16

// measure returns the measures of data that want names, computing the
// missing ones (decoding data once for all of them) under a CPU slot.
// maxMP is images.max_megapixels: bigger pictures are never decoded.
func (env *Env) measure(data []byte, want need, maxMP float64) *measures {
	var m *measures
	c := env.Measures
	if c == nil {
		m = &measures{}
	} else {
		m = c.entry(data)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if want&^m.done != 0 {
		c.lookup(m, data)
	}
	if missing := want &^ m.done; missing != 0 {
		if c != nil {
			c.slots <- struct{}{}
			defer func() { <-c.slots }()
		}
		m.compute(env, data, missing, maxMP)
		m.done |= missing
		m.dirty = true
	}
	return m
}

func (c *MeasureCache) entry(data []byte) *measures {
	k := contentKey{maphash.Bytes(c.seed, data), len(data)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if m, ok := c.entries[k]; ok {
		return m
	}
	m := &measures{}
	if len(c.entries) < maxCached {
		c.entries[k] = m
		m.cached = true
	}
	return m
}

// compute fills in the measures of missing. The caller holds m.mu.
func (m *measures) compute(env *Env, data []byte, missing need, maxMP float64) {
	if m.err != nil {
		return
	}
	if env != nil && env.Measures != nil {
		env.Measures.count.decoded.Add(1)
	}
	img, _, err := imagequality.DecodeLimited(data, maxMP)
	if err != nil {
		m.err = err
		return
	}
	// While the pixels are decoded, a picture a rule will report gets its
	// thumbnail too (makeEvidence), so the finding need not decode it again.
	if missing&needSharpness != 0 {
		m.sharp = imagequality.Sharpness(img)
		if env != nil && blurry(m.sharp, env.Images.BlurThreshold) {
			m.makeEvidence(env, img, false)
		}
	}
	var b *Brand
	if env != nil {
		b = env.Brand
	}
	// The thumbnail and the mark comparison reduce the picture to a few
	// dozen pixels; they start from one shared reduction. The hash does
	// not: its distances are calibrated (hashSide) on the full picture.
	var work image.Image
	if missing&needHash != 0 || (missing&needForeign != 0 && b != nil) {
		work = workingCopy(img)
	}
	if missing&needHash != 0 {
		small := imaging.Resize(img, hashSide, hashSide, imaging.Linear)
		if h, err := goimagehash.PerceptionHash(small); err == nil {
			m.hash = h
		}
		m.thumb = colourThumb(work)
	}
	if missing&needForeign != 0 && b != nil {
		m.foreign = make([]logomatch.Match, len(b.Protected))
		for i, pm := range b.Protected {
			m.foreign[i] = pm.Ref.CompareWith(work, env.Logo.Thresholds)
			if m.foreign[i].Found {
				m.makeEvidence(env, img, false)
			}
		}
	}
	if missing&needLogo != 0 && b != nil && b.Logo != nil {
		m.logo = b.Logo.CompareWith(img, env.Logo.Thresholds)
		if m.logo.Found {
			m.logoSharp, _ = b.Logo.Sharpness(img)
		}
		if logoFaulty(env, m) {
			m.makeEvidence(env, img, false)
		}
	}
	if missing&needEvidence != 0 {
		m.makeEvidence(env, img, true)
	}
}

// PictureNeed is one picture's bytes and the measures a rule will ask of
// them (Check.Pictures).
type PictureNeed struct {
	Data []byte
	Want need
}

// pictureNeeds lists want for every picture of the page that the browser
// sent whole (an http(s) URL, bytes not cut at the cap) and ok accepts.
func pictureNeeds(m *pagemodel.Model, want need, ok func(im *crawler.Image, u string) bool) []PictureNeed {
	var out []PictureNeed
	for i := range m.Page.Images {
		im := &m.Page.Images[i]
		u := pagemodel.ImageURL(im)
		if u == "" || im.BytesTruncated || len(im.Bytes) == 0 || !ok(im, u) {
			continue
		}
		out = append(out, PictureNeed{Data: im.Bytes, Want: want})
	}
	return out
}

// candidateNeeds lists want for the screenshot of every logo candidate.
func candidateNeeds(m *pagemodel.Model, want need) []PictureNeed {
	var out []PictureNeed
	for i := range m.Page.LogoCandidates {
		out = append(out, PictureNeed{Data: m.Page.LogoCandidates[i].Shot, Want: want})
	}
	return out
}

// prefetchMeasures takes, in parallel, every pixel measure the active rules
// cs declare they will ask of the visit's pictures (Check.Pictures), so
// that each picture is decoded once (for all its measures) and a page's
// pictures are measured on every CPU rather than one after another by the
// rules. The rules then find them cached. Without a cache there is nothing
// to share, and it does nothing.
func prefetchMeasures(cs []*Check, env *Env, m *pagemodel.Model) {
	if env.Measures == nil {
		return
	}
	var jobs []PictureNeed
	seen := map[*byte]int{} // pictures sharing one body (same URL) share a job
	for _, c := range cs {
		if c.Pictures == nil {
			continue
		}
		for _, pn := range c.Pictures(env, m) {
			if len(pn.Data) == 0 || pn.Want == 0 {
				continue
			}
			if i, ok := seen[&pn.Data[0]]; ok {
				jobs[i].Want |= pn.Want
				continue
			}
			seen[&pn.Data[0]] = len(jobs)
			jobs = append(jobs, pn)
		}
	}
	if len(jobs) < 2 {
		return // one picture: the rule measures it itself at the same cost
	}
	maxMP := env.Images.MaxMegapixels
	work := make(chan PictureNeed)
	var wg sync.WaitGroup
	for range min(cap(env.Measures.slots), len(jobs)) {
		wg.Go(func() {
			for j := range work {
				env.measure(j.Data, j.Want, maxMP)
			}
		})
	}
	for _, j := range jobs {
		work <- j
	}
	close(work)
	wg.Wait()
}

// MeasureEarly takes, in the background of a visit still being captured,
// the measures the active rules cs would ask of bodies (the pictures its
// page loaded by its first paint: crawler.RenderRequest.Prefetched) if
// each were a visible gallery picture of a product page shown at its
// natural size, the most a rule asks of one picture. The visit's rules then
// find them in the cache (prefetchMeasures) instead of measuring them with
// the tab held. What no rule asks in the end was measured for nothing.
// Without a cache it does nothing; it returns when done.
func MeasureEarly(cs []*Check, env *Env, bodies [][]byte) {
	if env.Measures == nil {
		return
	}
	page := &crawler.Page{Kind: crawler.KindProduct}
	for i, b := range bodies {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			continue // not a picture Go decodes: no rule measures it
		}
		u := fmt.Sprintf("http://early.invalid/%d", i)
		page.Images = append(page.Images, crawler.Image{Src: u, CurrentSrc: u, Visible: true, Gallery: true,
			Complete: true, Status: 200, NaturalWidth: cfg.Width, NaturalHeight: cfg.Height,
			Box: crawler.Box{W: float64(cfg.Width), H: float64(cfg.Height)}, Bytes: b})
	}
	prefetchMeasures(cs, env, &pagemodel.Model{Page: page})
}

// workSide is the smallest longest side of the working copy the thumbnail
// and the mark comparison start from. Both end far smaller (thumbSide,
// logomatch's 64 px canvas), so 4× the larger loses nothing they measure,
// and an 800 px product photo is converted and filtered at full size once
// instead of twice (measured on an 800 px JPEG: thumbnail and one mark
// comparison 16.5 → 8.4 ms).
const workSide = 256

// workingCopy is img reduced by the largest whole factor that keeps its
// longest side at least workSide: a whole factor makes the box filter an
// exact average of k×k blocks, which neither aliases fine textures (as a
// box filter at a fractional factor does) nor costs what a wider filter
// does. img itself when it is under twice workSide.
func workingCopy(img image.Image) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	k := max(w, h) / workSide
	if k < 2 {
		return img
	}
	return imaging.Resize(img, max(1, w/k), max(1, h/k), imaging.Box)
}

// colourThumb is img flattened on white and area-averaged to thumbSide²,
// as RGB bytes.
func colourThumb(img image.Image) []uint8 {
	// An opaque picture (every JPEG) would come out of the flattening
	// unchanged: it is skipped, and with it a copy of the picture.
	flat := img
	if o, ok := img.(interface{ Opaque() bool }); !ok || !o.Opaque() {
		b := img.Bounds()
		flat = imaging.Overlay(imaging.New(b.Dx(), b.Dy(), color.White), img, image.Pt(0, 0), 1)
	}
	t := imaging.Resize(flat, thumbSide, thumbSide, imaging.Box)
	out := make([]uint8, 0, thumbSide*thumbSide*3)
	for i := 0; i < len(t.Pix); i += 4 {
		out = append(out, t.Pix[i], t.Pix[i+1], t.Pix[i+2])
	}
	return out
}

// thumbDiff is the mean absolute difference of two colour thumbnails, in
// levels (0–255).
func thumbDiff(a, b []uint8) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 255
	}
	var s int
	for i := range a {
		d := int(a[i]) - int(b[i])
		s += max(d, -d)
	}
	return float64(s) / float64(len(a))
}

// localDiff is the largest difference of any one cell of two colour
// thumbnails, in levels (0–255): the mean absolute difference of its three
// channels. thumbDiff averages a change of part of a picture (a tin of
// another colour) away; this keeps it.
func localDiff(a, b []uint8) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 255
	}
	worst := 0
	for i := 0; i+2 < len(a); i += 3 {
		s := 0
		for k := range 3 {
			d := int(a[i+k]) - int(b[i+k])
			s += max(d, -d)
		}
		worst = max(worst, s)
	}
	return float64(worst) / 3
}

// blurry is image.blurry's verdict on a measured picture: judged (it has a
// detailed region) and its score reaches threshold (images.blur_threshold).
func blurry(r imagequality.Result, threshold float64) bool {
	return r.Skipped == "" && r.Score >= threshold
}

// logoFaulty reports whether the measures of a logo candidate show a found
// logo that logo.distorted, logo.altered or logo.low-quality (blurred) will
// report; upscaling depends on the page and is not known here.
func logoFaulty(env *Env, m *measures) bool {
	l := m.logo
	if !l.Found {
		return false
	}
	if l.Distorted || l.Inverted || l.Recoloured || l.PartsChanged {
		return true
	}
	return m.logoSharp > 0 && m.logoSharp < env.Logo.MinSharpness
}
