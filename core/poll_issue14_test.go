package core_test

import (
	"strings"
	"testing"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
)

// Ensure a ranked ballot with a rank beyond the number of options is refused
// whatever the ranked method, and ranks within it are taken.
func TestVote_RankBeyondOptions(t *testing.T) {
	for _, m := range []tally.Method{tally.IRV, tally.Schulze, tally.Borda} {
		t.Run(string(m), func(t *testing.T) {
			e, _ := newEngine(t)
			c, alice := community(t, e)
			bob := member(t, e, c, "bob")
			p := openPoll(t, e, alice, core.PollSpec{Method: m, Question: "Lunch?", Options: opts("Pizza", "Salad", "Soup")})
			for _, values := range [][]int{{9, 0, 0}, {1, 2, 4}, {0, 0, 1000}} {
				if code := refused(t, e, func(tx *core.Tx) error {
					p, _ := tx.Poll(c.ID, p.ID())
					_, err := tx.Vote(bob, p, values)
					return err
				}); code != core.CodeInvalid {
					t.Fatalf("%v: got %q, want invalid", values, code)
				}
			}
			vote(t, e, bob, p.ID(), 3, 0, 1)
			if got := poll(t, e, c.ID, p.ID()).Live.Ballots; got != 1 {
				t.Fatalf("ranks within the options: %d ballots, want 1", got)
			}
		})
	}
}

// Ensure a poll closed with no ballot decided nothing: its outcome and its export
// rank no option, whatever the method.
func TestPoll_NoBallotDecidesNothing(t *testing.T) {
	for _, m := range []tally.Method{tally.Single, tally.IRV, tally.Score} {
		t.Run(string(m), func(t *testing.T) {
			e, _ := newEngine(t)
			c, alice := community(t, e)
			spec := core.PollSpec{Method: m, Question: "Lunch?", Options: opts("Pizza", "Salad")}
			if m == tally.Score {
				spec.Settings.ScaleMin, spec.Settings.ScaleMax = 0, 5
			}
			p := openPoll(t, e, alice, spec)
			var out *core.PollOutcome
			update(t, e, func(tx *core.Tx) error {
				p, _ := tx.Poll(c.ID, p.ID())
				res, err := tx.ClosePoll(alice, p)
				if err != nil {
					return err
				}
				if core.Decided(p, res) {
					t.Errorf("no ballot: Decided is true")
				}
				out, err = tx.PollOutcome(c.ID, p.ID())
				if err != nil {
					return err
				}
				found, err := tx.Find(c.ID, "Lunch")
				for _, f := range found {
					if strings.Contains(f.Text, "→") {
						t.Errorf("/find shows winners of a poll with no ballot: %q", f.Text)
					}
				}
				if len(found) == 0 {
					t.Errorf("/find does not find the closed poll")
				}
				return err
			})
			if len(out.Ranking) != 0 || out.Ballots != 0 {
				t.Fatalf("outcome ranks %v with %d ballots, want nothing", out.Ranking, out.Ballots)
			}
			var snap *core.Snapshot
			if err := e.View(t.Context(), func(tx *core.Tx) error {
				var err error
				snap, err = tx.Snapshot()
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if ps := snap.Communities[0].Polls[0]; len(ps.Ranking) != 0 {
				t.Fatalf("export ranks %v", ps.Ranking)
			}
		})
	}
}
