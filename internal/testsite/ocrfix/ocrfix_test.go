package ocrfix_test

import (
	"bytes"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storecheck/storecheck/checks/adlaw"
	"github.com/storecheck/storecheck/checks/pii"
	"github.com/storecheck/storecheck/internal/testsite/ocrfix"
)

const dir = "../../../testdata/sites/fixtures/ocr/img"

// maxBytes bounds the stored set: the pictures live in the repository.
const maxBytes = 2_500_000

func squeeze(s string) string { return strings.ReplaceAll(s, " ", "") }

// TestManifest holds every picture to what the manifest says about it: the
// file is there, decodes in the format its name says, has the stated size;
// the values are known ones; text and keys agree.
func TestManifest(t *testing.T) {
	ps, err := ocrfix.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var total int64
	for _, p := range ps {
		t.Run(p.File, func(t *testing.T) {
			if seen[p.File] {
				t.Errorf("listed twice")
			}
			seen[p.File] = true
			b, err := os.ReadFile(filepath.Join(dir, p.File))
			if err != nil {
				t.Fatal(err)
			}
			total += int64(len(b))
			img, format, err := image.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if got := img.Bounds().Size(); got != image.Pt(p.Width, p.Height) {
				t.Errorf("size %v, manifest says %dx%d", got, p.Width, p.Height)
			}
			wantFormat := map[string]string{".png": "png", ".jpg": "jpeg"}[filepath.Ext(p.File)]
			if format != wantFormat {
				t.Errorf("decodes as %s, name says %q", format, wantFormat)
			}
			if (p.Background == "flat") != (format == "png") {
				t.Errorf("%s background stored as %s (flat ones are PNG, the rest JPEG)", p.Background, format)
			}
			for _, c := range []struct {
				field, value string
				known        func(string) bool
			}{
				{"kind", p.Kind, ocrfix.KnownKind},
				{"background", p.Background, ocrfix.KnownBackground},
				{"style", p.Style, ocrfix.KnownStyle},
			} {
				if !c.known(c.value) {
					t.Errorf("unknown %s %q", c.field, c.value)
				}
			}
			checkText(t, p)
		})
	}
	if total > maxBytes {
		t.Errorf("the pictures take %d bytes, more than %d", total, maxBytes)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if n := e.Name(); n != ocrfix.ManifestName && n != "README.md" && !seen[n] {
			t.Errorf("%s is not in the manifest", n)
		}
	}
}

// checkText: text and keys are both present or both empty, glyph sizes are
// in the 14–60 px the set covers, every key is drawn, and every banned term
// or personal number in the drawn text is a key (a reader that misses it
// misses a defect).
func checkText(t *testing.T, p ocrfix.Picture) {
	t.Helper()
	if (len(p.Text) == 0) != (len(p.Keys) == 0) {
		t.Fatalf("text %q with keys %q", p.Text, p.Keys)
	}
	if len(p.Text) == 0 {
		if p.GlyphPx != 0 || p.GlyphPxMax != 0 {
			t.Errorf("no text but glyph sizes %d–%d", p.GlyphPx, p.GlyphPxMax)
		}
		return
	}
	if p.GlyphPx < 14 || p.GlyphPx > p.GlyphPxMax || p.GlyphPxMax > 60 {
		t.Errorf("glyph sizes %d–%d px, want within 14–60", p.GlyphPx, p.GlyphPxMax)
	}
	drawn := squeeze(strings.Join(p.Text, "\n"))
	keys := squeeze(strings.Join(p.Keys, "\n"))
	for _, s := range append(append([]string(nil), p.Text...), p.Keys...) {
		if strings.TrimSpace(s) == "" {
			t.Errorf("empty string in text or keys")
		}
	}
	for _, k := range p.Keys {
		if !strings.Contains(drawn, squeeze(k)) {
			t.Errorf("key %q is not in the drawn text %q", k, p.Text)
		}
	}
	for _, m := range adlaw.Default().Find(drawn) {
		if !strings.Contains(keys, m.Text) {
			t.Errorf("banned term %q is drawn but no key", m.Text)
		}
	}
	for _, m := range pii.Find(strings.Join(p.Text, "\n")) {
		if !strings.Contains(keys, m.Digits) {
			t.Errorf("%s number %s is drawn but no key", m.Kind, m.Masked)
		}
	}
}

// TestCoverage: the set holds what the OCR work measures itself on.
func TestCoverage(t *testing.T) {
	ps, err := ocrfix.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	minGlyph, maxGlyph := 1000, 0
	for _, p := range ps {
		if len(p.Text) > 0 {
			count["with text"]++
			minGlyph, maxGlyph = min(minGlyph, p.GlyphPx), max(maxGlyph, p.GlyphPxMax)
		} else {
			count["without text"]++
		}
		count["kind "+p.Kind]++
		count["background "+p.Background]++
		if len(p.Text) > 0 {
			count["style "+p.Style]++
		}
		if p.Kind == "detail" && p.Width >= 750 && p.Height >= 1200 {
			count["tall detail"]++
		}
		for _, k := range p.Keys {
			for _, m := range pii.Find(k) {
				count["pii "+string(m.Kind)]++
			}
		}
	}
	for _, c := range []struct {
		what string
		min  int
	}{
		{"with text", 40}, {"without text", 8},
		{"kind banner", 10}, {"kind card", 4}, {"kind detail", 4}, {"kind photo", 8}, {"kind logo", 1}, {"kind badge", 1},
		{"background flat", 5}, {"background gradient", 5}, {"background photo", 5},
		{"style plain", 5}, {"style outlined", 2}, {"style shadowed", 2}, {"style vertical", 2}, {"style low-contrast", 2},
		{"tall detail", 4}, {"pii mobile", 1}, {"pii resident-id", 1},
	} {
		if count[c.what] < c.min {
			t.Errorf("%d pictures %s, want at least %d", count[c.what], c.what, c.min)
		}
	}
	if minGlyph > 14 || maxGlyph < 56 {
		t.Errorf("glyph sizes span %d–%d px, want 14 to at least 56", minGlyph, maxGlyph)
	}
}
