// Package serve is storecheck's dashboard: server-rendered pages over a
// store (SQLite or PostgreSQL) and a JSON API under /api/ with the CLI's
// shapes. Every route needs a token (a bearer header, or the cookie a
// login sets) once one is configured; a viewer token reads only. Shop
// pages are attacker-controlled input: every value goes through
// html/template, and a strict Content-Security-Policy allows no script
// but the report's own.
package serve

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/storecheck/storecheck/lang"
	"github.com/storecheck/storecheck/report"
	"github.com/storecheck/storecheck/storage"
)

// Store is what the dashboard reads and writes.
type Store interface {
	Runs(ctx context.Context) ([]storage.Run, error)
	LoadRun(ctx context.Context, ref string) (*storage.RunData, error)
	FindingSpans(ctx context.Context, name string) ([]storage.Run, []storage.Span, error)
	Assignments(ctx context.Context, name string) (map[string]storage.Assignment, error)
	Assign(ctx context.Context, name string, fingerprints []string, a storage.Assignment) error
	Trend(ctx context.Context, name string, n int) ([]storage.TrendRun, error)
	FixMarks(ctx context.Context, name string) (map[string]storage.FixMark, error)
	MarkFixed(ctx context.Context, name string, fingerprints []string, m storage.FixMark) error
}

// Options configure a Server.
type Options struct {
	Store Store
	// Report writes the HTML report of run ref (storecheck report's),
	// with the changes since run against ("": the target's previous
	// complete run).
	Report func(ctx context.Context, w io.Writer, ref, against string) error
	// Diff writes the comparison of two runs as diff --format json does.
	Diff func(ctx context.Context, w io.Writer, base, head string) error
	// Shot returns the screenshot of page row pageID as a JPEG scaled to
	// width, nil when the page has none: the pictures the report's cards
	// name (report.HTMLInput.ShotURL, ShotURL here). Optional.
	Shot func(ctx context.Context, pageID int64, width int) ([]byte, error)
	// Token gives every right; ViewerToken only reading. With no Token
	// nothing is checked: the caller must listen on loopback only.
	Token, ViewerToken string
	Lang               lang.Tag
	Log                *slog.Logger
	Now                func() time.Time // default time.Now
}

// Server is the dashboard's http.Handler.
type Server struct {
	opts   Options
	key    []byte // signs sessions and CSRF tokens; new at every start
	csp    string
	mux    *http.ServeMux
	logins limiter
	pages  *template.Template
}

// New returns the dashboard over o.Store.
func New(o Options) (*Server, error) {
	if o.Store == nil || o.Report == nil || o.Diff == nil {
		return nil, errors.New("serve: Store, Report and Diff are required")
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	script, err := report.ScriptHash()
	if err != nil {
		return nil, err
	}
	chartCSS, err := report.ChartCSS()
	if err != nil {
		return nil, err
	}
	pages, err := template.New("pages").Funcs(template.FuncMap{"t": words(o.Lang), "join": strings.Join,
		"chartCSS": func() template.CSS { return chartCSS }}).Parse(pageTemplates + boardTemplate + trendsTemplate)
	if err != nil {
		return nil, err
	}
	s := &Server{
		opts: o, key: []byte(randomHex(32)), pages: pages,
		logins: limiter{fails: map[string][]time.Time{}},
		// Style attributes place the report's boxes over its pictures, so
		// styles may be inline; scripts may not, but for the report's own.
		csp: "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; script-src " + script +
			"; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	}
	m := http.NewServeMux()
	m.HandleFunc("GET /login", s.loginForm)
	// Browsers ask for it on their own; it holds nothing to guard.
	m.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	m.HandleFunc("POST /login", s.login)
	m.Handle("POST /logout", s.need(viewer, http.HandlerFunc(s.logout)))
	m.Handle("GET /{$}", s.need(viewer, http.HandlerFunc(s.targets)))
	m.Handle("GET /runs", s.need(viewer, http.HandlerFunc(s.runsPage)))
	m.Handle("GET /runs/{id}", s.need(viewer, http.HandlerFunc(s.runPage)))
	m.Handle("GET /diff", s.need(viewer, http.HandlerFunc(s.diffPage)))
	m.Handle("GET /shots/{page}", s.need(viewer, http.HandlerFunc(s.shot)))
	m.Handle("GET /api/diff", s.need(viewer, http.HandlerFunc(s.apiDiff)))
	m.Handle("GET /board", s.need(viewer, http.HandlerFunc(s.board)))
	m.Handle("GET /trends", s.need(viewer, http.HandlerFunc(s.trends)))
	m.Handle("POST /board/assign", s.need(admin, http.HandlerFunc(s.boardAssign)))
	m.Handle("GET /api/track", s.need(viewer, http.HandlerFunc(s.apiTrack)))
	m.Handle("GET /api/runs", s.need(viewer, http.HandlerFunc(s.apiRuns)))
	m.Handle("GET /api/runs/{id}", s.need(viewer, http.HandlerFunc(s.apiRun)))
	m.Handle("POST /api/assign", s.need(admin, http.HandlerFunc(s.apiAssign)))
	m.Handle("/", s.need(viewer, http.NotFoundHandler()))
	s.mux = m
	return s, nil
}

func (s *Server) now() time.Time {
	if s.opts.Now != nil {
		return s.opts.Now()
	}
	return time.Now()
}

// ServeHTTP sets the security headers on every answer and routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", s.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	s.mux.ServeHTTP(w, r)
}

// need lets through requests whose role is at least want: 401 without a
// valid token or session (pages answer with the login form), 403 for a
// viewer asking to write.
func (s *Server) need(want role, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := s.authenticate(r)
		switch {
		case got == nobody:
			if strings.HasPrefix(r.URL.Path, "/api/") {
				w.Header().Set("WWW-Authenticate", `Bearer realm="storecheck"`)
				writeJSONError(w, http.StatusUnauthorized, "a token is required")
				return
			}
			s.renderLogin(w, r, http.StatusUnauthorized, "")
		case got < want:
			if strings.HasPrefix(r.URL.Path, "/api/") {
				writeJSONError(w, http.StatusForbidden, "this token may only read")
				return
			}
			http.Error(w, "this token may only read", http.StatusForbidden)
		default:
			// A form posted with a session cookie must carry its CSRF token;
			// a bearer request is not a browser's, and needs none.
			if r.Method == http.MethodPost && r.Header.Get("Authorization") == "" && s.opts.Token != "" {
				c, err := r.Cookie(sessionCookie)
				if err != nil || !sameSecret(cmp.Or(r.Header.Get("X-CSRF-Token"), r.PostFormValue("csrf")), s.csrfToken(c.Value)) {
					http.Error(w, "missing or wrong CSRF token", http.StatusForbidden)
					return
				}
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), roleKey{}, got)))
		}
	})
}

