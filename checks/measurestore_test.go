package checks

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/disintegration/imaging"

	"github.com/storecheck/storecheck/checks/imagequality"
	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
)

// mapStore is a MeasureStore in memory: these tests are about what the
// cache hands the store and takes back; storage tests its own side.
type mapStore struct {
	mu   sync.Mutex
	recs map[string][]byte
	used []string
}

func (s *mapStore) LoadMeasure(_ context.Context, key string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.recs[key]
	return rec, ok, nil
}

func (s *mapStore) SaveMeasures(_ context.Context, recs map[string][]byte, used []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.recs == nil {
		s.recs = map[string][]byte{}
	}
	for k, v := range recs {
		s.recs[k] = v
	}
	s.used = append(s.used, used...)
	return nil
}

// A second sweep under the same settings takes every measure of the first
// from the store, equal to the one computed, and decodes nothing; what it
// only reused is marked used, not written again.
func TestMeasureStoreRoundTrip(t *testing.T) {
	seal := readSeal(t)
	pictures := map[string][]byte{
		"blurry photo": jpegOf(t, imaging.Blur(imagequality.TestImage("photo", 300), 3), 85),
		"sharp photo":  jpegOf(t, imagequality.TestImage("product", 400), 85),
		"seal shot":    pngOf(t, shot(seal, 80, 80)),
		"stretched":    pngOf(t, shot(seal, 160, 60)),
		"rival":        pngOf(t, shot(rival(), 90, 90)),
		"undecodable":  []byte("not a picture"),
	}
	all := needSharpness | needHash | needForeign | needLogo
	store := &mapStore{}
	mark := filepath.Join(t.TempDir(), "rival.png")
	if err := os.WriteFile(mark, pngOf(t, rival()), 0o644); err != nil {
		t.Fatal(err)
	}
	sweepEnv := func() *Env {
		cfg := testConfig()
		cfg.Brand.Logo, cfg.Brand.ProtectedLogos = sealPath, []string{mark}
		env := envFor(cfg, time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC))
		env.UseMeasureStore(store)
		return env
	}

	cold := sweepEnv()
	first := map[string]*measures{}
	for name, data := range pictures {
		first[name] = cold.measure(data, all, 40)
		cold.evidence(data, ImageFlagged, 40)
	}
	if err := cold.Measures.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := cold.Measures.Stats(); st.Decoded == 0 || st.Loaded != 0 || st.Saved != int64(len(pictures)) {
		t.Fatalf("cold sweep: %+v, want decodes and %d saved", st, len(pictures))
	}
	if !first["stretched"].logo.Found || !first["rival"].foreign[0].Found || !blurry(first["blurry photo"].sharp, cold.Images.BlurThreshold) {
		t.Fatal("the pictures do not show what this test needs: a found logo, a found mark, a blurry photo")
	}

	// Two visits at once ask for each picture, as concurrent pages do.
	warm := sweepEnv()
	var wg sync.WaitGroup
	for _, data := range pictures {
		wg.Go(func() { warm.measure(data, all, 40) })
		wg.Go(func() { warm.evidence(data, ImageFlagged, 40) })
	}
	wg.Wait()
	for name, data := range pictures {
		m := warm.measure(data, all, 40)
		ev, ok := warm.evidence(data, ImageFlagged, 40)
		want, err := first[name].encode()
		if err != nil {
			t.Fatal(err)
		}
		got, err := m.encode()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: stored measures differ:\n got %s\nwant %s", name, got, want)
		}
		if (m.err == nil) != (first[name].err == nil) || m.sharp != first[name].sharp || m.logo.Found != first[name].logo.Found {
			t.Errorf("%s: err %v sharp %+v, want %v %+v", name, m.err, m.sharp, first[name].err, first[name].sharp)
		}
		if m.hash != nil {
			if d, err := m.hash.Distance(first[name].hash); err != nil || d != 0 {
				t.Errorf("%s: hash distance %d (%v) from the computed one", name, d, err)
			}
		}
		if name != "undecodable" && (!ok || !bytes.Equal(ev.Data, first[name].evidence.Data)) {
			t.Errorf("%s: evidence %v (%d bytes), want the stored thumbnail", name, ok, len(ev.Data))
		}
	}
	if err := warm.Measures.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := warm.Measures.Stats()
	if st.Decoded != 0 || st.Loaded != int64(len(pictures)) || st.Saved != 0 || st.Used != int64(len(pictures)) {
		t.Errorf("warm sweep: %+v, want nothing decoded or saved, %d loaded and used", st, len(pictures))
	}
}

