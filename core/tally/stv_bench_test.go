package tally_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/engage-org/engage/core/tally"
	"github.com/engage-org/engage/internal/cputime"
)

// stvBenchGroups returns count ballots over n candidates, each a weight-1
// group: candidates drawn by a skewed popularity, 1 to 6 preferences, one
// ballot in ten ranking every candidate. The orders share one backing array.
func stvBenchGroups(count, n int) []tally.RankedGroup {
	rng := rand.New(rand.NewPCG(17, 71))
	weight := make([]int, n)
	for i := range weight {
		weight[i] = 1 + (n-i)*(n-i)/4
	}
	pool := make([]int, 0, count*4)
	groups := make([]tally.RankedGroup, count)
	taken := make([]bool, n)
	for k := range groups {
		clear(taken)
		ranked := 1 + rng.IntN(6)
		if rng.IntN(10) == 0 {
			ranked = n
		}
		start := len(pool)
		for range ranked {
			total := 0
			for i, w := range weight {
				if !taken[i] {
					total += w
				}
			}
			x := rng.IntN(total)
			for i, w := range weight {
				if taken[i] {
					continue
				}
				if x < w {
					taken[i] = true
					pool = append(pool, i)
					break
				}
				x -= w
			}
		}
		groups[k] = tally.RankedGroup{Order: pool[start:len(pool):len(pool)], Weight: 1}
	}
	return groups
}

// BenchmarkSTV counts 20 candidates for 5 seats from 100k and 1M ballots,
// by the Scottish rules and by Meek: in each iteration each tenth of the 1M
// ballots, then all of them, as BenchmarkCount does. It reports the CPU time
// of each size and their ratio, 1M/100k: the time must grow linearly with the
// ballots (≤ 11).
func BenchmarkSTV(b *testing.B) {
	const n, seats = 20, 5
	const all, tenth = 1_000_000, 100_000
	groups := stvBenchGroups(all, n)
	if _, ok := cputime.Now(); !ok {
		b.Skip("no CPU clock on this platform")
	}
	for _, meek := range []bool{false, true} {
		name := "scottish"
		if meek {
			name = "meek"
		}
		s := tally.Settings{Seats: seats, Meek: meek}
		b.Run(name, func(b *testing.B) {
			count := func(part []tally.RankedGroup) time.Duration {
				start, _ := cputime.Now()
				if _, err := tally.CountSTV(n, part, s); err != nil {
					b.Fatal(err)
				}
				end, _ := cputime.Now()
				return end - start
			}
			var small, large time.Duration
			for b.Loop() {
				for k := range all / tenth {
					small += count(groups[k*tenth : (k+1)*tenth])
				}
				large += count(groups)
			}
			small /= all / tenth
			b.ReportMetric(float64(small.Nanoseconds())/float64(b.N), "cpu-ns/100k")
			b.ReportMetric(float64(large.Nanoseconds())/float64(b.N), "cpu-ns/1M")
			b.ReportMetric(float64(large)/float64(small), "1M/100k")
		})
	}
}
