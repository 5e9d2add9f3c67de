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

// approvalCounter ranks options by the number of ballots approving them.
type approvalCounter struct{ counts []int }

func (c *approvalCounter) add(b Ballot) {
	w := b.weight()
	for i, v := range b.Values {
		c.counts[i] += v * w
	}
}

func (c *approvalCounter) finish(r *Result) {
	r.Counts = c.counts
	r.Ranking = tiers(len(c.counts), more(c.counts))
}
