package rodrender

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-rod/rod/lib/proto"

	"github.com/storecheck/storecheck/crawler"
)

// visit is the browser side of one Render call: a page session and what its
// events told us. Handlers run on the dispatcher goroutine; they only record
// under mu, and anything that needs a CDP call runs in its own goroutine.
type visit struct {
	in      *instance
	ctx     context.Context // the visit's lifetime; calls made for it use it
	session proto.TargetSessionID
	target  proto.TargetTargetID
	frame   proto.PageFrameID // main frame (= target id)
	r       *Renderer
	req     crawler.RenderRequest
	hosts   map[string]bool // the sweep's hosts and the requested URL's host
	// blockOffsite refuses main-frame navigations to hosts outside hosts.
	blockOffsite bool
	// blockByFetch fails requests to hosts outside hosts in Fetch (a start
	// URL's visit, whose main document may move the page to another host).
	blockByFetch bool

	mu    sync.Mutex
	reqs  map[proto.NetworkRequestID]*request // in flight
	order []*request                          // recorded, at most keepRequests
	// dropped counts the requests past keepRequests, which are only counted.
	dropped      int
	droppedBytes int64
	console      []crawler.ConsoleMessage
	consoleN     int // console entries seen, including the ones over the cap
	doc          *request
	finalURL     string
	offsite      string // main-frame navigation refused: the off-site URL
	inflight     int
	lastNet      time.Time
	// committed is set once a document of ours (not the blank page a reused
	// tab was reset to) is in the main frame; load events count from then.
	committed bool
	// navs counts main-frame documents committed: more than one means the
	// page navigated itself (meta refresh, location = …).
	navs int
	// download is set when the main-frame response is an attachment.
	download bool
	// spoiled marks a tab not worth resetting for reuse: its page timed
	// out (a renderer busy in a loop) or crashed.
	spoiled bool
	// refetching are image URLs storecheck fetches again from the page
	// (see Renderer.refetch): those requests are not the page's.
	refetching map[string]bool
	world      proto.RuntimeExecutionContextID // storecheck's world in the main frame
	// ours are storecheck's worlds in every frame: their errors are not the page's.
	ours map[proto.RuntimeExecutionContextID]bool

	loaded chan struct{} // closed at the main frame's load event
	failed chan struct{} // closed when the target crashed
	once   struct{ loaded, failed sync.Once }
}

// request is one network request as recorded from Network events.
type request struct {
	id       proto.NetworkRequestID
	rec      crawler.Request
	frame    proto.PageFrameID
	done     bool
	finished bool // loadingFinished: the body is in the browser's buffer
	dropped  bool // past keepRequests: counted, not recorded
	ours     bool // storecheck's own request from the page, not the page's
}

func newVisit(ctx context.Context, r *Renderer, in *instance, req crawler.RenderRequest) *visit {
	return &visit{
		in: in, ctx: ctx, r: r, req: req,
		reqs:       map[proto.NetworkRequestID]*request{},
		ours:       map[proto.RuntimeExecutionContextID]bool{},
		refetching: map[string]bool{},
		loaded:     make(chan struct{}),
		failed:     make(chan struct{}),
		lastNet:    time.Now(),
	}
}

func (v *visit) call(ctx context.Context, req proto.Request, res any) error {
	return v.in.call(ctx, v.session, req, res)
}

