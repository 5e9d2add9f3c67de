package bots_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/core"
	"github.com/google/go-cmp/cmp"
)

// Ensure /community publish: admins open the pages under a slug made from the
// name, or one they give; a member is refused; a malformed slug and another
// community's slug are refused and change nothing.
func TestCommunityPublish(t *testing.T) {
	e := botstest.NewEnv(t, botstest.Options{NoSync: true, Tune: func(c *bots.Config) { c.WebURL = "https://engage.example.org/" }})
	e.Say("alice", "/community create Jardin d'Été")
	e.Say("bob", "/help")
	// A second community, in another chat, holds "les-lilas".
	other := e.Event("zoe", "/community create Les Lilas")
	other.ChatID = "group-2"
	e.Handle(other)
	pub := e.Event("zoe", "/community publish on")
	pub.ChatID = "group-2"
	e.Handle(pub)

	state := func() string {
		var out string
		if err := e.Engine.View(context.Background(), func(tx *core.Tx) error {
			for _, id := range []core.CommunityID{"c1", "c2"} {
				c, err := tx.Community(id)
				if err != nil {
					return err
				}
				out += fmt.Sprintf("%s %q %v; ", c.ID, c.Slug, c.Published)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	before, pages := e.Snapshot(), state()
	if pages != `c1 "" false; c2 "les-lilas" true; ` {
		t.Fatalf("before: %s", pages)
	}
	refusals := []struct{ user, text, want string }{
		{"bob", "/community publish on", "Only admins"},
		{"bob", "/community publish off", "Only admins"},
		{"alice", "/community publish on slug Jardin_Été", "lowercase letters"},
		{"alice", "/community publish on slug -jardin", "lowercase letters"},
		{"alice", "/community publish on slug " + strings.Repeat("a", 41), "lowercase letters"},
		{"alice", "/community publish on slug les-lilas", "taken by another community"},
		{"alice", "/community publish maybe", "/community"},
		{"alice", "/community publish on slug", "/community"},
	}
	for _, r := range refusals {
		out := strings.Join(botstest.Texts(e.Say(r.user, r.text)), "\n")
		if !strings.Contains(out, r.want) {
			t.Errorf("%s %q: got %q, want %q", r.user, r.text, out, r.want)
		}
	}
	if diff := cmp.Diff(before.Communities, e.Snapshot().Communities); diff != "" {
		t.Fatalf("refusals changed the communities:\n%s", diff)
	}
	if got := state(); got != pages {
		t.Fatalf("refusals changed the pages: %s", got)
	}
	if out := botstest.Texts(e.Say("alice", "/community publish on")); !strings.Contains(out[0], "https://engage.example.org/c/jardin-d-ete") {
		t.Fatalf("publish on: %q", out)
	}
	if out := botstest.Texts(e.Say("alice", "/community publish on slug jardin")); !strings.Contains(out[0], "https://engage.example.org/c/jardin") {
		t.Fatalf("publish on slug: %q", out)
	}
	if out := botstest.Texts(e.Say("alice", "/community publish off")); !strings.Contains(out[0], "closed") {
		t.Fatalf("publish off: %q", out)
	}
	if out := botstest.Texts(e.Say("alice", "/community publish")); !strings.Contains(out[0], "closed") {
		t.Fatalf("publish status: %q", out)
	}
	// French words: /communaute publier activer.
	if out := botstest.Texts(e.Say("alice", "/communaute publier activer")); !strings.Contains(out[0], "/c/jardin") {
		t.Fatalf("publier activer: %q", out)
	}
}

// Ensure the deep link of a campaign's web page (/start pledge-c1-C1): a member
// gets the pledge form, someone else is told where to pledge, and an unpublished
// community's link gets the greeting alone.
func TestStartPledge_DeepLink(t *testing.T) {
	e := botstest.NewEnv(t, botstest.Options{NoSync: true})
	e.Say("alice", "/community create Jardin")
	e.Say("bob", "/help")
	e.Say("alice", "/campaign new donation Soil goal 500 until 2026-12-20 keep-it-all")
	// Unpublished: the greeting, nothing of the campaign.
	out := strings.Join(botstest.Texts(e.Say("zoe", "> /start pledge-c1-C1")), "\n")
	if strings.Contains(out, "Soil") || !strings.Contains(out, "Hello") {
		t.Fatalf("unpublished: %q", out)
	}
	e.Say("alice", "/community publish on")
	out = strings.Join(botstest.Texts(e.Say("zoe", "> /start pledge-c1-C1")), "\n")
	if !strings.Contains(out, "join one of its chats") || !strings.Contains(out, "/pledge C1 AMOUNT") {
		t.Fatalf("not a member: %q", out)
	}
	out = strings.Join(botstest.Texts(e.Say("bob", "> /start pledge-c1-C1")), "\n")
	if !strings.Contains(out, "Pledge to C1 Soil") || !strings.Contains(out, "How much") {
		t.Fatalf("member: %q", out)
	}
	e.Say("bob", "> 25")
	if shot := e.Snapshot(); len(shot.Communities) != 1 || len(shot.Communities[0].Campaigns) != 1 || shot.Communities[0].Campaigns[0].Pledged != 2500 {
		t.Fatalf("the form's pledge: %+v", shot.Communities[0].Campaigns)
	}
	for _, bad := range []string{"pledge-c1-C9", "pledge-c9-C1", "pledge-", "pledge-c1"} {
		out := strings.Join(botstest.Texts(e.Say("zoe", "> /start "+bad)), "\n")
		if !strings.Contains(out, "Hello") || strings.Contains(out, "Soil") {
			t.Errorf("%s: %q", bad, out)
		}
	}
}
