package tally

// Participatory budgeting: which projects a budget funds, by the Method of
// Equal Shares (completed by Add1 and greedy) or by the greedy rule.
//
//	CountBudget(rule BudgetRule, pb Budget, ballots []Ballot) (BudgetResult, error)
//
// A budget poll has projects, each with an ID and a cost, and a budget, all
// amounts in integer minor units. A [Ballot] holds one value per project:
// 1 approved and 0 not (approval), or the points given (cumulative).
//
// The rules (issue #18), exactly:
//
//   - A project's score is its approvals or its total points. IDs order by
//     bytes.
//   - greedy: projects by score, highest first, then lower cost, then ID;
//     each is funded if its cost fits in what is left, otherwise skipped.
//   - mes: voter i's utility for p is u_i(p) = w_i(p)·cost(p), w the
//     approval (1) or the points. Projects with no support or no cost take
//     no part. One run with endowment e: every voter holds e; repeatedly,
//     among the unfunded projects whose supporters hold at least its cost
//     together, take for each the smallest ρ with Σ min(b_i, ρ·u_i(p)) =
//     cost(p), fund the smallest ρ (ties: lower cost, higher score, ID),
//     each supporter paying min(b_i, ρ·u_i(p)); stop when none is
//     affordable. Add1: e = budget ÷ voters, then e + Increment, … ; stop at
//     the first run that spends more than the budget and keep the previous
//     run, or at the first run after which no unfunded project taking part
//     fits in what is left, and keep it. Then fill what is left by greedy.
//     This is pabutools' method_of_equal_shares with Cost_Sat and
//     voter_budget_increment, completed by greedy_utilitarian_welfare.
//
// Money is exact: endowments and payments are [math/big.Rat]; float64
// approximations only order values that differ clearly, and every decision
// close to a tie is taken on the exact values.
//
// Cost: identical ballots are counted once with a multiplicity; voters are
// kept in classes of equal budget (voters who paid for the same projects),
// so a run's work grows with the number of distinct ballots and classes,
// not with the number of voters.

import (
	"cmp"
	"math"
	"math/big"
	"slices"
	"strings"
)

// BudgetRule names a participatory-budgeting rule.
type BudgetRule string

// The budgeting rules.
const (
	RuleMES    BudgetRule = "mes"    // Method of Equal Shares, Add1 completion, then greedy
	RuleGreedy BudgetRule = "greedy" // highest score first while the money lasts
)

// Problems of a budget poll, in addition to the ballot problems.
const (
	ProblemCost   Problem = "cost"   // a project's cost is negative or above the budget
	ProblemBudget Problem = "budget" // the budget or the increment is out of range
	ProblemID     Problem = "id"     // a project ID is empty or used twice
	ProblemRule   Problem = "rule"   // the rule is not mes or greedy
)

// MaxAmount bounds the budget and costs, in minor units (10¹⁵: ten thousand
// billion euros), so that sums of costs stay within int64.
const MaxAmount = 1_000_000_000_000_000

// BudgetProject is one project of a participatory budget.
type BudgetProject struct {
	ID   string
	Cost int64 // minor units, 0..Budget
}

// Budget describes a participatory-budget poll.
type Budget struct {
	Projects []BudgetProject
	// Budget is the money to spend, in minor units, 1..MaxAmount.
	Budget int64
	// Increment is what Add1 adds to every voter's endowment at each step, in
	// minor units: one unit of the currency (100 for euros), ≥ 1.
	Increment int64
	// Points, if > 0, makes ballots cumulative: each gives non-negative
	// points summing to at most Points. 0 means approval ballots.
	Points int
}

// BudgetResult is the outcome of a budget count. Project indexes refer to
// Budget.Projects.
type BudgetResult struct {
	Rule    BudgetRule
	Ballots int
	// Scores holds, per project, its approvals or total points.
	Scores []int64
	// Selected lists the funded projects in the order they were funded: for
	// mes, the first ByMES by equal shares, the rest by the greedy fill.
	Selected []int
	ByMES    int
	// Payers holds, per entry of Selected, how many supporters paid for it
	// (0 for a project funded by the greedy fill or by greedy).
	Payers []int64
	// Greedy lists what the greedy rule alone funds, in its order.
	Greedy []int
	// Spent is the total cost of Selected; Left = Budget − Spent.
	Spent, Left int64
	// Endowment is each voter's endowment in the kept equal-shares run (nil
	// for greedy, or when nobody voted).
	Endowment *big.Rat
}

