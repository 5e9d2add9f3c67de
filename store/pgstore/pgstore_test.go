package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/store/pgstore"
	"github.com/engage-org/engage/store/pgstore/pgtest"
	"github.com/engage-org/engage/store/storetest"
	"github.com/jackc/pgx/v5"
)

func open(tb testing.TB, dsn string, opt pgstore.Options) *pgstore.DB {
	tb.Helper()
	db, err := pgstore.Open(context.Background(), dsn, opt)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Error(err)
		}
	})
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) core.Store { return open(tb, pgtest.FreshDSN(tb), pgstore.Options{}) })
}

// Ensure the suite also holds with group commit off.
func TestConformanceNoGroupCommit(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) core.Store { return open(tb, pgtest.FreshDSN(tb), pgstore.Options{MaxBatch: 1}) })
}

// twoInstances is one store made of two pgstore DBs on one database, used in turn:
// the suite's concurrent tests then run across two instances, as behind a load
// balancer.
type twoInstances struct {
	a, b *pgstore.DB
	n    atomic.Int64
}

func (s *twoInstances) pick() *pgstore.DB {
	if s.n.Add(1)%2 == 0 {
		return s.a
	}
	return s.b
}

func (s *twoInstances) Update(ctx context.Context, fn func(core.StoreTx) error) error {
	return s.pick().Update(ctx, fn)
}

func (s *twoInstances) View(ctx context.Context, fn func(core.StoreTx) error) error {
	return s.pick().View(ctx, fn)
}

func (s *twoInstances) Close() error { return nil }

// Ensure the suite holds when its updates are shared between two instances.
func TestConformanceTwoInstances(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) core.Store {
		dsn := pgtest.FreshDSN(tb)
		return &twoInstances{a: open(tb, dsn, pgstore.Options{}), b: open(tb, dsn, pgstore.Options{})}
	})
}

