package tally

import "slices"

// Live is the running tally of an open poll, for the poll message updated as
// ballots arrive. Add and Remove cost O(options) whatever the number of
// ballots already counted. To change a ballot, Remove the old one, then Add
// the new one. It shows, per method:
//
//   - single, approval: Counts, ballots choosing (approving) each option.
//   - irv, schulze, borda: Counts, first preferences: ballots ranking the
//     option best. Options ranked equal best each count the whole ballot,
//     so Counts may sum to more than Ballots; a blank ballot counts nowhere.
//   - score, dot: Totals, the sum of scores or dots per option.
//   - judgment: Profiles, the grade distribution per option.
//   - date: Counts (yes) and Maybes per option.
//   - contest: Counts (public) and JuryCounts per option, and JuryBallots.
//
// The final result, and any ranking, comes from Count.
//
// IMPORTANT: read the fields, never write them; a Live is not safe for
// concurrent use.
type Live struct {
	// Method is the poll's method.
	Method Method
	// Ballots is the number of ballots added and not removed.
	Ballots int
	// Weight is the sum of their weights (Ballot.Weight, 1 when unset):
	// Ballots when no ballot is weighted. The per-option counts are in
	// weight.
	Weight int
	// Counts, Maybes, JuryCounts, JuryBallots, Totals and Profiles mean
	// what the same Result fields mean, with first preferences in Counts
	// for ranked methods. Only the method's fields are set.
	Counts      []int
	Maybes      []int
	JuryCounts  []int
	JuryBallots int
	Totals      []int
	Profiles    [][]int

	k        kind
	n        int
	settings Settings
}

// NewLive returns an empty running tally for a poll counted by m with n
// options and settings s. It returns an *[Error] if the poll is invalid, as
// Validate would.
func NewLive(m Method, n int, s Settings) (*Live, error) {
	k, err := checkPoll(m, n, s)
	if err != nil {
		return nil, err
	}
	l := &Live{Method: m, k: k, n: n, settings: s}
	switch k {
	case kSingle, kApproval, kIRV, kSchulze, kBorda, kSTV:
		l.Counts = make([]int, n)
	case kScore, kDot:
		l.Totals = make([]int, n)
	case kJudgment:
		l.Profiles = make([][]int, n)
		for i := range l.Profiles {
			l.Profiles[i] = make([]int, s.Grades)
		}
	case kDate:
		l.Counts = make([]int, n)
		l.Maybes = make([]int, n)
	case kContest:
		l.Counts = make([]int, n)
		l.JuryCounts = make([]int, n)
	}
	return l, nil
}

// Add counts b. It returns an *[Error] and changes nothing if b is malformed.
func (l *Live) Add(b Ballot) error {
	if err := checkBallot(l.k, l.n, b, l.settings); err != nil {
		return err
	}
	l.apply(b, 1)
	return nil
}

// Remove uncounts b, a ballot added before. It returns an *[Error] and
// changes nothing if b is malformed or if removing it would make a count
// negative (ProblemNotAdded). It cannot tell every ballot that was never
// added: that is the caller's to know.
func (l *Live) Remove(b Ballot) error {
	if err := checkBallot(l.k, l.n, b, l.settings); err != nil {
		return err
	}
	if !l.removable(b) {
		return newError(ProblemNotAdded, -1, "removing the ballot would make a count negative")
	}
	l.apply(b, -1)
	return nil
}

// removable reports whether removing valid ballot b keeps every count that
// only grows under Add non-negative.
func (l *Live) removable(b Ballot) bool {
	if l.Ballots == 0 {
		return false
	}
	w := b.weight()
	if l.Weight < w {
		return false
	}
	switch l.k {
	case kSingle, kApproval:
		for i, v := range b.Values {
			if l.Counts[i] < v*w {
				return false
			}
		}
	case kIRV, kSchulze, kBorda, kSTV:
		best := bestRank(b)
		for i, v := range b.Values {
			if best > 0 && v == best && l.Counts[i] < w {
				return false
			}
		}
	case kDot:
		for i, v := range b.Values {
			if l.Totals[i] < v*w {
				return false
			}
		}
	case kJudgment:
		for i, v := range b.Values {
			if l.Profiles[i][v] < w {
				return false
			}
		}
	case kDate:
		for i, v := range b.Values {
			if (v == dateYes && l.Counts[i] < w) || (v == dateMaybe && l.Maybes[i] < w) {
				return false
			}
		}
	case kContest:
		if b.Jury {
			return l.JuryBallots > 0 && l.JuryCounts[choice(b)] >= w
		}
		return l.Ballots > l.JuryBallots && l.Counts[choice(b)] >= w
	}
	return true
}

// apply adds (sign 1) or removes (sign -1) valid ballot b.
func (l *Live) apply(b Ballot, sign int) {
	l.Ballots += sign
	w := sign * b.weight()
	l.Weight += w
	switch l.k {
	case kSingle, kApproval:
		for i, v := range b.Values {
			l.Counts[i] += w * v
		}
	case kIRV, kSchulze, kBorda, kSTV:
		if best := bestRank(b); best > 0 {
			for i, v := range b.Values {
				if v == best {
					l.Counts[i] += w
				}
			}
		}
	case kScore, kDot:
		for i, v := range b.Values {
			l.Totals[i] += w * v
		}
	case kJudgment:
		for i, v := range b.Values {
			l.Profiles[i][v] += w
		}
	case kDate:
		for i, v := range b.Values {
			l.Counts[i] += w * (v >> 1) // dateYes
			l.Maybes[i] += w * (v & 1)  // dateMaybe
		}
	case kContest:
		if b.Jury {
			l.JuryBallots += sign
			l.JuryCounts[choice(b)] += w
		} else {
			l.Counts[choice(b)] += w
		}
	}
}

// Clone returns a deep copy of l.
func (l *Live) Clone() *Live {
	c := *l
	c.Counts = slices.Clone(l.Counts)
	c.Maybes = slices.Clone(l.Maybes)
	c.JuryCounts = slices.Clone(l.JuryCounts)
	c.Totals = slices.Clone(l.Totals)
	if l.Profiles != nil {
		c.Profiles = make([][]int, len(l.Profiles))
		for i, p := range l.Profiles {
			c.Profiles[i] = slices.Clone(p)
		}
	}
	c.settings.Withdrawn = slices.Clone(l.settings.Withdrawn)
	return &c
}
