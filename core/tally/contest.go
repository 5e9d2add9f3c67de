package tally

import "math/big"

// countContest weights the jury's and the public's single-choice ballots.
// Each group's votes are normalised to the group's size, so a jury of 5 and a
// public of 500 weigh what Settings.JuryWeight says: option i gets
// W·jury_i/J + (100−W)·public_i/P percent. A group that cast no ballot
// contributes 0 to every option.
func countContest(r *Result, n int, ballots []Ballot, s Settings) {
	r.Counts = make([]int, n)
	r.JuryCounts = make([]int, n)
	for _, b := range ballots {
		if b.Jury {
			r.JuryCounts[choice(b)]++
			r.JuryBallots++
		} else {
			r.Counts[choice(b)]++
		}
	}
	public := r.Ballots - r.JuryBallots
	r.Shares = make([]*big.Rat, n)
	for i := range n {
		share := new(big.Rat)
		if r.JuryBallots > 0 {
			share.Add(share, big.NewRat(int64(s.JuryWeight)*int64(r.JuryCounts[i]), int64(r.JuryBallots)))
		}
		if public > 0 {
			share.Add(share, big.NewRat(int64(100-s.JuryWeight)*int64(r.Counts[i]), int64(public)))
		}
		r.Shares[i] = share
	}
	r.Ranking = tiers(n, moreRat(r.Shares))
}
