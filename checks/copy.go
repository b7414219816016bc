package checks

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/storecheck/storecheck/checks/adlaw"
	"github.com/storecheck/storecheck/checks/pii"
)

// copyChecks judge the words of the page: absolute advertising terms and a
// product page's specs and after-sales terms.
func copyChecks() []*Check {
	return []*Check{
		{
			ID:       "text.banned-term",
			Doc:      "an absolute / exaggerated term (Advertising Law art. 9(3)); one finding per term per page, every sentence in evidence",
			Severity: SeverityError,
			Subject:  "the term",
			Run:      runBannedTerm,
		},
		{
			ID:       "content.missing-specs",
			Doc:      "a product page without spec parameters (hidden tabs count)",
			Severity: SeverityWarning,
			Subject:  `""`,
			Run:      runMissingSpecs,
		},
		{
			ID:       "content.missing-after-sales",
			Doc:      "a product page without after-sales / return terms (hidden tabs count)",
			Severity: SeverityWarning,
			Subject:  `""`,
			Run:      runMissingAfterSales,
		},
	}
}

// bannedList is the built-in list with the config's extra terms, and the
// brand's names and banned_terms.allow exempt. It is built once per config.
func bannedList(env *Env) *adlaw.List {
	cfg := configOf(env)
	if env == nil {
		return adlaw.Default()
	}
	env.bannedOnce.Do(func() {
		allow := append([]string{}, cfg.BannedTerms.Allow...)
		if cfg.Brand.Name != "" {
			allow = append(allow, cfg.Brand.Name)
		}
		allow = append(allow, cfg.Brand.Names...)
		env.banned = adlaw.Default().With(cfg.BannedTerms.Extra, allow)
	})
	return env.banned
}

// maxTermSentences bounds the sentences a banned-term finding carries.
const maxTermSentences = 10

// runBannedTerm reports each banned term the page shows (its <title> and
// every shown block, spec tables excepted: they state facts, not claims),
// once, with every sentence it occurs in.
func runBannedTerm(p *Pass) {
	if p.Page.Status >= 400 || p.Page.HTML == "" {
		return
	}
	list := bannedList(p.Env)
	specs := p.specContainers()
	type hit struct {
		sentences []string
		seen      map[string]bool
		n         int
	}
	hits := map[string]*hit{}
	look := func(text string) {
		for _, m := range list.Find(text) {
			h := hits[m.Term]
			if h == nil {
				h = &hit{seen: map[string]bool{}}
				hits[m.Term] = h
			}
			h.n++
			s := adlaw.Sentence(text, m.Start, m.End)
			if !h.seen[s] && len(h.sentences) < maxTermSentences {
				h.seen[s] = true
				h.sentences = append(h.sentences, s)
			}
		}
	}
	look(p.Page.Title)
	for _, blk := range p.Text().blocks {
		if inAny(blk.node, specs) {
			continue
		}
		text, _ := blk.shown()
		look(text)
	}
	terms := make([]string, 0, len(hits))
	for t := range hits {
		terms = append(terms, t)
	}
	sort.Strings(terms)
	for _, t := range terms {
		h := hits[t]
		p.Report("", t, fmt.Sprintf("The page uses %q, an absolute term the Advertising Law (art. 9(3)) bans.", t),
			map[string]any{"sentences": h.sentences, "occurrences": h.n})
	}
}

// specKeys are the parameter names of a product's spec table or list.
var specKeys = []string{"品牌", "型号", "规格", "材质", "尺寸", "产地", "成分", "重量", "净含量", "保质期", "包装",
	"配料", "颜色", "面料", "货号", "生产日期", "等级", "系列", "款式", "容量", "功率", "适用", "储存", "产品名称",
	"生产许可证", "执行标准", "原产地", "毛重", "净重", "尺码", "材料"}

// specKeyRE matches a label that is a spec key: the key, optionally
// followed by a colon, at the start of a cell, term or list item.
var specKeyRE = regexp.MustCompile(`^\s*(` + strings.Join(specKeys, "|") + `)\s*[:：]?`)

