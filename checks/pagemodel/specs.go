package pagemodel

import (
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// SpecKeys are the parameter names of a product's spec table or list.
var SpecKeys = []string{"品牌", "型号", "规格", "材质", "尺寸", "产地", "成分", "重量", "净含量", "保质期", "包装",
	"配料", "颜色", "面料", "货号", "生产日期", "等级", "系列", "款式", "容量", "功率", "适用", "储存", "产品名称",
	"生产许可证", "执行标准", "原产地", "毛重", "净重", "尺码", "材料"}

// specKeyRE matches a label that is a spec key: the key, optionally
// followed by a colon, at the start of a cell, term or list item.
var specKeyRE = regexp.MustCompile(`^\s*(` + strings.Join(SpecKeys, "|") + `)\s*[:：]?`)

// MinSpecKeys is how many distinct spec keys make a spec table.
const MinSpecKeys = 2

// readSpecs are the page's tables, definition lists and lists (hidden ones
// included: a spec table in a closed tab still counts) whose rows start
// with at least MinSpecKeys distinct spec keys.
func readSpecs(doc *goquery.Document) []*html.Node {
	var out []*html.Node
	doc.Find("table, dl, ul, ol").Each(func(_ int, s *goquery.Selection) {
		keys := map[string]bool{}
		s.Find("tr > th:first-child, tr > td:first-child, dt, li").Each(func(_ int, c *goquery.Selection) {
			if m := specKeyRE.FindStringSubmatch(c.Text()); m != nil {
				keys[m[1]] = true
			}
		})
		if len(keys) >= MinSpecKeys {
			out = append(out, s.Nodes[0])
		}
	})
	return out
}

// afterSalesRE are the words of after-sales and return terms.
var afterSalesRE = regexp.MustCompile(`退换货|退换|售后|七天无理由|7天无理由|无理由退|保修|退货|换货|包换|质保|三包|无忧退|运费险|退款`)

// readAfterSales are the blocks (hidden tabs included) that state
// after-sales or return terms.
func readAfterSales(blocks []*Block) []*Block {
	var out []*Block
	for _, blk := range blocks {
		if afterSalesRE.MatchString(blk.Text) {
			out = append(out, blk)
		}
	}
	return out
}
