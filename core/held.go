package core

import (
	"strings"
	"time"
)

// Some platforms refuse a direct message to a person until that person opens a
// conversation with the bot (Telegram: "bot can't initiate conversation with a
// user"). Such a message is not lost: it is held in the outbox under the person's
// platform account and released, due at once, the next time they write to the bot.

// HoldKey names the holds of one platform account.
func HoldKey(platform, userID string) string { return key(platform, userID) }

// HoldOutbox parks the waiting message seq under hold (see HoldKey) until
// ReleaseHeld(hold), or until `until`, when it is tried again. A hold is not a
// failed attempt. It reports whether seq is the only message held under hold, that
// is, whether the person is yet to be told that a message waits for them.
func (tx *Tx) HoldOutbox(seq uint64, hold string, until time.Time) (first bool, err error) {
	it := new(OutboxItem)
	err = tx.getJSON(bucketOutbox, pad(seq), it)
	if ok, err := found(err); err != nil || !ok {
		return false, err
	}
	if hold == "" {
		return false, Internal("hold outbox", Errorf(CodeInternal, "empty hold"))
	}
	mine := key(hold, pad(seq))
	first = true
	err = tx.kv.Scan(bucketHeld, hold+"/", false, func(k string, _ []byte) error {
		if k != mine {
			first = false
			return ErrStop
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	if it.Hold != "" && it.Hold != hold {
		if err := tx.kv.Delete(bucketHeld, key(it.Hold, pad(seq))); err != nil {
			return false, err
		}
	}
	it.Hold, it.NotBefore = hold, until
	if err := tx.putJSON(bucketOutbox, pad(seq), it); err != nil {
		return false, err
	}
	return first, tx.kv.Put(bucketHeld, mine, []byte{1})
}

// ReleaseHeld makes every message held under hold due now, and returns how many
// it released. It counts them in Enqueued, so the caller wakes the dispatcher.
func (tx *Tx) ReleaseHeld(hold string) (int, error) {
	var seqs []string
	err := tx.kv.Scan(bucketHeld, hold+"/", false, func(k string, _ []byte) error {
		seqs = append(seqs, strings.TrimPrefix(k, hold+"/"))
		return nil
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, seq := range seqs {
		if err := tx.kv.Delete(bucketHeld, key(hold, seq)); err != nil {
			return n, err
		}
		it := new(OutboxItem)
		err := tx.getJSON(bucketOutbox, seq, it)
		if ok, err := found(err); err != nil {
			return n, err
		} else if !ok {
			continue
		}
		it.Hold, it.NotBefore = "", tx.now
		if err := tx.putJSON(bucketOutbox, seq, it); err != nil {
			return n, err
		}
		n++
	}
	tx.Enqueued += n
	return n, nil
}

// PersonByAccount returns the person behind a platform account without creating or
// recording anything, for read-only lookups (an adapter completing an ID as it is
// typed, a held message). Returns CodeNotFound ("err.no_member") for an account
// never seen (or forgotten).
func (tx *Tx) PersonByAccount(platform, userID string) (*Person, error) {
	raw, err := tx.kv.Get(bucketIdent, key(platform, userID))
	if ok, err := found(err); err != nil {
		return nil, err
	} else if !ok {
		return nil, Errorf(CodeNotFound, "err.no_member")
	}
	return tx.Person(PersonID(raw))
}

// MoveChat records that a platform chat got a new ID (Telegram upgrades a group
// to a supergroup under a new ID): the community of chat from now lives in chat
// to. It reports whether it moved anything: not when from belongs to no community,
// nor when to already belongs to one (the move was recorded before).
func (tx *Tx) MoveChat(platform, from, to string) (bool, error) {
	c, err := tx.CommunityByChat(platform, from)
	if ErrorCode(err) == CodeNotFound {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if _, err := tx.CommunityByChat(platform, to); err == nil {
		return false, nil
	} else if ErrorCode(err) != CodeNotFound {
		return false, err
	}
	for i, ch := range c.Chats {
		if ch.Platform == platform && ch.ChatID == from {
			c.Chats[i].ChatID = to
		}
	}
	if err := tx.putCommunity(c); err != nil {
		return false, err
	}
	if err := tx.kv.Delete(bucketChat, key(platform, from)); err != nil {
		return false, err
	}
	return true, tx.kv.Put(bucketChat, key(platform, to), []byte(c.ID))
}
