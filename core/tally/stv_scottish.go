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
// A group's ballots form one parcel of identical papers at any time, held by
// the candidate they count for: holder[g]. A transfer scans holder for the
// candidate's parcels, in group order: the scan streams through memory, and
// each parcel it finds is read independently of the one before, which a
// million parcels out of the cache need (a pile linked through the parcels
// made each read wait for the last). Papers set aside keep the holder they
// left, who is never scanned again. Moving papers allocates nothing.
type scottish struct {
	stvCommon
	quota       int64
	votes       []int64
	holder      []uint8  // per group; options fit a byte (MaxOptions)
	parcels     []parcel // per group
	transferred []bool
	nt, loss    int64
	lot         bool // the next stage's candidate was drawn by lot
	started     bool
}

// parcel is a group's papers: w of them at preference pos of the group (an
// index into stvBallots.prefs, the group's last preference before end), each
// worth val, at most scotUnit.
type parcel struct {
	pos, end, w, val int32
}

func newScottish(c stvCommon) *scottish {
	n, groups := c.b.n, len(c.b.weight)
	return &scottish{
		stvCommon: c, votes: make([]int64, n), transferred: make([]bool, n),
		holder: make([]uint8, groups), parcels: make([]parcel, groups),
	}
}

func (s *scottish) common() *stvCommon { return &s.stvCommon }

func (s *scottish) clone() stvCount {
	d := *s
	d.stvCommon = s.cloneCommon()
	d.votes = slices.Clone(s.votes)
	d.transferred = slices.Clone(s.transferred)
	d.holder = slices.Clone(s.holder)
	d.parcels = slices.Clone(s.parcels)
	return &d
}

// nextPref returns the next continuing preference of parcel p after its
// position and the preference's position, or -1 when there is none.
func (s *scottish) nextPref(p parcel) (int, int32) {
	for q := p.pos + 1; q < p.end; q++ {
		o := int(s.b.prefs[q])
		if s.status[o] == stContinuing {
			return o, q
		}
	}
	return -1, p.end
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
	for g, w := range b.weight {
		p := parcel{pos: b.start[g] - 1, end: b.start[g+1], w: w, val: scotUnit}
		o, pos := s.nextPref(p) // found: drop removed withdrawn options and blank groups
		p.pos = pos
		s.parcels[g], s.holder[g] = p, uint8(o)
		s.votes[o] += int64(w) * scotUnit
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
	for g, h := range s.holder {
		if int(h) != o {
			continue
		}
		p := &s.parcels[g]
		w := int64(p.w)
		tv := mulDiv(surplus, int64(p.val), total)
		moved += w * tv
		to, pos := s.nextPref(*p)
		switch {
		case to < 0:
			s.nt += w * tv
		case tv > 0:
			p.pos, p.val, s.holder[g] = pos, int32(tv), uint8(to)
			s.votes[to] += w * tv
		}
	}
	s.loss += surplus - moved
	s.votes[o] = s.quota
	s.transferred[o] = true
	el := s.electReached(s.votes, s.quota)
	s.record(ActionSurplus, []int{o}, el)
}

// exclude excludes continuing candidate o; its papers pass on at the value
// they were received at (rule 50).
func (s *scottish) exclude(o int) {
	s.status[o] = stExcluded
	s.excluded = append(s.excluded, o)
	for g, h := range s.holder {
		if int(h) != o {
			continue
		}
		p := &s.parcels[g]
		w, val := int64(p.w), int64(p.val)
		if to, pos := s.nextPref(*p); to < 0 {
			s.nt += w * val
		} else {
			p.pos, s.holder[g] = pos, uint8(to)
			s.votes[to] += w * val
		}
	}
	s.votes[o] = 0
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
