package ocr

import "syscall"

// ocrNice is how much nicer than storecheck a tesseract process runs:
// under CPU contention a process 10 nicer gets about a tenth of the other's
// share (CFS weights 110 vs 1024), so the browser being timed keeps its
// cores.
const ocrNice = 10

// lowPriority makes process pid (a tesseract just started, which inherited
// storecheck's niceness) ocrNice nicer than storecheck, at most 19: it only
// ever lowers the priority, also when storecheck itself runs under nice.
// Best effort: a failure (the process already exited) changes nothing that
// matters.
func lowPriority(pid int) {
	// The raw getpriority syscall answers 20 - nice (1…40), not the nice
	// value glibc's wrapper gives.
	raw, err := syscall.Getpriority(syscall.PRIO_PROCESS, 0)
	if err != nil {
		return
	}
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, pid, min(19, 20-raw+ocrNice))
}