// handle records one event of the visit's session.
func (v *visit) handle(method string, params json.RawMessage) {
	switch method {
	case "Network.requestWillBeSent":
		var e proto.NetworkRequestWillBeSent
		if json.Unmarshal(params, &e) == nil && e.Request != nil {
			v.requestWillBeSent(&e)
		}
	case "Network.responseReceived":
		var e proto.NetworkResponseReceived
		if json.Unmarshal(params, &e) == nil && e.Response != nil {
			v.responseReceived(&e)
		}
	case "Network.requestServedFromCache":
		var e proto.NetworkRequestServedFromCache
		if json.Unmarshal(params, &e) == nil {
			v.mu.Lock()
			if q := v.reqs[e.RequestID]; q != nil {
				q.rec.FromCache = true
			}
			v.mu.Unlock()
		}
	case "Network.loadingFinished":
		var e proto.NetworkLoadingFinished
		if json.Unmarshal(params, &e) == nil {
			v.mu.Lock()
			if q := v.reqs[e.RequestID]; q != nil && !q.done {
				q.rec.Bytes = int64(e.EncodedDataLength)
				q.finished = true
				v.finish(q)
			}
			v.mu.Unlock()
		}
	case "Network.loadingFailed":
		var e proto.NetworkLoadingFailed
		if json.Unmarshal(params, &e) == nil {
			v.loadingFailed(&e)
		}
	case "Page.loadEventFired":
		v.mu.Lock()
		ours := v.committed
		v.mu.Unlock()
		if ours {
			v.once.loaded.Do(func() { close(v.loaded) })
		}
	case "Page.frameNavigated":
		var e proto.PageFrameNavigated
		if json.Unmarshal(params, &e) == nil && e.Frame != nil && e.Frame.ParentID == "" {
			v.mu.Lock()
			if u := e.Frame.URL; u != "about:blank" && !strings.HasPrefix(u, "chrome-error:") {
				v.finalURL, v.committed = u, true
				v.navs++
			}
			v.mu.Unlock()
		}
	case "Page.javascriptDialogOpening":
		var e proto.PageJavascriptDialogOpening
		if json.Unmarshal(params, &e) == nil {
			// Dismiss; a beforeunload prompt is accepted so navigation and
			// closing are never held up.
			accept := e.Type == proto.PageDialogTypeBeforeunload
			go func() { _ = v.call(v.ctx, proto.PageHandleJavaScriptDialog{Accept: accept}, nil) }()
		}
	case "Runtime.consoleAPICalled":
		var e proto.RuntimeConsoleAPICalled
		if json.Unmarshal(params, &e) == nil && e.Type == proto.RuntimeConsoleAPICalledTypeError && !v.ourWorld(e.ExecutionContextID) {
			v.consoleError(&e)
		}
	case "Runtime.exceptionThrown":
		var e proto.RuntimeExceptionThrown
		if json.Unmarshal(params, &e) == nil && e.ExceptionDetails != nil && !v.ourWorld(e.ExceptionDetails.ExecutionContextID) {
			v.exception(e.ExceptionDetails)
		}
	case "Log.entryAdded":
		var e proto.LogEntryAdded
		if json.Unmarshal(params, &e) == nil && e.Entry != nil {
			v.logEntry(e.Entry)
		}
	case "Runtime.executionContextCreated":
		var e struct {
			Context struct {
				ID      proto.RuntimeExecutionContextID `json:"id"`
				Name    string                          `json:"name"`
				AuxData struct {
					FrameID proto.PageFrameID `json:"frameId"`
				} `json:"auxData"`
			} `json:"context"`
		}
		if json.Unmarshal(params, &e) == nil && e.Context.Name == worldName {
			v.mu.Lock()
			v.ours[e.Context.ID] = true
			if e.Context.AuxData.FrameID == v.frame {
				v.world = e.Context.ID
			}
			v.mu.Unlock()
		}
	case "Runtime.executionContextDestroyed":
		var e struct {
			ID proto.RuntimeExecutionContextID `json:"executionContextId"`
		}
		if json.Unmarshal(params, &e) == nil {
			v.forgetWorld(e.ID)
		}
	case "Runtime.executionContextsCleared":
		v.mu.Lock()
		v.world = 0
		v.mu.Unlock()
	case "Inspector.targetCrashed":
		v.once.failed.Do(func() { close(v.failed) })
	case "Fetch.requestPaused":
		var e proto.FetchRequestPaused
		if json.Unmarshal(params, &e) == nil {
			v.requestPaused(&e)
		}
	case "Fetch.authRequired":
		var e proto.FetchAuthRequired
		if json.Unmarshal(params, &e) == nil {
			v.authRequired(&e)
		}
	}
}

func (v *visit) requestWillBeSent(e *proto.NetworkRequestWillBeSent) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.lastNet = time.Now()
	if q := v.reqs[e.RequestID]; q != nil && e.RedirectResponse != nil {
		// A redirect hop keeps the request id: close the hop as its own record.
		q.rec.Status = e.RedirectResponse.Status
		q.rec.MIME = e.RedirectResponse.MIMEType
		q.rec.Bytes = int64(e.RedirectResponse.EncodedDataLength)
		q.rec.FromCache = q.rec.FromCache || e.RedirectResponse.FromDiskCache
		v.finish(q)
	}
	q := &request{id: e.RequestID, frame: e.FrameID, rec: crawler.Request{
		URL:    e.Request.URL,
		Type:   string(e.Type),
		Method: e.Request.Method,
	}}
	if q.rec.Type == "" {
		q.rec.Type = "Other"
	}
	v.reqs[e.RequestID] = q
	if e.Type == proto.NetworkResourceTypeFetch && v.refetching[e.Request.URL] {
		q.ours = true // tracked until done, never recorded or counted
	} else if len(v.order) < v.keepRequests() {
		v.order = append(v.order, q)
	} else {
		q.dropped = true
		v.dropped++
	}
	v.inflight++
}

