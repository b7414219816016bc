// Package pgtest starts a throwaway PostgreSQL cluster for tests: the
// server from the Debian package (`postgresql`, which
// scripts/ensure-deps.sh installs), initialised with initdb in a temporary
// folder, listening on a Unix socket in that folder only (no TCP port to
// collide with another test or host), stopped and removed when the test
// ends. PostgreSQL refuses to run as root; as root the cluster runs as the
// unprivileged user the package creates (postgres), or nobody.
package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// ErrNotInstalled means no PostgreSQL server binaries were found.
var ErrNotInstalled = errors.New("PostgreSQL server not installed (scripts/ensure-deps.sh installs the postgresql package)")

// Cluster is a running throwaway server.
type Cluster struct {
	base string // the cluster's folder: the socket, and data/
	dir  string // the data folder
	bin  string // folder of initdb, pg_ctl, postgres
	cred *syscall.Credential
	dbs  atomic.Int64
	stop sync.Once
	err  error // Stop's
}

// Start starts a cluster for tb and stops it when tb ends. Without the
// server binaries it skips tb, unless CI=true (the CI machine installs
// them, so their absence there is a failure).
func Start(tb testing.TB) *Cluster { return startTB(tb, false) }

// StartDurable is Start with the server's durability left on (fsync,
// synchronous commit, full-page writes), as a production server runs:
// for benchmarks that compare the store's speed with SQLite's, which
// syncs its WAL as storecheck configures it.
func StartDurable(tb testing.TB) *Cluster { return startTB(tb, true) }

func startTB(tb testing.TB, durable bool) *Cluster {
	tb.Helper()
	c, err := start(context.Background(), durable)
	if errors.Is(err, ErrNotInstalled) {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("CI=true but %v", err)
		}
		tb.Skip(err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := c.Stop(); err != nil {
			tb.Error(err)
		}
	})
	return c
}

// binDir finds the folder of initdb and pg_ctl: PATH first, then the
// newest /usr/lib/postgresql/N/bin (Debian keeps them off PATH).
func binDir() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), "initdb")); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "pg_ctl")); err == nil {
			return d, nil
		}
	}
	return "", ErrNotInstalled
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// New starts a cluster for a whole test binary (TestMain); the caller
// stops it. Without the server binaries it returns ErrNotInstalled.
func New(ctx context.Context) (*Cluster, error) { return start(ctx, false) }

func start(ctx context.Context, durable bool) (c *Cluster, err error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	// A folder of its own directly under the system's temporary folder,
	// not the test's: the socket's path must stay under the 107 bytes of
	// sun_path, and the server's user must be able to reach it.
	base, err := os.MkdirTemp("", "pgtest")
	if err != nil {
		return nil, fmt.Errorf("cluster folder: %w", err)
	}
	c = &Cluster{base: base, dir: filepath.Join(base, "data"), bin: bin}
	defer func() {
		if err != nil {
			os.RemoveAll(base)
		}
	}()
	if os.Geteuid() == 0 {
		if c.cred, err = unprivileged(); err != nil {
			return nil, err
		}
		if err := os.Chown(base, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			return nil, fmt.Errorf("hand %s to the server's user: %w", base, err)
		}
	}
	// trust: only this machine's users can reach the socket, in a folder
	// of the test's own; --no-sync: a test's cluster never outlives a crash.
	if err := c.run(ctx, "initdb", "-D", c.dir, "-U", "storecheck", "-A", "trust", "-E", "UTF8",
		"--locale=C", "--no-sync", "--no-instructions"); err != nil {
		return nil, err
	}
	opts := fmt.Sprintf("-c listen_addresses='' -k %s -c max_connections=60", c.base)
	if !durable {
		// A test's cluster never outlives a crash: no syncing.
		opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	}
	if err := c.run(ctx, "pg_ctl", "-D", c.dir, "-l", filepath.Join(c.dir, "server.log"), "-o", opts, "-w", "-t", "120", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "server.log"))
		return nil, fmt.Errorf("%w\n%s", err, log)
	}
	return c, nil
}

// unprivileged is the user the server runs as when the test runs as root.
func unprivileged() (*syscall.Credential, error) {
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.Atoi(u.Uid)
		gid, err2 := strconv.Atoi(u.Gid)
		if err1 == nil && err2 == nil {
			return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
		}
	}
	return nil, errors.New("running as root and no unprivileged user (postgres, nobody) to run PostgreSQL as")
}

// run runs one of the server's programs as the server's user.
func (c *Cluster) run(ctx context.Context, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, name), args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Dir = c.base
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", name, err, bytes.TrimSpace(out.Bytes()))
	}
	return nil
}

// URL is the connection URL of database name on the cluster, as
// `--db` takes it.
func (c *Cluster) URL(name string) string {
	return fmt.Sprintf("postgres://storecheck@/%s?host=%s&sslmode=disable", name, c.base)
}

// NewDatabase creates an empty database and returns its URL: each test
// of a package may take its own on one cluster.
func (c *Cluster) NewDatabase(tb testing.TB) string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	u, err := c.CreateDatabase(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// CreateDatabase creates an empty database and returns its URL.
func (c *Cluster) CreateDatabase(ctx context.Context) (string, error) {
	name := fmt.Sprintf("t%d", c.dbs.Add(1))
	if err := c.run(ctx, "createdb", "-h", c.base, "-U", "storecheck", name); err != nil {
		return "", err
	}
	return c.URL(name), nil
}

// Stop stops the server at once and removes its folder: the data is
// thrown away. Later calls return the first one's result.
func (c *Cluster) Stop() error {
	c.stop.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		c.err = c.run(ctx, "pg_ctl", "-D", c.dir, "-m", "immediate", "-w", "stop")
		if err := os.RemoveAll(c.base); c.err == nil {
			c.err = err
		}
	})
	return c.err
}
