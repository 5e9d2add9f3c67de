package tally

import (
	"math/bits"
	"math/rand/v2"
	"slices"
	"strconv"
)

// This file holds the single transferable vote (multi-winner STV): the
// Scottish rules, counted exactly in integers scaled by 10^5, and Meek's
// method as the Proportional Representation Foundation's reference rule, in
// fixed point with 9 decimals. See the package documentation for the rules.

// STV stage actions, as written in Stage.Action.
const (
	ActionFirst    = "first"    // first preferences counted
	ActionSurplus  = "surplus"  // a surplus transferred (Meek: surpluses redistributed)
	ActionExcluded = "excluded" // a candidate excluded and their papers transferred
	ActionElected  = "elected"  // the continuing candidates deemed elected (as many as the seats left)
)

// Scottish and Meek fixed-point precision: votes are integers counting
// units of 10^-ScottishDecimals (10^-MeekDecimals) of a vote.
const (
	ScottishDecimals = 5
	MeekDecimals     = 9
)

// MaxSTVBallots bounds the ballots of an STV count, so that votes in
// units of 10^-9 fit an int64.
const MaxSTVBallots = 1_000_000_000

// MaxSeats bounds Settings.Seats, far above any board.
const MaxSeats = MaxOptions - 1

// stvBranchBudget bounds the count branches explored to decide whether a
// tie that only a lot could break changes who is elected. Past it, the tie
// is reported as if it did.
const stvBranchBudget = 512

// Stage is one stage of an STV count.
type Stage struct {
	// Action says what the stage did: ActionFirst, ActionSurplus,
	// ActionExcluded or ActionElected.
	Action string
	// Candidates are the options the action is about: the candidate whose
	// surplus is transferred (Meek: the elected candidates whose surpluses
	// were redistributed), the excluded candidate, or the candidates deemed
	// elected. Empty for ActionFirst.
	Candidates []int
	// Elected lists the options elected at this stage, in order of election.
	Elected []int
	// Votes holds, per option, its votes at the end of the stage, in units
	// of 10^-Result.Decimals. Elected candidates whose surplus has been
	// transferred hold the quota; excluded and withdrawn candidates 0.
	Votes []int64
	// NonTransferable is the value of the papers set aside so far because
	// they name no continuing candidate (Meek: the excess), same units.
	NonTransferable int64
	// Loss is the value lost so far by truncating transfer values (Scottish
	// only), same units.
	Loss int64
	// Quota is the quota at this stage (fixed for Scottish STV), same units.
	Quota int64
	// Lot is set when a lot drawn from Settings.LotSeed chose the candidate
	// of this stage.
	Lot bool
}

// RankedGroup is Weight identical ranked ballots: Order lists options, best
// first, each at most once. An empty Order is a blank ballot.
type RankedGroup struct {
	Order  []int
	Weight int
}

