// Package pgstore is the shared store of Engage: core.Store on PostgreSQL, for
// installs that run several instances on one database (behind a load balancer) or
// that want the database's own backups and replicas.
//
// Every bucket lives in one table, engage_kv (bucket, key bytea, value bytea), so
// that prefix scans run in the byte order bbolt uses. Writes go through a group
// commit, as in boltstore: one goroutine of each instance takes the updates queued
// meanwhile into one SERIALIZABLE transaction, each update on its own overlay (a
// failed one drops only its own writes), and writes them all in one statement at
// the end. Two instances' transactions that read and write the same records fail
// with a serialization error and are run again, whole: core.Store allows an
// update to be called more than once. Reads (View) run in parallel on a
// REPEATABLE READ READ ONLY snapshot.
//
// The schema is created and upgraded by the migrations embedded in the package,
// applied by Open under an advisory lock, so instances starting together apply each
// migration once. The outbox of several instances is shared through Claim (leases
// taken with FOR UPDATE SKIP LOCKED), which implements core.Claimer.
//
// pgstore knows nothing of the domain: it keeps buckets of bytes. It imports core
// for the port it implements and must not import bots, adapters or prompts. Driver
// errors stop here: callers get core errors (CodeInternal, with the cause wrapped).
package pgstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/engage-org/engage/core"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Options configure a DB.
type Options struct {
	// MaxConns bounds the connection pool (0: pgxpool's default, the larger of 4
	// and the number of CPUs).
	MaxConns int32
	// MaxBatch is the most updates one write transaction takes (0: 256). 1 turns
	// group commit off: one transaction per update.
	MaxBatch int
	// MaxRetries bounds how many times a write transaction is run again after a
	// serialization failure or a deadlock (0: 40).
	MaxRetries int
	// TxTimeout bounds one write transaction, retries excluded (0: 30 s).
	TxTimeout time.Duration
}

// ErrClosed is returned by Update and View after Close.
var ErrClosed = errors.New("pgstore: closed")

// DB is a core.Store on a PostgreSQL database. It is safe for concurrent use, and
// several DBs (in several processes) may share one database.
type DB struct {
	pool     *pgxpool.Pool
	opt      Options
	version  int
	applied  []int
	reqs     chan *request
	loopDone chan struct{}

	mu     sync.RWMutex // guards closed, and sends on reqs against Close
	closed bool

	statsMu sync.Mutex // guards stats
	stats   Stats
}

var (
	_ core.Store   = (*DB)(nil)
	_ core.Claimer = (*DB)(nil)
)

// Stats counts what the writer did, for tests, benchmarks and metrics.
type Stats struct {
	Batches int64 // write transactions committed
	Updates int64 // updates committed (successful or refused)
	Retries int64 // write transactions run again after a conflict
}

type request struct {
	fn   func(core.StoreTx) error
	done chan error // buffered: the writer never blocks on a caller
}

// Open connects to the database at dsn (a PostgreSQL URL or key=value string),
// applies the schema migrations it lacks and returns the store.
func Open(ctx context.Context, dsn string, opt Options) (*DB, error) {
	if opt.MaxBatch <= 0 {
		opt.MaxBatch = 256
	}
	if opt.MaxRetries <= 0 {
		opt.MaxRetries = 40
	}
	if opt.TxTimeout <= 0 {
		opt.TxTimeout = 30 * time.Second
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// The DSN may hold a password: the parse error says what is wrong without it.
		return nil, fmt.Errorf("pgstore: read the connection string: %w", err)
	}
	if opt.MaxConns > 0 {
		cfg.MaxConns = opt.MaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgstore: connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgstore: connect to %s: %w", where(cfg), err)
	}
	version, applied, err := migrate(ctx, pool)
	if err != nil {
		pool.Close()
		return nil, err
	}
	d := &DB{
		pool: pool, opt: opt, version: version, applied: applied,
		reqs:     make(chan *request, 4*opt.MaxBatch),
		loopDone: make(chan struct{}),
	}
	go d.writer()
	return d, nil
}

