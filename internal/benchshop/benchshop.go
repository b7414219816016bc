// Package benchshop generates a storefront of any size in memory: a home
// page, category listings and product pages with real-size JPEG galleries,
// prices, a promotion, specs, after-sales terms and reviews. Benchmarks and
// the crash tests sweep it; the pages and pictures are never written to disk
// (WriteConfig writes only the sweep configuration and its logos).
//
// A product page is meant to be clean: it should give storecheck's rules
// nothing to report, so a benchmark measures the work of checking a good
// page, not of storing findings.
package benchshop

import (
	"bytes"
	"fmt"
	"html/template"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Shop is a generated storefront.
type Shop struct {
	categories int
	products   int
	gallery    [][]byte // distinct imageSize JPEGs the galleries draw from (served with bytes of their own: serveJPEG)
	cardPhotos [][]byte // one listing picture per product, so no two cards look alike
	logo       []byte   // PNG, logoSize px square
	// JSErrorEvery, when > 0, makes every n-th product page throw an
	// uncaught exception, so a sweep of the shop has findings to keep.
	JSErrorEvery int
	// Now, when set, makes every product's promotion state a window around
	// it (see Promotion), as a real campaign does; sweep with the same --now
	// or the window may read as expired. Zero leaves the promotion without
	// dates.
	Now time.Time
}

// Sizes of the generated pictures.
const (
	galleryPool = 12  // distinct gallery photos; a gallery shows at most 10, all different
	minCardSize = 240 // listing pictures are drawn at least this big, so they are not low-resolution on a card
	logoSize    = 256 // the logo file's edge; pages draw it at 56 CSS px
)

// New generates a shop with n pages in all (n ≥ 3): one home page, about
// one listing per 20 products, and product pages for the rest. imageSize is
// the edge of the square gallery photos in px; listing pictures are half
// that, at least 240 px. Each product page shows 6 to 10 gallery photos.
func New(n, imageSize int) *Shop {
	n = max(n, 3)
	cats := max(1, (n-1)/21)
	s := &Shop{categories: cats, products: n - 1 - cats}
	s.gallery = photos(galleryPool, imageSize, 0)
	s.cardPhotos = photos(s.products, max(minCardSize, imageSize/2), galleryPool)
	s.logo = drawMark(logoSize, logoAt)
	return s
}

// Logo returns the shop's logo as a PNG, as every page's header shows it
// (at 56 CSS px): the reference to give brand.logo.
func (s *Shop) Logo() []byte { return s.logo }

// ProtectedMark returns another brand's mark as a PNG, one the shop never
// shows: a reference for brand.protected_logos, so logo.foreign compares
// every picture of a sweep with it.
func ProtectedMark() []byte { return drawMark(logoSize, markAt) }

// Name is the shop's brand name, as its pages show it.
const Name = "山野茶铺"

// PhotoSize is the gallery photos' edge, in px, of the shop the benchmark
// sweeps check: a shop's real product-photo size.
const PhotoSize = 800

// SweepNow is the clock the benchmark sweeps pin (--now) and date the
// promotion around (Shop.Now), so the promotion reads as running whatever
// the machine's clock says.
const SweepNow = "2026-11-05T10:00:00+08:00"

// WriteConfig writes the benchmark sweeps' storecheck.yaml into dir, with
// the shop's logo (logo.png) and another brand's mark (mark.png) beside it.
// It names the brand, the protected mark, the campaign around s.Now and the
// promotion that must be above the fold, so every rule runs: only
// price.reference-suspect finds no earlier runs to compare with. The start
// URL is left to the command line.
func (s *Shop) WriteConfig(dir string) error {
	from, to := s.Promotion()
	cfg := fmt.Sprintf(`name: bench
brand: {name: %s, logo: logo.png, protected_logos: [mark.png]}
campaign: {name: 双11, start: %q, end: %q}
layout: {above_fold: [".promo"]}
`, Name, from.Format(time.DateOnly), to.Format(time.DateOnly))
	for name, data := range map[string][]byte{"logo.png": s.Logo(), "mark.png": ProtectedMark(),
		"storecheck.yaml": []byte(cfg)} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return fmt.Errorf("write bench config: %w", err)
		}
	}
	return nil
}

