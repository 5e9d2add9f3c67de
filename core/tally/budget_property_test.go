package tally

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// drawBudget draws a small budget poll and valid ballots: approval or
// cumulative, costs up to the budget (some 0), Add1 steps of 1 to 5.
func drawBudget(t *rapid.T) (Budget, []Ballot) {
	n := rapid.IntRange(1, 7).Draw(t, "projects")
	pb := Budget{Budget: rapid.Int64Range(1, 60).Draw(t, "budget"), Increment: rapid.Int64Range(1, 5).Draw(t, "increment")}
	if rapid.Bool().Draw(t, "cumulative") {
		pb.Points = rapid.IntRange(1, 6).Draw(t, "points")
	}
	for i := range n {
		pb.Projects = append(pb.Projects, BudgetProject{ID: fmt.Sprintf("p%d", i), Cost: rapid.Int64Range(0, pb.Budget).Draw(t, "cost")})
	}
	voters := rapid.IntRange(0, 25).Draw(t, "voters")
	bs := make([]Ballot, voters)
	for v := range bs {
		vals := make([]int, n)
		left := pb.Points
		for i := range vals {
			if pb.Points == 0 {
				vals[i] = rapid.IntRange(0, 1).Draw(t, "approve")
			} else if left > 0 {
				vals[i] = rapid.IntRange(0, left).Draw(t, "give")
				left -= vals[i]
			}
		}
		bs[v] = Ballot{Values: vals}
	}
	return pb, bs
}

// The funded projects never cost more than the budget, Left is what is
// left, and no project is funded twice.
func TestBudgetPropertyWithinBudget(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pb, bs := drawBudget(t)
		for _, rule := range []BudgetRule{RuleMES, RuleGreedy} {
			r, err := CountBudget(rule, pb, bs)
			if err != nil {
				t.Fatal(err)
			}
			var cost int64
			for _, p := range r.Selected {
				cost += pb.Projects[p].Cost
			}
			if cost != r.Spent || r.Spent > pb.Budget || r.Left != pb.Budget-r.Spent {
				t.Fatalf("%s: cost %d, spent %d, left %d, budget %d", rule, cost, r.Spent, r.Left, pb.Budget)
			}
			if len(slices.Compact(slices.Sorted(slices.Values(r.Selected)))) != len(r.Selected) {
				t.Fatalf("%s: a project funded twice: %v", rule, r.Selected)
			}
		}
	})
}

// In the kept equal-shares run no voter pays more than the endowment (the
// share as raised by Add1) or less than nothing, and the voters' payments add
// up to exactly the cost of the projects equal shares funded.
func TestBudgetPropertyShares(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pb, bs := drawBudget(t)
		gs, _, scores, err := groupBallots(pb, bs)
		if err != nil {
			t.Fatal(err)
		}
		m := newMES(pb, scores, gs, int64(len(bs)))
		m.wantPaid = true
		r := m.add1()
		if r.endowment == nil {
			if len(r.funded) != 0 {
				t.Fatalf("funded %v without a run", r.funded)
			}
			return
		}
		total := new(big.Rat)
		for gi, paid := range r.paid {
			if paid.Sign() < 0 || paid.Cmp(r.endowment) > 0 {
				t.Fatalf("group %d paid %s of %s", gi, paid.RatString(), r.endowment.RatString())
			}
			total.Add(total, new(big.Rat).Mul(paid, big.NewRat(gs[gi].mult, 1)))
		}
		if total.Cmp(big.NewRat(r.cost, 1)) != 0 {
			t.Fatalf("voters paid %s for projects costing %d", total.RatString(), r.cost)
		}
	})
}

// The result depends neither on the order of the ballots nor on the order of
// the projects in the input.
func TestBudgetPropertyOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pb, bs := drawBudget(t)
		perm := rapid.Permutation(seq(len(pb.Projects))).Draw(t, "projectOrder")
		border := rapid.Permutation(seq(len(bs))).Draw(t, "ballotOrder")
		pb2 := pb
		pb2.Projects = make([]BudgetProject, len(perm))
		for to, from := range perm {
			pb2.Projects[to] = pb.Projects[from]
		}
		bs2 := make([]Ballot, len(bs))
		for to, from := range border {
			v := make([]int, len(perm))
			for pto, pfrom := range perm {
				v[pto] = bs[from].Values[pfrom]
			}
			bs2[to] = Ballot{Values: v}
		}
		for _, rule := range []BudgetRule{RuleMES, RuleGreedy} {
			r1, err1 := CountBudget(rule, pb, bs)
			r2, err2 := CountBudget(rule, pb2, bs2)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if a, b := ids(pb, r1.Selected), ids(pb2, r2.Selected); a != b || r1.ByMES != r2.ByMES {
				t.Fatalf("%s: %q (%d by MES) then %q (%d) after reordering", rule, a, r1.ByMES, b, r2.ByMES)
			}
			if a, b := ids(pb, r1.Greedy), ids(pb2, r2.Greedy); a != b {
				t.Fatalf("greedy: %q then %q after reordering", a, b)
			}
		}
	})
}

