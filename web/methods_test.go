package web_test

import (
	"fmt"
	"strings"
	"testing"
)

// Ensure a closed poll of each method shows its ranking, the figure of each
// option and its chart, in both languages, and the page parses.
func TestPollPage_EveryMethod(t *testing.T) {
	s := newSite(t, "en")
	s.say("alice", "/community publish on")
	for _, u := range []string{"bob", "carol"} {
		s.say(u, "/help")
	}
	polls := []struct {
		open    string
		ballots [3]string // alice, bob, carol
		first   string
	}{
		{"irv Best fruit? | Apple | Pear | Plum", [3]string{"Apple > Pear > Plum", "Pear > Apple", "Apple"}, "Apple"},
		{"schulze Best veg? | Leek | Kale | Bean", [3]string{"Kale > Leek", "Kale > Bean", "Leek > Kale"}, "Kale"},
		{"borda Best herb? | Mint | Sage | Dill", [3]string{"Sage > Mint > Dill", "Sage > Dill", "Mint > Sage"}, "Sage"},
		{"score Best day? | Monday | Friday", [3]string{"Monday=1, Friday=5", "Friday=4", "Monday=3, Friday=3"}, "Friday"},
		{"dot Best tool? | Spade | Rake", [3]string{"Spade=6, Rake=2", "Spade=8", "Rake=8"}, "Spade"},
		{"judgment Best plan? | Plan A | Plan B", [3]string{"Plan A=excellent, Plan B=poor", "Plan A=good, Plan B=fair", "Plan A=very-good, Plan B=good"}, "Plan A"},
		{"stv Board? | Ana | Ben | Chloé | seats 2", [3]string{"Ana > Ben", "Ben > Ana", "Chloé > Ana"}, ""},
		{"approval Which? | Soup | Salad", [3]string{"Soup", "Soup, Salad", "Salad"}, ""},
	}
	for i, p := range polls {
		id := fmt.Sprintf("V%d", i+1)
		if out := s.say("alice", "/poll new "+p.open); strings.Contains(out, "rror") {
			t.Fatalf("%s: %s", p.open, out)
		}
		for j, u := range []string{"alice", "bob", "carol"} {
			s.say(u, "/vote "+id+" "+p.ballots[j])
		}
		s.say("alice", "/poll "+id+" close")
		for _, lang := range []string{"en", "fr"} {
			path := "/c/jardin-partage/polls/" + id + "?lang=" + lang
			res, body := s.get(path)
			if res.StatusCode != 200 {
				t.Fatalf("%s: %d", path, res.StatusCode)
			}
			checkHTML(t, path, body)
			txt := text(body)
			if !strings.Contains(txt, "3 ") || !strings.Contains(body, "<table") || !strings.Contains(body, "<img") {
				t.Errorf("%s (%s): no ranking or chart:\n%s", path, p.open, txt)
			}
			if p.first != "" && lang == "en" && !strings.Contains(txt, "Chosen: "+p.first) {
				t.Errorf("%s: want %s chosen:\n%s", path, p.first, txt)
			}
			if res, card := s.get("/c/jardin-partage/polls/" + id + "/card.png?lang=" + lang); res.StatusCode != 200 || !strings.HasPrefix(card, "\x89PNG") {
				t.Errorf("%s card: %d", path, res.StatusCode)
			}
		}
	}
}
