package benchshop

import (
	"bytes"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
)

var (
	hrefRE    = regexp.MustCompile(`(?:href|src)="([^"]+)"`)
	galleryRE = regexp.MustCompile(`<img src="(/img/g/[^"]+)"`)
	navRE     = regexp.MustCompile(`<nav>(.*?)</nav>`)
)

// Every page links only to pages and pictures the shop serves, a crawl from
// the home page reaches every page, galleries hold 6 to 10 photos whose
// bytes all differ, and the navigation stays between 3 and 12 links.
func TestShopServesWhatItLinks(t *testing.T) {
	for _, n := range []int{24, 60, 300} {
		shop := New(n, 100)
		srv := httptest.NewServer(shop)
		defer srv.Close()
		urls := shop.URLs()
		if len(urls) != n {
			t.Errorf("n=%d: %d URLs", n, len(urls))
		}
		reached := map[string]bool{"/": true}
		queue := []string{"/"}
		for len(queue) > 0 {
			path := queue[0]
			queue = queue[1:]
			body := get(t, srv.URL+path)
			if nav := navRE.FindStringSubmatch(body); nav == nil || strings.Count(nav[1], "<a ") < 3 || strings.Count(nav[1], "<a ") > 12 {
				t.Errorf("n=%d %s: nav %q, want 3 to 12 links", n, path, nav)
			}
			for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
				link := m[1]
				if strings.HasPrefix(link, "/img/") {
					continue // checked below for product pages
				}
				if !reached[link] {
					reached[link] = true
					queue = append(queue, link)
				}
			}
			if strings.HasPrefix(path, "/p/") {
				checkGallery(t, srv.URL, path, body)
			}
		}
		for _, u := range urls {
			if !reached[u] {
				t.Errorf("n=%d: %s is linked from nowhere", n, u)
			}
		}
		if len(reached) != len(urls) {
			t.Errorf("n=%d: %d pages linked, %d listed", n, len(reached), len(urls))
		}
	}
}

func checkGallery(t *testing.T, base, path, body string) {
	t.Helper()
	imgs := galleryRE.FindAllStringSubmatch(body, -1)
	if len(imgs) < 6 || len(imgs) > 10 {
		t.Errorf("%s: %d gallery photos, want 6 to 10", path, len(imgs))
	}
	seen := map[string]bool{}
	for _, m := range imgs {
		data := get(t, base+m[1])
		if _, _, err := image.Decode(strings.NewReader(data)); err != nil {
			t.Errorf("%s: %s does not decode: %v", path, m[1], err)
		}
		if seen[data] {
			t.Errorf("%s: %s has the bytes of another photo", path, m[1])
		}
		seen[data] = true
	}
}

// The promotion states a window around Now, and no date without it.
func TestShopPromotion(t *testing.T) {
	shop := New(24, 100)
	srv := httptest.NewServer(shop)
	defer srv.Close()
	if body := get(t, srv.URL+"/p/1.html"); strings.Contains(body, "活动时间") {
		t.Errorf("promotion without Now states dates: %s", promoLine(body))
	}
	shop.Now = time.Date(2026, 11, 5, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	body := get(t, srv.URL+"/p/1.html")
	if want := "活动时间：2026年11月1日–2026年11月11日"; !strings.Contains(body, want) {
		t.Errorf("promotion %q, want it to say %q", promoLine(body), want)
	}
	from, to := shop.Promotion()
	if from.Day() != 1 || to.Day() != 11 {
		t.Errorf("Promotion() = %v, %v", from, to)
	}
}

func TestShopLogos(t *testing.T) {
	for name, data := range map[string][]byte{"logo": New(3, 100).Logo(), "mark": ProtectedMark()} {
		img, format, err := image.Decode(bytes.NewReader(data))
		if err != nil || format != "png" || img.Bounds().Dx() != logoSize {
			t.Errorf("%s: %s %v, %v", name, format, img, err)
		}
	}
}

func promoLine(body string) string {
	i := strings.Index(body, `<p class="promo">`)
	if i < 0 {
		return ""
	}
	line, _, _ := strings.Cut(body[i:], "\n")
	return line
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return string(data)
}
