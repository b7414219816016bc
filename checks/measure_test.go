package checks

import (
	"sync"
	"testing"

	"github.com/storecheck/storecheck/checks/imagequality"
)

// One picture is measured once per sweep, however many pages, viewports and
// goroutines ask; a new need is added to what is known.
func TestMeasureCache(t *testing.T) {
	env := &Env{Config: testConfig(), Measures: NewMeasureCache(2)}
	photo := jpegOf(t, imagequality.TestImage("photo", 300), 85)
	copyOf := append([]byte(nil), photo...) // same content, another slice

	var wg sync.WaitGroup
	got := make([]*measures, 8)
	for i := range got {
		wg.Go(func() { got[i] = env.measure(photo, needSharpness, 40) })
	}
	wg.Wait()
	for _, m := range got[1:] {
		if m != got[0] {
			t.Fatal("the same bytes got two entries")
		}
	}
	m := env.measure(copyOf, needHash, 40)
	if m != got[0] {
		t.Fatal("equal content under another slice got another entry")
	}
	// (needEvidence may be done too: this photo scores blurry, so its
	// thumbnail is made while it is decoded.)
	if m.done&^needEvidence != needSharpness|needHash || m.sharp.Score == 0 || m.hash == nil {
		t.Errorf("done %b, score %v, hash %v", m.done, m.sharp.Score, m.hash)
	}
	if other := env.measure(jpegOf(t, imagequality.TestImage("text", 300), 85), needHash, 40); other == m {
		t.Error("different content shares an entry")
	}
	if bad := env.measure([]byte("not a picture"), needSharpness, 40); bad.err == nil {
		t.Error("undecodable bytes measured without an error")
	}
	// Over images.max_megapixels (0.01 MP < 300×300): refused before any
	// pixel is decoded. (A sweep has one limit, so it is not in the key.)
	if (&Env{Config: testConfig()}).measure(photo, needHash, 0.01).err == nil {
		t.Error("a picture over max_megapixels was decoded")
	}
}