// photos draws count photos of edge size, seeded from seed0 on, on every
// CPU: a 1 000-page shop needs almost a thousand listing pictures.
func photos(count, size int, seed0 int64) [][]byte {
	out := make([][]byte, count)
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = photo(size, seed0+int64(i))
			}
		}()
	}
	for i := range count {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// URLs returns every page's path, sorted.
func (s *Shop) URLs() []string {
	out := []string{"/"}
	for c := 0; c < s.categories; c++ {
		out = append(out, fmt.Sprintf("/c/%d.html", c))
	}
	for p := 0; p < s.products; p++ {
		out = append(out, fmt.Sprintf("/p/%d.html", p))
	}
	sort.Strings(out)
	return out
}

// Promotion returns the first and last day of the promotion every product
// page states, midnight in Asia/Shanghai: from 4 days before Now to 6 days
// after. Both are zero when Now is: the promotion then states no dates.
func (s *Shop) Promotion() (from, to time.Time) {
	if s.Now.IsZero() {
		return time.Time{}, time.Time{}
	}
	now := s.Now.In(time.FixedZone("CST", 8*3600))
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	return day.AddDate(0, 0, -4), day.AddDate(0, 0, 6)
}

// galleryImages is how many gallery photos product p shows: 6 to 10,
// varying with p.
func galleryImages(p int) int { return 6 + p*7%5 }

// ServeHTTP serves the generated pages and images.
func (s *Shop) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	w.Header().Set("Cache-Control", "no-store")
	switch {
	case path == "/":
		s.page(w, pageData{Title: Name + " 首页", H1: Name, Cards: s.cards(0, min(12, s.products))})
	case strings.HasPrefix(path, "/c/"):
		c, ok := pathID(path, "/c/", ".html", s.categories)
		if !ok {
			http.NotFound(w, r)
			return
		}
		from, to := s.catRange(c)
		name := categoryName(c)
		s.page(w, pageData{Title: name + " - " + Name, H1: name, Cards: s.cards(from, to)})
	case strings.HasPrefix(path, "/p/"):
		p, ok := pathID(path, "/p/", ".html", s.products)
		if !ok {
			http.NotFound(w, r)
			return
		}
		s.page(w, s.product(p))
	case path == "/img/logo.png":
		w.Header().Set("Content-Type", "image/png")
		w.Write(s.logo)
	case strings.HasPrefix(path, "/img/g/"):
		// /img/g/P-K.jpg: photo K of product P's gallery.
		name := strings.TrimSuffix(strings.TrimPrefix(path, "/img/g/"), ".jpg")
		ps, ks, _ := strings.Cut(name, "-")
		p, err1 := strconv.Atoi(ps)
		k, err2 := strconv.Atoi(ks)
		if !strings.HasSuffix(path, ".jpg") || err1 != nil || err2 != nil || p < 0 || p >= s.products || k < 0 || k >= galleryImages(p) {
			http.NotFound(w, r)
			return
		}
		serveJPEG(w, s.gallery[(p+k)%len(s.gallery)], fmt.Sprintf("product %d photo %d", p, k))
	case strings.HasPrefix(path, "/img/c/"):
		p, ok := pathID(path, "/img/c/", ".jpg", s.products)
		if !ok {
			http.NotFound(w, r)
			return
		}
		serveJPEG(w, s.cardPhotos[p], "")
	default:
		http.NotFound(w, r)
	}
}

// pathID reads the number of prefix+N+suffix, valid when 0 ≤ N < limit.
func pathID(path, prefix, suffix string, limit int) (int, bool) {
	if !strings.HasSuffix(path, suffix) {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(path, prefix), suffix))
	return n, err == nil && n >= 0 && n < limit
}

