package core_test

import (
	"testing"
	"time"

	"github.com/engage-org/engage/core"
)

// meetingTomorrow dates meeting M1 tomorrow at 19:00 (UTC), by actor.
func meetingTomorrow(t *testing.T, e *core.Engine, actor *core.Member) {
	t.Helper()
	update(t, e, func(tx *core.Tx) error {
		_, err := tx.CreateMeeting(actor, start.Add(34*time.Hour), false, "AGM")
		return err
	})
}

// proxyOf returns who holds giver's proxy for M1 ("" for none).
func proxyOf(t *testing.T, e *core.Engine, c *core.Community, giver core.PersonID) core.PersonID {
	t.Helper()
	var holder core.PersonID
	update(t, e, func(tx *core.Tx) error {
		m, err := tx.Meeting(c.ID, "M1")
		if err != nil {
			return err
		}
		px, err := tx.ProxyOf(m, giver)
		if px != nil {
			holder = px.Holder
		}
		return err
	})
	return holder
}

// Ensure proxies follow a person: forgetting the giver or the holder drops the
// proxy, and linking two accounts moves it to the account kept.
func TestProxies_ForgetAndLink(t *testing.T) {
	e, _ := newEngine(t)
	c, alice := community(t, e)
	bob, carol, dan := member(t, e, c, "bob"), member(t, e, c, "carol"), member(t, e, c, "dan")
	meetingTomorrow(t, e, alice)
	give := func(giver, holder *core.Member) {
		update(t, e, func(tx *core.Tx) error {
			m, err := tx.Meeting(c.ID, "M1")
			if err != nil {
				return err
			}
			_, _, err = tx.GiveProxy(giver, m, holder, 0, time.UTC)
			return err
		})
	}
	give(bob, carol)
	give(dan, carol)
	update(t, e, func(tx *core.Tx) error {
		p, _ := tx.Person(dan.Person)
		return tx.Forget(p)
	})
	if h := proxyOf(t, e, c, dan.Person); h != "" {
		t.Fatalf("a forgotten giver's proxy is held by %s", h)
	}
	if h := proxyOf(t, e, c, bob.Person); h != carol.Person {
		t.Fatalf("bob's proxy moved to %q", h)
	}
	// carol links a second account made on another platform: the proxy she
	// holds stays hers whichever account is kept.
	var code string
	update(t, e, func(tx *core.Tx) error {
		p, _ := tx.Person(carol.Person)
		var err error
		code, err = tx.LinkCode(p)
		return err
	})
	update(t, e, func(tx *core.Tx) error {
		other, err := tx.ResolveIdentity("slack", "U9", "Carol S", "carol")
		if err != nil {
			return err
		}
		if _, err := tx.Touch(c.ID, other.ID); err != nil {
			return err
		}
		_, err = tx.Link(other, code)
		return err
	})
	if h := proxyOf(t, e, c, bob.Person); h != carol.Person {
		t.Fatalf("after the link bob's proxy is held by %q, want carol %q", h, carol.Person)
	}
	update(t, e, func(tx *core.Tx) error {
		p, _ := tx.Person(carol.Person)
		return tx.Forget(p)
	})
	if h := proxyOf(t, e, c, bob.Person); h != "" {
		t.Fatalf("a forgotten holder still holds bob's proxy")
	}
}

