package pgstore

import (
	"context"
	"time"

	"github.com/engage-org/engage/core"
	"github.com/jackc/pgx/v5"
)

// Claim implements core.Claimer. In one short READ COMMITTED transaction it reads
// the bucket's unleased records in key order, page by page, without locking them;
// locks those keep accepts with FOR UPDATE SKIP LOCKED (so two claimers at once take
// different records, neither waiting, and records keep refuses, such as another
// platform's messages, stay free for their own claimers); checks each locked
// record's latest value with keep again; and marks the taken ones claimed until the
// database's clock plus lease (the one clock all instances share).
func (d *DB) Claim(ctx context.Context, bucket string, lease time.Duration, limit int, keep func(key string, value []byte) bool) ([]core.KV, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.closed {
		return nil, ErrClosed
	}
	if limit <= 0 {
		return nil, nil
	}
	page := max(limit, 64)
	var out []core.KV
	err := pgx.BeginTxFunc(ctx, d.pool, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, func(tx pgx.Tx) error {
		out = out[:0]
		lower := []byte{}
		for len(out) < limit {
			kvs, err := collect(ctx, tx, `SELECT key, value FROM engage_kv
				WHERE bucket = $1 AND key >= $2 AND (claimed_until IS NULL OR claimed_until <= clock_timestamp())
				ORDER BY key LIMIT $3`, bucket, lower, page)
			if err != nil {
				return err
			}
			var wanted [][]byte
			for _, kv := range kvs {
				if keep(kv.Key, kv.Value) {
					wanted = append(wanted, []byte(kv.Key))
				}
			}
			if len(wanted) > 0 {
				locked, err := collect(ctx, tx, `SELECT key, value FROM engage_kv
					WHERE bucket = $1 AND key = ANY($2) AND (claimed_until IS NULL OR claimed_until <= clock_timestamp())
					ORDER BY key LIMIT $3 FOR UPDATE SKIP LOCKED`, bucket, wanted, limit-len(out))
				if err != nil {
					return err
				}
				for _, kv := range locked {
					if keep(kv.Key, kv.Value) { // the latest version, which may have changed
						out = append(out, kv)
					}
				}
			}
			if len(kvs) < page {
				break
			}
			lower = append([]byte(kvs[len(kvs)-1].Key), 0) // the smallest key after the page
		}
		if len(out) == 0 {
			return nil
		}
		keys := make([][]byte, len(out))
		for i, kv := range out {
			keys[i] = []byte(kv.Key)
		}
		_, err := tx.Exec(ctx, `UPDATE engage_kv SET claimed_until = clock_timestamp() + $3 * interval '1 microsecond'
			WHERE bucket = $1 AND key = ANY($2)`, bucket, keys, lease.Microseconds())
		return err
	})
	if err != nil {
		return nil, storeErr(ctx, "claim "+bucket, err)
	}
	return out, nil
}

// collect runs a query of (key, value) rows and returns them.
func collect(ctx context.Context, tx pgx.Tx, sql string, args ...any) ([]core.KV, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []core.KV
	for rows.Next() {
		var k, v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		if v == nil {
			v = []byte{}
		}
		out = append(out, core.KV{Key: string(k), Value: v})
	}
	return out, rows.Err()
}

// Release implements core.Claimer: the leases of keys end now.
func (d *DB) Release(ctx context.Context, bucket string, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.closed {
		return ErrClosed
	}
	bk := make([][]byte, len(keys))
	for i, k := range keys {
		bk[i] = []byte(k)
	}
	_, err := d.pool.Exec(ctx, `UPDATE engage_kv SET claimed_until = NULL WHERE bucket = $1 AND key = ANY($2)`, bucket, bk)
	return storeErr(ctx, "release "+bucket, err)
}
