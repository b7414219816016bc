package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storecheck/storecheck/internal/benchshop"
	"github.com/storecheck/storecheck/internal/testsite"
)

func TestRunServesUntilCancelled(t *testing.T) {
	root := testsite.Dir(t, "demo")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--root", root, "--slow", "10ms"}, w, io.Discard)
		w.Close()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("no banner: %v", err)
	}
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "serving ")
	if !ok || !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/") {
		t.Fatalf("banner %q, want \"serving http://127.0.0.1:PORT/\"", line)
	}
	go io.Copy(io.Discard, out)

	for path, want := range map[string]string{
		"":                         "山野茶铺",
		"robots.txt":               "Sitemap: " + base + "sitemap.xml",
		"slow/promo/double11.html": "双11好茶节",
	} {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET /%s = %d, want 200 with %q", path, res.StatusCode, want)
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop after cancel")
	}
}

func TestRunUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--nope"},
		{"extra"},
		{"--root", t.TempDir()},
		{"--slow", "soon"},
		{"--bench", "2"},
		{"--bench-config", "x"},
		{"--bench", "3", "--tls-addr", "127.0.0.1:0"},
	} {
		err := run(context.Background(), args, io.Discard, io.Discard)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("run %q = %v, want a usage error", args, err)
		}
	}
}

// --tls-addr serves the site over HTTPS too, its {{HTTPBASE}} the plain
// origin: the fixtures' mixed-content page loads its script from there.
func TestRunServesTLS(t *testing.T) {
	root := testsite.Dir(t, "fixtures")
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--tls-addr", "127.0.0.1:0", "--root", root}, w, io.Discard)
		w.Close()
	}()
	lines := bufio.NewReader(out)
	var bases []string
	for range 2 {
		line, err := lines.ReadString('\n')
		if err != nil {
			t.Fatalf("banners %q: %v", bases, err)
		}
		bases = append(bases, strings.TrimPrefix(strings.TrimSpace(line), "serving "))
	}
	go io.Copy(io.Discard, out)
	plain, secure := bases[0], bases[1]
	if !strings.HasPrefix(secure, "https://127.0.0.1:") {
		t.Fatalf("second banner %q, want https", secure)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	res, err := client.Get(secure + "security/mixed-content.html")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), strings.TrimSuffix(plain, "/")) {
		t.Errorf("GET mixed-content over https = %d, want 200 naming %s", res.StatusCode, plain)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run after cancel: %v", err)
	}
}

// --bench serves the generated benchmark shop, and --bench-config writes
// the configuration its sweeps read, with the logo files it names.
func TestRunServesBenchShop(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--bench", "30", "--bench-config", dir}, w, io.Discard)
		w.Close()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("no banner: %v", err)
	}
	base := strings.TrimPrefix(strings.TrimSpace(line), "serving ")
	go io.Copy(io.Discard, out)

	for path, want := range map[string]string{
		"":            benchshop.Name,
		"c/0.html":    "货号",
		"p/0.html":    "加入购物车",
		"p/27.html":   "加入购物车",
		"p/28.html":   "404",
		"img/c/0.jpg": "\xff\xd8",
	} {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if got := fmt.Sprintf("%d %s", res.StatusCode, body); !strings.Contains(got, want) {
			t.Errorf("GET /%s = %d, want %q in it", path, res.StatusCode, want)
		}
	}
	for _, name := range []string{"storecheck.yaml", "logo.png", "mark.png"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("--bench-config: %v", err)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run after cancel: %v", err)
	}
}
