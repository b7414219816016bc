package checks

import (
	"regexp"
	"strings"
	"testing"
)

// englishWords is three English words in a row: a Chinese text that has
// them was not translated. Two may stand in a translation: a product's
// name (VS Code), markup (<meta name=…>), a unit (CSS px).
var englishWords = regexp.MustCompile(`[A-Za-z]{2,}(?:[ ,'][A-Za-z]+){2,}`)

// checkTexts holds a text in English and Chinese to the catalog's bar:
// both formatted cleanly, the Chinese a translation, not a copy.
func checkTexts(t *testing.T, en, zh string) {
	t.Helper()
	for _, s := range []string{en, zh} {
		if strings.Contains(s, "%!") || s == "" {
			t.Errorf("badly formatted: %q", s)
		}
	}
	if zh == en {
		t.Errorf("zh-CN is the English text: %q", zh)
	}
	if m := englishWords.FindString(zh); m != "" || strings.Contains(zh, "The ") {
		t.Errorf("zh-CN has English in it (%q): %q", m, zh)
	}
}
