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
	"sync/atomic"
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
// no request leaves the dashboard. Then the rectification board: the page's
// banned term is assigned and marked fixed through the board's forms, the
// shop removes it, and the next sweep's board shows it fixed with its
// re-check passed. Logged in with the viewer token, the board has no forms
// and a post gets 403.
func TestServeInChromium(t *testing.T) {
	needBrowser(t)
	var fixed atomic.Bool
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		claim := "<p>全网最低价，正品保障</p>"
		if fixed.Load() {
			claim = "<p>正品保障</p>"
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html lang="zh-CN"><head><title>`+strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(xssShopTitle)+
			`</title></head><body><h1>茶叶店</h1>`+claim+`</body></html>`)
	}))
	defer shop.Close()
	db := filepath.Join(t.TempDir(), "x.db")
	sweep := func() {
		t.Helper()
		if code, _, stderr := cli(t, "sweep", shop.URL+"/", "--db", db, "--browser", browserPath, "--max-depth", "0",
			"--viewport", "desktop", "--settle", "200ms"); code > 1 {
			t.Fatalf("sweep: exit %d\n%s", code, stderr)
		}
	}
	sweep()
	tokenFile, viewerFile := filepath.Join(t.TempDir(), "token"), filepath.Join(t.TempDir(), "viewer")
	if err := os.WriteFile(tokenFile, []byte("s3cret-dashboard-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(viewerFile, []byte("viewer-dashboard-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := startServe(t, "--db", db, "--token-file", tokenFile, "--viewer-token-file", viewerFile, "--lang", "en")

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
	login := func(token string) {
		t.Helper()
		if err := page.Navigate(base + "/"); err != nil {
			t.Fatal(err)
		}
		page.MustWaitLoad()
		page.MustElement(`input[name=token]`).MustInput(token)
		wait := page.WaitNavigation(proto.PageLifecycleEventNameLoad)
		page.MustElement(`form[action="/login"] button`).MustClick()
		wait()
		if got := page.MustInfo().URL; got != base+"/" {
			t.Fatalf("after login at %s, want the front page:\n%s", got, page.MustEval(`() => document.body.innerText`).String())
		}
	}
	login("s3cret-dashboard-token")
	mu.Lock()
	recording = true
	mu.Unlock()
	if txt := page.MustElement("table").MustText(); !strings.Contains(txt, "#1") {
		t.Errorf("front page after login lists no run:\n%s", txt)
	}

	if err := page.Navigate(base + "/runs/1"); err != nil {
		t.Fatal(err)
	}
	page.MustWaitLoad()
	// The script fills in the filter's count at once and sets a picture's
	// src as its card nears the view (scrolled to). The card's screenshot
	// is the dashboard's /shots/ answer, not embedded.
	if got := page.MustEval(`() => document.querySelector("#shown").textContent`).String(); got == "" {
		t.Error("the report's script did not run: blocked by the policy?")
	}
	page.MustEval(`() => document.querySelectorAll("img[data-src]").forEach(i => i.scrollIntoView())`)
	shown := 0
	for range 50 {
		if shown = page.MustEval(`() => [...document.querySelectorAll("img[src^='/shots/']")].filter(i => i.complete && i.naturalWidth > 0).length`).Int(); shown > 0 {
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

	// The board: the banned term's group, open. Assign it, then mark it
	// fixed, through its forms.
	open := func(path string) {
		t.Helper()
		if err := page.Navigate(base + path); err != nil {
			t.Fatal(err)
		}
		page.MustWaitLoad()
	}
	submit := func(form string) {
		t.Helper()
		wait := page.WaitNavigation(proto.PageLifecycleEventNameLoad)
		page.MustElement(form + " button").MustClick()
		wait()
	}
	row := func() string {
		t.Helper()
		return page.MustElement(`tr[data-rule="text.banned-term"]`).MustText()
	}
	open("/board")
	if r := row(); !strings.Contains(r, "open") || !strings.Contains(r, "全网最低价") {
		t.Fatalf("the board's banned-term row: %q", r)
	}
	page.MustElement(`tr[data-rule="text.banned-term"] details.act summary`).MustClick()
	page.MustElement(`tr[data-rule="text.banned-term"] form.assign input[name=owner]`).MustInput("运营-小王")
	page.MustElement(`tr[data-rule="text.banned-term"] form.assign input[name=note]`).MustInput("删掉“全网最低价”")
	submit(`tr[data-rule="text.banned-term"] form.assign`)
	if r := row(); !strings.Contains(r, "运营-小王") || !strings.Contains(r, "删掉“全网最低价”") {
		t.Errorf("after assigning, the row reads %q", r)
	}
	page.MustElement(`tr[data-rule="text.banned-term"] details.act summary`).MustClick()
	page.MustElement(`tr[data-rule="text.banned-term"] form.fixed input[name=note]`).MustInput("文案已改")
	submit(`tr[data-rule="text.banned-term"] form.fixed`)
	if r := row(); !strings.Contains(r, "awaiting re-check") {
		t.Errorf("after marking it fixed, the row reads %q", r)
	}
	// The shop fixes the page; the next sweep re-checks it.
	fixed.Store(true)
	sweep()
	open("/board")
	if r := row(); !strings.Contains(r, "fixed in #2") || !strings.Contains(r, "re-check passed") {
		t.Errorf("after the sweep of the fixed page, the row reads %q", r)
	}
	open("/trends")
	if n := page.MustEval(`() => document.querySelectorAll("figure.chart svg").length`).Int(); n < 3 {
		t.Errorf("the trend page draws %d charts", n)
	}

	// A viewer: the board without forms, and a post refused. The login
	// form's 401 and the refusal's 403 are expected.
	time.Sleep(300 * time.Millisecond) // events of the last load
	mu.Lock()
	recording = false
	mu.Unlock()
	submit(`form[action="/logout"]`)
	login("viewer-dashboard-token")
	open("/board?all=1")
	if n := page.MustEval(`() => document.querySelectorAll("form[action='/board/assign']").length`).Int(); n != 0 {
		t.Errorf("the viewer's board has %d forms", n)
	}
	// The policy allows no fetch (connect-src falls to 'none'): post as
	// a form does, with the session's CSRF token.
	wait := page.WaitNavigation(proto.PageLifecycleEventNameLoad)
	page.MustEval(`() => {
		const f = document.createElement("form");
		f.method = "post";
		f.action = "/board/assign";
		const csrf = document.querySelector("form[action='/logout'] input[name=csrf]").value;
		for (const [k, v] of Object.entries({csrf, target: "x", fingerprint: "0123456789abcdef", fixed: "1"})) {
			const i = document.createElement("input");
			i.name = k;
			i.value = v;
			f.append(i);
		}
		document.body.append(f);
		f.submit();
	}`)
	wait()
	if got := page.MustEval(`() => document.body.innerText`).String(); !strings.Contains(got, "this token may only read") {
		t.Errorf("the viewer's post to the board answered %q, want the 403", got)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
}