// Ensure instances starting together apply each migration once, and a schema newer
// than the code is refused.
func TestMigrate(t *testing.T) {
	dsn := pgtest.FreshDSN(t)
	const n = 8
	dbs := make([]*pgstore.DB, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			db, err := pgstore.Open(context.Background(), dsn, pgstore.Options{MaxConns: 2})
			if err != nil {
				t.Error(err)
				return
			}
			dbs[i] = db
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	appliers := 0
	for _, db := range dbs {
		if len(db.Applied()) > 0 {
			appliers++
			if got := fmt.Sprint(db.Applied()); got != "[1 2]" {
				t.Errorf("applied %s, want [1 2]", got)
			}
		}
		if db.SchemaVersion() != pgstore.LatestVersion() {
			t.Errorf("version %d, want %d", db.SchemaVersion(), pgstore.LatestVersion())
		}
		defer db.Close()
	}
	if appliers != 1 {
		t.Fatalf("%d instances applied migrations, want 1", appliers)
	}
	// A database from a newer engage is refused rather than misread.
	if err := dbs[0].Update(t.Context(), func(core.StoreTx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), `INSERT INTO engage_schema (version, name) VALUES (99, 'future')`); err != nil {
		t.Fatal(err)
	}
	if db, err := pgstore.Open(t.Context(), dsn, pgstore.Options{}); err == nil {
		db.Close()
		t.Fatal("opened a database whose schema is newer than the code")
	} else if !strings.Contains(err.Error(), "newer") {
		t.Fatalf("got %v, want a newer-schema error", err)
	}
}

// Ensure a DSN that cannot connect fails Open with an error that does not show
// the password.
func TestOpenBadDSN(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	_, err := pgstore.Open(ctx, "postgres://engage:s3cret-pw@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", pgstore.Options{})
	if err == nil {
		t.Fatal("opened a database nobody serves")
	}
	if strings.Contains(err.Error(), "s3cret-pw") {
		t.Fatalf("the error shows the password: %v", err)
	}
	if _, err := pgstore.Open(ctx, "postgres://%zz", pgstore.Options{}); err == nil {
		t.Fatal("opened an unreadable DSN")
	}
}

func claimAll(t *testing.T, db *pgstore.DB, lease time.Duration, limit int) []string {
	t.Helper()
	kvs, err := db.Claim(t.Context(), "outbox", lease, limit, func(k string, v []byte) bool { return string(v) != "skip" })
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, kv := range kvs {
		if string(kv.Value) != "v"+kv.Key {
			t.Errorf("value of %s: %q", kv.Key, kv.Value)
		}
		keys = append(keys, kv.Key)
	}
	return keys
}

// Ensure claims: in key order, filtered, skipped by another claimer while leased,
// free again when the lease ends, on a put, or on release.
func TestClaim(t *testing.T) {
	dsn := pgtest.FreshDSN(t)
	a, b := open(t, dsn, pgstore.Options{}), open(t, dsn, pgstore.Options{})
	err := a.Update(t.Context(), func(tx core.StoreTx) error {
		for i := range 6 {
			k := fmt.Sprintf("%02d", i)
			v := "v" + k
			if i == 2 {
				v = "skip"
			}
			if err := tx.Put("outbox", k, []byte(v)); err != nil {
				return err
			}
		}
		return tx.Put("other", "00", []byte("v00"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(claimAll(t, a, time.Hour, 2)); got != "[00 01]" {
		t.Fatalf("a claimed %s, want [00 01]", got)
	}
	if got := fmt.Sprint(claimAll(t, b, time.Hour, 10)); got != "[03 04 05]" {
		t.Fatalf("b claimed %s, want [03 04 05]", got)
	}
	if got := claimAll(t, a, time.Hour, 10); len(got) != 0 {
		t.Fatalf("a claimed leased records %s", got)
	}
	// A put ends the lease (the record changed: a retry was recorded), a release too.
	if err := a.Update(t.Context(), func(tx core.StoreTx) error { return tx.Put("outbox", "01", []byte("v01")) }); err != nil {
		t.Fatal(err)
	}
	if err := b.Release(t.Context(), "outbox", []string{"04"}); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(claimAll(t, b, time.Millisecond, 10)); got != "[01 04]" {
		t.Fatalf("after put and release: claimed %s, want [01 04]", got)
	}
	// A lease that ends frees the record (an instance that died).
	time.Sleep(20 * time.Millisecond)
	if got := fmt.Sprint(claimAll(t, a, time.Hour, 10)); got != "[01 04]" {
		t.Fatalf("after the lease: claimed %s, want [01 04]", got)
	}
}

// Ensure concurrent claimers on two instances never take the same record.
func TestClaimConcurrent(t *testing.T) {
	dsn := pgtest.FreshDSN(t)
	dbs := []*pgstore.DB{open(t, dsn, pgstore.Options{}), open(t, dsn, pgstore.Options{})}
	const n = 500
	err := dbs[0].Update(t.Context(), func(tx core.StoreTx) error {
		for i := range n {
			k := fmt.Sprintf("%04d", i)
			if err := tx.Put("outbox", k, []byte("v"+k)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for w := range 8 {
		db := dbs[w%2]
		wg.Go(func() {
			for {
				kvs, err := db.Claim(context.Background(), "outbox", time.Hour, 7, func(string, []byte) bool { return true })
				if err != nil {
					t.Error(err)
					return
				}
				if len(kvs) == 0 {
					return
				}
				mu.Lock()
				for _, kv := range kvs {
					seen[kv.Key]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != n {
		t.Errorf("claimed %d records, want %d", len(seen), n)
	}
	for k, c := range seen {
		if c != 1 {
			t.Errorf("%s claimed %d times", k, c)
		}
	}
}

// Ensure a key too long for the index is refused by Put, failing only its update.
func TestKeyLimits(t *testing.T) {
	db := open(t, pgtest.FreshDSN(t), pgstore.Options{})
	long := strings.Repeat("k", 4000)
	err := db.Update(t.Context(), func(tx core.StoreTx) error { return tx.Put("project", long, []byte("x")) })
	if core.ErrorCode(err) != core.CodeInternal {
		t.Fatalf("got %v, want an internal error", err)
	}
	ok := strings.Repeat("\xff", 2048)
	if err := db.Update(t.Context(), func(tx core.StoreTx) error { return tx.Put("project", ok, []byte("x")) }); err != nil {
		t.Fatal(err)
	}
}

// Ensure an update whose statement the server refuses fails alone: the others of its
// batch commit.
func TestBadUpdateIsolated(t *testing.T) {
	db := open(t, pgtest.FreshDSN(t), pgstore.Options{})
	// Hold the writer in a first update so that the others queue into one batch.
	started, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		once := sync.OnceFunc(func() { close(started) })
		if err := db.Update(context.Background(), func(core.StoreTx) error { once(); <-release; return nil }); err != nil {
			t.Error(err)
		}
	})
	<-started
	errs := make([]error, 32)
	calls := make([]atomic.Int32, len(errs))
	for i := range errs {
		wg.Go(func() {
			errs[i] = db.Update(context.Background(), func(tx core.StoreTx) error {
				calls[i].Add(1)
				if i == 5 {
					// NUL is not allowed in a text column: the server refuses the flush.
					return tx.Put("bad\x00bucket", "k", []byte("x"))
				}
				return tx.Put("project", fmt.Sprintf("k%02d", i), []byte("x"))
			})
		})
	}
	time.Sleep(100 * time.Millisecond)
	close(release)
	wg.Wait()
	for i, err := range errs {
		if (err != nil) != (i == 5) {
			t.Errorf("update %d: %v", i, err)
		}
	}
	n := 0
	_ = db.View(t.Context(), func(tx core.StoreTx) error {
		return tx.Scan("project", "k", false, func(string, []byte) error { n++; return nil })
	})
	if n != len(errs)-1 {
		t.Fatalf("%d records, want %d", n, len(errs)-1)
	}
	// They ran in one batch, which failed, then each alone.
	for i := range calls {
		if c := calls[i].Load(); c != 2 {
			t.Errorf("update %d ran %d times, want 2", i, c)
		}
	}
}

// Ensure a closed store refuses work.
func TestClosed(t *testing.T) {
	db, err := pgstore.Open(t.Context(), pgtest.FreshDSN(t), pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(t.Context(), func(core.StoreTx) error { return nil }); !errors.Is(err, pgstore.ErrClosed) {
		t.Fatalf("update: got %v", err)
	}
	if err := db.View(t.Context(), func(core.StoreTx) error { return nil }); !errors.Is(err, pgstore.ErrClosed) {
		t.Fatalf("view: got %v", err)
	}
	if _, err := db.Claim(t.Context(), "outbox", time.Second, 1, nil); !errors.Is(err, pgstore.ErrClosed) {
		t.Fatalf("claim: got %v", err)
	}
}

// Ensure updates and views go on after the server drops the store's connections (a
// restart, a failover): a write transaction that never reached COMMIT is run again
// on a new connection.
func TestConnectionsDropped(t *testing.T) {
	dsn := pgtest.FreshDSN(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Skip("the test DSN is not a URL")
	}
	q := u.Query()
	q.Set("application_name", "engage-drop-test")
	u.RawQuery = q.Encode()
	db := open(t, u.String(), pgstore.Options{MaxConns: 4})
	put := func(k string) error {
		return db.Update(t.Context(), func(tx core.StoreTx) error { return tx.Put("project", k, []byte("v")) })
	}
	// Fill the pool with several connections.
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			err := db.View(context.Background(), func(tx core.StoreTx) error {
				time.Sleep(10 * time.Millisecond) // hold the connection so others are made
				_, err := tx.Get("project", "none")
				return err
			})
			if !errors.Is(err, core.ErrNoKey) {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if err := put("a"); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(t.Context(), `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'engage-drop-test'`).Scan(&n); err != nil || n == 0 {
		t.Fatalf("terminated %d connections: %v", n, err)
	}
	if v, ok := getKey(t, db, "a"); !ok || v != "v" {
		t.Fatalf("view after the connections dropped: %q, %v", v, ok)
	}
	if _, err := conn.Exec(t.Context(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'engage-drop-test'`); err != nil {
		t.Fatal(err)
	}
	if err := put("b"); err != nil {
		t.Fatalf("update after the connections dropped: %v", err)
	}
	if v, ok := getKey(t, db, "b"); !ok || v != "v" {
		t.Fatalf("got %q, %v", v, ok)
	}
}

func getKey(t *testing.T, db *pgstore.DB, k string) (string, bool) {
	t.Helper()
	var v []byte
	err := db.View(t.Context(), func(tx core.StoreTx) error {
		var err error
		v, err = tx.Get("project", k)
		return err
	})
	if errors.Is(err, core.ErrNoKey) {
		return "", false
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(v), true
}

// Ensure a claim locks only the records it takes: a claimer of one platform's
// messages does not hide another platform's from their own claimer meanwhile.
func TestClaimLocksOnlyWhatItTakes(t *testing.T) {
	dsn := pgtest.FreshDSN(t)
	a, b := open(t, dsn, pgstore.Options{}), open(t, dsn, pgstore.Options{})
	err := a.Update(t.Context(), func(tx core.StoreTx) error {
		for i := range 10 {
			v := "telegram"
			if i%2 == 1 {
				v = "slack"
			}
			if err := tx.Put("outbox", fmt.Sprintf("%02d", i), []byte(v)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	locked, done := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	var got []core.KV
	var wg sync.WaitGroup
	wg.Go(func() {
		var err error
		got, err = a.Claim(context.Background(), "outbox", time.Hour, 10, func(k string, v []byte) bool {
			if k == "00" && calls.Add(1) == 2 { // the second look, with the records locked
				close(locked)
				<-done
			}
			return string(v) == "telegram"
		})
		if err != nil {
			t.Error(err)
		}
	})
	select {
	case <-locked:
	case <-time.After(10 * time.Second):
		close(done)
		t.Fatal("the claim never looked again at a record it locked")
	}
	other, err := b.Claim(t.Context(), "outbox", time.Hour, 10, func(_ string, v []byte) bool { return string(v) == "slack" })
	close(done)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if len(other) != 5 || len(got) != 5 {
		t.Fatalf("slack claimer got %d, telegram claimer %d; want 5 and 5", len(other), len(got))
	}
}
