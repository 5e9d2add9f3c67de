package pgstore

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/store/internal/merge"
	"github.com/jackc/pgx/v5"
)

// Limits checked by Put, so that the flush at commit cannot fail on them: a key is
// part of the primary key's B-tree entry, whose size PostgreSQL bounds (about 2.7 kB).
const (
	maxKeySize   = 2048
	maxValueSize = 256 << 20
)

var errReadOnly = errors.New("pgstore: write in a read-only transaction")

// querier is what a txn needs of a pgx transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// layer holds writes not yet in the database: bucket → key → value; a nil value
// marks a deletion.
type layer map[string]map[string][]byte

func (l layer) set(bucket, key string, v []byte) {
	m := l[bucket]
	if m == nil {
		m = map[string][]byte{}
		l[bucket] = m
	}
	m[key] = v
}

// merge copies o's writes over l's.
func (l layer) merge(o layer) {
	for b, m := range o {
		for k, v := range m {
			l.set(b, k, v)
		}
	}
}

// txn is one update's (or one view's) core.StoreTx. Reads see the update's own
// writes, then those of the updates before it in the same batch (below), then the
// database.
type txn struct {
	ctx      context.Context
	q        querier
	readOnly bool
	writes   layer // this update's writes
	below    layer // the batch's committed-so-far writes (nil in a view)
	// read caches what the batch read from the database (nil: absent). The batch
	// is one transaction on one snapshot, so a record read once reads the same
	// until the batch itself writes it, which the layers above show first.
	read layer
	// err is the first database error: it voids the whole transaction (a
	// serialization failure is retried by the writer), whatever fn does with it.
	err error
}

// lookup finds key in the layers; ok is false when the database must be asked.
func (t *txn) lookup(bucket, key string) (v []byte, ok bool) {
	if v, ok := t.writes[bucket][key]; ok {
		return v, true
	}
	if v, ok := t.below[bucket][key]; ok {
		return v, true
	}
	return nil, false
}

// fail records a database error and returns it as the engine's error.
func (t *txn) fail(op string, err error) error {
	if t.err == nil {
		t.err = err
	}
	return storeErr(t.ctx, op, err)
}

func (t *txn) Get(bucket, key string) ([]byte, error) {
	if t.err != nil {
		return nil, storeErr(t.ctx, "get", t.err)
	}
	if v, ok := t.lookup(bucket, key); ok {
		if v == nil {
			return nil, core.ErrNoKey
		}
		return bytes.Clone(v), nil
	}
	if v, ok := t.read[bucket][key]; ok {
		if v == nil {
			return nil, core.ErrNoKey
		}
		return bytes.Clone(v), nil
	}
	var v []byte
	err := t.q.QueryRow(t.ctx, `SELECT value FROM engage_kv WHERE bucket = $1 AND key = $2`, bucket, []byte(key)).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		if t.read != nil {
			t.read.set(bucket, key, nil)
		}
		return nil, core.ErrNoKey
	}
	if err != nil {
		return nil, t.fail("get "+bucket, err)
	}
	if v == nil {
		v = []byte{}
	}
	if t.read != nil {
		t.read.set(bucket, key, bytes.Clone(v))
	}
	return v, nil
}

func (t *txn) Put(bucket, key string, value []byte) error {
	if t.readOnly {
		return errReadOnly
	}
	if key == "" || len(key) > maxKeySize || len(value) > maxValueSize || bucket == "" {
		return core.Internal("put "+bucket, errors.New("pgstore: bucket, key or value size out of bounds"))
	}
	v := value // handed over (see core.StoreTx)
	if v == nil {
		v = []byte{} // nil marks a deletion
	}
	t.writes.set(bucket, key, v)
	return nil
}

func (t *txn) Delete(bucket, key string) error {
	if t.readOnly {
		return errReadOnly
	}
	t.writes.set(bucket, key, nil)
	return nil
}

