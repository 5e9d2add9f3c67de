package tally

// checkSingle accepts exactly one 1 among 0s (single and contest ballots).
func checkSingle(b Ballot) *Error {
	ones := 0
	for i, v := range b.Values {
		if v != 0 && v != 1 {
			return newError(ProblemValue, i, "option %d: value %d, want 0 or 1", i, v)
		}
		ones += v
	}
	if ones == 1 {
		return nil
	}
	if ones == 0 {
		return newError(ProblemChoice, -1, "no option chosen")
	}
	first := choice(b)
	for i := first + 1; ; i++ {
		if b.Values[i] == 1 {
			return newError(ProblemChoice, i, "options %d and %d both chosen", first, i)
		}
	}
}

// choice returns the option a valid single or contest ballot chooses.
func choice(b Ballot) int {
	for i, v := range b.Values {
		if v == 1 {
			return i
		}
	}
	return -1
}

// singleCounter counts plurality: most ballots wins.
type singleCounter struct{ counts []int }

func (c *singleCounter) add(b Ballot) { c.counts[choice(b)] += b.weight() }

func (c *singleCounter) finish(r *Result) {
	r.Counts = c.counts
	r.Ranking = tiers(len(c.counts), more(c.counts))
}
