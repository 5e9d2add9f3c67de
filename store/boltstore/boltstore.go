// Package boltstore is the embedded store of Engage: core.Store on one bbolt file.
//
// Writes go through a pipelined group commit. Updates run one at a time, in one
// goroutine (the executor, which callers queue for), each on its own overlay over
// the committed state and the writes of the updates before it that are not
// committed yet; a successful update's writes join the pending batch.
// One goroutine commits: it takes the whole pending batch into one bbolt
// transaction and fsync, and while that commit runs the next updates already
// execute and form the next batch, so computing and syncing overlap. An update
// returns only once its batch is durable. A failing update discards only its own
// writes; nothing is ever re-run. If a commit fails, its updates and every update
// built on top of it fail, and none of their writes is kept.
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
	// NoGroupCommit gives every update its own transaction and fsync (the baseline
	// that group commit is measured against).
	NoGroupCommit bool
}

// ErrClosed is returned by Update and View after Close.
var ErrClosed = errors.New("boltstore: closed")

// DB is a core.Store on a bbolt file. It is safe for concurrent use.
type DB struct {
	db      *bolt.DB
	path    string
	grouped bool
	kick    chan struct{} // wakes the committer; buffered 1
	done    chan struct{} // closed when the committer has stopped

	// requests carries update functions to the executor, the one goroutine
	// that runs them, one after the other: many callers at once queue there
	// rather than on a mutex, so that the next function starts as soon as one
	// ends instead of when its caller's goroutine is scheduled again.
	requests chan request
	closing  chan struct{} // closed by Close: the executor stops taking requests
	execDone chan struct{} // closed when the executor has stopped

	// execMu serialises update functions (so each sees those before it) and guards
	// the fields below.
	execMu     sync.Mutex
	pending    *layer       // writes of updates run since the committer last took a batch
	waiters    []chan error // their callers, waiting for the batch to be durable
	committing *layer       // the batch being committed now (read-only), or nil
	spare      *layer       // a committed batch, emptied, for the next one (or nil)
	commits    uint64       // commits ended so far: the committed state changes with it
	closed     bool
}

var _ core.Store = (*DB)(nil)

