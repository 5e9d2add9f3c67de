package tally

import (
	"math/bits"
	"slices"
)

// scotUnit is one vote in the Scottish count: values are integers in units
// of 10^-5, so truncating a transfer value to 5 decimals is integer division.
const scotUnit = 100_000

// scottish counts by the Scottish Local Government Elections Order 2007,
// schedule 1, rules 45 to 53: Droop quota fixed once, surpluses one at a time
// largest first with inclusive Gregory transfer values truncated to 5
// decimals, exclusion of the lowest at the value received.
//
// A group's ballots form one parcel of identical papers at any time: at
// preference pos[g] of the group, each worth val[g], in the pile of the
// candidate they count for. A pile is a list linked through next, from
// head[o] to tail[o], -1 ending it, so that moving papers allocates nothing.
type scottish struct {
	stvCommon
	quota       int64
	votes       []int64
	pos         []int32
	val         []int64
	next        []int32
	head, tail  []int32
	transferred []bool
	nt, loss    int64
	lot         bool // the next stage's candidate was drawn by lot
	started     bool
}

func newScottish(c stvCommon) *scottish {
	n, groups := c.b.n, len(c.b.weight)
	s := &scottish{
		stvCommon: c, votes: make([]int64, n), transferred: make([]bool, n),
		pos: make([]int32, groups), val: make([]int64, groups), next: make([]int32, groups),
		head: make([]int32, n), tail: make([]int32, n),
	}
	for o := range n {
		s.head[o], s.tail[o] = -1, -1
	}
	return s
}

func (s *scottish) common() *stvCommon { return &s.stvCommon }

func (s *scottish) clone() stvCount {
	d := *s
	d.stvCommon = s.cloneCommon()
	d.votes = slices.Clone(s.votes)
	d.transferred = slices.Clone(s.transferred)
	d.pos = slices.Clone(s.pos)
	d.val = slices.Clone(s.val)
	d.next = slices.Clone(s.next)
	d.head = slices.Clone(s.head)
	d.tail = slices.Clone(s.tail)
	return &d
}

// nextPref returns the next continuing preference of group g after position
// pos and its position, or -1 when there is none.
func (s *scottish) nextPref(g int32, pos int32) (int, int32) {
	end := s.b.start[g+1]
	for q := pos + 1; q < end; q++ {
		o := int(s.b.prefs[q])
		if s.status[o] == stContinuing {
			return o, q
		}
	}
	return -1, end
}

// put adds group g's papers, at preference pos, each worth val, to the pile
// of o.
func (s *scottish) put(g int32, o int, pos int32, val int64) {
	s.pos[g], s.val[g], s.next[g] = pos, val, -1
	if s.tail[o] < 0 {
		s.head[o] = g
	} else {
		s.next[s.tail[o]] = g
	}
	s.tail[o] = g
}

func (s *scottish) record(action string, cands, elected []int) {
	s.stages = append(s.stages, Stage{
		Action: action, Candidates: cands, Elected: elected,
		Votes: slices.Clone(s.votes), NonTransferable: s.nt, Loss: s.loss,
		Quota: s.quota, Lot: s.lot,
	})
	s.lot = false
}

func (s *scottish) first() {
	b := s.b
	s.quota = (b.valid/int64(s.seats+1) + 1) * scotUnit
	for g := range b.weight {
		o, pos := s.nextPref(int32(g), b.start[g]-1)
		if o < 0 {
			continue // only withdrawn candidates: dropped by drop already
		}
		s.put(int32(g), o, pos, scotUnit)
		s.votes[o] += b.weight[g] * scotUnit
	}
	el := s.electReached(s.votes, s.quota)
	s.record(ActionFirst, nil, el)
}

