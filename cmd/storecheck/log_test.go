package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestLogWords: every log line the code writes with a fixed message has
// that message in the log catalog (messages/log.yaml), so that it is
// written in the command's language.
func TestLogWords(t *testing.T) {
	call := regexp.MustCompile(`\blog\.(?:Info|Warn|Error)\("([^"]+)"|\.Log\.(?:Info|Warn|Error)\("([^"]+)"|\.Warn\("(run heartbeat)"`)
	var n int
	for _, dir := range []string{".", "../../sweep", "../../crawler", "../../crawler/rodrender", "../../storage", "../../ocr"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range call.FindAllStringSubmatch(string(src), -1) {
				msg := m[1] + m[2] + m[3]
				n++
				if !words().Has(msg) {
					t.Errorf("%s: log message %q is not in messages/log.yaml", f, msg)
				}
			}
		}
	}
	if n < 20 {
		t.Errorf("found %d log messages in the code; the pattern no longer matches how it logs", n)
	}
}
