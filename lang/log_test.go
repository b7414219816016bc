package lang

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"
)

// TestLogHandler: a known message is logged in the language of the moment,
// an unknown one as written, the attributes untouched.
func TestLogHandler(t *testing.T) {
	c, err := Load(fstest.MapFS{"log.yaml": {Data: []byte("sweep finished:\n  zh-CN: 抽检完成\n  en: sweep finished\n")}}, "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	tag := Tag("")
	log := slog.New(NewLogHandler(slog.NewTextHandler(&buf, nil), c, func() Tag { return tag }))
	log.Info("sweep finished", "run", 3)
	tag = ZH
	log.With("target", "shop").Info("sweep finished", "run", 4)
	log.Warn("robots.txt unreachable", "url", "x")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	for i, want := range []string{`msg="sweep finished" run=3`, `msg=抽检完成 target=shop run=4`, `msg="robots.txt unreachable" url=x`} {
		if i >= len(lines) || !strings.Contains(lines[i], want) {
			t.Errorf("line %d: %q, want it to hold %q", i, lines, want)
		}
	}
}
