package ocr

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// niceOf reads a process's nice value from /proc/PID/stat (field 19).
func niceOf(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	rest := string(b[strings.LastIndexByte(string(b), ')')+2:])
	n, err := strconv.Atoi(strings.Fields(rest)[16])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestLowPriority: a tesseract runs ocrNice nicer than storecheck (so under
// `nice -n 15 go test` it must come out at 19, never at 10).
func TestLowPriority(t *testing.T) {
	own := niceOf(t, os.Getpid())
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Skipf("no sleep program: %v", err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	lowPriority(cmd.Process.Pid)
	if got, want := niceOf(t, cmd.Process.Pid), min(19, own+ocrNice); got != want {
		t.Errorf("tesseract's nice = %d with storecheck at %d, want %d", got, own, want)
	}
}
