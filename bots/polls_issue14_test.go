package bots_test

import (
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
)

// sentWith returns the messages sent whose text contains s.
func sentWith(e *botstest.Env, s string) []bots.Message {
	var out []bots.Message
	for _, m := range e.Sent.Messages() {
		if strings.Contains(m.Text, s) {
			out = append(out, m)
		}
	}
	return out
}

// Ensure a poll closed before its deadline shows when it closed, not the deadline
// it never reached, in both languages.
func TestPoll_ClosedEarlyShowsWhenItClosed(t *testing.T) {
	for _, tt := range []struct{ lang, until, closed, planned string }{
		{"en", "until 2026-12-04 18:00", "closed Wednesday 2 December", "Friday 4 December"},
		{"fr", "jusqu'au 2026-12-04 18:00", "clos mercredi 2 décembre", "vendredi 4 décembre"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			e := pollEnv(t, tt.lang, botstest.Options{})
			e.Say("alice", "/poll new single Lunch? | Pizza | Salad "+tt.until)
			e.Say("bob", "/vote V1 Pizza")
			e.Clock.Set(botstest.Start.Add(24 * time.Hour))
			e.Sent.Reset()
			e.Say("alice", "/poll V1 close")
			var edit *bots.Message
			for _, m := range e.Sent.Messages() {
				if m.Edit {
					edit = &m
				}
			}
			if edit == nil {
				t.Fatalf("no edit of the poll message: %q", botstest.Texts(e.Sent.Messages()))
			}
			if !strings.Contains(edit.Text, tt.closed) || strings.Contains(edit.Text, tt.planned) {
				t.Fatalf("closed poll message: %q, want %q and not the deadline %q", edit.Text, tt.closed, tt.planned)
			}
		})
	}
}

// Ensure a poll closed with no ballot says nothing was decided: no ranking of a
// tie of every option, no chart, no ranking in the export; by hand or at its
// deadline.
func TestPoll_ClosedWithNoBallot(t *testing.T) {
	for _, tt := range []struct{ lang, until, want string }{
		{"en", "until 2026-12-02 18:00", "No ballot was cast: nothing is decided."},
		{"fr", "jusqu'au 2026-12-02 18:00", "Aucun bulletin n'a été déposé : rien n'est décidé."},
	} {
		for _, how := range []string{"hand", "deadline"} {
			t.Run(tt.lang+"/"+how, func(t *testing.T) {
				e := pollEnv(t, tt.lang, botstest.Options{})
				e.Say("alice", "/poll new irv Lunch? | Pizza | Salad | Soup "+tt.until)
				if how == "hand" {
					e.Say("alice", "/poll V1 close")
				} else {
					advance(t, e, 48*time.Hour)
				}
				res := sentWith(e, tt.want)
				if len(res) == 0 {
					t.Fatalf("no result saying nothing was decided: %q", botstest.Texts(e.Sent.Messages()))
				}
				for _, m := range res {
					if m.Attachment != nil || strings.Contains(m.Text, "1. ") {
						t.Fatalf("result %q with a ranking or chart %v", m.Text, m.Attachment != nil)
					}
				}
				if got := pollShot(t, e, "V1"); got.Status != "closed" || len(got.Ranking) != 0 {
					t.Fatalf("export: status %q, ranking %v", got.Status, got.Ranking)
				}
				out := one(t, e.Say("bob", "/poll V1"))
				if !strings.Contains(out.Text, tt.want) || out.Attachment != nil {
					t.Fatalf("/poll V1: %q (chart %v)", out.Text, out.Attachment != nil)
				}
			})
		}
	}
}

