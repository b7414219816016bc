package fingerprint

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ExcerptLen is how many characters (runes, not bytes) a text excerpt keeps.
const ExcerptLen = 80

// Excerpt collapses every run of whitespace (Unicode spaces, including the
// ideographic space U+3000) to one space, trims the ends and cuts the result
// at ExcerptLen characters. Invalid UTF-8 becomes U+FFFD, so the result is
// always valid UTF-8 and Excerpt(Excerpt(s)) == Excerpt(s).
func Excerpt(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	n := 0
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = n > 0
			continue
		}
		if space {
			if n+1 >= ExcerptLen {
				break // a trailing space would be trimmed anyway
			}
			b.WriteByte(' ')
			n++
			space = false
		}
		if n >= ExcerptLen {
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// Fingerprint identifies a defect across runs: the first 16 hex digits of
// SHA-256 over "rule|viewport|URL|subject", where URL and subject are
// normalised by Normalize, so a port, a cache-buster, a rebuilt
// asset hash or a fresh UUID do not make an old defect look new.
func Of(rule, viewport, url, subject string) string {
	sum := sha256.Sum256([]byte(rule + "|" + viewport + "|" +
		Normalize(url) + "|" + Normalize(subject)))
	return hex.EncodeToString(sum[:8])
}

// Normalize is the contract's fingerprint normalisation of a
// URL, or of text that contains URLs:
//
//   - in every absolute URL (scheme://…) the scheme and host are lower-cased
//     and the port, the fragment and the cache-busting query parameters
//     (v, t, ts, _, cb, timestamp, any case; and a bare "?3f9a2c1b" or
//     "?1700000000" token) are dropped; the remaining parameters keep their
//     order and encoding;
//   - hashed asset names lose their hash: in a file name with an extension
//     (the last path segment of a URL, or a word like "app.3f9a2c1b.js" in
//     text), every "-", "_", "." or "~" separated part of 8 or more hex
//     digits with at least one digit and one letter a-f becomes HASH
//     ("app-3f9a2c1b.js" → "app-HASH.js", "123.3f9a2c1b.chunk.js" →
//     "123.HASH.chunk.js"); page names (.html, .php, …) are left alone, and
//     so are all-digit parts, so product IDs stay distinct;
//   - UUIDs (8-4-4-4-12 hex) anywhere become UUID.
//
// It never fails: text without URLs only gets the asset-name and UUID rules.
func Normalize(s string) string {
	if s == "" {
		return s
	}
	if !strings.ContainsFunc(s, unicode.IsSpace) && schemeRE.MatchString(s) {
		return normURL(s)
	}
	var b strings.Builder
	last := 0
	for _, m := range urlInTextRE.FindAllStringIndex(s, -1) {
		b.WriteString(normText(s[last:m[0]]))
		b.WriteString(normURLInText(s[m[0]:m[1]]))
		last = m[1]
	}
	b.WriteString(normText(s[last:]))
	return b.String()
}

// normURLInText normalises a URL found in text, leaving sentence punctuation
// after it ("see https://a/b.js.") outside. Dropping a fragment or a port can
// expose more such punctuation, so it trims and normalises until nothing
// changes: the result must normalise to itself.
func normURLInText(u string) string {
	suffix := ""
	for range 8 {
		end := len(u)
		for end > 0 && strings.IndexByte(".,;:!?'\")]}>", u[end-1]) >= 0 {
			end--
		}
		suffix = u[end:] + suffix
		u = u[:end]
		n := normURL(u)
		if n == u {
			break
		}
		u = n
	}
	return u + suffix
}

var (
	schemeRE    = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://`)
	urlInTextRE = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^\s<>"'` + "`" + `]+`)
	uuidRE      = regexp.MustCompile(`(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)
	// assetWordRE finds file names with an asset extension in free text.
	assetWordRE = regexp.MustCompile(`(?i)[A-Za-z0-9_.~-]+\.(?:m?js|css|map|json|wasm|woff2?|ttf|otf|eot|png|jpe?g|gif|webp|avif|svg|ico|mp4|webm|mp3)\b`)
)

// cacheBusters are the query parameters dropped for the fingerprint.
var cacheBusters = map[string]bool{"v": true, "t": true, "ts": true, "_": true, "cb": true, "timestamp": true}

