package checks

import "strconv"

// The numbers of the picture rules' messages (image, logo) go to the
// catalog as strings: its printers group thousands as the language does
// (4,000×3,000), which those texts never did, and a size or a score is the
// same in every language.

// fixedArg is v with prec decimals, as %.*f writes it.
func fixedArg(v float64, prec int) string {
	return strconv.FormatFloat(v, 'f', prec, 64)
}

// pixelsArg is a decoded size in pixels, "4000×3000".
func pixelsArg(w, h int) string {
	return strconv.Itoa(w) + "×" + strconv.Itoa(h)
}

// pxArg is a drawn size rounded to whole px, "375×281".
func pxArg(w, h float64) string {
	return fixedArg(w, 0) + "×" + fixedArg(h, 0)
}
