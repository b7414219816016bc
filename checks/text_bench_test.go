package checks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storecheck/storecheck/crawler"
)

// BenchmarkTextChecks runs the text rules (price, promo, text, content,
// security.pii-exposed) over every page of the demo shop as served (the
// HTML source stands in for the rendered DOM) and reports µs per page:
// parsing the DOM once, cutting it into text blocks and every rule.
func BenchmarkTextChecks(b *testing.B) {
	root := filepath.Join("..", "testdata", "sites", "demo")
	var pages []*crawler.Page
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		p := okPage()
		rel, _ := filepath.Rel(root, path)
		p.URL, p.FinalURL, p.HTML, p.Kind = "https://shop.example/"+filepath.ToSlash(rel), "https://shop.example/"+filepath.ToSlash(rel), string(src), crawler.KindOther
		if strings.HasPrefix(filepath.ToSlash(rel), "item/") {
			p.Kind = crawler.KindProduct
		}
		pages = append(pages, p)
		return nil
	})
	if err != nil || len(pages) == 0 {
		b.Fatalf("demo pages: %d, %v", len(pages), err)
	}
	env := textEnv()
	var cs []*Check
	for _, c := range Registry() {
		for _, fam := range []string{"price.", "promo.", "text.", "content.", "security.pii"} {
			if strings.HasPrefix(c.ID, fam) && c.Run != nil {
				cs = append(cs, c)
			}
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			RunPage(cs, env, p)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(pages)), "µs/page")
}
