package bots_test

import (
	"context"
	"strings"
	"testing"

	"github.com/engage-org/engage/bots/botstest"
)

// A budget poll in the chat: options with costs, approval ballots typed with
// names, the result with the funded projects, what greedy would fund and what
// is left; bad input refused with the rule stated.
func TestBudgetPollChat(t *testing.T) {
	e := pollEnv(t, "en", botstest.Options{})
	for _, who := range []string{"b", "c", "d", "f", "g"} {
		e.Say(who, "hello")
	}
	if out := e.Say("alice", "/poll new budget What do we fund? | Bench north 400 € | Bench south 400 € | Trees 500 | budget 1 000 € max 2"); len(out) != 0 {
		t.Fatalf("open: got %q", botstest.Texts(out))
	}
	p := pollShot(t, e, "V1")
	if p.Method != "budget" || strings.Join(p.Options, "|") != "Bench north|Bench south|Trees" {
		t.Fatalf("opened %s with %q", p.Method, p.Options)
	}
	for who, ballot := range map[string]string{"b": "Bench north, Bench south", "c": "1, 2", "d": "bench north, bench south", "f": "Trees", "g": "3"} {
		if m := one(t, e.Say(who, "/vote V1 "+ballot)); !strings.Contains(m.Text, "is counted") {
			t.Fatalf("%s votes %q: got %q", who, ballot, m.Text)
		}
	}
	m := one(t, e.Say("b", "/vote V1 1, 2, 3"))
	if !strings.Contains(m.Text, "at most 2 projects") || !m.Direct {
		t.Fatalf("3 projects with max 2: got %q", m.Text)
	}
	e.Sent.Reset()
	e.Say("alice", "/poll V1 close")
	if err := e.Dispatcher.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(botstest.Texts(e.Sent.Messages()), "\n")
	for _, want := range []string{"participatory budget", "Bench north", "paid by 3 supporters", "Trees", "paid by 2 supporters", "Greedy (most votes first) would have funded: Bench north, Bench south"} {
		if !strings.Contains(text, want) {
			t.Errorf("result lacks %q:\n%s", want, text)
		}
	}
	got := pollShot(t, e, "V1")
	if got.Result == nil || strings.Join(got.Result.Selected, "|") != "Bench north|Trees" || got.Result.Spent != 90000 {
		t.Fatalf("result %+v", got.Result)
	}
}

func TestBudgetPollChatBadInput(t *testing.T) {
	e := pollEnv(t, "en", botstest.Options{})
	for _, c := range []struct{ poll, want string }{
		{"budget Q? | Benches | Trees 500 | budget 1000", "has no cost"},
		{"budget Q? | Benches 1 500 | Trees 500 | budget 1000", "more than the whole budget"},
		{"budget Q? | Benches 400 | Trees 500", "needs its money"},
		{"budget Q? | Benches 400 | Trees 500 | budget 1000 min 2 max 1", "min no more than max"},
		{"budget Q? | Benches 400 | Trees 500 | from C1", "no campaign"},
	} {
		out := e.Say("alice", "/poll new "+c.poll)
		if text := strings.Join(botstest.Texts(out), "\n"); !strings.Contains(strings.ToLower(text), strings.ToLower(c.want)) {
			t.Errorf("%q: got %q, want %q", c.poll, text, c.want)
		}
	}
}

// Cumulative ballots: points N, ballots as OPTION=POINTS, more than N refused.
func TestBudgetPollChatPoints(t *testing.T) {
	e := pollEnv(t, "fr", botstest.Options{})
	for _, who := range []string{"b", "c"} {
		e.Say(who, "bonjour")
	}
	if out := e.Say("alice", "/sondage nouveau budget Quoi ? | Bancs 300 | Arbres 500 | budget 600 € points 10 règle glouton"); len(out) != 0 {
		t.Fatalf("open: got %q", botstest.Texts(out))
	}
	if p := pollShot(t, e, "V1"); p.Method != "budget" {
		t.Fatalf("method %s", p.Method)
	}
	if m := one(t, e.Say("b", "/voter V1 Bancs=8, Arbres=3")); !m.Direct || strings.Contains(m.Text, "comptabilisé") {
		t.Fatalf("11 points of 10: got %q", m.Text)
	}
	for who, ballot := range map[string]string{"b": "Bancs=7, Arbres=3", "c": "2=10"} {
		if m := one(t, e.Say(who, "/voter V1 "+ballot)); !m.Direct {
			t.Fatalf("%s votes %q: got %q", who, ballot, m.Text)
		}
	}
	e.Say("alice", "/sondage V1 clore")
	got := pollShot(t, e, "V1")
	// Greedy: Arbres (13 points) then Bancs does not fit (300 > 100).
	if got.Result == nil || got.Result.Rule != "greedy" || strings.Join(got.Result.Selected, "|") != "Arbres" || got.Ballots != 2 {
		t.Fatalf("result %+v, %d ballots", got.Result, got.Ballots)
	}
}

// from C1: the budget is what C1 has left; closing allocates it to the funded
// projects (ledger lines), moves them to funded and tells their referents.
func TestBudgetPollChatFromCampaign(t *testing.T) {
	e := botstest.NewEnv(t, botstest.Options{NoSync: true})
	e.Say("alice", "/community create Solidons lang en")
	e.Say("alice", "/project new Fruit de Terre")
	e.Say("bob", "hello")
	e.Say("alice", "/project new Petites Cantines")
	e.Say("alice", "/campaign new donation Restaurants goal 2000 until 2026-12-20 keep-it-all")
	e.Say("alice", "/collect C1 1000 from Chez Paul")
	e.Say("alice", "/spend C1 100 posters")
	if out := e.Say("alice", "/poll new budget Which projects? | P1 600 | P2 500 | Benches 100 | from C1"); len(out) != 1 || !strings.Contains(out[0].Text, "must be a project") {
		t.Fatalf("a label with from C1: %q", botstest.Texts(out))
	}
	if out := e.Say("alice", "/poll new budget Which projects? | P1 600 | P2 500 | from C1"); len(out) != 0 {
		t.Fatalf("open: %q", botstest.Texts(out))
	}
	for i, v := range []string{"P1", "P1", "P2", "P1, P2"} {
		e.Say(string(rune('a'+i))+"voter", "/vote V1 "+v)
	}
	e.Sent.Reset()
	e.Say("alice", "/poll V1 close")
	if err := e.Dispatcher.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	var told bool
	for _, m := range e.Sent.Messages() {
		if m.Direct && strings.Contains(m.Text, "is funded by the participatory budget V1") {
			told = true
		}
	}
	if !told {
		t.Errorf("no referent told: %q", botstest.Texts(e.Sent.Messages()))
	}
	snap := e.Snapshot()
	p := pollShot(t, e, "V1")
	if p.Result == nil || p.Result.Budget != 90000 || len(p.Result.Selected) == 0 {
		t.Fatalf("result %+v", p.Result)
	}
	var allocated int64
	for _, c := range snap.Communities {
		for _, camp := range c.Campaigns {
			allocated += camp.Allocated
		}
		for _, pr := range c.Projects {
			for _, sel := range p.Result.Selected {
				if strings.HasPrefix(sel, pr.ID+" ") && pr.Stage != "funded" {
					t.Errorf("%s funded but at stage %s", pr.ID, pr.Stage)
				}
			}
		}
	}
	if allocated != p.Result.Spent {
		t.Errorf("allocated %d, spent %d", allocated, p.Result.Spent)
	}
}
