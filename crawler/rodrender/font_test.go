package rodrender

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"golang.org/x/image/font/gofont/goregular"

	"github.com/storecheck/storecheck/crawler"
)

// fontPage declares four web fonts: Broken (404) drawn in a heading and a
// paragraph, Icons (404) drawn as private-use glyphs in own text and in a
// ::before, Good (a real TrueType file) and Unused (404, drawn nowhere).
const fontPage = `<!doctype html><meta charset="utf-8"><title>fonts</title>
<style>
@font-face{font-family:"Broken Sans";src:url(/fonts/missing.woff2) format("woff2")}
@font-face{font-family:Icons;src:url(/fonts/icons.woff) format("woff")}
@font-face{font-family:Good;src:url(/fonts/go.ttf) format("truetype")}
@font-face{font-family:Unused;src:url(/fonts/unused.woff2) format("woff2")}
body{font:16px/20px sans-serif}
.b{font-family:"Broken Sans",Good,sans-serif}
.i{font-family:Icons;font-style:normal}
.cart::before{content:"\e601"}
.g{font-family:Good,sans-serif}
</style>
<h1 id="h" class="b">新品上市 New arrivals</h1>
<p id="p" class="b">Hand-picked tea from the hills.</p>
<p id="hid" class="b" style="display:none">hidden words</p>
<p><i id="i1" class="i">&#xe600;</i> <i id="i2" class="i cart"></i> <span id="i3" class="i">Cart</span></p>
<p id="g" class="g">Loaded words</p>`

func fontByFamily(p *crawler.Page, family string) *crawler.WebFont {
	for i := range p.Fonts {
		if p.Fonts[i].Family == family {
			return &p.Fonts[i]
		}
	}
	return nil
}

func TestCollectFonts(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, fontPage)
		case "/fonts/go.ttf":
			w.Header().Set("Content-Type", "font/ttf")
			w.Write(goregular.TTF)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	p := render(t, shared, srv.URL+"/", crawler.Desktop)

	if len(p.Fonts) != 4 {
		t.Fatalf("fonts %+v, want 4 families", p.Fonts)
	}
	b := fontByFamily(p, "Broken Sans")
	switch {
	case b == nil:
		t.Fatalf("no Broken Sans in %+v", p.Fonts)
	case b.Status != "error" || b.Faces != 1 || len(b.Srcs) != 1 || b.Srcs[0] != srv.URL+"/fonts/missing.woff2":
		t.Errorf("Broken Sans %+v", *b)
	case b.Elements != 2 || b.Fallback != 2 || b.PrivateUse != 0 || len(b.Examples) != 2:
		// The display:none paragraph is not counted.
		t.Errorf("Broken Sans use %+v", *b)
	case b.Examples[0].Selector != "#h" || b.Examples[0].Text != "新品上市 New arrivals" || !b.Examples[0].Fallback:
		t.Errorf("Broken Sans examples %+v", b.Examples)
	}
	if ic := fontByFamily(p, "Icons"); ic == nil || ic.Status != "error" || ic.Elements != 3 || ic.PrivateUse != 2 ||
		ic.Fallback != 3 || ic.FallbackPrivateUse != 2 || len(ic.Examples) != 3 {
		t.Errorf("Icons %+v", ic)
	} else if ex := ic.Examples[1]; ex.Selector != "#i2" || ex.Text != "\ue601" || !ex.PrivateUse {
		t.Errorf("Icons ::before example %+v", ex)
	}
	// Good is the fallback of .b too, but counted only where it comes first.
	if g := fontByFamily(p, "Good"); g == nil || g.Status != "loaded" || g.Elements != 1 || g.Fallback != 0 || len(g.Examples) != 1 || g.Examples[0].Fallback {
		t.Errorf("Good %+v", g)
	}
	if u := fontByFamily(p, "Unused"); u == nil || u.Status != "unloaded" || u.Elements != 0 || len(u.Examples) != 0 {
		t.Errorf("Unused %+v", u)
	}
	for _, q := range p.Requests {
		if q.URL == srv.URL+"/fonts/unused.woff2" {
			t.Errorf("the unused font was requested: %+v", q)
		}
	}
}
