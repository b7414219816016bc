// Package pagemodel reads a page snapshot once per visit into the views
// every rule shares: text blocks with their style facts and source, the
// prices they show, a product page's buy box, the product cards of any
// page with their prices, the dates promotions state, spec and after-sales
// sections and the navigation candidates. Rules read the model; no rule computes a view
// that another family needs. It knows no rule.
package pagemodel

import (
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/storecheck/storecheck/checks/cndate"
	"github.com/storecheck/storecheck/crawler"
)

// Options are the sweep's settings the model is read under.
type Options struct {
	// ProductPages are the product_pages patterns: links matching them (or
	// crawler.IsProductURL's heuristic) are product cards.
	ProductPages []*regexp.Regexp
	// MinImageSize is images.min_size in CSS px: smaller card pictures are
	// not compared.
	MinImageSize float64
	// Dates is the clock, zone and year hint dates are read against.
	Dates cndate.Context
	// MinConfidence is ocr.min_confidence: words read from pictures with
	// less (0–100) are never judged.
	MinConfidence float64
}

// Model is one visit's page as the rules see it. Build fills it in once,
// before any rule runs; rules only read it.
type Model struct {
	Page *crawler.Page
	// Doc is the rendered DOM, never nil: unparsable HTML yields an empty
	// document.
	Doc *goquery.Document
	// Blocks are the page's text blocks in document order, each with its
	// Source and the prices it shows.
	Blocks []*Block
	// PictureBlocks are the blocks of text read from the visit's pictures
	// (source image), picture by picture, line by line. They are apart from
	// Blocks, which the page-structure views (buy box, cards, specs) read:
	// the rules that judge picture text read both.
	PictureBlocks []*Block
	// BuyBox is the part of a product page that prices the product; nil on
	// other pages (IsProductPage).
	BuyBox *BuyBox
	// Links are the page's links to other http(s) pages with their cards;
	// read on answered listing and home pages only.
	Links []LinkCard
	// CardPrices maps a same-site link target to the one current price its
	// card shows (listing and home pages).
	CardPrices map[string]CardPrice
	// Cards are the product cards of the page, of any kind: a listing's
	// grid, a home page's floors, a campaign page's tiles, a product page's
	// recommendations (never its buy box).
	Cards []*Card
	// Promos are the blocks that state dates, read against Options.Dates:
	// the page's, then the pictures' (their Block.Source is image).
	Promos []Promo
	// Specs are the spec tables and lists of the page.
	Specs []*html.Node
	// AfterSales are the blocks of a product page that state after-sales
	// or return terms (hidden ones included); nil on other pages.
	AfterSales []*Block
	// Navs are the navigation candidates the crawler measured.
	Navs []crawler.Nav
}

// Build reads page into its model.
func Build(page *crawler.Page, opts Options) *Model { return BuildVisit(page, nil, opts) }

// BuildVisit reads page and the text the sweep read from its pictures
// into its model.
func BuildVisit(page *crawler.Page, pics []Picture, opts Options) *Model {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page.HTML))
	if err != nil {
		doc, _ = goquery.NewDocumentFromReader(strings.NewReader(""))
	}
	m := &Model{Page: page, Doc: doc, Navs: page.Layout.Navs}
	m.Blocks = readBlocks(doc)
	for _, blk := range m.Blocks {
		blk.Prices = blk.amounts()
	}
	m.PictureBlocks = readPictures(doc, pics, opts.MinConfidence)
	m.Promos = append(readPromos(m.Blocks, opts.Dates), readPromos(m.PictureBlocks, opts.Dates)...)
	m.Specs = readSpecs(doc)
	if IsProductPage(page) {
		m.BuyBox = findBuyBox(doc, m.Blocks)
		m.AfterSales = readAfterSales(m.Blocks)
	}
	if answered(page) {
		var links []LinkCard
		if page.Kind == crawler.KindListing || page.Kind == crawler.KindHome {
			links = readLinkCards(doc, page, func(string) bool { return true })
			m.Links = links
			m.CardPrices = cardPrices(page, m.Links, m.Blocks)
		} else {
			// Other pages' cards are read from their links to product
			// pages only: the cards' links are all readCards needs.
			links = readLinkCards(doc, page, func(t string) bool { return crawler.IsProductURL(t, opts.ProductPages) })
		}
		m.Cards = readCards(page, doc, links, m.Blocks, m.BuyBox, opts)
	}
	return m
}

func answered(p *crawler.Page) bool { return p.Status >= 200 && p.Status < 400 && p.HTML != "" }
