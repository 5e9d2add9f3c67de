package tally

import "slices"

// Meek's method, as the Proportional Representation Foundation's reference
// rule (Hill, Wichmann and Woodall, Algorithm 123, 1987, as revised by Hill,
// "Implementing STV by Meek's method", Voting matters 22, 2006): values in
// fixed point with 9 decimals, a candidate's share of a ballot rounded up,
// the quota truncated and raised by 10^-9, keep factors rounded up, and
// iteration until the total surplus is below 10^-6.
const (
	meekUnit       = 1_000_000_000
	meekOmega      = 1_000 // 10^-6 in units of 10^-9
	meekIterations = 100_000
)

type meek struct {
	stvCommon
	keep    []int64
	votes   []int64
	excess  int64
	quota   int64
	started bool
	lot     bool
}

func newMeek(c stvCommon) *meek {
	n := c.b.n
	m := &meek{stvCommon: c, keep: make([]int64, n), votes: make([]int64, n)}
	for o := range n {
		if c.status[o] == stContinuing {
			m.keep[o] = meekUnit
		}
	}
	return m
}

func (m *meek) common() *stvCommon { return &m.stvCommon }

func (m *meek) clone() stvCount {
	d := *m
	d.stvCommon = m.cloneCommon()
	d.keep = slices.Clone(m.keep)
	d.votes = slices.Clone(m.votes)
	return &d
}

// distribute spreads every ballot over its preferences: each candidate keeps
// its keep factor of the weight reaching it (rounded up), passing the rest
// on; what passes beyond the last preference is excess. Then the quota.
func (m *meek) distribute() {
	clear(m.votes)
	m.excess = 0
	b := m.b
	for g, wt := range b.weight {
		w := int64(meekUnit)
		for _, o := range b.prefs[b.start[g]:b.start[g+1]] {
			k := m.keep[o]
			if k == 0 {
				continue
			}
			give := w
			if k < meekUnit {
				give = (w*k + meekUnit - 1) / meekUnit
			}
			m.votes[o] += give * wt
			w -= give
			if w == 0 {
				break
			}
		}
		m.excess += w * wt
	}
	total := b.valid*meekUnit - m.excess
	m.quota = total/int64(m.seats+1) + 1
}

func (m *meek) record(action string, cands, elected []int) {
	m.stages = append(m.stages, Stage{
		Action: action, Candidates: cands, Elected: elected,
		Votes: slices.Clone(m.votes), NonTransferable: m.excess,
		Quota: m.quota, Lot: m.lot,
	})
	m.lot = false
}

func (m *meek) electReached() []int {
	var out []int
	for o, st := range m.status {
		if st == stContinuing && m.votes[o] >= m.quota {
			out = append(out, o)
		}
	}
	byVotesDesc(out, m.votes)
	if room := m.seats - len(m.elected); len(out) > room {
		out = out[:room]
	}
	for _, o := range out {
		m.status[o] = stElected
		m.elected = append(m.elected, o)
	}
	return out
}

func (m *meek) surplus() int64 {
	var s int64
	for o, st := range m.status {
		if st == stElected && m.votes[o] > m.quota {
			s += m.votes[o] - m.quota
		}
	}
	return s
}

func (m *meek) step() ([]int, func(int, bool)) {
	if !m.started {
		m.started = true
		m.distribute()
		m.record(ActionFirst, nil, m.electReached())
	}
outer:
	for len(m.elected) < m.seats {
		cont := m.continuing()
		if len(m.elected)+len(cont) <= m.seats {
			m.electRest(cont)
			break
		}
		for it := 0; it < meekIterations; it++ {
			if m.surplus() < meekOmega {
				break
			}
			var from []int
			for o, st := range m.status {
				if st == stElected && m.votes[o] > 0 {
					m.keep[o] = mulDivUp(m.keep[o], m.quota, m.votes[o])
					from = append(from, o)
				}
			}
			before := slices.Clone(m.votes)
			m.distribute()
			if el := m.electReached(); len(el) > 0 {
				m.record(ActionSurplus, from, el)
				continue outer
			}
			if slices.Equal(before, m.votes) {
				break // no change: as converged as fixed point allows
			}
		}
		// Exclude the lowest hopeful candidate.
		low := []int{cont[0]}
		for _, o := range cont[1:] {
			switch {
			case m.votes[o] < m.votes[low[0]]:
				low = []int{o}
			case m.votes[o] == m.votes[low[0]]:
				low = append(low, o)
			}
		}
		o := low[0]
		if len(low) > 1 {
			var still []int
			o, still = m.breakTie(low, false)
			if still != nil && m.votes[still[0]] == 0 && len(cont)-len(still) >= m.seats-len(m.elected) {
				o, still = still[0], nil
			}
			if still != nil {
				return still, func(o int, lot bool) { m.lot = lot; m.exclude(o) }
			}
		}
		m.exclude(o)
	}
	return nil, nil
}

// exclude defeats o: its keep factor becomes 0 and the ballots are spread
// again, which may elect candidates.
func (m *meek) exclude(o int) {
	m.status[o] = stExcluded
	m.excluded = append(m.excluded, o)
	m.keep[o] = 0
	m.distribute()
	m.record(ActionExcluded, []int{o}, m.electReached())
}

// electRest deems the continuing candidates elected, as many as the seats
// left (rule 53), most votes first. Official counts report them elected at
// the stage that left them so: they join its Elected, and a stage of their
// own is recorded only when there is none yet.
func (m *meek) electRest(cont []int) {
	byVotesDesc(cont, m.votes)
	for _, o := range cont {
		m.status[o] = stElected
		m.elected = append(m.elected, o)
	}
	if len(m.stages) == 0 {
		m.record(ActionElected, slices.Clone(cont), cont)
		return
	}
	last := &m.stages[len(m.stages)-1]
	last.Elected = append(slices.Clone(last.Elected), cont...)
}
