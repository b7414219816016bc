package testsite

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// Site is a test site served over plain HTTP and over HTTPS at once.
type Site struct {
	Root string // the site folder
	// URL is the plain-HTTP origin, "http://127.0.0.1:PORT", no trailing
	// slash. Sweep the demo from URL + "/".
	URL string
	// TLSURL is the HTTPS origin of the same files (a self-signed
	// certificate: sweep it with tls_insecure). {{HTTPBASE}} on it is URL, so
	// its pages can load plain-HTTP resources; the fixtures site is swept
	// from TLSURL + "/" so that security.mixed-content fires.
	TLSURL string
	Plain  *httptest.Server
	TLS    *httptest.Server
}

// Start serves root over HTTP and HTTPS until the test ends. It fails the
// test when root has no index.html.
func Start(t testing.TB, root string, opts Options) *Site {
	t.Helper()
	if _, err := os.Stat(filepath.Join(root, "index.html")); err != nil {
		t.Fatalf("testsite: %s is not a site: %v", root, err)
	}
	plain := httptest.NewServer(Handler(root, opts))
	t.Cleanup(plain.Close)
	tlsOpts := opts
	if tlsOpts.HTTPBase == "" {
		tlsOpts.HTTPBase = plain.URL
	}
	secure := httptest.NewTLSServer(Handler(root, tlsOpts))
	t.Cleanup(secure.Close)
	return &Site{Root: root, URL: plain.URL, TLSURL: secure.URL, Plain: plain, TLS: secure}
}

// Dir returns the folder of the bundled site name ("demo", "fixtures"):
// testdata/sites/NAME in the module that holds the working directory. It
// fails the test when there is none.
func Dir(t testing.TB, name string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("testsite: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			site := filepath.Join(dir, "testdata", "sites", name)
			if _, err := os.Stat(filepath.Join(site, "index.html")); err != nil {
				t.Fatalf("testsite: no site %q: %v", name, err)
			}
			return site
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("testsite: no go.mod above the working directory")
		}
		dir = parent
	}
}
