package checks

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/corona10/goimagehash"

	"github.com/storecheck/storecheck/checks/imagequality"
	"github.com/storecheck/storecheck/checks/logomatch"
)

// MeasureVersion is part of every stored measure's key. Bump it whenever
// the code behind a stored measure changes, so that no sweep reuses what
// older code measured: decoding (imagequality.DecodeLimited),
// imagequality.Sharpness, the perceptual hash (hashSide), the colour
// thumbnail (colourThumb, workingCopy, thumbSide), logomatch's comparison
// and Reference.Sharpness, the evidence thumbnail (thumbnail), or the
// record's encoding (storedMeasures).
const MeasureVersion = 1

// MeasureStore keeps the measures of pictures across sweeps, by a key that
// names the picture's content, MeasureVersion and every setting the
// measures depend on (MeasureCache.storeKey). Records are opaque to it.
// The storage package implements it and the sweep hands it to the cache
// (Env.UseMeasureStore): checks do no I/O of their own.
type MeasureStore interface {
	// LoadMeasure returns the record stored under key; ok is false when
	// there is none.
	LoadMeasure(ctx context.Context, key string) (rec []byte, ok bool, err error)
	// SaveMeasures stores recs by key, replacing what was there, and marks
	// them and the entries under used as used now, so pruning keeps them.
	SaveMeasures(ctx context.Context, recs map[string][]byte, used []string) error
}

// MeasureStats count what a MeasureCache did in a sweep.
type MeasureStats struct {
	// Decoded is how many times picture bytes were decoded to be measured
	// (or to make a thumbnail): 0 for a sweep whose pictures were all
	// measured by an earlier one under the same settings.
	Decoded int64
	// Loaded is how many distinct pictures' measures came from the store.
	Loaded int64
	// Saved is how many records the last Flush wrote; Used how many stored
	// records it only marked as used.
	Saved, Used int64
	// LoadErrors is how many store lookups failed (the picture was then
	// measured again) or returned a record that did not decode.
	LoadErrors int64
}

// cacheCounters are the MeasureCache's atomic counters of MeasureStats.
type cacheCounters struct {
	decoded, loaded, loadErrors atomic.Int64
	saved, used                 atomic.Int64
}

// Stats returns what the cache did so far.
func (c *MeasureCache) Stats() MeasureStats {
	return MeasureStats{
		Decoded: c.count.decoded.Load(), Loaded: c.count.loaded.Load(),
		Saved: c.count.saved.Load(), Used: c.count.used.Load(), LoadErrors: c.count.loadErrors.Load(),
	}
}

// UseMeasureStore makes the sweep's measure cache look up the pictures it
// has not measured yet in s before decoding them, and keep what it
// measures there on Flush. The key's settings part (measureSettings) is
// fixed here, once per sweep.
func (env *Env) UseMeasureStore(s MeasureStore) {
	if env.Measures == nil {
		return
	}
	env.Measures.store = s
	env.Measures.settings = env.measureSettings()
}

