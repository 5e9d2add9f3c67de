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

// sumCounter ranks options by their total: the sum of scores (score) or of
// dots (dot). Every score ballot scores every option, so the total orders
// options as the mean would, and stays exact. A dot voter may leave dots
// unspent.
type sumCounter struct{ totals []int }

func (c *sumCounter) add(b Ballot) {
	w := b.weight()
	for i, v := range b.Values {
		c.totals[i] += v * w
	}
}

func (c *sumCounter) finish(r *Result) {
	r.Totals = c.totals
	r.Ranking = tiers(len(c.totals), more(c.totals))
}
