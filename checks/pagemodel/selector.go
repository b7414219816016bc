package pagemodel

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// Selector returns the contract's selector for the first element of sel:
// "#id" when its id is unique in the document; otherwise a path of
// "tag:nth-of-type(n)" steps joined by " > " (n counts from 1 among the
// element siblings with the same tag, and is written even when it is 1),
// starting at the nearest ancestor whose id is unique ("#main > ul:nth-of-type(1)
// > li:nth-of-type(3)") or else at "html". Class names are never used. IDs are
// CSS-escaped, so the result is a valid selector that matches exactly that
// element. It returns "" for an empty selection or a non-element node.
//
// Each call walks the document once to count ids (O(document size)).
func Selector(sel *goquery.Selection) string {
	if sel == nil || sel.Length() == 0 {
		return ""
	}
	n := sel.Get(0)
	if n.Type != html.ElementNode {
		return ""
	}
	counts := idCounts(n)
	var steps []string
	for cur := n; cur != nil && cur.Type == html.ElementNode; cur = cur.Parent {
		if id := attrValue(cur, "id"); id != "" && counts[id] == 1 {
			steps = append(steps, "#"+cssEscape(id))
			break
		}
		if cur.Data == "html" && (cur.Parent == nil || cur.Parent.Type == html.DocumentNode) {
			steps = append(steps, "html")
			break
		}
		steps = append(steps, fmt.Sprintf("%s:nth-of-type(%d)", cur.Data, nthOfType(cur)))
	}
	slices.Reverse(steps)
	return strings.Join(steps, " > ")
}

// idCounts counts, over n's whole document, the elements carrying each id
// that n or one of its ancestors has.
func idCounts(n *html.Node) map[string]int {
	counts := map[string]int{}
	root := n
	for ; root.Parent != nil; root = root.Parent {
		if id := attrValue(root, "id"); id != "" {
			counts[id] = 0
		}
	}
	if id := attrValue(root, "id"); id != "" {
		counts[id] = 0
	}
	if len(counts) == 0 {
		return counts
	}
	for d := range root.Descendants() {
		if d.Type != html.ElementNode {
			continue
		}
		if id := attrValue(d, "id"); id != "" {
			if _, ok := counts[id]; ok {
				counts[id]++
			}
		}
	}
	if root.Type == html.ElementNode {
		counts[attrValue(root, "id")]++
	}
	return counts
}

func nthOfType(n *html.Node) int {
	i := 1
	for s := n.PrevSibling; s != nil; s = s.PrevSibling {
		if s.Type == html.ElementNode && s.Data == n.Data && s.Namespace == n.Namespace {
			i++
		}
	}
	return i
}

func attrValue(n *html.Node, key string) string {
	if n.Type != html.ElementNode {
		return ""
	}
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

// cssEscape escapes an identifier as the CSSOM's CSS.escape does.
func cssEscape(id string) string {
	var b strings.Builder
	rs := []rune(id)
	for i, r := range rs {
		switch {
		case r == 0:
			b.WriteRune('\uFFFD')
		case r < 0x20 || r == 0x7f,
			i == 0 && '0' <= r && r <= '9',
			i == 1 && '0' <= r && r <= '9' && rs[0] == '-':
			b.WriteString(`\` + strconv.FormatInt(int64(r), 16) + " ")
		case i == 0 && r == '-' && len(rs) == 1:
			b.WriteString(`\-`)
		case r >= 0x80 || r == '-' || r == '_' ||
			'0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z':
			b.WriteRune(r)
		default:
			b.WriteString(`\` + string(r))
		}
	}
	return b.String()
}

// NodeSelector is Selector of one element of a parsed document; "" for nil
// or a non-element node.
func NodeSelector(n *html.Node) string {
	if n == nil || n.Type != html.ElementNode {
		return ""
	}
	return Selector(&goquery.Selection{Nodes: []*html.Node{n}})
}
