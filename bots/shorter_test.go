package bots_test

import (
	"strings"
	"testing"

	"github.com/engage-org/engage/bots/botstest"
)

// Ensure the pledge receipt explains how pledges work (no payment through the
// bot, how to change or withdraw) on a member's first pledge in the community
// only: a change and a pledge to another campaign get one short line — in both
// languages.
func TestPledge_BoilerplateOnFirstOnly(t *testing.T) {
	for _, tc := range []struct{ lang, boiler string }{
		{"en", "No payment goes through me"},
		{"fr", "Aucun paiement ne passe par moi"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := campaignEnv(t, tc.lang, nil)
			e.Say("alice", "/campaign new donation Roof goal 300 € until 2026-12-20")
			receipt := func(text string) string {
				t.Helper()
				out := e.Say("bob", text)
				if len(out) != 1 || !out[0].Direct {
					t.Fatalf("%s answered %+v, want one private receipt", text, out)
				}
				return out[0].Text
			}
			first := receipt("/pledge C1 30")
			if !strings.Contains(first, tc.boiler) {
				t.Errorf("first pledge receipt lacks how pledges work: %q", first)
			}
			for _, text := range []string{"/pledge C1 40", "/pledge C2 15"} {
				got := receipt(text)
				if strings.Contains(got, tc.boiler) || strings.Count(got, "\n") > 1 {
					t.Errorf("%s: receipt %q, want one or two lines without the explanation", text, got)
				}
			}
			if got := e.Say("carol", "/pledge C2 10"); len(got) != 1 || !strings.Contains(got[0].Text, tc.boiler) {
				t.Errorf("another member's first pledge: %+v, want the explanation", got)
			}
		})
	}
}

// Ensure a like posts nothing to the group: the liker is answered alone, and the
// project's card, where it was posted, is edited to show the count; a repeated
// like is refused to the liker alone — in both languages.
func TestLike_EditsProjectCard(t *testing.T) {
	for _, tc := range []struct{ lang, card, one, two, answer string }{
		{"en", "New project P1", "👍 1 like", "👍 2 likes", "You like P1"},
		{"fr", "Nouveau projet P1", "👍 1 soutien", "👍 2 soutiens", "Vous soutenez P1"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := botstest.NewEnv(t, botstest.Options{Lang: tc.lang, NoSync: true})
			e.Say("alice", "/community create Jardin lang "+tc.lang)
			e.Sent.Reset()
			e.Say("alice", "/project new Compost — a shared bin")
			sent := e.Sent.Messages()
			if len(sent) != 1 || sent[0].Edit || !strings.Contains(sent[0].Text, tc.card) || strings.Contains(sent[0].Text, "👍") || len(sent[0].Buttons) != 1 {
				t.Fatalf("card posted = %+v, want one card with its buttons and no likes", sent)
			}
			card := sent[0]
			for i, who := range []string{"bob", "carol"} {
				e.Sent.Reset()
				out := e.Press(who, card, map[string]string{"en": "Like", "fr": "J'aime"}[tc.lang])
				if len(out) != 1 || !out[0].Direct || !strings.Contains(out[0].Text, tc.answer) {
					t.Fatalf("%s's like answered %+v, want a private answer %q", who, out, tc.answer)
				}
				want := []string{tc.one, tc.two}[i]
				sent := e.Sent.Messages()
				if len(sent) != 1 || !sent[0].Edit || sent[0].EditID == "" || !strings.Contains(sent[0].Text, want) || !strings.Contains(sent[0].Text, tc.card) {
					t.Fatalf("after %s's like the group got %+v, want only an edit of the card showing %q", who, sent, want)
				}
			}
			e.Sent.Reset()
			out := e.Say("bob", "/like P1")
			if len(out) != 1 || !out[0].Direct || len(e.Sent.Messages()) != 0 {
				t.Errorf("a second like by bob: %+v, sent %+v; want a private refusal and nothing posted", out, e.Sent.Messages())
			}
			if out := e.Say("dan", "/project P1"); len(out) != 1 || !strings.Contains(out[0].Text, map[string]string{"en": "2 likes", "fr": "2 soutiens"}[tc.lang]) {
				t.Errorf("/project P1 = %+v, want the like count", out)
			}
		})
	}
}
