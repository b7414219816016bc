package crawler

import (
	"bufio"
	"bytes"
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/temoto/robotstxt"
)

// RobotsAgent is the user-agent token storecheck looks for in robots.txt;
// without a group of its own, the "*" group applies.
const RobotsAgent = "storecheck"

const (
	// maxRobotsBytes is what is read of a robots.txt; Google reads 500 KiB
	// and ignores the rest too.
	maxRobotsBytes = 500 << 10
	// maxCrawlDelay caps the Crawl-delay honoured, so a "Crawl-delay: 3600"
	// aimed at search engines slows a sweep down rather than stalling it.
	maxCrawlDelay = 10 * time.Second
)

// Robots is one origin's robots.txt as it applies to storecheck. A nil
// *Robots allows everything.
type Robots struct {
	// Origin is "scheme://host" the file was fetched from.
	Origin string
	// Status is what /robots.txt answered, 0 when the request failed.
	Status int
	// Sitemaps are the Sitemap: lines, resolved against the robots.txt URL.
	Sitemaps []string
	// CrawlDelay is the delay the file asks of storecheck (its own group,
	// else "*"), before the maxCrawlDelay cap.
	CrawlDelay time.Duration
	group      *robotstxt.Group // nil = allow all
}

// Robots fetches the robots.txt of base's origin (base is any URL on it,
// usually "scheme://host"). It never fails: a robots.txt that is missing,
// answers 4xx or 5xx, cannot be fetched or does not parse allows everything.
// (Search engines treat 5xx as "disallow all for now"; for a sweep of one's
// own shop that would only turn a server hiccup into an empty run.) A
// Crawl-delay, capped at 10 s, lowers the Fetcher's rate for the host when
// it is slower than MaxRPS.
func (f *Fetcher) Robots(ctx context.Context, base string) *Robots {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil
	}
	host := canonicalHost(u)
	rb := &Robots{Origin: u.Scheme + "://" + host}
	robotsURL := rb.Origin + "/robots.txt"
	resp, err := f.do(ctx, "GET", robotsURL)
	if err != nil {
		f.log.Warn("robots.txt unreachable: everything allowed", "url", robotsURL, "err", err)
		return rb
	}
	defer resp.Body.Close()
	rb.Status = resp.StatusCode
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		f.log.Debug("no robots.txt: everything allowed", "url", robotsURL, "status", resp.StatusCode)
		return rb
	}
	body, err := readCapped(resp.Body, maxRobotsBytes)
	if err != nil && err != errTooLarge {
		f.log.Warn("robots.txt unreadable: everything allowed", "url", robotsURL, "err", err)
		return rb
	}
	data, err := robotstxt.FromBytes(sanitizeRobots(body))
	if err != nil {
		f.log.Warn("robots.txt does not parse: everything allowed", "url", robotsURL, "err", err)
		return rb
	}
	ru := resp.Request.URL // after redirects
	for _, s := range data.Sitemaps {
		if n, ok := Resolve(ru.String(), s); ok {
			rb.Sitemaps = append(rb.Sitemaps, n)
		}
	}
	rb.group = data.FindGroup(RobotsAgent)
	rb.CrawlDelay = rb.group.CrawlDelay
	if d := min(rb.CrawlDelay, maxCrawlDelay); d > 0 {
		f.slowDown(host, float64(time.Second)/float64(d))
	}
	return rb
}

// Allowed reports whether robots.txt lets storecheck fetch rawURL, a URL on
// rb's origin. Rules match the escaped path plus query, as robots.txt
// patterns are written.
func (rb *Robots) Allowed(rawURL string) bool {
	if rb == nil || rb.group == nil {
		return true
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return true
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return rb.group.Test(p)
}

// sanitizeRobots drops the lines that make robotstxt reject a whole file:
// rules before the first User-agent line and Crawl-delay values that are not
// a non-negative number. Real files carry both; the rest of such a file still
// says what its author meant.
func sanitizeRobots(body []byte) []byte {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	var out bytes.Buffer
	seenAgent := false
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 64<<10), maxRobotsBytes+1)
	for sc.Scan() {
		line := sc.Text()
		content, _, _ := strings.Cut(line, "#")
		key, val, _ := strings.Cut(content, ":")
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.TrimSpace(val)
		switch key {
		case "user-agent", "useragent":
			seenAgent = true
		case "allow", "disallow":
			if !seenAgent {
				continue
			}
		case "crawl-delay", "crawldelay":
			d, err := strconv.ParseFloat(val, 64)
			if !seenAgent || err != nil || !(d >= 0 && d <= 1e6) { // NaN and Inf parse
				continue
			}
		}
		out.WriteString(line)
		out.WriteByte('\n')
	}
	return out.Bytes()
}
