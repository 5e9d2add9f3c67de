package tally

import "math/big"

// countBorda gives each option, on each ballot, the number of options ranked
// below it plus half the number of other options tied with it: tied options
// share the average of their places' points. Unranked options are tied last.
// Points are accumulated doubled, as integers, then halved exactly.
func countBorda(r *Result, p *profile) {
	n := p.n
	doubled := make([]int64, n)
	size := make([]int, n+1)  // options per dense rank
	above := make([]int, n+1) // options ranked strictly better
	for g, c := range p.counts {
		ranks := p.group(g)
		clear(size)
		ranked := 0
		for _, rk := range ranks {
			if rk != unranked {
				size[rk]++
				ranked++
			}
		}
		acc := 0
		for rk := 1; rk <= n; rk++ {
			above[rk] = acc
			acc += size[rk]
		}
		for i, rk := range ranks {
			// Twice the average of the points of places above+1 … above+tied:
			// 2n − 2·above − tied − 1.
			var pts int
			if rk == unranked {
				pts = 2*n - 2*ranked - (n - ranked) - 1
			} else {
				pts = 2*n - 2*above[rk] - size[rk] - 1
			}
			doubled[i] += int64(c) * int64(pts)
		}
	}
	r.Points = make([]*big.Rat, n)
	for i, d := range doubled {
		r.Points[i] = big.NewRat(d, 2)
	}
	r.Ranking = tiers(n, moreRat(r.Points))
}