// measureSettings fingerprints every input of the measures besides the
// picture's bytes: images.max_megapixels (a bigger picture is not decoded),
// the brand.logo_* thresholds the comparisons apply, and the content of
// the reference logo and of each protected mark, in order (foreign is
// parallel to them). A changed setting or reference file gives other keys,
// so a stale comparison is never reused. 16 hex digits.
func (env *Env) measureSettings() string {
	h := sha256.New()
	fmt.Fprintf(h, "max_mp=%g\nthresholds=%+v\n", env.Images.MaxMegapixels, env.Logo.Thresholds)
	if b := env.Brand; b != nil {
		fmt.Fprintf(h, "logo=%x\n", b.logoSum)
		for _, pm := range b.Protected {
			fmt.Fprintf(h, "protected=%x\n", pm.sum)
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// storeKey is the store's key for the picture data: its SHA-256,
// MeasureVersion and the sweep's settings fingerprint.
func (c *MeasureCache) storeKey(data []byte) string {
	sum := sha256.Sum256(data)
	return fmt.Sprintf("%x:%d:%s", sum, MeasureVersion, c.settings)
}

// lookup fills m from the store the first time m is asked for, so a
// picture an earlier sweep measured is not decoded again. A failed lookup
// is counted and the picture measured. The caller holds m.mu.
func (c *MeasureCache) lookup(m *measures, data []byte) {
	if c == nil || c.store == nil || m.key != "" {
		return
	}
	m.key = c.storeKey(data)
	// The checks run without a context: a visit's checks are CPU work the
	// sweep lets finish, and the lookup is a point read on a local file.
	rec, ok, err := c.store.LoadMeasure(context.Background(), m.key)
	if err != nil {
		c.count.loadErrors.Add(1)
		return
	}
	if !ok {
		return
	}
	if err := m.decode(rec); err != nil { // m is untouched then
		c.count.loadErrors.Add(1)
		return
	}
	if m.done&needEvidence != 0 && !c.evidenceRoom(m, len(m.evidence.Data)) {
		m.done &^= needEvidence
		m.evidence = EvidenceImage{}
	}
	m.loaded = true
	c.count.loaded.Add(1)
}

// Flush saves the measures the sweep computed to the store and marks the
// stored ones it reused as used. The sweep calls it once its visits are
// checked; nothing is measured meanwhile. Without a store it does nothing.
func (c *MeasureCache) Flush(ctx context.Context) error {
	if c == nil || c.store == nil {
		return nil
	}
	recs := map[string][]byte{}
	var used []string
	c.mu.Lock()
	entries := make([]*measures, 0, len(c.entries))
	for _, m := range c.entries {
		entries = append(entries, m)
	}
	c.mu.Unlock()
	for _, m := range entries {
		m.mu.Lock()
		switch {
		case m.key == "":
		case m.dirty:
			rec, err := m.encode()
			if err != nil {
				m.mu.Unlock()
				return fmt.Errorf("save measures %s: %w", m.key, err)
			}
			recs[m.key] = rec
		case m.loaded:
			used = append(used, m.key)
		}
		m.dirty = false
		m.mu.Unlock()
	}
	if len(recs) == 0 && len(used) == 0 {
		return nil
	}
	if err := c.store.SaveMeasures(ctx, recs, used); err != nil {
		return fmt.Errorf("save measures: %w", err)
	}
	c.count.saved.Store(int64(len(recs)))
	c.count.used.Store(int64(len(used)))
	return nil
}

// storedMeasures is the stored form of measures, as JSON. Slices and
// pointers are absent when the measure was not taken (or, for Hash, when
// the picture could not be hashed).
//
// The evidence thumbnail is stored too: it is only made for a picture a
// rule reports (or is about to, see measures.compute), so it costs at most
// evidenceMaxBytes for a few pictures, and without it a warm sweep would
// decode every flagged picture again just to show it.
type storedMeasures struct {
	Done      need                 `json:"done"`
	Err       string               `json:"err,omitempty"`
	Sharp     *imagequality.Result `json:"sharp,omitempty"`
	HashKind  goimagehash.Kind     `json:"hash_kind,omitempty"`
	Hash      *uint64              `json:"hash,omitempty"`
	Thumb     []byte               `json:"thumb,omitempty"`
	Foreign   []logomatch.Match    `json:"foreign,omitempty"`
	Logo      *logomatch.Match     `json:"logo,omitempty"`
	LogoSharp float64              `json:"logo_sharp,omitempty"`
	Evidence  *storedEvidence      `json:"evidence,omitempty"`
}

type storedEvidence struct {
	MIME string `json:"mime"`
	W    int    `json:"w"`
	H    int    `json:"h"`
	Data []byte `json:"data"`
}

// encode is m's record. An undecodable picture is stored with its error's
// text: decoding is deterministic for the bytes and max_megapixels, both
// in the key, and the rules only ask whether there was an error.
func (m *measures) encode() ([]byte, error) {
	s := storedMeasures{Done: m.done}
	if m.err != nil {
		s.Err = m.err.Error()
		return json.Marshal(s)
	}
	if m.done&needSharpness != 0 {
		s.Sharp = &m.sharp
	}
	if m.hash != nil {
		h := m.hash.GetHash()
		s.HashKind, s.Hash = m.hash.GetKind(), &h
	}
	s.Thumb = m.thumb
	s.Foreign = m.foreign
	if m.done&needLogo != 0 {
		s.Logo = &m.logo
		s.LogoSharp = m.logoSharp
	}
	if m.done&needEvidence != 0 && len(m.evidence.Data) > 0 {
		ev := m.evidence
		s.Evidence = &storedEvidence{MIME: ev.MIME, W: ev.W, H: ev.H, Data: ev.Data}
	}
	return json.Marshal(s)
}

// decode sets m from a record encode made; on error m is untouched.
func (m *measures) decode(rec []byte) error {
	var s storedMeasures
	if err := json.Unmarshal(rec, &s); err != nil {
		return fmt.Errorf("stored measures: %w", err)
	}
	m.done = s.Done
	if s.Err != "" {
		m.err = errors.New(s.Err)
		return nil
	}
	if s.Sharp != nil {
		m.sharp = *s.Sharp
	}
	if s.Hash != nil {
		m.hash = goimagehash.NewImageHash(*s.Hash, s.HashKind)
	}
	m.thumb = s.Thumb
	m.foreign = s.Foreign
	if s.Logo != nil {
		m.logo = *s.Logo
		m.logoSharp = s.LogoSharp
	}
	if s.Evidence != nil {
		m.evidence = EvidenceImage{MIME: s.Evidence.MIME, W: s.Evidence.W, H: s.Evidence.H, Data: s.Evidence.Data}
	} else {
		m.done &^= needEvidence
	}
	return nil
}