// CountBudget counts a participatory budget. It checks the poll and every
// ballot and returns an *[Error] for the first problem, with no result. The
// result does not depend on the order of ballots or of projects.
func CountBudget(rule BudgetRule, pb Budget, ballots []Ballot) (BudgetResult, error) {
	if err := checkBudget(rule, pb); err != nil {
		return BudgetResult{}, err
	}
	gs, _, scores, err := groupBallots(pb, ballots)
	if err != nil {
		return BudgetResult{}, err
	}
	r := BudgetResult{Rule: rule, Ballots: len(ballots), Scores: scores}
	r.Greedy = greedyFill(pb, scores, nil, pb.Budget)
	if rule == RuleGreedy {
		r.Selected = slices.Clone(r.Greedy)
		r.Payers = make([]int64, len(r.Selected))
	} else {
		m := newMES(pb, scores, gs, int64(len(ballots)))
		run := m.add1()
		r.Selected = slices.Clone(run.funded)
		r.Payers = slices.Clone(run.payers)
		r.ByMES = len(run.funded)
		r.Endowment = run.endowment
		left := pb.Budget
		for _, p := range run.funded {
			left -= pb.Projects[p].Cost
		}
		fill := greedyFill(pb, scores, run.funded, left)
		r.Selected = append(r.Selected, fill...)
		r.Payers = append(r.Payers, make([]int64, len(fill))...)
	}
	for _, p := range r.Selected {
		r.Spent += pb.Projects[p].Cost
	}
	r.Left = pb.Budget - r.Spent
	return r, nil
}

// ValidateBudgetBallot reports whether b is a well-formed ballot for pb:
// one value per project, 0/1 for approval, non-negative points summing to at
// most pb.Points for a cumulative ballot. It does not check pb itself.
func ValidateBudgetBallot(pb Budget, b Ballot) error {
	if len(b.Values) != len(pb.Projects) {
		return newError(ProblemLength, -1, "%d values for %d projects", len(b.Values), len(pb.Projects))
	}
	if b.Jury {
		return newError(ProblemJury, -1, "a jury ballot in a budget poll")
	}
	var e *Error
	if pb.Points <= 0 {
		e = checkApproval(b)
	} else {
		e = checkDot(b, Settings{Dots: pb.Points})
	}
	if e != nil {
		return e
	}
	return nil
}

func checkBudget(rule BudgetRule, pb Budget) *Error {
	if rule != RuleMES && rule != RuleGreedy {
		return newError(ProblemRule, -1, "unknown budget rule %q", rule)
	}
	n := len(pb.Projects)
	if n < 1 || n > MaxOptions {
		return newError(ProblemOptions, -1, "%d projects, want 1..%d", n, MaxOptions)
	}
	if pb.Budget < 1 || pb.Budget > MaxAmount {
		return newError(ProblemBudget, -1, "budget %d, want 1..%d", pb.Budget, MaxAmount)
	}
	if pb.Increment < 1 || pb.Increment > MaxAmount {
		return newError(ProblemBudget, -1, "increment %d, want 1..%d", pb.Increment, MaxAmount)
	}
	if pb.Points < 0 || pb.Points > MaxSetting {
		return newError(ProblemSettings, -1, "%d points, want 0..%d", pb.Points, MaxSetting)
	}
	seen := make(map[string]bool, n)
	for i, p := range pb.Projects {
		if p.ID == "" || seen[p.ID] {
			return newError(ProblemID, i, "project %d: ID %q empty or used twice", i, p.ID)
		}
		seen[p.ID] = true
		if p.Cost < 0 || p.Cost > pb.Budget {
			return newError(ProblemCost, i, "project %q: cost %d, want 0..%d", p.ID, p.Cost, pb.Budget)
		}
	}
	return nil
}

// greedyOrder compares projects for greedy: higher score, lower cost, ID.
func greedyOrder(pb Budget, scores []int64) func(a, b int) int {
	return func(a, b int) int {
		if c := cmp.Compare(scores[b], scores[a]); c != 0 {
			return c
		}
		if c := cmp.Compare(pb.Projects[a].Cost, pb.Projects[b].Cost); c != 0 {
			return c
		}
		return strings.Compare(pb.Projects[a].ID, pb.Projects[b].ID)
	}
}

// greedyFill returns the projects not in taken that greedy funds with left.
func greedyFill(pb Budget, scores []int64, taken []int, left int64) []int {
	order := make([]int, 0, len(pb.Projects))
	for i := range pb.Projects {
		if !slices.Contains(taken, i) {
			order = append(order, i)
		}
	}
	slices.SortFunc(order, greedyOrder(pb, scores))
	var out []int
	for _, p := range order {
		if c := pb.Projects[p].Cost; c <= left {
			out = append(out, p)
			left -= c
		}
	}
	return out
}