// pageExts are file extensions of pages, whose names are identities, not
// build artefacts: their hex parts are kept.
var pageExts = map[string]bool{"html": true, "htm": true, "shtml": true, "xhtml": true,
	"php": true, "asp": true, "aspx": true, "jsp": true, "do": true, "action": true}

// normText applies the UUID and asset-name rules to text outside URLs.
func normText(s string) string {
	s = uuidRE.ReplaceAllString(s, "UUID")
	return assetWordRE.ReplaceAllStringFunc(s, normAssetName)
}

// normURL normalises one absolute URL by string surgery rather than
// url.Parse/String, so the rest of the URL keeps its exact encoding and the
// function is total (no parse errors) and idempotent.
func normURL(u string) string {
	loc := schemeRE.FindStringIndex(u)
	if loc == nil {
		return normText(u)
	}
	scheme := strings.ToLower(u[:loc[1]])
	rest := u[loc[1]:]
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest = rest[:i]
	}
	// UUIDs first: their 8-hex head would otherwise pass for an asset hash.
	rest = uuidRE.ReplaceAllString(rest, "UUID")
	query := ""
	hasQuery := false
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest, query, hasQuery = rest[:i], rest[i+1:], true
	}
	authority, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		authority, path = rest[:i], rest[i:]
	}
	authority = strings.ToLower(dropPort(authority))
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		path = path[:i+1] + normAssetName(path[i+1:])
	}
	out := scheme + authority + path
	if hasQuery {
		if q := dropCacheBusters(query); q != "" {
			out += "?" + q
		}
	}
	return out
}

// dropPort removes ":port" (digits, possibly none) from an authority,
// leaving IPv6 literals ("[::1]") intact. A malformed "host:1:2" loses every
// such suffix, so normalising twice changes nothing.
func dropPort(a string) string {
	for {
		i := strings.LastIndexByte(a, ':')
		if i < 0 || strings.IndexByte(a[i:], ']') >= 0 {
			return a
		}
		for _, c := range a[i+1:] {
			if c < '0' || c > '9' {
				return a
			}
		}
		a = a[:i]
	}
}

func dropCacheBusters(q string) string {
	var kept []string
	for _, p := range strings.Split(q, "&") {
		if p == "" {
			continue
		}
		key, _, hasValue := strings.Cut(p, "=")
		if cacheBusters[strings.ToLower(key)] {
			continue
		}
		if !hasValue && len(p) >= 8 && isHex(p) {
			continue // "app.js?3f9a2c1b", "style.css?1700000000"
		}
		kept = append(kept, p)
	}
	return strings.Join(kept, "&")
}

// normAssetName replaces the hash parts of a file name ("app-3f9a2c1b.js")
// with HASH. Names without an extension, or with a page extension, are
// returned unchanged.
func normAssetName(name string) string {
	dot := strings.LastIndexByte(name, '.')
	if dot <= 0 || dot == len(name)-1 || pageExts[strings.ToLower(name[dot+1:])] {
		return name
	}
	stem := []byte(name[:dot])
	changed := false
	start := 0
	for i := 0; i <= len(stem); i++ {
		if i < len(stem) && !strings.ContainsRune("-_.~", rune(stem[i])) {
			continue
		}
		if isAssetHash(string(stem[start:i])) {
			stem = append(stem[:start], append([]byte("HASH"), stem[i:]...)...)
			i = start + len("HASH")
			changed = true
		}
		start = i + 1
	}
	if !changed {
		return name
	}
	return string(stem) + name[dot:]
}

// isAssetHash reports whether part looks like a content hash: 8 or more hex
// digits mixing digits and letters (so "20240101" and "deadbeef" do not).
func isAssetHash(part string) bool {
	if len(part) < 8 || !isHex(part) {
		return false
	}
	return strings.ContainsAny(part, "0123456789") && strings.ContainsAny(part, "abcdefABCDEF")
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return s != ""
}

// Subject is the stored form of a subject: an absolute URL is kept whole
// (cutting it would merge different resources and keep half a cache-buster in
// the fingerprint); any other text is excerpted.
func Subject(s string) string {
	if t := strings.TrimSpace(s); schemeRE.MatchString(t) && !strings.ContainsFunc(t, unicode.IsSpace) {
		return t
	}
	return Excerpt(s)
}
