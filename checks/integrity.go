package checks

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/storecheck/storecheck/checks/cnprice"
)

// integrityChecks judge whether the page was finished: a real title, real
// copy instead of filler, and instalment offers that add up.
func integrityChecks() []*Check {
	return []*Check{
		{
			ID:       "page.missing-title",
			Doc:      "empty or placeholder `<title>` (Document, 无标题文档 …), or one title on every page of the site while their h1s differ",
			Severity: SeverityWarning,
			Subject:  "the title",
			Run:      runMissingTitle,
			RunSite:  runSameTitle,
		},
		{
			ID:       "content.placeholder-text",
			Doc:      "filler, template syntax (`{{name}}`, `${price}`) or leaked `undefined`/`NaN`/`null` where copy belongs; 测试 / TODO / lorem ipsum as a whole text, 商品1 商品2 商品3, 新款新款新款",
			Severity: SeverityError,
			Subject:  "the text",
			Run:      runPlaceholderText,
		},
		{
			ID:       "price.instalment-mismatch",
			Doc:      "instalments in the buy box (¥433×3期, 分3期 每期¥433) add up to less than the price, or, marked 免息, to other than the price",
			Severity: SeverityError,
			Subject:  "the instalment text",
			Run:      runInstalmentMismatch,
		},
	}
}

func is2xx(status int) bool { return status >= 200 && status < 300 }

// placeholderTitles are the titles page templates, editors and site
// builders write before anyone names the page, folded to lower case, with
// where each comes from. Words a real page may carry as its whole title
// (首页, Home, 商品详情) are left out on purpose.
var placeholderTitles = map[string]string{
	"document":                              "the HTML boilerplate of VS Code's Emmet (!)",
	"untitled document":                     "Dreamweaver's new-page default",
	"无标题文档":                                 "Dreamweaver's new-page default (Chinese)",
	"untitled":                              "the new-page default of many editors and site builders",
	"无标题":                                   "the new-page default of many editors and site builders (Chinese)",
	"untitled page":                         "Visual Studio's Web Forms page default",
	"无标题页":                                  "Visual Studio's Web Forms page default (Chinese)",
	"untitled-1":                            "Photoshop / Fireworks \"Save for Web\" HTML",
	"new page 1":                            "FrontPage / Expression Web's new-page default",
	"新建网页 1":                                "FrontPage's new-page default (Chinese)",
	"新建网页":                                  "FrontPage's new-page default (Chinese)",
	"title":                                 "JetBrains IDEs' HTML file template",
	"insert title here":                     "Eclipse's HTML / JSP file template",
	"page title":                            "tutorial and snippet boilerplate",
	"index":                                 "a title filled in from the file name index.html",
	"react app":                             "create-react-app's public/index.html",
	"vite app":                              "create-vite's index.html (early templates)",
	"vite + react":                          "create-vite's React template",
	"vite + react + ts":                     "create-vite's React + TypeScript template",
	"vite + vue":                            "create-vite's Vue template",
	"vite + vue + ts":                       "create-vite's Vue + TypeScript template",
	"hello, world!":                         "Bootstrap 4 / 5.0's starter template",
	"bootstrap demo":                        "Bootstrap 5.2+'s starter template",
	"undefined":                             "a script set document.title to an unset value",
	"null":                                  "a script set document.title to an unset value",
	"nan":                                   "a script set document.title to a failed number",
	"[object object]":                       "a script set document.title to an object",
	"welcome to nginx!":                     "nginx's default page",
	"apache2 ubuntu default page: it works": "Apache's default page on Ubuntu",
}

// templateOnly matches a title that is nothing but unrendered template
// syntax: {{ title }}, ${title}, <%= htmlWebpackPlugin.options.title %>.
var templateOnly = regexp.MustCompile(`^(\{\{[^{}]+\}\}|\$\{[^{}]+\}|<%=?[^%]*%>|\{%[^%]*%\})$`)

// placeholderTitle says where a placeholder title comes from; "" when the
// title is not one.
func placeholderTitle(title string) string {
	t := strings.ToLower(collapse(title))
	if why, ok := placeholderTitles[t]; ok {
		return why
	}
	if templateOnly.MatchString(t) {
		return "unrendered template syntax"
	}
	return ""
}

