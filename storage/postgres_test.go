package storage

import "testing"

func TestRebind(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = $1 AND c = $2"},
		{"VALUES (?1, coalesce(?2, (SELECT id FROM p WHERE r = ?1)), ?10)", "VALUES ($1, coalesce($2, (SELECT id FROM p WHERE r = $1)), $10)"},
		{"SELECT '?' , \"a?b\", ? -- why?\n, ?", "SELECT '?' , \"a?b\", $1 -- why?\n, $2"},
		{"SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1"},
		{"SELECT ? - 1", "SELECT $1 - 1"},
		{"SELECT 'open ?", "SELECT 'open ?"},
	} {
		if got := rebind(tc.in); got != tc.want {
			t.Errorf("rebind(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRedactDSN(t *testing.T) {
	got := redactDSN("postgres://qc:s3cret@db.shop.internal:5432/storecheck?sslmode=require")
	if want := "postgres://qc:xxxxx@db.shop.internal:5432/storecheck?sslmode=require"; got != want {
		t.Errorf("redactDSN = %q, want %q", got, want)
	}
	if !IsPostgres("postgresql://x/y") || IsPostgres("storecheck.db") || IsPostgres("/tmp/postgres://x.db") {
		t.Error("IsPostgres tells URLs from files wrongly")
	}
}
