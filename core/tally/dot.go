package tally

// checkDot accepts non-negative dots that sum to at most the budget.
func checkDot(b Ballot, s Settings) *Error {
	sum := 0
	for i, v := range b.Values {
		if v < 0 || v > s.Dots {
			return newError(ProblemValue, i, "option %d: %d dots, want 0..%d", i, v, s.Dots)
		}
		sum += v // at most MaxOptions × MaxSetting: no overflow
	}
	if sum > s.Dots {
		return newError(ProblemDots, -1, "%d dots given, want at most %d", sum, s.Dots)
	}
	return nil
}
