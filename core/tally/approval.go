package tally

// checkApproval accepts 0 (not approved) and 1 (approved) values; approving
// nothing is a valid, blank ballot.
func checkApproval(b Ballot) *Error {
	for i, v := range b.Values {
		if v != 0 && v != 1 {
			return newError(ProblemValue, i, "option %d: value %d, want 0 or 1", i, v)
		}
	}
	return nil
}

// countApproval ranks options by the number of ballots approving them.
func countApproval(r *Result, n int, ballots []Ballot) {
	r.Counts = make([]int, n)
	for _, b := range ballots {
		for i, v := range b.Values {
			r.Counts[i] += v
		}
	}
	r.Ranking = tiers(n, more(r.Counts))
}
