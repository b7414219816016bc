package crawler

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"sync"
	"time"
)

const (
	// maxLinkBody is what a GET link check reads before hanging up.
	maxLinkBody = 64 << 10
	// maxRetryAfter caps how long a 429 is waited out before its one retry.
	maxRetryAfter = 10 * time.Second
	// defaultRetryAfter is the wait when a 429 names none.
	defaultRetryAfter = 2 * time.Second
)

// CheckLinks asks what each URL answers, with at most concurrency requests
// in flight (< 1 means 1) and every request rate limited per host. It sends
// HEAD and falls back to GET (body discarded after 64 KiB) when HEAD fails
// or answers >= 400: 405 and 501 say HEAD is unsupported, and enough
// servers answer HEAD wrongly that only a GET may call a link broken.
// Redirects are followed; the final status counts. A 429 is waited out
// (Retry-After, at most 10 s) and retried once. URLs are checked in sorted
// order; URLs not checked because ctx ended, or because the host's rate
// limit would wait past ctx's deadline, are missing from the map.
func (f *Fetcher) CheckLinks(ctx context.Context, urls []string, concurrency int) map[string]LinkStatus {
	if concurrency < 1 {
		concurrency = 1
	}
	todo := append([]string(nil), urls...)
	sort.Strings(todo)
	out := make(map[string]LinkStatus, len(todo))
	var mu sync.Mutex
	work := make(chan string)
	var wg sync.WaitGroup
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range work {
				st, ok := f.checkLink(ctx, u)
				if !ok {
					continue
				}
				mu.Lock()
				out[u] = st
				mu.Unlock()
			}
		}()
	}
feed:
	for i, u := range todo {
		if i > 0 && u == todo[i-1] {
			continue
		}
		select {
		case work <- u:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	return out
}

// checkLink checks one URL; ok is false when ctx ended first.
func (f *Fetcher) checkLink(ctx context.Context, u string) (LinkStatus, bool) {
	status, _, err := f.probe(ctx, http.MethodHead, u)
	if ctx.Err() != nil || errors.Is(err, errNotSent) {
		return LinkStatus{}, false
	}
	if err == nil && status < 400 {
		return LinkStatus{Status: status}, true
	}
	status, hdr, err := f.probe(ctx, http.MethodGet, u)
	if err == nil && status == http.StatusTooManyRequests {
		t := time.NewTimer(retryAfter(hdr))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return LinkStatus{}, false
		}
		status, _, err = f.probe(ctx, http.MethodGet, u)
	}
	if ctx.Err() != nil || errors.Is(err, errNotSent) {
		return LinkStatus{}, false
	}
	if err != nil {
		return LinkStatus{Error: errorText(err)}, true
	}
	return LinkStatus{Status: status}, true
}

// probe sends one request and returns the final status.
func (f *Fetcher) probe(ctx context.Context, method, u string) (int, http.Header, error) {
	resp, err := f.do(ctx, method, u)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	if method == http.MethodGet {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxLinkBody))
	}
	return resp.StatusCode, resp.Header, nil
}

// retryAfter reads Retry-After in seconds, defaulting and capping it.
func retryAfter(h http.Header) time.Duration {
	d := defaultRetryAfter
	if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil && s >= 0 {
		d = time.Duration(s) * time.Second
	}
	return min(d, maxRetryAfter)
}

// errorText is a request error without the method and URL url.Error adds:
// "timeout" for timeouts, else the underlying error's text.
func errorText(err error) string {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return "timeout"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}
