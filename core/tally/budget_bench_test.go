package tally_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

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

func BenchmarkBudgetMES(b *testing.B) {
	for _, voters := range []int{5_000, 50_000} {
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

// TestBudgetMESCost checks the acceptance figures: 100 projects and 50 000
// approval ballots count in under 2 s, and ten times the ballots cost at
// most about ten times the time (10 000 against 100 000 ballots, CPU
// time, ratio ≤ 11). The budget is fixed, as a city's is: more voters mean
// a smaller endowment each, so fewer Add1 runs.
func TestBudgetMESCost(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	measure := func(voters int) time.Duration {
		pb, bs := pbInstance(100, voters, 1)
		start, _ := cpuTime()
		r, err := tally.CountBudget(tally.RuleMES, pb, bs)
		if err != nil {
			t.Fatal(err)
		}
		end, _ := cpuTime()
		d := end - start
		t.Logf("%d ballots: %v CPU, %d funded (%d by equal shares), endowment %s", voters, d, len(r.Selected), r.ByMES, r.Endowment.FloatString(2))
		return d
	}
	if d := measure(50_000); d > 2*time.Second {
		t.Errorf("50 000 ballots took %v, want < 2 s", d)
	}
	small, big := measure(10_000), measure(100_000)
	if ratio := float64(big) / float64(max(small, 10*time.Millisecond)); ratio > 11 {
		t.Errorf("10× the ballots took %.1f× the time, want ≤ 11", ratio)
	}
}
