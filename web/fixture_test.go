package web_test

import (
	"strings"
	"testing"
)

// Figures the fixture makes, that pages must show or must never show.
const (
	privateAmount = "345" // carol's private pledge: never on a page
	publicAmount  = "120" // bob's public pledge: shown beside his name
)

// fill gives the community a project with its next step, news and needs, a reward
// campaign for it (a public and a private pledge, money collected and spent, a
// tier, a stretch goal, a FAQ entry), an open poll, an open hidden poll with
// ballots, a closed poll and a meeting; then publishes it.
func fill(t *testing.T, s *site) {
	t.Helper()
	for _, u := range []string{"bob", "carol", "dave"} {
		s.say(u, "/help")
	}
	steps := []struct{ user, text, want string }{
		{"alice", "/project new Shared garden — Vegetable beds for the neighbourhood", "P1"},
		{"alice", "/nextstep P1 Order the soil by 2026-12-15", ""},
		{"alice", "/news P1 The beds are built", ""},
		{"alice", "/needs P1 A carpenter", ""},
		{"alice", "/campaign new reward Soil and seeds goal 1000 until 2026-12-20 keep-it-all for P1", "C1"},
		{"alice", "/reward C1 50 A basket of vegetables limit 10", ""},
		{"alice", "/stretch C1 1500 A greenhouse", ""},
		{"bob", "/pledge C1 " + publicAmount + " reward R1 public", ""},
		{"carol", "/pledge C1 " + privateAmount + " private", ""},
		{"alice", "/collect C1 100 from Bob", ""},
		{"alice", "/spend C1 40 Seeds and bulbs", ""},
		{"dave", "/ask C1 Can I pay cash?", ""},
		{"alice", "> /answer C1 Q1 Yes, at the Saturday market.", ""},
		{"alice", "> /faq C1 approve Q1", ""},
		{"alice", "/poll new single Which day for the harvest? | Saturday | Sunday", "V1"},
		{"alice", "/poll new single Which fruit trees? | Apples | Pears | hidden", "V2"},
		{"bob", "/vote V2 Pears", ""},
		{"carol", "/vote V2 Pears", ""},
		{"dave", "/vote V2 Apples", ""},
		{"alice", "/poll new approval Which tools do we buy? | Spade | Rake | Hoe", "V3"},
		{"bob", "/vote V3 Spade, Rake", ""},
		{"carol", "/vote V3 Spade", ""},
		{"alice", "/vote V3 Spade, Hoe", ""},
		{"alice", "/poll V3 close", ""},
		{"alice", "/meeting new 2026-12-10 19:00 General meeting", ""},
		{"alice", "/community publish on", "jardin-partage"},
	}
	for _, st := range steps {
		out := s.say(st.user, st.text)
		if st.want != "" && !strings.Contains(out+strings.Join(sentTexts(s), "\n"), st.want) {
			t.Fatalf("%s: %q: got %q", st.user, st.text, out)
		}
	}
}

func sentTexts(s *site) []string {
	var out []string
	for _, m := range s.env.Sent.Messages() {
		out = append(out, m.Text)
	}
	return out
}