// Ensure who is present or represented: a member recorded present, and a member
// whose proxy is held by one; a proxy held by an absent member represents nobody.
func TestProxies_Represented(t *testing.T) {
	e, now := newEngine(t)
	c, alice := community(t, e)
	bob, carol, dan, erin := member(t, e, c, "bob"), member(t, e, c, "carol"), member(t, e, c, "dan"), member(t, e, c, "erin")
	meetingTomorrow(t, e, alice)
	update(t, e, func(tx *core.Tx) error {
		m, err := tx.Meeting(c.ID, "M1")
		if err != nil {
			return err
		}
		if _, _, err := tx.GiveProxy(carol, m, bob, 0, time.UTC); err != nil {
			return err
		}
		_, _, err = tx.GiveProxy(erin, m, dan, 0, time.UTC)
		return err
	})
	*now = start.Add(34*time.Hour + 5*time.Minute)
	update(t, e, func(tx *core.Tx) error {
		m, err := tx.Meeting(c.ID, "M1")
		if err != nil {
			return err
		}
		_, err = tx.MarkPresent(alice, m, []core.PersonID{bob.Person})
		return err
	})
	update(t, e, func(tx *core.Tx) error {
		for who, want := range map[*core.Member]bool{bob: true, carol: true, dan: false, erin: false, alice: false} {
			got, err := tx.PresentOrRepresented(c.ID, "M1", who.Person)
			if err != nil {
				return err
			}
			if got != want {
				t.Errorf("%s present or represented: %v, want %v", who.Person, got, want)
			}
		}
		n, err := tx.PresentCount(c.ID, "M1")
		if n != 2 {
			t.Errorf("present count %d, want 2", n)
		}
		return err
	})
	// Over: no proxy can be given any more.
	*now = start.Add(40 * time.Hour)
	if code := refused(t, e, func(tx *core.Tx) error {
		m, err := tx.Meeting(c.ID, "M1")
		if err != nil {
			return err
		}
		_, _, err = tx.GiveProxy(alice, m, bob, 0, time.UTC)
		return err
	}); code != core.CodeConflict {
		t.Fatalf("a proxy after the meeting: %q", code)
	}
}

// Ensure a ballot cast by proxy follows its holder: when the holder's account is
// linked into another, the ballot says the kept account cast it, so that erasing
// that person erases them from it too.
func TestProxies_HolderLinkedThenForgotten(t *testing.T) {
	e, _ := newEngine(t)
	c, alice := community(t, e)
	bob, carol, dave := member(t, e, c, "bob"), member(t, e, c, "carol"), member(t, e, c, "dave")
	meetingTomorrow(t, e, alice)
	update(t, e, func(tx *core.Tx) error {
		m, err := tx.Meeting(c.ID, "M1")
		if err != nil {
			return err
		}
		if _, _, err := tx.GiveProxy(bob, m, dave, 0, time.UTC); err != nil {
			return err
		}
		spec := core.PollSpec{Method: "single", Question: "Budget?", Options: []core.PollOption{{Label: "Yes"}, {Label: "No"}}}
		spec.Settings.Meeting = "M1"
		p, err := tx.OpenPoll(alice, spec)
		if err != nil {
			return err
		}
		_, err = tx.VoteFor(dave, bob, p, []int{1, 0})
		return err
	})
	// dave's account is linked into carol's person, who is then forgotten.
	update(t, e, func(tx *core.Tx) error {
		p, err := tx.Person(carol.Person)
		if err != nil {
			return err
		}
		code, err := tx.LinkCode(p)
		if err != nil {
			return err
		}
		d, err := tx.Person(dave.Person)
		if err != nil {
			return err
		}
		_, err = tx.Link(d, code)
		return err
	})
	ballots := func() []core.BallotSnapshot {
		var out []core.BallotSnapshot
		update(t, e, func(tx *core.Tx) error {
			s, err := tx.Snapshot()
			if err != nil {
				return err
			}
			out = s.Communities[0].Polls[0].BallotList
			return nil
		})
		return out
	}
	if b := ballots(); len(b) != 1 || b[0].By != "carol" {
		t.Fatalf("ballots after the holder's account was linked into carol's: %+v", b)
	}
	update(t, e, func(tx *core.Tx) error {
		p, err := tx.Person(carol.Person)
		if err != nil {
			return err
		}
		return tx.Forget(p)
	})
	if b := ballots(); len(b) != 1 || b[0].By != "" {
		t.Fatalf("ballots after the holder was forgotten: %+v", b)
	}
}
