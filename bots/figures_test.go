package bots_test

import (
	"context"
	"testing"
	"time"

	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/core"
)

// figures measures the only community of e now.
func figures(t *testing.T, e *botstest.Env) *core.Figures {
	t.Helper()
	var f *core.Figures
	err := e.Engine.View(context.Background(), func(tx *core.Tx) error {
		cs, err := tx.Communities()
		if err != nil || len(cs) != 1 {
			t.Fatalf("communities: %v", err)
		}
		f, err = tx.Figures(cs[0].ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// Ensure the figures of version 2 count the members active within 90 days, the
// newcomers of 30 days, every change of a project's stage, and the polls closed
// and decided; and that a closed poll keeps the community's size for its turnout.
func TestFigures_Version2(t *testing.T) {
	e := botstest.NewEnv(t, botstest.Options{NoSync: true})
	e.Say("alice", "/community create Club lang en")
	e.Say("bob", "hello")
	e.Clock.Set(e.Clock.Now().Add(60 * 24 * time.Hour))
	e.Say("carol", "hello")
	e.Say("alice", "/project new Garden")
	e.Say("alice", "/project P1 stage support")
	e.Say("alice", "/project P1 stage running")
	e.Say("alice", "/poll new single Lunch? | Pizza | Salad")
	e.Say("bob", "/vote V1 Pizza")
	e.Say("alice", "/poll V1 close")
	e.Say("alice", "/poll new single Dinner? | Soup | Bread quorum 3")
	e.Say("alice", "/poll V2 close")
	e.Say("alice", "/poll new single Breakfast? | Tea | Coffee")
	f := figures(t, e)
	if f.Version != core.FiguresVersion || f.Members != 3 || f.Active != 3 || f.Active90 != 3 || f.Newcomers != 1 ||
		f.StageChanges != 2 || f.PollsClosed != 2 || f.PollsDecided != 1 {
		t.Fatalf("figures %+v", f)
	}
	e.Clock.Set(e.Clock.Now().Add(45 * 24 * time.Hour))
	f = figures(t, e)
	if f.Active != 0 || f.Active90 != 3 || f.Newcomers != 0 {
		t.Fatalf("45 days later: %+v", f)
	}
	e.Clock.Set(e.Clock.Now().Add(50 * 24 * time.Hour))
	if f = figures(t, e); f.Active90 != 0 {
		t.Fatalf("95 days later: %+v", f)
	}
	err := e.Engine.View(context.Background(), func(tx *core.Tx) error {
		cs, _ := tx.Communities()
		p, err := tx.Poll(cs[0].ID, "V1")
		if err == nil && p.Members != 3 {
			t.Errorf("V1 closed among %d members", p.Members)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
