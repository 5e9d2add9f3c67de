package boltstore

import (
	"context"

	bolt "go.etcd.io/bbolt"
)

// Buckets returns the names of the file's buckets, in byte order: those of
// core.Buckets and any other a Put created (for copying a whole store).
func (d *DB) Buckets(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if d.isClosed() {
		return nil, ErrClosed
	}
	var names []string
	err := d.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			names = append(names, string(name))
			return nil
		})
	})
	return names, err
}
