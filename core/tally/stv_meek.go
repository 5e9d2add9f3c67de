package tally

import "slices"

// Meek's method, as the Proportional Representation Foundation's reference
// rule (Hill, Wichmann and Woodall, Algorithm 123, 1987, as revised by Hill,
// "Implementing STV by Meek's method", Voting matters 22, 2006): values in
// fixed point with 9 decimals, a candidate's share of a ballot rounded up,
// the quota truncated and raised by 10^-9, keep factors rounded up, and
// iteration until the total surplus is below 10^-6 or stops decreasing.
// Step names (B.1, B.2.f…) follow the reference rule's text.
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
	pending []int // a tie met, not yet resolved
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
	d.pending = slices.Clone(m.pending)
	return &d
}

// distribute spreads every ballot over its preferences: each candidate keeps
// its keep factor of the weight reaching it (rounded up), passing the rest
// on; what passes beyond the last preference is excess. Then the quota.
func (m *meek) distribute() {
	clear(m.votes)
	m.excess = 0
	b := m.b
	for g, wt32 := range b.weight {
		wt := int64(wt32)
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
	if m.pending != nil {
		return m.pending, m.applyPending
	}
	if !m.started {
		// The first iteration of the first round: first preferences.
		m.started = true
		m.distribute()
		m.record(ActionFirst, nil, m.electReached(m.votes, m.quota))
	}
	// B.1: rounds while more hopefuls than seats left.
	for {
		cont := m.continuing()
		left := m.seats - len(m.elected)
		if left <= 0 || len(cont) <= left {
			break
		}
		// B.2: iterate until a candidate is elected, the total surplus is
		// below omega, or it stops decreasing.
		elected := false
		last := int64(-1)
		var sur int64
		for it := 0; it < meekIterations; it++ {
			m.distribute()
			if el := m.electReached(m.votes, m.quota); len(el) > 0 {
				m.record(ActionSurplus, m.surplusHolders(el), el)
				elected = true
				break
			}
			sur = m.surplus()
			if sur < meekOmega || (last >= 0 && sur >= last) {
				break
			}
			last = sur
			for o, st := range m.status {
				if st == stElected {
					// kf × q rounded up, then ÷ v rounded up (B.2.f).
					kq := mulDivUp(m.keep[o], m.quota, meekUnit)
					m.keep[o] = mulDivUp(kq, meekUnit, m.votes[o])
				}
			}
		}
		if elected {
			continue
		}
		// B.3: defeat the lowest hopeful; those within the total surplus of
		// the lowest vote are tied with it.
		low := m.votes[cont[0]]
		for _, o := range cont[1:] {
			low = min(low, m.votes[o])
		}
		var tied []int
		for _, o := range cont {
			if m.votes[o] == low {
				tied = append(tied, o)
			}
		}
		if len(tied) > 1 && m.votes[tied[0]] == 0 && len(cont)-len(tied) >= left {
			tied = tied[:1] // voteless candidates go one after the other: the order is a record
		}
		if len(tied) > 1 {
			m.pending = tied
			return tied, m.applyPending
		}
		m.exclude(tied[0])
	}
	if cont := m.continuing(); len(cont) > 0 && len(m.elected) < m.seats {
		m.electRest(cont)
	}
	return nil, nil
}

// applyPending resolves the pending tie by excluding o.
func (m *meek) applyPending(o int, lot bool) {
	m.pending = nil
	m.lot = lot
	m.exclude(o)
}

// surplusHolders returns the elected candidates, other than the newly
// elected el, whose surpluses the last iteration spread.
func (m *meek) surplusHolders(el []int) []int {
	var out []int
	for o, st := range m.status {
		if st == stElected && m.keep[o] < meekUnit && !slices.Contains(el, o) {
			out = append(out, o)
		}
	}
	return out
}

// exclude defeats o (B.3): the stage records the votes the decision was
// taken on; then o's keep factor and vote become 0.
func (m *meek) exclude(o int) {
	m.status[o] = stExcluded
	m.excluded = append(m.excluded, o)
	m.record(ActionExcluded, []int{o}, nil)
	m.keep[o] = 0
	m.votes[o] = 0
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
