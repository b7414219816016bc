package pagemodel

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestSelector(t *testing.T) {
	const page = `<!doctype html><html><head><title>t</title></head><body>
<div id="main">
  <ul><li>a</li><li>b</li><li class="hot">c</li></ul>
  <p>one</p><span>x</span><p id="dup">two</p><p id="dup">three</p>
  <section id="9lives"><h2>z</h2></section>
  <div id="a.b:c"><em>q</em></div>
  <div id="-1"><b>r</b></div>
</div>
<div><p>outside</p><p>outside 2</p></div>
<svg><g><path d="M0 0"/></g></svg>
</body></html>`
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ find, want string }{
		{"#main", "#main"},
		{"li.hot", "#main > ul:nth-of-type(1) > li:nth-of-type(3)"},
		{"#main > p:nth-of-type(2)", "#main > p:nth-of-type(2)"}, // duplicate id is not an anchor
		{"#main > p:nth-of-type(3)", "#main > p:nth-of-type(3)"},
		{"h2", `#\39 lives > h2:nth-of-type(1)`}, // id starting with a digit
		{"em", `#a\.b\:c > em:nth-of-type(1)`},   // punctuation in the id
		{"b", `#-\31  > b:nth-of-type(1)`},       // "-" then a digit
		{"body > div:nth-of-type(2) > p:nth-of-type(2)", "html > body:nth-of-type(1) > div:nth-of-type(2) > p:nth-of-type(2)"},
		{"html", "html"},
		{"body", "html > body:nth-of-type(1)"},
		{"path", "html > body:nth-of-type(1) > svg:nth-of-type(1) > g:nth-of-type(1) > path:nth-of-type(1)"},
		{"li", "#main > ul:nth-of-type(1) > li:nth-of-type(1)"}, // first of the selection
	}
	for _, tt := range tests {
		sel := doc.Find(tt.find)
		got := Selector(sel)
		if got != tt.want {
			t.Errorf("Selector(%s) = %q, want %q", tt.find, got, tt.want)
			continue
		}
		// The selector must find exactly that element again.
		back := doc.Find(got)
		if back.Length() != 1 || back.Get(0) != sel.Get(0) {
			t.Errorf("%q matches %d elements, not the original", got, back.Length())
		}
	}
	if got := Selector(doc.Find("nothing")); got != "" {
		t.Errorf("empty selection: %q", got)
	}
	if got := Selector(nil); got != "" {
		t.Errorf("nil selection: %q", got)
	}
	if got := Selector(doc.Selection); got != "" {
		t.Errorf("document node: %q", got)
	}
	if got := Selector(doc.Find("li").Contents()); got != "" {
		t.Errorf("text node: %q", got)
	}
}

func TestCSSEscape(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"main", "main"},
		{"商品-1_x", "商品-1_x"},
		{"1a", `\31 a`},
		{"-", `\-`},
		{"-a", "-a"},
		{"-1", `-\31 `},
		{"a b", `a\ b`},
		{"a\x01", `a\1 `},
		{"a\x00", "a\uFFFD"},
	} {
		if got := cssEscape(tt.in); got != tt.want {
			t.Errorf("cssEscape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
