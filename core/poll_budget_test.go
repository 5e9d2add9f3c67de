package core_test

import (
	"context"
	"testing"

	"github.com/engage-org/engage/core"
)

// budgetPoll opens a budget poll as the admin of w and returns its ID, or the
// refusal.
func (w *world) budgetPoll(tb testing.TB, opts []core.PollOption, s core.PollSettings) (string, error) {
	tb.Helper()
	var id string
	err := w.try(func(tx *core.Tx) error {
		p, err := tx.OpenPoll(w.member(tx, w.admin), core.PollSpec{Method: core.MethodBudget, Question: "What do we fund?", Options: opts, Settings: s})
		if err != nil {
			return err
		}
		id = p.ID()
		return nil
	})
	return id, err
}

func (w *world) vote(id string, who core.PersonID, values ...int) error {
	return w.try(func(tx *core.Tx) error {
		p, err := tx.Poll(w.comm, id)
		if err != nil {
			return err
		}
		_, err = tx.Vote(w.member(tx, who), p, values)
		return err
	})
}

func (w *world) closePoll(tb testing.TB, id string) *core.PollSnapshot {
	tb.Helper()
	w.update(tb, func(tx *core.Tx) error {
		p, err := tx.Poll(w.comm, id)
		if err != nil {
			return err
		}
		_, err = tx.ClosePoll(w.member(tx, w.admin), p)
		return err
	})
	var snap *core.Snapshot
	if err := w.eng.View(context.Background(), func(tx *core.Tx) error {
		var err error
		snap, err = tx.Snapshot()
		return err
	}); err != nil {
		tb.Fatal(err)
	}
	for _, c := range snap.Communities {
		for i, p := range c.Polls {
			if p.ID == id {
				return &c.Polls[i]
			}
		}
	}
	tb.Fatalf("no %s in the export", id)
	return nil
}

func eur(n int64) core.Money { return core.Major(n, "EUR") }

func errKey(err error) string {
	k, _ := core.ErrorMessage(err)
	return k
}

