// Package ocrfix reads the manifest of the OCR fixture pictures
// (testdata/sites/fixtures/ocr/img/manifest.json, written by
// internal/testsite/ocrgen): for each picture what it is, how its text is
// drawn, every string drawn and the key strings a reader must get. The OCR
// accuracy measurements and the page fixtures that show these pictures read
// it; it is not part of the tool.
package ocrfix

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// ManifestName is the manifest's file name in the picture folder.
const ManifestName = "manifest.json"

// Picture is one fixture picture as the manifest describes it.
type Picture struct {
	File   string `json:"file"`   // file name in the picture folder (.png or .jpg)
	Width  int    `json:"width"`  // px
	Height int    `json:"height"` // px
	// Kind is what the picture is on a shop page: banner, card, detail,
	// photo, logo or badge.
	Kind string `json:"kind"`
	// Background is flat, gradient or photo.
	Background string `json:"background"`
	// GlyphPx and GlyphPxMax are the smallest and largest CSS font size of
	// the drawn text, in picture px (a CJK glyph is about that tall); 0
	// when nothing is drawn.
	GlyphPx    int `json:"glyph_px"`
	GlyphPxMax int `json:"glyph_px_max"`
	// Style is how the hardest text is drawn: plain, outlined, shadowed,
	// vertical or low-contrast.
	Style string `json:"style"`
	// Text is every string drawn, one entry per line or block, in reading
	// order; empty for a picture without text.
	Text []string `json:"text"`
	// Keys are the strings a reader must get (banned terms, dates,
	// festival names, prices, phone and ID numbers, and the words of the
	// clean traps); each is a substring of one Text entry with spaces
	// removed. Empty for a picture without text.
	Keys []string `json:"keys"`
	// Note says what the picture is for (the planted defect or the trap).
	Note string `json:"note,omitempty"`
}

// Load reads the manifest in dir.
func Load(dir string) ([]Picture, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil, fmt.Errorf("ocr fixture manifest: %w", err)
	}
	var ps []Picture
	if err := json.Unmarshal(b, &ps); err != nil {
		return nil, fmt.Errorf("ocr fixture manifest %s: %w", dir, err)
	}
	return ps, nil
}

// KnownKind reports whether k is one of the picture kinds.
func KnownKind(k string) bool {
	switch k {
	case "banner", "card", "detail", "photo", "logo", "badge":
		return true
	}
	return false
}

// KnownBackground reports whether b is one of the backgrounds.
func KnownBackground(b string) bool {
	switch b {
	case "flat", "gradient", "photo":
		return true
	}
	return false
}

// KnownStyle reports whether s is one of the text styles.
func KnownStyle(s string) bool {
	switch s {
	case "plain", "outlined", "shadowed", "vertical", "low-contrast":
		return true
	}
	return false
}
