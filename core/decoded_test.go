package core_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
)

// Ensure an engine's decoded communities and polls never hide a change another
// engine on the same store made (a second instance on PostgreSQL), nor a change
// of its own transaction that failed.
func TestDecoded_OtherWritersSeen(t *testing.T) {
	e, _ := newEngine(t)
	c, alice := community(t, e)
	openPoll(t, e, alice, core.PollSpec{Method: tally.Single, Question: "Lunch?", Options: opts("Pizza", "Salad")})
	other := core.New(e.Store(), nil)
	readName := func(e *core.Engine) (name string, ballots int) {
		t.Helper()
		if err := e.View(t.Context(), func(tx *core.Tx) error {
			cc, err := tx.Community(c.ID)
			if err != nil {
				return err
			}
			p, err := tx.Poll(c.ID, "V1")
			if err != nil {
				return err
			}
			name, ballots = cc.Name+"/"+p.Question, p.Ballots()
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return name, ballots
	}
	if name, _ := readName(e); name != "Club/Lunch?" {
		t.Fatalf("got %q", name)
	}
	// The other engine publishes the community (its record changes) and a
	// member votes there.
	update(t, other, func(tx *core.Tx) error {
		m, err := tx.Member(c.ID, alice.Person)
		if err != nil {
			return err
		}
		_, err = tx.Publish(m, true, "club-a")
		return err
	})
	vote(t, other, member(t, other, c, "bob"), "V1", 0, 1)
	if err := e.View(t.Context(), func(tx *core.Tx) error {
		cc, err := tx.Community(c.ID)
		if err == nil && (!cc.Published || cc.Slug != "club-a") {
			t.Errorf("the first engine reads %+v, not the published community", cc)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, ballots := readName(e); ballots != 1 {
		t.Fatalf("the first engine counts %d ballots, want 1", ballots)
	}
	// A change made in a transaction that fails is not seen either, and a copy
	// changed by its reader leaves the next reader's alone.
	if _, err := e.Update(t.Context(), func(tx *core.Tx) error {
		p, err := tx.Poll(c.ID, "V1")
		if err != nil {
			return err
		}
		p.Question = "changed in place"
		cc, _ := tx.Community(c.ID)
		cc.Name = "changed in place"
		return core.Errorf(core.CodeInvalid, "err.internal")
	}); err == nil {
		t.Fatal("the failing update did not fail")
	}
	if name, _ := readName(e); name != "Club/Lunch?" {
		t.Fatalf("got %q after a failed change and changed copies", name)
	}
}

// Ensure a poll written before its running tally had a record of its own (the
// tally inside the poll's record) is read with that tally, and goes on counting
// from it.
func TestPoll_TallyInsideOlderRecord(t *testing.T) {
	e, _ := newEngine(t)
	c, alice := community(t, e)
	bob, carol := member(t, e, c, "bob"), member(t, e, c, "carol")
	p := openPoll(t, e, alice, core.PollSpec{Method: tally.Single, Question: "Lunch?", Options: opts("Pizza", "Salad")})
	vote(t, e, bob, p.ID(), 1, 0)
	// Write the poll as the earlier release did: one record, tally inside.
	old := poll(t, e, c.ID, "V1")
	raw, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	k := string(c.ID) + "/000000000001"
	if err := e.Store().Update(t.Context(), func(kv core.StoreTx) error {
		if err := kv.Delete("live", k); err != nil {
			return err
		}
		return kv.Put("poll", k, raw)
	}); err != nil {
		t.Fatal(err)
	}
	if got := poll(t, e, c.ID, "V1").Live; got.Ballots != 1 || !cmp.Equal(got.Counts, []int{1, 0}) {
		t.Fatalf("read %d ballots %v from the older record, want 1 [1 0]", got.Ballots, got.Counts)
	}
	vote(t, e, carol, p.ID(), 0, 1)
	if got := poll(t, e, c.ID, "V1").Live; got.Ballots != 2 || !cmp.Equal(got.Counts, []int{1, 1}) {
		t.Fatalf("got %d ballots %v, want 2 [1 1]", got.Ballots, got.Counts)
	}
	var polls []*core.Poll
	if err := e.View(t.Context(), func(tx *core.Tx) error {
		var err error
		polls, err = tx.Polls(c.ID, false)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(polls) != 1 || polls[0].Live.Ballots != 2 {
		t.Fatalf("Polls gives %d polls, the first with %+v", len(polls), polls[0].Live)
	}
}
