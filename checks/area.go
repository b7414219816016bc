package checks

import "strings"

// The areas of a shop's quality-inspection regime (抽检) that rules report
// under, in the order an inspection report lists them. Their names for
// people are in the report's catalog (area.<key>).
const (
	AreaPage     = "page"     // 页面规范: loading, errors, layout, navigation
	AreaDisplay  = "display"  // 商品展示: pictures, listings, specs, after-sales terms
	AreaPrice    = "price"    // 价格与促销: prices, discounts, campaigns
	AreaBrand    = "brand"    // 品牌标识: the shop's logo, other brands' marks
	AreaAdLaw    = "adlaw"    // 广告合规: Advertising-Law terms
	AreaConsumer = "consumer" // 消费者信息: phone and ID numbers exposed
)

// Areas lists every area in report order.
var Areas = []string{AreaPage, AreaDisplay, AreaPrice, AreaBrand, AreaAdLaw, AreaConsumer}

// AreaOf is the area rule reports under: by its family, but for the rules
// that guard copy (ad law) and consumers' data, and mixed content, which
// is the page's own defect.
func AreaOf(rule string) string {
	switch rule {
	case "text.banned-term":
		return AreaAdLaw
	case "security.pii-exposed":
		return AreaConsumer
	case "security.mixed-content":
		return AreaPage
	}
	family, _, _ := strings.Cut(rule, ".")
	switch family {
	case "image", "product", "content":
		return AreaDisplay
	case "price", "promo":
		return AreaPrice
	case "logo":
		return AreaBrand
	}
	return AreaPage // page, perf, layout, and rules yet to come
}