func (s *scottish) step() ([]int, func(int, bool)) {
	if !s.started {
		s.started = true
		s.first()
	}
	for len(s.elected) < s.seats {
		cont := s.continuing()
		if len(s.elected)+len(cont) <= s.seats {
			s.electRest(cont)
			break
		}
		// The largest surplus not yet transferred.
		var sur []int
		var most int64
		for o, st := range s.status {
			if st != stElected || s.transferred[o] || s.votes[o] <= s.quota {
				continue
			}
			switch x := s.votes[o] - s.quota; {
			case x > most:
				most, sur = x, []int{o}
			case x == most:
				sur = append(sur, o)
			}
		}
		if len(sur) > 0 {
			o := sur[0]
			if len(sur) > 1 {
				var still []int
				if o, still = s.breakTie(sur, true); still != nil {
					return still, func(o int, lot bool) { s.lot = lot; s.transferSurplus(o) }
				}
			}
			s.transferSurplus(o)
			continue
		}
		// Exclude the lowest continuing candidate.
		low := []int{cont[0]}
		for _, o := range cont[1:] {
			switch {
			case s.votes[o] < s.votes[low[0]]:
				low = []int{o}
			case s.votes[o] == s.votes[low[0]]:
				low = append(low, o)
			}
		}
		o := low[0]
		if len(low) > 1 {
			var still []int
			o, still = s.breakTie(low, false)
			if still != nil && s.votes[still[0]] == 0 && len(cont)-len(still) >= s.seats-len(s.elected) {
				// Candidates without a vote are excluded one after the other
				// before anything else changes: the order is only a record.
				o, still = still[0], nil
			}
			if still != nil {
				return still, func(o int, lot bool) { s.lot = lot; s.exclude(o) }
			}
		}
		s.exclude(o)
	}
	return nil, nil
}

// transferSurplus transfers the surplus of elected candidate o: every paper
// it holds passes to its next continuing preference at
// surplus × value ÷ total, truncated to 5 decimals (rule 48).
func (s *scottish) transferSurplus(o int) {
	total := s.votes[o]
	surplus := total - s.quota
	var moved int64
	for g := s.head[o]; g >= 0; {
		after := s.next[g]
		w := s.b.weight[g]
		tv := mulDiv(surplus, s.val[g], total)
		moved += w * tv
		to, pos := s.nextPref(g, s.pos[g])
		switch {
		case to < 0:
			s.nt += w * tv
		case tv > 0:
			s.put(g, to, pos, tv)
			s.votes[to] += w * tv
		}
		g = after
	}
	s.loss += surplus - moved
	s.votes[o] = s.quota
	s.head[o], s.tail[o] = -1, -1
	s.transferred[o] = true
	el := s.electReached(s.votes, s.quota)
	s.record(ActionSurplus, []int{o}, el)
}

// exclude excludes continuing candidate o; its papers pass on at the value
// they were received at (rule 50).
func (s *scottish) exclude(o int) {
	s.status[o] = stExcluded
	s.excluded = append(s.excluded, o)
	for g := s.head[o]; g >= 0; {
		after := s.next[g]
		w, val := s.b.weight[g], s.val[g]
		if to, pos := s.nextPref(g, s.pos[g]); to < 0 {
			s.nt += w * val
		} else {
			s.put(g, to, pos, val)
			s.votes[to] += w * val
		}
		g = after
	}
	s.votes[o] = 0
	s.head[o], s.tail[o] = -1, -1
	el := s.electReached(s.votes, s.quota)
	s.record(ActionExcluded, []int{o}, el)
}

// mulDiv returns a×b÷c rounded down, for 0 ≤ a, b and 0 < c, with a 128-bit
// product; the quotient must fit an int64.
func mulDiv(a, b, c int64) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, _ := bits.Div64(hi, lo, uint64(c))
	return int64(q)
}

// mulDivUp is mulDiv rounded up.
func mulDivUp(a, b, c int64) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, r := bits.Div64(hi, lo, uint64(c))
	if r != 0 {
		q++
	}
	return int64(q)
}

// electRest deems the continuing candidates elected, as many as the seats
// left (rule 53), most votes first. Official counts report them elected at
// the stage that left them so: they join its Elected, and a stage of their
// own is recorded only when there is none yet.
func (s *scottish) electRest(cont []int) {
	byVotesDesc(cont, s.votes)
	for _, o := range cont {
		s.status[o] = stElected
		s.elected = append(s.elected, o)
	}
	if len(s.stages) == 0 {
		s.record(ActionElected, slices.Clone(cont), cont)
		return
	}
	last := &s.stages[len(s.stages)-1]
	last.Elected = append(slices.Clone(last.Elected), cont...)
}