// Ensure a ballot with a missing value or a value out of range is refused with a
// clear answer and counts nothing, for every method that takes values; a value
// left blank on purpose ("-", what a form's empty field sends) still counts as
// unscored.
func TestVote_RefusesMissingOrOutOfRangeValues(t *testing.T) {
	tests := []struct {
		name, poll, ballot string
		en, fr             string // "" : accepted
	}{
		{"ScoreMissing", "score Q | A | B scale 0-5", "A=", "has no value", "n'a pas de valeur"},
		{"ScoreOneMissing", "score Q | A | B scale 0-5", "A=4, B=", "has no value", "n'a pas de valeur"},
		{"ScoreOutOfRange", "score Q | A | B scale 0-5", "A=6", "Scores go from 0 to 5", "Les notes vont de 0 à 5"},
		{"DotMissing", "dot Q | A | B dots 4", "A=, B=2", "has no value", "n'a pas de valeur"},
		{"JudgmentMissing", "judgment Q | A | B", "A=good, B=", "has no value", "n'a pas de valeur"},
		{"DateMissing", "date Q | 2026-12-10 | 2026-12-11", "1=yes, 2=", "has no value", "n'a pas de valeur"},
		{"ApprovalMissing", "approval Q | A | B", "A=yes, B=", "has no value", "n'a pas de valeur"},
		{"RankBeyondOptions", "irv Q | A | B | C", "ranks 9;;", "(1 to 3)", "(de 1 à 3)"},
		{"RankZero", "borda Q | A | B | C", "ranks 0;1;", "is not a rank", "n'est pas un rang"},
		{"RankNegative", "schulze Q | A | B | C", "ranks ;-1;2", "is not a rank", "n'est pas un rang"},
		{"ApprovalEmptyChoice", "approval Q | A | B", "A,, B", "has an empty choice", "contient un choix vide"},
		{"ApprovalTrailingComma", "approval Q | A | B", "A,", "has an empty choice", "contient un choix vide"},
		{"RankInRange", "irv Q | A | B | C", "ranks 3;;1", "", ""},
		{"RankBeyondOptionsFrench", "irv Q | A | B | C", "rangs 9;;", "(1 to 3)", "(de 1 à 3)"},
		{"ScoreBlankOnPurpose", "score Q | A | B scale 0-5", "A=-, B=3", "", ""},
		{"DotBlankOnPurpose", "dot Q | A | B dots 4", "A=-, B=2", "", ""},
	}
	for _, lang := range []string{"en", "fr"} {
		for _, tt := range tests {
			t.Run(lang+"/"+tt.name, func(t *testing.T) {
				e := pollEnv(t, lang, botstest.Options{})
				e.Say("alice", "/poll new "+tt.poll)
				want := tt.en
				if lang == "fr" {
					want = tt.fr
				}
				m := one(t, e.Say("bob", "/vote V1 "+tt.ballot))
				ballots := pollShot(t, e, "V1").Ballots
				if want == "" {
					if ballots != 1 {
						t.Fatalf("%q: got %q, %d ballots, want it counted", tt.ballot, m.Text, ballots)
					}
					return
				}
				if !strings.Contains(m.Text, want) || ballots != 0 {
					t.Fatalf("%q: got %q with %d ballots, want a refusal containing %q", tt.ballot, m.Text, ballots, want)
				}
			})
		}
	}
}

// Ensure options whose labels start with emoji or symbols are voted by their
// words, by their emoji, or by both, and that a word two such options share
// names neither.
func TestVote_EmojiLabels(t *testing.T) {
	tests := []struct{ choice, want string }{
		{"salad", "🥗 Salad"},
		{"Salad", "🥗 Salad"},
		{"🥗", "🥗 Salad"},
		{"🥗 salad", "🥗 Salad"},
		{"🥗salad", "🥗 Salad"},
		{"pizza", "🍕 Pizza"},
		{"soupe du jour", "★ Soupe du jour"},
		{"★", "★ Soupe du jour"},
		{"tarte", ""}, // 🍰 Tarte and 🍎 Tarte: ambiguous
		{"🍎", "🍎 Tarte"},
		{"☕", "☕️ Café"}, // typed without the variation selector
		{"cafe", "☕️ Café"},
		{"#2", "🍕 Pizza"},
	}
	for _, lang := range []string{"en", "fr"} {
		for _, tt := range tests {
			t.Run(lang+"/"+tt.choice, func(t *testing.T) {
				e := pollEnv(t, lang, botstest.Options{})
				e.Say("alice", "/poll new single Lunch? | 🥗 Salad | 🍕 Pizza | ★ Soupe du jour | 🍰 Tarte | 🍎 Tarte | ☕️ Café")
				m := one(t, e.Say("bob", "/vote V1 "+tt.choice))
				if tt.want == "" {
					if pollShot(t, e, "V1").Ballots != 0 || !strings.Contains(m.Text, "“"+tt.choice+"”") && !strings.Contains(m.Text, "« "+tt.choice+" »") {
						t.Fatalf("%q: got %q, want a refusal", tt.choice, m.Text)
					}
					return
				}
				if !strings.Contains(m.Text, ": "+tt.want+".") && !strings.Contains(m.Text, " : "+tt.want+".") {
					t.Fatalf("%q: got %q, want a ballot for %q", tt.choice, m.Text, tt.want)
				}
			})
		}
	}
}

