package cnprice

import "testing"

func TestCents(t *testing.T) {
	tests := []struct {
		yuan float64
		want int64
	}{
		{0, 0},
		{1299, 129900},
		{1299.99, 129999},
		{0.1 + 0.2, 30},
		{19.9, 1990},
		{0.005, 1},
		{0.0049, 0},
		{1.005, 100}, // 1.005 is 1.00499… as a float64
		{-0.005, -1},
		{-12.345, -1235},
		{9999999999.99, 999999999999},
	}
	for _, tt := range tests {
		if got := Cents(tt.yuan); got != tt.want {
			t.Errorf("Cents(%v) = %d, want %d", tt.yuan, got, tt.want)
		}
	}
}
