package checks

import (
	"github.com/storecheck/storecheck/checks/pagemodel"
	"github.com/storecheck/storecheck/crawler"
)

// productChecks judge product pages as a whole.
func productChecks() []*Check {
	return []*Check{{
		ID:       "product.few-images",
		Doc:      "a product page's gallery shows fewer than 3 distinct images",
		Severity: SeverityWarning,
		Subject:  `""`,
		Run:      runProductFewImages,
		Pictures: func(env *Env, m *pagemodel.Model) []PictureNeed {
			if m.Page.Kind != crawler.KindProduct {
				return nil
			}
			return pictureNeeds(m, needHash, func(im *crawler.Image, _ string) bool { return galleryEligible(im) })
		},
	}}
}

// galleryEligible: a visible <img> of the product gallery (the crawler marks
// images in gallery-like containers and large pictures).
func galleryEligible(im *crawler.Image) bool {
	return im.Gallery && im.Visible && !im.Background && pagemodel.ImageURL(im) != ""
}

// galleryPicture is one distinct picture of a gallery: the first image of a
// group of near-duplicates.
type galleryPicture struct {
	url  string
	data []byte    // the bytes of its first image
	m    *measures // nil when the bytes could not be hashed (SVG, AVIF, none)
	n    int       // images that show it
}

// samePicture reports whether two measured pictures are near-duplicates:
// their perceptual hashes are within images.duplicate_distance bits, or
// their 16×16 colour thumbnails differ by at most
// images.duplicate_colour_diff levels on average. The hash alone is not
// enough: on pictures with wide flat areas (a product on white) a 80 px
// thumbnail's pHash was measured up to 17 bits from its original's, while
// different pictures were 24 or more apart; the thumbnails of resized copies
// stay within 4 levels, different pictures 13 or more apart.
func samePicture(a, b *measures, hashMax int, thumbMax float64) bool {
	if a.hash != nil && b.hash != nil {
		if d, err := a.hash.Distance(b.hash); err == nil && d <= hashMax {
			return true
		}
	}
	return thumbDiff(a.thumb, b.thumb) <= thumbMax
}

// runProductFewImages reports a product page whose gallery shows fewer than
// images.gallery_min distinct pictures (see samePicture), so a thumbnail and
// its full-size original, or one photo under two URLs, count once; pictures
// Go cannot decode are told apart by URL. A product page on which no gallery
// picture was recognised is not judged: its gallery is one storecheck could
// not find, and guessing would cry wolf.
func runProductFewImages(p *Pass) {
	if p.Page.Kind != crawler.KindProduct || !judgedForLogo(p.Page) {
		return
	}
	ic := p.Env.Images
	var pics []galleryPicture
	images := 0
	eachImage(p, func(im *crawler.Image, u string) bool {
		if !galleryEligible(im) {
			return false
		}
		images++
		var m *measures
		if d, ok := decodeHeader(im); ok && !tooLarge(p.Env, d) && !im.IsSVG(u) {
			if m = p.Env.measure(im.Bytes, needHash, ic.MaxMegapixels); m.err != nil {
				m = nil
			}
		}
		for i := range pics {
			if m != nil && pics[i].m != nil && samePicture(m, pics[i].m, ic.DuplicateDistance, ic.DuplicateColourDiff) {
				pics[i].n++
				return true
			}
		}
		pics = append(pics, galleryPicture{url: u, data: im.Bytes, m: m, n: 1})
		return true
	})
	if len(pics) == 0 || len(pics) >= ic.GalleryMin {
		return
	}
	urls := make([]string, 0, len(pics))
	var thumbs []EvidenceImage
	for _, pic := range pics {
		urls = append(urls, pic.url)
		if pic.m != nil && len(thumbs) < maxGalleryImages {
			if ev, ok := p.Env.evidence(pic.data, ImageFlagged, ic.MaxMegapixels); ok {
				thumbs = append(thumbs, ev)
			}
		}
	}
	// The plural follows the distinct pictures; the images are as many or
	// more, so one image needs a message of its own.
	key := "product.few-images"
	if images == 1 {
		key = "product.few-images/one-image"
	}
	p.ReportWith("", "", M(key, len(pics), images, ic.GalleryMin), map[string]any{
		"distinct": len(pics), "gallery_images": images, "min": ic.GalleryMin,
		"duplicate_distance": ic.DuplicateDistance, "duplicate_colour_diff": ic.DuplicateColourDiff, "pictures": urls,
	}, thumbs)
}
