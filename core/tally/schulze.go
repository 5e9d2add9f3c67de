package tally

// schulzeCounter computes the pairwise preferences d ballot by ballot, then
// the strongest paths p with winning-votes link strengths, and ranks options
// in tiers: first the options nobody beats, then those beaten only by
// earlier tiers, and so on.
type schulzeCounter struct {
	n  int
	d  []int // d[i*n+j]: ballots ranking i above j
	rk ranker
}

func newSchulzeCounter(n int) *schulzeCounter {
	return &schulzeCounter{n: n, d: make([]int, n*n), rk: newRanker(n)}
}

func (c *schulzeCounter) add(b Ballot) {
	dense, _ := c.rk.rank(b.Values)
	w := b.weight()
	for i, ri := range dense {
		if ri == unranked {
			continue
		}
		row := c.d[i*c.n : (i+1)*c.n]
		for j, rj := range dense {
			inc := 0
			if ri < rj { // an unranked rj is the largest rank
				inc = w
			}
			row[j] += inc
		}
	}
}

func (c *schulzeCounter) finish(r *Result) {
	n, d := c.n, c.d
	r.Pairwise = square(n, d)

	// Widest paths, Floyd–Warshall style (Schulze 2011, §2.3).
	s := make([]int, n*n)
	for i := range n {
		for j := range n {
			if i != j && d[i*n+j] > d[j*n+i] {
				s[i*n+j] = d[i*n+j]
			}
		}
	}
	for k := range n {
		for i := range n {
			if i == k {
				continue
			}
			sik := s[i*n+k]
			if sik == 0 {
				continue
			}
			for j := range n {
				if j == i || j == k {
					continue
				}
				if w := min(sik, s[k*n+j]); w > s[i*n+j] {
					s[i*n+j] = w
				}
			}
		}
	}
	r.Strongest = square(n, s)

	// Tiers by layers of the "beats" relation, a strict partial order.
	placed := make([]bool, n)
	for left := n; left > 0; {
		var tier []int
		for j := range n {
			if placed[j] {
				continue
			}
			beaten := false
			for i := range n {
				if !placed[i] && s[i*n+j] > s[j*n+i] {
					beaten = true
					break
				}
			}
			if !beaten {
				tier = append(tier, j)
			}
		}
		if len(tier) == 0 {
			// Unreachable: the relation is transitive, so some remaining
			// option is unbeaten. Keep the count total rather than loop.
			for j := range n {
				if !placed[j] {
					tier = append(tier, j)
				}
			}
		}
		for _, j := range tier {
			placed[j] = true
		}
		left -= len(tier)
		r.Ranking = append(r.Ranking, tier)
	}
}

// square cuts a flat n×n matrix into rows.
func square(n int, flat []int) [][]int {
	m := make([][]int, n)
	for i := range m {
		m[i] = flat[i*n : (i+1)*n : (i+1)*n]
	}
	return m
}