// The counted result equals a direct transcription of the rules: one exact
// budget per voter, every project's ρ recomputed every round, no grouping,
// no floats.
func TestBudgetPropertyNaive(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pb, bs := drawBudget(t)
		r, err := CountBudget(RuleMES, pb, bs)
		if err != nil {
			t.Fatal(err)
		}
		want := naiveMES(pb, bs)
		if got := ids(pb, r.Selected); got != ids(pb, want) {
			t.Fatalf("counted %q, naive %q", got, ids(pb, want))
		}
	})
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// naiveMES is issue #18's mes rule, transcribed.
func naiveMES(pb Budget, bs []Ballot) []int {
	n := len(pb.Projects)
	scores := scoresOf(pb, bs)
	var part []int
	for p := range n {
		if scores[p] > 0 && pb.Projects[p].Cost > 0 {
			part = append(part, p)
		}
	}
	run := func(e *big.Rat) ([]int, int64) {
		b := make([]*big.Rat, len(bs))
		for i := range b {
			b[i] = new(big.Rat).Set(e)
		}
		var funded []int
		var spent int64
		for {
			best, bestRho := -1, (*big.Rat)(nil)
			for _, p := range part {
				if slices.Contains(funded, p) {
					continue
				}
				cost := big.NewRat(pb.Projects[p].Cost, 1)
				hold := new(big.Rat)
				var sup []int
				for i, bl := range bs {
					if bl.Values[p] > 0 {
						sup = append(sup, i)
						hold.Add(hold, b[i])
					}
				}
				if hold.Cmp(cost) < 0 {
					continue
				}
				// u_i = w·cost; pays min(b, ρ·u). Sort by b/u, find ρ.
				u := func(i int) *big.Rat { return big.NewRat(int64(bs[i].Values[p])*pb.Projects[p].Cost, 1) }
				slices.SortFunc(sup, func(x, y int) int {
					return new(big.Rat).Quo(b[x], u(x)).Cmp(new(big.Rat).Quo(b[y], u(y)))
				})
				paid, rest := new(big.Rat), new(big.Rat)
				for _, i := range sup {
					rest.Add(rest, u(i))
				}
				var rho *big.Rat
				for _, i := range sup {
					r := new(big.Rat).Sub(cost, paid)
					r.Quo(r, rest)
					if new(big.Rat).Mul(r, u(i)).Cmp(b[i]) <= 0 {
						rho = r
						break
					}
					paid.Add(paid, b[i])
					rest.Sub(rest, u(i))
				}
				better := best < 0
				if !better {
					switch c := rho.Cmp(bestRho); {
					case c != 0:
						better = c < 0
					case pb.Projects[p].Cost != pb.Projects[best].Cost:
						better = pb.Projects[p].Cost < pb.Projects[best].Cost
					case scores[p] != scores[best]:
						better = scores[p] > scores[best]
					default:
						better = pb.Projects[p].ID < pb.Projects[best].ID
					}
				}
				if better {
					best, bestRho = p, rho
				}
			}
			if best < 0 {
				return funded, spent
			}
			for i, bl := range bs {
				if bl.Values[best] > 0 {
					pay := new(big.Rat).Mul(bestRho, big.NewRat(int64(bl.Values[best])*pb.Projects[best].Cost, 1))
					if pay.Cmp(b[i]) > 0 {
						pay = b[i]
					}
					b[i] = new(big.Rat).Sub(b[i], pay)
				}
			}
			funded = append(funded, best)
			spent += pb.Projects[best].Cost
		}
	}
	var kept []int
	if len(bs) > 0 && len(part) > 0 {
		e := big.NewRat(pb.Budget, int64(len(bs)))
		var prev []int
		for {
			f, spent := run(e)
			if spent > pb.Budget {
				kept = prev
				break
			}
			exhaustive := true
			for _, p := range part {
				if !slices.Contains(f, p) && pb.Projects[p].Cost <= pb.Budget-spent {
					exhaustive = false
				}
			}
			if exhaustive {
				kept = f
				break
			}
			prev = f
			e = new(big.Rat).Add(e, big.NewRat(pb.Increment, 1))
		}
	}
	left := pb.Budget
	for _, p := range kept {
		left -= pb.Projects[p].Cost
	}
	var rest []int
	for p := range n {
		if !slices.Contains(kept, p) {
			rest = append(rest, p)
		}
	}
	slices.SortFunc(rest, func(x, y int) int {
		if c := cmp.Compare(scores[y], scores[x]); c != 0 {
			return c
		}
		if c := cmp.Compare(pb.Projects[x].Cost, pb.Projects[y].Cost); c != 0 {
			return c
		}
		return cmp.Compare(pb.Projects[x].ID, pb.Projects[y].ID)
	})
	out := slices.Clone(kept)
	for _, p := range rest {
		if pb.Projects[p].Cost <= left {
			out = append(out, p)
			left -= pb.Projects[p].Cost
		}
	}
	return out
}

