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
	ProblemCost   Problem = "cost"   // a project's cost is negative or above MaxAmount
	ProblemBudget Problem = "budget" // the budget or the increment is out of range
	ProblemID     Problem = "id"     // a project ID is empty or used twice
	ProblemRule   Problem = "rule"   // the rule is not mes or greedy
)

// MaxAmount bounds the budget and costs, in minor units (10¹⁵: ten thousand
// billion euros), so that sums of costs stay within int64.
const MaxAmount = 1_000_000_000_000_000

// MaxBudgetProjects is the most projects a budget may have (city-wide
// Pabulib files hold a few hundred).
const MaxBudgetProjects = 4096

// BudgetProject is one project of a participatory budget.
type BudgetProject struct {
	ID string
	// Cost in minor units, 0..MaxAmount. A project costing more than the
	// budget is never funded (Pabulib files hold some); polls refuse it.
	Cost int64
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
	// Shares holds, per project funded by equal shares (the first ByMES of
	// Selected), the most a supporter paid per unit of weight: with approval
	// ballots, what each supporter paid, those who had less paying all they
	// had; with points, a supporter giving w points paid up to w times it.
	Shares []*big.Rat
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
	voters := int64(0) // a ballot of weight k is k voters
	for _, b := range ballots {
		voters += int64(b.weight())
	}
	r := BudgetResult{Rule: rule, Ballots: len(ballots), Scores: scores}
	r.Greedy = greedyFill(pb, scores, nil, pb.Budget)
	if rule == RuleGreedy {
		r.Selected = slices.Clone(r.Greedy)
		r.Payers = make([]int64, len(r.Selected))
	} else {
		m := newMES(pb, scores, gs, voters)
		run := m.add1()
		r.Selected = slices.Clone(run.funded)
		r.Payers = slices.Clone(run.payers)
		r.Shares = slices.Clone(run.shares)
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
	if b.Weight < 0 || b.Weight > MaxWeight {
		return newError(ProblemWeight, -1, "weight %d, want 0..%d", b.Weight, MaxWeight)
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
	if n < 1 || n > MaxBudgetProjects {
		return newError(ProblemOptions, -1, "%d projects, want 1..%d", n, MaxBudgetProjects)
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
		if p.Cost < 0 || p.Cost > MaxAmount {
			return newError(ProblemCost, i, "project %q: cost %d, want 0..%d", p.ID, p.Cost, MaxAmount)
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
		w := int64(b.weight())
		for i, v := range b.Values {
			if v != 0 {
				scores[i] += int64(v) * w
				key = appendUvarint(key, uint64(i))
				key = appendUvarint(key, uint64(v))
			}
		}
		if g, ok := index[string(key)]; ok {
			gs[g].mult += w
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
		gs = append(gs, pbGroup{mult: w, items: items})
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
	// wantPaid asks runs for what each group paid (tests).
	wantPaid bool
}

// runResult is the outcome of one run with endowment e.
type runResult struct {
	endowment *big.Rat
	funded    []int
	payers    []int64
	shares    []*big.Rat
	cost      int64
	// paid holds, per group, what each of its voters paid (for tests).
	paid []*big.Rat
}

func newMES(pb Budget, scores []int64, groups []pbGroup, voters int64) *mes {
	n := len(pb.Projects)
	m := &mes{pb: pb, scores: scores, groups: groups, voters: voters,
		groupOf: make([][]int32, n), weight: make([][]int64, n)}
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

// class is a set of voters holding the same budget: those who started with
// the endowment and then paid for the same projects. Its exact budget is
// computed only when a decision needs it: parent's budget − q·w.
type class struct {
	bf, berr float64 // approximation of the budget and a bound on its error
	parent   int32
	w        int64
	q        *big.Rat // the payment per unit of weight of the funding that made it
	ev       int32    // that funding's index in the run (state.evQ)
	b        *big.Rat // exact budget, nil until needed
}

// entry is m voters of one class giving weight w to the project evaluated.
type entry struct {
	class int32
	w     int64
	m     int64
	next  int32 // next entry of the same class (another weight), or -1
	to    int32 // fund: the class these voters move to (-1: no money left)
}

// quote is a project's price in the current round.
type quote struct {
	p        int
	qf, qerr float64 // q approximated, and the error bound
	rf, rerr float64 // ρ = q / cost approximated, and the error bound
	poor     []entry // the supporters paying all they hold
	R        int64   // the other supporters' total weight
	q, rho   *big.Rat
	cost     int64
}

// ulp bounds the relative rounding error of one float64 operation.
const ulp = 2.3e-16

// state is one run's state.
type state struct {
	m       *mes
	e       *big.Rat
	classes []class
	cls     []int32 // per group, its class; -1: no money left
	slot    []int32 // per class, 1 + its first entry in es, 0 if none
	es      []entry
	bufs    [][]entry // per project, the sorted entries of its last quote
	alive   []bool
	lb      []float64  // per project, a lower bound of its ρ
	evQ     []*big.Rat // per funding so far, its q
	coef    []int64    // sumBudgets' scratch, per funding
}

func (m *mes) run(e *big.Rat) runResult {
	n := len(m.pb.Projects)
	ef, _ := e.Float64()
	s := &state{m: m, e: e, classes: []class{{bf: ef, berr: ef * ulp, parent: -1, b: e}},
		cls: make([]int32, len(m.groups)), alive: make([]bool, n), lb: make([]float64, n),
		bufs: make([][]entry, n)}
	for _, p := range m.part {
		s.alive[p] = true
	}
	res := runResult{endowment: e}
	cand := slices.Clone(m.part)
	for {
		// Candidates by lower bound of ρ; evaluate until it exceeds the best.
		slices.SortFunc(cand, func(a, b int) int { return cmp.Compare(s.lb[a], s.lb[b]) })
		var best *quote
		kept := cand[:0]
		for ci, p := range cand {
			if best != nil && s.lb[p] > best.rf+best.rerr {
				kept = append(kept, cand[ci:]...)
				break
			}
			qt := s.price(p)
			if qt == nil {
				s.alive[p] = false
				continue
			}
			kept = append(kept, p)
			s.lb[p] = qt.rf - qt.rerr
			if best == nil || s.better(qt, best) {
				best = qt
			}
		}
		cand = kept
		if best == nil {
			break
		}
		payers := s.fund(best)
		res.funded = append(res.funded, best.p)
		res.payers = append(res.payers, payers)
		res.shares = append(res.shares, best.q)
		res.cost += best.cost
		cand = slices.DeleteFunc(cand, func(p int) bool { return p == best.p })
		s.alive[best.p] = false
	}
	if m.wantPaid {
		res.paid = make([]*big.Rat, len(m.groups))
		for gi, c := range s.cls {
			left := new(big.Rat)
			if c >= 0 {
				left = s.exact(c)
			}
			res.paid[gi] = new(big.Rat).Sub(e, left)
		}
	}
	return res
}

// exact returns class c's exact budget.
func (s *state) exact(c int32) *big.Rat {
	cl := &s.classes[c]
	if cl.b == nil {
		pb := s.exact(cl.parent)
		cl = &s.classes[c] // s.classes does not grow here, but stay safe
		t := new(big.Rat).SetInt64(cl.w)
		t.Mul(t, cl.q)
		cl.b = t.Sub(pb, t)
	}
	return cl.b
}

// exactQ returns qt's exact q and ρ.
func (s *state) exactQ(qt *quote) *big.Rat {
	if qt.q == nil {
		qt.q = s.exactQOf(qt.poor, qt.cost, qt.R)
		qt.rho = new(big.Rat).Quo(qt.q, new(big.Rat).SetInt64(qt.cost))
	}
	return qt.q
}

// exactQOf returns (cost − Σ poor m·b) / R.
func (s *state) exactQOf(poor []entry, cost, R int64) *big.Rat {
	q := new(big.Rat).SetInt64(cost)
	q.Sub(q, s.sumBudgets(poor))
	return q.Quo(q, new(big.Rat).SetInt64(R))
}

// sumBudgets returns Σ m·b over es, exactly. A class's budget is the
// endowment less q·w for each funding on its way from the first class, so
// the sum is e·Σm − Σ over fundings of q × (the weight its voters paid
// with): integer sums per funding, then one product per funding.
func (s *state) sumBudgets(es []entry) *big.Rat {
	if cap(s.coef) < len(s.evQ) {
		s.coef = make([]int64, len(s.evQ))
	}
	coef := s.coef[:len(s.evQ)]
	clear(coef)
	var voters int64
	for _, e := range es {
		voters += e.m
		for c := e.class; s.classes[c].parent >= 0; c = s.classes[c].parent {
			coef[s.classes[c].ev] += e.m * s.classes[c].w
		}
	}
	sum := new(big.Rat).SetInt64(voters)
	sum.Mul(sum, s.e)
	t := new(big.Rat)
	for ev, k := range coef {
		if k != 0 {
			t.SetInt64(k)
			sum.Sub(sum, t.Mul(t, s.evQ[ev]))
		}
	}
	return sum
}

// better reports whether quote a beats quote b: smaller ρ, then lower cost,
// higher score, ID.
func (s *state) better(a, b *quote) bool {
	var c int
	switch d := a.rf - b.rf; {
	case d < -(a.rerr + b.rerr):
		c = -1
	case d > a.rerr+b.rerr:
		c = 1
	default:
		s.exactQ(a)
		s.exactQ(b)
		c = a.rho.Cmp(b.rho)
	}
	if c != 0 {
		return c < 0
	}
	pr := s.m.pb.Projects
	if c := cmp.Compare(a.cost, b.cost); c != 0 {
		return c < 0
	}
	if c := cmp.Compare(s.m.scores[a.p], s.m.scores[b.p]); c != 0 {
		return c > 0
	}
	return pr[a.p].ID < pr[b.p].ID
}

// aggregate fills s.es with p's supporters who still hold money, one entry
// per (class, weight), and s.slot to find them. clearSlots undoes s.slot.
func (s *state) aggregate(p int) {
	s.es = s.es[:0]
	if len(s.slot) < len(s.classes) {
		s.slot = append(s.slot, make([]int32, len(s.classes)-len(s.slot))...)
	}
	for k, gi := range s.m.groupOf[p] {
		c := s.cls[gi]
		if c < 0 {
			continue
		}
		w, mult := s.m.weight[p][k], s.m.groups[gi].mult
		if i := s.find(c, w); i >= 0 {
			s.es[i].m += mult
			continue
		}
		s.es = append(s.es, entry{class: c, w: w, m: mult, next: s.slot[c] - 1})
		s.slot[c] = int32(len(s.es))
	}
}

// find returns the index in s.es of the entry (c, w), or -1.
func (s *state) find(c int32, w int64) int {
	for i := s.slot[c] - 1; i >= 0; i = s.es[i].next {
		if s.es[i].w == w {
			return int(i)
		}
	}
	return -1
}

func (s *state) clearSlots() {
	for _, e := range s.es {
		s.slot[e.class] = 0
	}
}

// price quotes p: q, the payment per unit of weight that buys it, the
// smallest q with Σ m·min(b, q·w) = cost(p) over its supporters (then
// ρ = q / cost). It returns nil when they together hold less than its cost.
func (s *state) price(p int) *quote {
	cost := s.m.pb.Projects[p].Cost
	s.aggregate(p)
	s.clearSlots()
	es := append(s.bufs[p][:0], s.es...)
	s.bufs[p] = es
	if len(es) == 0 {
		return nil
	}
	var R int64
	var total, terr float64
	for _, e := range es {
		c := &s.classes[e.class]
		R += e.m * e.w
		total += float64(e.m) * c.bf
		terr += float64(e.m) * (c.berr + c.bf*ulp)
	}
	terr += total * float64(len(es)+2) * ulp
	costF := float64(cost)
	switch {
	case total < costF-terr:
		return nil
	case total <= costF+terr:
		if s.sumBudgets(es).Cmp(new(big.Rat).SetInt64(cost)) < 0 {
			return nil
		}
	}
	// Supporters by b/w ascending.
	slices.SortFunc(es, func(a, b entry) int { return s.cmpShare(a, b) })
	// The first entries are poor (pay all they hold) while q·w > b, with
	// q = (cost − their money) / the others' weight.
	var poor, perr, pabs float64
	k := 0
	var qf, qerr float64
	for ; k < len(es); k++ {
		e := es[k]
		c := &s.classes[e.class]
		qf = (costF - poor) / float64(R)
		qerr = (perr+(costF+pabs)*float64(k+3)*ulp)/float64(R) + qf*ulp
		need := qf * float64(e.w)
		tol := qerr*float64(e.w) + c.berr + (need+c.bf)*2*ulp
		rich := false
		switch d := need - c.bf; {
		case d < -tol:
			rich = true
		case d > tol:
		default:
			qx := s.exactQOf(es[:k], cost, R)
			qx.Mul(qx, new(big.Rat).SetInt64(e.w))
			rich = qx.Cmp(s.exact(e.class)) <= 0
		}
		if rich {
			break
		}
		poor += float64(e.m) * c.bf
		pabs += float64(e.m) * c.bf
		perr += float64(e.m) * (c.berr + c.bf*ulp)
		R -= e.m * e.w
	}
	if k == len(es) { // cannot happen after the total check
		return nil
	}
	rf := qf / costF
	return &quote{p: p, qf: qf, qerr: qerr, rf: rf, rerr: qerr/costF + rf*2*ulp,
		poor: es[:k], R: R, cost: cost}
}

// cmpShare orders entries by b/w, exactly.
func (s *state) cmpShare(a, b entry) int {
	ca, cb := &s.classes[a.class], &s.classes[b.class]
	xf, yf := ca.bf/float64(a.w), cb.bf/float64(b.w)
	xerr := ca.berr/float64(a.w) + xf*2*ulp
	yerr := cb.berr/float64(b.w) + yf*2*ulp
	switch d := xf - yf; {
	case d < -(xerr + yerr):
		return -1
	case d > xerr+yerr:
		return 1
	}
	x := new(big.Rat).SetInt64(b.w)
	x.Mul(x, s.exact(a.class))
	y := new(big.Rat).SetInt64(a.w)
	y.Mul(y, s.exact(b.class))
	return x.Cmp(y)
}

// fund makes qt's project's supporters pay min(b, q·w) and returns how many
// paid.
func (s *state) fund(qt *quote) int64 {
	p := qt.p
	q := s.exactQ(qt)
	s.aggregate(p)
	var payers int64
	for i := range s.es {
		e := &s.es[i]
		c := s.classes[e.class]
		payers += e.m
		need := qt.qf * float64(e.w)
		tol := qt.qerr*float64(e.w) + c.berr + (need+c.bf)*2*ulp
		rich := false
		switch d := need - c.bf; {
		case d < -tol:
			rich = true
		case d > tol:
		default:
			t := new(big.Rat).SetInt64(e.w)
			rich = t.Mul(t, q).Cmp(s.exact(e.class)) < 0
		}
		if !rich {
			e.to = -1
			continue
		}
		nb := c.bf - need
		e.to = int32(len(s.classes))
		s.classes = append(s.classes, class{bf: nb, berr: c.berr + qt.qerr*float64(e.w) + (c.bf+need)*2*ulp,
			parent: e.class, w: e.w, q: q, ev: int32(len(s.evQ))})
	}
	s.evQ = append(s.evQ, q)
	for k, gi := range s.m.groupOf[p] {
		if c := s.cls[gi]; c >= 0 {
			s.cls[gi] = s.es[s.find(c, s.m.weight[p][k])].to
		}
	}
	s.clearSlots()
	return payers
}
