package tally_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/engage-org/engage/core/tally"
	"github.com/engage-org/engage/internal/cputime"
)

// benchOptions is the number of options in benchmark polls.
const benchOptions = 10

// popularity weighs the options of benchmark polls: a few favourites and a
// long tail, as in real community polls.
var popularity = [benchOptions]int{30, 22, 16, 12, 8, 5, 3, 2, 1, 1}

// pick draws an option by popularity among those not in taken.
func pick(rng *rand.Rand, taken []bool) int {
	total := 0
	for i, w := range popularity {
		if !taken[i] {
			total += w
		}
	}
	x := rng.IntN(total)
	for i, w := range popularity {
		if taken[i] {
			continue
		}
		if x < w {
			return i
		}
		x -= w
	}
	return -1
}

// benchBallots returns count realistic random ballots for m, from a fixed
// seed, and the settings they need.
func benchBallots(m tally.Method, count int) ([]tally.Ballot, tally.Settings) {
	rng := rand.New(rand.NewPCG(1, uint64(len(m))))
	s := tally.Settings{ScaleMin: 0, ScaleMax: 10, Dots: 8, Grades: 6, JuryWeight: 50, Seats: 3}
	values := make([]int, count*benchOptions) // one backing array: less GC work
	ballots := make([]tally.Ballot, count)
	taken := make([]bool, benchOptions)
	for k := range ballots {
		v := values[k*benchOptions : (k+1)*benchOptions : (k+1)*benchOptions]
		clear(taken)
		var jury bool
		switch m {
		case tally.Single, tally.Contest:
			v[pick(rng, taken)] = 1
			jury = m == tally.Contest && rng.IntN(100) == 0 // 1% jury
		case tally.Approval:
			for i, w := range popularity {
				if rng.IntN(40) < w+4 {
					v[i] = 1
				}
			}
		case tally.IRV, tally.Schulze, tally.Borda:
			// Most members rank 1 to 5 options, some rank them all; 5% put
			// two options equal.
			ranked := 1 + rng.IntN(5)
			if rng.IntN(10) == 0 {
				ranked = benchOptions
			}
			rank := 1
			for range ranked {
				o := pick(rng, taken)
				taken[o] = true
				v[o] = rank
				if rng.IntN(20) != 0 {
					rank++
				}
			}
		case tally.STV:
			// Distinct ranks: most rank 1 to 5 options, some rank them all.
			ranked := 1 + rng.IntN(5)
			if rng.IntN(10) == 0 {
				ranked = benchOptions
			}
			for r := range ranked {
				o := pick(rng, taken)
				taken[o] = true
				v[o] = r + 1
			}
		case tally.Score:
			for i, w := range popularity {
				v[i] = min(max(w/4+rng.IntN(7)-2, s.ScaleMin), s.ScaleMax)
			}
		case tally.Dot:
			for range rng.IntN(s.Dots + 1) {
				v[pick(rng, taken)]++
			}
		case tally.Judgment:
			for i, w := range popularity {
				v[i] = min(max(w/6+rng.IntN(5)-1, 0), s.Grades-1)
			}
		case tally.Date:
			for i := range v {
				v[i] = rng.IntN(3)
			}
		}
		ballots[k] = tally.Ballot{Values: v, Jury: jury}
	}
	return ballots, s
}

// BenchmarkCount recounts a poll of 10 options per method at 100k and 1M
// ballots in each iteration (each tenth of the 1M ballots, then all of them)
// and reports the CPU time of each size and their ratio, 1M/100k: the time
// must grow linearly with the ballots (target ≤ 11).
//
// Both sizes read ballots that are not in the CPU cache, as a recount of
// ballots loaded from the store does: 1M ballots (about 112 MB) never fit,
// and each 100k count reads another tenth of the same 1M ballots. Recounting one 100k slice over and over would keep its 11 MB in
// the last-level cache and make the ratio measure cache against RAM
// bandwidth rather than the count's growth.
func BenchmarkCount(b *testing.B) {
	const all, tenth = 1_000_000, 100_000
	for _, m := range tally.Methods() {
		b.Run(string(m), func(b *testing.B) {
			ballots, s := benchBallots(m, all)
			count := func(part []tally.Ballot) time.Duration {
				start, _ := cputime.Now()
				if _, err := tally.Count(m, benchOptions, part, s); err != nil {
					b.Fatal(err)
				}
				end, _ := cputime.Now()
				return end - start
			}
			if _, ok := cputime.Now(); !ok {
				b.Skip("no CPU clock on this platform")
			}
			var small, large time.Duration
			for b.Loop() {
				for k := range all / tenth {
					small += count(ballots[k*tenth : (k+1)*tenth])
				}
				large += count(ballots)
			}
			small /= all / tenth
			b.ReportMetric(float64(small.Nanoseconds())/float64(b.N), "cpu-ns/100k")
			b.ReportMetric(float64(large.Nanoseconds())/float64(b.N), "cpu-ns/1M")
			b.ReportMetric(float64(large)/float64(small), "1M/100k")
		})
	}
}

// BenchmarkLiveAdd casts one ballot into a running tally that already holds
// 1k or 1M ballots. The cost must not depend on the ballots already counted.
func BenchmarkLiveAdd(b *testing.B) {
	for _, m := range tally.Methods() {
		b.Run(string(m), func(b *testing.B) {
			pool, s := benchBallots(m, 4096)
			for _, size := range []struct {
				name    string
				counted int
			}{{"1k", 1_000}, {"1M", 1_000_000}} {
				b.Run(size.name, func(b *testing.B) {
					l, err := tally.NewLive(m, benchOptions, s)
					if err != nil {
						b.Fatal(err)
					}
					for k := range size.counted {
						if err := l.Add(pool[k%len(pool)]); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportAllocs()
					k := 0
					measureCPU(b, func() {
						if err := l.Add(pool[k%len(pool)]); err != nil {
							b.Fatal(err)
						}
						k++
					})
				})
			}
		})
	}
}

// measureCPU runs op in a b.Loop and reports, beside the wall time, the
// process CPU time per op as cpu-ns/op where the platform measures it (on a
// shared machine it does not grow with the time other processes hold the CPU).
func measureCPU(b *testing.B, op func()) {
	start, ok := cputime.Now()
	ops := 0
	for b.Loop() {
		op()
		ops++
	}
	if end, _ := cputime.Now(); ok && ops > 0 {
		b.ReportMetric(float64(end-start)/float64(ops), "cpu-ns/op")
	}
}