// minSpecKeys is how many distinct spec keys make a spec table (issue 4).
const minSpecKeys = 2

// specContainers are the page's tables, definition lists and lists (hidden
// ones included: a spec table in a closed tab still counts) whose rows
// start with at least two distinct spec keys. Found once per visit.
func (p *Pass) specContainers() []*html.Node {
	p.doc.specOnce.Do(func() {
		p.Doc().Find("table, dl, ul, ol").Each(func(_ int, s *goquery.Selection) {
			keys := map[string]bool{}
			s.Find("tr > th:first-child, tr > td:first-child, dt, li").Each(func(_ int, c *goquery.Selection) {
				if m := specKeyRE.FindStringSubmatch(c.Text()); m != nil {
					keys[m[1]] = true
				}
			})
			if len(keys) >= minSpecKeys {
				p.doc.specs = append(p.doc.specs, s.Nodes[0])
			}
		})
	})
	return p.doc.specs
}

func inAny(n *html.Node, ancestors []*html.Node) bool {
	for _, a := range ancestors {
		if inside(n, a) {
			return true
		}
	}
	return false
}

// runMissingSpecs reports a product page without a spec table or list.
func runMissingSpecs(p *Pass) {
	if !isProductPage(p.Page) || len(p.specContainers()) > 0 {
		return
	}
	p.Report("", "", fmt.Sprintf("The product page has no spec table or list (at least %d of %s).",
		minSpecKeys, strings.Join(specKeys[:8], " ")), map[string]any{"min_keys": minSpecKeys})
}

// afterSalesRE are the words of after-sales and return terms.
var afterSalesRE = regexp.MustCompile(`退换货|退换|售后|七天无理由|7天无理由|无理由退|保修|退货|换货|包换|质保|三包|无忧退|运费险|退款`)

// runMissingAfterSales reports a product page whose text (hidden tabs
// included) says nothing about after-sales service or returns.
func runMissingAfterSales(p *Pass) {
	if !isProductPage(p.Page) {
		return
	}
	for _, blk := range p.Text().blocks {
		if afterSalesRE.MatchString(blk.text) {
			return
		}
	}
	p.Report("", "", "The product page states no after-sales or return terms (退换货, 售后, 七天无理由 …).", nil)
}

// runPIIExposed reports each unmasked consumer mobile number or valid
// resident ID number in the page's shown text, masked; pii.allow numbers
// (the shop's own lines) are fine. The full number goes nowhere.
func runPIIExposed(p *Pass) {
	if p.Page.HTML == "" {
		return
	}
	allow := map[string]bool{}
	for _, a := range configOf(p.Env).PII.Allow {
		allow[pii.Normalize(a)] = true
	}
	type seen struct {
		kind     pii.Kind
		n        int
		selector string
	}
	found := map[string]*seen{}
	var order []string
	for _, blk := range p.Text().blocks {
		text, _ := blk.shown()
		for _, m := range pii.Find(text) {
			if allow[m.Digits] {
				continue
			}
			s := found[m.Masked]
			if s == nil {
				s = &seen{kind: m.Kind, selector: nodeSelector(blk.node)}
				found[m.Masked] = s
				order = append(order, m.Masked)
			}
			s.n++
		}
	}
	for _, masked := range order {
		s := found[masked]
		what := "a consumer's mobile number"
		if s.kind == pii.ResidentID {
			what = "a resident ID number"
		}
		p.Report("", masked, fmt.Sprintf("The page shows %s unmasked (%s).", what, masked),
			map[string]any{"kind": string(s.kind), "occurrences": s.n, "selector": s.selector})
	}
}

// nodeSelector is the contract's selector of an element of the shared
// document.
func nodeSelector(n *html.Node) string {
	if n == nil || n.Type != html.ElementNode {
		return ""
	}
	return Selector(goquery.NewDocumentFromNode(n).Selection)
}
