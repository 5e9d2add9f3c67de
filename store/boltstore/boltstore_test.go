package boltstore_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/store/boltstore"
	"github.com/engage-org/engage/store/storetest"
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
