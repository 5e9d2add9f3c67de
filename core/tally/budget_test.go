package tally

import (
	"math/big"
	"slices"
	"strings"
	"testing"
)

// pbCase builds a budget from "id:cost" pairs and approval ballots written as
// space-separated lists of IDs ("a,b" approves a and b), or points "a=2,b=1".
func pbCase(t testing.TB, budget, inc int64, projects string, ballots ...string) (Budget, []Ballot) {
	t.Helper()
	var pb Budget
	pb.Budget, pb.Increment = budget, inc
	index := map[string]int{}
	for _, f := range strings.Fields(projects) {
		id, c, _ := strings.Cut(f, ":")
		index[id] = len(pb.Projects)
		pb.Projects = append(pb.Projects, BudgetProject{ID: id, Cost: atoi(t, c)})
	}
	var bs []Ballot
	for _, s := range ballots {
		b := Ballot{Values: make([]int, len(pb.Projects))}
		for _, item := range strings.Split(s, ",") {
			if item == "" {
				continue
			}
			id, pts, ok := strings.Cut(item, "=")
			v := 1
			if ok {
				v = int(atoi(t, pts))
				pb.Points = 1000
			}
			i, found := index[id]
			if !found {
				t.Fatalf("unknown project %q", id)
			}
			b.Values[i] = v
		}
		bs = append(bs, b)
	}
	return pb, bs
}

// times repeats a ballot n times.
func times(n int, b string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = b
	}
	return out
}

func atoi(t testing.TB, s string) int64 {
	t.Helper()
	r, ok := new(big.Int).SetString(s, 10)
	if !ok || !r.IsInt64() {
		t.Fatalf("bad number %q", s)
	}
	return r.Int64()
}

func ids(pb Budget, idx []int) string {
	var out []string
	for _, i := range idx {
		out = append(out, pb.Projects[i].ID)
	}
	return strings.Join(out, " ")
}

