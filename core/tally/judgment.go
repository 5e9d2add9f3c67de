package tally

// checkJudgment accepts grades 0..Grades-1.
func checkJudgment(b Ballot, s Settings) *Error {
	for i, v := range b.Values {
		if v < 0 || v >= s.Grades {
			return newError(ProblemValue, i, "option %d: grade %d, want 0..%d", i, v, s.Grades-1)
		}
	}
	return nil
}

// judgmentCounter ranks options by majority judgment (Balinski and Laraki,
// "Majority Judgment", MIT Press 2011): the majority grade is the lower
// median; ties are broken by removing one median grade at a time from each
// tied option's profile and comparing the new lower medians. Every option has
// one grade per ballot, so all profiles have the same size.
type judgmentCounter struct {
	n, grades int
	flat      []int // flat[i*grades+g]: ballots giving option i grade g
	ballots   int
}

func newJudgmentCounter(n int, s Settings) *judgmentCounter {
	return &judgmentCounter{n: n, grades: s.Grades, flat: make([]int, n*s.Grades)}
}

func (c *judgmentCounter) add(b Ballot) {
	w := b.weight()
	c.ballots += w
	for i, v := range b.Values {
		c.flat[i*c.grades+v] += w
	}
}

func (c *judgmentCounter) finish(r *Result) {
	n, total := c.n, c.ballots
	r.Profiles = make([][]int, n)
	r.Grades = make([]int, n)
	// cum[i][g]: ballots giving option i grade g or worse, so that in the
	// ascending sorted list of its grades, grade g fills positions
	// cum[i][g-1] .. cum[i][g]-1.
	cum := make([][]int, n)
	for i := range n {
		h := c.flat[i*c.grades : (i+1)*c.grades : (i+1)*c.grades]
		r.Profiles[i] = h
		cum[i] = make([]int, len(h))
		acc := 0
		for g, k := range h {
			acc += k
			cum[i][g] = acc
		}
		if total > 0 {
			r.Grades[i] = gradeAt(cum[i], (total-1)/2)
		}
	}
	r.Ranking = tiers(n, func(a, b int) int {
		return compareMajorityValues(cum[b], cum[a], total)
	})
}

// gradeAt returns the grade at position pos of the ascending sorted grades
// described by cumulative counts cum.
func gradeAt(cum []int, pos int) int {
	for g, c := range cum {
		if pos < c {
			return g
		}
	}
	return len(cum) - 1
}

// start returns the first position of grade g in the sorted grades.
func start(cum []int, g int) int {
	if g == 0 {
		return 0
	}
	return cum[g-1]
}

// compareMajorityValues compares two options' majority values: the
// sequences of lower medians obtained by removing one median grade at a
// time. It returns a positive number when a's sequence is greater
// (a is better), 0 when they are equal, which happens exactly when the
// profiles are identical.
//
// Removing lower medians from the ascending sorted grades x[0..N-1] visits
// the positions L = (N-1)/2, then alternately below and above it: for odd N
// L, L-1, L+1, L-2, L+2, …; for even N L, L+1, L-1, L+2, L-2, …. So the first
// difference between the sequences is the closest position to L, taking the
// visiting order into account, where the two sorted lists differ. Both lists
// are runs of equal grades, so the search jumps from run to run: O(grades).
func compareMajorityValues(a, b []int, total int) int {
	if total == 0 {
		return 0
	}
	l := (total - 1) / 2
	odd := total%2 == 1

	// Below and at L: the nearest position p ≤ L where the lists differ.
	lowT := -1
	for p := l; p >= 0; {
		ga, gb := gradeAt(a, p), gradeAt(b, p)
		if ga != gb {
			lowT = l - p
			break
		}
		p = max(start(a, ga), start(b, gb)) - 1
	}
	// Above L: the nearest position p > L where they differ.
	highT := -1
	for p := l + 1; p < total; {
		ga, gb := gradeAt(a, p), gradeAt(b, p)
		if ga != gb {
			highT = p - l
			break
		}
		p = min(a[ga], b[gb])
	}
	// Visiting step of position L−t (t ≥ 0) and L+t (t ≥ 1).
	lowStep := func(t int) int {
		if odd {
			return max(2*t-1, 0)
		}
		return 2 * t
	}
	highStep := func(t int) int {
		if odd {
			return 2 * t
		}
		return 2*t - 1
	}
	var p int
	switch {
	case lowT < 0 && highT < 0:
		return 0
	case highT < 0 || (lowT >= 0 && lowStep(lowT) < highStep(highT)):
		p = l - lowT
	default:
		p = l + highT
	}
	return gradeAt(a, p) - gradeAt(b, p)
}
