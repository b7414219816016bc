//go:build !linux

package ocr

// lowPriority is a no-op off Linux: storecheck's supported platform is
// Debian, and the niceness arithmetic of other systems differs.
func lowPriority(int) {}