type roleKey struct{}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	s.renderLogin(w, r, http.StatusOK, "")
}

// renderLogin shows the login form with a CSRF pair: a seed in a cookie
// and its token in the form, which must agree on the way back. A browser
// that has a seed keeps it: every 401 shows the form (the favicon's too),
// and a new seed per answer would void the form on screen.
func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, problem string) {
	seed := randomHex(16)
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == len(seed) {
		seed = c.Value
	}
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: seed, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	s.render(w, status, "login", map[string]any{"CSRF": s.csrfToken(seed), "Problem": problem})
}

// login checks the posted token (rate-limited per address) and sets the
// session cookie.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	addr, now := clientAddr(r), s.now()
	if s.logins.blocked(addr, now) {
		w.Header().Set("Retry-After", fmt.Sprint(int(failWindow.Seconds())))
		http.Error(w, "too many failed logins: try again in a minute", http.StatusTooManyRequests)
		return
	}
	c, err := r.Cookie(csrfCookie)
	if err != nil || !sameSecret(r.PostFormValue("csrf"), s.csrfToken(c.Value)) {
		http.Error(w, "missing or wrong CSRF token: reload the login page", http.StatusForbidden)
		return
	}
	ro := s.roleOf(r.PostFormValue("token"))
	if ro == nobody {
		s.logins.fail(addr, now)
		s.opts.Log.Warn("failed login", "from", addr)
		s.renderLogin(w, r, http.StatusUnauthorized, "wrong token")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: s.newSession(ro), Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: int(sessionFor.Seconds())})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// target is one target's row on the front page: its newest run.
type target struct {
	Name   string
	Latest storage.Run
	Runs   int
}

func (s *Server) targets(w http.ResponseWriter, r *http.Request) {
	runs, err := s.opts.Store.Runs(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	by := map[string]*target{}
	for _, run := range runs {
		t := by[run.Name]
		if t == nil {
			t = &target{Name: run.Name}
			by[run.Name] = t
		}
		t.Runs++
		if run.ID > t.Latest.ID {
			t.Latest = run
		}
	}
	var list []*target
	for _, t := range by {
		list = append(list, t)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	s.render(w, http.StatusOK, "targets", s.withSession(r, map[string]any{"Targets": list}))
}

func (s *Server) runsPage(w http.ResponseWriter, r *http.Request) {
	runs, err := s.opts.Store.Runs(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	name := r.URL.Query().Get("target")
	var list []storage.Run
	for i := len(runs) - 1; i >= 0; i-- { // newest first
		if name == "" || runs[i].Name == name {
			list = append(list, runs[i])
		}
	}
	s.render(w, http.StatusOK, "runs", s.withSession(r, map[string]any{"Target": name, "Runs": list}))
}

// runPage is the run's HTML report, as storecheck report writes it.
func (s *Server) runPage(w http.ResponseWriter, r *http.Request) {
	s.report(w, r, r.PathValue("id"), "")
}

// diffPage compares two runs: head's report with its changes since base
// (new, resolved and persisting findings, metric and price changes).
func (s *Server) diffPage(w http.ResponseWriter, r *http.Request) {
	base, head, ok := basePair(w, r)
	if ok {
		s.report(w, r, head, base)
	}
}

func (s *Server) report(w http.ResponseWriter, r *http.Request, ref, against string) {
	// The report is built in memory first: an error halfway must not
	// leave half a page under a 200.
	var buf strings.Builder
	if err := s.opts.Report(r.Context(), &buf, ref, against); err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, buf.String())
}

// ShotURL is where the dashboard serves the screenshot of page row pageID
// at width px: report.HTMLInput.ShotURL for the reports it shows.
func ShotURL(pageID int64, width int) string {
	return "/shots/" + strconv.FormatInt(pageID, 10) + "?w=" + strconv.Itoa(width)
}

// shot serves a card's screenshot. A page row's screenshot never changes,
// so the browser may keep it; it is the only answer that may be cached.
func (s *Server) shot(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("page"), 10, 64)
	width, werr := strconv.Atoi(r.URL.Query().Get("w"))
	if err != nil || werr != nil || width < 16 || width > 2000 || s.opts.Shot == nil {
		http.NotFound(w, r)
		return
	}
	jpg, err := s.opts.Shot(r.Context(), id, width)
	if err != nil {
		s.fail(w, err)
		return
	}
	if jpg == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, max-age=604800, immutable")
	w.Write(jpg)
}

func (s *Server) apiDiff(w http.ResponseWriter, r *http.Request) {
	base, head, ok := basePair(w, r)
	if !ok {
		return
	}
	var buf strings.Builder
	if err := s.opts.Diff(r.Context(), &buf, base, head); err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, buf.String())
}

