package core_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/engage-org/engage/core"
)

// Ensure a slug made from a name is lowercase ASCII letters, digits and single
// dashes, and that ValidSlug accepts exactly those.
func TestSlugOf(t *testing.T) {
	cases := map[string]string{
		"Jardin d'Été":            "jardin-d-ete",
		"  Repair Café — Lyon 7":  "repair-cafe-lyon-7",
		"ÇA VA ?!":                "ca-va",
		"日本":                      "",
		"a":                       "a",
		strings.Repeat("ab ", 30): strings.TrimRight(strings.Repeat("ab-", 13)+"a", "-"),
	}
	for name, want := range cases {
		if got := core.SlugOf(name); got != want {
			t.Errorf("SlugOf(%q) = %q, want %q", name, got, want)
		}
	}
	for s, ok := range map[string]bool{
		"jardin": true, "jardin-2": true, "a": true, "2026": true,
		"": false, "-jardin": false, "jardin-": false, "jar--din": false, "Jardin": false,
		"jardin_ete": false, "jardin/ete": false, "jardín": false, strings.Repeat("a", 41): false, strings.Repeat("a", 40): true,
	} {
		if core.ValidSlug(s) != ok {
			t.Errorf("ValidSlug(%q) = %v", s, !ok)
		}
	}
}

// Ensure whatever a name holds, its slug is empty or valid.
func FuzzSlugOf(f *testing.F) {
	for _, s := range []string{"Jardin d'Été", "--", "a-b", "Ωmega 3", "x\u0301y", strings.Repeat("é", 50)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if !utf8.ValidString(name) {
			return
		}
		if s := core.SlugOf(name); s != "" && !core.ValidSlug(s) {
			t.Fatalf("SlugOf(%q) = %q: not a valid slug", name, s)
		}
	})
}

// Ensure publishing: admins only, a slug from the name or given, unique across
// communities, a taken one refused, off keeps the slug and hides the pages.
func TestPublish(t *testing.T) {
	e, _ := newEngine(t)
	c, admin := community(t, e)
	bob := member(t, e, c, "bob")
	if code := refused(t, e, func(tx *core.Tx) error { _, err := tx.Publish(bob, true, ""); return err }); code != core.CodeForbidden {
		t.Fatalf("member: %q", code)
	}
	update(t, e, func(tx *core.Tx) error {
		got, err := tx.Publish(admin, true, "")
		if err != nil || got.Slug != "club" || !got.Published {
			t.Fatalf("publish: %+v %v", got, err)
		}
		return nil
	})
	// Another community named alike gets a number; it may not take "club".
	var other *core.Member
	update(t, e, func(tx *core.Tx) error {
		p, err := tx.ResolveIdentity("test", "zoe", "Zoe", "zoe")
		if err != nil {
			return err
		}
		c2, err := tx.CreateCommunity(p.ID, core.ChatRef{Platform: "test", ChatID: "g2"}, false, "Club", "", "")
		if err != nil {
			return err
		}
		other, err = tx.Member(c2.ID, p.ID)
		return err
	})
	if code := refused(t, e, func(tx *core.Tx) error { _, err := tx.Publish(other, true, "club"); return err }); code != core.CodeConflict {
		t.Fatalf("taken slug: %q", code)
	}
	if code := refused(t, e, func(tx *core.Tx) error { _, err := tx.Publish(other, true, "Club!"); return err }); code != core.CodeInvalid {
		t.Fatalf("bad slug: %q", code)
	}
	update(t, e, func(tx *core.Tx) error {
		got, err := tx.Publish(other, true, "")
		if err != nil || got.Slug != "club-2" {
			t.Fatalf("second club: %+v %v", got, err)
		}
		if _, err := tx.Publish(admin, false, ""); err != nil {
			return err
		}
		if _, err := tx.PublishedCommunity("club"); core.ErrorCode(err) != core.CodeNotFound {
			t.Fatalf("unpublished: %v", err)
		}
		if got, err := tx.PublishedCommunity("club-2"); err != nil || got.ID != other.Community {
			t.Fatalf("club-2: %v %v", got, err)
		}
		for _, bad := range []string{"", "nobody", "../club", "CLUB"} {
			if _, err := tx.PublishedCommunity(bad); core.ErrorCode(err) != core.CodeNotFound {
				t.Fatalf("%q: %v", bad, err)
			}
		}
		got, err = tx.Publish(admin, true, "")
		if err != nil || got.Slug != "club" {
			t.Fatalf("publish again keeps the slug: %+v %v", got, err)
		}
		return nil
	})
}

// Ensure a community's data version changes with a change to its records, not
// with another community's, and not with bookkeeping alone.
func TestDataVersion(t *testing.T) {
	e, _ := newEngine(t)
	c, admin := community(t, e)
	v0 := e.DataVersion(c.ID)
	update(t, e, func(tx *core.Tx) error { _, err := tx.CreateProject(admin, "Garden", ""); return err })
	v1 := e.DataVersion(c.ID)
	if v1 == v0 {
		t.Fatal("a new project left the version")
	}
	update(t, e, func(tx *core.Tx) error { _, err := tx.ButtonToken("/projects"); return err })
	if e.DataVersion(c.ID) != v1 {
		t.Fatal("a button token changed the version")
	}
	if _, err := e.Update(t.Context(), func(tx *core.Tx) error {
		if _, err := tx.CreateProject(admin, "Refused", ""); err != nil {
			return err
		}
		return core.Errorf(core.CodeInvalid, "err.missing", "what", "x")
	}); err == nil {
		t.Fatal("no error")
	}
	if e.DataVersion(c.ID) != v1 {
		t.Fatal("a rolled-back change moved the version")
	}
	if e.DataVersion("c99") != e.DataVersion("c98") {
		t.Fatal("communities without changes differ")
	}
	member(t, e, c, "bob")
	if e.DataVersion(c.ID) == v1 {
		t.Fatal("a new member left the version")
	}
	update(t, e, func(tx *core.Tx) error {
		if n, err := tx.CountMembers(c.ID); err != nil || n != 2 {
			t.Fatalf("CountMembers: %d %v", n, err)
		}
		if n, err := tx.CountMembers("c99"); err != nil || n != 0 {
			t.Fatalf("CountMembers of none: %d %v", n, err)
		}
		return nil
	})
}
