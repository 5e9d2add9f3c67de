package bots_test

import (
	"strings"
	"testing"

	"github.com/engage-org/engage/bots/botstest"
	"github.com/google/go-cmp/cmp"
)

// allocEnv makes a community with projects P1–P3, a campaign C1 with €1,000
// collected and €100 spent, and a closed single-choice poll V1 over P1, P2 and
// "Neither": 3 ballots for P1, 1 for P2, 2 for Neither.
func allocEnv(t *testing.T, lang string) *botstest.Env {
	t.Helper()
	e := botstest.NewEnv(t, botstest.Options{NoSync: true})
	e.Say("alice", "/community create Solidons lang "+lang)
	for _, p := range []string{"Fruit de Terre", "Petites Cantines", "Third"} {
		e.Say("alice", "/project new "+p)
	}
	e.Say("alice", "/campaign new donation Restaurants goal 2000 until 2026-12-20 keep-it-all")
	e.Say("alice", "/collect C1 1000 from Chez Paul")
	e.Say("alice", "/spend C1 100 posters")
	e.Say("alice", "/poll new single Which projects? | P1 | P2 | Neither")
	for i, v := range []string{"P1", "P1", "P1", "P2", "Neither", "Neither"} {
		e.Say(string(rune('a'+i))+"voter", "/vote V1 "+v)
	}
	return e
}

// Ensure /allocate splits what is left of the collected money between the poll's
// projects in proportion to their support, exactly, and refuses what it cannot do,
// changing nothing.
func TestAllocate(t *testing.T) {
	e := allocEnv(t, "en")
	if out := botstest.Texts(e.Say("alice", "/allocate C1 by V1")); !strings.Contains(out[0], "V1 is still open") {
		t.Fatalf("while V1 is open: %q", out)
	}
	e.Say("alice", "/poll V1 close")
	before := e.Snapshot()
	for _, tt := range []struct{ user, text, want string }{
		{"bvoter", "/allocate C1 by V1", "Only"},
		{"alice", "/allocate C1 V1", "/allocate"},
		{"alice", "/allocate C1 by V9", "V9"},
		{"alice", "/allocate C9 by V1", "C9"},
	} {
		out := botstest.Texts(e.Say(tt.user, tt.text))
		if len(out) == 0 || !strings.Contains(strings.Join(out, " "), tt.want) {
			t.Errorf("%s %q: got %q, want %q", tt.user, tt.text, out, tt.want)
		}
	}
	if diff := cmp.Diff(before, e.Snapshot()); diff != "" {
		t.Fatalf("refusals changed the state:\n%s", diff)
	}
	e.Sent.Reset()
	e.Say("alice", "/allocate C1 by V1")
	var post string
	for _, m := range e.Sent.Messages() {
		if strings.Contains(m.Text, "shared between the projects") {
			post = m.Text
		}
	}
	// €900 left; P1 has 3 of the 4 project ballots, P2 1: €675 and €225.
	if !strings.Contains(post, "€900.00") || !strings.Contains(post, "P1 Fruit de Terre: €675.00") || !strings.Contains(post, "P2 Petites Cantines: €225.00") {
		t.Fatalf("allocation post: %q", post)
	}
	if !strings.Contains(post, "Left out:\n• Neither — not a project") {
		t.Fatalf("allocation post does not say what it left out: %q", post)
	}
	led := botstest.Texts(e.Say("alice", "/ledger C1"))
	if !strings.Contains(led[0], "given to projects: €900.00") || !strings.Contains(led[0], "left: €0.00") ||
		!strings.Contains(led[0], "• P1 Fruit de Terre: €675.00") || !strings.Contains(led[0], "• P2 Petites Cantines: €225.00") {
		t.Fatalf("ledger: %q", led)
	}
	for id, want := range map[string]string{"P1": "💶 Given by campaigns: €675.00 from C1 Restaurants", "P2": "💶 Given by campaigns: €225.00 from C1 Restaurants", "P3": ""} {
		card := botstest.Texts(e.Say("bob", "/project "+id))[0]
		if want == "" && strings.Contains(card, "💶") || !strings.Contains(card, want) {
			t.Errorf("%s: got %q, want %q", id, card, want)
		}
	}
	// Nothing left: a second split is refused.
	if out := botstest.Texts(e.Say("alice", "/allocate C1 by V1")); !strings.Contains(out[0], "Nothing is left") {
		t.Fatalf("second allocation: %q", out)
	}
}

// Ensure a poll that ranks without a measure (Schulze) shares equally between the
// projects of its first tier, to the cent.
func TestAllocate_FirstTier(t *testing.T) {
	e := botstest.NewEnv(t, botstest.Options{NoSync: true})
	e.Say("alice", "/community create Solidons lang fr")
	for _, p := range []string{"Un", "Deux", "Trois"} {
		e.Say("alice", "/project new "+p)
	}
	e.Say("alice", "/campaign new donation Fonds goal 500 until 2026-12-20 keep-it-all")
	e.Say("alice", "/collect C1 100")
	e.Say("alice", "/poll new schulze Quels projets ? | P1 | P2 | P3")
	e.Say("bob", "/vote V1 P1 > P3 > P2")
	e.Say("carol", "/vote V1 P3 > P1 > P2")
	e.Say("alice", "/poll V1 close")
	e.Sent.Reset()
	e.Say("alice", "/allocate C1 par V1")
	var post string
	for _, m := range e.Sent.Messages() {
		if strings.Contains(m.Text, "répartis entre les projets") {
			post = m.Text
		}
	}
	if !strings.Contains(post, "P1 Un : 50,00 €") || !strings.Contains(post, "P3 Trois : 50,00 €") ||
		strings.Contains(post, "P2 Deux :") || !strings.Contains(post, "Laissées de côté :\n• P2 Deux — pas en tête") {
		t.Fatalf("allocation post: %q", post)
	}
}

// Ensure /allocate names every option it gives nothing to, with why, in both
// languages: not a project, no support, a project that no longer exists.
func TestAllocate_LeftOut(t *testing.T) {
	for lang, want := range map[string][]string{
		"en": {"Left out:", "• Neither — not a project", "• P3 Third — no support"},
		"fr": {"Laissées de côté :", "• Neither — ce n'est pas un projet", "• P3 Third — aucun soutien"},
	} {
		t.Run(lang, func(t *testing.T) {
			e := allocEnv(t, lang)
			e.Say("alice", "/poll new approval Which? | P1 | P2 | P3 | Neither")
			e.Say("avoter", "/vote V2 P1, Neither")
			e.Say("bvoter", "/vote V2 P2")
			e.Say("alice", "/poll V1 close")
			e.Say("alice", "/poll V2 close")
			e.Sent.Reset()
			e.Say("alice", "/allocate C1 by V2")
			var post string
			for _, m := range e.Sent.Messages() {
				if strings.HasPrefix(m.Text, "🎁") {
					post = m.Text
				}
			}
			for _, w := range want {
				if !strings.Contains(post, w) {
					t.Errorf("post lacks %q: %q", w, post)
				}
			}
		})
	}
}