// where names the server and database of cfg, without credentials, for messages.
func where(cfg *pgxpool.Config) string {
	return fmt.Sprintf("%s:%d/%s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
}

// SchemaVersion returns the version of the schema the database is at.
func (d *DB) SchemaVersion() int { return d.version }

// Applied returns the migrations Open applied (none when the schema was up to
// date, or another instance applied them first).
func (d *DB) Applied() []int { return slices.Clone(d.applied) }

// Stats returns the writer's counts so far.
func (d *DB) Stats() Stats {
	d.statsMu.Lock()
	defer d.statsMu.Unlock()
	return d.stats
}

// Update runs fn in a read-write transaction, grouped with concurrent updates of
// this instance into one commit. fn may run more than once: after a serialization
// conflict with another instance the whole transaction is run again. Once queued,
// the update is waited for even if ctx ends, so that the caller never reports as
// failed a change that committed.
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

// View runs fn in a read-only transaction on one snapshot of the database.
func (d *DB) View(ctx context.Context, fn func(core.StoreTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.closed {
		return ErrClosed
	}
	var ptx pgx.Tx
	var err error
	// A connection the server dropped fails at BEGIN: the pool then has others or
	// makes a new one.
	for range d.maxBroken() {
		ptx, err = d.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
		if err == nil || !connectionLost(err) {
			break
		}
	}
	if err != nil {
		return storeErr(ctx, "begin view", err)
	}
	defer ptx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read-only: nothing to keep
	t := &txn{ctx: ctx, q: ptx, readOnly: true}
	if err := fn(t); err != nil {
		return err
	}
	return storeErr(ctx, "view", t.err)
}

// Close waits for queued updates to commit, then closes the connections.
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
	d.pool.Close()
	return nil
}

// writer is the one goroutine of this DB that writes: it commits queued updates in
// groups.
func (d *DB) writer() {
	defer close(d.loopDone)
	batch := make([]*request, 0, d.opt.MaxBatch)
	for first := range d.reqs {
		batch = append(batch[:0], first)
	drain:
		for len(batch) < d.opt.MaxBatch {
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

// commit runs a group of updates in one transaction, again after a conflict, and
// tells each caller its outcome. When a statement of the transaction failed for
// another reason than a conflict (the server refused a value), nothing was
// committed and each update is run alone, so one bad update fails only itself.
func (d *DB) commit(batch []*request) {
	errs, err := d.runRetrying(batch)
	if err != nil && len(batch) > 1 && statementFailed(err) {
		for _, r := range batch {
			d.commit([]*request{r})
		}
		return
	}
	for i, r := range batch {
		if err != nil {
			r.done <- err
		} else {
			r.done <- errs[i]
		}
	}
}

// runRetrying runs batch until it commits, the error is not a conflict, or the
// retries are spent. It returns each update's own error.
func (d *DB) runRetrying(batch []*request) ([]error, error) {
	broken := 0 // attempts lost to a broken connection
	for attempt := 0; ; attempt++ {
		errs, commitSent, err := d.run(batch)
		if err == nil {
			d.count(func(s *Stats) { s.Batches++; s.Updates += int64(len(batch)) })
			return errs, nil
		}
		retry := false
		switch {
		case conflict(err):
			retry = attempt < d.opt.MaxRetries
		case !commitSent && connectionLost(err):
			broken++
			retry = broken < d.maxBroken()
		}
		if !retry {
			if commitSent && !statementFailed(err) {
				// The connection failed on COMMIT: it may have committed. Not run again.
				return nil, storeErr(context.Background(), "commit (outcome unknown)", err)
			}
			return nil, storeErr(context.Background(), "write", err)
		}
		d.count(func(s *Stats) { s.Retries++ })
		time.Sleep(backoff(attempt))
	}
}

// maxBroken is how many attempts a transaction may lose to dropped connections:
// every pooled connection may have been dropped at once (a server restart).
func (d *DB) maxBroken() int { return int(d.pool.Config().MaxConns) + 2 }

func (d *DB) count(fn func(*Stats)) {
	d.statsMu.Lock()
	fn(&d.stats)
	d.statsMu.Unlock()
}

// backoff is the pause before retry n: random, growing from 1 ms to 100 ms, so that
// two instances that conflicted do not meet again at once.
func backoff(n int) time.Duration {
	limit := time.Millisecond << min(n, 7)
	return time.Duration(rand.Int64N(int64(min(limit, 100*time.Millisecond)))) + 100*time.Microsecond
}

// run is one attempt of a batch. It reports the updates' own errors, and an error
// that voids the whole attempt, with whether COMMIT had been sent (then the outcome
// is unknown unless the error is a conflict).
func (d *DB) run(batch []*request) (errs []error, commitSent bool, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), d.opt.TxTimeout)
	defer cancel()
	ptx, err := d.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable})
	if err != nil {
		return nil, false, err
	}
	defer ptx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // after Commit it is a no-op
	errs = make([]error, len(batch))
	committed := layer{} // the writes of the batch's successful updates so far
	read := layer{}
	for i, r := range batch {
		t := &txn{ctx: ctx, q: ptx, below: committed, writes: layer{}, read: read}
		errs[i] = safeCall(r.fn, t)
		if t.err != nil {
			// A read failed: the transaction is void whatever fn made of it.
			return nil, false, t.err
		}
		if errs[i] == nil {
			committed.merge(t.writes)
		}
	}
	if err := flush(ctx, ptx, committed); err != nil {
		return nil, false, err
	}
	if err := ptx.Commit(ctx); err != nil {
		return nil, true, err
	}
	return errs, true, nil
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