// A budget poll counted by equal shares: 3 members want the two benches, 2
// want the trees; 1 000 € buys two of the three. Greedy gives both benches
// to the majority; equal shares gives the minority the trees.
func TestBudgetPoll(t *testing.T) {
	w := newWorld(t, 5)
	opts := []core.PollOption{{Label: "Bench north", Cost: 40000}, {Label: "Bench south", Cost: 40000}, {Label: "Trees", Cost: 50000}}
	id, err := w.budgetPoll(t, opts, core.PollSettings{Budget: eur(1000), Max: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range [][]int{{1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {0, 0, 1}, {0, 0, 1}} {
		if err := w.vote(id, w.members[i], b...); err != nil {
			t.Fatal(err)
		}
	}
	// Three projects where max is 2: refused, and the ballot stays.
	if err := w.vote(id, w.members[0], 1, 1, 1); core.ErrorCode(err) != core.CodeInvalid || errKey(err) != "err.vote_budget_count" {
		t.Fatalf("a ballot of 3 projects with max 2: %v", err)
	}
	snap := w.closePoll(t, id)
	r := snap.Result
	if r == nil || r.Rule != "mes" || r.Budget != 100000 || r.Currency != "EUR" {
		t.Fatalf("result %+v", r)
	}
	if got := r.Selected; len(got) != 2 || got[0] != "Bench north" || got[1] != "Trees" || r.Spent != 90000 {
		t.Errorf("equal shares funded %v (spent %d), want [Bench north Trees] 90000", got, r.Spent)
	}
	if got := r.Greedy; len(got) != 2 || got[0] != "Bench north" || got[1] != "Bench south" {
		t.Errorf("greedy %v, want both benches", got)
	}
	if snap.Ballots != 5 {
		t.Errorf("%d ballots, want 5", snap.Ballots)
	}
}

// Bad input gets a clear refusal and opens nothing.
func TestBudgetPollBadInput(t *testing.T) {
	w := newWorld(t, 1)
	w.campaign(t)
	w.update(t, func(tx *core.Tx) error {
		_, err := tx.CreateProject(w.member(tx, w.admin), "Garden", "")
		return err
	})
	two := func(a, b int64) []core.PollOption {
		return []core.PollOption{{Label: "A", Cost: a}, {Label: "B", Cost: b}}
	}
	cases := []struct {
		name string
		opts []core.PollOption
		s    core.PollSettings
		key  string
	}{
		{"no cost", two(100, 0), core.PollSettings{Budget: eur(10)}, "err.budget_cost"},
		{"cost above the budget", two(100, 1001), core.PollSettings{Budget: eur(10)}, "err.budget_over"},
		{"no budget", two(100, 100), core.PollSettings{}, "err.budget_none"},
		{"budget and from", two(100, 100), core.PollSettings{Budget: eur(10), From: "C1"}, "err.budget_two"},
		{"min above max", two(100, 100), core.PollSettings{Budget: eur(10), Min: 2, Max: 1}, "err.budget_minmax"},
		{"max above the options", two(100, 100), core.PollSettings{Budget: eur(10), Max: 3}, "err.budget_minmax"},
		{"unknown rule", two(100, 100), core.PollSettings{Budget: eur(10), Rule: "knapsack"}, "err.budget_rule"},
		{"from a campaign with nothing left", []core.PollOption{{Label: "P1", Cost: 100}, {Label: "Trees", Cost: 100}}, core.PollSettings{From: "C1"}, "err.budget_empty"},
	}
	for _, c := range cases {
		if _, err := w.budgetPoll(t, c.opts, c.s); core.ErrorCode(err) != core.CodeInvalid || errKey(err) != c.key {
			t.Errorf("%s: %v, want %s", c.name, err, c.key)
		}
	}
	// Budget settings on another method.
	err := w.try(func(tx *core.Tx) error {
		_, err := tx.OpenPoll(w.member(tx, w.admin), core.PollSpec{Method: "approval", Question: "Q", Options: opts("A", "B"), Settings: core.PollSettings{Budget: eur(10)}})
		return err
	})
	if errKey(err) != "err.poll_setting_method" {
		t.Errorf("budget on an approval poll: %v", err)
	}
	var n int
	if err := w.eng.View(context.Background(), func(tx *core.Tx) error {
		ps, err := tx.Polls(w.comm, false)
		n = len(ps)
		return err
	}); err != nil || n != 0 {
		t.Errorf("%d polls opened (%v), want none", n, err)
	}
}

// With from C1, closing allocates C1's money left to the funded projects (one
// ledger line each) and moves them to the funded stage.
func TestBudgetPollFromCampaign(t *testing.T) {
	w := newWorld(t, 3)
	w.campaign(t)
	w.update(t, func(tx *core.Tx) error {
		admin := w.member(tx, w.admin)
		for _, title := range []string{"Garden", "Repair", "Library"} {
			if _, err := tx.CreateProject(admin, title, ""); err != nil {
				return err
			}
		}
		c, err := tx.Campaign(w.comm, "C1")
		if err != nil {
			return err
		}
		_, err = tx.Collect(admin, c, eur(100), "Le Zinc", "")
		return err
	})
	opts := []core.PollOption{{Label: "P1", Cost: 6000}, {Label: "P2", Cost: 5000}, {Label: "P3", Cost: 3000}}
	id, err := w.budgetPoll(t, opts, core.PollSettings{From: "c1", Points: 10})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.vote(id, w.members[0], 11, 0, 0); core.ErrorCode(err) != core.CodeInvalid {
		t.Fatalf("11 points of 10: %v", err)
	}
	for i, b := range [][]int{{10, 0, 0}, {6, 4, 0}, {0, 0, 10}} {
		if err := w.vote(id, w.members[i], b...); err != nil {
			t.Fatal(err)
		}
	}
	snap := w.closePoll(t, id)
	if snap.Result == nil || snap.Result.Budget != 10000 {
		t.Fatalf("result %+v, want a budget of 10000", snap.Result)
	}
	c, _ := w.get(t)
	var lines []*core.LedgerLine
	stages := map[string]core.Stage{}
	if err := w.eng.View(context.Background(), func(tx *core.Tx) error {
		var err error
		if lines, err = tx.Ledger(c); err != nil {
			return err
		}
		for _, id := range []string{"P1", "P2", "P3"} {
			p, err := tx.Project(w.comm, id)
			if err != nil {
				return err
			}
			stages[id] = p.Stage
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var allocated int64
	for _, l := range lines[1:] {
		if l.Kind != core.LedgerAllocate {
			t.Fatalf("line %+v, want an allocation", l)
		}
		allocated += l.Amount.Amount
		if stages["P"+itoa(l.Project)] != core.StageFunded {
			t.Errorf("P%d funded but at stage %s", l.Project, stages["P"+itoa(l.Project)])
		}
	}
	if len(lines)-1 != len(snap.Result.Selected) || allocated != snap.Result.Spent || c.Allocated != allocated || allocated > 10000 {
		t.Fatalf("%d allocation lines of %d, campaign allocated %d; result %+v", len(lines)-1, allocated, c.Allocated, snap.Result)
	}
	if len(snap.Result.Selected) == 0 {
		t.Fatal("nothing funded")
	}
	// Nothing left to spend now: a new poll from C1 is refused if it is all allocated.
	if c.Collected-c.Spent-c.Allocated == 0 {
		if _, err := w.budgetPoll(t, opts, core.PollSettings{From: "C1"}); errKey(err) != "err.budget_empty" {
			t.Errorf("from an empty C1: %v", err)
		}
	}
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}
