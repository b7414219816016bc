package report

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/storecheck/storecheck/lang"
	"github.com/storecheck/storecheck/storage"
)

// TestHostLoad: a run whose host was loaded beyond its cores or slower
// than budgets.min_benchmark_index says by how much its timings may be
// inflated, in the summary and the HTML report; an idle fast host, or a
// run that recorded none, says nothing of it.
func TestHostLoad(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	cfg := func(min string) []byte { return []byte(`{"budgets": {"min_benchmark_index": ` + min + `}}`) }
	tests := []struct {
		name     string
		host     storage.Host
		config   []byte
		factor   float64
		figures  string // in the head, English
		inflated string // a phrase of the English warning; "" for none
		zh       string // a phrase of the Chinese warning
	}{
		{"not measured", storage.Host{}, cfg("600"), 1, "", "", ""},
		{"idle and fast", storage.Host{BenchmarkIndex: f(1010), LoadAvg: f(0.4)}, cfg("600"), 1,
			"CPU benchmark index 1010, load average 0.4", "", ""},
		{"loaded beyond its cores", storage.Host{BenchmarkIndex: f(900), LoadAvg: f(5.2)}, cfg("600"), 2.6,
			"CPU benchmark index 900, load average 5.2", "inflated up to 2.6×", "最多可能偏高约 2.6 倍"},
		{"slower than stated", storage.Host{BenchmarkIndex: f(400), LoadAvg: f(1.0)}, cfg("600"), 1.5,
			"CPU benchmark index 400, load average 1.0", "benchmark index 400, budgets assume at least 600", "基准指数 400"},
		{"both: the larger factor", storage.Host{BenchmarkIndex: f(300), LoadAvg: f(3)}, cfg("600"), 2,
			"CPU benchmark index 300", "inflated up to 2.0×", "约 2.0 倍"},
		{"stated index off", storage.Host{BenchmarkIndex: f(300), LoadAvg: f(1)}, cfg("0"), 1,
			"CPU benchmark index 300", "", ""},
		{"no index, loaded", storage.Host{LoadAvg: f(4.4)}, cfg("600"), 2.2,
			"CPU benchmark index -, load average 4.4", "inflated up to 2.2×", "2.2 倍"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := storage.Run{ID: 7, Name: "shop", Status: storage.StatusComplete, CPUs: 2, Host: tt.host, ConfigJSON: tt.config}
			if got := hostLoadOf(r).Factor; got < tt.factor-1e-9 || got > tt.factor+1e-9 {
				t.Errorf("factor = %v, want %v", got, tt.factor)
			}
			d := &storage.RunData{Run: r}
			for _, c := range []struct {
				tag             lang.Tag
				figures, inflat string
			}{{lang.EN, tt.figures, tt.inflated}, {lang.ZH, "", tt.zh}} {
				var table bytes.Buffer
				if err := ShowTable(&table, c.tag, d, 5); err != nil {
					t.Fatal(err)
				}
				var html bytes.Buffer
				if err := WriteHTML(context.Background(), &html, HTMLInput{Run: d, Lang: c.tag}, nil); err != nil {
					t.Fatal(err)
				}
				for what, out := range map[string]string{"summary": table.String(), "html": html.String()} {
					if c.figures != "" && !strings.Contains(out, c.figures) {
						t.Errorf("%s %s lacks the host's figures %q:\n%s", c.tag, what, c.figures, out)
					}
					warned := strings.Contains(out, "! ") && what == "summary" || strings.Contains(out, `class="host-warning"`)
					if warned != (c.inflat != "") {
						t.Errorf("%s %s warned = %v, want %v:\n%s", c.tag, what, warned, c.inflat != "", out)
					}
					if c.inflat != "" && !strings.Contains(out, c.inflat) {
						t.Errorf("%s %s lacks %q:\n%s", c.tag, what, c.inflat, out)
					}
				}
			}
		})
	}
}
