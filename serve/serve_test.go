package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/storage"
)

const (
	adminToken  = "admin-token-1234"
	viewerToken = "viewer-token-5678"
	xssName     = `<script>alert(1)</script><img src=x onerror=alert(2)>`
)

// newServer serves a real SQLite store holding one complete run of a
// target named like an attack.
func newServer(t *testing.T, token, viewer string) (*httptest.Server, *storage.DB) {
	t.Helper()
	db, err := storage.Open(t.Context(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	t0 := time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)
	id, err := db.CreateRun(t.Context(), storage.RunInfo{Name: xssName, StartedAt: t0, Now: t0,
		StartURLs: []string{"https://shop.test/"}, ConfigJSON: []byte("{}"), Concurrency: 1, CPUs: 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Writer(id).Finish(t.Context(), storage.StatusComplete, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Store: db, Token: token, ViewerToken: viewer,
		Report: func(ctx context.Context, w io.Writer, ref, against string) error {
			d, err := db.LoadRun(ctx, ref)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(w, "<p>report of run %d against %q</p>", d.Run.ID, against)
			return err
		},
		Diff: func(ctx context.Context, w io.Writer, base, head string) error {
			if _, err := db.LoadRun(ctx, base); err != nil {
				return err
			}
			_, err := fmt.Fprintf(w, `{"base": %q, "head": %q}`, base, head)
			return err
		},
		Shot: func(ctx context.Context, pageID int64, width int) ([]byte, error) {
			if pageID != 1 {
				return nil, nil
			}
			return []byte(fmt.Sprintf("jpeg %d", width)), nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv, db
}

// call makes a request with an optional bearer token and returns the
// status and body.
func call(t *testing.T, c *http.Client, method, u, bearer, body string, header map[string]string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

var routes = []struct{ method, path, body string }{
	{"GET", "/", ""},
	{"GET", "/runs", ""},
	{"GET", "/runs?target=x", ""},
	{"GET", "/runs/1", ""},
	{"GET", "/diff?base=1&head=latest", ""},
	{"GET", "/api/diff?base=1&head=latest", ""},
	{"GET", "/api/runs", ""},
	{"GET", "/api/runs/1", ""},
	{"POST", "/api/assign", `{"target":"x","fingerprints":["f"],"owner":"o","due":"2026-11-10"}`},
	{"POST", "/logout", ""},
	{"GET", "/no/such/page", ""},
	{"GET", "/board", ""},
	{"GET", "/board?target=x&all=1", ""},
	{"GET", "/api/track", ""},
	{"GET", "/trends", ""},
	{"GET", "/shots/1?w=360", ""},
	{"GET", "/trends?target=x&runs=5", ""},
	{"POST", "/board/assign", "target=x&fingerprint=f&fixed=1"},
}

// TestAuth: without a token, with a wrong one or a made-up session every
// route answers 401; the admin token reads and writes; the viewer token
// reads and gets 403 on writes; every answer carries the strict policy.
func TestAuth(t *testing.T) {
	srv, db := newServer(t, adminToken, viewerToken)
	c := srv.Client()
	forged := map[string]string{"Cookie": sessionCookie + "=2.9999999999.deadbeef"}
	for _, r := range routes {
		for name, try := range map[string]struct {
			bearer string
			header map[string]string
		}{"none": {}, "wrong token": {bearer: "guess"}, "forged session": {header: forged}} {
			code, _, h := call(t, c, r.method, srv.URL+r.path, try.bearer, r.body, try.header)
			if code != http.StatusUnauthorized {
				t.Errorf("%s %s with %s: %d, want 401", r.method, r.path, name, code)
			}
			if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "script-src 'sha256-") {
				t.Errorf("%s %s: policy %q", r.method, r.path, csp)
			}
		}
	}
	for _, r := range routes {
		if r.method != "GET" {
			continue
		}
		want := http.StatusOK
		if r.path == "/no/such/page" {
			want = http.StatusNotFound
		}
		for _, tok := range []string{adminToken, viewerToken} {
			if code, body, _ := call(t, c, "GET", srv.URL+r.path, tok, "", nil); code != want {
				t.Errorf("GET %s with a token: %d, want %d: %s", r.path, code, want, body)
			}
		}
	}
	assign, jsonBody := routes[8], map[string]string{"Content-Type": "application/json"}
	if code, _, _ := call(t, c, "POST", srv.URL+assign.path, viewerToken, assign.body, jsonBody); code != http.StatusForbidden {
		t.Errorf("assign with the viewer token: %d, want 403", code)
	}
	// What a page elsewhere can post without a CORS preflight is refused.
	if code, _, _ := call(t, c, "POST", srv.URL+assign.path, adminToken, assign.body, map[string]string{"Content-Type": "text/plain"}); code != http.StatusUnsupportedMediaType {
		t.Errorf("assign as text/plain: %d, want 415", code)
	}
	if code, body, _ := call(t, c, "POST", srv.URL+assign.path, adminToken, assign.body, jsonBody); code != http.StatusOK {
		t.Errorf("assign with the admin token: %d %s", code, body)
	}
	if a, err := db.Assignments(t.Context(), "x"); err != nil || a["f"].Owner != "o" {
		t.Errorf("assignment stored: %+v %v", a, err)
	}
	if code, _, _ := call(t, c, "GET", srv.URL+"/runs/99", adminToken, "", nil); code != http.StatusNotFound {
		t.Errorf("a run that does not exist: %d, want 404", code)
	}
	if code, body, _ := call(t, c, "GET", srv.URL+"/diff?base=1&head=latest", viewerToken, "", nil); code != http.StatusOK || !strings.Contains(body, `report of run 1 against "1"`) {
		t.Errorf("diff page: %d %s; want the head's report against the base", code, body)
	}
	if code, body, _ := call(t, c, "GET", srv.URL+"/api/diff?base=1&head=latest", viewerToken, "", nil); code != http.StatusOK || body != `{"base": "1", "head": "latest"}` {
		t.Errorf("/api/diff: %d %s", code, body)
	}
	for _, q := range []string{"/diff?base=1", "/api/diff?head=1"} {
		if code, _, _ := call(t, c, "GET", srv.URL+q, viewerToken, "", nil); code != http.StatusBadRequest {
			t.Errorf("GET %s: %d, want 400", q, code)
		}
	}
	if code, _, _ := call(t, c, "GET", srv.URL+"/api/diff?base=99&head=1", viewerToken, "", nil); code != http.StatusNotFound {
		t.Errorf("diff with a run that does not exist: %d, want 404", code)
	}
	var runs struct{ Runs []struct{ Name string } }
	_, body, _ := call(t, c, "GET", srv.URL+"/api/runs", viewerToken, "", nil)
	if err := json.Unmarshal([]byte(body), &runs); err != nil || len(runs.Runs) != 1 || runs.Runs[0].Name != xssName {
		t.Errorf("/api/runs: %s (%v)", body, err)
	}
}

// TestLogin: the form sets a session cookie (HttpOnly, SameSite=Strict)
// only for the right token and a matching CSRF token; forms need the
// session's CSRF token; five wrong tokens lock the address out for a
// minute, the right one included.
func TestLogin(t *testing.T) {
	srv, _ := newServer(t, adminToken, viewerToken)
	jar, _ := cookiejar.New(nil)
	c := srv.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	csrfField := regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)
	form := func(path string, v url.Values) (int, string, http.Header) {
		return call(t, c, "POST", srv.URL+path, "", v.Encode(), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	}
	loginCSRF := func() string {
		_, body, _ := call(t, c, "GET", srv.URL+"/login", "", "", nil)
		m := csrfField.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("login form without a CSRF field:\n%s", body)
		}
		return m[1]
	}

	if code, _, _ := form("/login", url.Values{"token": {adminToken}}); code != http.StatusForbidden {
		t.Errorf("login without the CSRF token: %d, want 403", code)
	}
	if code, _, _ := form("/login", url.Values{"token": {"nope"}, "csrf": {loginCSRF()}}); code != http.StatusUnauthorized {
		t.Errorf("login with a wrong token: %d, want 401", code)
	}
	code, _, h := form("/login", url.Values{"token": {adminToken}, "csrf": {loginCSRF()}})
	if code != http.StatusSeeOther {
		t.Fatalf("login: %d, want 303", code)
	}
	var session *http.Cookie
	for _, ck := range (&http.Response{Header: h}).Cookies() {
		if ck.Name == sessionCookie {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode || strings.Contains(session.Value, adminToken) {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Strict, without the token", session)
	}
	code, body, _ := call(t, c, "GET", srv.URL+"/", "", "", nil)
	if code != http.StatusOK {
		t.Fatalf("front page after login: %d", code)
	}
	// The target's name is text, never markup.
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") || !strings.Contains(body, "&lt;script&gt;alert(1)") {
		t.Errorf("the target's name is not escaped:\n%s", body)
	}
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no logout form with a CSRF token")
	}
	if code, _, _ := form("/logout", url.Values{}); code != http.StatusForbidden {
		t.Errorf("logout without the CSRF token: %d, want 403", code)
	}
	if code, _, _ := form("/logout", url.Values{"csrf": {m[1]}}); code != http.StatusSeeOther {
		t.Errorf("logout: %d, want 303", code)
	}
	if code, _, _ := call(t, c, "GET", srv.URL+"/", "", "", nil); code != http.StatusUnauthorized {
		t.Errorf("front page after logout: %d, want 401", code)
	}

	for i := range maxFails - 1 { // one wrong login above already
		if code, _, _ := form("/login", url.Values{"token": {"nope"}, "csrf": {loginCSRF()}}); code != http.StatusUnauthorized {
			t.Fatalf("wrong login %d: %d, want 401", i+2, code)
		}
	}
	if code, _, _ := form("/login", url.Values{"token": {adminToken}, "csrf": {loginCSRF()}}); code != http.StatusTooManyRequests {
		t.Errorf("login after %d failures: %d, want 429", maxFails, code)
	}
}

// TestNoToken: without a token configured every route is open (the
// command then listens on loopback only).
func TestNoToken(t *testing.T) {
	srv, _ := newServer(t, "", "")
	for _, r := range routes {
		if r.method != "GET" || r.path == "/no/such/page" {
			continue
		}
		if code, body, _ := call(t, srv.Client(), "GET", srv.URL+r.path, "", "", nil); code != http.StatusOK {
			t.Errorf("GET %s: %d %s", r.path, code, body)
		}
	}
}

// TestBoard: the board follows a target's findings across its runs: the
// one the second run no longer has reads fixed in that run, the other
// open; the admin assigns from the board's form and the board shows the
// owner, a viewer's form post gets 403.
func TestBoard(t *testing.T) {
	srv, db := newServer(t, adminToken, viewerToken)
	ctx := t.Context()
	t0 := time.Date(2026, 11, 6, 9, 0, 0, 0, time.UTC)
	finding := func(rule, subject, page, fp string) checks.Finding {
		return checks.Finding{Rule: rule, Severity: checks.SeverityError, URL: "https://shop.test/" + page,
			Viewport: "desktop", Subject: subject, Message: rule + " on " + page, Fingerprint: fp}
	}
	fake := finding("price.fake-original", "¥399", "p/1", "aaaaaaaaaaaaaaaa")
	term1 := finding("content.banned-term", "全网最低价", "p/1", "bbbbbbbbbbbbbbbb")
	term2 := finding("content.banned-term", "全网最低价", "p/2", "cccccccccccccccc")
	runs := 0
	addRun := func(fs ...checks.Finding) {
		t.Helper()
		at := t0.Add(time.Duration(runs) * 24 * time.Hour)
		runs++
		id, err := db.CreateRun(ctx, storage.RunInfo{Name: "shop", StartedAt: at, Now: at,
			StartURLs: []string{"https://shop.test/"}, ConfigJSON: []byte("{}"), Concurrency: 1, CPUs: 2})
		if err != nil {
			t.Fatal(err)
		}
		w := db.Writer(id)
		for _, u := range []string{"p/1", "p/2"} {
			var mine []checks.Finding
			for _, f := range fs {
				if f.URL == "https://shop.test/"+u {
					mine = append(mine, f)
				}
			}
			page := &crawler.Page{URL: "https://shop.test/" + u, FinalURL: "https://shop.test/" + u,
				Viewport: crawler.Viewport{Name: "desktop"}, Status: 200, Kind: crawler.KindProduct}
			if err := w.AddPage(ctx, storage.PageRecord{Page: page, Findings: mine}); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Finish(ctx, storage.StatusComplete, at.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	addRun(fake, term1, term2) // run 2 (run 1 is newServer's)
	addRun(term1, term2)       // run 3: the fake original price is gone

	c := srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	rowsRE := regexp.MustCompile(`(?s)<tr class="error" data-rule="([^"]+)">(.*?)</tr>`)
	board := func(token string) (rows [][]string, body string) {
		t.Helper()
		code, body, _ := call(t, c, "GET", srv.URL+"/board?target=shop", token, "", nil)
		if code != http.StatusOK {
			t.Fatalf("board: %d\n%s", code, body)
		}
		return rowsRE.FindAllStringSubmatch(body, -1), body
	}
	// One row for the banned term on two pages, open; then the fake price,
	// fixed in run 3.
	rows, body := board(viewerToken)
	if len(rows) != 2 || rows[0][1] != "content.banned-term" || !strings.Contains(rows[0][2], "<summary>2</summary>") ||
		!strings.Contains(rows[0][2], ">open") || rows[1][1] != "price.fake-original" || !strings.Contains(rows[1][2], "fixed in #3") {
		t.Fatalf("board rows (the open group on 2 pages first, then the one fixed in #3):\n%v", rows)
	}
	if strings.Contains(body, `action="/board/assign"`) {
		t.Error("the viewer is shown the board's forms")
	}

	ct := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	group := term1.Fingerprint + " " + term2.Fingerprint
	assign := url.Values{"target": {"shop"}, "fingerprint": {group}, "owner": {"运营-小王"}, "due": {"2026-11-10"}, "note": {"改文案"}}.Encode()
	fixed := url.Values{"target": {"shop"}, "fingerprint": {group}, "fixed": {"1"}, "note": {"已删除"}}.Encode()
	for _, form := range []string{assign, fixed} {
		if code, _, _ := call(t, c, "POST", srv.URL+"/board/assign", viewerToken, form, ct); code != http.StatusForbidden {
			t.Errorf("viewer's post: %d, want 403", code)
		}
	}
	if code, _, h := call(t, c, "POST", srv.URL+"/board/assign", adminToken, assign, ct); code != http.StatusSeeOther || h.Get("Location") != "/board?target=shop" {
		t.Errorf("admin's assign: %d to %q, want 303 to the board", code, h.Get("Location"))
	}
	got, err := db.Assignments(ctx, "shop")
	if err != nil || got[term1.Fingerprint].Owner != "运营-小王" || got[term2.Fingerprint].Note != "改文案" || len(got) != 2 {
		t.Errorf("assigning the group assigned %+v, %v; want both its pages", got, err)
	}
	rows, body = board(adminToken)
	if !strings.Contains(rows[0][2], "运营-小王") || !strings.Contains(rows[0][2], "2026-11-10") || !strings.Contains(body, `action="/board/assign"`) {
		t.Errorf("board after the assignment lacks the owner, the due day or the admin's forms:\n%s", body)
	}

	// Marked fixed: awaiting the re-check. The next run still has the term
	// on p/2: the re-check fails, and p/1 shows fixed.
	if code, _, _ := call(t, c, "POST", srv.URL+"/board/assign", adminToken, fixed, ct); code != http.StatusSeeOther {
		t.Errorf("admin's mark: %d, want 303", code)
	}
	if rows, _ = board(adminToken); !strings.Contains(rows[0][2], "awaiting re-check") || !strings.Contains(rows[0][2], "(已删除)") {
		t.Errorf("the marked group is not awaiting its re-check:\n%s", rows[0][2])
	}
	addRun(term2) // run 4
	rows, body = board(adminToken)
	if !strings.Contains(rows[0][2], "re-check failed") || !strings.Contains(rows[0][2], "https://shop.test/p/1 desktop: fixed in #4") ||
		!strings.Contains(body, "re-check failed <b>1</b>") {
		t.Errorf("after a run that still has it on p/2, the group's re-check should fail:\n%s", rows[0][2])
	}
	// Gone from p/2 too: the re-check passes; the group shows, fixed by the
	// newest run.
	addRun() // run 5
	rows, _ = board(adminToken)
	if len(rows) != 1 || rows[0][1] != "content.banned-term" || !strings.Contains(rows[0][2], "fixed in #5") ||
		!strings.Contains(rows[0][2], "re-check passed") {
		t.Errorf("after a run without it, the group should be fixed in #5 and its re-check passed; rows:\n%v", rows)
	}

	// The API: track's JSON with the marks; marking fixed through it.
	code, out, _ := call(t, c, "GET", srv.URL+"/api/track?target=shop", viewerToken, "", nil)
	var doc struct {
		Findings []struct {
			Fingerprint, Status, Recheck, FixNote string
			MarkedFixed                           *string `json:"marked_fixed"`
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); code != http.StatusOK || err != nil || len(doc.Findings) != 3 {
		t.Fatalf("/api/track: %d %v\n%s", code, err, out)
	}
	for _, f := range doc.Findings {
		marked := f.Fingerprint != fake.Fingerprint
		if marked != (f.MarkedFixed != nil) || marked != (f.Recheck == "confirmed") || f.Status != "resolved" {
			t.Errorf("/api/track finding %+v", f)
		}
	}
	js := map[string]string{"Content-Type": "application/json"}
	body = `{"target": "shop", "fingerprints": ["` + fake.Fingerprint + `"], "fixed": true, "note": "x"}`
	if code, out, _ := call(t, c, "POST", srv.URL+"/api/assign", adminToken, body, js); code != http.StatusOK || !strings.Contains(out, `"marked_fixed":1`) {
		t.Errorf("POST /api/assign fixed: %d %s", code, out)
	}
	if marks, _ := db.FixMarks(ctx, "shop"); marks[fake.Fingerprint].Note != "x" {
		t.Errorf("fix marks after the API's: %+v", marks)
	}
	body = `{"target": "shop", "fingerprints": ["` + fake.Fingerprint + `"], "fixed": true, "owner": "x", "due": "2026-11-10"}`
	if code, _, _ := call(t, c, "POST", srv.URL+"/api/assign", adminToken, body, js); code != http.StatusBadRequest {
		t.Errorf("fixed with an owner: %d, want 400", code)
	}
}

// TestTrends: the trend page charts a target's runs (metrics, findings by
// area) and lists the product whose price moved, with a shop's title
// escaped; ?runs= bounds the window.
func TestTrends(t *testing.T) {
	srv, db := newServer(t, adminToken, viewerToken)
	ctx := t.Context()
	t0 := time.Date(2026, 11, 6, 9, 0, 0, 0, time.UTC)
	for i, price := range []float64{128, 128, 99, 118} {
		at := t0.Add(time.Duration(i) * 24 * time.Hour)
		id, err := db.CreateRun(ctx, storage.RunInfo{Name: "shop", StartedAt: at, Now: at,
			StartURLs: []string{"https://shop.test/"}, ConfigJSON: []byte(`{"budgets":{"lcp_ms":2500}}`), Concurrency: 1, CPUs: 2})
		if err != nil {
			t.Fatal(err)
		}
		w := db.Writer(id)
		for _, u := range []string{"p/1", "p/2"} {
			lcp := 1000 + 100*float64(i)
			page := &crawler.Page{URL: "https://shop.test/" + u, FinalURL: "https://shop.test/" + u, Title: xssName + u,
				Viewport: crawler.Viewport{Name: "desktop"}, Status: 200, Kind: crawler.KindProduct,
				Metrics: crawler.Metrics{LCPms: &lcp}}
			rec := storage.PageRecord{Page: page, Price: &checks.PagePrice{Current: 59, CurrentText: "¥59"}}
			if u == "p/1" {
				rec.Price = &checks.PagePrice{Current: price, CurrentText: "¥" + fmt.Sprint(price)}
				rec.Findings = []checks.Finding{{Rule: "text.banned-term", Severity: checks.SeverityError, URL: page.URL,
					Viewport: "desktop", Subject: "全网最低价", Message: "m", Fingerprint: "aaaaaaaaaaaaaaaa"}}
			}
			if err := w.AddPage(ctx, rec); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Finish(ctx, storage.StatusComplete, at.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	c := srv.Client()
	code, body, _ := call(t, c, "GET", srv.URL+"/trends?target=shop", viewerToken, "", nil)
	if code != http.StatusOK {
		t.Fatalf("trends: %d\n%s", code, body)
	}
	for _, want := range []string{
		"LCP · p75", "findings by inspection area", "products whose price moved", // the charts
		`class="line area-adlaw"`,                    // the banned term's area
		"run 4 · 2026-11-08 09:00: ¥99",              // the price's point in the sparkline (run 1 is newServer's)
		"<td>¥128.00</td><td>¥118.00</td><td>2</td>", // p/1: 128 → 99 → 118
		"&lt;script&gt;alert(1)&lt;/script&gt;",      // the title, escaped
	} {
		if !strings.Contains(body, want) {
			t.Errorf("trends lack %q", want)
		}
	}
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "https://shop.test/p/2") {
		t.Errorf("trends show a raw script, or p/2, whose price never moved:\n%s", body)
	}
	// The last two runs: one change (99 → 118).
	if _, body, _ = call(t, c, "GET", srv.URL+"/trends?target=shop&runs=2", viewerToken, "", nil); !strings.Contains(body, "<td>¥99.00</td><td>¥118.00</td><td>1</td>") {
		t.Errorf("trends of the last 2 runs:\n%s", body)
	}
	if code, _, _ = call(t, c, "GET", srv.URL+"/trends?runs=x", viewerToken, "", nil); code != http.StatusBadRequest {
		t.Errorf("runs=x: %d, want 400", code)
	}
}

// TestShots: a card's screenshot is served at the width asked, may be
// cached (it never changes), and is 404 for a page without one or a width
// out of bounds.
func TestShots(t *testing.T) {
	srv, _ := newServer(t, adminToken, "")
	c := srv.Client()
	code, body, h := call(t, c, "GET", srv.URL+"/shots/1?w=360", adminToken, "", nil)
	if code != http.StatusOK || body != "jpeg 360" || h.Get("Content-Type") != "image/jpeg" || !strings.Contains(h.Get("Cache-Control"), "immutable") {
		t.Errorf("shot: %d %q %v", code, body, h)
	}
	for _, path := range []string{"/shots/2?w=360", "/shots/1?w=99999", "/shots/1", "/shots/x?w=360"} {
		if code, _, h := call(t, c, "GET", srv.URL+path, adminToken, "", nil); code != http.StatusNotFound || h.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: %d, cache %q; want 404, no-store", path, code, h.Get("Cache-Control"))
		}
	}
	if ShotURL(12, 360) != "/shots/12?w=360" {
		t.Errorf("ShotURL(12, 360) = %q", ShotURL(12, 360))
	}
}