// keepRequests bounds the records a visit keeps: more than Page.Requests
// holds, so images can still be matched to their responses, but bounded
// against a page that polls without end.
func (v *visit) keepRequests() int { return 4 * v.r.limits.Requests }

func (v *visit) responseReceived(e *proto.NetworkResponseReceived) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.lastNet = time.Now()
	q := v.reqs[e.RequestID]
	if q == nil {
		return
	}
	q.rec.Status = e.Response.Status
	q.rec.MIME = e.Response.MIMEType
	q.rec.FromCache = q.rec.FromCache || e.Response.FromDiskCache || e.Response.FromPrefetchCache || e.Response.FromServiceWorker
	q.rec.Size = headerInt(e.Response.Headers, "Content-Length")
	if e.Type == proto.NetworkResourceTypeDocument && (e.FrameID == v.frame || q.frame == v.frame) {
		v.doc = q
		v.finalURL = e.Response.URL
		if d := strings.ToLower(headerString(e.Response.Headers, "Content-Disposition")); strings.HasPrefix(strings.TrimSpace(d), "attachment") {
			v.download = true
		}
	}
}

// headerString returns the value of the response header name (any case).
func headerString(h proto.NetworkHeaders, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v.Str()
		}
	}
	return ""
}

// headerInt is headerString as a non-negative number, 0 when absent or bad.
func headerInt(h proto.NetworkHeaders, name string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(headerString(h, name)), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func (v *visit) loadingFailed(e *proto.NetworkLoadingFailed) {
	v.mu.Lock()
	defer v.mu.Unlock()
	q := v.reqs[e.RequestID]
	if q == nil || q.done {
		return
	}
	q.rec.Failure = e.ErrorText
	q.rec.Canceled = e.Canceled
	q.rec.Blocked = string(e.BlockedReason)
	if q.rec.Blocked == "" && strings.Contains(e.ErrorText, "ERR_BLOCKED_BY_CLIENT") {
		q.rec.Blocked = "inspector"
	}
	v.finish(q)
}

// finish marks q done; mu is held.
func (v *visit) finish(q *request) {
	if q.done {
		return
	}
	q.done = true
	v.inflight--
	v.lastNet = time.Now()
	if v.reqs[q.id] == q {
		delete(v.reqs, q.id)
	}
	if q.dropped {
		v.droppedBytes += q.rec.Bytes
	}
}

func (v *visit) consoleError(e *proto.RuntimeConsoleAPICalled) {
	parts := make([]string, 0, len(e.Args))
	for _, a := range e.Args {
		parts = append(parts, remoteText(a))
	}
	m := crawler.ConsoleMessage{Kind: "console.error", Text: strings.Join(parts, " ")}
	if e.StackTrace != nil && len(e.StackTrace.CallFrames) > 0 {
		f := e.StackTrace.CallFrames[0]
		m.Source, m.Line, m.Column = f.URL, f.LineNumber+1, f.ColumnNumber+1
	}
	v.addConsole(m)
}

func (v *visit) exception(d *proto.RuntimeExceptionDetails) {
	text := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		text, _, _ = strings.Cut(d.Exception.Description, "\n")
	} else if d.Exception != nil {
		if s := remoteText(d.Exception); s != "" {
			text = d.Text + " " + s
		}
	}
	m := crawler.ConsoleMessage{Kind: "exception", Text: text, Source: d.URL, Line: d.LineNumber + 1, Column: d.ColumnNumber + 1}
	if m.Source == "" && d.StackTrace != nil && len(d.StackTrace.CallFrames) > 0 {
		f := d.StackTrace.CallFrames[0]
		m.Source, m.Line, m.Column = f.URL, f.LineNumber+1, f.ColumnNumber+1
	}
	v.addConsole(m)
}

