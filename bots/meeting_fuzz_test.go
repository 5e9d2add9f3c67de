package bots_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/core"
)

// Ensure whatever members type to /meeting (places, answers, attendance, minutes)
// gets an answer or silence, never an internal error or a missing text, and every
// meeting's waiting list stays what its answers say: the members answering
// "waiting", in order, only while the places are all taken.
func FuzzMeeting(f *testing.F) {
	for _, s := range []string{
		"/meeting new 2026-12-17 19:00 AG places 2", "/meeting new 2026-12-17 19:00 AG places 0",
		"/meeting new 2026-12-17 19:00 AG places -1", "/meeting new 2026-12-17 19:00 AG places x",
		"/meeting new demain places", "/meeting M1 yes", "/meeting M1 maybe", "/meeting M1 no", "/meeting M1 yes now",
		"/meeting M1 places 1", "/meeting M1 places 3", "/meeting M1 places 999999999999", "/meeting M1 attendees",
		"/meeting M1 here", "/meeting M1 present", "/meeting M1 present @bob @carol", "/meeting M1 present @nobody",
		"/meeting M1 minutes Budget adopted", "/meeting M1 minutes", "/meeting M1 frobnicate", "/meeting M2 yes",
		"/reunion M1 oui", "/reunion M1 peut-être", "/reunion M1 non", "/reunion M1 ici", "/reunion M1 participants",
		"/reunion M1 compte-rendu Adopté", "/meeting M1 cancel confirm", "/meeting M1 move 2026-12-18",
	} {
		f.Add(s, uint8(0), false)
		f.Add(s, uint8(1), true)
		f.Add(s, uint8(2), false)
	}
	e := botstest.NewEnv(f, botstest.Options{NoSync: true})
	n := 0
	people := []string{"alice", "bob", "carol", "dan"}
	f.Fuzz(func(t *testing.T, text string, who uint8, direct bool) {
		e.TB = t
		if n%200 == 0 { // a fresh community now and then, so that state does not pile up
			e.Chat = fmt.Sprintf("group-%d", n/200)
			e.Say("alice", "/community create Club tz Europe/Paris lang en")
			e.Say("alice", "/meeting new 2026-12-17 19:00 General meeting places 1")
			for _, p := range people[1:] {
				e.Say(p, "hello")
			}
		}
		n++
		ev := e.Event(people[int(who)%len(people)], text)
		if direct {
			ev.Direct, ev.ChatID = true, "dm:"+ev.UserID
		}
		out, err := e.Bot.Handle(context.Background(), ev)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		for _, m := range out {
			if strings.Contains(m.Text, "[err.") || strings.Contains(m.Text, "went wrong") || strings.Contains(m.Text, "<no value>") {
				t.Fatalf("%q: answer %q", text, m.Text)
			}
		}
		if err := e.Engine.View(context.Background(), func(tx *core.Tx) error {
			cs, err := tx.Communities()
			if err != nil {
				return err
			}
			for _, c := range cs {
				ms, err := tx.Meetings(c.ID)
				if err != nil {
					return err
				}
				for _, m := range ms {
					cnt := m.Counts()
					if cnt.Waiting != len(m.Waiting) {
						t.Fatalf("%s: %d waiting, list %v", m.ID(), cnt.Waiting, m.Waiting)
					}
					for _, p := range m.Waiting {
						if m.RSVP[p] != core.RSVPWaiting {
							t.Fatalf("%s: %s on the list answers %q", m.ID(), p, m.RSVP[p])
						}
					}
					if cnt.Waiting > 0 && m.Places > 0 && cnt.Yes < m.Places && m.Canceled.IsZero() {
						t.Fatalf("%s: a free place (%d of %d) while %d wait", m.ID(), cnt.Yes, m.Places, cnt.Waiting)
					}
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	})
}
