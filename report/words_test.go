package report

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/storecheck/storecheck/checks"
)

// TestWords: the reports' catalog loads (both languages, same arguments)
// and names every area, severity and status the sheet prints.
func TestWords(t *testing.T) {
	c := words()
	keys := []string{"severity.error", "severity.warning", "severity.info",
		"status.open", "status.assigned", "status.overdue", "status.reopened", "status.pending", "status.failed"}
	for _, a := range checks.Areas {
		keys = append(keys, "area."+a)
	}
	for _, k := range keys {
		if !c.Has(k) {
			t.Errorf("no %s in the reports' catalog", k)
		}
	}
}

// TestHTMLWords: every key the HTML report renders (t "key" in the
// template, t("key") in the Go that builds its view) is in the catalog,
// and every word group it names (word "group" value) has keys: a missing
// key would show up in the report as the key itself.
func TestHTMLWords(t *testing.T) {
	var src []byte
	for _, name := range []string{"html/report.tmpl", "html.go", "htmlchart.go"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		src = append(src, b...)
	}
	keyRE := regexp.MustCompile(`\{\{t "([^"]+)"|\(t "([^"]+)"|\bt\("([^"]+)"`)
	groupRE := regexp.MustCompile(`\bword "([^"]+)"|\bword\(t, "([^"]+)"`)
	keys := words().Keys()
	n := 0
	for _, m := range keyRE.FindAllStringSubmatch(string(src), -1) {
		k := m[1] + m[2] + m[3]
		if !words().Has(k) {
			t.Errorf("the HTML report renders %s, which the catalog lacks", k)
		}
		n++
	}
	for _, m := range groupRE.FindAllStringSubmatch(string(src), -1) {
		g := m[1] + m[2] + "."
		if !slices.ContainsFunc(keys, func(k string) bool { return strings.HasPrefix(k, g) }) {
			t.Errorf("the HTML report names values of %s*, which the catalog has no key of", g)
		}
	}
	if n < 50 {
		t.Errorf("found %d keys in the HTML report's sources; the pattern no longer matches them", n)
	}
}
