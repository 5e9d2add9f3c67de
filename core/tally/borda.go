package tally

import "math/big"

// bordaCounter gives each option, on each ballot, the number of options
// ranked below it plus half the number of other options tied with it: tied
// options share the average of their places' points. Unranked options are
// tied last. Points are accumulated doubled, as integers, and halved exactly
// at the end.
type bordaCounter struct {
	n       int
	doubled []int64
	rk      ranker
	pts     []int // per dense rank: twice the points of an option at it
}

func newBordaCounter(n int) *bordaCounter {
	return &bordaCounter{n: n, doubled: make([]int64, n), rk: newRanker(n), pts: make([]int, n+1)}
}

func (c *bordaCounter) add(b Ballot) {
	dense, levels := c.rk.rank(b.Values)
	// size shares pts' storage: pts[r] replaces size[r] once read.
	size := c.pts[:levels+1]
	clear(size)
	ranked := 0
	for _, r := range dense {
		if r != unranked {
			size[r]++
			ranked++
		}
	}
	// An option at dense rank r, below `above` options and tied with
	// size[r]-1 others, gets twice the average of the points of places
	// above+1 … above+size[r]: 2n − 2·above − size[r] − 1.
	above := 0
	for r := 1; r <= levels; r++ {
		k := size[r]
		c.pts[r] = 2*c.n - 2*above - k - 1
		above += k
	}
	last := c.n - ranked - 1 // unranked options share the last places
	w := int64(b.weight())
	for i, r := range dense {
		if r == unranked {
			c.doubled[i] += int64(last) * w
		} else {
			c.doubled[i] += int64(c.pts[r]) * w
		}
	}
}

func (c *bordaCounter) finish(r *Result) {
	r.Points = make([]*big.Rat, c.n)
	for i, d := range c.doubled {
		r.Points[i] = big.NewRat(d, 2)
	}
	r.Ranking = tiers(c.n, moreRat(r.Points))
}