// serveJPEG writes the JPEG b, with comment, when not "", in a COM segment
// right after its start marker. The comment gives every gallery photo bytes
// of its own: storecheck caches image measures by content, and a shop's
// photos differ, so pooled photos served alike would be decoded once per
// sweep and make the image checks look free.
func serveJPEG(w http.ResponseWriter, b []byte, comment string) {
	w.Header().Set("Content-Type", "image/jpeg")
	var com []byte
	if comment != "" {
		n := len(comment) + 2 // the length counts itself
		com = append([]byte{0xFF, 0xFE, byte(n >> 8), byte(n)}, comment...)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+len(com)))
	w.Write(b[:2]) // SOI
	w.Write(com)
	w.Write(b[2:])
}

func (s *Shop) catRange(c int) (int, int) {
	per := (s.products + s.categories - 1) / s.categories
	from := min(s.products, c*per)
	return from, min(s.products, from+per)
}

var (
	teas      = []string{"西湖龙井", "洞庭碧螺春", "安溪铁观音", "武夷大红袍", "云南滇红", "福鼎白毫银针", "六安瓜片", "黄山毛峰", "普洱熟茶饼", "茉莉花茶"}
	packs     = []string{"250g 罐装", "100g 袋装", "500g 礼盒"}
	catNames  = []string{"绿茶", "红茶", "乌龙茶", "白茶", "黑茶", "花茶", "黄茶", "茶具", "礼盒", "新品", "散装", "茶点"}
	reviewers = []string{"张**", "李**", "王**", "陈**", "刘**", "赵**", "孙**", "周**"}
	comments  = []string{
		"茶香清新，回甘明显，包装也很用心。",
		"物流很快，三天就到了，茶叶条索完整。",
		"泡了几次还有味道，家里人都说好喝。",
		"送长辈的，礼盒很体面，已经回购了。",
		"口感醇厚，价格合适，会继续关注。",
		"客服回复及时，发货前还提醒了保存方法。",
	}
)

// categoryName names listing c; past the dozen names, a letter tells the
// sections apart ("绿茶 B区").
func categoryName(c int) string {
	name := catNames[c%len(catNames)]
	if c >= len(catNames) {
		name += fmt.Sprintf(" %c区", 'A'+c/len(catNames))
	}
	return name
}

// productName is unique among any 30 consecutive products, and carries the
// item number besides.
func productName(p int) string {
	return fmt.Sprintf("%s %s 货号 T%04d", teas[p%len(teas)], packs[p/len(teas)%len(packs)], p)
}

func price(p int) int { return 99 + p%50 }

// weight is the net weight product p's pack states ("250g").
func weight(p int) string {
	w, _, _ := strings.Cut(packs[p/len(teas)%len(packs)], " ")
	return w
}

func (s *Shop) product(p int) pageData {
	d := pageData{Title: productName(p) + " - " + Name, H1: productName(p), Product: true, Weight: weight(p),
		// The promotion says 直降100元: the original price must agree.
		Price: price(p), Original: price(p) + 100,
		JSError: s.JSErrorEvery > 0 && p%s.JSErrorEvery == 0}
	for k := range galleryImages(p) {
		d.Gallery = append(d.Gallery, fmt.Sprintf("/img/g/%d-%d.jpg", p, k))
	}
	if from, to := s.Promotion(); !from.IsZero() {
		const layout = "2006年1月2日"
		d.PromoWindow = from.Format(layout) + "–" + to.Format(layout)
	}
	for i := range 3 + p%3 {
		d.Reviews = append(d.Reviews, review{
			User: reviewers[(p+i)%len(reviewers)], Stars: "★★★★★"[:3*(4+(p+i)%2)],
			Text: comments[(p*3+i)%len(comments)],
		})
	}
	return d
}

