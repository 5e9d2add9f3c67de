package tally

// checkScore accepts scores within the settings' scale.
func checkScore(b Ballot, s Settings) *Error {
	for i, v := range b.Values {
		if v < s.ScaleMin || v > s.ScaleMax {
			return newError(ProblemValue, i, "option %d: score %d outside %d..%d", i, v, s.ScaleMin, s.ScaleMax)
		}
	}
	return nil
}

// countScore ranks options by their total score. Every ballot scores every
// option, so the total orders options as the mean would, and stays exact.
func countScore(r *Result, n int, ballots []Ballot) {
	r.Totals = sums(n, ballots)
	r.Ranking = tiers(n, more(r.Totals))
}

// sums adds up the ballots' values per option.
func sums(n int, ballots []Ballot) []int {
	t := make([]int, n)
	for _, b := range ballots {
		for i, v := range b.Values {
			t[i] += v
		}
	}
	return t
}
