package core

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"
)

// The inbox keeps what a platform delivered and the service acknowledged, until it
// is handled: an adapter appends a delivery (one write, which the store's group
// commit shares with the other deliveries of the moment) before it answers the
// platform, and the handling of its event deletes it in the same transaction as
// the changes it makes (see Tx.InboxDone). After a crash, what is left in the
// inbox was acknowledged and never handled: it is handled at the next start,
// exactly once.

// InboxItem is one delivery waiting to be handled. The payload is the platform's,
// opaque to the engine. Run names the run of the service that appended it.
type InboxItem struct {
	ID       string    `json:"id"`
	Platform string    `json:"platform"`
	Run      string    `json:"run"`
	Payload  []byte    `json:"payload"`
	Created  time.Time `json:"created"`
}

// NewRun returns a fresh name for a run of the service (a process), that marks
// the deliveries it appends to the inbox.
func NewRun() string {
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	return hex.EncodeToString(rnd[:])
}

// AppendInbox stores a delivery of platform, appended by run, and returns its
// ID. It is durable when it returns. IDs sort in the order deliveries were
// appended (by the engine's clock, then by a counter of the engine), with no
// counter in the store that several instances would contend for.
func (e *Engine) AppendInbox(ctx context.Context, platform, run string, payload []byte) (string, error) {
	ids, err := e.AppendInboxAll(ctx, platform, run, [][]byte{payload})
	if err != nil {
		return "", err
	}
	return ids[0], nil
}

// AppendInboxAll stores several deliveries of platform at once, in one write (a
// batch of updates fetched together), and returns their IDs in the order of
// payloads. They are durable when it returns.
func (e *Engine) AppendInboxAll(ctx context.Context, platform, run string, payloads [][]byte) ([]string, error) {
	ids := make([]string, len(payloads))
	_, err := e.Update(ctx, func(tx *Tx) error {
		now := e.now()
		stamp := pad(uint64(now.Unix()))
		nanos := pad(uint64(now.Nanosecond()))[3:]
		for i, payload := range payloads {
			ids[i] = key(platform, stamp, nanos+"-"+pad(e.inboxSeq.Add(1))+"-"+run)
			if err := tx.putJSON(bucketInbox, ids[i], &InboxItem{ID: ids[i], Platform: platform, Run: run, Payload: payload, Created: now}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// Inbox returns up to limit deliveries of platform waiting to be handled, oldest
// first, but those appended by run (still to be handled by the run itself).
func (tx *Tx) Inbox(platform, run string, limit int) ([]*InboxItem, error) {
	var out []*InboxItem
	err := scanJSON(tx, bucketInbox, platform+"/", false, func(_ string, it *InboxItem) error {
		if run != "" && it.Run == run {
			return nil
		}
		out = append(out, it)
		if len(out) >= limit {
			return ErrStop
		}
		return nil
	})
	return out, err
}

// InboxDone deletes the delivery id: it is handled. Called in the transaction
// that handles it, it commits with the changes the delivery made, or not at all.
func (tx *Tx) InboxDone(id string) error {
	if id == "" || !strings.Contains(id, "/") {
		return nil
	}
	return tx.kv.Delete(bucketInbox, id)
}

// InboxDone deletes the delivery id in a transaction of its own (a delivery that
// changed nothing, or was handled before).
func (e *Engine) InboxDone(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	_, err := e.Update(ctx, func(tx *Tx) error { return tx.InboxDone(id) })
	return err
}
