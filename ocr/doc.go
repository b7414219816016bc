// Package ocr reads the text drawn inside pictures: banners, detail images,
// card pictures. It runs the Tesseract program (TSV output: words with boxes
// and confidences) rather than a cgo binding, so the storecheck binary stays
// pure Go and a crashing engine takes down one child process, not the sweep.
//
// A Reader takes a picture's bytes and returns the lines it read, in the
// picture's pixels. It knows no rule and no page: the sweep decides which
// pictures to read, the checks judge the text.
package ocr