// Open opens or creates the bbolt file at path.
func Open(path string, opt Options) (*DB, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = time.Second
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout: opt.Timeout, NoSync: opt.NoSync,
		// The freelist is written at every commit, so that an open reads it instead
		// of walking every page of the file to rebuild it: start-up time and memory
		// do not grow with history (BenchmarkOpen). A file written without one gets
		// it at its first commit.
		FreelistType: bolt.FreelistMapType,
	})
	if err != nil {
		return nil, fmt.Errorf("open bolt %s: %w", path, err)
	}
	// Buckets are created when one is missing (a new file, or a new release's): a
	// commit at every open would write the freelist and sync for nothing.
	missing := false
	err = bdb.View(func(tx *bolt.Tx) error {
		for _, b := range core.Buckets {
			missing = missing || tx.Bucket([]byte(b)) == nil
		}
		return nil
	})
	if err == nil && missing {
		err = bdb.Update(func(tx *bolt.Tx) error {
			for _, b := range core.Buckets {
				if _, err := tx.CreateBucketIfNotExists([]byte(b)); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err != nil {
		bdb.Close()
		return nil, fmt.Errorf("create buckets in %s: %w", path, err)
	}
	d := &DB{
		db: bdb, path: path, grouped: !opt.NoGroupCommit,
		kick: make(chan struct{}, 1), done: make(chan struct{}), pending: newLayer(),
		requests: make(chan request), closing: make(chan struct{}), execDone: make(chan struct{}),
	}
	go d.executor()
	go d.committer()
	return d, nil
}

// request is one Update's function, and where the executor answers it.
type request struct {
	fn    func(core.StoreTx) error
	reply chan ran
}

// ran is what run reports: the channel that will report the commit (nil when
// there is none to wait for), or the error that ended the update.
type ran struct {
	commit chan error
	err    error
}

// executor runs the update functions it is sent until Close. Updates that
// follow each other with no commit ended between them read the committed state
// through the same bbolt read transaction (reader); it is let go whenever no
// update waits, so that a commit that must grow bbolt's memory map, which waits
// for every read transaction to end, waits at most for the updates queued.
func (d *DB) executor() {
	defer close(d.execDone)
	var r reader
	defer r.release()
	for {
		var req request
		select {
		case req = <-d.requests:
		default:
			r.release()
			select {
			case req = <-d.requests:
			case <-d.closing:
				return
			}
		}
		commit, err := d.run(req.fn, &r)
		req.reply <- ran{commit, err}
	}
}

// reader is the executor's read transaction on the committed state, and the
// buckets opened in it.
type reader struct {
	btx     *bolt.Tx
	commits uint64 // DB.commits when btx began
	uses    int
	opened  map[string]*bolt.Bucket
}

// maxReaderUses bounds the updates one read transaction serves, and so how long
// it keeps the pages freed meanwhile from being reused.
const maxReaderUses = 256

// current returns a read transaction that sees the state committed now: the
// one already open when no commit ended since it began. Called with execMu held.
func (r *reader) current(d *DB) (*bolt.Tx, error) {
	if r.btx != nil && r.commits == d.commits && r.uses < maxReaderUses {
		r.uses++
		return r.btx, nil
	}
	r.release()
	btx, err := d.db.Begin(false)
	if err != nil {
		return nil, err
	}
	r.btx, r.commits, r.uses, r.opened = btx, d.commits, 1, map[string]*bolt.Bucket{}
	return btx, nil
}

func (r *reader) release() {
	if r.btx != nil {
		_ = r.btx.Rollback() // read-only: nothing to lose
		r.btx, r.opened = nil, nil
	}
}

// Path returns the file's path.
func (d *DB) Path() string { return d.path }

// Update runs fn in a read-write transaction and returns once its writes are
// durable (or discarded, when fn or the commit fails). fn runs exactly once.
func (d *DB) Update(ctx context.Context, fn func(core.StoreTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	req := request{fn: fn, reply: make(chan ran, 1)}
	select {
	case d.requests <- req:
	case <-d.closing:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err() // fn has not run
	}
	r := <-req.reply
	if r.err != nil || r.commit == nil {
		return r.err
	}
	select {
	case d.kick <- struct{}{}:
	default:
	}
	return <-r.commit
}

// run runs fn, in the executor, under execMu: on its own overlay over the
// executor's read transaction r, then into the pending batch, whose commit the
// returned channel reports. Without group commit it commits fn's writes itself
// and returns a nil channel.
func (d *DB) run(fn func(core.StoreTx) error, r *reader) (chan error, error) {
	d.execMu.Lock()
	defer d.execMu.Unlock()
	if d.closed {
		return nil, ErrClosed
	}
	if !d.grouped {
		return nil, d.db.Update(func(btx *bolt.Tx) error {
			ov := &overlay{btx: btx}
			if err := safeCall(fn, ov); err != nil {
				return err
			}
			l := newLayer()
			ov.own.into(l)
			return l.apply(btx)
		})
	}
	btx, err := r.current(d)
	if err != nil {
		return nil, err
	}
	ov := &overlay{btx: btx, base: []*layer{d.committing, d.pending}, opened: r.opened}
	if err := safeCall(fn, ov); err != nil {
		return nil, err
	}
	ov.own.into(d.pending)
	done := make(chan error, 1)
	d.waiters = append(d.waiters, done)
	return done, nil
}

// committer commits pending batches until Close.
func (d *DB) committer() {
	defer close(d.done)
	for {
		d.execMu.Lock()
		if len(d.waiters) == 0 {
			closed := d.closed
			d.execMu.Unlock()
			if closed {
				return
			}
			<-d.kick
			continue
		}
		batch, waiters := d.pending, d.waiters
		d.committing, d.pending, d.waiters = batch, d.spareLayer(), nil
		d.execMu.Unlock()

		err := d.db.Update(batch.apply)

		d.execMu.Lock()
		if err != nil {
			// What ran since was built on writes that are now lost: fail it too.
			err = fmt.Errorf("commit bolt: %w", err)
			waiters = append(waiters, d.waiters...)
			d.pending, d.waiters = newLayer(), nil
		}
		d.committing = nil
		d.commits++
		// No overlay reads the batch any more (they run under execMu and see
		// committing): its maps serve the next batch.
		batch.clear()
		d.spare = batch
		d.execMu.Unlock()
		for _, w := range waiters {
			w <- err
		}
	}
}

// spareLayer returns an empty layer, the last one committed when there is one.
// Called with execMu held.
func (d *DB) spareLayer() *layer {
	if l := d.spare; l != nil {
		d.spare = nil
		return l
	}
	return newLayer()
}

// View runs fn in a read-only transaction on the committed state.
func (d *DB) View(ctx context.Context, fn func(core.StoreTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d.isClosed() {
		return ErrClosed
	}
	return d.db.View(func(btx *bolt.Tx) error {
		return fn(&overlay{btx: btx, readOnly: true})
	})
}

func (d *DB) isClosed() bool {
	d.execMu.Lock()
	defer d.execMu.Unlock()
	return d.closed
}

// Backup writes a consistent copy of the whole file to w, while the store keeps
// serving, and returns the bytes written.
func (d *DB) Backup(w io.Writer) (int64, error) {
	if d.isClosed() {
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

// Close waits for pending updates to commit, then closes the file.
func (d *DB) Close() error {
	d.execMu.Lock()
	if d.closed {
		d.execMu.Unlock()
		return nil
	}
	d.closed = true
	d.execMu.Unlock()
	close(d.closing)
	<-d.execDone
	select {
	case d.kick <- struct{}{}:
	default:
	}
	<-d.done
	return d.db.Close()
}

// safeCall runs fn and turns a panic into an error, so one bad update cannot take
// the store down.
func safeCall(fn func(core.StoreTx) error, tx core.StoreTx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = core.Internal("update", fmt.Errorf("panic: %v", p))
		}
	}()
	return fn(tx)
}
