package rodrender

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/go-rod/rod/lib/cdp"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/launcher/flags"

	"github.com/storecheck/storecheck/crawler"
)

// helperEnv makes the test binary a small storecheck stand-in: it launches
// a browser, prints the browser's profile dir and waits to be killed.
const helperEnv = "STORECHECK_RODRENDER_HELPER"

func helperMain() {
	opts := testOpts()
	r, err := New(context.Background(), opts)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println(r.insts[0].dir)
	select {}
}

// browserProcs lists the live processes whose command line mentions dir
// (the profile dir of one launched browser).
func browserProcs(dir string) []string {
	var out []string
	cmdlines, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, f := range cmdlines {
		b, err := os.ReadFile(f)
		if err != nil || !strings.Contains(string(b), dir) {
			continue
		}
		stat, err := os.ReadFile(filepath.Join(filepath.Dir(f), "stat"))
		if err != nil {
			continue
		}
		s := string(stat)
		if i := strings.LastIndexByte(s, ')'); i > 0 && i+2 < len(s) && s[i+2] == 'Z' {
			continue // a zombie holds no resources
		}
		out = append(out, strings.ReplaceAll(string(b), "\x00", " ")[:40])
	}
	return out
}

func waitGone(t *testing.T, dir string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		procs := browserProcs(dir)
		if len(procs) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("browser processes of %s left: %q", dir, procs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestKill9LeavesNoBrowser kills a storecheck stand-in with SIGKILL: its
// browser must not outlive it.
func TestKill9LeavesNoBrowser(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	dir := strings.TrimSpace(line)
	if err != nil || !strings.Contains(dir, "storecheck-chromium-") {
		cmd.Process.Kill()
		t.Fatalf("helper said %q: %v", line, err)
	}
	if len(browserProcs(dir)) == 0 {
		t.Fatal("helper's browser is not running")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	waitGone(t, dir)
	// The next renderer removes the profile the killed process left.
	removeStaleProfiles()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("stale profile %s not removed: %v", dir, err)
	}
}

// TestOwnBrowser runs on a browser of its own: visits are isolated on a
// reused page, the browser is relaunched when it dies mid-visit (the visit is
// retried), the third death is fatal, and Close leaves no process behind.
func TestOwnBrowser(t *testing.T) {
	t.Parallel()
	var blockOnce atomic.Bool
	entered := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/block":
			if blockOnce.CompareAndSwap(false, true) {
				entered <- struct{}{}
				<-r.Context().Done()
				return
			}
			fmt.Fprint(w, `<!doctype html><title>second try</title><p>ok</p>`)
		case "/state":
			fmt.Fprint(w, `<!doctype html><title>state</title><p>x</p><script>
document.title = [document.cookie, localStorage.getItem('k'), sessionStorage.getItem('s'), window.name].join('|');
document.cookie = 'c=1; max-age=3600'; localStorage.setItem('k', '1'); sessionStorage.setItem('s', '1'); window.name = 'n';
</script>`)
		default:
			fmt.Fprint(w, `<!doctype html><title>fine</title><p>ok</p>`)
		}
	}))
	defer srv.Close()
	opts := testOpts()
	opts.TLSInsecure = true
	r, err := New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	tlsSrv := quietTLS(srv.Config.Handler)
	defer tlsSrv.Close()
	if p := render(t, r, tlsSrv.URL+"/", crawler.Desktop); p.Status != 200 || p.Title != "fine" {
		t.Errorf("tls_insecure (launch flag): status %d error %q", p.Status, p.Error)
	}
	var dirs []string
	note := func() { dirs = append(dirs, current(r).dir) }
	note()

	// Isolation: one caller, so every visit reuses the same page.
	for i := range 3 {
		p := render(t, r, srv.URL+"/state", crawler.Desktop)
		if p.Title != "|||" {
			t.Errorf("visit %d saw state of an earlier one: %q", i, p.Title)
		}
	}
	if n := idleTabs(r); n != 1 {
		t.Errorf("%d reused pages, want 1", n)
	}

	kill := func() {
		pid := current(r).l.PID()
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
	}
	// Death 1, mid-visit: the visit is retried on the relaunched browser.
	done := make(chan *crawler.Page)
	go func() {
		p, err := r.Render(context.Background(), crawler.RenderRequest{URL: srv.URL + "/block", Viewport: crawler.Desktop})
		if err != nil {
			t.Error(err)
		}
		done <- p
	}()
	select {
	case <-entered:
	case <-time.After(20 * time.Second):
		t.Fatal("visit never reached the server")
	}
	kill()
	if p := <-done; p == nil || p.Status != 200 || p.Title != "second try" {
		t.Fatalf("retried visit: %+v", p)
	}
	note()
	if p := render(t, r, srv.URL+"/", crawler.Mobile); p.Status != 200 || p.Metrics.FCPms == nil {
		t.Errorf("after relaunch: status %d fcp %v", p.Status, p.Metrics.FCPms)
	}
	// Death 2, between visits: relaunched again.
	kill()
	if p := render(t, r, srv.URL+"/", crawler.Desktop); p.Status != 200 {
		t.Errorf("after second relaunch: status %d error %q", p.Status, p.Error)
	}
	note()
	// Death 3 is fatal.
	kill()
	_, err = r.Render(context.Background(), crawler.RenderRequest{URL: srv.URL + "/", Viewport: crawler.Desktop})
	if !errors.Is(err, crawler.ErrBrowserDied) {
		t.Errorf("third death: %v, want ErrBrowserDied", err)
	}
	r.Close()
	for _, dir := range dirs {
		waitGone(t, dir)
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("profile %s not removed: %v", dir, err)
		}
	}
}