// Larger instances, where voters split into many budget classes and the
// float shortcuts decide most comparisons: the count still agrees with the
// naive transcription. Costs are multiples of 50 and ballots repeat, so
// exact ties between projects and between voters' shares are frequent.
func TestBudgetNaiveLarger(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(5, 12).Draw(t, "projects")
		pb := Budget{Budget: 50 * rapid.Int64Range(4, 40).Draw(t, "budget"), Increment: rapid.Int64Range(1, 50).Draw(t, "increment")}
		if rapid.Bool().Draw(t, "cumulative") {
			pb.Points = rapid.IntRange(2, 10).Draw(t, "points")
		}
		for i := range n {
			pb.Projects = append(pb.Projects, BudgetProject{ID: fmt.Sprintf("p%02d", i), Cost: 50 * rapid.Int64Range(1, 20).Draw(t, "cost")})
		}
		kinds := rapid.IntRange(1, 15).Draw(t, "kinds")
		var bs []Ballot
		for range kinds {
			vals := make([]int, n)
			left := pb.Points
			for i := range vals {
				if pb.Points == 0 {
					vals[i] = rapid.IntRange(0, 1).Draw(t, "approve")
				} else if left > 0 {
					vals[i] = rapid.IntRange(0, left).Draw(t, "give")
					left -= vals[i]
				}
			}
			for range rapid.IntRange(1, 12).Draw(t, "copies") {
				bs = append(bs, Ballot{Values: slices.Clone(vals)})
			}
		}
		r, err := CountBudget(RuleMES, pb, bs)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := ids(pb, r.Selected), ids(pb, naiveMES(pb, bs)); got != want {
			t.Fatalf("counted %q, naive %q", got, want)
		}
	})
}

// A ballot of weight k funds as k copies of it, by both rules.
func TestBudgetPropertyWeightIsCopies(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pb, bs := drawBudget(t)
		if len(bs) == 0 {
			return
		}
		var weighted, copies []Ballot
		for _, b := range bs {
			w := rapid.IntRange(0, 4).Draw(t, "weight")
			weighted = append(weighted, Ballot{Values: b.Values, Weight: w})
			for range max(w, 1) {
				copies = append(copies, Ballot{Values: b.Values})
			}
		}
		for _, rule := range []BudgetRule{RuleMES, RuleGreedy} {
			got, err := CountBudget(rule, pb, weighted)
			if err != nil {
				t.Fatal(err)
			}
			want, err := CountBudget(rule, pb, copies)
			if err != nil {
				t.Fatal(err)
			}
			same := slices.Equal(got.Selected, want.Selected) && slices.Equal(got.Payers, want.Payers) &&
				slices.Equal(got.Scores, want.Scores) && slices.Equal(got.Greedy, want.Greedy) &&
				got.ByMES == want.ByMES && got.Spent == want.Spent && got.Left == want.Left &&
				slices.EqualFunc(got.Shares, want.Shares, func(a, b *big.Rat) bool { return a.Cmp(b) == 0 }) &&
				(got.Endowment == nil) == (want.Endowment == nil) &&
				(got.Endowment == nil || got.Endowment.Cmp(want.Endowment) == 0)
			if !same {
				t.Fatalf("%s: weighted %+v, copies %+v", rule, got, want)
			}
		}
	})
}
