package crawler

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrNotHTTP means a URL is not an absolute http or https URL with a host.
var ErrNotHTTP = errors.New("not an absolute http(s) URL")

// Normalize returns a page's identity: raw as an absolute http or https URL
// with the fragment dropped, scheme and host lower-cased, the default port
// (:80 for http, :443 for https) dropped, dot segments resolved and an empty
// path made "/". The query is kept byte for byte, and so is the path's
// percent-encoding. It fails with ErrNotHTTP for relative URLs, other schemes
// and URLs without a host, and with url.Parse's error for unparsable ones.
// Normalize is idempotent.
func Normalize(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("normalize %q: %w", raw, err)
	}
	n, err := normalizeURL(u)
	if err != nil {
		return "", fmt.Errorf("normalize %q: %w", raw, err)
	}
	return n, nil
}

// Resolve resolves the link href found on the page at base and normalises
// the result. It reports false for links that lead to no page: mailto:, tel:,
// javascript:, data: and every other non-http(s) scheme, and hrefs or bases
// that do not parse. An empty href or a bare "#fragment" is the base page
// itself, as in a browser.
func Resolve(base, href string) (string, bool) {
	b, err := url.Parse(strings.TrimSpace(base))
	if err != nil || !b.IsAbs() {
		return "", false
	}
	// Browsers strip surrounding whitespace and drop tabs and newlines inside
	// an href; shop templates leave both behind.
	href = strings.TrimSpace(href)
	href = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, href)
	ref, err := url.Parse(href)
	if err != nil {
		return "", false
	}
	if ref.Scheme != "" && ref.Scheme != "http" && ref.Scheme != "https" {
		return "", false
	}
	n, err := normalizeURL(b.ResolveReference(ref))
	if err != nil {
		return "", false
	}
	return n, true
}

// normalizeURL does Normalize's work on a parsed URL; url.Parse has already
// lower-cased the scheme.
func normalizeURL(u *url.URL) (string, error) {
	if (u.Scheme != "http" && u.Scheme != "https") || u.Opaque != "" || u.Host == "" {
		return "", ErrNotHTTP
	}
	// Resolving against an empty base cleans "." and ".." segments and
	// copies everything else.
	u = new(url.URL).ResolveReference(u)
	host := canonicalHost(u)
	if host == "" {
		return "", ErrNotHTTP
	}
	u.Host = host
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	return u.String(), nil
}

// Host returns rawURL's host as the crawler compares hosts: lower-case, with
// the port kept unless it is empty ("shop.com:") or the scheme's default (:80
// for http, :443 for https). For an http(s) URL it is the host Normalize
// keeps. It returns "" when rawURL does not parse or has no host (relative
// URLs, mailto:, data:).
func Host(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return canonicalHost(u)
}

// canonicalHost is Host for a parsed URL.
func canonicalHost(u *url.URL) string {
	host := strings.ToLower(u.Host)
	host = strings.TrimSuffix(host, ":") // "shop.com:" has an empty port
	switch port := portOf(host); {
	case u.Scheme == "http" && port == "80", u.Scheme == "https" && port == "443":
		host = strings.TrimSuffix(host, ":"+port)
	}
	return host
}

// portOf returns the port of a URL host ("shop.com:8080", "[::1]:80"), "" when
// there is none.
func portOf(host string) string {
	i := strings.LastIndexByte(host, ':')
	if i < 0 || strings.IndexByte(host[i:], ']') >= 0 {
		return ""
	}
	return host[i+1:]
}

// urlHost returns the host of a normalised URL as the sweep compares hosts
// (lower-case, non-default port kept), "" when rawURL is not an http(s) URL.
func urlHost(rawURL string) string {
	n, err := Normalize(rawURL)
	if err != nil {
		return ""
	}
	return Host(n)
}

// hostSet is a set of hosts in the form urlHost returns.
type hostSet map[string]bool

func newHostSet(hosts ...string) hostSet {
	s := hostSet{}
	for _, h := range hosts {
		s.add(h)
	}
	return s
}

func (s hostSet) add(h string) {
	if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
		s[h] = true
	}
}

// hasURL reports whether the normalised URL u is on one of the hosts.
func (s hostSet) hasURL(u string) bool {
	h := urlHost(u)
	return h != "" && s[h]
}
