package rodrender

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/go-rod/rod/lib/cdp"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/proto"
)

// instance is one browser connection: a browser this package launched or a
// remote one. Page sessions talk to it through rod's cdp client and proto
// types directly rather than through rod.Browser/rod.Page: rod.Browser keeps
// the parameters of every call per session in a map that is never pruned for
// closed sessions (a leak over thousands of visits), and rod.Page fans every
// browser event out to every page. One dispatcher goroutine routes events to
// their visit instead.
type instance struct {
	slot   int // index in Renderer.insts
	gen    int // bumped on every relaunch of the slot
	client *cdp.Client
	l      *launcher.Launcher // nil for a remote browser
	dir    string             // user-data-dir of a launched browser

	ctx    context.Context // ends when the connection to the browser is gone
	cancel context.CancelFunc

	mu        sync.Mutex
	sessions  map[proto.TargetSessionID]*visit
	targets   map[proto.TargetTargetID]*visit
	tabs      []*tab        // idle reused tabs (isolation mode tabPerWorker)
	resetting int           // reused tabs being reset
	tabReady  chan struct{} // a reset finished
}

// call sends one CDP command on the browser session ("") or a page session
// and decodes its result into res when res is not nil.
func (in *instance) call(ctx context.Context, session proto.TargetSessionID, req proto.Request, res any) error {
	if err := in.ctx.Err(); err != nil {
		return errBrowserGone
	}
	ctx, stop := mergeCancel(ctx, in.ctx)
	defer stop()
	raw, err := in.client.Call(ctx, string(session), req.ProtoReq(), req)
	if err != nil {
		var protoErr *cdp.Error
		switch {
		case in.ctx.Err() != nil:
			return errBrowserGone
		case errors.As(err, &protoErr), ctx.Err() != nil:
			return fmt.Errorf("%s: %w", req.ProtoReq(), err)
		}
		// The transport failed (EOF, reset): the browser is gone even if
		// the dispatcher has not noticed yet.
		in.cancel()
		return errBrowserGone
	}
	if res == nil {
		return nil
	}
	return json.Unmarshal(raw, res)
}

// errBrowserGone marks a failure caused by the browser connection ending.
var errBrowserGone = errors.New("browser connection lost")

// mergeCancel returns a context that ends when either ctx or other ends.
func mergeCancel(ctx, other context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(other, cancel)
	return ctx, func() { stop(); cancel() }
}

// dispatch routes events to their visit until the connection closes. Event
// handlers run on this goroutine and must not block: rod's cdp client stops
// reading responses while an event is undelivered.
func (in *instance) dispatch() {
	defer in.cancel()
	for ev := range in.client.Event() {
		if ev.SessionID == "" {
			in.browserEvent(ev)
			continue
		}
		in.mu.Lock()
		v := in.sessions[proto.TargetSessionID(ev.SessionID)]
		in.mu.Unlock()
		if v != nil {
			v.handle(ev.Method, ev.Params)
		}
	}
}

// browserEvent closes popups our pages open: a visit is one page.
func (in *instance) browserEvent(ev *cdp.Event) {
	if ev.Method != (proto.TargetTargetCreated{}).ProtoEvent() {
		return
	}
	var e proto.TargetTargetCreated
	if json.Unmarshal(ev.Params, &e) != nil || e.TargetInfo == nil || e.TargetInfo.OpenerID == "" {
		return
	}
	in.mu.Lock()
	v := in.targets[e.TargetInfo.OpenerID]
	in.mu.Unlock()
	if v == nil || e.TargetInfo.Type != proto.TargetTargetInfoTypePage {
		return
	}
	go func() {
		_ = in.call(v.ctx, "", proto.TargetCloseTarget{TargetID: e.TargetInfo.TargetID}, nil)
	}()
}

func (in *instance) register(v *visit) {
	in.mu.Lock()
	in.sessions[v.session] = v
	in.targets[v.target] = v
	in.mu.Unlock()
}

func (in *instance) unregister(v *visit) {
	in.mu.Lock()
	delete(in.sessions, v.session)
	delete(in.targets, v.target)
	in.mu.Unlock()
}

// close ends the connection; a launched browser is closed and its profile
// removed, a remote browser keeps running (our contexts close with the
// connection: they are created with disposeOnDetach).
func (in *instance) close(ctx context.Context) {
	if in.l == nil {
		in.cancel()
		return
	}
	if in.ctx.Err() == nil && in.call(ctx, "", proto.BrowserClose{}, nil) == nil {
		// A browser that closes itself also removes its singleton socket
		// dir in /tmp; give it a moment before the kill.
		exited := make(chan struct{})
		go func() { in.l.Cleanup(); close(exited) }()
		select {
		case <-exited:
		case <-ctx.Done():
		}
	}
	in.kill()
}

// kill ends a launched browser's process group and removes its profile.
func (in *instance) kill() {
	in.cancel()
	if in.l == nil {
		return
	}
	sock := singletonDir(in.dir)
	if pid := in.l.PID(); pid > 0 {
		// The browser leads its own process group (rod sets Setpgid).
		_ = syscall.Kill(-pid, syscall.SIGKILL)
	}
	in.l.Cleanup() // waits for the process to exit
	removeProfile(in.dir, sock)
}

// singletonDir is the /tmp dir holding the singleton socket of the browser
// using profile dir; a killed browser leaves it behind.
func singletonDir(dir string) string {
	target, err := os.Readlink(filepath.Join(dir, "SingletonSocket"))
	if err != nil {
		return ""
	}
	if sock := filepath.Dir(target); strings.HasPrefix(filepath.Base(sock), "org.chromium.Chromium.") {
		return sock
	}
	return ""
}

func removeProfile(dir, sock string) {
	if sock != "" {
		_ = os.RemoveAll(sock)
	}
	if dir != "" {
		_ = os.RemoveAll(dir)
	}
}