// The key's settings part changes with every input of the measures besides
// the bytes, so a changed config never reuses a stale comparison, and stays
// with the settings the measures do not read.
func TestMeasureSettings(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, img image.Image) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pngOf(t, img), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mark := write("rival.png", rival())
	sealFile, err := os.ReadFile(sealPath)
	if err != nil {
		t.Fatal(err)
	}
	logo := filepath.Join(dir, "logo.png") // the seal's file, byte for byte
	if err := os.WriteFile(logo, sealFile, 0o644); err != nil {
		t.Fatal(err)
	}
	base := func() *config.Config {
		cfg := testConfig()
		cfg.Brand.Logo, cfg.Brand.ProtectedLogos = logo, []string{mark}
		return cfg
	}
	settings := func(cfg *config.Config) string {
		t.Helper()
		env, err := NewEnv(cfg, time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		return env.measureSettings()
	}
	want := settings(base())
	tests := []struct {
		name    string
		change  func(*config.Config)
		changes bool
	}{
		{"nothing", func(*config.Config) {}, false},
		{"blur threshold (judged, not measured)", func(c *config.Config) { c.Images.BlurThreshold += 0.5 }, false},
		{"the logo's file at another path", func(c *config.Config) { c.Brand.Logo = sealPath }, false},
		{"max megapixels", func(c *config.Config) { c.Images.MaxMegapixels *= 2 }, true},
		{"logo match max", func(c *config.Config) { c.Brand.LogoMatchMax++ }, true},
		{"logo distortion", func(c *config.Config) { c.Brand.LogoDistortPct++ }, true},
		{"logo colour", func(c *config.Config) { c.Brand.LogoColourDeltaE++ }, true},
		{"no brand", func(c *config.Config) { c.Brand.Logo, c.Brand.ProtectedLogos = "", nil }, true},
		{"no protected mark", func(c *config.Config) { c.Brand.ProtectedLogos = nil }, true},
		{"another protected mark", func(c *config.Config) {
			c.Brand.ProtectedLogos = []string{write("other.png", imaging.FlipH(rival()))}
		}, true},
		{"another logo", func(c *config.Config) {
			c.Brand.Logo = write("logo-2.png", recolour(readSeal(t)))
		}, true},
		{"marks in another order", func(c *config.Config) {
			c.Brand.ProtectedLogos = []string{mark, write("other.png", imaging.FlipH(rival()))}
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := base()
			tt.change(cfg)
			if got := settings(cfg); (got != want) != tt.changes {
				t.Errorf("settings %s (base %s): changed %v, want %v", got, want, got != want, tt.changes)
			}
		})
	}
	// The logo's content, not its path, is in the key: the same path
	// holding another picture gives another key.
	if err := os.WriteFile(logo, pngOf(t, recolour(readSeal(t))), 0o644); err != nil {
		t.Fatal(err)
	}
	if settings(base()) == want {
		t.Error("the logo file changed in place, the settings fingerprint did not")
	}
}

// The pictures a visit hands over before it is captured are measured
// early as far as the active rules would measure a gallery picture; the
// visit's rules then decode nothing, and find what a visit measured on its
// own finds: a blurry gallery photo and a rival's mark.
func TestMeasureEarly(t *testing.T) {
	mark := filepath.Join(t.TempDir(), "rival.png")
	if err := os.WriteFile(mark, pngOf(t, rival()), 0o644); err != nil {
		t.Fatal(err)
	}
	pictures := [][]byte{
		jpegOf(t, imaging.Blur(imagequality.TestImage("photo", 400), 3), 85),
		jpegOf(t, imagequality.TestImage("product", 400), 85),
		jpegOf(t, imagequality.TestImage("foliage", 400), 85),
		pngOf(t, shot(rival(), 90, 90)),
	}
	page := okPage()
	page.Kind = crawler.KindProduct
	for i, b := range pictures {
		u := fmt.Sprintf("https://shop.example/img/%d", i)
		side, gallery := 400.0, i < 3
		if !gallery {
			side = 90
		}
		page.Images = append(page.Images, crawler.Image{Src: u, CurrentSrc: u, Selector: fmt.Sprintf("#g%d", i),
			HasAlt: true, Alt: "商品图", Visible: true, Gallery: gallery, Complete: true, Status: 200, NaturalWidth: int(side), NaturalHeight: int(side),
			Box: crawler.Box{Y: float64(i) * 420, W: side, H: side}, Bytes: b})
	}
	visit := func(early bool) ([]string, MeasureStats) {
		cfg := testConfig()
		cfg.Brand.ProtectedLogos = []string{mark}
		env := envFor(cfg, time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC))
		cs := Registry()
		if early {
			MeasureEarly(cs, env, append(pictures, []byte("not a picture")))
			if st := env.Measures.Stats(); st.Decoded != int64(len(pictures)) {
				t.Errorf("early: %d pictures decoded, want %d", st.Decoded, len(pictures))
			}
		}
		before := env.Measures.Stats()
		fs, _ := RunVisit(cs, env, Visit{Page: page})
		var rules []string
		for _, f := range fs {
			rules = append(rules, f.Rule+" "+f.Subject)
		}
		slices.Sort(rules)
		after := env.Measures.Stats()
		after.Decoded -= before.Decoded
		return rules, after
	}
	alone, _ := visit(false)
	got, st := visit(true)
	if len(alone) != 2 {
		t.Errorf("the visit alone found %q, want only the two planted findings", alone)
	}
	if !slices.Equal(got, alone) {
		t.Errorf("findings after the early measures:\n%q\nwant what the visit found alone:\n%q", got, alone)
	}
	for _, want := range []string{"image.blurry https://shop.example/img/0", "logo.foreign https://shop.example/img/3"} {
		if !slices.Contains(alone, want) {
			t.Errorf("the visit alone did not find %q: %q", want, alone)
		}
	}
	if st.Decoded != 0 {
		t.Errorf("the visit decoded %d pictures after the early measures, want 0", st.Decoded)
	}
}
