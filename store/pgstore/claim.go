package pgstore

import (
	"context"
	"time"

	"github.com/engage-org/engage/core"
	"github.com/jackc/pgx/v5"
)

// Claim implements core.Claimer: in one short READ COMMITTED transaction it locks
// the bucket's unleased records in key order with FOR UPDATE SKIP LOCKED (so two
// instances claiming at once take different records, neither waiting), keeps those
// keep accepts, and marks them claimed until the database's clock plus lease. The
// lease uses the database's clock, the one clock all instances share.
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
			rows, err := tx.Query(ctx, `SELECT key, value FROM engage_kv
				WHERE bucket = $1 AND key >= $2 AND (claimed_until IS NULL OR claimed_until <= clock_timestamp())
				ORDER BY key LIMIT $3 FOR UPDATE SKIP LOCKED`, bucket, lower, page)
			if err != nil {
				return err
			}
			n := 0
			for rows.Next() {
				var k, v []byte
				if err := rows.Scan(&k, &v); err != nil {
					rows.Close()
					return err
				}
				n++
				lower = append(k, 0) // the smallest key after k
				if len(out) < limit && keep(string(k), v) {
					out = append(out, core.KV{Key: string(k), Value: v})
				}
			}
			if err := rows.Err(); err != nil {
				return err
			}
			if n < page {
				break
			}
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
