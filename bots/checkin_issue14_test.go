package bots_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
)

// facEnvLang is facEnv in lang, without the weekly slot when slot is false (fay is
// then a facilitator by role only, and no facilitator is designated).
func facEnvLang(t *testing.T, lang string, slot bool) *botstest.Env {
	t.Helper()
	e := botstest.NewEnv(t, botstest.Options{NoSync: true, Lang: lang})
	e.Say("alice", "/community create Club tz Europe/Paris lang "+lang)
	e.Say("rita", "/project new Garden")
	e.Say("fay", "hello")
	e.Say("alice", "/role @fay facilitator")
	if slot {
		e.Say("fay", "/slot tuesday 18:00")
	}
	e.Sent.Reset()
	return e
}

// groupDigests returns the digests posted to group chats.
func groupDigests(msgs []bots.Message) []bots.Message {
	var out []bots.Message
	for _, m := range msgs {
		if !m.Direct && strings.HasPrefix(m.Text, "🗞️") {
			out = append(out, m)
		}
	}
	return out
}

// Ensure a community gets at most one digest a day however it is triggered (two
// /checkin now, then /digest): a later /digest tells the asker it was posted and
// gives them a copy, privately; the next day a digest is posted again.
func TestDigest_OneADay(t *testing.T) {
	for _, tt := range []struct{ lang, already, skipped, started string }{
		{"en", "already posted today", "No digest after this check-in", "Today's digest is already posted"},
		{"fr", "déjà été publié aujourd'hui", "Pas de résumé après ce point d'étape", "Le résumé du jour est déjà publié"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			e := facEnvLang(t, tt.lang, true)
			e.Say("fay", "/checkin now")
			advance(t, e, 5*time.Minute)
			e.Say("fay", "/checkin now")
			advance(t, e, 2*time.Hour)
			if got := groupDigests(e.Sent.Messages()); len(got) != 1 {
				t.Fatalf("two /checkin now: %d digests posted, want 1: %q", len(got), botstest.Texts(got))
			}
			skipped := 0
			for _, m := range dmsTo(e, "fay") {
				if strings.Contains(m.Text, tt.skipped) {
					skipped++
				}
			}
			if skipped != 1 {
				t.Fatalf("the host of the second check-in told %d times that no digest follows: %q", skipped, botstest.Texts(dmsTo(e, "fay")))
			}
			if out := e.Say("fay", "/checkin now"); len(out) != 1 || !strings.Contains(out[0].Text, tt.started) {
				t.Fatalf("a third /checkin now after the digest: %q", botstest.Texts(out))
			}
			advance(t, e, 2*time.Hour)
			if got := groupDigests(e.Sent.Messages()); len(got) != 1 {
				t.Fatalf("three /checkin now: %d digests posted, want 1", len(got))
			}
			e.Sent.Reset()
			out := e.Say("fay", "/digest")
			if len(groupDigests(e.Sent.Messages())) != 0 || len(groupDigests(out)) != 0 {
				t.Fatalf("/digest the same day posted again: %q", botstest.Texts(e.Sent.Messages()))
			}
			if len(out) != 2 || !out[0].Direct || !strings.Contains(out[0].Text, tt.already) ||
				!out[1].Direct || !strings.HasPrefix(out[1].Text, "🗞️") {
				t.Fatalf("/digest the same day: got %q, want the notice and a private copy", botstest.Texts(out))
			}
			e.Clock.Set(e.Clock.Now().Add(24 * time.Hour))
			e.Sent.Reset()
			e.Say("fay", "/digest")
			if got := groupDigests(e.Sent.Messages()); len(got) != 1 {
				t.Fatalf("/digest the next day: %d digests, want 1", len(got))
			}
		})
	}
}

// Ensure /checkin now typed by a facilitator before any slot is set is run by them:
// they get the agenda, and the admins no alert that no facilitator is named.
func TestCheckinNow_NoSlotTyperRunsIt(t *testing.T) {
	for _, tt := range []struct{ lang, nobody string }{
		{"en", "No facilitator is available"},
		{"fr", "⚠️"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			e := facEnvLang(t, tt.lang, false)
			out := e.Say("fay", "/checkin now")
			if len(out) != 1 {
				t.Fatalf("got %q", botstest.Texts(out))
			}
			if got := nudges(e, "fay"); len(got) != 1 {
				t.Fatalf("fay got %d agendas, want 1: %q", len(got), botstest.Texts(dmsTo(e, "fay")))
			}
			for _, m := range dmsTo(e, "alice") {
				if strings.Contains(m.Text, tt.nobody) {
					t.Fatalf("alice warned: %q", m.Text)
				}
			}
			if len(dmsTo(e, "rita")) == 0 {
				t.Fatal("rita was not asked")
			}
		})
	}
}

// Ensure /checkin P1 typed in the group says in the group that the questions went
// privately, and the questions reach the referent privately; typed privately it
// just asks them.
func TestCheckinProject_InGroup(t *testing.T) {
	for _, tt := range []struct{ lang, said string }{
		{"en", "rita, the three questions about P1 are sent to you privately."},
		{"fr", "rita, les trois questions sur P1 vous sont envoyées en privé."},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			e := facEnvLang(t, tt.lang, true)
			out := e.Say("rita", "/checkin P1")
			var group, private int
			for _, m := range append(out, e.Sent.Messages()...) {
				switch {
				case !m.Direct && strings.Contains(m.Text, tt.said):
					group++
				case m.Direct && strings.Contains(m.Text, tt.said):
					t.Fatalf("the notice went privately: %q", m.Text)
				case m.Direct && m.UserID == "rita" && strings.Contains(m.Text, "P1"):
					private++
				}
			}
			if group != 1 || private == 0 {
				t.Fatalf("group notices %d, private questions %d: %q", group, private, botstest.Texts(append(out, e.Sent.Messages()...)))
			}
			e.Sent.Reset()
			e.Say("rita", ">/checkin P1")
			for _, m := range append([]bots.Message{}, e.Sent.Messages()...) {
				if !m.Direct {
					t.Fatalf("typed privately, the group got %q", m.Text)
				}
			}
		})
	}
}

// Ensure the digest is a live message: queued as what it shows and rendered when
// it is sent, so news given while it waited is in it.
func TestDigest_RenderedAtSend(t *testing.T) {
	e := facEnv(t)
	handle := func(user, text string) {
		t.Helper()
		if _, err := e.Bot.Handle(context.Background(), e.Event(user, text)); err != nil {
			t.Fatal(err)
		}
	}
	handle("fay", "/digest")
	handle("rita", "/news P1 The seeds arrived")
	for _, m := range e.Sent.Messages() {
		if strings.Contains(m.Text, "digest") {
			t.Fatalf("digest sent before the flush: %q", m.Text)
		}
	}
	if err := e.Dispatcher.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := groupDigests(e.Sent.Messages())
	if len(got) != 1 || !strings.Contains(got[0].Text, "The seeds arrived") || got[0].Ref == "" {
		t.Fatalf("digests sent: %q", botstest.Texts(got))
	}
}
