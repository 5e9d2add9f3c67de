package bots_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/engage-org/engage/bots/botstest"
	"github.com/google/go-cmp/cmp"
)

// Ensure an stv poll elects a board: ballots typed as for irv, ranking only
// some options; the result names the elected in order of election and the
// quota, in the chat's language; the export holds result.elected,
// result.quota and result.stages, and the ranking puts the elected first.
func TestVote_STV(t *testing.T) {
	for _, tc := range []struct {
		lang, open, vote, elected, quota string
	}{
		{"en", "/poll new stv Board? | Ana | Ben | Chloé | Dan seats 2", "/vote", "Elected, in order: Ana, Chloé", "Quota: 3"},
		{"fr", "/sondage nouveau vut Bureau ? | Ana | Ben | Chloé | Dan sièges 2", "/voter", "Élus, dans l'ordre : Ana, Chloé", "Quota : 3"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := pollEnv(t, tc.lang, botstest.Options{})
			voters := []string{"b", "c", "d", "f", "g", "h", "i"}
			for _, who := range voters {
				e.Say(who, "hello")
			}
			if out := e.Say("alice", tc.open); len(out) != 0 {
				t.Fatalf("open: %q", botstest.Texts(out))
			}
			// 7 ballots, 2 seats: quota floor(7/3)+1 = 3. Ana's 4 elect
			// her at once; her surplus of 1 passes to Chloé (4 papers ×
			// 0.25), who reaches 2 + 1 = 3, the quota, at stage 2.
			ballots := []string{"Ana > Chloé", "Ana > Chloé", "Ana > Chloé", "Ana > Chloé", "Chloé", "Chloé > Ana", "Ben > Chloé"}
			for k, ballot := range ballots {
				m := one(t, e.Say(voters[k], tc.vote+" V1 "+ballot))
				if !m.Direct {
					t.Fatalf("%s: %q", ballot, m.Text)
				}
			}
			out := e.Say("alice", "/poll V1 close")
			var result string
			for _, m := range e.Sent.Messages() {
				if strings.Contains(m.Text, "📊") {
					result = m.Text
				}
			}
			for _, m := range out {
				if strings.Contains(m.Text, "📊") {
					result = m.Text
				}
			}
			for _, want := range []string{tc.elected, tc.quota} {
				if !strings.Contains(result, want) {
					t.Errorf("result lacks %q:\n%s", want, result)
				}
			}
			got := pollShot(t, e, "V1")
			if got.Result == nil {
				t.Fatal("no result in the export")
			}
			if !slices.Equal(got.Result.Elected, []string{"Ana", "Chloé"}) || got.Result.Quota != "3.00000" || len(got.Result.Stages) == 0 {
				t.Errorf("export result: %+v", got.Result)
			}
			if diff := cmp.Diff([]string{"Ana", "Chloé"}, got.Ranking[0]); diff != "" {
				t.Errorf("first tier (-want +got):\n%s", diff)
			}
		})
	}
}

// Ensure bad stv polls and ballots are refused with a clear answer in the
// member's language, and change nothing.
func TestVote_STVBadInput(t *testing.T) {
	tests := []struct {
		name, text, en, fr string
	}{
		{"Equal", "/vote V1 Ana = Ben > Chloé", "= (or two options at one rank) is not allowed", "le = (ou deux options au même rang) n'est donc pas permis"},
		{"EqualRanksForm", "/vote V1 ranks 1;1;2", "is not allowed", "n'est donc pas permis"},
		{"NoSeats", "/poll new stv Board? | A | B | C", "add seats N", "ajoutez sièges N"},
		{"TooManySeats", "/poll new stv Board? | A | B | C seats 3", "from 1 to 2 of its 3 options", "de 1 à 2 de ses 3 options"},
		{"ZeroSeats", "/poll new stv Board? | A | B | C seats 0", "seats takes a number", "sièges prend un nombre"},
		{"SeatsOnIRV", "/poll new irv Board? | A | B | C seats 1", "does not apply", "ne s'applique pas"},
	}
	for _, lang := range []string{"en", "fr"} {
		for _, tt := range tests {
			t.Run(lang+"/"+tt.name, func(t *testing.T) {
				e := pollEnv(t, lang, botstest.Options{})
				if out := e.Say("alice", "/poll new stv Board? | Ana | Ben | Chloé seats 2"); len(out) != 0 {
					t.Fatalf("open: %q", botstest.Texts(out))
				}
				e.Say("bob", "hello")
				e.Sent.Reset()
				before := e.Snapshot()
				m := one(t, e.Say("bob", tt.text))
				want := tt.en
				if lang == "fr" {
					want = tt.fr
				}
				if !strings.Contains(m.Text, want) {
					t.Fatalf("got %q, want it to contain %q", m.Text, want)
				}
				if diff := cmp.Diff(before, e.Snapshot()); diff != "" {
					t.Fatalf("state changed (-before +after):\n%s", diff)
				}
			})
		}
	}
}

// Ensure a tie only a lot could break is reported, with the seat, and that
// `lots SEED` lets a seeded lot decide it, the seed published.
func TestVote_STVTie(t *testing.T) {
	for _, tc := range []struct {
		settings, want string
		elected        int
	}{
		{"seats 1", "Tie for seat 1: only a lot could decide between Ana, Ben", 0},
		{"seats 1 lots 7", "drawn by lot, seed 7", 1},
	} {
		t.Run(tc.settings, func(t *testing.T) {
			e := pollEnv(t, "en", botstest.Options{})
			e.Say("b", "hello")
			e.Say("c", "hello")
			if out := e.Say("alice", "/poll new stv Chair? | Ana | Ben | Chloé "+tc.settings); len(out) != 0 {
				t.Fatalf("open: %q", botstest.Texts(out))
			}
			e.Say("b", "/vote V1 Ana")
			e.Say("c", "/vote V1 Ben")
			e.Sent.Reset()
			e.Say("alice", "/poll V1 close")
			var result string
			for _, m := range e.Sent.Messages() {
				if strings.Contains(m.Text, "📊") {
					result = m.Text
				}
			}
			if !strings.Contains(result, tc.want) {
				t.Errorf("result lacks %q:\n%s", tc.want, result)
			}
			if got := pollShot(t, e, "V1").Result; got == nil || len(got.Elected) != tc.elected {
				t.Errorf("export result %+v, want %d elected", got, tc.elected)
			}
		})
	}
}