func sortedIDs(pb Budget, idx []int) string {
	var out []string
	for _, i := range idx {
		out = append(out, pb.Projects[i].ID)
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// oneRun runs equal shares once with endowment budget ÷ voters, without the
// completion: the rule as its authors' hand-worked examples apply it.
func oneRun(t *testing.T, pb Budget, bs []Ballot) runResult {
	t.Helper()
	if err := checkBudget(RuleMES, pb); err != nil {
		t.Fatal(err)
	}
	gs, of, scores, err := groupBallots(pb, bs)
	if err != nil {
		t.Fatal(err)
	}
	m := newMES(pb, scores, gs, int64(len(bs)))
	m.wantPaid = true
	r := m.run(big.NewRat(pb.Budget, int64(len(bs))))
	// Per ballot rather than per group, for the tests.
	paid := make([]*big.Rat, len(bs))
	for i, g := range of {
		paid[i] = r.paid[g]
	}
	r.paid = paid
	return r
}

// Lackner & Skowron, Multi-Winner Voting with Approval Preferences (2023),
// Example 12 (abcvoting's test_abcbook_example12): 8 voters, unit costs,
// committee of 3. Equal shares picks c at q = 1/5, then a at q = 13/40, and
// the voters are left with (7/40, 7/40, 7/40, 1/20, 1/20, 0, 0, 3/8).
func TestBudgetMESBookExample12(t *testing.T) {
	ballots := append(append(append(times(3, "c,d"), times(2, "a,b")...), times(2, "a,c")...), "b,d")
	pb, bs := pbCase(t, 3, 1, "a:1 b:1 c:1 d:1", ballots...)
	r := oneRun(t, pb, bs)
	if got := ids(pb, r.funded); got != "c a" {
		t.Fatalf("funded %q, want \"c a\"", got)
	}
	want := []string{"7/40", "7/40", "7/40", "1/20", "1/20", "0", "0", "3/8"}
	left := leftPerBallot(r, bs)
	for i, w := range want {
		if left[i].RatString() != w {
			t.Errorf("voter %d left with %s, want %s", i, left[i].RatString(), w)
		}
	}
	if !slices.Equal(r.payers, []int64{5, 4}) {
		t.Errorf("payers %v, want [5 4]", r.payers)
	}
	// Add1's next run (endowment 11/8) funds all four, over the budget, so
	// the first run is kept; the greedy fill then adds d (4 votes).
	full, err := CountBudget(RuleMES, pb, bs)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(pb, full.Selected); got != "c a d" || full.ByMES != 2 || full.Endowment.RatString() != "3/8" {
		t.Fatalf("selected %q (%d by MES, endowment %s), want \"c a d\" (2, 3/8)", got, full.ByMES, full.Endowment.RatString())
	}
	if full.Shares[0].RatString() != "1/5" || full.Shares[1].RatString() != "13/40" || !slices.Equal(full.Payers, []int64{5, 4, 0}) {
		t.Errorf("shares %v payers %v, want [1/5 13/40] [5 4 0]", full.Shares, full.Payers)
	}
}

// The book's running example (Example 1, 11): 12 voters, 7 unit-cost
// candidates, committee of 4. Equal shares picks only a, at q = 1/8, and its
// 8 supporters keep 5/24 each. pabutools' test_iterated_exhaustion asserts
// the same outcome ([a]) for method_of_equal_shares with Cost_Sat.
func TestBudgetMESBookExample11(t *testing.T) {
	ballots := append(append(append(times(3, "a,b"), times(3, "a,c")...), times(2, "a,d")...), "b,c,f", "e", "f", "g")
	pb, bs := pbCase(t, 4, 1, "a:1 b:1 c:1 d:1 e:1 f:1 g:1", ballots...)
	r := oneRun(t, pb, bs)
	if got := ids(pb, r.funded); got != "a" {
		t.Fatalf("funded %q, want \"a\"", got)
	}
	left := leftPerBallot(r, bs)
	for i := range 8 {
		if left[i].RatString() != "5/24" {
			t.Errorf("voter %d left with %s, want 5/24", i, left[i].RatString())
		}
	}
	if left[8].RatString() != "1/3" {
		t.Errorf("voter 8 left with %s, want 1/3", left[8].RatString())
	}
}

// pabutools tests/test_rule.py, "AppEx_2" and "AppEx_3": costs 1, 0.9, 2,
// 1.09 and budget 4 (here in hundredths). method_of_equal_shares with
// Cost_Sat funds {p0, p2}; with voter_budget_increment 1/10 it funds
// {p0, p1, p2}. AppEx_3 adds three projects nobody approves: same outcome.
func TestBudgetMESPabutoolsAppEx(t *testing.T) {
	for _, extra := range []string{"", " p4:109 p5:109"} {
		pb, bs := pbCase(t, 400, 10, "p0:100 p1:90 p2:200 p3:109"+extra, "p0", "p1,p2,p3", "p1,p2,p3", "p2")
		if got := sortedIDs(pb, oneRun(t, pb, bs).funded); got != "p0 p2" {
			t.Errorf("one run funds %q, want \"p0 p2\"", got)
		}
		r, err := CountBudget(RuleMES, pb, bs)
		if err != nil {
			t.Fatal(err)
		}
		if got := sortedIDs(pb, r.Selected[:r.ByMES]); got != "p0 p1 p2" {
			t.Errorf("Add1 funds %q, want \"p0 p1 p2\"", got)
		}
		if got := sortedIDs(pb, r.Selected); got != "p0 p1 p2" || r.Spent != 390 || r.Left != 10 {
			t.Errorf("selected %q, spent %d, left %d; want \"p0 p1 p2\", 390, 10", got, r.Spent, r.Left)
		}
	}
}

// pabutools test_completion: costs a 1, b 2, c 2, d 1, e 1, f 1, budget 5.
// Equal shares (one run) funds only a, as pabutools asserts. The greedy fill
// then follows issue #18's tie rule (equal score: lower cost first), so d
// (2 approvals, cost 1) comes before b (2 approvals, cost 2): {a, c, d, e}.
// pabutools' default lexicographic tie-breaking gives {a, b, c} instead.
func TestBudgetMESCompletionTieRule(t *testing.T) {
	ballots := append(append(append(times(2, "a,b"), "a"), times(3, "a,c")...), append(times(2, "a,d"), "f", "e")...)
	pb, bs := pbCase(t, 5, 1, "a:1 b:2 c:2 d:1 e:1 f:1", ballots...)
	r := oneRun(t, pb, bs)
	if got := ids(pb, r.funded); got != "a" {
		t.Fatalf("one run funds %q, want \"a\"", got)
	}
	fill := greedyFill(pb, scoresOf(pb, bs), r.funded, pb.Budget-r.cost)
	if got := ids(pb, fill); got != "c d e" {
		t.Errorf("greedy fill %q, want \"c d e\"", got)
	}
}

// pabutools "AppEx_1": every project approved by both voters, budget 3.
// Greedy with Cost_Sat may return any of {p0,p2} {p0,p3} {p1} {p2,p3}; the
// issue's tie rule (lower cost, then ID) picks p0 then p3.
func TestBudgetGreedyTieRule(t *testing.T) {
	pb, bs := pbCase(t, 3, 1, "p0:1 p1:3 p2:2 p3:1", "p0,p1,p2,p3", "p0,p1,p2,p3")
	r, err := CountBudget(RuleGreedy, pb, bs)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(pb, r.Selected); got != "p0 p3" || r.Spent != 2 || r.Left != 1 {
		t.Errorf("greedy %q spent %d left %d, want \"p0 p3\" 2 1", got, r.Spent, r.Left)
	}
}

// The 51/49 example of the method's authors (equalshares.net, Wikipedia):
// 51 voters approve 10 red projects, 49 approve 10 blue ones, the money
// buys 10. Greedy funds the 10 red; equal shares funds 5 red and 5 blue.
func TestBudgetMESProportional(t *testing.T) {
	var projects []string
	var red, blue []string
	for i := range 10 {
		projects = append(projects, "r"+string(rune('0'+i))+":100", "b"+string(rune('0'+i))+":100")
		red = append(red, "r"+string(rune('0'+i)))
		blue = append(blue, "b"+string(rune('0'+i)))
	}
	ballots := append(times(51, strings.Join(red, ",")), times(49, strings.Join(blue, ","))...)
	pb, bs := pbCase(t, 1000, 1, strings.Join(projects, " "), ballots...)
	r, err := CountBudget(RuleMES, pb, bs)
	if err != nil {
		t.Fatal(err)
	}
	nRed := 0
	for _, p := range r.Selected {
		if pb.Projects[p].ID[0] == 'r' {
			nRed++
		}
	}
	if len(r.Selected) != 10 || nRed != 5 {
		t.Errorf("mes funds %q, want 5 red and 5 blue", ids(pb, r.Selected))
	}
	if got := sortedIDs(pb, r.Greedy); got != strings.Join(slices.Sorted(slices.Values(red)), " ") {
		t.Errorf("greedy funds %q, want the 10 red", got)
	}
}

// Cumulative ballots: utility is points × cost, so a voter giving 3 points
// pays three times what a voter giving 1 point pays, until out of money.
func TestBudgetMESPoints(t *testing.T) {
	// 2 voters, budget 8: each holds 4. x costs 4: A gives 3, B gives 1:
	// q·3 + q·1 = 4, q = 1, A pays 3, B pays 1.
	pb, bs := pbCase(t, 8, 1, "x:4 y:4", "x=3,y=1", "x=1")
	r := oneRun(t, pb, bs)
	if got := ids(pb, r.funded); got != "x" {
		t.Fatalf("funded %q, want x", got)
	}
	if r.paid[0].RatString() != "3" || r.paid[1].RatString() != "1" {
		t.Errorf("paid %s and %s, want 3 and 1", r.paid[0].RatString(), r.paid[1].RatString())
	}
}

func TestBudgetBadInput(t *testing.T) {
	pb, bs := pbCase(t, 10, 1, "a:5 b:5", "a")
	cases := []struct {
		name string
		edit func(*Budget, *[]Ballot)
		want Problem
	}{
		{"cost above the maximum", func(p *Budget, _ *[]Ballot) { p.Projects[0].Cost = MaxAmount + 1 }, ProblemCost},
		{"negative cost", func(p *Budget, _ *[]Ballot) { p.Projects[0].Cost = -1 }, ProblemCost},
		{"duplicate id", func(p *Budget, _ *[]Ballot) { p.Projects[1].ID = "a" }, ProblemID},
		{"no budget", func(p *Budget, _ *[]Ballot) { p.Budget = 0 }, ProblemBudget},
		{"no increment", func(p *Budget, _ *[]Ballot) { p.Increment = 0 }, ProblemBudget},
		{"approval value 2", func(_ *Budget, b *[]Ballot) { (*b)[0].Values[0] = 2 }, ProblemValue},
		{"short ballot", func(_ *Budget, b *[]Ballot) { (*b)[0].Values = []int{1} }, ProblemLength},
		{"too many points", func(p *Budget, b *[]Ballot) { p.Points = 3; (*b)[0].Values = []int{2, 2} }, ProblemDots},
	}
	for _, c := range cases {
		p := pb
		p.Projects = slices.Clone(pb.Projects)
		b := []Ballot{{Values: slices.Clone(bs[0].Values)}}
		c.edit(&p, &b)
		_, err := CountBudget(RuleMES, p, b)
		e, ok := err.(*Error)
		if !ok || e.Problem != c.want {
			t.Errorf("%s: error %v, want problem %s", c.name, err, c.want)
		}
	}
	if _, err := CountBudget("knapsack", pb, bs); err == nil {
		t.Error("unknown rule accepted")
	}
}

// A project costing more than the budget is never funded, even when its
// supporters could pay for it in a late Add1 run: that run overspends, so the
// previous one is kept.
func TestBudgetCostAboveBudget(t *testing.T) {
	pb, bs := pbCase(t, 10, 1, "big:30 a:4 b:4", "big,a", "big,a", "big,b", "big")
	for _, rule := range []BudgetRule{RuleMES, RuleGreedy} {
		r, err := CountBudget(rule, pb, bs)
		if err != nil {
			t.Fatal(err)
		}
		if got := sortedIDs(pb, r.Selected); got != "a b" || r.Spent != 8 {
			t.Errorf("%s funds %q (spent %d), want \"a b\" (8)", rule, got, r.Spent)
		}
	}
}

func leftPerBallot(r runResult, bs []Ballot) []*big.Rat {
	out := make([]*big.Rat, len(bs))
	for i := range bs {
		out[i] = new(big.Rat).Sub(r.endowment, r.paid[i])
	}
	return out
}

func scoresOf(pb Budget, bs []Ballot) []int64 {
	s := make([]int64, len(pb.Projects))
	for _, b := range bs {
		for i, v := range b.Values {
			s[i] += int64(v)
		}
	}
	return s
}
