package crawler

import "net/url"

// Host is the host (with port) of rawURL; "" when it does not parse.
func Host(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return u.Host
}
