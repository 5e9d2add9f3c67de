package core_test

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/store/boltstore"
)

var start = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// newEngine returns an engine on a real bbolt file with a clock the test moves.
func newEngine(t *testing.T) (*core.Engine, *time.Time) {
	t.Helper()
	db, err := boltstore.Open(filepath.Join(t.TempDir(), "bolt.db"), boltstore.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
	now := start
	return core.New(db, func() time.Time { return now }), &now
}

// update runs fn and fails the test on an error.
func update(t *testing.T, e *core.Engine, fn func(tx *core.Tx) error) {
	t.Helper()
	if _, err := e.Update(t.Context(), fn); err != nil {
		t.Fatal(err)
	}
}

// refused runs fn and returns its error code.
func refused(t *testing.T, e *core.Engine, fn func(tx *core.Tx) error) core.Code {
	t.Helper()
	_, err := e.Update(t.Context(), fn)
	return core.ErrorCode(err)
}

// community makes a community with alice as admin and returns her membership.
func community(t *testing.T, e *core.Engine) (*core.Community, *core.Member) {
	t.Helper()
	var c *core.Community
	var m *core.Member
	update(t, e, func(tx *core.Tx) error {
		p, err := tx.ResolveIdentity("test", "alice", "Alice", "alice")
		if err != nil {
			return err
		}
		if c, err = tx.CreateCommunity(p.ID, core.ChatRef{Platform: "test", ChatID: "g"}, false, "Club", "Europe/Paris", "fr"); err != nil {
			return err
		}
		m, err = tx.Member(c.ID, p.ID)
		return err
	})
	return c, m
}

func member(t *testing.T, e *core.Engine, c *core.Community, user string) *core.Member {
	t.Helper()
	var m *core.Member
	update(t, e, func(tx *core.Tx) error {
		p, err := tx.ResolveIdentity("test", user, user, user)
		if err != nil {
			return err
		}
		m, err = tx.Touch(c.ID, p.ID)
		return err
	})
	return m
}

// Ensure communities validate their settings and a chat belongs to one community.
func TestCreateCommunity(t *testing.T) {
	e, _ := newEngine(t)
	c, alice := community(t, e)
	if c.ID != "c1" || alice.Role != core.RoleAdmin || c.Location().String() != "Europe/Paris" {
		t.Fatalf("got %+v, %+v", c, alice)
	}
	tests := []struct {
		name               string
		chat, title, tz, l string
		direct             bool
		want               core.Code
	}{
		{"ErrChatTaken", "g", "Other", "", "", false, core.CodeConflict},
		{"ErrDirect", "dm", "Other", "", "", true, core.CodeConflict},
		{"ErrNoName", "h", "  ", "", "", false, core.CodeInvalid},
		{"ErrBadZone", "h", "X", "Mars/Olympus", "", false, core.CodeInvalid},
		{"ErrBadLang", "h", "X", "", "de", false, core.CodeInvalid},
		{"OK", "h", "Second", "", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := refused(t, e, func(tx *core.Tx) error {
				_, err := tx.CreateCommunity(alice.Person, core.ChatRef{Platform: "test", ChatID: tt.chat}, tt.direct, tt.title, tt.tz, tt.l)
				return err
			})
			if got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// Ensure short IDs are read case-insensitively and malformed ones are refused.
func TestParseShortID(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
		ok   bool
	}{{"P1", 1, true}, {"p12", 12, true}, {"P0", 0, false}, {"P-3", 0, false}, {"V1", 0, false}, {"P", 0, false}, {"P1x", 0, false}, {"P99999999999999999999", 0, false}} {
		n, err := core.ParseShortID('P', tt.in)
		if (err == nil) != tt.ok || n != tt.want {
			t.Errorf("%q: got %d, %v; want %d, ok=%v", tt.in, n, err, tt.want, tt.ok)
		}
	}
}

// Ensure project rules: referents, stages, next steps in the past, and another
// community's project not found.
func TestProjects(t *testing.T) {
	e, now := newEngine(t)
	c, alice := community(t, e)
	bob := member(t, e, c, "bob")
	var p *core.Project
	update(t, e, func(tx *core.Tx) error {
		var err error
		p, err = tx.CreateProject(bob, "Garden", "")
		return err
	})
	if p.ID() != "P1" || !slices.Equal(p.Referents, []core.PersonID{bob.Person}) {
		t.Fatalf("got %+v", p)
	}
	eve := member(t, e, c, "eve")
	get := func(tx *core.Tx) *core.Project {
		p, err := tx.Project(c.ID, "p1")
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if code := refused(t, e, func(tx *core.Tx) error { return tx.SetStage(eve, get(tx), core.StageSupport) }); code != core.CodeForbidden {
		t.Errorf("member moving a stage: got %q", code)
	}
	update(t, e, func(tx *core.Tx) error { return tx.SetStage(alice, get(tx), core.StageSupport) })
	if code := refused(t, e, func(tx *core.Tx) error {
		return tx.SetNextStep(bob, get(tx), "Dig", now.Add(-time.Hour), true)
	}); code != core.CodeInvalid {
		t.Errorf("a past due date: got %q", code)
	}
	update(t, e, func(tx *core.Tx) error { return tx.SetNextStep(bob, get(tx), "Dig", now.Add(48*time.Hour), false) })
	// Another community has no P1 of ours.
	update(t, e, func(tx *core.Tx) error {
		_, err := tx.CreateCommunity(alice.Person, core.ChatRef{Platform: "test", ChatID: "other"}, false, "Other", "", "")
		return err
	})
	if code := refused(t, e, func(tx *core.Tx) error { _, err := tx.Project("c2", "P1"); return err }); code != core.CodeNotFound {
		t.Errorf("another community's ID: got %q", code)
	}
	update(t, e, func(tx *core.Tx) error {
		p := get(tx)
		if p.Stage != core.StageSupport || p.NextStep == nil || p.NextStep.Shared {
			t.Errorf("got %+v", p)
		}
		return nil
	})
}

// Ensure the last admin cannot step down and only admins give roles.
func TestSetRole(t *testing.T) {
	e, _ := newEngine(t)
	c, alice := community(t, e)
	bob := member(t, e, c, "bob")
	if code := refused(t, e, func(tx *core.Tx) error { _, err := tx.SetRole(bob, alice.Person, core.RoleMember); return err }); code != core.CodeForbidden {
		t.Errorf("member giving a role: got %q", code)
	}
	if code := refused(t, e, func(tx *core.Tx) error { _, err := tx.SetRole(alice, alice.Person, core.RoleMember); return err }); code != core.CodeConflict {
		t.Errorf("last admin stepping down: got %q", code)
	}
	update(t, e, func(tx *core.Tx) error { _, err := tx.SetRole(alice, bob.Person, core.RoleAdmin); return err })
	update(t, e, func(tx *core.Tx) error { _, err := tx.SetRole(alice, alice.Person, core.RoleMember); return err })
}

// Ensure linking merges memberships (keeping the higher role), follows and referent
// places, and a code works once and expires.
func TestLink(t *testing.T) {
	e, now := newEngine(t)
	c, alice := community(t, e)
	var code string
	update(t, e, func(tx *core.Tx) error {
		p, _ := tx.Person(alice.Person)
		pr, err := tx.CreateProject(alice, "Garden", "")
		if err != nil {
			return err
		}
		if err := tx.Follow(alice, pr, true); err != nil {
			return err
		}
		code, err = tx.LinkCode(p)
		return err
	})
	var other *core.Person
	update(t, e, func(tx *core.Tx) error {
		var err error
		if other, err = tx.ResolveIdentity("slack", "U1", "Alice S", "alice"); err != nil {
			return err
		}
		if _, err := tx.Touch(c.ID, other.ID); err != nil {
			return err
		}
		_, err = tx.Link(other, code)
		return err
	})
	update(t, e, func(tx *core.Tx) error {
		p, err := tx.ResolveIdentity("slack", "U1", "Alice S", "alice")
		if err != nil {
			return err
		}
		if p.ID != alice.Person || len(p.Identities) != 2 {
			t.Errorf("slack identity resolves to %s with %d identities", p.ID, len(p.Identities))
		}
		ms, _ := tx.Members(c.ID)
		if len(ms) != 1 || ms[0].Role != core.RoleAdmin {
			t.Errorf("members after link: %+v", ms)
		}
		return nil
	})
	if code := refused(t, e, func(tx *core.Tx) error { _, err := tx.Link(other, code); return err }); code != core.CodeNotFound {
		t.Errorf("reused code: got %q", code)
	}
	update(t, e, func(tx *core.Tx) error {
		p, _ := tx.Person(alice.Person)
		var err error
		code, err = tx.LinkCode(p)
		return err
	})
	*now = now.Add(16 * time.Minute)
	if c := refused(t, e, func(tx *core.Tx) error {
		p, _ := tx.ResolveIdentity("discord", "D1", "x", "")
		_, err := tx.Link(p, code)
		return err
	}); c != core.CodeNotFound {
		t.Errorf("expired code: got %q", c)
	}
}

// Ensure /find matches every word, without case or accents, newest first.
func TestFind(t *testing.T) {
	e, now := newEngine(t)
	c, alice := community(t, e)
	update(t, e, func(tx *core.Tx) error {
		p, err := tx.CreateProject(alice, "Jardin partagé", "")
		if err != nil {
			return err
		}
		if _, err := tx.PostNews(alice, p, "Les premières ÉTAPES du potager"); err != nil {
			return err
		}
		*now = now.Add(time.Hour)
		_, err = tx.PostNews(alice, p, "Étapes suivantes: récolte")
		return err
	})
	var hits []core.SearchEntry
	update(t, e, func(tx *core.Tx) error {
		var err error
		hits, err = tx.Find(c.ID, "etapes JARDIN")
		return err
	})
	if len(hits) != 2 || hits[0].Text != "Étapes suivantes: récolte" || hits[0].Title != "Jardin partagé" {
		t.Fatalf("got %+v", hits)
	}
	if code := refused(t, e, func(tx *core.Tx) error { _, err := tx.Find(c.ID, " !! "); return err }); code != core.CodeInvalid {
		t.Fatalf("empty query: got %q", code)
	}
}

// Ensure /forgetme leaves no name, identity, membership or follow behind.
func TestForget(t *testing.T) {
	e, _ := newEngine(t)
	c, alice := community(t, e)
	bob := member(t, e, c, "bob")
	update(t, e, func(tx *core.Tx) error {
		pr, err := tx.CreateProject(alice, "Garden", "")
		if err != nil {
			return err
		}
		if err := tx.Follow(bob, pr, true); err != nil {
			return err
		}
		p, _ := tx.Person(bob.Person)
		return tx.Forget(p)
	})
	update(t, e, func(tx *core.Tx) error {
		p, err := tx.Person(bob.Person)
		if err != nil || p.Name != "" || len(p.Identities) != 0 {
			t.Errorf("person after forget: %+v, %v", p, err)
		}
		if _, err := tx.Member(c.ID, bob.Person); core.ErrorCode(err) != core.CodeNotFound {
			t.Errorf("membership after forget: %v", err)
		}
		pr, _ := tx.Project(c.ID, "P1")
		if len(pr.Followers) != 0 {
			t.Errorf("followers after forget: %v", pr.Followers)
		}
		// The same account writing again is a new person.
		again, _ := tx.ResolveIdentity("test", "bob", "bob", "bob")
		if again.ID == bob.Person {
			t.Error("the forgotten identity still resolves to the old person")
		}
		return nil
	})
}

// Ensure errors carry their code and message key through wrapping.
func TestErrors(t *testing.T) {
	err := core.Errorf(core.CodeNotFound, "err.no_project", "id", "P3")
	wrapped := errors.Join(errors.New("context"), err)
	if core.ErrorCode(wrapped) != core.CodeNotFound {
		t.Fatalf("got %q", core.ErrorCode(wrapped))
	}
	if key, args := core.ErrorMessage(wrapped); key != "err.no_project" || args["id"] != "P3" {
		t.Fatalf("got %q %v", key, args)
	}
	if core.ErrorCode(errors.New("boom")) != core.CodeInternal || core.ErrorCode(nil) != "" {
		t.Fatal("plain errors are internal, nil has no code")
	}
	if key, _ := core.ErrorMessage(core.Internal("op", errors.New("secret detail"))); key != "" {
		t.Fatal("an internal error must not show its detail")
	}
}