// groupBallots checks the ballots and counts identical ones once. It
// returns the groups, the group of each ballot and the projects' scores.
func groupBallots(pb Budget, ballots []Ballot) ([]pbGroup, []int32, []int64, error) {
	scores := make([]int64, len(pb.Projects))
	index := make(map[string]int32)
	var gs []pbGroup
	of := make([]int32, len(ballots))
	var key []byte
	for bi, b := range ballots {
		if err := ValidateBudgetBallot(pb, b); err != nil {
			e := err.(*Error)
			e.Ballot = bi
			return nil, nil, nil, e
		}
		key = key[:0]
		for i, v := range b.Values {
			if v != 0 {
				scores[i] += int64(v)
				key = appendUvarint(key, uint64(i))
				key = appendUvarint(key, uint64(v))
			}
		}
		if g, ok := index[string(key)]; ok {
			gs[g].mult++
			of[bi] = g
			continue
		}
		g := int32(len(gs))
		index[string(key)] = g
		of[bi] = g
		var items []pbItem
		for i, v := range b.Values {
			if v != 0 {
				items = append(items, pbItem{p: int32(i), w: int64(v)})
			}
		}
		gs = append(gs, pbGroup{mult: 1, items: items})
	}
	return gs, of, scores, nil
}

func appendUvarint(b []byte, x uint64) []byte {
	for x >= 0x80 {
		b = append(b, byte(x)|0x80)
		x >>= 7
	}
	return append(b, byte(x))
}

// pbGroup is a set of identical ballots: mult voters with these items.
type pbGroup struct {
	mult  int64
	items []pbItem
}

// pbItem is a project a ballot supports, with its weight (1 or points).
type pbItem struct {
	p int32
	w int64
}

// mes holds what every run of equal shares shares.
type mes struct {
	pb      Budget
	scores  []int64
	groups  []pbGroup
	voters  int64
	part    []int     // projects taking part: support and cost > 0, by index
	groupOf [][]int32 // per project, the groups supporting it
	weight  [][]int64 // per project, parallel to groupOf: the weight
	// init holds per project its initial entries: all voters in class 0,
	// one entry per distinct weight.
	init [][]entry
}

// entry is m voters of one budget class giving weight w to a project.
type entry struct {
	class int32
	w     int64
	m     int64
}

// runResult is the outcome of one run with endowment e.
type runResult struct {
	endowment *big.Rat
	funded    []int
	payers    []int64
	cost      int64
	// paid holds, per group, what each of its voters paid (for tests).
	paid []*big.Rat
}

func newMES(pb Budget, scores []int64, groups []pbGroup, voters int64) *mes {
	n := len(pb.Projects)
	m := &mes{pb: pb, scores: scores, groups: groups, voters: voters,
		groupOf: make([][]int32, n), weight: make([][]int64, n), init: make([][]entry, n)}
	for gi, g := range groups {
		for _, it := range g.items {
			m.groupOf[it.p] = append(m.groupOf[it.p], int32(gi))
			m.weight[it.p] = append(m.weight[it.p], it.w)
		}
	}
	for p := range n {
		if scores[p] == 0 || pb.Projects[p].Cost == 0 {
			continue
		}
		m.part = append(m.part, p)
		byW := map[int64]int64{}
		for k, gi := range m.groupOf[p] {
			byW[m.weight[p][k]] += groups[gi].mult
		}
		for w, c := range byW {
			m.init[p] = append(m.init[p], entry{class: 0, w: w, m: c})
		}
		slices.SortFunc(m.init[p], func(a, b entry) int { return cmp.Compare(a.w, b.w) })
	}
	return m
}

// add1 runs equal shares with growing endowments and returns the kept run.
func (m *mes) add1() runResult {
	if m.voters == 0 || len(m.part) == 0 {
		return runResult{}
	}
	e := big.NewRat(m.pb.Budget, m.voters)
	inc := new(big.Rat).SetInt64(m.pb.Increment)
	var prev runResult
	for first := true; ; first = false {
		r := m.run(e)
		if r.cost > m.pb.Budget {
			if first { // cannot happen: n·e = budget
				return runResult{}
			}
			return prev
		}
		if m.exhaustive(r) {
			return r
		}
		prev = r
		e = new(big.Rat).Add(e, inc)
	}
}

// exhaustive reports whether no unfunded project taking part fits in what r
// leaves.
func (m *mes) exhaustive(r runResult) bool {
	left := m.pb.Budget - r.cost
	for _, p := range m.part {
		if m.pb.Projects[p].Cost <= left && !slices.Contains(r.funded, p) {
			return false
		}
	}
	return true
}