func (v *visit) addConsole(m crawler.ConsoleMessage) {
	const maxText = 1000
	if len(m.Text) > maxText {
		m.Text = truncUTF8(m.Text, maxText)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.consoleN++
	if len(v.console) < v.r.limits.ConsoleEntries {
		v.console = append(v.console, m)
	}
}

// remoteText renders a console argument the way DevTools prints it, roughly.
func remoteText(o *proto.RuntimeRemoteObject) string {
	if o == nil {
		return ""
	}
	if o.Type == proto.RuntimeRemoteObjectTypeString {
		return o.Value.Str()
	}
	if o.UnserializableValue != "" {
		return string(o.UnserializableValue)
	}
	if o.Description != "" {
		return o.Description
	}
	if o.Type == proto.RuntimeRemoteObjectTypeUndefined {
		return "undefined"
	}
	return o.Value.JSON("", "")
}

var logStatus = regexp.MustCompile(`status of (\d{3})`)

// logEntry backfills failed loads the Network domain did not report (for
// example requests of service workers).
func (v *visit) logEntry(e *proto.LogLogEntry) {
	if e.Source != proto.LogLogEntrySourceNetwork || e.Level != proto.LogLogEntryLevelError || e.URL == "" {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if e.NetworkRequestID != "" {
		if _, ok := v.reqs[e.NetworkRequestID]; ok {
			return
		}
	}
	for _, q := range v.order {
		if q.rec.URL == e.URL {
			return
		}
	}
	q := &request{done: true, rec: crawler.Request{URL: e.URL, Type: "Other", Method: "GET"}}
	if m := logStatus.FindStringSubmatch(e.Text); m != nil {
		q.rec.Status, _ = strconv.Atoi(m[1])
	} else {
		q.rec.Failure = e.Text
	}
	v.order = append(v.order, q)
}

// requestPaused decides on a request the Fetch domain holds: a main-frame
// navigation off the sweep's hosts is refused (ERR_ABORTED commits no error
// page, so a page that already loaded stays as it is); everything else goes
// on, fetched by the browser itself.
//
// Handlers all run on the dispatcher goroutine, so v.hosts needs no lock.
func (v *visit) requestPaused(e *proto.FetchRequestPaused) {
	fail := func(reason proto.NetworkErrorReason) {
		go func() { _ = v.call(v.ctx, proto.FetchFailRequest{RequestID: e.RequestID, ErrorReason: reason}, nil) }()
	}
	u := ""
	if e.Request != nil {
		u = e.Request.URL
	}
	web := strings.HasPrefix(u, "http:") || strings.HasPrefix(u, "https:")
	mainDoc := e.ResourceType == proto.NetworkResourceTypeDocument && e.FrameID == v.frame
	switch {
	case !web:
	case mainDoc && v.blockOffsite && !hostMatch(v.hosts, crawler.Host(u)):
		v.mu.Lock()
		if v.offsite == "" {
			v.offsite = u
		}
		v.mu.Unlock()
		fail(proto.NetworkErrorReasonAborted)
		return
	case mainDoc:
		// A start URL may move to another host; that host is now the page's.
		v.hosts[crawler.Host(u)] = true
	case v.blockByFetch && !hostMatch(v.hosts, crawler.Host(u)):
		fail(proto.NetworkErrorReasonBlockedByClient)
		return
	}
	go func() { _ = v.call(v.ctx, proto.FetchContinueRequest{RequestID: e.RequestID}, nil) }()
}

// origins lists the origins the visit's requests went to.
func (v *visit) origins() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	seen := map[string]bool{}
	var out []string
	for _, q := range v.order {
		u, err := url.Parse(q.rec.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		o := u.Scheme + "://" + u.Host
		if !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	return out
}

// authRequired answers basic-auth challenges of the sweep's hosts (and of a
// start URL's main document wherever it redirects) with the configured
// credentials; other hosts never see them.
func (v *visit) authRequired(e *proto.FetchAuthRequired) {
	resp := &proto.FetchAuthChallengeResponse{Response: proto.FetchAuthChallengeResponseResponseCancelAuth}
	if c := e.AuthChallenge; c != nil && c.Source != proto.FetchAuthChallengeSourceProxy {
		origin := crawler.Host(c.Origin)
		mainDoc := e.ResourceType == proto.NetworkResourceTypeDocument && e.FrameID == v.frame
		if hostMatch(v.hosts, origin) || (mainDoc && !v.blockOffsite) {
			resp = &proto.FetchAuthChallengeResponse{
				Response: proto.FetchAuthChallengeResponseResponseProvideCredentials,
				Username: v.r.opts.BasicAuthUser, Password: v.r.opts.BasicAuthPass,
			}
		}
	}
	go func() {
		_ = v.call(v.ctx, proto.FetchContinueWithAuth{RequestID: e.RequestID, AuthChallengeResponse: resp}, nil)
	}()
}

func (v *visit) ourWorld(id proto.RuntimeExecutionContextID) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.ours[id]
}

func (v *visit) worldID() proto.RuntimeExecutionContextID {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.world
}

func (v *visit) forgetWorld(id proto.RuntimeExecutionContextID) {
	v.mu.Lock()
	if v.world == id {
		v.world = 0
	}
	v.mu.Unlock()
}

// netQuiet reports whether no request is in flight and none started or ended
// for d.
func (v *visit) netQuiet(d time.Duration) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.inflight <= 0 && time.Since(v.lastNet) >= d
}

func truncUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
