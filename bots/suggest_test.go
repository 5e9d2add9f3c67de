package bots_test

import (
	"testing"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
)

// Ensure IDs are completed by ID prefix or title, ignoring case and accents, in
// the chat's community or, directly, the person's; and that nothing is written.
func TestBot_Suggest(t *testing.T) {
	e := botstest.NewEnv(t, botstest.Options{NoSync: true})
	e.Say("alice", "/community create Garden Club lang en")
	e.Say("alice", "/project new Jardin partagé")
	e.Say("alice", "/project new Compost")
	for i := range 30 {
		e.Say("alice", "/project new Extra "+string(rune('A'+i%26)))
	}
	ev := e.Event("bob", "")
	tests := []struct {
		name, prefix string
		want         []string
	}{
		{"ByID", "p1", []string{"P1", "P10", "P11", "P12", "P13", "P14", "P15", "P16", "P17", "P18", "P19"}},
		{"ByTitleAccents", "PARTAGE", []string{"P1"}},
		{"ByWord", "comp", []string{"P2"}},
		{"None", "zzz", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.Bot.Suggest(t.Context(), ev, bots.SuggestProject, tt.prefix)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, s := range got {
				ids = append(ids, s.Value)
			}
			if len(ids) != len(tt.want) {
				t.Fatalf("got %v, want %v", ids, tt.want)
			}
			for i := range ids {
				if ids[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", ids, tt.want)
				}
			}
		})
	}
	all, _ := e.Bot.Suggest(t.Context(), ev, bots.SuggestProject, "")
	if len(all) != bots.MaxSuggestions || all[0].Label != "P1 · Jardin partagé" {
		t.Fatalf("got %d suggestions, first %+v", len(all), all[0])
	}
	before := e.Snapshot()
	// bob never wrote: directly, he has no community; alice has hers.
	dm := e.Event("bob", "> x")
	if got, _ := e.Bot.Suggest(t.Context(), dm, bots.SuggestProject, ""); len(got) != 0 {
		t.Fatalf("got %v for a stranger", got)
	}
	dm = e.Event("alice", "> x")
	if got, _ := e.Bot.Suggest(t.Context(), dm, bots.SuggestProject, "comp"); len(got) != 1 {
		t.Fatalf("got %v directly", got)
	}
	other := e.Event("alice", "")
	other.ChatID = "elsewhere"
	if got, _ := e.Bot.Suggest(t.Context(), other, bots.SuggestProject, ""); len(got) != 0 {
		t.Fatalf("got %v in a chat with no community", got)
	}
	if got, _ := e.Bot.Suggest(t.Context(), ev, "unknown", ""); len(got) != 0 {
		t.Fatalf("got %v for an unknown kind", got)
	}
	if after := e.Snapshot(); len(after.Communities[0].Members) != len(before.Communities[0].Members) {
		t.Fatal("suggesting recorded a member")
	}
}

// Ensure campaigns are completed too.
func TestBot_SuggestCampaigns(t *testing.T) {
	e := botstest.NewEnv(t, botstest.Options{NoSync: true})
	e.Say("alice", "/community create Garden Club lang en")
	e.Say("alice", "/campaign new donation Oven goal 500 until 2026-12-20")
	e.Say("alice", "/campaign new donation Roof goal 900 until 2026-12-24")
	got, err := e.Bot.Suggest(t.Context(), e.Event("bob", ""), bots.SuggestCampaign, "ro")
	if err != nil || len(got) != 1 || got[0].Value != "C2" || got[0].Label != "C2 · Roof" {
		t.Fatalf("got %+v %v", got, err)
	}
}

// Ensure open polls are completed, and closed ones are not.
func TestBot_SuggestPolls(t *testing.T) {
	e := botstest.NewEnv(t, botstest.Options{NoSync: true})
	e.Say("alice", "/community create Garden Club lang en")
	e.Say("alice", "/poll new single Where to meet? | Nashville | Memphis")
	e.Say("alice", "/poll new single When to meet? | Monday | Friday")
	e.Say("alice", "/poll V1 close")
	got, err := e.Bot.Suggest(t.Context(), e.Event("bob", ""), bots.SuggestPoll, "meet")
	if err != nil || len(got) != 1 || got[0].Value != "V2" || got[0].Label != "V2 · When to meet?" {
		t.Fatalf("got %+v %v", got, err)
	}
}
