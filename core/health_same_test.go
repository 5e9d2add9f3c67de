package core_test

import (
	"testing"
	"time"

	"github.com/engage-org/engage/core"
)

// Ensure Same compares health signals line by line: a figure or its level
// changed makes its line differ, the others stay the same; nothing before means
// nothing is the same.
func TestHealth_Same(t *testing.T) {
	base := core.Health{Members: 30, Active: 3, ActivePct: 10, Projects: 2, Asked: 4, Answered: 2, AnswerPct: 50,
		MembersLevel: core.LevelLow, ActiveLevel: core.LevelOK, ProjectsLevel: core.LevelOK, AnswerLevel: core.LevelOK}
	for _, tt := range []struct {
		name   string
		change func(h *core.Health)
		want   core.HealthSame
	}{
		{"nothing", func(*core.Health) {}, core.HealthSame{Members: true, Active: true, Projects: true, Answers: true}},
		{"members", func(h *core.Health) { h.Members = 31 }, core.HealthSame{Active: true, Projects: true, Answers: true}},
		{"active level", func(h *core.Health) { h.ActiveLevel = core.LevelHigh }, core.HealthSame{Members: true, Projects: true, Answers: true}},
		{"projects", func(h *core.Health) { h.Projects = 3 }, core.HealthSame{Members: true, Active: true, Answers: true}},
		{"answers asked", func(h *core.Health) { h.Asked = 5 }, core.HealthSame{Members: true, Active: true, Projects: true}},
	} {
		h := base
		tt.change(&h)
		if got := h.Same(&base); got != tt.want {
			t.Errorf("%s: Same = %+v, want %+v", tt.name, got, tt.want)
		}
	}
	if got := base.Same(nil); got != (core.HealthSame{}) {
		t.Errorf("Same(nil) = %+v, want nothing the same", got)
	}
}

// Ensure AgendaHealth returns the signals last shown and when, records the new
// ones when they changed, and keeps the date while nothing changes.
func TestAgendaHealth(t *testing.T) {
	w := newWorld(t, 2)
	call := func() (*core.Health, *core.Health, time.Time) {
		t.Helper()
		var h, prev *core.Health
		var since time.Time
		w.update(t, func(tx *core.Tx) error {
			var err error
			h, prev, since, err = tx.AgendaHealth(w.comm)
			return err
		})
		return h, prev, since
	}
	h1, prev, since := call()
	if prev != nil || !since.IsZero() || h1.Members != 3 {
		t.Fatalf("first: h %+v, prev %+v, since %v", h1, prev, since)
	}
	t1 := *w.now.Load()
	t2 := t1.Add(7 * 24 * time.Hour)
	w.now.Store(&t2)
	_, prev, since = call()
	if prev == nil || *prev != *h1 || !since.Equal(t1) {
		t.Fatalf("second: prev %+v, since %v; want the first, %v", prev, since, t1)
	}
	t3 := t2.Add(7 * 24 * time.Hour)
	w.now.Store(&t3)
	if _, _, since = call(); !since.Equal(t1) {
		t.Errorf("nothing changed: since %v, want it kept at %v", since, t1)
	}
	w.update(t, func(tx *core.Tx) error {
		p, err := tx.ResolveIdentity("test", "new", "new", "")
		if err != nil {
			return err
		}
		_, err = tx.Touch(w.comm, p.ID)
		return err
	})
	h4, _, _ := call()
	if _, prev, since = call(); !since.Equal(t3) || prev.Members != h4.Members || h4.Members != 4 {
		t.Errorf("after a change: since %v (want %v), prev %+v", since, t3, prev)
	}
}
