package crawler

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
)

const (
	// minGalleryImages is how many gallery images, with a buy control, make
	// a product page: a gallery is more than one picture. A one-picture
	// product page still counts through product_pages, JSON-LD or og:type.
	minGalleryImages = 2
	// minListingCards is how many distinct product cards make a listing.
	minListingCards = 4
)

// ClassifyKind decides a page's kind as the crawl semantics define it, the
// first that fits: home (isStart: the page is a start URL's visit, whatever it
// redirected to), product (its URL matches one of productPages; or it has a
// buy control and at least 2 gallery images; or JSON-LD Product or og:type
// product), listing (at least 4 distinct card links to product pages: links
// matching productPages when any are configured, else product-looking URL
// paths such as /product/…, /item/…, /p/…, /dp/…, item.htm), other.
// productPages match the page's requested or final URL, whole or from the
// path on, so both "^/p/\d+" and "item\.htm\?id=" work.
func ClassifyKind(p *Page, isStart bool, productPages []*regexp.Regexp) Kind {
	switch {
	case isStart:
		return KindHome
	case matchesURL(productPages, p.URL) || matchesURL(productPages, p.FinalURL),
		p.Signals.BuyControl && p.Signals.GalleryImages >= minGalleryImages,
		p.Signals.JSONLDProduct, p.Signals.OGProduct:
		return KindProduct
	case productCards(p, productPages) >= minListingCards:
		return KindListing
	}
	return KindOther
}

// productCards counts the distinct card links of p that lead to product
// pages other than p itself.
func productCards(p *Page, productPages []*regexp.Regexp) int {
	base := p.FinalURL
	if base == "" {
		base = p.URL
	}
	self, _ := Normalize(base)
	seen := map[string]bool{}
	for _, href := range p.Signals.CardLinks {
		u, ok := Resolve(base, href)
		if !ok || u == self || seen[u] {
			continue
		}
		if IsProductURL(u, productPages) {
			seen[u] = true
		}
	}
	return len(seen)
}

// IsProductURL reports whether rawURL is a product page's URL as the crawl
// semantics judge a card link: it matches one of productPages when any are
// configured, else it looks like one (looksLikeProduct).
func IsProductURL(rawURL string, productPages []*regexp.Regexp) bool {
	if len(productPages) > 0 {
		return matchesURL(productPages, rawURL)
	}
	return looksLikeProduct(rawURL)
}

// matchesURL reports whether one of res matches rawURL whole or its path
// with query.
func matchesURL(res []*regexp.Regexp, rawURL string) bool {
	if len(res) == 0 || rawURL == "" {
		return false
	}
	reqURI := rawURL
	if u, err := url.Parse(rawURL); err == nil {
		reqURI = u.RequestURI()
	}
	for _, re := range res {
		if re.MatchString(rawURL) || re.MatchString(reqURI) {
			return true
		}
	}
	return false
}

// productPath matches the decoded, lower-cased path plus query of URLs that
// storefronts commonly give product detail pages: Shopify /products/handle,
// WooCommerce /product/slug, Amazon /dp/ASIN and /gp/product/ASIN, Taobao and
// Tmall item.htm?id=, JD /123.html on item.jd.com (host checked apart),
// /p/123, /goods/123, /detail/123, goods.php?id= …
var productPath = regexp.MustCompile(
	`(^|/)(products?|items?|goods|details?|dp|p|pd|sku|spu)/[^/?]+` +
		`|(^|/)(products?|items?|goods|details?)[-_]?(info|detail|view)?\.(html?|php|aspx?|jsp)` +
		`|(^|/)(products?|items?|goods)[-_]?\d+`)

// productHost matches hosts that serve only product pages (item.jd.com,
// detail.tmall.com, item.taobao.com).
var productHost = regexp.MustCompile(`^(item|detail|product)\.`)

// looksLikeProduct is the heuristic for a product page URL when no
// product_pages are configured.
func looksLikeProduct(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	if productHost.MatchString(strings.ToLower(u.Hostname())) && len(u.Path) > 1 {
		return true
	}
	p := strings.ToLower(u.Path)
	if u.RawQuery != "" {
		p += "?" + strings.ToLower(u.RawQuery)
	}
	return productPath.MatchString(p)
}

// MakeDigest summarises a visit for the site checks: p's links on hosts
// (the sweep's hosts, as Frontier.Hosts gives them) normalised,
// de-duplicated and sorted, with its title, h1 texts, kind and status.
func MakeDigest(p *Page, hosts []string) Digest {
	hs := newHostSet(hosts...)
	seen := map[string]bool{}
	var links []string
	for _, l := range p.Links {
		u, err := Normalize(l.URL)
		if err != nil || seen[u] || !hs.hasURL(u) {
			continue
		}
		seen[u] = true
		links = append(links, u)
	}
	sort.Strings(links)
	return Digest{
		URL:      p.URL,
		FinalURL: p.FinalURL,
		Viewport: p.Viewport.Name,
		Kind:     p.Kind,
		Status:   p.Status,
		Title:    p.Title,
		Headings: append([]string(nil), p.Headings...),
		Links:    links,
	}
}
