// Package pgtest gives tests a PostgreSQL database of their own: an empty schema of
// the server named by ENGAGE_TEST_POSTGRES_DSN, dropped when the test ends. Tests
// that use it skip when the variable is unset, so `go test ./...` needs no server.
package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Env is the variable that names the test server.
const Env = "ENGAGE_TEST_POSTGRES_DSN"

var seq atomic.Int64

// FreshDSN returns a connection string to a new, empty schema of the test database,
// dropped at the end of the test; it skips the test when Env is unset.
func FreshDSN(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(Env)
	if base == "" {
		tb.Skip(Env + " is not set")
	}
	schema := fmt.Sprintf("t_%d_%d", os.Getpid(), seq.Add(1))
	exec := func(sql string) error {
		conn, err := pgx.Connect(context.Background(), base)
		if err != nil {
			return err
		}
		defer conn.Close(context.Background())
		_, err = conn.Exec(context.Background(), sql)
		return err
	}
	if err := exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			tb.Error(err)
		}
	})
	dsn, err := WithSearchPath(base, schema)
	if err != nil {
		tb.Fatal(err)
	}
	return dsn
}

// WithSearchPath returns dsn (a URL or key=value string) with its search_path set
// to schema.
func WithSearchPath(dsn, schema string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", err
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	return dsn + " search_path=" + schema, nil
}