// idleTabs waits for resets in flight and returns the number of idle pages.
func idleTabs(r *Renderer) int {
	in := current(r)
	for range 100 {
		in.mu.Lock()
		busy, n := in.resetting, len(in.tabs)
		in.mu.Unlock()
		if busy == 0 {
			return n
		}
		time.Sleep(50 * time.Millisecond)
	}
	return -1
}

func current(r *Renderer) *instance {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.insts[0]
}

// TestRemoteBrowsers drives a browser it did not launch, over two
// connections: visits alternate between them, and Close leaves the browser
// running with none of our contexts in it.
func TestRemoteBrowsers(t *testing.T) {
	t.Parallel()
	bin, err := FindBrowser("")
	if err != nil {
		t.Fatal(err)
	}
	profile := t.TempDir()
	l := launcher.New().Bin(bin).Headless(true).Leakless(true).UserDataDir(profile).NoSandbox(os.Geteuid() == 0)
	u, err := l.Launch()
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		sock := singletonDir(profile)
		syscall.Kill(-l.PID(), syscall.SIGKILL)
		l.Cleanup()
		removeProfile("", sock)
	}()
	opts := testOpts()
	opts.RemoteURLs = []string{u, u}
	opts.TLSInsecure = true
	r, err := New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	s := newSite(t, map[string]string{"/": probePage})
	tlsSrv := quietTLS(s.Config.Handler)
	defer tlsSrv.Close()
	if p := render(t, r, tlsSrv.URL+"/", crawler.Desktop); p.Status != 200 {
		t.Errorf("tls_insecure (remote): status %d error %q", p.Status, p.Error)
	}
	for _, vp := range []crawler.Viewport{crawler.Desktop, crawler.Mobile} {
		if p := render(t, r, s.URL+"/", vp); p.Status != 200 || p.Metrics.LCPms == nil {
			t.Errorf("%s: status %d lcp %v error %q", vp.Name, p.Status, p.Metrics.LCPms, p.Error)
		}
	}
	for i, in := range r.insts {
		in.mu.Lock()
		n := len(in.tabs) + in.resetting
		in.mu.Unlock()
		if n < 1 {
			t.Errorf("connection %d served no page", i)
		}
	}
	r.Close()

	c, err := cdp.StartWithURL(context.Background(), u, nil)
	if err != nil {
		t.Fatalf("remote browser gone after Close: %v", err)
	}
	go func() {
		for range c.Event() {
		}
	}()
	for range 50 {
		raw, err := c.Call(context.Background(), "", "Target.getBrowserContexts", nil)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(raw), `"browserContextIds":[]`) {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		return
	}
	t.Error("our browser contexts outlived Close")
}

// quietTLS is an HTTPS test server with a self-signed certificate that does
// not log the handshakes browsers abort while deciding about it.
func quietTLS(h http.Handler) *httptest.Server {
	s := httptest.NewUnstartedServer(h)
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.StartTLS()
	return s
}