// runMissingTitle reports a 2xx page whose title (document.title) is empty
// or a template placeholder.
func runMissingTitle(p *Pass) {
	if !is2xx(p.Page.Status) || p.Page.HTML == "" {
		return
	}
	title := collapse(p.Page.Title)
	if title == "" {
		// A renderer that captured no document.title (a bare capture, a
		// hand-built snapshot) still serialised the <title> element.
		title = collapse(p.Doc().Find("head > title, title").First().Text())
	}
	if title == "" {
		p.Report("", "", "The page has no title (the <title> is missing or empty).", map[string]any{"title": ""})
		return
	}
	if why := placeholderTitle(title); why != "" {
		p.Report("", title, fmt.Sprintf("The page's title %q is a placeholder (%s).", title, why),
			map[string]any{"title": title, "source": why})
	}
}

// Thresholds of the one-title-everywhere check.
const (
	sameTitleMinPages    = 3 // 2xx pages with a title, per host and viewport
	sameTitleMinHeadings = 2 // distinct main headings among them
)

// runSameTitle reports, per host and viewport, every page when all the 2xx
// pages with a title share one title although their main headings (first
// h1) differ: the template's title was never set per page. A placeholder
// title is left to the page check, which already reports it.
func runSameTitle(p *SitePass) {
	type group struct {
		titles   map[string]bool
		headings map[string]bool
		pages    map[string]bool // distinct final URLs
		visits   []int           // indexes into Digests
	}
	groups := map[string]*group{}
	var keys []string
	for i, d := range p.Site.Digests {
		title := collapse(d.Title)
		if !is2xx(d.Status) || title == "" {
			continue
		}
		host := ""
		if u, err := url.Parse(d.URL); err == nil {
			host = u.Host
		}
		k := host + " " + d.Viewport
		g := groups[k]
		if g == nil {
			g = &group{titles: map[string]bool{}, headings: map[string]bool{}, pages: map[string]bool{}}
			groups[k] = g
			keys = append(keys, k)
		}
		g.titles[title] = true
		for _, h := range d.Headings {
			if h = collapse(h); h != "" {
				g.headings[h] = true
				break
			}
		}
		final := d.FinalURL
		if final == "" {
			final = d.URL
		}
		g.pages[final] = true
		g.visits = append(g.visits, i)
	}
	sort.Strings(keys)
	for _, k := range keys {
		g := groups[k]
		if len(g.titles) != 1 || len(g.pages) < sameTitleMinPages || len(g.headings) < sameTitleMinHeadings {
			continue
		}
		title := collapse(p.Site.Digests[g.visits[0]].Title)
		if placeholderTitle(title) != "" {
			continue
		}
		for _, i := range g.visits {
			d := p.Site.Digests[i]
			p.Report(d.URL, d.Viewport, "", title,
				fmt.Sprintf("Every page of the site has the title %q, though their headings differ (%d pages, %d headings).",
					title, len(g.pages), len(g.headings)),
				map[string]any{"title": title, "pages": len(g.pages), "headings": len(g.headings)})
		}
	}
}

