package core

import (
	"bytes"
	"encoding/json"
	"time"
)

// OutboxItem is a message waiting to be sent. It is written in the same transaction
// as the change that caused it, so a committed change never loses its messages, and
// it is deleted only once the platform accepted it. The payload is the rendered
// message, opaque to the engine.
type OutboxItem struct {
	Seq       uint64    `json:"seq"`
	Platform  string    `json:"platform"`
	Payload   []byte    `json:"payload"`
	Coalesce  string    `json:"coalesce,omitempty"`
	NotBefore time.Time `json:"not_before,omitzero"`
	Attempts  int       `json:"attempts,omitempty"`
	LastError string    `json:"last_error,omitempty"`
	Created   time.Time `json:"created"`
	// Version counts the payload's replacements by coalescing, so that a send of an
	// older payload does not remove the newer one (see OutboxDelivered).
	Version int `json:"version,omitempty"`
	// Hold is set while the message waits for its addressee to open a direct
	// conversation (see HoldOutbox).
	Hold string `json:"hold,omitempty"`
}

// clone copies it deeply (the payload included).
func (it *OutboxItem) clone() *OutboxItem {
	c := *it
	c.Payload = bytes.Clone(it.Payload)
	return &c
}

// Enqueue writes a message to the outbox for platform. When coalesce is not empty
// and an unsent message with the same coalescing key is waiting, that message's
// payload is replaced instead (a tally edited ten times in a second is sent once,
// with the last figures). A coalescing key is for successive edits of one message:
// a replaced payload may follow one already sent. notBefore delays sending (zero:
// now).
func (tx *Tx) Enqueue(platform string, payload []byte, coalesce string, notBefore time.Time) error {
	if coalesce != "" {
		raw, err := tx.kv.Get(bucketCoalesce, coalesce)
		if ok, err := found(err); err != nil {
			return err
		} else if ok {
			// Kept decoded: a live message is replaced at every press.
			it, err := getDecoded(tx, bucketOutbox, string(raw), (*OutboxItem).clone)
			if ok, err := found(err); err != nil {
				return err
			} else if ok {
				it.Payload = payload
				it.Version++
				tx.Enqueued++
				return putDecoded(tx, bucketOutbox, string(raw), it, (*OutboxItem).clone)
			}
		}
	}
	seq, err := tx.next("outbox")
	if err != nil {
		return err
	}
	it := &OutboxItem{Seq: seq, Platform: platform, Payload: payload, Coalesce: coalesce, NotBefore: notBefore, Created: tx.now}
	if coalesce == "" {
		err = tx.putJSON(bucketOutbox, pad(seq), it)
	} else if err = putDecoded(tx, bucketOutbox, pad(seq), it, (*OutboxItem).clone); err == nil {
		err = tx.kv.Put(bucketCoalesce, coalesce, []byte(pad(seq)))
	}
	if err != nil {
		return err
	}
	tx.Enqueued++
	return nil
}

// Outbox returns up to limit waiting messages in the order they were written,
// those of platform only when platform is not empty, skipping those not due at now.
func (tx *Tx) Outbox(platform string, now time.Time, limit int) ([]*OutboxItem, error) {
	var out []*OutboxItem
	err := scanJSON(tx, bucketOutbox, "", false, func(_ string, it *OutboxItem) error {
		if (platform == "" || it.Platform == platform) && !it.NotBefore.After(now) {
			out = append(out, it)
			if len(out) >= limit {
				return ErrStop
			}
		}
		return nil
	})
	return out, err
}

// OutboxStats returns the number of waiting messages and the age of the oldest.
func (tx *Tx) OutboxStats() (n int, oldest time.Duration, err error) {
	err = tx.kv.Scan(bucketOutbox, "", false, func(_ string, raw []byte) error {
		if n == 0 {
			var it OutboxItem
			if json.Unmarshal(raw, &it) == nil {
				oldest = tx.now.Sub(it.Created)
			}
		}
		n++
		return nil
	})
	return n, oldest, err
}

// NextOutboxDue returns when the earliest delayed message falls due (zero if none is
// delayed past now).
func (tx *Tx) NextOutboxDue() (time.Time, error) {
	var next time.Time
	err := scanJSON(tx, bucketOutbox, "", false, func(_ string, it *OutboxItem) error {
		if it.NotBefore.After(tx.now) && (next.IsZero() || it.NotBefore.Before(next)) {
			next = it.NotBefore
		}
		return nil
	})
	return next, err
}

// OutboxDelivered records that version of item seq was sent: the item is removed,
// unless its payload was replaced meanwhile by a newer coalesced one, which then
// stays to be sent in turn (a tally edited while its previous edit was in flight).
func (tx *Tx) OutboxDelivered(seq uint64, version int) error {
	it := new(OutboxItem)
	err := tx.getJSON(bucketOutbox, pad(seq), it)
	if ok, err := found(err); err != nil || !ok {
		return err
	}
	if it.Version != version {
		it.Attempts, it.LastError = 0, ""
		return tx.putJSON(bucketOutbox, pad(seq), it)
	}
	return tx.OutboxSent(seq)
}

// OutboxSent removes a message (sent, or dropped for good).
func (tx *Tx) OutboxSent(seq uint64) error {
	it := new(OutboxItem)
	err := tx.getJSON(bucketOutbox, pad(seq), it)
	if ok, err := found(err); err != nil || !ok {
		return err
	}
	if it.Coalesce != "" {
		if err := tx.kv.Delete(bucketCoalesce, it.Coalesce); err != nil {
			return err
		}
	}
	if it.Hold != "" {
		if err := tx.kv.Delete(bucketHeld, key(it.Hold, pad(seq))); err != nil {
			return err
		}
	}
	return tx.kv.Delete(bucketOutbox, pad(seq))
}

// OutboxRetry records a failed attempt and delays the next one until at.
func (tx *Tx) OutboxRetry(seq uint64, at time.Time, reason string) error {
	it := new(OutboxItem)
	err := tx.getJSON(bucketOutbox, pad(seq), it)
	if ok, err := found(err); err != nil || !ok {
		return err
	}
	it.Attempts++
	it.NotBefore = at
	it.LastError = reason
	return tx.putJSON(bucketOutbox, pad(seq), it)
}

// SetMessageRef remembers the platform message ID of a message sent under ref in
// a chat, so that later edits of ref replace it in place.
func (tx *Tx) SetMessageRef(platform, chatID, ref, msgID string) error {
	return tx.kv.Put(bucketMsgRef, key(platform, chatID, ref), []byte(msgID))
}

// MessageRef returns the platform message ID sent under ref in a chat ("" if none).
func (tx *Tx) MessageRef(platform, chatID, ref string) (string, error) {
	raw, err := tx.kv.Get(bucketMsgRef, key(platform, chatID, ref))
	if ok, err := found(err); err != nil || !ok {
		return "", err
	}
	return string(raw), nil
}

// OutboxDueNow makes every message delayed to a later time (a throttled edit) due
// now, and returns how many. The console uses it at the end of its input, so that
// the last edits show.
func (tx *Tx) OutboxDueNow() (int, error) {
	var late []*OutboxItem
	err := scanJSON(tx, bucketOutbox, "", false, func(_ string, it *OutboxItem) error {
		if it.NotBefore.After(tx.now) && it.Attempts == 0 {
			late = append(late, it)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, it := range late {
		it.NotBefore = time.Time{}
		if err := tx.putJSON(bucketOutbox, pad(it.Seq), it); err != nil {
			return 0, err
		}
	}
	return len(late), nil
}