// TestRemoteFleet drives two browsers it started: one by its DevTools URL
// and one through a go-rod launcher manager. Killing the first in the middle
// of a visit drops it from the pool and the visit is retried on the other;
// killing the managed browser makes the manager start a new one; Close
// makes the manager end its browsers.
func TestRemoteFleet(t *testing.T) {
	t.Parallel()
	bin, err := FindBrowser("")
	if err != nil {
		t.Fatal(err)
	}
	root := os.Geteuid() == 0
	profile := t.TempDir()
	direct := launcher.New().Bin(bin).Headless(true).Leakless(true).UserDataDir(profile).NoSandbox(root)
	directURL, err := direct.Launch()
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		sock := singletonDir(profile)
		syscall.Kill(-direct.PID(), syscall.SIGKILL)
		direct.Cleanup()
		removeProfile("", sock)
	}()

	var (
		mu       sync.Mutex
		launched []*launcher.Launcher
	)
	m := launcher.NewManager()
	m.Defaults = func(http.ResponseWriter, *http.Request) *launcher.Launcher {
		return launcher.New().Bin(bin).NoSandbox(root)
	}
	m.BeforeLaunch = func(l *launcher.Launcher, _ http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		launched = append(launched, l)
		mu.Unlock()
	}
	managerSrv := httptest.NewServer(m)
	defer managerSrv.Close()
	managed := func() []*launcher.Launcher {
		mu.Lock()
		defer mu.Unlock()
		return append([]*launcher.Launcher(nil), launched...)
	}

	var blockOnce atomic.Bool
	entered := make(chan struct{}, 1)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/block" && blockOnce.CompareAndSwap(false, true) {
			entered <- struct{}{}
			<-r.Context().Done()
			return
		}
		fmt.Fprint(w, `<!doctype html><title>fine</title><p>ok</p>`)
	}))
	defer site.Close()

	var logBuf syncBuffer
	opts := testOpts()
	opts.RemoteURLs = []string{directURL, "ws://" + strings.TrimPrefix(managerSrv.URL, "http://")}
	opts.Log = slog.New(slog.NewTextHandler(&logBuf, nil))
	r, err := New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n := len(managed()); n != 1 {
		t.Fatalf("manager started %d browsers, want 1", n)
	}
	for range 4 {
		if p := render(t, r, site.URL+"/", crawler.Desktop); p.Status != 200 {
			t.Fatalf("status %d error %q", p.Status, p.Error)
		}
	}
	for i, in := range r.insts {
		in.mu.Lock()
		n := len(in.tabs) + in.resetting
		in.mu.Unlock()
		if n < 1 {
			t.Errorf("browser %d served no page", i)
		}
	}

	// The direct browser dies in the middle of a visit.
	r.next.Store(0) // the next visit goes to it
	done := make(chan *crawler.Page)
	go func() {
		p, err := r.Render(context.Background(), crawler.RenderRequest{URL: site.URL + "/block", Viewport: crawler.Desktop})
		if err != nil {
			t.Error(err)
		}
		done <- p
	}()
	select {
	case <-entered:
	case <-time.After(20 * time.Second):
		t.Fatal("visit never reached the server")
	}
	if err := syscall.Kill(-direct.PID(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if p := <-done; p == nil || p.Status != 200 || p.Title != "fine" {
		t.Fatalf("visit in flight when its browser died: %+v", p)
	}
	r.mu.Lock()
	dropped := r.insts[0] == nil
	r.mu.Unlock()
	if !dropped {
		t.Error("lost browser still in the pool")
	}
	if !strings.Contains(logBuf.String(), "remote browser lost") {
		t.Errorf("no log line for the lost browser: %q", logBuf.String())
	}
	for range 2 {
		if p := render(t, r, site.URL+"/", crawler.Mobile); p.Status != 200 {
			t.Errorf("after the loss: status %d error %q", p.Status, p.Error)
		}
	}

	// The managed browser dies: the manager starts another one.
	first := managed()[0]
	if err := syscall.Kill(-first.PID(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if p := render(t, r, site.URL+"/", crawler.Desktop); p.Status != 200 {
		t.Errorf("after the managed browser died: status %d error %q", p.Status, p.Error)
	}
	if n := len(managed()); n != 2 {
		t.Errorf("manager started %d browsers, want 2", n)
	}
	r.Close()
	for _, l := range managed() {
		waitGone(t, l.Get(flags.UserDataDir))
	}
}

// syncBuffer is a bytes.Buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
