package sweep

import (
	"io"
	"testing"
	"time"

	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/lang"
)

// TestProgressLine: the live line in each language, the rate to two places.
func TestProgressLine(t *testing.T) {
	pr := crawler.Progress{Done: 12, Queued: 30, Started: time.Now()}
	for _, tc := range []struct {
		tag  lang.Tag
		want string
	}{
		{"", "12 done, 30 queued, 5 findings, 2.50 pages/s"},
		{lang.EN, "12 done, 30 queued, 5 findings, 2.50 pages/s"},
		{lang.ZH, "已完成 12，排队 30，问题 5，每秒 2.50 个页面"},
	} {
		p := newProgress(io.Discard, nil, false, tc.tag)
		p.findings = 5
		if got := p.line(pr, 2.5); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.tag, got, tc.want)
		}
	}
}
