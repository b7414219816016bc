//go:build !unix

package ocr

// lowPriority is a no-op where processes have no niceness.
func lowPriority(int) {}
