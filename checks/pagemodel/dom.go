package pagemodel

import (
	"strings"

	"golang.org/x/net/html"
)

// Inside reports whether n is a descendant of (or is) anc.
func Inside(n, anc *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == anc {
			return true
		}
	}
	return false
}

// InAny reports whether n is inside one of ancestors.
func InAny(n *html.Node, ancestors []*html.Node) bool {
	for _, a := range ancestors {
		if Inside(n, a) {
			return true
		}
	}
	return false
}

// Closest returns the nearest ancestor of n (n included) for which ok is
// true, or nil.
func Closest(n *html.Node, ok func(*html.Node) bool) *html.Node {
	for ; n != nil; n = n.Parent {
		if n.Type == html.ElementNode && ok(n) {
			return n
		}
	}
	return nil
}

// Attr is the value of n's attribute key; "" when it has none.
func Attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// Collapse is s with every run of whitespace made one space, trimmed.
func Collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// IsHeading reports whether n is an h1–h6 element.
func IsHeading(n *html.Node) bool {
	return n.Type == html.ElementNode && len(n.Data) == 2 && n.Data[0] == 'h' && n.Data[1] >= '1' && n.Data[1] <= '6'
}
