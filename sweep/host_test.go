package sweep

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/storecheck/storecheck/storage"
)

// TestHostAttrs checks that the sweep's start line logs the host's figures
// as numbers (the pointers that make them optional printed as addresses)
// and leaves out a figure that was not read.
func TestHostAttrs(t *testing.T) {
	index, load := 1877.0, 0.25
	tests := []struct {
		name      string
		host      storage.Host
		want, not []string
	}{
		{"both read", storage.Host{BenchmarkIndex: &index, LoadAvg: &load},
			[]string{"benchmark_index=1877 ", "load_avg=0.25\n"}, []string{"0x"}},
		{"load only", storage.Host{LoadAvg: &load},
			[]string{"load_avg=0.25\n"}, []string{"benchmark_index", "0x"}},
		{"neither", storage.Host{}, nil, []string{"benchmark_index", "load_avg"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			slog.New(slog.NewTextHandler(&buf, nil)).Info("sweep started", hostAttrs(tt.host)...)
			line := buf.String()
			for _, w := range tt.want {
				if !strings.Contains(line, w) {
					t.Errorf("log line %q lacks %q", line, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(line, n) {
					t.Errorf("log line %q has %q", line, n)
				}
			}
		})
	}
}
