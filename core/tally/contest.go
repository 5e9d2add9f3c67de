package tally

import "math/big"

// contestCounter weights the jury's and the public's single-choice ballots.
// Each group's votes are normalised to the group's size, so a jury of 5 and a
// public of 500 weigh what Settings.JuryWeight says: option i gets
// W·jury_i/J + (100−W)·public_i/P percent. A group that cast no ballot
// contributes 0 to every option.
type contestCounter struct {
	public, jury  []int
	juryBallots   int
	publicBallots int
	weight        int
}

func (c *contestCounter) add(b Ballot) {
	w := b.weight()
	if b.Jury {
		c.jury[choice(b)] += w
		c.juryBallots += w
	} else {
		c.public[choice(b)] += w
		c.publicBallots += w
	}
}

func (c *contestCounter) finish(r *Result) {
	r.Counts, r.JuryCounts, r.JuryBallots = c.public, c.jury, c.juryBallots
	r.Shares = make([]*big.Rat, len(c.public))
	for i := range r.Shares {
		share := new(big.Rat)
		if c.juryBallots > 0 {
			share.Add(share, big.NewRat(int64(c.weight)*int64(c.jury[i]), int64(c.juryBallots)))
		}
		if c.publicBallots > 0 {
			share.Add(share, big.NewRat(int64(100-c.weight)*int64(c.public[i]), int64(c.publicBallots)))
		}
		r.Shares[i] = share
	}
	r.Ranking = tiers(len(c.public), moreRat(r.Shares))
}
