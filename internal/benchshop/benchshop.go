// Package benchshop generates a storefront of any size in memory: a home page,
// category listings and product pages with real JPEG photos. Benchmarks and
// the crash tests sweep it; nothing is written to disk.
package benchshop

import (
	"bytes"
	"fmt"
	"html/template"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// Shop is a generated storefront.
type Shop struct {
	categories int
	products   int
	images     [][]byte // distinct JPEGs, shared by products
	// JSErrorEvery, when > 0, makes every n-th product page throw an
	// uncaught exception, so a sweep of the shop has findings to keep.
	JSErrorEvery int
}

// New generates a shop with n pages in all (n ≥ 3): one home page, about one
// listing per 20 products, and product pages for the rest. imageSize is the
// edge of the square product photos in px.
func New(n, imageSize int) *Shop {
	if n < 3 {
		n = 3
	}
	cats := max(1, (n-1)/21)
	s := &Shop{categories: cats, products: n - 1 - cats}
	for i := 0; i < 8; i++ {
		s.images = append(s.images, photo(imageSize, int64(i)))
	}
	return s
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

// ServeHTTP serves the generated pages and images.
func (s *Shop) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	w.Header().Set("Cache-Control", "no-store")
	switch {
	case path == "/":
		s.page(w, pageData{Title: "Bench 商城 首页", Cats: s.cats(), Cards: s.cards(0, min(12, s.products))})
	case strings.HasPrefix(path, "/c/") && strings.HasSuffix(path, ".html"):
		c, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(path, "/c/"), ".html"))
		if err != nil || c < 0 || c >= s.categories {
			http.NotFound(w, r)
			return
		}
		from, to := s.catRange(c)
		s.page(w, pageData{Title: fmt.Sprintf("分类 %d", c), Cats: s.cats(), Cards: s.cards(from, to)})
	case strings.HasPrefix(path, "/p/") && strings.HasSuffix(path, ".html"):
		p, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(path, "/p/"), ".html"))
		if err != nil || p < 0 || p >= s.products {
			http.NotFound(w, r)
			return
		}
		d := pageData{Title: fmt.Sprintf("商品 %d 号 明前龙井", p), Cats: s.cats(), Product: true,
			Price: 99 + p%50, Original: 199 + p%50,
			JSError: s.JSErrorEvery > 0 && p%s.JSErrorEvery == 0}
		for k := 0; k < 4; k++ {
			d.Gallery = append(d.Gallery, fmt.Sprintf("/img/%d-%d.jpg", p, k))
		}
		s.page(w, d)
	case strings.HasPrefix(path, "/img/") && strings.HasSuffix(path, ".jpg"):
		name := strings.TrimSuffix(strings.TrimPrefix(path, "/img/"), ".jpg")
		sum := 0
		for _, r := range name {
			sum += int(r)
		}
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(s.images[sum%len(s.images)])
	default:
		http.NotFound(w, r)
	}
}

func (s *Shop) catRange(c int) (int, int) {
	per := (s.products + s.categories - 1) / s.categories
	from := c * per
	return from, min(s.products, from+per)
}

func (s *Shop) cats() []int {
	out := make([]int, s.categories)
	for i := range out {
		out[i] = i
	}
	return out
}

type card struct {
	ID    int
	Price int
}

func (s *Shop) cards(from, to int) []card {
	var out []card
	for p := from; p < to; p++ {
		out = append(out, card{ID: p, Price: 99 + p%50})
	}
	return out
}

type pageData struct {
	Title           string
	Cats            []int
	Cards           []card
	Product         bool
	Gallery         []string
	Price, Original int
	JSError         bool
}

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font:16px/1.5 "Noto Sans CJK SC",sans-serif;margin:0;color:#222}
header,nav,main,footer{padding:8px 16px}nav a{margin-right:12px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:12px}
.card img,.gallery img{width:100%;height:auto;aspect-ratio:1/1;display:block}
.gallery{display:grid;grid-template-columns:repeat(2,1fr);gap:8px;max-width:640px}
.price{color:#c00;font-size:20px}del{color:#888}
</style></head><body>
<header><a href="/"><strong>Bench 商城</strong></a></header>
<nav>{{range .Cats}}<a href="/c/{{.}}.html">分类 {{.}}</a>{{end}}</nav>
<main>
<h1>{{.Title}}</h1>
{{if .Product}}
<div class="gallery">{{range .Gallery}}<img src="{{.}}" width="400" height="400" alt="商品图">{{end}}</div>
<p><span class="price">¥{{.Price}}.00</span> <del>¥{{.Original}}.00</del></p>
<button>加入购物车</button> <button>立即购买</button>
<table><tr><th>产地</th><td>浙江杭州</td></tr><tr><th>净含量</th><td>250g</td></tr></table>
<p>售后服务：7天无理由退换，质量问题包邮退货。</p>
{{else}}
<div class="grid">{{range .Cards}}<a class="card" href="/p/{{.ID}}.html"><img src="/img/{{.ID}}-0.jpg" width="400" height="400" alt="商品 {{.ID}}"><span>商品 {{.ID}} 号</span> <span class="price">¥{{.Price}}.00</span></a>{{end}}</div>
{{end}}
</main>
<footer>客服热线 400-800-1234 · 7天无理由退换</footer>
{{if .JSError}}<script>window.cart.add(1)</script>{{end}}
</body></html>`))

func (s *Shop) page(w http.ResponseWriter, d pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := pageTmpl.Execute(w, d); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// photo draws a sharp, photo-like JPEG: shaded shapes over a textured
// background, with fine noise so it carries real detail.
func photo(size int, seed int64) []byte {
	rng := rand.New(rand.NewSource(seed))
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	base := color.RGBA{uint8(120 + rng.Intn(100)), uint8(100 + rng.Intn(100)), uint8(80 + rng.Intn(100)), 255}
	cx, cy := float64(size)*(0.4+0.2*rng.Float64()), float64(size)*(0.4+0.2*rng.Float64())
	rad := float64(size) * (0.25 + 0.1*rng.Float64())
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			fx, fy := float64(x), float64(y)
			shade := 0.75 + 0.25*math.Sin(fx/9)*math.Cos(fy/13)
			r, g, b := float64(base.R)*shade, float64(base.G)*shade, float64(base.B)*shade
			if d := math.Hypot(fx-cx, fy-cy); d < rad {
				l := 1 - d/rad
				r, g, b = 200*l+40, 60+120*l, 50+30*l
				if (x/6+y/6)%2 == 0 {
					r, g, b = r*0.85, g*0.85, b*0.85
				}
			}
			n := float64(rng.Intn(31) - 15)
			img.Set(x, y, color.RGBA{clamp(r + n), clamp(g + n), clamp(b + n), 255})
		}
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85})
	return buf.Bytes()
}

func clamp(v float64) uint8 {
	return uint8(math.Max(0, math.Min(255, v)))
}
