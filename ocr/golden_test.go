package ocr

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	_ "image/jpeg"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/storecheck/storecheck/internal/benchshop"
)

var update = flag.Bool("update", false, "rewrite testdata/regions.golden")

// goldenPictures are the fixture pictures and the bench shop's photos
// (its 12 gallery photos and 30 listing pictures): what a first sweep of
// the bench shop feeds the detector most.
func goldenPictures(tb testing.TB) (names []string, imgs []image.Image) {
	tb.Helper()
	for _, p := range loadFixtures(tb) {
		img, _, err := image.Decode(bytes.NewReader(fixture(tb, p.File)))
		if err != nil {
			tb.Fatalf("%s: %v", p.File, err)
		}
		names, imgs = append(names, p.File), append(imgs, img)
	}
	shop := benchshop.New(32, benchshop.PhotoSize)
	var paths []string
	for k := range 12 {
		paths = append(paths, fmt.Sprintf("/img/g/%d-0.jpg", k))
	}
	for p := range 30 {
		paths = append(paths, fmt.Sprintf("/img/c/%d.jpg", p))
	}
	for _, path := range paths {
		rec := httptest.NewRecorder()
		shop.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		img, _, err := image.Decode(rec.Body)
		if err != nil {
			tb.Fatalf("bench shop %s: %v", path, err)
		}
		names, imgs = append(names, "bench"+path), append(imgs, img)
	}
	return names, imgs
}

// TestDetectGolden holds the detector to the regions it found when its
// tunables were last measured (TestFixtureAccuracy): a change made for
// speed must find the same regions, to the pixel; a change of the
// tunables rewrites the file with -update and shows what moved.
func TestDetectGolden(t *testing.T) {
	names, imgs := goldenPictures(t)
	var b bytes.Buffer
	for i, img := range imgs {
		fmt.Fprintln(&b, names[i])
		for _, r := range detect(img) {
			fmt.Fprintf(&b, "\t%v vertical=%v light=%v glyph=%d cells=%v\n", r.Box, r.Vertical, r.Light, r.Glyph, r.Cells)
		}
	}
	path := filepath.Join("testdata", "regions.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./ocr -run TestDetectGolden -update writes it)", err)
	}
	if got := b.Bytes(); !bytes.Equal(got, want) {
		t.Errorf("regions differ from %s:\n%s", path, lineDiff(string(want), string(got)))
	}
}

// lineDiff lists the lines only in want (-) and only in got (+), under
// the picture they belong to.
func lineDiff(want, got string) string {
	split := func(s string) map[string]bool {
		m := map[string]bool{}
		pic := ""
		for _, l := range bytes.Split([]byte(s), []byte("\n")) {
			if len(l) > 0 && l[0] != '\t' {
				pic = string(l)
			}
			m[pic+" "+string(l)] = true
		}
		return m
	}
	w, g := split(want), split(got)
	var out []string
	for l := range w {
		if !g[l] {
			out = append(out, "- "+l)
		}
	}
	for l := range g {
		if !w[l] {
			out = append(out, "+ "+l)
		}
	}
	slices.Sort(out)
	return strings.Join(out, "\n")
}
