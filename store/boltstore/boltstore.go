// Package boltstore is the embedded store of Engage: core.Store on one bbolt file.
//
// Writes go through a group commit: one goroutine owns the write transaction and,
// as soon as the previous commit's fsync ends, takes every update queued meanwhile
// into the next transaction. Each update runs against its own overlay of the
// transaction, so one update failing discards only its own writes and never re-runs
// the others (bbolt's Batch re-runs them). Each update therefore runs exactly once.
//
// boltstore knows nothing of the domain: it keeps buckets of bytes. It imports core
// for the port it implements and must not import bots, adapters or prompts.
package boltstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/engage-org/engage/core"
	bolt "go.etcd.io/bbolt"
)

// Options configure a DB.
type Options struct {
	// Timeout bounds the wait for the file lock (another process holding the file).
	// Zero means one second; bbolt's own default waits forever.
	Timeout time.Duration
	// NoSync skips fsync on commit. Unsafe: tests and benchmarks only.
	NoSync bool
	// MaxBatch is the most updates one commit takes (0: 512). 1 turns group commit
	// off: one transaction and one fsync per update.
	MaxBatch int
}

// ErrClosed is returned by Update and View after Close.
var ErrClosed = errors.New("boltstore: closed")

// DB is a core.Store on a bbolt file. It is safe for concurrent use.
type DB struct {
	db       *bolt.DB
	path     string
	maxBatch int
	reqs     chan *request
	loopDone chan struct{}

	mu     sync.RWMutex // guards closed, and sends on reqs against Close
	closed bool
}

var _ core.Store = (*DB)(nil)

type request struct {
	fn   func(core.StoreTx) error
	done chan error // buffered: the writer never blocks on a caller
}

// Open opens or creates the bbolt file at path.
func Open(path string, opt Options) (*DB, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = time.Second
	}
	if opt.MaxBatch <= 0 {
		opt.MaxBatch = 512
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opt.Timeout, NoSync: opt.NoSync})
	if err != nil {
		return nil, fmt.Errorf("open bolt %s: %w", path, err)
	}
	err = bdb.Update(func(tx *bolt.Tx) error {
		for _, b := range core.Buckets {
			if _, err := tx.CreateBucketIfNotExists([]byte(b)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		bdb.Close()
		return nil, fmt.Errorf("create buckets in %s: %w", path, err)
	}
	d := &DB{
		db: bdb, path: path, maxBatch: opt.MaxBatch,
		reqs:     make(chan *request, 4*opt.MaxBatch),
		loopDone: make(chan struct{}),
	}
	go d.writer()
	return d, nil
}

// Path returns the file's path.
func (d *DB) Path() string { return d.path }

// Update runs fn in a read-write transaction, grouped with concurrent updates into
// one commit. fn runs exactly once. Once queued, the update is waited for even if ctx
// ends, so that the caller never reports as failed a change that committed.
func (d *DB) Update(ctx context.Context, fn func(core.StoreTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &request{fn: fn, done: make(chan error, 1)}
	d.mu.RLock()
	if d.closed {
		d.mu.RUnlock()
		return ErrClosed
	}
	d.reqs <- r
	d.mu.RUnlock()
	return <-r.done
}

// View runs fn in a read-only transaction.
func (d *DB) View(ctx context.Context, fn func(core.StoreTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.closed {
		return ErrClosed
	}
	return d.db.View(func(btx *bolt.Tx) error {
		return fn(&overlay{btx: btx, readOnly: true})
	})
}

// Backup writes a consistent copy of the whole file to w, while the store keeps
// serving, and returns the bytes written.
func (d *DB) Backup(w io.Writer) (int64, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.closed {
		return 0, ErrClosed
	}
	var n int64
	err := d.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// Close waits for queued updates to commit, then closes the file.
func (d *DB) Close() error {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return nil
	}
	d.closed = true
	close(d.reqs)
	d.mu.Unlock()
	<-d.loopDone
	return d.db.Close()
}

// writer is the one goroutine that writes: it commits queued updates in groups.
func (d *DB) writer() {
	defer close(d.loopDone)
	batch := make([]*request, 0, d.maxBatch)
	for first := range d.reqs {
		batch = append(batch[:0], first)
	drain:
		for len(batch) < d.maxBatch {
			select {
			case r, ok := <-d.reqs:
				if !ok {
					break drain
				}
				batch = append(batch, r)
			default:
				break drain
			}
		}
		d.commit(batch)
	}
}

// commit runs a group of updates in one transaction. Each runs on its own overlay;
// a failed one is dropped, the others are applied in order, so each sees the writes
// of those before it.
func (d *DB) commit(batch []*request) {
	errs := make([]error, len(batch))
	err := d.db.Update(func(btx *bolt.Tx) error {
		for i, r := range batch {
			ov := &overlay{btx: btx}
			if err := safeCall(r.fn, ov); err != nil {
				errs[i] = err
				continue
			}
			if err := ov.apply(); err != nil {
				return err
			}
		}
		return nil
	})
	for i, r := range batch {
		if err != nil && errs[i] == nil {
			errs[i] = fmt.Errorf("commit bolt: %w", err)
		}
		r.done <- errs[i]
	}
}

// safeCall runs fn and turns a panic into an error, so one bad update cannot take
// the writer (and every other update) down.
func safeCall(fn func(core.StoreTx) error, tx core.StoreTx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = core.Internal("update", fmt.Errorf("panic: %v", p))
		}
	}()
	return fn(tx)
}
