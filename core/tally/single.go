package tally

// checkSingle accepts exactly one 1 among 0s (single and contest ballots).
func checkSingle(b Ballot) *Error {
	chosen := -1
	for i, v := range b.Values {
		switch v {
		case 0:
		case 1:
			if chosen >= 0 {
				return newError(ProblemChoice, i, "options %d and %d both chosen", chosen, i)
			}
			chosen = i
		default:
			return newError(ProblemValue, i, "option %d: value %d, want 0 or 1", i, v)
		}
	}
	if chosen < 0 {
		return newError(ProblemChoice, -1, "no option chosen")
	}
	return nil
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

func (c *singleCounter) add(b Ballot) { c.counts[choice(b)]++ }

func (c *singleCounter) finish(r *Result) {
	r.Counts = c.counts
	r.Ranking = tiers(len(c.counts), more(c.counts))
}
