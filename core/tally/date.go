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

// countDate ranks slots by yes answers; maybes only break ties between equal
// yes counts, and equal yes and maybe counts tie.
func countDate(r *Result, n int, ballots []Ballot) {
	r.Counts = make([]int, n)
	r.Maybes = make([]int, n)
	for _, b := range ballots {
		for i, v := range b.Values {
			switch v {
			case dateYes:
				r.Counts[i]++
			case dateMaybe:
				r.Maybes[i]++
			}
		}
	}
	yes, maybe := more(r.Counts), more(r.Maybes)
	r.Ranking = tiers(n, func(a, b int) int {
		if c := yes(a, b); c != 0 {
			return c
		}
		return maybe(a, b)
	})
}