// class is a set of voters holding the same budget.
type class struct {
	b  *big.Rat
	bf float64 // approximation of b
}

// state is one run's state.
type state struct {
	m       *mes
	classes []class
	cls     []int32 // per group, its class; -1: broke
	ent     [][]entry
	idx     []map[[2]int64]int // per project: (class, w) → index in ent
	alive   []bool             // per project: still a candidate
	lb      []float64          // per project: lower bound of ρ (float)
	tmp     []entry
	rat     [4]big.Rat
}

func (m *mes) run(e *big.Rat) runResult {
	n := len(m.pb.Projects)
	ef, _ := e.Float64()
	s := &state{m: m, classes: []class{{b: e, bf: ef}}, cls: make([]int32, len(m.groups)),
		ent: make([][]entry, n), idx: make([]map[[2]int64]int, n), alive: make([]bool, n), lb: make([]float64, n)}
	for _, p := range m.part {
		s.ent[p] = slices.Clone(m.init[p])
		s.alive[p] = true
		s.lb[p] = 0
	}
	res := runResult{endowment: e}
	cand := slices.Clone(m.part)
	q := new(big.Rat)
	for {
		// Candidates by lower bound; evaluate until the bound exceeds the best.
		slices.SortFunc(cand, func(a, b int) int { return cmp.Compare(s.lb[a], s.lb[b]) })
		best := -1
		var bestRho, bestQ *big.Rat
		var bestF float64
		kept := cand[:0]
		for ci, p := range cand {
			if best >= 0 && s.lb[p] > bestF*(1+1e-9) {
				kept = append(kept, cand[ci:]...)
				break
			}
			qp, ok := s.price(p)
			if !ok {
				s.alive[p] = false
				continue
			}
			kept = append(kept, p)
			rho := new(big.Rat).Quo(qp, new(big.Rat).SetInt64(m.pb.Projects[p].Cost))
			rf, _ := rho.Float64()
			s.lb[p] = rf * (1 - 1e-12)
			if best < 0 || s.betterRho(rho, rf, p, bestRho, bestF, best) {
				best, bestRho, bestQ, bestF = p, rho, qp, rf
			}
		}
		cand = kept
		if best < 0 {
			break
		}
		q.Set(bestQ)
		payers := s.fund(best, q)
		res.funded = append(res.funded, best)
		res.payers = append(res.payers, payers)
		res.cost += m.pb.Projects[best].Cost
		cand = slices.DeleteFunc(cand, func(p int) bool { return p == best })
		s.alive[best] = false
	}
	res.paid = make([]*big.Rat, len(m.groups))
	for gi, c := range s.cls {
		left := new(big.Rat)
		if c >= 0 {
			left = s.classes[c].b
		}
		res.paid[gi] = new(big.Rat).Sub(e, left)
	}
	return res
}

// betterRho reports whether project p at rho beats the best so far.
func (s *state) betterRho(rho *big.Rat, rf float64, p int, best *big.Rat, bf float64, bp int) bool {
	c := cmpApprox(rf, bf, rho, best)
	if c != 0 {
		return c < 0
	}
	pr := s.m.pb.Projects
	if c := cmp.Compare(pr[p].Cost, pr[bp].Cost); c != 0 {
		return c < 0
	}
	if c := cmp.Compare(s.m.scores[p], s.m.scores[bp]); c != 0 {
		return c > 0
	}
	return strings.Compare(pr[p].ID, pr[bp].ID) < 0
}

// cmpApprox compares exact values x and y through their approximations xf,
// yf when these differ clearly, exactly otherwise.
func cmpApprox(xf, yf float64, x, y *big.Rat) int {
	const eps = 1e-9
	if xf < yf-eps*math.Max(math.Abs(xf), math.Abs(yf)) {
		return -1
	}
	if xf > yf+eps*math.Max(math.Abs(xf), math.Abs(yf)) {
		return 1
	}
	return x.Cmp(y)
}

