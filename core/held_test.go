package core_test

import (
	"testing"
	"time"

	"github.com/engage-org/engage/core"
)

// Ensure a held message is not due until released, the first hold of an account
// is reported once, a release makes every held message due at once, and sending
// a held message clears its hold.
func TestHoldAndRelease(t *testing.T) {
	e, now := newEngine(t)
	hold := core.HoldKey("telegram", "42")
	update(t, e, func(tx *core.Tx) error {
		for range 3 {
			if err := tx.Enqueue("telegram", []byte(`{}`), "", time.Time{}); err != nil {
				return err
			}
		}
		return nil
	})
	var firsts []bool
	update(t, e, func(tx *core.Tx) error {
		for seq := uint64(1); seq <= 2; seq++ {
			first, err := tx.HoldOutbox(seq, hold, tx.Now().Add(7*24*time.Hour))
			if err != nil {
				return err
			}
			firsts = append(firsts, first)
		}
		// Held again (tried at the end of the hold): still the same episode.
		first, err := tx.HoldOutbox(1, hold, tx.Now().Add(time.Hour))
		firsts = append(firsts, first)
		return err
	})
	if firsts[0] != true || firsts[1] != false || firsts[2] != false {
		t.Fatalf("first holds %v, want [true false false]", firsts)
	}
	due := func() []uint64 {
		var seqs []uint64
		if err := e.View(t.Context(), func(tx *core.Tx) error {
			items, err := tx.Outbox("telegram", tx.Now(), 10)
			for _, it := range items {
				seqs = append(seqs, it.Seq)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return seqs
	}
	if got := due(); len(got) != 1 || got[0] != 3 {
		t.Fatalf("due %v, want only 3", got)
	}
	var n int
	update(t, e, func(tx *core.Tx) error {
		var err error
		if n, err = tx.ReleaseHeld(core.HoldKey("telegram", "4")); err != nil || n != 0 {
			t.Errorf("another account released %d", n)
		}
		n, err = tx.ReleaseHeld(hold)
		return err
	})
	if got := due(); n != 2 || len(got) != 3 {
		t.Fatalf("released %d, due %v; want 2 released, 3 due", n, got)
	}
	*now = now.Add(time.Minute)
	update(t, e, func(tx *core.Tx) error {
		if err := tx.OutboxSent(1); err != nil {
			return err
		}
		first, err := tx.HoldOutbox(2, hold, tx.Now().Add(time.Hour))
		if !first {
			t.Error("a hold after a release is not a new first")
		}
		return err
	})
	update(t, e, func(tx *core.Tx) error {
		if err := tx.OutboxSent(2); err != nil {
			return err
		}
		n, err := tx.ReleaseHeld(hold)
		if n != 0 {
			t.Errorf("a sent message was released again (%d)", n)
		}
		return err
	})
}

// Ensure a community follows its chat to a new ID, once, and a chat of no
// community moves nothing.
func TestMoveChat(t *testing.T) {
	e, _ := newEngine(t)
	c, _ := community(t, e)
	var moved []bool
	update(t, e, func(tx *core.Tx) error {
		for _, m := range [][2]string{{"g", "g2"}, {"g", "g2"}, {"nowhere", "g3"}} {
			ok, err := tx.MoveChat("test", m[0], m[1])
			if err != nil {
				return err
			}
			moved = append(moved, ok)
		}
		return nil
	})
	if !moved[0] || moved[1] || moved[2] {
		t.Fatalf("moved %v, want [true false false]", moved)
	}
	update(t, e, func(tx *core.Tx) error {
		got, err := tx.CommunityByChat("test", "g2")
		if err != nil {
			return err
		}
		if got.ID != c.ID || len(got.Chats) != 1 || got.Chats[0].ChatID != "g2" {
			t.Errorf("community after the move: %+v", got)
		}
		if _, err := tx.CommunityByChat("test", "g"); core.ErrorCode(err) != core.CodeNotFound {
			t.Errorf("the old chat still belongs to a community: %v", err)
		}
		return nil
	})
}
