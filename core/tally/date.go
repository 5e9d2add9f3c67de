package tally

// Date poll answers, as stored in Ballot.Values.
const (
	dateNo    = 0
	dateMaybe = 1 // "if need be"
	dateYes   = 2
)

// checkDate accepts 0 (no), 1 (maybe) and 2 (yes).
func checkDate(b Ballot) *Error {
	for i, v := range b.Values {
		if v < dateNo || v > dateYes {
			return newError(ProblemValue, i, "option %d: answer %d, want 0 (no), 1 (maybe) or 2 (yes)", i, v)
		}
	}
	return nil
}

// dateCounter ranks slots by yes answers; maybes only break ties between
// equal yes counts, and equal yes and maybe counts tie.
type dateCounter struct{ yes, maybe []int }

func (c *dateCounter) add(b Ballot) {
	w := b.weight()
	for i, v := range b.Values {
		// v is 0, 1 or 2: no branch to mispredict on random answers.
		c.yes[i] += (v >> 1) * w  // dateYes
		c.maybe[i] += (v & 1) * w // dateMaybe
	}
}

func (c *dateCounter) finish(r *Result) {
	r.Counts, r.Maybes = c.yes, c.maybe
	yes, maybe := more(c.yes), more(c.maybe)
	r.Ranking = tiers(len(c.yes), func(a, b int) int {
		if c := yes(a, b); c != 0 {
			return c
		}
		return maybe(a, b)
	})
}