// Ensure control, bidirectional and invisible characters typed in names, titles,
// labels and amounts get a clear refusal in the member's language and change
// nothing.
func TestBadInput_UnsafeCharacters(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		want := map[string]string{"en": "invisible or control character", "fr": "caractère invisible ou de contrôle"}[lang]
		for _, cmd := range []string{
			"/project new Bad\a\x1b[31mred", "/project new Jardin \u202epartagé", "/project new Jar\u200bdin",
			"/poll new single Lunch? | Pizza | Sa\u2066lad", "/poll new single Lu\u202ench? | Pizza | Salad",
			"/campaign new donation Vélo goal 5\u200b00 until 2027-01-31", "/campaign new donation Vé\x1b[31mlo goal 500 until 2027-01-31",
			"/vote V1 \x1b[2J", "/frob\u202enicate", "/find \u2066garden",
		} {
			t.Run(lang+"/"+cmd, func(t *testing.T) {
				e := pollEnv(t, lang, botstest.Options{})
				before := e.Snapshot()
				out := e.Say("alice", cmd)
				if len(out) != 1 || !strings.Contains(out[0].Text, want) {
					t.Fatalf("%q: got %q, want %q", cmd, botstest.Texts(out), want)
				}
				if strings.ContainsAny(out[0].Text, "\a\x1b\u202e\u200b\u2066") {
					t.Fatalf("the answer echoes the character: %q", out[0].Text)
				}
				after := e.Snapshot()
				if len(after.Communities[0].Projects) != len(before.Communities[0].Projects) ||
					len(after.Communities[0].Polls) != len(before.Communities[0].Polls) || len(after.Communities[0].Campaigns) != len(before.Communities[0].Campaigns) {
					t.Fatalf("%q changed something", cmd)
				}
			})
		}
	}
}

// Ensure the names a platform reports (member, handle, chat title) reach nothing
// with their control, bidirectional or invisible characters.
func TestPlatformNames_MadeSafe(t *testing.T) {
	e := botstest.NewEnv(t, botstest.Options{NoSync: true})
	ev := e.Event("alice", "/community create Club lang en")
	ev.UserName, ev.ChatTitle = "Ali\u202ece\x1b[31m", "Jar\u200bdin\a"
	e.Handle(ev)
	ev = e.Event("bob", "hello")
	ev.UserName, ev.Handle = "Bob\u2066 the \u2069builder", "bo\u200bb"
	e.Handle(ev)
	names := map[string]bool{}
	for _, m := range e.Snapshot().Communities[0].Members {
		names[m.Name] = true
	}
	if !names["Alice[31m"] || !names["Bob the builder"] {
		t.Fatalf("member names %v", names)
	}
	out := e.Say("alice", "/role @bob facilitator")
	if len(out) == 0 || strings.Contains(out[0].Text, "I don't know any member") {
		t.Fatalf("@bob no longer names the member whose handle held a zero-width space: %q", botstest.Texts(out))
	}
}

// Ensure texts that may have lines keep taking them (\n, and \r\n as platforms may
// send it), and emoji joined by a zero-width joiner stay allowed in titles.
func TestSafeText_LinesAndEmoji(t *testing.T) {
	e := pollEnv(t, "en", botstest.Options{})
	e.Say("alice", "/project new Ferme 👩‍🌾 urbaine")
	for _, news := range []string{"/news P1 First line\nsecond line", "/news P1 First line\r\nsecond line"} {
		out := e.Say("alice", news)
		for _, m := range out {
			if strings.Contains(m.Text, "control character") {
				t.Fatalf("%q refused: %q", news, m.Text)
			}
		}
	}
	s := e.Snapshot().Communities[0]
	if len(s.Projects) != 1 || s.Projects[0].Title != "Ferme 👩‍🌾 urbaine" || len(s.Projects[0].News) != 2 {
		t.Fatalf("projects %+v", s.Projects)
	}
	for _, n := range s.Projects[0].News {
		if n.Text != "First line\nsecond line" {
			t.Fatalf("news %q", n.Text)
		}
	}
}

// Ensure money cannot be shared by a poll closed with no ballot: it decided nothing,
// and the refusal says why, in both languages.
func TestAllocate_PollWithNoBallot(t *testing.T) {
	for _, tt := range []struct{ lang, want string }{
		{"en", "V2 decided nothing (no ballot was cast)"},
		{"fr", "V2 n'a rien décidé (aucun bulletin)"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			e := allocEnv(t, tt.lang)
			e.Say("alice", "/poll new single Which project? | P1 | P2")
			e.Say("alice", "/poll V2 close")
			before := e.Snapshot()
			out := botstest.Texts(e.Say("alice", "/allocate C1 by V2"))
			if len(out) != 1 || !strings.Contains(out[0], tt.want) {
				t.Fatalf("got %q, want %q", out, tt.want)
			}
			if len(e.Snapshot().Communities[0].Campaigns[0].Spending) != len(before.Communities[0].Campaigns[0].Spending) {
				t.Fatal("money was allocated")
			}
		})
	}
}
