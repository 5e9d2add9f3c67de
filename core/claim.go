package core

import (
	"context"
	"encoding/json"
	"time"
)

// Claimer is what a store shared by several instances adds (pgstore): records leased
// to one caller for a while, so that two instances never work on the same record at
// once. The outbox uses it so that each message is sent by one instance. A store
// serving one process (boltstore) does not implement it: its one dispatcher needs no
// claim.
type Claimer interface {
	// Claim leases to the caller, for lease, up to limit records of bucket, in
	// ascending key order, among those keep accepts. It skips records another lease
	// holds (until that lease ends) and records a running transaction has locked. A
	// later Put of a record ends its lease. keep must have no effect outside its
	// result: a store may call it more than once for one record.
	Claim(ctx context.Context, bucket string, lease time.Duration, limit int, keep func(key string, value []byte) bool) ([]KV, error)
	// Release ends the leases of keys in bucket, so that another caller may claim
	// them at once.
	Release(ctx context.Context, bucket string, keys []string) error
}

// KV is one record of a bucket.
type KV struct {
	Key   string
	Value []byte
}

// ClaimOutbox returns up to limit messages of platform due at the engine's now, in
// the order they were written. On a shared store (a Claimer) each is leased to the
// caller for lease: another instance's ClaimOutbox skips it until it is sent
// (OutboxSent), retried (OutboxRetry), released, or the lease ends (the instance
// died). On any other store it only reads the outbox, as one process sends it all.
func (e *Engine) ClaimOutbox(ctx context.Context, platform string, limit int, lease time.Duration) ([]*OutboxItem, error) {
	return e.ClaimOutboxWhere(ctx, platform, limit, lease, nil)
}

// ClaimOutboxWhere is ClaimOutbox for the due messages keep accepts (nil: all).
// keep must have no effect outside its result: it may be called more than once
// for one message.
func (e *Engine) ClaimOutboxWhere(ctx context.Context, platform string, limit int, lease time.Duration, keep func(*OutboxItem) bool) ([]*OutboxItem, error) {
	cl, ok := e.store.(Claimer)
	if !ok {
		var items []*OutboxItem
		err := e.View(ctx, func(tx *Tx) error {
			items = nil
			return scanJSON(tx, bucketOutbox, "", false, func(_ string, it *OutboxItem) error {
				if (platform == "" || it.Platform == platform) && !it.NotBefore.After(tx.Now()) && (keep == nil || keep(it)) {
					items = append(items, it)
					if len(items) >= limit {
						return ErrStop
					}
				}
				return nil
			})
		})
		return items, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := e.now()
	recs, err := cl.Claim(ctx, bucketOutbox, lease, limit, func(_ string, v []byte) bool {
		var it OutboxItem
		return json.Unmarshal(v, &it) == nil && (platform == "" || it.Platform == platform) && !it.NotBefore.After(now) &&
			(keep == nil || keep(&it))
	})
	if err != nil {
		return nil, err
	}
	items := make([]*OutboxItem, 0, len(recs))
	for _, r := range recs {
		it := new(OutboxItem)
		if err := json.Unmarshal(r.Value, it); err != nil {
			return nil, Internal("decode "+bucketOutbox, err)
		}
		items = append(items, it)
	}
	return items, nil
}

// ReleaseOutbox ends the leases of items claimed but not sent (the dispatcher is
// stopping), so another instance sends them without waiting for the leases to end.
// It does nothing on a store that does not claim.
func (e *Engine) ReleaseOutbox(ctx context.Context, items []*OutboxItem) error {
	cl, ok := e.store.(Claimer)
	if !ok || len(items) == 0 {
		return nil
	}
	keys := make([]string, len(items))
	for i, it := range items {
		keys[i] = pad(it.Seq)
	}
	return cl.Release(ctx, bucketOutbox, keys)
}
