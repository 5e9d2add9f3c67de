package core_test

import (
	"testing"
	"time"

	"github.com/engage-org/engage/core"
)

// Ensure the language model's switch is an admin's, and LLMInReach sees it from the
// community's chat and from its members' direct messages only.
func TestLLM_SwitchAndReach(t *testing.T) {
	e, _ := newEngine(t)
	c, alice := community(t, e)
	var bob *core.Member
	update(t, e, func(tx *core.Tx) error {
		p, err := tx.ResolveIdentity("test", "bob", "Bob", "bob")
		if err != nil {
			return err
		}
		bob, err = tx.Touch(c.ID, p.ID)
		if err != nil {
			return err
		}
		_, err = tx.ResolveIdentity("test", "zoe", "Zoe", "zoe") // in no community
		return err
	})
	reach := func(chat, user string, direct bool) bool {
		var ok bool
		if err := e.View(t.Context(), func(tx *core.Tx) error {
			var err error
			ok, err = tx.LLMInReach("test", chat, user, direct)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if reach("g", "bob", false) || reach("dm", "bob", true) {
		t.Fatal("in reach while off")
	}
	if code := refused(t, e, func(tx *core.Tx) error { _, err := tx.SetLLM(bob, true); return err }); code != core.CodeForbidden {
		t.Fatalf("a member switched it: %q", code)
	}
	update(t, e, func(tx *core.Tx) error { _, err := tx.SetLLM(alice, true); return err })
	for _, tt := range []struct {
		chat, user string
		direct     bool
		want       bool
	}{
		{"g", "bob", false, true}, {"dm", "bob", true, true}, {"dm", "zoe", true, false},
		{"dm", "nobody", true, false}, {"other-group", "bob", false, false},
	} {
		if got := reach(tt.chat, tt.user, tt.direct); got != tt.want {
			t.Errorf("%+v: got %v", tt, got)
		}
	}
}

// Ensure calls are counted per community and month, in the community's zone.
func TestLLM_CountCalls(t *testing.T) {
	e, now := newEngine(t)
	c, _ := community(t, e) // Europe/Paris
	count := func() (n int) {
		update(t, e, func(tx *core.Tx) error {
			var err error
			n, err = tx.CountLLMCall(c)
			return err
		})
		return n
	}
	if a, b := count(), count(); a != 1 || b != 2 {
		t.Fatalf("counts %d %d", a, b)
	}
	*now = time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC) // already January in Paris
	if n := count(); n != 1 {
		t.Errorf("a new month in Paris: got %d, want 1", n)
	}
}
