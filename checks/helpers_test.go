package checks

import (
	"testing"
	"time"

	"github.com/storecheck/storecheck/config"
	"github.com/storecheck/storecheck/crawler"
)

// testConfig carries the contract's defaults (budgets, image and logo
// thresholds), without the config package's loader.
func testConfig() *config.Config {
	c := config.Defaults()
	return &c
}

func testEnv() *Env {
	return envFor(testConfig(), time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
}

// envFor is the environment of cfg at now; the test config must make one.
func envFor(cfg *config.Config, now time.Time) *Env {
	env, err := NewEnv(cfg, now)
	if err != nil {
		panic(err)
	}
	return env
}

// okPage is a healthy https visit that no rule of this package fires on.
func okPage() *crawler.Page {
	return &crawler.Page{
		URL:      "https://shop.example/p/1",
		FinalURL: "https://shop.example/p/1",
		Viewport: crawler.Desktop,
		Status:   200,
		Kind:     crawler.KindProduct,
		HTML: "<html><head><title>t</title></head><body><h1>tea</h1><p>hi</p><p>¥99</p>" +
			"<table><tr><th>品牌</th><td>x</td></tr><tr><th>产地</th><td>y</td></tr></table>" +
			"<p>七天无理由退换货</p><button>加入购物车</button></body></html>",
	}
}

func f64(v float64) *float64 { return &v }

func checkByID(t *testing.T, id string) *Check {
	t.Helper()
	for _, c := range Registry() {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no check %q in the registry", id)
	return nil
}

// runRule runs one page rule over page under the test env.
func runRule(t *testing.T, id string, page *crawler.Page) []Finding {
	t.Helper()
	return RunPage([]*Check{checkByID(t, id)}, testEnv(), page)
}

func subjects(fs []Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.Subject)
	}
	return out
}
