package cnprice

import "math"

// Cents is an amount in yuan as whole fen, rounded.
func Cents(v float64) int64 { return int64(math.Round(v * 100)) }
