package tally_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/engage-org/engage/core/tally"
)

// pbInstance is a synthetic city budget: projects costing 5 000 € to
// 150 000 € (in cents), a budget of 1 000 000 €, and voters approving 1 to
// 10 projects each, popular projects more often (weights 1/(rank+1)).
func pbInstance(projects, voters int, seed uint64) (tally.Budget, []tally.Ballot) {
	rng := rand.New(rand.NewPCG(seed, 18))
	pb := tally.Budget{Budget: 1_000_000_00, Increment: 100}
	weights := make([]float64, projects)
	total := 0.0
	for i := range projects {
		pb.Projects = append(pb.Projects, tally.BudgetProject{ID: fmt.Sprintf("P%03d", i), Cost: int64(5_000+rng.IntN(145_001)) * 100})
		weights[i] = 1 / float64(i+1)
		total += weights[i]
	}
	bs := make([]tally.Ballot, voters)
	for v := range bs {
		b := tally.Ballot{Values: make([]int, projects)}
		k := 1 + rng.IntN(10)
		for range k {
			x := rng.Float64() * total
			i := 0
			for ; i < projects-1 && x > weights[i]; i++ {
				x -= weights[i]
			}
			b.Values[i] = 1
		}
		bs[v] = b
	}
	return pb, bs
}

// BenchmarkBudgetMES counts a city budget of 100 projects by the Method of
// Equal Shares for 10 000, 50 000 and 100 000 approval ballots: the targets are
// 50 000 ballots under 2 s and 100 000 at most 11 times 10 000 (compare the
// sub-benchmarks of one run; the budget is fixed, as a city's is, so more
// voters mean a smaller endowment each and fewer Add1 runs).
func BenchmarkBudgetMES(b *testing.B) {
	for _, voters := range []int{10_000, 50_000, 100_000} {
		pb, bs := pbInstance(100, voters, 1)
		b.Run(fmt.Sprint(voters), func(b *testing.B) {
			for b.Loop() {
				if _, err := tally.CountBudget(tally.RuleMES, pb, bs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
