package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// sitemapServer serves testdata/sitemaps with {{BASE}} replaced by its URL.
// NAME.gz is NAME gzip-compressed, sent as a file; with ?ce=1 it is sent
// with Content-Encoding: gzip instead, as a server compressing on the fly.
func sitemapServer(t *testing.T) (*httptest.Server, *recorder) {
	t.Helper()
	var srv *httptest.Server
	rec := &recorder{}
	rec.next = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		if name == "error" {
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		gz := strings.HasSuffix(name, ".gz")
		b, err := os.ReadFile(filepath.Join("testdata", "sitemaps", strings.TrimSuffix(name, ".gz")))
		if err != nil || name == "" {
			http.NotFound(w, r)
			return
		}
		b = bytes.ReplaceAll(b, []byte("{{BASE}}"), []byte(srv.URL))
		if gz {
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			zw.Write(b)
			zw.Close()
			b = buf.Bytes()
			if r.URL.Query().Get("ce") == "1" {
				w.Header().Set("Content-Encoding", "gzip")
			} else {
				w.Header().Set("Content-Type", "application/x-gzip")
			}
		}
		w.Write(b)
	})
	srv = httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return srv, rec
}

func TestSitemapsDiscovery(t *testing.T) {
	srv, rec := sitemapServer(t)
	f := NewFetcher(FetchOptions{})
	ctx := context.Background()
	rb := f.Robots(ctx, srv.URL)
	got := f.Sitemaps(ctx, srv.URL, rb)
	want := []string{
		srv.URL + "/p/2",
		srv.URL + "/p/1?color=red&size=M",
		srv.URL + "/about",
		"https://other.test/elsewhere",
		srv.URL + "/text/1",
		srv.URL + "/from-default",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Sitemaps =\n%q\nwant\n%q", got, want)
	}
	fetched := map[string]int{}
	for _, r := range rec.requests() {
		fetched[r.URL.Path]++
	}
	for _, p := range []string{"/robots.txt", "/sitemap_index.xml", "/products.xml.gz", "/pages.xml", "/missing.xml",
		"/nested1.xml", "/nested2.xml", "/relative-sitemap.txt", "/sitemap.xml"} {
		if fetched[p] != 1 {
			t.Errorf("%s fetched %d times, want once", p, fetched[p])
		}
	}
	// Index nesting stops at 3 levels: level3.xml is the 4th.
	for _, p := range []string{"/level3.xml", "/too-deep.xml"} {
		if fetched[p] != 0 {
			t.Errorf("%s fetched beyond the depth limit", p)
		}
	}
}

func TestReadSitemaps(t *testing.T) {
	srv, _ := sitemapServer(t)
	f := NewFetcher(FetchOptions{})
	tests := []struct {
		name    string
		locs    []string
		lim     SitemapLimits
		want    []string
		wantErr string // substring; "" = no error
	}{
		{
			name: "gzip file", locs: []string{"/products.xml.gz"}, lim: DefaultSitemapLimits,
			want: []string{"/p/2", "/p/1?color=red&size=M"},
		},
		{
			name: "gzip content encoding", locs: []string{"/products.xml.gz?ce=1"}, lim: DefaultSitemapLimits,
			want: []string{"/p/2", "/p/1?color=red&size=M"},
		},
		{
			name: "nesting limit", locs: []string{"/nested1.xml"}, lim: DefaultSitemapLimits,
			wantErr: "nested deeper than 3",
		},
		{
			name: "deeper limit reaches the URLs", locs: []string{"/nested1.xml"},
			lim:  SitemapLimits{MaxDepth: 4, MaxFiles: 10, MaxURLs: 10, MaxBytes: 1 << 20},
			want: []string{"/too-deep"},
		},
		{
			name: "URL cap", locs: []string{"/sitemap_index.xml"},
			lim:     SitemapLimits{MaxDepth: 3, MaxFiles: 10, MaxURLs: 2, MaxBytes: 1 << 20},
			want:    []string{"/p/2", "/p/1?color=red&size=M"},
			wantErr: "more than 2 URLs",
		},
		{
			name: "file cap", locs: []string{"/sitemap_index.xml"},
			lim:     SitemapLimits{MaxDepth: 3, MaxFiles: 2, MaxURLs: 100, MaxBytes: 1 << 20},
			want:    []string{"/p/2", "/p/1?color=red&size=M"},
			wantErr: "more than 2 sitemap files",
		},
		{
			name: "byte cap", locs: []string{"/pages.xml"},
			lim:     SitemapLimits{MaxDepth: 3, MaxFiles: 10, MaxURLs: 100, MaxBytes: 200},
			want:    []string{"/about"},
			wantErr: "over size cap",
		},
		{
			name: "404 is silent, other statuses are not", locs: []string{"/missing.xml", "mailto:x", "/error"},
			lim: DefaultSitemapLimits, wantErr: "status 500",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var locs []string
			for _, l := range tt.locs {
				if strings.HasPrefix(l, "/") {
					l = srv.URL + l
				}
				locs = append(locs, l)
			}
			got, err := f.ReadSitemaps(context.Background(), locs, tt.lim)
			if short := shortURLs(srv.URL, got); !reflect.DeepEqual(short, tt.want) && len(short)+len(tt.want) > 0 {
				t.Errorf("URLs = %q, want %q", short, tt.want)
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("err = %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("err = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func shortURLs(base string, us []string) []string {
	var out []string
	for _, u := range us {
		out = append(out, strings.TrimPrefix(u, base))
	}
	return out
}

// A sitemap declared GBK (common on Chinese shops) is decoded by its
// charset: a path with Chinese characters reads right.
func TestSitemapGBK(t *testing.T) {
	utf := `<?xml version="1.0" encoding="GBK"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://shop.test/分类/绿茶.html</loc></url></urlset>`
	gbk, _, err := transform.Bytes(simplifiedchinese.GBK.NewEncoder(), []byte(utf))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := parseSitemapXML(bytes.NewReader(gbk), func(loc string, _ bool) bool {
		got = append(got, loc)
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != "https://shop.test/分类/绿茶.html" {
		t.Errorf("locs %q", got)
	}
}
