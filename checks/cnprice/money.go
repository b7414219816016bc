package cnprice

import "math"

// Cents is v yuan in cents (fen), rounded to the nearest cent, halves away
// from zero, so that amounts parsed or computed as floats compare exactly:
// Cents(0.1+0.2) == Cents(0.3). The rounding sees v*100 as a float64, so a
// value just under a half cent (1.005 is 1.00499…) rounds down. Values
// beyond ±9.2e16 yuan are out of range.
func Cents(v float64) int64 { return int64(math.Round(v * 100)) }
