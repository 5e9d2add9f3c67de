package boltstore_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/store/boltstore"
	"github.com/engage-org/engage/store/storetest"
	bolt "go.etcd.io/bbolt"
)

func mustOpen(tb testing.TB, opt boltstore.Options) *boltstore.DB {
	tb.Helper()
	db, err := boltstore.Open(filepath.Join(tb.TempDir(), "bolt.db"), opt)
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
	storetest.Run(t, func(tb testing.TB) core.Store { return mustOpen(tb, boltstore.Options{}) })
}

// Ensure the suite also holds with group commit off.
func TestConformanceNoGroupCommit(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) core.Store { return mustOpen(tb, boltstore.Options{NoGroupCommit: true}) })
}

// Ensure a second open of a file in use times out instead of hanging.
func TestOpen_LockTimeout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bolt.db")
	db, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	if _, err := boltstore.Open(path, boltstore.Options{Timeout: 200 * time.Millisecond}); err == nil {
		t.Fatal("a second open succeeded")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("second open took %v", d)
	}
}

// Ensure committed data survives a close and reopen.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bolt.db")
	db, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(t.Context(), func(tx core.StoreTx) error { return tx.Put("project", "k", []byte("v")) }); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(t.Context(), func(core.StoreTx) error { return nil }); err == nil {
		t.Fatal("update after close succeeded")
	}
	db, err = boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v []byte
	_ = db.View(t.Context(), func(tx core.StoreTx) error { v, err = tx.Get("project", "k"); return nil })
	if string(v) != "v" || err != nil {
		t.Fatalf("got %q, %v", v, err)
	}
}

// Ensure keys that only append fill their pages (bbolt's default half fill is for
// keys that land anywhere), and that data put in any order reads back.
func TestAppendFillsPages(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bolt.db")
	db, err := boltstore.Open(path, boltstore.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	value := make([]byte, 100)
	for i := range 100 {
		err := db.Update(t.Context(), func(tx core.StoreTx) error {
			for j := range 20 {
				if err := tx.Put("outbox", fmt.Sprintf("%012d", i*20+j), value); err != nil {
					return err
				}
				if err := tx.Put("event", fmt.Sprintf("h%x", sha256.Sum256(fmt.Appendf(nil, "%d", i*20+j))), value); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	err = raw.View(func(tx *bolt.Tx) error {
		for _, name := range []string{"outbox", "event"} {
			st := tx.Bucket([]byte(name)).Stats()
			if st.KeyN != 2000 {
				t.Errorf("%s: %d keys, want 2000", name, st.KeyN)
			}
			inuse := float64(st.LeafInuse) / float64(st.LeafAlloc)
			if name == "outbox" && inuse < 0.85 {
				t.Errorf("%s: leaf pages %.0f%% full, want at least 85%%", name, 100*inuse)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Ensure an update waiting for the executor gives up with its context, its
// function never run, and that after Close an update is refused at once.
func TestExecutor_QueuedUpdateCancelled(t *testing.T) {
	db, err := boltstore.Open(filepath.Join(t.TempDir(), "bolt.db"), boltstore.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	busy, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- db.Update(t.Context(), func(kv core.StoreTx) error {
			close(busy)
			<-release
			return kv.Put("b", "k", []byte("first"))
		})
	}()
	<-busy
	ctx, cancel := context.WithCancel(t.Context())
	queued := make(chan error, 1)
	ran := false
	go func() {
		queued <- db.Update(ctx, func(kv core.StoreTx) error { ran = true; return kv.Put("b", "k", []byte("second")) })
	}()
	cancel()
	if err := <-queued; !errors.Is(err, context.Canceled) {
		t.Fatalf("queued update: %v, want context.Canceled", err)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if ran {
		t.Fatal("the cancelled update ran")
	}
	var got string
	if err := db.View(t.Context(), func(kv core.StoreTx) error {
		v, err := kv.Get("b", "k")
		got = string(v)
		return err
	}); err != nil || got != "first" {
		t.Fatalf("got %q, %v; want first", got, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(t.Context(), func(core.StoreTx) error { return nil }); !errors.Is(err, boltstore.ErrClosed) {
		t.Fatalf("update after close: %v, want ErrClosed", err)
	}
}