// price returns q, the payment per unit of weight that buys p: the smallest
// q with Σ m·min(b, q·w) = cost(p) over p's supporters (then ρ = q / cost).
// ok is false when p's supporters together hold less than its cost.
func (s *state) price(p int) (*big.Rat, bool) {
	cost := s.m.pb.Projects[p].Cost
	// Live entries, by b/w ascending.
	es := s.tmp[:0]
	var R int64
	var totalF float64
	for _, e := range s.ent[p] {
		if e.m == 0 || e.class < 0 {
			continue
		}
		es = append(es, e)
		R += e.m * e.w
		totalF += float64(e.m) * s.classes[e.class].bf
	}
	s.tmp = es
	if len(es) == 0 {
		return nil, false
	}
	costF := float64(cost)
	if totalF < costF*(1-1e-9) {
		return nil, false
	}
	if totalF <= costF*(1+1e-9) {
		total := new(big.Rat)
		t := &s.rat[0]
		for _, e := range es {
			t.SetInt64(e.m)
			total.Add(total, t.Mul(t, s.classes[e.class].b))
		}
		if total.Cmp(t.SetInt64(cost)) < 0 {
			return nil, false
		}
	}
	slices.SortFunc(es, func(a, b entry) int {
		ca, cb := s.classes[a.class], s.classes[b.class]
		xf, yf := ca.bf/float64(a.w), cb.bf/float64(b.w)
		if a.w == b.w {
			return cmpApprox(xf, yf, ca.b, cb.b)
		}
		x := new(big.Rat).Quo(ca.b, new(big.Rat).SetInt64(a.w))
		y := new(big.Rat).Quo(cb.b, new(big.Rat).SetInt64(b.w))
		return cmpApprox(xf, yf, x, y)
	})
	// Walk: the first entries are poor (pay all they hold) while
	// q·w > b with q = (cost − poor money) / rich weight.
	poorF := 0.0
	k := 0
	for ; k < len(es); k++ {
		e := es[k]
		b := s.classes[e.class]
		qf := (costF - poorF) / float64(R)
		need := qf * float64(e.w)
		rich := false
		switch {
		case need < b.bf*(1-1e-9):
			rich = true
		case need > b.bf*(1+1e-9):
		default:
			qx := s.exactQ(es[:k], cost, R)
			qx.Mul(qx, new(big.Rat).SetInt64(e.w))
			rich = qx.Cmp(b.b) <= 0
		}
		if rich {
			break
		}
		poorF += float64(e.m) * b.bf
		R -= e.m * e.w
	}
	if k == len(es) { // cannot happen after the total check
		return nil, false
	}
	return s.exactQ(es[:k], cost, R), true
}

// exactQ returns (cost − Σ poor m·b) / R.
func (s *state) exactQ(poor []entry, cost, R int64) *big.Rat {
	q := new(big.Rat).SetInt64(cost)
	t := &s.rat[1]
	for _, e := range poor {
		t.SetInt64(e.m)
		q.Sub(q, t.Mul(t, s.classes[e.class].b))
	}
	return q.Quo(q, t.SetInt64(R))
}

// fund makes p's supporters pay min(b, q·w) and returns how many paid.
func (s *state) fund(p int, q *big.Rat) int64 {
	// New class per (class, w) of p's supporters.
	moved := map[[2]int64]int32{}
	var payers int64
	for _, e := range s.ent[p] {
		if e.m == 0 || e.class < 0 {
			continue
		}
		c := s.classes[e.class]
		if c.b.Sign() == 0 {
			moved[[2]int64{int64(e.class), e.w}] = -1
			continue
		}
		payers += e.m
		pay := new(big.Rat).SetInt64(e.w)
		pay.Mul(pay, q)
		if pay.Cmp(c.b) >= 0 {
			moved[[2]int64{int64(e.class), e.w}] = -1
			continue
		}
		nb := pay.Sub(c.b, pay)
		nf, _ := nb.Float64()
		moved[[2]int64{int64(e.class), e.w}] = int32(len(s.classes))
		s.classes = append(s.classes, class{b: nb, bf: nf})
	}
	// Move p's supporting groups and update the other projects' entries.
	for k, gi := range s.m.groupOf[p] {
		old := s.cls[gi]
		if old < 0 {
			continue
		}
		nc := moved[[2]int64{int64(old), s.m.weight[p][k]}]
		s.cls[gi] = nc
		g := s.m.groups[gi]
		for _, it := range g.items {
			q := int(it.p)
			if q == p || !s.alive[q] {
				continue
			}
			s.addEntry(q, old, it.w, -g.mult)
			if nc >= 0 {
				s.addEntry(q, nc, it.w, g.mult)
			}
		}
	}
	return payers
}

func (s *state) addEntry(p int, c int32, w, d int64) {
	if s.idx[p] == nil {
		s.idx[p] = make(map[[2]int64]int, len(s.ent[p])+8)
		for i, e := range s.ent[p] {
			s.idx[p][[2]int64{int64(e.class), e.w}] = i
		}
	}
	k := [2]int64{int64(c), w}
	if i, ok := s.idx[p][k]; ok {
		s.ent[p][i].m += d
		return
	}
	s.idx[p][k] = len(s.ent[p])
	s.ent[p] = append(s.ent[p], entry{class: c, w: w, m: d})
}
