package crawler

import (
	"reflect"
	"testing"
)

func TestClassifyKind(t *testing.T) {
	cards := func(hrefs ...string) KindSignals { return KindSignals{CardLinks: hrefs} }
	tests := []struct {
		name     string
		url      string
		final    string
		isStart  bool
		sig      KindSignals
		products []string
		want     Kind
	}{
		{name: "start URL is home even when it looks like a product", url: "https://shop.com/products/x", isStart: true,
			sig: KindSignals{JSONLDProduct: true}, want: KindHome},
		{name: "product_pages on the path", url: "https://shop.com/p/123", products: []string{`^/p/\d+$`}, want: KindProduct},
		{name: "product_pages with query", url: "https://shop.com/item.htm?id=9", products: []string{`item\.htm\?id=`}, want: KindProduct},
		{name: "product_pages on the final URL", url: "https://shop.com/go/9", final: "https://shop.com/p/9", products: []string{`^/p/`}, want: KindProduct},
		{name: "buy control and gallery", url: "https://shop.com/x", sig: KindSignals{BuyControl: true, GalleryImages: 2}, want: KindProduct},
		{name: "buy control, one picture", url: "https://shop.com/x", sig: KindSignals{BuyControl: true, GalleryImages: 1}, want: KindOther},
		{name: "gallery without buy control", url: "https://shop.com/x", sig: KindSignals{GalleryImages: 6}, want: KindOther},
		{name: "JSON-LD Product", url: "https://shop.com/x", sig: KindSignals{JSONLDProduct: true}, want: KindProduct},
		{name: "og:type product", url: "https://shop.com/x", sig: KindSignals{OGProduct: true}, want: KindProduct},
		{name: "product beats listing", url: "https://shop.com/x",
			sig: KindSignals{OGProduct: true, CardLinks: []string{"/p/1", "/p/2", "/p/3", "/p/4"}}, want: KindProduct},
		{name: "listing by heuristic", url: "https://shop.com/c/shoes",
			sig: cards("/products/a", "/product/b", "item.htm?id=3", "https://shop.com/dp/B0001", "/goods/5.html"), want: KindListing},
		{name: "listing: JD and Taobao style", url: "https://list.jd.com/list.html",
			sig: cards("https://item.jd.com/100012043978.html", "//item.jd.com/2.html", "https://item.taobao.com/item.htm?id=3", "/p/4"), want: KindListing},
		{name: "cards are counted once, fragments and self ignored", url: "https://shop.com/c/shoes",
			sig: cards("/p/1", "/p/1#x", "HTTPS://shop.com:443/p/1", "/p/2", "/p/3", "https://shop.com/c/shoes"), want: KindOther},
		{name: "three cards are not a listing", url: "https://shop.com/c",
			sig: cards("/p/1", "/p/2", "/p/3"), want: KindOther},
		{name: "cards to non-product pages", url: "https://shop.com/",
			sig: cards("/about", "/blog/1", "/blog/2", "/c/shoes", "/products", "/items/"), want: KindOther},
		{name: "configured product_pages replace the heuristic", url: "https://shop.com/c",
			sig: cards("/products/a", "/products/b", "/products/c", "/products/d"), products: []string{`^/sku/`}, want: KindOther},
		{name: "listing by product_pages", url: "https://shop.com/c",
			sig: cards("/sku/a", "/sku/b", "/sku/c", "/sku/d", "mailto:x"), products: []string{`^/sku/`}, want: KindListing},
		{name: "nothing", url: "https://shop.com/about", want: KindOther},
	}
	for _, tt := range tests {
		p := &Page{URL: tt.url, FinalURL: tt.final, Signals: tt.sig}
		if p.FinalURL == "" {
			p.FinalURL = p.URL
		}
		if got := ClassifyKind(p, tt.isStart, re(tt.products...)); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestLooksLikeProduct(t *testing.T) {
	tests := map[string]bool{
		"https://s.com/products/red-shoe":              true,
		"https://s.com/collections/x/products/shoe":    true,
		"https://s.com/product/shoe/":                  true,
		"https://s.com/item/123":                       true,
		"https://s.com/items/123":                      true,
		"https://s.com/p/123":                          true,
		"https://s.com/shoe/p/123":                     true,
		"https://s.com/dp/B00X":                        true,
		"https://s.com/gp/product/B00X":                true,
		"https://s.com/goods/12.html":                  true,
		"https://s.com/goods.php?id=12":                true,
		"https://s.com/detail/12":                      true,
		"https://s.com/product_info.php?products_id=1": true,
		"https://s.com/product-123.html":               true,
		"https://detail.tmall.com/item.htm?id=1":       true,
		"https://item.jd.com/1.html":                   true,
		"https://s.com/":                               false,
		"https://s.com/products":                       false,
		"https://s.com/products?page=2":                false,
		"https://s.com/c/shoes":                        false,
		"https://s.com/about":                          false,
		"https://s.com/help/shipping":                  false,
		"https://item.jd.com/":                         false,
		"https://s.com/pages/product-care":             false,
	}
	for u, want := range tests {
		if got := looksLikeProduct(u); got != want {
			t.Errorf("looksLikeProduct(%s) = %v, want %v", u, got, want)
		}
	}
}

func TestMakeDigest(t *testing.T) {
	p := &Page{
		URL: "https://shop.com/c", FinalURL: "https://shop.com/c/", Viewport: Mobile, Kind: KindListing,
		Status: 200, Title: "鞋", Headings: []string{"Shoes"},
		Links: []Link{
			{URL: "https://shop.com/p/2#reviews"},
			{URL: "https://SHOP.com:443/p/1"},
			{URL: "https://shop.com/p/2"},
			{URL: "http://www.shop.com/a"},
			{URL: "https://other.com/x"},
			{URL: "mailto:x@shop.com"},
			{URL: "https://shop.com/search?q=a&b=1"},
		},
	}
	got := MakeDigest(p, []string{"shop.com", "WWW.shop.com"})
	want := Digest{
		URL: "https://shop.com/c", FinalURL: "https://shop.com/c/", Viewport: "mobile", Kind: KindListing,
		Status: 200, Title: "鞋", Headings: []string{"Shoes"},
		Links: []string{"http://www.shop.com/a", "https://shop.com/p/1", "https://shop.com/p/2", "https://shop.com/search?q=a&b=1"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MakeDigest =\n%+v\nwant\n%+v", got, want)
	}
	p.Headings[0] = "changed"
	if got.Headings[0] != "Shoes" {
		t.Error("the digest shares the page's headings slice")
	}
}