// Scan merges the database's keys under prefix with the layers' writes, in order.
func (t *txn) Scan(bucket, prefix string, reverse bool, fn func(string, []byte) error) error {
	if t.err != nil {
		return storeErr(t.ctx, "scan", t.err)
	}
	pending := merge.Keys(prefix, reverse, t.writes[bucket], t.below[bucket])
	lookup := func(k string) []byte { v, _ := t.lookup(bucket, k); return v }
	it := &rows{t: t, bucket: bucket, reverse: reverse, lower: []byte(prefix), upper: merge.Successor([]byte(prefix))}
	if it.lower == nil {
		it.lower = []byte{}
	}
	return merge.Scan(pending, reverse, lookup, it.next, fn)
}

// rows walks the database's keys of a bucket in [lower, upper) page by page, so
// that a scan stopped early reads little and fn may query the database between
// two records (one connection runs one query at a time).
type rows struct {
	t            *txn
	bucket       string
	reverse      bool
	lower, upper []byte // upper nil: no bound
	page         []kvRow
	size         int
	done         bool
}

type kvRow struct {
	key   string
	value []byte
}

const (
	firstPage = 16
	maxPage   = 1024
)

func (r *rows) next() (string, []byte, bool, error) {
	if len(r.page) == 0 {
		if r.done {
			return "", nil, false, nil
		}
		if err := r.fetch(); err != nil {
			return "", nil, false, err
		}
		if len(r.page) == 0 {
			return "", nil, false, nil
		}
	}
	row := r.page[0]
	r.page = r.page[1:]
	return row.key, row.value, true, nil
}

// fetch reads the next page and narrows the range past it.
func (r *rows) fetch() error {
	r.size = min(max(2*r.size, firstPage), maxPage)
	q := `SELECT key, value FROM engage_kv WHERE bucket = $1 AND key >= $2 AND ($3::bytea IS NULL OR key < $3) ORDER BY key LIMIT $4`
	if r.reverse {
		q = `SELECT key, value FROM engage_kv WHERE bucket = $1 AND key >= $2 AND ($3::bytea IS NULL OR key < $3) ORDER BY key DESC LIMIT $4`
	}
	res, err := r.t.q.Query(r.t.ctx, q, r.bucket, r.lower, r.upper, r.size)
	if err != nil {
		return r.t.fail("scan "+r.bucket, err)
	}
	r.page = r.page[:0]
	for res.Next() {
		var k, v []byte
		if err := res.Scan(&k, &v); err != nil {
			res.Close()
			return r.t.fail("scan "+r.bucket, err)
		}
		if v == nil {
			v = []byte{}
		}
		r.page = append(r.page, kvRow{string(k), v})
	}
	if err := res.Err(); err != nil {
		return r.t.fail("scan "+r.bucket, err)
	}
	if len(r.page) < r.size {
		r.done = true
	} else if last := r.page[len(r.page)-1].key; r.reverse {
		r.upper = []byte(last)
	} else {
		r.lower = append([]byte(last), 0) // the smallest key after last
	}
	return nil
}

// flush writes a batch's writes: one statement for the deletes, one for the puts,
// in key order (two instances flushing the same keys then wait for each other
// rather than deadlock). A put ends any lease (Claim) on the record.
func flush(ctx context.Context, q interface {
	SendBatch(context.Context, *pgx.Batch) pgx.BatchResults
}, l layer) error {
	var putBuckets, delBuckets []string
	var putKeys, putValues, delKeys [][]byte
	for _, bucket := range slices.Sorted(maps.Keys(l)) {
		m := l[bucket]
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if v := m[k]; v == nil {
				delBuckets = append(delBuckets, bucket)
				delKeys = append(delKeys, []byte(k))
			} else {
				putBuckets = append(putBuckets, bucket)
				putKeys = append(putKeys, []byte(k))
				putValues = append(putValues, v)
			}
		}
	}
	b := &pgx.Batch{}
	if len(delKeys) > 0 {
		b.Queue(`DELETE FROM engage_kv k USING unnest($1::text[], $2::bytea[]) AS d(bucket, key)
			WHERE k.bucket = d.bucket AND k.key = d.key`, delBuckets, delKeys)
	}
	if len(putKeys) > 0 {
		b.Queue(`INSERT INTO engage_kv (bucket, key, value)
			SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[])
			ON CONFLICT (bucket, key) DO UPDATE SET value = EXCLUDED.value, claimed_until = NULL`, putBuckets, putKeys, putValues)
	}
	if b.Len() == 0 {
		return nil
	}
	return q.SendBatch(ctx, b).Close()
}