func (s *Shop) cards(from, to int) []card {
	var out []card
	for p := from; p < to; p++ {
		out = append(out, card{ID: p, Name: productName(p), Price: price(p)})
	}
	return out
}

type card struct {
	ID    int
	Name  string
	Price int
}

type review struct {
	User, Stars, Text string
}

type pageData struct {
	Title, H1       string
	Cards           []card
	Product         bool
	Gallery         []string
	Price, Original int
	Weight          string // net weight, as the pack states it
	// PromoWindow is the promotion's dates as shown; "" for none.
	PromoWindow string
	Reviews     []review
	JSError     bool
}

// pageTemplate's header nav holds the home page, the first ten categories
// and the best seller: at least 3 links however small the shop, at most 12
// items (more is a finding). The footer links every category, so a crawl
// reaches every page within depth 2.
const pageTemplate = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{.Page.Title}}</title>
<style>
body{font:16px/1.5 "Noto Sans CJK SC",sans-serif;margin:0;color:#222}
header,main,footer{padding:8px 16px}nav a{margin-right:12px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:12px}
.card{color:inherit;text-decoration:none}.card span{display:block}
.card img,.gallery img{width:100%;height:auto;aspect-ratio:1/1;display:block}
.product{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}.buy{flex:1 1 300px}
.gallery{display:grid;grid-template-columns:repeat(2,1fr);gap:8px;width:min(640px,100%)}
.price{color:#c00;font-size:20px}del{color:#888}.promo{color:#c60}
.reviews li{margin:4px 0}footer a{margin-right:8px}
.brand{display:flex;align-items:center;gap:10px;color:#2b2a26;text-decoration:none;font-size:22px}
.brand img{width:56px;height:56px}
</style></head><body>
<header><a class="brand" href="/"><img src="/img/logo.png" width="56" height="56" alt="{{.Brand}}"><strong>{{.Brand}}</strong></a>
<nav><a href="/">首页</a>{{range .Nav}}<a href="/c/{{.ID}}.html">{{.Name}}</a>{{end}}<a href="/p/0.html">本周热卖</a></nav></header>
<main>
<h1>{{.Page.H1}}</h1>
{{with .Page}}{{if .Product}}
<div class="product">
<div class="gallery">{{range .Gallery}}<img src="{{.}}" width="400" height="400" alt="商品实拍图">{{end}}</div>
<div class="buy">
<p><span class="price">¥{{.Price}}.00</span> 原价 <del>¥{{.Original}}.00</del></p>
<p class="promo">双11 限时直降100元 · 领券满299减30{{if .PromoWindow}} · 活动时间：{{.PromoWindow}}{{end}}</p>
<button>加入购物车</button> <button>立即购买</button>
</div>
</div>
<h2>规格参数</h2>
<table class="specs"><tr><th>产地</th><td>浙江杭州</td></tr><tr><th>净含量</th><td>{{.Weight}}</td></tr>
<tr><th>保质期</th><td>18个月</td></tr><tr><th>储存方法</th><td>密封、避光、防潮</td></tr></table>
<p>售后服务：7天无理由退换，质量问题包邮退货。</p>
<section class="reviews"><h2>商品评价（{{len .Reviews}}）</h2><ul>
{{range .Reviews}}<li><strong>{{.User}}</strong> <span>{{.Stars}}</span> {{.Text}}</li>{{end}}
</ul></section>
{{else}}
<div class="grid">{{range .Cards}}<a class="card" href="/p/{{.ID}}.html"><img src="/img/c/{{.ID}}.jpg" width="400" height="400" alt="{{.Name}}"><span class="title">{{.Name}}</span><span class="price">¥{{.Price}}.00</span></a>{{end}}</div>
{{end}}{{end}}
</main>
<footer><p>全部分类：{{range .All}}<a href="/c/{{.ID}}.html">{{.Name}}</a>{{end}}</p>
<p>客服热线 400-800-1234 · 7天无理由退换</p></footer>
{{if .Page.JSError}}<script>window.cart.add(1)</script>{{end}}
</body></html>`

var pageTmpl = template.Must(template.New("page").Parse(pageTemplate))

type category struct {
	ID   int
	Name string
}

func (s *Shop) page(w http.ResponseWriter, d pageData) {
	var all []category
	for c := range s.categories {
		all = append(all, category{c, categoryName(c)})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	err := pageTmpl.Execute(w, struct {
		Brand    string
		Page     pageData
		Nav, All []category
	}{Name, d, all[:min(10, len(all))], all})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// photo draws a sharp, photo-like JPEG of edge size: a product (a disc, a
// tin or a stack of bars, by seed) in its own colours over a shaded,
// textured backdrop lit from a side, with fine grain, so pictures of
// different seeds differ to a perceptual hash and each carries real detail.
// At 800 px one is some 100-150 KB, like a shop's product photo.
func photo(size int, seed int64) []byte {
	rng := rand.New(rand.NewSource(seed))
	bg := hsv(rng.Float64(), 0.25+0.3*rng.Float64(), 0.6+0.3*rng.Float64())
	fg := hsv(rng.Float64(), 0.5+0.4*rng.Float64(), 0.5+0.4*rng.Float64())
	shape := rng.Intn(3)
	cx, cy := 0.3+0.4*rng.Float64(), 0.3+0.4*rng.Float64()
	rad := 0.2 + 0.15*rng.Float64()
	lx, ly := rng.Float64()*2-1, rng.Float64()*2-1 // light direction
	fx, fy := 5+10*rng.Float64(), 5+10*rng.Float64()
	// The texture is separable: one sine per column and row, not per pixel.
	sx, sy := make([]float64, size), make([]float64, size)
	for i := range size {
		sx[i] = math.Sin(float64(i) / fx)
		sy[i] = math.Cos(float64(i) / fy)
	}
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	fs := float64(size)
	for y := range size {
		v := float64(y) / fs
		for x := range size {
			u := float64(x) / fs
			light := 0.8 + 0.2*(lx*(u-0.5)+ly*(v-0.5))
			c, shade := bg, light*(0.8+0.2*sx[x]*sy[y])
			if l, in := inside(shape, u-cx, v-cy, rad); in {
				c, shade = fg, light*(0.6+0.4*l)
				if (x/6+y/6)%2 == 0 {
					shade *= 0.88
				}
			}
			n := float64(rng.Intn(13) - 6)
			o := img.PixOffset(x, y)
			img.Pix[o] = clamp(c[0]*shade + n)
			img.Pix[o+1] = clamp(c[1]*shade + n)
			img.Pix[o+2] = clamp(c[2]*shade + n)
			img.Pix[o+3] = 255
		}
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85})
	return buf.Bytes()
}

// inside reports whether offset (dx, dy) from the product's centre is on
// it, and how far in (1 at the centre, 0 at the edge).
func inside(shape int, dx, dy, rad float64) (float64, bool) {
	var d float64
	switch shape {
	case 0: // disc
		d = math.Hypot(dx, dy) / rad
	case 1: // tin: a tall box
		d = math.Max(math.Abs(dx)/(rad*0.7), math.Abs(dy)/(rad*1.2))
	default: // bars: three stacked boxes
		band := math.Mod(dy/rad+3, 0.7)
		if band < 0.12 {
			return 0, false
		}
		d = math.Max(math.Abs(dx)/(rad*1.3), math.Abs(dy)/(rad*1.05))
	}
	return 1 - d, d < 1
}

// hsv converts a colour to 0-255 RGB components.
func hsv(h, s, v float64) [3]float64 {
	i := math.Floor(h * 6)
	f := h*6 - i
	p, q, t := v*(1-s), v*(1-f*s), v*(1-(1-f)*s)
	var r, g, b float64
	switch int(i) % 6 {
	case 0:
		r, g, b = v, t, p
	case 1:
		r, g, b = q, v, p
	case 2:
		r, g, b = p, v, t
	case 3:
		r, g, b = p, q, v
	case 4:
		r, g, b = t, p, v
	default:
		r, g, b = v, p, q
	}
	return [3]float64{r * 255, g * 255, b * 255}
}

func clamp(v float64) uint8 {
	return uint8(math.Max(0, math.Min(255, v)))
}

// drawMark draws a logo whose colour at (u, v) in [0, 1]² is at, as a size
// px PNG, each pixel averaged over 4×4 samples so its edges are smooth like
// a designer's export.
func drawMark(size int, at func(u, v float64) color.NRGBA) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const ss = 4
	for y := range size {
		for x := range size {
			var r, g, b, a float64
			for sy := range ss {
				for sx := range ss {
					c := at((float64(x)+(float64(sx)+0.5)/ss)/float64(size), (float64(y)+(float64(sy)+0.5)/ss)/float64(size))
					r += float64(c.R) * float64(c.A)
					g += float64(c.G) * float64(c.A)
					b += float64(c.B) * float64(c.A)
					a += float64(c.A)
				}
			}
			if a > 0 {
				img.SetNRGBA(x, y, color.NRGBA{uint8(r / a), uint8(g / a), uint8(b / a), uint8(a / ss / ss)})
			}
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

// logoAt is the shop's logo, a mountain badge: a dark green disc with a
// cream ring, a red sun behind two cream peaks, a light green leaf, on a
// transparent surround.
func logoAt(u, v float64) color.NRGBA {
	var (
		green = color.NRGBA{0x2f, 0x5d, 0x3a, 255}
		cream = color.NRGBA{0xf3, 0xee, 0xdc, 255}
		red   = color.NRGBA{0xc8, 0x1e, 0x32, 255}
		leaf  = color.NRGBA{0x8c, 0xc0, 0x4a, 255}
	)
	d := math.Hypot(u-0.5, v-0.5)
	switch {
	case d > 0.48:
		return color.NRGBA{}
	case d > 0.40 && d < 0.43:
		return cream
	case d >= 0.40:
		return green
	}
	// The leaf: an ellipse tilted by 15°.
	lu, lv := u-0.5, v-0.72
	cu, cv := lu*math.Cos(0.26)+lv*math.Sin(0.26), -lu*math.Sin(0.26)+lv*math.Cos(0.26)
	if (cu/0.15)*(cu/0.15)+(cv/0.045)*(cv/0.045) < 1 {
		return leaf
	}
	if peak(u, v, 0.42, 0.28, 0.22, 0.64, 0.66) || peak(u, v, 0.62, 0.42, 0.50, 0.76, 0.66) {
		return cream
	}
	if math.Hypot(u-0.68, v-0.30) < 0.065 {
		return red
	}
	return green
}

// peak reports whether (u, v) is inside the triangle with apex (au, av)
// and base from (l, base) to (r, base).
func peak(u, v, au, av, l, r, base float64) bool {
	if v < av || v > base {
		return false
	}
	t := (v - av) / (base - av)
	return u >= au+(l-au)*t && u <= au+(r-au)*t
}

// markAt is the other brand's mark: a white diagonal cross on a blue
// rounded square, nothing like the shop's photos or its logo.
func markAt(u, v float64) color.NRGBA {
	du, dv := math.Max(math.Abs(u-0.5)-0.36, 0), math.Max(math.Abs(v-0.5)-0.36, 0)
	if math.Hypot(du, dv) > 0.1 {
		return color.NRGBA{}
	}
	if math.Abs(u-v) < 0.09 || math.Abs(u+v-1) < 0.09 {
		if math.Abs(u-0.5) < 0.32 && math.Abs(v-0.5) < 0.32 {
			return color.NRGBA{255, 255, 255, 255}
		}
	}
	return color.NRGBA{0x1f, 0x4f, 0xa0, 255}
}