// FormatFixed writes v, in units of 10^-decimals, as a decimal string with
// exactly decimals digits after the point ("12.50000").
func FormatFixed(v int64, decimals int) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.FormatInt(v, 10)
	if decimals > 0 {
		for len(s) <= decimals {
			s = "0" + s
		}
		s = s[:len(s)-decimals] + "." + s[len(s)-decimals:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// checkSTVBallot accepts ranks ≥ 0 (0 = unranked) with no two options
// sharing a rank: an STV paper has one candidate per preference.
func checkSTVBallot(b Ballot) *Error {
	var seen uint64
	var big map[int]bool
	for i, v := range b.Values {
		if v < 0 {
			return newError(ProblemValue, i, "option %d: rank %d, want 1 or more, or 0 for unranked", i, v)
		}
		if v == 0 {
			continue
		}
		if v < 64 {
			if seen&(1<<v) != 0 {
				return newError(ProblemEqualRanks, i, "option %d: rank %d given to another option too", i, v)
			}
			seen |= 1 << v
			continue
		}
		if big == nil {
			big = map[int]bool{}
		}
		if big[v] {
			return newError(ProblemEqualRanks, i, "option %d: rank %d given to another option too", i, v)
		}
		big[v] = true
	}
	return nil
}

// checkSTVPoll checks the STV settings for n options.
func checkSTVPoll(n int, s Settings) *Error {
	if s.Seats < 1 || s.Seats >= n {
		return newError(ProblemSettings, -1, "%d seats for %d options, want 1..%d", s.Seats, n, n-1)
	}
	for _, w := range s.Withdrawn {
		if w < 0 || w >= n {
			return newError(ProblemSettings, -1, "withdrawn option %d, want 0..%d", w, n-1)
		}
	}
	return nil
}

// stvCounter collects the ballots of an STV poll as groups of identical
// rankings. Up to packedOptions options, a ranking packs into a uint64 key
// and an open-addressing table of keys and weights, holding no pointers,
// finds its group: a ballot touches one slot, and the table grows with the
// distinct rankings, not with the ballots. Larger polls use a map keyed by
// the ranking's bytes.
type stvCounter struct {
	n      int
	s      Settings
	packed bool
	slots  []stvSlot        // packed rankings, a power of two of them
	shift  uint             // 64 − log2(len(slots)): a key's home slot is its hash >> shift
	used   int              // slots in use
	index  map[string]int32 // ranking bytes → group, when not packed
	key    []byte
	order  []uint8
	scr    []int
	b      stvBallots // the groups' rankings, when not packed
	weight []int64    // the groups' weights, when not packed
}

// stvSlot is a packed ranking, option+1 in 4 bits, first preference highest,
// and the weight of its ballots; weight 0 marks a free slot.
type stvSlot struct {
	key    uint64
	weight int64
}

// newSTVCounter returns a counter for n options.
func newSTVCounter(n int, s Settings) *stvCounter {
	c := &stvCounter{n: n, s: s, order: make([]uint8, 0, n)}
	if n <= packedOptions {
		c.packed = true
		c.slots = make([]stvSlot, 1<<10)
		c.shift = 64 - 10
	} else {
		c.index = make(map[string]int32)
		c.key = make([]byte, 0, n)
		c.b = stvBallots{n: n, start: []int32{0}}
	}
	return c
}

func (c *stvCounter) add(b Ballot) {
	c.order = appendOrder(c.order[:0], b.Values, &c.scr)
	w := b.weight()
	if c.packed {
		var key uint64
		for _, o := range c.order {
			key = key<<4 | uint64(o+1)
		}
		c.addPacked(key<<(4*(c.n-len(c.order))), int64(w))
		return
	}
	c.key = c.key[:0]
	for _, o := range c.order {
		c.key = append(c.key, byte(o)) // n ≤ 256: one byte per option
	}
	if g, ok := c.index[string(c.key)]; ok {
		c.weight[g] += int64(w)
		return
	}
	c.index[string(c.key)] = int32(len(c.weight))
	c.b.prefs = append(c.b.prefs, c.order...)
	c.b.start = append(c.b.start, int32(len(c.b.prefs)))
	c.weight = append(c.weight, int64(w))
}

// addPacked adds w ballots to the group of packed ranking key.
func (c *stvCounter) addPacked(key uint64, w int64) {
	mask := len(c.slots) - 1
	for i := int((key * 0x9e3779b97f4a7c15) >> c.shift); ; i = (i + 1) & mask {
		sl := &c.slots[i]
		if sl.weight == 0 {
			sl.key, sl.weight = key, w
			c.used++
			if 4*c.used > 3*len(c.slots) {
				c.grow()
			}
			return
		}
		if sl.key == key {
			sl.weight += w
			return
		}
	}
}

// grow doubles the table.
func (c *stvCounter) grow() {
	old := c.slots
	c.slots = make([]stvSlot, 2*len(old))
	c.shift--
	c.used = 0
	for _, sl := range old {
		if sl.weight != 0 {
			c.addPacked(sl.key, sl.weight)
		}
	}
}

// appendOrder appends to dst the options a valid STV ballot ranks, best
// first. Ranks below 64, the usual case, are ordered by a bit set; larger
// ones are sorted in scratch.
func appendOrder(dst []uint8, values []int, scratch *[]int) []uint8 {
	var at [64]uint8
	var present uint64
	for i, v := range values {
		if v >= 64 {
			return appendOrderSorted(dst, values, scratch)
		}
		at[v&63] = uint8(i) // n ≤ MaxOptions: one byte per option
		present |= 1 << v
	}
	present &^= 1 // 0 means unranked
	for present != 0 {
		dst = append(dst, at[bits.TrailingZeros64(present)])
		present &= present - 1
	}
	return dst
}

func appendOrderSorted(dst []uint8, values []int, scratch *[]int) []uint8 {
	idx := (*scratch)[:0]
	for i, v := range values {
		if v > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortFunc(idx, func(x, y int) int { return values[x] - values[y] })
	for _, o := range idx {
		dst = append(dst, uint8(o))
	}
	*scratch = idx
	return dst
}

// groups returns the ballots grouped by ranking, blank groups included, in
// no particular order: b holds the rankings (not b.weight), weight the
// groups' weights, which RankedGroups does not bound. Call it once, after the
// last add.
func (c *stvCounter) groups() (b *stvBallots, weight []int64) {
	if !c.packed {
		return &c.b, c.weight
	}
	prefs := 0
	for _, sl := range c.slots {
		if sl.weight != 0 && sl.key != 0 {
			prefs += c.n - bits.TrailingZeros64(sl.key)/4
		}
	}
	b = &stvBallots{n: c.n, start: make([]int32, 1, c.used+1), prefs: make([]uint8, 0, prefs)}
	weight = make([]int64, 0, c.used)
	for _, sl := range c.slots {
		if sl.weight == 0 {
			continue
		}
		for shift := 4 * (c.n - 1); shift >= 0; shift -= 4 {
			d := sl.key >> shift & 0xF
			if d == 0 {
				break
			}
			b.prefs = append(b.prefs, uint8(d-1))
		}
		b.start = append(b.start, int32(len(b.prefs)))
		weight = append(weight, sl.weight)
	}
	return b, weight
}

func (c *stvCounter) finish(r *Result) {
	b, weight := c.groups()
	b.weight = make([]int32, len(weight))
	for g, w := range weight {
		b.weight[g] = int32(w) // Count keeps the total within MaxSTVBallots
	}
	countSTV(c.n, b, c.s, r)
}

// CountSTV counts weighted ranked groups (read from a BLT file, say) by STV
// for n options with settings s, as Count does for an STV poll. It checks
// the settings (Seats, Withdrawn) and every group: options in range, each at
// most once, a weight ≥ 0.
func CountSTV(n int, groups []RankedGroup, s Settings) (Result, error) {
	if n < 2 || n > MaxOptions {
		return Result{}, newError(ProblemOptions, -1, "%d options, want 2..%d", n, MaxOptions)
	}
	if err := checkSTVPoll(n, s); err != nil {
		return Result{}, err
	}
	// Each group is checked and copied while it is in the cache; only the
	// lengths of the rankings are read beforehand, to size the copy.
	prefs := 0
	for _, g := range groups {
		prefs += len(g.Order)
	}
	b := &stvBallots{n: n, start: make([]int32, 1, len(groups)+1), prefs: make([]uint8, 0, prefs), weight: make([]int32, 0, len(groups))}
	seen := make([]int, n)
	total := 0
	for gi, g := range groups {
		if g.Weight < 0 || g.Weight > MaxSTVBallots {
			e := newError(ProblemValue, -1, "weight %d", g.Weight)
			e.Ballot = gi
			return Result{}, e
		}
		for _, o := range g.Order {
			if o < 0 || o >= n {
				e := newError(ProblemValue, -1, "option %d, want 0..%d", o, n-1)
				e.Ballot = gi
				return Result{}, e
			}
			if seen[o] == gi+1 {
				e := newError(ProblemEqualRanks, o, "option %d ranked twice", o)
				e.Ballot = gi
				return Result{}, e
			}
			seen[o] = gi + 1
			b.prefs = append(b.prefs, uint8(o))
		}
		total += g.Weight
		if total > MaxSTVBallots {
			return Result{}, newError(ProblemValue, -1, "more than %d ballots", MaxSTVBallots)
		}
		b.start = append(b.start, int32(len(b.prefs)))
		b.weight = append(b.weight, int32(g.Weight))
	}
	r := Result{Method: STV, Ballots: total}
	countSTV(n, b, s, &r)
	return r, nil
}

// stvBallots is the ballots of a count, flattened: group g ranks
// prefs[start[g]:start[g+1]] and counts weight[g] ballots; valid is the
// ballots of the groups left by drop. An option fits a byte (MaxOptions)
// and a weight an int32 (MaxSTVBallots): the count streams over these
// arrays, so that they are kept small.
type stvBallots struct {
	n      int
	start  []int32
	prefs  []uint8
	weight []int32
	valid  int64
}

// drop removes the withdrawn options from every ranking, then the groups
// left blank (not valid papers) and those of weight 0, in place, and counts
// the valid ballots.
func (b *stvBallots) drop(withdrawn []bool) {
	if !slices.Contains(withdrawn, true) {
		// The usual case: nothing to rewrite unless a group is blank or
		// of weight 0.
		clean := true
		for g, w := range b.weight {
			b.valid += int64(w)
			clean = clean && w != 0 && b.start[g+1] != b.start[g]
		}
		if clean {
			return
		}
		b.valid = 0
	}
	p, kept := int32(0), 0
	from := b.start[0]
	for g, w := range b.weight {
		to := b.start[g+1]
		begin := p
		for _, o := range b.prefs[from:to] {
			if !withdrawn[o] {
				b.prefs[p] = o
				p++
			}
		}
		from = to
		if p == begin || w == 0 {
			p = begin
			continue
		}
		b.weight[kept] = w
		b.start[kept+1] = p
		b.valid += int64(w)
		kept++
	}
	b.prefs = b.prefs[:p]
	b.start = b.start[:kept+1]
	b.weight = b.weight[:kept]
}

// Candidate status during a count.
const (
	stContinuing int8 = iota
	stElected
	stExcluded
	stWithdrawn
)

// stvCommon is what both rules share: the candidates' status, the order of
// election and exclusion, the stages, the tie handling.
type stvCommon struct {
	b        *stvBallots
	seats    int
	status   []int8
	elected  []int
	excluded []int
	stages   []Stage
	tied     []int
	stopped  bool
	lots     bool
	rng      *rand.Rand
	pcg      rand.PCG
	budget   *int
}

// electReached elects the continuing candidates with votes at or over quota, most
// votes first, as many as seats are left, and returns them. (More than that can
// only reach a Droop quota by rounding; the seats left bound it all the same.)
func (c *stvCommon) electReached(votes []int64, quota int64) []int {
	var out []int
	for o, st := range c.status {
		if st == stContinuing && votes[o] >= quota {
			out = append(out, o)
		}
	}
	byVotesDesc(out, votes)
	if room := c.seats - len(c.elected); len(out) > room {
		out = out[:room]
	}
	for _, o := range out {
		c.status[o] = stElected
		c.elected = append(c.elected, o)
	}
	return out
}

func (c *stvCommon) continuing() []int {
	var out []int
	for o, st := range c.status {
		if st == stContinuing {
			out = append(out, o)
		}
	}
	return out
}

// breakTie orders the tied candidates (all equal now) by their votes at the
// latest earlier stage where they differed: higher first if high, else
// lower first. It returns the candidates still tied after that rule, which
// only a lot can separate, and the candidate chosen when there is one.
func (c *stvCommon) breakTie(tied []int, high bool) (chosen int, still []int) {
	still = tied
	for s := len(c.stages) - 2; s >= 0 && len(still) > 1; s-- {
		v := c.stages[s].Votes
		best := v[still[0]]
		for _, o := range still[1:] {
			if (high && v[o] > best) || (!high && v[o] < best) {
				best = v[o]
			}
		}
		var next []int
		for _, o := range still {
			if v[o] == best {
				next = append(next, o)
			}
		}
		still = next
	}
	if len(still) == 1 {
		return still[0], nil
	}
	return -1, still
}

// drawLot picks one of tied with the seeded generator.
func (c *stvCommon) drawLot(tied []int) int {
	return tied[c.rng.IntN(len(tied))]
}

func (c *stvCommon) cloneCommon() stvCommon {
	d := *c
	d.status = slices.Clone(c.status)
	d.elected = slices.Clone(c.elected)
	d.excluded = slices.Clone(c.excluded)
	d.stages = slices.Clone(c.stages)
	d.tied = slices.Clone(c.tied)
	if c.lots {
		d.pcg = c.pcg
		d.rng = rand.New(&d.pcg)
	}
	return d
}

// stvCount is one rule's count, which can be cloned to explore a tie.
type stvCount interface {
	common() *stvCommon
	clone() stvCount
	// step runs the count until it ends or meets a tie that only a lot can
	// break. It returns the tied candidates then, and a function applying a
	// choice among them, the chosen candidate to be marked as drawn by lot.
	step() (tied []int, apply func(o int, lot bool))
}

// runSTV runs a count to its end, exploring ties that only a lot could
// break: without Settings.Lots it follows each choice and reports the tie
// (and stops) only when the choices elect different sets of candidates.
func runSTV(x stvCount) stvCount {
	for {
		tied, apply := x.step()
		if tied == nil {
			return x
		}
		c := x.common()
		if c.lots {
			apply(c.drawLot(tied), true)
			continue
		}
		var first stvCount
		same := true
		for i, o := range tied {
			*c.budget--
			if *c.budget < 0 {
				same = false
				break
			}
			y := x.clone()
			_, applyY := y.step() // the same tie again, on the clone
			applyY(o, false)
			y = runSTV(y)
			if i == 0 {
				first = y
			} else if !sameSet(first.common().elected, y.common().elected) || y.common().stopped {
				same = false
				break
			}
			if y.common().stopped {
				same = false
				break
			}
		}
		if same {
			return first
		}
		c.tied = slices.Clone(tied)
		slices.Sort(c.tied)
		c.stopped = true
		return x
	}
}

func sameSet(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// countSTV counts by the rule s selects and writes the STV fields of r.
func countSTV(n int, b *stvBallots, s Settings, r *Result) {
	withdrawn := make([]bool, n)
	for _, w := range s.Withdrawn {
		withdrawn[w] = true
	}
	b.drop(withdrawn)
	// Each branch is a whole count: fewer of them for large counts, so that
	// exploring a tie costs at most a few seconds.
	budget := min(stvBranchBudget, max(4, 2_000_000/(len(b.weight)+1)))
	c := stvCommon{b: b, seats: s.Seats, status: make([]int8, n), budget: &budget}
	for o := range n {
		if withdrawn[o] {
			c.status[o] = stWithdrawn
		}
	}
	if s.Lots {
		c.lots = true
		c.pcg = *rand.NewPCG(s.LotSeed, s.LotSeed^0x9e3779b97f4a7c15)
		c.rng = rand.New(&c.pcg)
	}
	var x stvCount
	if s.Meek {
		x = newMeek(c)
		r.Decimals = MeekDecimals
	} else {
		x = newScottish(c)
		r.Decimals = ScottishDecimals
	}
	x = runSTV(x)
	f := x.common()
	r.Seats = s.Seats
	r.Valid = int(b.valid)
	r.Elected = f.elected
	r.Excluded = f.excluded
	r.Stages = f.stages
	r.Tied = f.tied
	if s.Lots {
		seed := s.LotSeed
		r.LotSeed = &seed
	}
	if len(f.stages) > 0 {
		r.Quota = FormatFixed(f.stages[len(f.stages)-1].Quota, r.Decimals)
	}
	r.Ranking = stvRanking(n, f)
}

// stvRanking puts the elected first (one tier), then the candidates neither
// elected nor excluded by their last votes, then the excluded, the last
// excluded first, then the withdrawn.
func stvRanking(n int, f *stvCommon) [][]int {
	var out [][]int
	if len(f.elected) > 0 {
		t := slices.Clone(f.elected)
		slices.Sort(t)
		out = append(out, t)
	}
	var rest []int
	for o, st := range f.status {
		if st == stContinuing {
			rest = append(rest, o)
		}
	}
	if len(rest) > 0 {
		var votes []int64
		if len(f.stages) > 0 {
			votes = f.stages[len(f.stages)-1].Votes
		} else {
			votes = make([]int64, n)
		}
		slices.SortStableFunc(rest, func(a, b int) int {
			switch {
			case votes[a] > votes[b]:
				return -1
			case votes[a] < votes[b]:
				return 1
			}
			return 0
		})
		for i := 0; i < len(rest); {
			j := i + 1
			for j < len(rest) && votes[rest[j]] == votes[rest[i]] {
				j++
			}
			t := slices.Clone(rest[i:j])
			slices.Sort(t)
			out = append(out, t)
			i = j
		}
	}
	for i := len(f.excluded) - 1; i >= 0; i-- {
		out = append(out, []int{f.excluded[i]})
	}
	var wd []int
	for o, st := range f.status {
		if st == stWithdrawn {
			wd = append(wd, o)
		}
	}
	if len(wd) > 0 {
		out = append(out, wd)
	}
	return out
}

// byVotesDesc sorts candidates by votes, most first, equal votes by the
// earlier-stage rule and then by index (the order of election of candidates
// elected together is only a matter of record).
func byVotesDesc(cands []int, votes []int64) {
	slices.SortStableFunc(cands, func(a, b int) int {
		switch {
		case votes[a] > votes[b]:
			return -1
		case votes[a] < votes[b]:
			return 1
		}
		return 0
	})
}

// RankedGroups turns valid ranked ballots (no two options sharing a rank)
// into groups, one per distinct ranking with its count, sorted by ranking:
// the order of the ballots, and so who cast which, does not show.
func RankedGroups(ballots []Ballot) []RankedGroup {
	if len(ballots) == 0 {
		return nil
	}
	n := len(ballots[0].Values)
	c := newSTVCounter(n, Settings{})
	for _, b := range ballots {
		c.add(b)
	}
	b, weight := c.groups()
	orders := make([]int, len(b.prefs)) // one backing array
	for i, o := range b.prefs {
		orders[i] = int(o)
	}
	out := make([]RankedGroup, len(weight))
	for g := range out {
		out[g].Weight = int(weight[g])
		if from, to := b.start[g], b.start[g+1]; to > from {
			out[g].Order = orders[from:to:to] // a blank ballot's stays nil
		}
	}
	slices.SortFunc(out, func(a, b RankedGroup) int { return slices.Compare(a.Order, b.Order) })
	return out
}
