package boltstore_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/store/boltstore"
	bolt "go.etcd.io/bbolt"
)

// A large file for BenchmarkOpen, made once per run: history (ballots, events)
// that an open must not read.
var large struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// largeRecords × 500 bytes ≈ 100 MB of records.
const largeRecords = 200_000

func largeFile(b *testing.B) string {
	large.once.Do(func() {
		large.dir, large.err = os.MkdirTemp("", "engage-open-bench-")
		if large.err != nil {
			return
		}
		large.path = filepath.Join(large.dir, "large.db")
		db, err := boltstore.Open(large.path, boltstore.Options{NoSync: true})
		if err != nil {
			large.err = err
			return
		}
		db.Close()
		bdb, err := bolt.Open(large.path, 0o600, &bolt.Options{NoSync: true, FreelistType: bolt.FreelistMapType})
		if err != nil {
			large.err = err
			return
		}
		val := make([]byte, 500)
		for i := range val {
			val[i] = byte('a' + i%26)
		}
		const perTx = 20_000
		for start := 0; start < largeRecords && large.err == nil; start += perTx {
			large.err = bdb.Update(func(tx *bolt.Tx) error {
				bk := tx.Bucket([]byte(core.Buckets[0]))
				bk.FillPercent = 1
				for i := start; i < start+perTx; i++ {
					if err := bk.Put(fmt.Appendf(nil, "bench/%09d", i), val); err != nil {
						return err
					}
				}
				return nil
			})
		}
		if err := bdb.Close(); large.err == nil {
			large.err = err
		}
		if large.err == nil { // one open and commit through the store, as a service would
			db, err := boltstore.Open(large.path, boltstore.Options{})
			if err == nil {
				err = db.Close()
			}
			large.err = err
		}
	})
	if large.err != nil {
		b.Fatal(large.err)
	}
	return large.path
}

// BenchmarkOpen opens an empty store and one holding ≈100 MB of history: the
// open reads the persisted freelist, so the two cost about the same (compare
// the sub-benchmarks of one run).
func BenchmarkOpen(b *testing.B) {
	empty := filepath.Join(b.TempDir(), "empty.db")
	if db, err := boltstore.Open(empty, boltstore.Options{}); err != nil {
		b.Fatal(err)
	} else if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		path func() string
	}{{"empty", func() string { return empty }}, {"large", func() string { return largeFile(b) }}} {
		b.Run(c.name, func(b *testing.B) {
			path := c.path()
			b.ResetTimer()
			for b.Loop() {
				db, err := boltstore.Open(path, boltstore.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if err := db.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if large.dir != "" {
		os.RemoveAll(large.dir)
	}
	os.Exit(code)
}
