package checks

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/storecheck/storecheck/checks/fingerprint"
	"github.com/storecheck/storecheck/checks/pagemodel"
	"github.com/storecheck/storecheck/crawler"
)

// contentChecks judge whether the page was finished and complete: a
// product page's specs and after-sales terms, real copy instead of filler,
// and product cards a shopper can tell apart.
func contentChecks() []*Check {
	return []*Check{
		{
			ID:       "content.duplicate-listing",
			Doc:      "different products' cards carry the same title, or the same image with different titles",
			Severity: SeverityWarning,
			Subject:  "the shared title or image URL",
			Run:      runDuplicateListing,
			Pictures: func(env *Env, m *pagemodel.Model) []PictureNeed {
				if m.Page.Kind == crawler.KindProduct || len(m.Cards) < 2 {
					return nil
				}
				var out []PictureNeed
				for _, c := range m.Cards {
					if c.Img != nil && !c.Img.BytesTruncated && len(c.Img.Bytes) > 0 {
						out = append(out, PictureNeed{Data: c.Img.Bytes, Want: needHash})
					}
				}
				return out
			},
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
		{
			ID:       "content.placeholder-text",
			Doc:      "filler, template syntax (`{{name}}`, `${price}`) or leaked `undefined`/`NaN`/`null` where copy belongs; 测试 / TODO / lorem ipsum as a whole text, 商品1 商品2 商品3, 新款新款新款",
			Severity: SeverityError,
			Subject:  "the text",
			Run:      runPlaceholderText,
		},
	}
}

// runMissingSpecs reports a product page without a spec table or list.
func runMissingSpecs(p *Pass) {
	if !pagemodel.IsProductPage(p.Page) || len(p.Model.Specs) > 0 {
		return
	}
	p.Report("", "", M("content.missing-specs", pagemodel.MinSpecKeys, strings.Join(pagemodel.SpecKeys[:8], " ")),
		map[string]any{"min_keys": pagemodel.MinSpecKeys})
}

// runMissingAfterSales reports a product page whose text (hidden tabs
// included) says nothing about after-sales service or returns.
func runMissingAfterSales(p *Pass) {
	if !pagemodel.IsProductPage(p.Page) || len(p.Model.AfterSales) > 0 {
		return
	}
	p.Report("", "", M("content.missing-after-sales"), nil)
}

// Placeholder kinds, in a finding's evidence; each names its message too
// (content.placeholder-text/filler).
const (
	phTemplate = "template"     // unrendered template syntax
	phScript   = "script-value" // undefined, NaN, null, [object Object], Invalid Date
	phLorem    = "lorem-ipsum"
	phFiller   = "filler"   // 测试, test, TODO, 待补充 … as a whole text
	phNumbered = "numbered" // 商品1, 商品2, 商品3
	phRepeated = "repeated" // 新款新款新款
)

var (
	// templateRE is template syntax left unrendered: Mustache / Vue /
	// Angular / Handlebars, JS template literals and JSP EL, EJS / ERB /
	// ASP, Jinja / Liquid tags, Ruby / Thymeleaf #{…}, and a price of x's.
	templateRE = regexp.MustCompile(`\{\{[^{}\n]{1,80}\}\}|\$\{[^{}\n]{1,80}\}|<%[=\-#]?[^%\n]{0,80}%>|\{%[^%\n]{1,80}%\}|#\{[^{}\n]{1,80}\}|[¥￥]\s?[xX]{2,}(?:\.[xX]{1,2})?\b`)
	// scriptValueRE are values a script writes when its data is missing,
	// matched case-sensitively as JavaScript prints them.
	scriptValueRE = regexp.MustCompile(`\[object Object\]|Invalid Date|undefined|null|NaN`)
	loremRE       = regexp.MustCompile(`(?i)\blorem ipsum\b|\bdolor sit amet\b`)
	// fillerRE is a whole text that is filler wherever it stands (after
	// decoration is trimmed): 测试, test, TODO, TBD, xxx, 待补充 …, with an
	// optional number.
	fillerRE = regexp.MustCompile(`(?i)^(?:测试|测试商品|测试标题|测试文字|测试文本|测试数据|测试内容|测试描述|测试用|test|testing|test product|todo|tbd|x{3,}|待补充|待完善|待填写|此处填写.*)\s?\d{0,3}$`)
	// promptRE is a prompt to fill in a field (请输入商品标题): filler in a
	// name, title, description or price element, an instruction elsewhere.
	promptRE = regexp.MustCompile(`^(?:请(?:输入|填写|添加|上传)|(?:在此|此处|这里)(?:输入|填写|添加)|这里是)\p{Han}{0,10}$`)
	// numberedRE is a dummy name with a number: the stem and the number.
	numberedRE = regexp.MustCompile(`^(\p{Han}{1,6}|[A-Za-z]{2,10})[ _\-]?(\d{1,3})$`)
	// roleRE names the elements whose whole text is a name, title,
	// description or price; nameNotRE the people's names among them
	// (reviewers, buyers), which are theirs to choose.
	roleRE    = regexp.MustCompile(`(?i)title|name|desc|subject|price`)
	nameNotRE = regexp.MustCompile(`(?i)nick|user|author|buyer|seller|review|comment|member`)
)

// dummyStems are the stems of numbered dummies: 商品1, 商品2, 商品3 are
// filler; 套餐1, 步骤1, 图1 are real (variants, steps, captions), so the
// stem must be one of these (Latin ones folded to lower case).
var dummyStems = map[string]bool{
	"商品": true, "产品": true, "宝贝": true, "标题": true, "名称": true, "商品名称": true, "产品名称": true,
	"商品标题": true, "产品标题": true, "宝贝标题": true, "测试": true, "测试商品": true, "示例商品": true,
	"文本": true, "文字": true, "商品描述": true, "产品描述": true,
	"product": true, "item": true, "title": true, "name": true, "test": true, "sample": true, "goods": true,
}

// minNumbered is how many blocks must carry one dummy stem with
// consecutive numbers.
const minNumbered = 3

// decorCut trims what may surround a filler: spaces, brackets, quotes,
// colons, dashes, stars.
const decorCut = " 【】[]()（）「」『』<>《》\"'“”‘’:：-—_*·.。!！?？~"

// codeLike are elements whose text is code shown as such, never copy.
var codeLike = map[string]bool{"code": true, "pre": true, "kbd": true, "samp": true, "var": true}

func isCodeLike(n *html.Node) bool { return codeLike[n.Data] }

// notPrompt are the containers where a prompt (请输入…) is an instruction
// or a label, not filler.
var notPrompt = map[string]bool{"form": true, "label": true, "button": true, "th": true, "dt": true,
	"legend": true, "thead": true}

// placeholderHit is one distinct placeholder text of a page.
type placeholderHit struct {
	kind     string
	selector string
	context  string
	n        int
}

// runPlaceholderText reports each distinct filler text a 2xx page shows
// (hidden runs, code, form controls and attributes are not read).
func runPlaceholderText(p *Pass) {
	if !is2xx(p.Page.Status) || p.Page.HTML == "" {
		return
	}
	hits := map[string]*placeholderHit{}
	var order []string
	add := func(text, kind string, n *html.Node, context string) {
		text = pagemodel.Collapse(text)
		h := hits[text]
		if h == nil {
			h = &placeholderHit{kind: kind, selector: pagemodel.NodeSelector(n), context: fingerprint.Excerpt(context)}
			hits[text] = h
			order = append(order, text)
		}
		h.n++
	}
	type numbered struct {
		n    int
		text string
		node *html.Node
	}
	series := map[string][]numbered{}
	var stems []string
	specs := p.Model.Specs
	for _, blk := range p.Model.Blocks {
		if pagemodel.Closest(blk.Node, isCodeLike) != nil {
			continue
		}
		text, runs := blk.Shown, blk.ShownRuns
		if text == "" {
			continue
		}
		for _, m := range inlinePlaceholders(text, runs) {
			add(text[m.start:m.end], m.kind, m.el, text)
		}
		for _, c := range wholeTexts(blk, text, runs) {
			if pagemodel.Closest(c.node, isCodeLike) != nil {
				continue
			}
			w := strings.Trim(c.text, decorCut)
			switch {
			case w == "":
				continue
			case isFiller(w):
				add(c.text, phFiller, c.node, text)
				continue
			case c.role && !pagemodel.InAny(c.node, specs) && pagemodel.Closest(c.node, func(n *html.Node) bool { return notPrompt[n.Data] }) == nil:
				if promptRE.MatchString(w) {
					add(c.text, phFiller, c.node, text)
					continue
				}
				if repeatedToken(w) {
					add(c.text, phRepeated, c.node, text)
					continue
				}
			}
			if m := numberedRE.FindStringSubmatch(w); m != nil && dummyStems[strings.ToLower(m[1])] {
				stem := strings.ToLower(m[1])
				n, _ := strconv.Atoi(m[2])
				if _, ok := series[stem]; !ok {
					stems = append(stems, stem)
				}
				series[stem] = append(series[stem], numbered{n: n, text: c.text, node: c.node})
			}
		}
	}
	for _, stem := range stems {
		items := series[stem]
		nums := map[int]bool{}
		for _, it := range items {
			nums[it.n] = true
		}
		for _, it := range items {
			if runOf(nums, it.n) >= minNumbered {
				add(it.text, phNumbered, it.node, it.text)
			}
		}
	}
	for _, text := range order {
		h := hits[text]
		p.Report("", text, M("content.placeholder-text/"+h.kind, fingerprint.Excerpt(text)),
			map[string]any{"selector": h.selector, "kind": h.kind, "occurrences": h.n, "context": h.context})
	}
}

// runOf is the length of the run of consecutive numbers in nums that holds n.
func runOf(nums map[int]bool, n int) int {
	lo, hi := n, n
	for nums[lo-1] {
		lo--
	}
	for nums[hi+1] {
		hi++
	}
	return hi - lo + 1
}

// isFiller reports whether the whole text w is filler wherever it stands,
// alone or as the value of a short label (描述：待补充).
func isFiller(w string) bool {
	if fillerRE.MatchString(w) {
		return true
	}
	if i := strings.LastIndexAny(w, ":："); i > 0 {
		label := w[:i]
		_, size := utf8.DecodeRuneInString(w[i:])
		if utf8.RuneCountInString(label) <= 8 {
			return fillerRE.MatchString(strings.Trim(w[i+size:], decorCut))
		}
	}
	return false
}

// repeatedToken reports whether w is one token of 1–4 runes, holding a
// letter, repeated at least three times (新款新款新款).
func repeatedToken(w string) bool {
	r := []rune(w)
	for l := 1; l <= 4; l++ {
		if len(r)%l != 0 || len(r)/l < 3 {
			continue
		}
		tok := string(r[:l])
		if strings.Repeat(tok, len(r)/l) == w && strings.ContainsFunc(tok, unicode.IsLetter) {
			return true
		}
	}
	return false
}

// inlineHit is a placeholder found inside a block's shown text.
type inlineHit struct {
	start, end int
	kind       string
	el         *html.Node
}

// inlinePlaceholders finds template syntax, script values and lorem ipsum
// (the whole block) in a block's shown text, leaving out what code elements show. A script
// value (undefined, null, NaN) standing in Latin prose ("null and void")
// is a word, not a leak, unless it is its element's whole text.
func inlinePlaceholders(text string, runs []pagemodel.Run) []inlineHit {
	var out []inlineHit
	look := func(re *regexp.Regexp, kind string) {
		for _, m := range re.FindAllStringIndex(text, -1) {
			el, code := runElement(runs, m[0], m[1])
			if code {
				continue
			}
			if kind == phScript && !scriptLeak(text, runs, m[0], m[1], el) {
				continue
			}
			out = append(out, inlineHit{start: m[0], end: m[1], kind: kind, el: el})
		}
	}
	look(templateRE, phTemplate)
	look(scriptValueRE, phScript)
	if m := loremRE.FindStringIndex(text); m != nil { // the block is the filler: one finding for it
		if el, code := runElement(runs, m[0], m[1]); !code {
			out = append(out, inlineHit{start: 0, end: len(text), kind: phLorem, el: el})
		}
	}
	return out
}

// runElement is the element holding the text at [start, end) (the first
// run's), and whether any of it is inside a code element.
func runElement(runs []pagemodel.Run, start, end int) (*html.Node, bool) {
	var el *html.Node
	for _, r := range runs {
		if r.Start >= end || r.End <= start {
			continue
		}
		if el == nil {
			el = r.El
		}
		if r.El != nil && pagemodel.Closest(r.El, isCodeLike) != nil {
			return el, true
		}
	}
	return el, false
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_'
}

// scriptLeak decides whether the script value at text[start:end] is a leak.
func scriptLeak(text string, runs []pagemodel.Run, start, end int, el *html.Node) bool {
	if start > 0 && isWordByte(text[start-1]) || end < len(text) && isWordByte(text[end]) {
		return false // inside a word: "nullify", "NaNa", "undefined1"
	}
	v := text[start:end]
	if v == "[object Object]" || v == "Invalid Date" {
		return true
	}
	before := strings.TrimRight(text[:start], " ")
	after := strings.TrimLeft(text[end:], " ")
	latin := func(r rune) bool { return r < utf8.RuneSelf && unicode.IsLetter(r) }
	pr, _ := utf8.DecodeLastRuneInString(before)
	nr, _ := utf8.DecodeRuneInString(after)
	if !latin(pr) && !latin(nr) {
		return true // between Chinese, figures, signs or nothing: ¥NaN, 已售null件, 库存：undefined
	}
	return el != nil && pagemodel.Collapse(ownText(el, text, runs)) == v
}

// ownText is the shown text of the runs of el in a block.
func ownText(el *html.Node, text string, runs []pagemodel.Run) string {
	var sb strings.Builder
	for _, r := range runs {
		if r.El != nil && pagemodel.Inside(r.El, el) {
			sb.WriteString(text[r.Start:r.End])
		}
	}
	return sb.String()
}

// wholeText is a text judged as a whole: a block's, or a name / title /
// description / price element's inside it.
type wholeText struct {
	text string
	node *html.Node
	role bool // a name, title, description or price element
}

// wholeTexts are the block's shown text and the texts of its role elements.
func wholeTexts(blk *pagemodel.Block, text string, runs []pagemodel.Run) []wholeText {
	out := []wholeText{{text: text, node: blk.Node, role: hasRole(blk.Node)}}
	seen := map[*html.Node]bool{blk.Node: true}
	for _, r := range runs {
		for n := r.El; n != nil && n != blk.Node; n = n.Parent {
			if seen[n] || n.Type != html.ElementNode {
				continue
			}
			seen[n] = true
			if hasRole(n) {
				if t := pagemodel.Collapse(ownText(n, text, runs)); t != "" && t != pagemodel.Collapse(text) {
					out = append(out, wholeText{text: t, node: n, role: true})
				}
			}
		}
	}
	return out
}

// hasRole reports whether n is a heading or names itself a title, name,
// description or price (class, id, itemprop), and is not a person's name.
func hasRole(n *html.Node) bool {
	if n == nil || n.Type != html.ElementNode {
		return false
	}
	switch n.Data {
	case "h1", "h2", "h3", "h4", "h5", "h6":
		return true
	}
	names := pagemodel.Attr(n, "class") + " " + pagemodel.Attr(n, "id") + " " + pagemodel.Attr(n, "itemprop")
	return roleRE.MatchString(names) && !nameNotRE.MatchString(names)
}

// runDuplicateListing reports, on any answered page but a product page,
// groups of product cards that a shopper cannot tell apart or that
// contradict each other: cards of different products with the same title;
// cards of different products with different titles showing the same
// picture; the same product linked from several cards whose titles or
// pictures differ. Cards whose links name no product (#, javascript:, none,
// one target shared by most of the grid) are told apart by their pictures
// and titles instead. A product shown twice alike (a "hot" strip and the
// grid) is not reported. One finding per group; a group found twice (by
// title and by link) is one finding.
func runDuplicateListing(p *Pass) {
	pg := p.Page
	if pg.Kind == crawler.KindProduct || pg.Status < 200 || pg.Status >= 400 || pg.HTML == "" {
		return
	}
	if len(p.Model.Cards) < 2 {
		return
	}
	cards := listCards(p, p.Model.Cards)
	r := &duplicateReport{p: p, bySubject: map[string]*duplicateGroup{}}
	sameTitleGroups(r, cards)
	samePictureGroups(r, cards)
	sameLinkGroups(r, cards)
	r.emit()
}

// listedCard is a product card as runDuplicateListing compares it.
type listedCard struct {
	*pagemodel.Card
	// product is the product its link names (pagemodel.ProductKey); "" when
	// it names none (see listCards).
	product string
	// stem is the card's normalised title without the ellipsis that cut it
	// short; cut says there was one.
	stem string
	cut  bool
	// m are its picture's measures; nil when they cannot be taken.
	m *measures
	// pic numbers the card's picture among the page's distinct pictures
	// (samePictureAs, grouped by the first of each); -1 without one.
	pic   int
	match pictureMatch // how its picture matched the first of its number
}

// sharedLinkMin is how many cards sharing one link, and more than half of
// the page's cards, make that link a grid's common target rather than a
// product's: a campaign grid whose every card leads to the campaign page.
const sharedLinkMin = 3

// listCards reads the page's cards for comparison: their products, title
// stems and pictures. A card whose link names no product (pagemodel leaves
// Product "" for none, #, javascript:) has product ""; so has a card whose
// product sharedLinkMin or more cards, and more than half of them, link
// to.
func listCards(p *Pass, cards []*pagemodel.Card) []*listedCard {
	perProduct := map[string]int{}
	for _, c := range cards {
		if c.Product != "" {
			perProduct[c.Product]++
		}
	}
	ic := p.Env.Images
	var firsts []*listedCard // the first card of each distinct picture
	out := make([]*listedCard, 0, len(cards))
	for _, c := range cards {
		lc := &listedCard{Card: c, product: c.Product, pic: -1}
		if n := perProduct[c.Product]; n >= sharedLinkMin && 2*n > len(cards) {
			lc.product = ""
		}
		lc.stem, lc.cut = titleStem(c.Norm)
		if c.Img != nil {
			lc.m = pictureMeasures(p, c.Img, c.ImgURL)
			for i, f := range firsts {
				if pm, ok := samePictureAs(f, lc, ic.DuplicateDistance, ic.DuplicateColourDiff); ok {
					lc.pic, lc.match = i, pm
					break
				}
			}
			if lc.pic < 0 {
				lc.pic = len(firsts)
				firsts = append(firsts, lc)
			}
		}
		out = append(out, lc)
	}
	return out
}

// ellipses are how shops cut a long title short in the markup.
var ellipses = []string{"…", "...", "⋯", "。。。", "..", "．．．"}

// titleStem is a normalised title without the ellipsis that cut it short,
// and whether there was one.
func titleStem(norm string) (string, bool) {
	for _, e := range ellipses {
		if s, ok := strings.CutSuffix(norm, e); ok {
			return strings.TrimSpace(s), true
		}
	}
	return norm, false
}

// titlesAgree reports whether two cards' titles may name one product: an
// unknown title agrees with any; equal titles agree, and so does a title cut
// short with an ellipsis with one that goes on from where it was cut
// (山野红茶礼盒装… / 山野红茶礼盒装 250g). loose also lets a title agree with
// one that holds it (金骏眉 100g 罐装 in a strip, 山野红茶 金骏眉 100g 罐装 in
// the grid), for cards whose links do not tell whether they are one
// product.
func titlesAgree(a, b *listedCard, loose bool) bool {
	if a.stem == "" || b.stem == "" || a.stem == b.stem {
		return true
	}
	if a.cut && strings.HasPrefix(b.stem, a.stem) || b.cut && strings.HasPrefix(a.stem, b.stem) {
		return true
	}
	return loose && (strings.Contains(a.stem, b.stem) || strings.Contains(b.stem, a.stem))
}

// differentPictures reports whether two cards show pictures known to
// differ: both measured, and not the same picture (samePictureAs).
func differentPictures(a, b *listedCard) bool {
	return a.pic >= 0 && b.pic >= 0 && a.pic != b.pic && a.m != nil && b.m != nil
}

// differentProducts reports whether two cards stand for different products:
// their links name different products; or, when one of them names none,
// they show different pictures.
func differentProducts(a, b *listedCard) bool {
	if a.product != "" && b.product != "" {
		return a.product != b.product
	}
	return differentPictures(a, b)
}

// products counts the different products among cards: cards are one
// product when their links name it, or, when one of them names none, when
// neither their pictures nor their titles differ (each card is compared
// with the first card of each product found so far).
func products(cards []*listedCard) int {
	var firsts []*listedCard
	for _, c := range cards {
		if !slices.ContainsFunc(firsts, func(f *listedCard) bool { return sameProduct(f, c) }) {
			firsts = append(firsts, c)
		}
	}
	return len(firsts)
}

// sameProduct reports whether two cards may stand for one product (see
// products).
func sameProduct(a, b *listedCard) bool {
	if a.product != "" && b.product != "" {
		return a.product == b.product
	}
	return !differentPictures(a, b) && titlesAgree(a, b, true)
}

// anyPair reports whether some two of cards satisfy f.
func anyPair(cards []*listedCard, f func(a, b *listedCard) bool) bool {
	for i, a := range cards {
		for _, b := range cards[i+1:] {
			if f(a, b) {
				return true
			}
		}
	}
	return false
}

// sameTitleGroups: cards of two or more different products with the same
// title. A title cut short with an ellipsis is not known to be the same
// title as another, so it joins no group.
func sameTitleGroups(r *duplicateReport, cards []*listedCard) {
	groups := map[string][]*listedCard{}
	var order []string
	for _, c := range cards {
		if c.stem == "" || c.cut {
			continue
		}
		if _, ok := groups[c.stem]; !ok {
			order = append(order, c.stem)
		}
		groups[c.stem] = append(groups[c.stem], c)
	}
	for _, k := range order {
		g := groups[k]
		if !anyPair(g, differentProducts) {
			continue
		}
		n := products(g)
		r.add(g[0].Title, "title", g, M("title", len(g), n))
	}
}

// pictureMatch is how a card's picture matched its group's first one.
type pictureMatch struct {
	by       string // "url", "bytes" or "phash"
	distance int    // perceptual-hash distance, bits (phash)
	colour   float64
	local    float64
}

// samePictureGroups: cards of different products, with different titles,
// showing the same picture (samePictureAs). A picture on every card (three
// or more) is the shop's placeholder, not a product's photo.
func samePictureGroups(r *duplicateReport, cards []*listedCard) {
	groups := map[int][]*listedCard{}
	withPicture := 0
	for _, c := range cards {
		if c.pic >= 0 {
			withPicture++
			groups[c.pic] = append(groups[c.pic], c)
		}
	}
	for i := range len(groups) {
		g := groups[i]
		if len(g) < 2 || withPicture >= 3 && len(g) == withPicture {
			continue
		}
		// With links, two products' cards differ unless their titles are
		// the same; without, a title inside the other is one product's,
		// shortened.
		if !anyPair(g, func(a, b *listedCard) bool {
			linked := a.product != "" && b.product != ""
			return (!linked || a.product != b.product) && !titlesAgree(a, b, !linked)
		}) {
			continue
		}
		r.addPicture(g[0].ImgURL, g, M("image", len(g), products(g)))
	}
}

// sameLinkGroups: one product linked from several cards whose titles differ
// (neither holds the other: a shortened title in a "hot" strip is the same
// title) or whose pictures differ. A link most of the grid shares counts
// here (every card leading to one product is a fault of its own), though
// it tells the cards' products apart nowhere else.
func sameLinkGroups(r *duplicateReport, cards []*listedCard) {
	groups := map[string][]*listedCard{}
	var order []string
	for _, c := range cards {
		if c.Product == "" {
			continue
		}
		if _, ok := groups[c.Product]; !ok {
			order = append(order, c.Product)
		}
		groups[c.Product] = append(groups[c.Product], c)
	}
	for _, k := range order {
		g := groups[k]
		if len(g) < 2 {
			continue
		}
		titles := anyPair(g, func(a, b *listedCard) bool { return !titlesAgree(a, b, true) })
		pictures := anyPair(g, differentPictures)
		var what string
		switch {
		case titles && pictures:
			what = "link-titles-pictures"
		case titles:
			what = "link-titles"
		case pictures:
			what = "link-pictures"
		default:
			continue
		}
		subject := g[0].Title
		if subject == "" {
			subject = g[0].Link
		}
		r.add(subject, "link", g, M(what, len(g)))
	}
}

// pictureMeasures are the perceptual hash and colour thumbnail of a card's
// picture, through the sweep's cache; nil when its bytes cannot be measured
// (none, cut at the cap, SVG, not decodable, over images.max_megapixels).
func pictureMeasures(p *Pass, im *crawler.Image, u string) *measures {
	if p.Env == nil {
		return nil
	}
	d, ok := decodeHeader(im)
	if !ok || tooLarge(p.Env, d) || im.IsSVG(u) {
		return nil
	}
	m := p.Env.measure(im.Bytes, needHash, p.Env.Images.MaxMegapixels)
	if m.err != nil || m.hash == nil {
		return nil
	}
	return m
}

// maxLocalDiff is the largest difference, in colour levels, of any one
// cell of two pictures' 16×16 colour thumbnails (localDiff) for them to be
// one picture. A copy differs little everywhere; another product shot the
// same way differs a lot somewhere. Measured on 35 pictures (the demo's
// and fixtures' photos, the sharp set, the duplicate-listing pictures),
// each against six copies (WebP q75, WebP q50 at 300 px, WebP q90 at
// 160 px, JPEG q60, JPEG at 200 px, JPEG q70 at 120 px): copies differ by
// at most 6 pHash bits, 2.8 levels on average and 14.3 in any cell. Of 595
// pairs of different pictures, 9 are within 12 bits and 8 levels; 7 of
// them are one scene drawn again with other grain (another shot of the
// same product, 7–38 in a cell) and 2 are different products: a cup of
// green and of black tea (79.7) and one tin in green and in red (91.3).
// 32 levels keeps both margins above 2×.
const maxLocalDiff = 32

// samePictureAs reports whether card b shows the picture of card a, and
// how they match: the same URL, the same bytes, or a perceptual hash
// within images.duplicate_distance whose colour thumbnail is within
// images.duplicate_colour_diff on average and maxLocalDiff in every cell.
// pHash alone is not enough: it reads luminance, and different products
// shot the same way were measured 2–10 bits apart (a tin in green and in
// red: 4 bits, 3.9 levels on average, 91 in the cells of the tin).
func samePictureAs(a, b *listedCard, hashMax int, colourMax float64) (pictureMatch, bool) {
	if fingerprint.Normalize(a.ImgURL) == fingerprint.Normalize(b.ImgURL) {
		return pictureMatch{by: "url"}, true
	}
	if !a.Img.BytesTruncated && !b.Img.BytesTruncated && len(a.Img.Bytes) > 0 && bytes.Equal(a.Img.Bytes, b.Img.Bytes) {
		return pictureMatch{by: "bytes"}, true
	}
	if a.m == nil || b.m == nil {
		return pictureMatch{}, false
	}
	d, err := a.m.hash.Distance(b.m.hash)
	if err != nil {
		return pictureMatch{}, false
	}
	colour, local := thumbDiff(a.m.thumb, b.m.thumb), localDiff(a.m.thumb, b.m.thumb)
	if d <= hashMax && colour <= colourMax && local <= maxLocalDiff {
		return pictureMatch{by: "phash", distance: d, colour: round2(colour), local: round2(local)}, true
	}
	return pictureMatch{}, false
}

// duplicateGroup is one finding being built.
type duplicateGroup struct {
	subject string
	reasons []string
	cards   []*listedCard
	matched map[*listedCard]bool // the cards of its image group
	// parts are the sentences of its message, one per group merged in:
	// each a variant of content.duplicate-listing and its arguments.
	parts   []Msg
	picture *crawler.Image // the shared picture of an image group
}

// duplicateReport collects the groups of one visit, merging groups that
// share a subject (the same title found by title and by link) so each
// subject is reported once.
type duplicateReport struct {
	p         *Pass
	bySubject map[string]*duplicateGroup
	order     []*duplicateGroup
}

// add files cards under subject; part is the sentence that says why, keyed
// by its variant of content.duplicate-listing (title, image, link-titles …).
func (r *duplicateReport) add(subject, reason string, cards []*listedCard, part Msg) *duplicateGroup {
	key := fingerprint.Normalize(fingerprint.Subject(subject))
	g, ok := r.bySubject[key]
	if !ok {
		g = &duplicateGroup{subject: subject, matched: map[*listedCard]bool{}}
		r.bySubject[key] = g
		r.order = append(r.order, g)
	}
	g.reasons = append(g.reasons, reason)
	g.parts = append(g.parts, part)
	for _, c := range cards {
		if !slices.Contains(g.cards, c) {
			g.cards = append(g.cards, c)
		}
	}
	return g
}

func (r *duplicateReport) addPicture(u string, cards []*listedCard, part Msg) {
	g := r.add(u, "image", cards, part)
	g.picture = cards[0].Img
	for _, c := range cards {
		g.matched[c] = true
	}
}

// emit reports every group: evidence lists its cards in page order, with
// how an image group's pictures match; an image group carries the shared
// picture's thumbnail, the others the distinct pictures of their cards (at
// most maxGalleryImages).
func (r *duplicateReport) emit() {
	p := r.p
	for _, g := range r.order {
		slices.SortFunc(g.cards, func(a, b *listedCard) int { return a.Pos - b.Pos })
		var ev []map[string]any
		var thumbs []EvidenceImage
		seen := map[string]bool{}
		for _, c := range g.cards {
			e := map[string]any{"position": c.Pos, "link": c.Link, "title": fingerprint.Excerpt(c.Title), "image": c.ImgURL,
				"selector": pagemodel.Selector(&goquery.Selection{Nodes: []*html.Node{c.Node}})}
			if c.product == "" {
				e["no_product_link"] = true
			}
			if m := c.match; g.matched[c] && m.by != "" {
				e["match"] = m.by
				if m.by == "phash" {
					e["phash_distance"] = m.distance
					e["colour_diff"] = m.colour
					e["local_diff"] = m.local
				}
			}
			ev = append(ev, e)
			if g.picture == nil && c.Img != nil && !seen[c.ImgURL] && len(thumbs) < maxGalleryImages {
				seen[c.ImgURL] = true
				if t := p.flaggedImage(c.Img); len(t.Data) > 0 {
					thumbs = append(thumbs, t)
				}
			}
		}
		if g.picture != nil {
			thumbs = images(p.flaggedImage(g.picture))
		}
		ic := p.Env.Images
		evidence := map[string]any{"reasons": g.reasons, "cards": ev, "count": len(g.cards), "products": products(g.cards)}
		if slices.Contains(g.reasons, "image") {
			evidence["duplicate_distance"] = ic.DuplicateDistance
			evidence["duplicate_colour_diff"] = ic.DuplicateColourDiff
			evidence["duplicate_local_diff"] = maxLocalDiff
		}
		p.ReportWith("", g.subject, g.message(), evidence, thumbs)
	}
}

// message says every part of g in one message: a group found by title and
// by link is content.duplicate-listing/title+link-titles, so that each
// language joins the sentences its own way. The catalog holds every single
// part and every pair; a longer merge (the links of two products whose
// first cards share one title) is its parts' sentences one after another
// (Msg.More).
func (g *duplicateGroup) message() Msg {
	variants := make([]string, len(g.parts))
	var args []any
	for i, part := range g.parts {
		variants[i] = part.Key
		args = append(args, part.Args...)
	}
	if m := M("content.duplicate-listing/"+strings.Join(variants, "+"), args...); Messages().Has(m.Key) {
		return m
	}
	var m Msg
	for i, part := range g.parts {
		one := M("content.duplicate-listing/"+part.Key, part.Args...)
		if i == 0 {
			m = one
		} else {
			m.More = append(m.More, one)
		}
	}
	return m
}