// Placeholder kinds, in a finding's evidence.
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
		text = collapse(text)
		h := hits[text]
		if h == nil {
			h = &placeholderHit{kind: kind, selector: nodeSelector(n), context: Excerpt(context)}
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
	specs := p.specContainers()
	for _, blk := range p.Text().blocks {
		if closest(blk.node, isCodeLike) != nil {
			continue
		}
		text, runs := blk.shown()
		if text == "" {
			continue
		}
		for _, m := range inlinePlaceholders(text, runs) {
			add(text[m.start:m.end], m.kind, m.el, text)
		}
		for _, c := range wholeTexts(blk, text, runs) {
			if closest(c.node, isCodeLike) != nil {
				continue
			}
			w := strings.Trim(c.text, decorCut)
			switch {
			case w == "":
				continue
			case isFiller(w):
				add(c.text, phFiller, c.node, text)
				continue
			case c.role && !inAny(c.node, specs) && closest(c.node, func(n *html.Node) bool { return notPrompt[n.Data] }) == nil:
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
		p.Report("", text, fmt.Sprintf("The page shows %s where copy belongs: %q.", placeholderWhat[h.kind], Excerpt(text)),
			map[string]any{"selector": h.selector, "kind": h.kind, "occurrences": h.n, "context": h.context})
	}
}

var placeholderWhat = map[string]string{
	phTemplate: "unrendered template syntax", phScript: "a value leaked from a script",
	phLorem: "lorem ipsum", phFiller: "filler text", phNumbered: "a numbered dummy name",
	phRepeated: "a name made of one word repeated",
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
func inlinePlaceholders(text string, runs []textRun) []inlineHit {
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
func runElement(runs []textRun, start, end int) (*html.Node, bool) {
	var el *html.Node
	for _, r := range runs {
		if r.start >= end || r.end <= start {
			continue
		}
		if el == nil {
			el = r.el
		}
		if r.el != nil && closest(r.el, isCodeLike) != nil {
			return el, true
		}
	}
	return el, false
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_'
}

// scriptLeak decides whether the script value at text[start:end] is a leak.
func scriptLeak(text string, runs []textRun, start, end int, el *html.Node) bool {
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
	return el != nil && collapse(ownText(el, text, runs)) == v
}

// ownText is the shown text of the runs of el in a block.
func ownText(el *html.Node, text string, runs []textRun) string {
	var sb strings.Builder
	for _, r := range runs {
		if r.el != nil && inside(r.el, el) {
			sb.WriteString(text[r.start:r.end])
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
func wholeTexts(blk *textBlock, text string, runs []textRun) []wholeText {
	out := []wholeText{{text: text, node: blk.node, role: hasRole(blk.node)}}
	seen := map[*html.Node]bool{blk.node: true}
	for _, r := range runs {
		for n := r.el; n != nil && n != blk.node; n = n.Parent {
			if seen[n] || n.Type != html.ElementNode {
				continue
			}
			seen[n] = true
			if hasRole(n) {
				if t := collapse(ownText(n, text, runs)); t != "" && t != collapse(text) {
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
	names := attr(n, "class") + " " + attr(n, "id") + " " + attr(n, "itemprop")
	return roleRE.MatchString(names) && !nameNotRE.MatchString(names)
}

// runInstalmentMismatch reports each instalment offer in a product page's
// buy box whose payments add up to less than the price (the main current
// price, or a labelled final / member price), or, marked 免息, differ from
// it by more than ¥0.01 a payment. Floors (每期¥83起) are not judged.
func runInstalmentMismatch(p *Pass) {
	if !isProductPage(p.Page) {
		return
	}
	b := p.buyBox()
	cur, ok := b.mainPrice()
	if !ok || cur.Max != 0 {
		return
	}
	prices := []int64{cents(cur.Value)}
	for _, pr := range b.prices {
		if !pr.struck && pr.Max == 0 && (pr.Kind == cnprice.Final || pr.Kind == cnprice.Member) {
			prices = append(prices, cents(pr.Value))
		}
	}
	lowest := prices[0]
	for _, c := range prices {
		lowest = min(lowest, c)
	}
	seen := map[string]bool{}
	for _, blk := range b.blocks {
		text, runs := blk.shown()
		for _, pl := range cnprice.FindPlans(text) {
			if pl.From || struckRange(text, runs, pl.Start, pl.End) {
				continue
			}
			total := cents(pl.Per) * int64(pl.N)
			tol := int64(pl.N) // ¥0.01 a payment: each is rounded to the fen
			var why string
			switch {
			case total < lowest-tol:
				why = "less than"
			case pl.InterestFree && !nearAny(total, prices, tol):
				why = "more than"
			default:
				continue
			}
			subject := collapse(pl.Text)
			if seen[subject] {
				continue
			}
			seen[subject] = true
			t := float64(total) / 100
			p.Report("", subject, fmt.Sprintf("The instalments %s add up to %s, %s the price %s.",
				subject, yuan(t), why, yuan(cur.Value)), map[string]any{
				"per_payment": pl.Per, "payments": pl.N, "total": t, "interest_free": pl.InterestFree,
				"price": cur.Value, "price_text": cur.Text, "selector": nodeSelector(blk.node),
			})
		}
	}
}

func nearAny(v int64, targets []int64, tol int64) bool {
	for _, t := range targets {
		if d := v - t; d >= -tol && d <= tol {
			return true
		}
	}
	return false
}
