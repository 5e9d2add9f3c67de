package pgstore

import (
	"context"
	"slices"
)

// Buckets returns the names of the buckets that hold at least one record, in byte
// order (for copying a whole store). It skips from bucket to bucket on the primary
// key's index rather than reading every record.
func (d *DB) Buckets(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.closed {
		return nil, ErrClosed
	}
	rows, err := d.pool.Query(ctx, `WITH RECURSIVE b(bucket) AS (
			(SELECT bucket FROM engage_kv ORDER BY bucket LIMIT 1)
			UNION ALL
			SELECT (SELECT k.bucket FROM engage_kv k WHERE k.bucket > b.bucket ORDER BY k.bucket LIMIT 1)
			FROM b WHERE b.bucket IS NOT NULL)
		SELECT bucket FROM b WHERE bucket IS NOT NULL`)
	if err != nil {
		return nil, storeErr(ctx, "list buckets", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, storeErr(ctx, "list buckets", err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		return nil, storeErr(ctx, "list buckets", err)
	}
	slices.Sort(names) // the table's collation may order names otherwise
	return names, nil
}
