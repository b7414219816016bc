// Package pii finds consumers' personal numbers in page text: unmasked
// mainland mobile numbers (1[3-9] and 9 more digits, not part of a longer
// number; spaces or dashes between groups allowed: 138 1234 5678,
// 138-1234-5678, +86 13812345678) and 18-digit resident ID numbers that pass
// the GB 11643-1999 checksum. Masked forms (138****5678) are not numbers.
package pii

// Kind is the kind of number.
type Kind string

const (
	Mobile     Kind = "mobile"
	ResidentID Kind = "resident-id"
)

// Match is one number found.
type Match struct {
	Kind   Kind
	Digits string // the digits only ("13812345678"): compare with pii.allow, never store
	Masked string // "138****5678", "110105********123X": what may be shown and stored
	Start  int    // byte offsets in the input
	End    int
}

// Find returns every mobile and ID number in s, in order.
func Find(s string) []Match { return find(s) }

// Mask masks a number's digits: mobile keeps the first 3 and last 4, an ID
// number the first 6 and last 4.
func Mask(k Kind, digits string) string { return mask(k, digits) }

// Normalize reduces a number as written in pii.allow ("400-820-6618",
// "138 1234 5678") to its digits, for comparing with Match.Digits.
func Normalize(s string) string { return normalize(s) }
