//go:build unix

package ocr

import "syscall"

// ocrNice is the niceness of tesseract processes: under CPU contention a
// nice-10 process gets about a tenth of a nice-0 one's share (CFS weights
// 110 vs 1024), so the browser being timed keeps its cores.
const ocrNice = 10

// lowPriority lowers the scheduling priority of process pid; best effort:
// a failure (the process already exited) changes nothing that matters.
func lowPriority(pid int) {
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, pid, ocrNice)
}