// basePair reads the base and head runs of a comparison (ids or latest).
func basePair(w http.ResponseWriter, r *http.Request) (base, head string, ok bool) {
	base, head = r.URL.Query().Get("base"), r.URL.Query().Get("head")
	if base == "" || head == "" {
		http.Error(w, "want ?base=RUN&head=RUN (a run id or latest)", http.StatusBadRequest)
		return "", "", false
	}
	return base, head, true
}

func (s *Server) apiRuns(w http.ResponseWriter, r *http.Request) {
	runs, err := s.opts.Store.Runs(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	report.RunsJSON(w, runs)
}

func (s *Server) apiRun(w http.ResponseWriter, r *http.Request) {
	d, err := s.opts.Store.LoadRun(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	report.RunJSON(w, d)
}

// assignRequest is POST /api/assign's body: storecheck assign's arguments.
type assignRequest struct {
	Target       string   `json:"target"`
	Fingerprints []string `json:"fingerprints"`
	Owner        string   `json:"owner"`
	Due          string   `json:"due"` // YYYY-MM-DD
	Note         string   `json:"note"`
	// Fixed marks the findings fixed instead (storecheck assign --fixed):
	// owner and due are then left out.
	Fixed bool `json:"fixed"`
}

func (s *Server) apiAssign(w http.ResponseWriter, r *http.Request) {
	// JSON only: a page elsewhere can post a form or text/plain to the
	// dashboard without asking, but not application/json (a CORS
	// preflight, which this server never grants).
	if ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); strings.TrimSpace(ct) != "application/json" {
		writeJSONError(w, http.StatusUnsupportedMediaType, "want Content-Type: application/json")
		return
	}
	var req assignRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		writeJSONError(w, http.StatusBadRequest, "body: "+err.Error())
		return
	}
	if req.Target == "" || len(req.Fingerprints) == 0 {
		writeJSONError(w, http.StatusBadRequest, "want target and fingerprints")
		return
	}
	if req.Fixed {
		if req.Owner != "" || req.Due != "" {
			writeJSONError(w, http.StatusBadRequest, "fixed marks findings fixed: leave out owner and due")
			return
		}
		if err := s.opts.Store.MarkFixed(r.Context(), req.Target, req.Fingerprints, storage.FixMark{At: s.now(), Note: req.Note}); err != nil {
			s.fail(w, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"marked_fixed": len(req.Fingerprints)})
		return
	}
	if _, err := time.Parse(time.DateOnly, req.Due); err != nil || req.Owner == "" {
		writeJSONError(w, http.StatusBadRequest, "want owner and due (YYYY-MM-DD), or fixed")
		return
	}
	a := storage.Assignment{Owner: req.Owner, Due: req.Due, Note: req.Note, AssignedAt: s.now()}
	if err := s.opts.Store.Assign(r.Context(), req.Target, req.Fingerprints, a); err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"assigned": len(req.Fingerprints)})
}

// withSession adds what a page's forms need: the CSRF token of the
// session (logout), when there is one.
func (s *Server) withSession(r *http.Request, data map[string]any) map[string]any {
	if c, err := r.Cookie(sessionCookie); err == nil {
		data["CSRF"] = s.csrfToken(c.Value)
	}
	data["Auth"] = s.opts.Token != ""
	return data
}

func (s *Server) render(w http.ResponseWriter, status int, name string, data any) {
	var buf strings.Builder // whole before the status goes out
	if err := s.pages.ExecuteTemplate(&buf, name, data); err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, buf.String())
}

// fail answers an error: 404 for a run that does not exist, else 500
// with the error logged, not shown.
func (s *Server) fail(w http.ResponseWriter, err error) {
	if errors.Is(err, storage.ErrRunNotFound) {
		http.Error(w, "no such run", http.StatusNotFound)
		return
	}
	s.opts.Log.Error("dashboard request failed", "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
