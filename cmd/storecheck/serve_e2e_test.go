package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/proto"
)

// xssShopTitle is a shop page's title that must reach the QC reader as text.
const xssShopTitle = `<script>alert(1)</script><img src=x onerror=alert(2)>`

// startServe runs storecheck serve with args until the test ends and
// returns the URL it serves.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), pw, io.Discard)
		pw.Close()
		done <- code
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d after its context ended", code)
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	go io.Copy(io.Discard, pr)
	u, ok := strings.CutPrefix(strings.TrimSpace(line), "serving ")
	if err != nil || !ok {
		t.Fatalf("serve printed %q, %v", line, err)
	}
	return strings.TrimSuffix(u, "/")
}

// TestServeInChromium sweeps a page whose title is an attack, serves the
// database with a token and, in real Chromium, logs in through the form,
// opens the front page and the run's report: the report's own script runs
// under the dashboard's Content-Security-Policy (its pictures load), no
// script of the shop's ever does (no dialog), the title shows as text, and
// no request leaves the dashboard.
func TestServeInChromium(t *testing.T) {
	needBrowser(t)
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html lang="zh-CN"><head><title>`+strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(xssShopTitle)+
			`</title></head><body><h1>茶叶店</h1><p>正品保障</p></body></html>`)
	}))
	defer shop.Close()
	db := filepath.Join(t.TempDir(), "x.db")
	if code, _, stderr := cli(t, "sweep", shop.URL+"/", "--db", db, "--browser", browserPath, "--max-depth", "0",
		"--viewport", "desktop", "--settle", "200ms"); code > 1 {
		t.Fatalf("sweep: exit %d\n%s", code, stderr)
	}
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("s3cret-dashboard-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := startServe(t, "--db", db, "--token-file", tokenFile)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	l := launcher.New().Context(ctx).Bin(browserPath).Headless(true).Leakless(true).UserDataDir(t.TempDir()).
		Logger(io.Discard).NoSandbox(os.Geteuid() == 0).Set("disable-gpu").Set("disable-component-update").
		Set("disable-quic").Set("disable-background-networking").Set("disable-sync").Set("no-first-run")
	u, err := l.Launch()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Kill()
	b := rod.New().ControlURL(u).Context(ctx)
	if err := b.Connect(); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	page, err := b.Page(proto.TargetCreateTarget{URL: "about:blank"})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var problems []string
	recording := false // the login form's own 401 is expected
	note := func(s string) {
		mu.Lock()
		if recording {
			problems = append(problems, s)
		}
		mu.Unlock()
	}
	for _, enable := range []func() error{
		func() error { return proto.LogEnable{}.Call(page) },
		func() error { return proto.RuntimeEnable{}.Call(page) },
		func() error { return proto.NetworkEnable{}.Call(page) },
	} {
		if err := enable(); err != nil {
			t.Fatal(err)
		}
	}
	go page.Context(ctx).EachEvent(
		func(e *proto.LogEntryAdded) {
			if e.Entry.Level == proto.LogLogEntryLevelError || e.Entry.Level == proto.LogLogEntryLevelWarning {
				note("log: " + e.Entry.Text)
			}
		},
		func(e *proto.RuntimeExceptionThrown) { note("exception: " + e.ExceptionDetails.Text) },
		func(e *proto.PageJavascriptDialogOpening) {
			note("dialog: " + e.Message)
			proto.PageHandleJavaScriptDialog{Accept: true}.Call(page)
		},
		func(e *proto.NetworkRequestWillBeSent) {
			if !strings.HasPrefix(e.Request.URL, base) && !strings.HasPrefix(e.Request.URL, "data:") {
				note("request off the dashboard: " + e.Request.URL)
			}
		},
	)()

	// Not logged in: the front page is the login form.
	if err := page.Navigate(base + "/"); err != nil {
		t.Fatal(err)
	}
	page.MustWaitLoad()
	page.MustElement(`input[name=token]`).MustInput("s3cret-dashboard-token")
	wait := page.WaitNavigation(proto.PageLifecycleEventNameLoad)
	page.MustElement(`form[action="/login"] button`).MustClick()
	wait()
	mu.Lock()
	recording = true
	mu.Unlock()
	if got := page.MustInfo().URL; got != base+"/" {
		t.Fatalf("after login at %s, want the front page:\n%s", got, page.MustEval(`() => document.body.innerText`).String())
	}
	if txt := page.MustElement("table").MustText(); !strings.Contains(txt, "#1") {
		t.Errorf("front page after login lists no run:\n%s", txt)
	}

	if err := page.Navigate(base + "/runs/1"); err != nil {
		t.Fatal(err)
	}
	page.MustWaitLoad()
	// The script fills in the filter's count at once and sets a picture's
	// src as its card nears the view (scrolled to).
	if got := page.MustEval(`() => document.querySelector("#shown").textContent`).String(); got == "" {
		t.Error("the report's script did not run: blocked by the policy?")
	}
	page.MustEval(`() => document.querySelectorAll("img[data-src]").forEach(i => i.scrollIntoView())`)
	shown := 0
	for range 50 {
		if shown = page.MustEval(`() => document.querySelectorAll("img[src^='data:']").length`).Int(); shown > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if shown == 0 {
		t.Errorf("the report's script showed none of its %d pictures: blocked by the policy?",
			page.MustEval(`() => document.querySelectorAll("img[data-src]").length`).Int())
	}
	if got := page.MustEval(`() => document.body.innerText`).String(); !strings.Contains(got, xssShopTitle) {
		t.Errorf("the page's title is not shown as text in the report")
	}
	time.Sleep(300 * time.Millisecond) // events of the last load
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
}
