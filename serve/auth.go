package serve

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// role is what a request may do: read, or read and write.
type role int

const (
	nobody role = iota
	viewer      // --viewer-token-file: read only
	admin       // --token-file: everything
)

const (
	sessionCookie = "storecheck_session"
	csrfCookie    = "storecheck_csrf"
	sessionFor    = 12 * time.Hour
)

// sameSecret compares a presented token with a configured one in time
// that depends on neither (both are hashed first, so lengths leak nothing
// either). An empty configured token matches nothing.
func sameSecret(presented, configured string) bool {
	if configured == "" {
		return false
	}
	a, b := sha256.Sum256([]byte(presented)), sha256.Sum256([]byte(configured))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// roleOf is the role a token gives.
func (s *Server) roleOf(token string) role {
	switch {
	case sameSecret(token, s.opts.Token):
		return admin
	case sameSecret(token, s.opts.ViewerToken):
		return viewer
	}
	return nobody
}

// authenticate is the request's role: from a bearer header, else from the
// session cookie a login set. Without a configured token every request is
// admin (the server then listens on loopback only).
func (s *Server) authenticate(r *http.Request) role {
	if s.opts.Token == "" {
		return admin
	}
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nobody
		}
		return s.roleOf(tok)
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		return s.session(c.Value)
	}
	return nobody
}

// A session cookie is ROLE.EXPIRY.MAC: MAC is an HMAC of ROLE.EXPIRY under
// the server's key, which is drawn at start, so restarting the server ends
// every session and the cookie never holds the token itself.
func (s *Server) newSession(ro role) string {
	v := strconv.Itoa(int(ro)) + "." + strconv.FormatInt(s.now().Add(sessionFor).Unix(), 10)
	return v + "." + s.mac(v)
}

func (s *Server) session(cookie string) role {
	i := strings.LastIndexByte(cookie, '.')
	if i < 0 || !hmac.Equal([]byte(cookie[i+1:]), []byte(s.mac(cookie[:i]))) {
		return nobody
	}
	ros, exps, _ := strings.Cut(cookie[:i], ".")
	ro, err1 := strconv.Atoi(ros)
	exp, err2 := strconv.ParseInt(exps, 10, 64)
	if err1 != nil || err2 != nil || s.now().Unix() > exp || (role(ro) != viewer && role(ro) != admin) {
		return nobody
	}
	return role(ro)
}

func (s *Server) mac(v string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(v))
	return hex.EncodeToString(m.Sum(nil))
}

// csrfToken is the token a form of the session (or, before a login, of
// the login's CSRF cookie) must carry back.
func (s *Server) csrfToken(seed string) string { return s.mac("csrf." + seed) }

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // never fails on Linux
	}
	return hex.EncodeToString(b)
}

// limiter refuses logins from an address that failed maxFails times within
// window: guessing the token by trying costs a window per few guesses.
type limiter struct {
	mu    sync.Mutex
	fails map[string][]time.Time
}

const (
	maxFails   = 5
	failWindow = time.Minute
)

// blocked reports whether addr must wait before trying again.
func (l *limiter) blocked(addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recent(addr, now)) >= maxFails
}

func (l *limiter) fail(addr string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails[addr] = append(l.recent(addr, now), now)
}

// recent drops addr's failures older than the window. The caller holds mu.
func (l *limiter) recent(addr string, now time.Time) []time.Time {
	fs := l.fails[addr]
	for len(fs) > 0 && now.Sub(fs[0]) > failWindow {
		fs = fs[1:]
	}
	if len(fs) == 0 {
		delete(l.fails, addr)
		return nil
	}
	l.fails[addr] = fs
	return fs
}

// clientAddr is the request's remote host, without the port.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
