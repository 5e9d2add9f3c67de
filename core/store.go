package core

import (
	"context"
	"errors"
)

// Store is the persistence port of the engine. A store holds named buckets of
// key/value records; the engine owns every key layout and every rule, the store only
// keeps bytes and guarantees the transactions below. Implementations: boltstore (one
// file, the default) and pgstore (several instances sharing one database).
type Store interface {
	// Update runs fn in one read-write transaction and commits it when fn returns nil;
	// when fn returns an error nothing fn wrote is kept and the error is returned.
	//
	// IMPORTANT: fn may be called more than once (a store may retry it after a
	// serialization conflict), so it must have no effect outside the StoreTx: no I/O, no
	// sends, and results are assigned to variables the caller reads after Update
	// returns, never appended to or incremented.
	Update(ctx context.Context, fn func(StoreTx) error) error
	// View runs fn in a read-only transaction that sees one consistent state.
	View(ctx context.Context, fn func(StoreTx) error) error
	// Close releases the store. Pending updates finish first.
	Close() error
}

// StoreTx is one transaction's view of the store. Values passed to Scan callbacks are
// valid only during the callback; Get returns a copy. A StoreTx is used by one
// goroutine at a time and never outlives the Update or View that made it.
type StoreTx interface {
	// Get returns the value at key, or ErrNoKey.
	Get(bucket, key string) ([]byte, error)
	// Put stores value at key, creating the bucket if needed. The store may
	// keep value itself rather than a copy: the caller hands it over and never
	// changes it afterwards.
	Put(bucket, key string, value []byte) error
	// Delete removes key; deleting a missing key is not an error.
	Delete(bucket, key string) error
	// Scan calls fn for each key that starts with prefix, in ascending byte order (or
	// descending when reverse is set). Returning ErrStop from fn ends the scan
	// early without error.
	Scan(bucket, prefix string, reverse bool, fn func(key string, value []byte) error) error
}

// ErrNoKey is returned by Tx.Get for a missing key.
var ErrNoKey = errors.New("no such key")

// ErrStop ends a Scan early; Scan then returns nil.
var ErrStop = errors.New("stop scan")
