// Package tally counts polls. It owns the voting methods Engage offers, the
// shape of a ballot under each method, the rules that decide or keep ties,
// and the running tally shown while a poll is open. It is pure computation,
// functions from ballots to a result, with no I/O, no clock, no storage and
// no user-facing text. It imports only the standard library. It must not
// import core (core imports it), bots, adapters, store or prompts.
//
// # API
//
//	Validate(m Method, n int, b Ballot, s Settings) error      // one ballot, before it is stored
//	Count(m Method, n int, ballots []Ballot, s Settings) (Result, error)
//	NewLive(m Method, n int, s Settings) (*Live, error)         // running tally: Add, Remove
//	CountBudget(r BudgetRule, pb Budget, ballots []Ballot)      // participatory budget (budget.go)
//
// A poll has n options, indexed 0..n-1, with 1 ≤ n ≤ MaxOptions. A [Ballot]
// holds one value per option. What the value means depends on the method:
//
//	single    1 for the chosen option, 0 for the others (exactly one 1)
//	approval  1 approved, 0 not
//	irv       rank: 1 = first. Equal ranks tie (A = C > D). Gaps do not matter:
//	schulze     only the order counts. 0 = unranked: unranked options come after
//	borda       every ranked option, tied among themselves. A blank ballot is valid.
//	score     the score, Settings.ScaleMin..ScaleMax. The caller stores ScaleMin
//	            for an option the member left unscored.
//	dot       dots given to the option, ≥ 0, summing to at most Settings.Dots
//	judgment  grade 0..Settings.Grades-1, 0 the worst. The caller stores 0 for an
//	            option the member left unrated: unrated counts as the worst grade.
//	date      2 yes, 1 maybe (if need be), 0 no
//	contest   as single. Ballot.Jury marks a jury member's ballot.
//	stv       rank as irv, but no two options may share a rank
//	            (ProblemEqualRanks): one candidate per preference.
//
// # Results
//
// [Result.Ranking] lists tiers of option indexes, best first. A tier with
// several options is a real tie: ties are never broken by option order or by
// ballot order. Inside a tier, indexes are ascending. Every option appears in
// exactly one tier, including options nobody voted for.
//
// The rules per method:
//
//   - single, approval: most ballots choosing (approving) the option.
//   - score, dot: highest total. Every ballot scores every option, so the
//     total orders options as the mean would.
//   - date: most yes; equal yes, more maybes; equal both, a tie.
//   - borda: an option gets, on each ballot, the number of options ranked
//     below it, plus half the number of other options tied with it (tied
//     options share the average of the points their places would get).
//     Unranked options are tied last, so they share the points of the last
//     places. Highest total wins. Points are exact rationals; with ties they
//     are multiples of 1/2.
//   - irv: each round, a ballot counts for its best-ranked option still in
//     the race. If it ranks k such options equal best, each gets 1/k of the
//     ballot, counted exactly. A ballot that ranks none of the remaining
//     options is exhausted (unranked options get no share). All options tied
//     for the fewest votes are eliminated together. If that would eliminate
//     every remaining option, they tie for the win. Counting goes on until
//     that happens, so every option gets a place. The winner is the one a
//     count stopping at the first majority would find. The ranking is the
//     winners, then the eliminated options in reverse order of elimination,
//     options eliminated together forming one tier.
//   - schulze: d[i][j] is the number of ballots ranking i above j (a ranked
//     option is above every unranked one; equal ranks give no preference).
//     A link i→j has strength d[i][j] if d[i][j] > d[j][i] (winning votes),
//     else 0. p[i][j] is the strength of the strongest path from i to j.
//     i beats j iff p[i][j] > p[j][i]; this relation is transitive. Tier 1 is
//     the options nobody beats (the Schulze winners), tier 2 the options beaten
//     only by tier 1, and so on. Options in one tier never beat each other, and
//     options beaten by the same set of options always share a tier.
//   - judgment (majority judgment, Balinski–Laraki): an option's majority
//     grade is the lower median of its grades. Options with the same majority
//     grade are compared by removing one median grade from each profile and
//     taking the lower median again, until they differ. The higher grade
//     wins. Identical grade profiles tie. With no ballots every option has
//     majority grade 0 and all tie.
//   - stv (single transferable vote, Settings.Seats winners): by default the
//     Scottish rules (Scottish Local Government Elections Order 2007,
//     schedule 1, rules 45–53) in integers counting 10^-5 votes: Droop
//     quota fixed once, surpluses one at a time largest first, each paper
//     passing at surplus × value ÷ total truncated to 5 decimals (inclusive
//     Gregory), exclusion of the lowest at the value received, the
//     continuing elected when as many as the seats left. Settings.Meek
//     counts by Meek's method as the PRF reference rule, in 10^-9 votes.
//     Ties the earlier-stage rule leaves are explored: Result.Tied reports
//     them, and the count stops, only when the choices elect different
//     candidates, unless Settings.Lots lets a seeded lot decide. Elected,
//     Quota, Stages and Tied hold the count; the ranking is the elected (one
//     tier), then the others. stv.go, stv_scottish.go and stv_meek.go say
//     more. CountSTV counts weighted groups (a BLT file: ParseBLT, WriteBLT).
//   - contest: per group (jury, public), an option's share is its votes
//     divided by the group's ballots, and 0 for every option if the group
//     cast no ballot. The result is W·jury share + (100−W)·public share, in
//     percent, with W = Settings.JuryWeight. Shares are exact rationals.
//
// # Exactness and cost
//
// No floating point decides a ranking: counts are integers and fractional
// values (IRV split ballots, Borda half points, contest shares) are
// [math/big.Rat], compared exactly. Count makes one pass over the ballots,
// checking and counting each, then works on per-option totals only: its cost
// is linear in ballots, O(ballots × options), and for Schulze
// O(ballots × ranked options × options). IRV first aggregates identical
// rankings (after removing rank gaps) into one group with a count, radix
// sorting packed rankings up to 15 options, and runs its rounds over the
// groups.
//
// # Weights
//
// A ballot may carry a Weight (a vote weighted by shares, 1..MaxWeight; 0
// counts as 1). Every method, and CountBudget, counts a ballot of weight k
// exactly as k copies of it: counts, totals, points, pairwise preferences,
// grade profiles, IRV and STV papers, contest groups and budget voters are
// all in weight. Result.Ballots stays the number of ballots; Result.Weight
// is the total weight of a weighted count.
//
// # Live tally
//
// [Live] keeps a running count for display while a poll is open. Add and
// Remove cost O(options) whatever the number of ballots already counted. To
// change a ballot, Remove the old one and Add the new one. See [Live] for what
// it shows per method. The final result always comes from Count.
package tally

import (
	"fmt"
	"math/big"
	"slices"
)

// Method names a counting method. The values are stable strings: they are
// stored with a poll and typed by members in /poll new.
type Method string

// The methods. See the package documentation for each one's ballot and rules.
const (
	Single   Method = "single"   // plurality: one choice, most votes wins
	Approval Method = "approval" // approve any number of options
	IRV      Method = "irv"      // instant-runoff on ranked ballots
	Schulze  Method = "schulze"  // Condorcet, Schulze's method with winning votes
	Borda    Method = "borda"    // Borda count on ranked ballots
	Score    Method = "score"    // range voting: a score per option
	Dot      Method = "dot"      // each member spreads a budget of dots
	Judgment Method = "judgment" // majority judgment: a grade per option
	Date     Method = "date"     // date poll: yes / maybe / no per slot
	Contest  Method = "contest"  // single choice, weighted between a jury and the public
	STV      Method = "stv"      // single transferable vote: Settings.Seats winners
)

// Methods returns every method, in the order the product lists them.
func Methods() []Method {
	return []Method{Single, Approval, IRV, Schulze, Borda, Score, Dot, Judgment, Date, Contest, STV}
}

// kind is a Method resolved once per poll, for a cheap switch per ballot.
// Its values follow the order of Methods().
type kind uint8

const (
	kSingle kind = iota
	kApproval
	kIRV
	kSchulze
	kBorda
	kScore
	kDot
	kJudgment
	kDate
	kContest
	kSTV
)

// Limits that keep every count within int64 and bounded work.
const (
	// MaxOptions is the most options a poll may have. Schulze's work grows
	// with the cube of the number of options.
	MaxOptions = 256
	// MaxGrades is the most grades a majority-judgment poll may have.
	MaxGrades = 64
	// MaxSetting bounds |Settings.ScaleMin|, |Settings.ScaleMax| and
	// Settings.Dots.
	MaxSetting = 1_000_000
)

// Ballot is one member's vote. Values has exactly one entry per option (index
// = option index). Its meaning per method is in the package documentation.
// Count and Live never modify or retain Values.
type Ballot struct {
	Values []int
	// Jury marks a jury member's ballot in a contest. It must be false for
	// every other method.
	Jury bool
	// Weight is how many ballots this one counts for (a vote weighted by
	// shares), 0..MaxWeight; 0 and 1 both count once. Every method counts a
	// ballot of weight k exactly as k copies of it.
	Weight int
}

// MaxWeight bounds Ballot.Weight, so that weighted totals stay within int64.
const MaxWeight = 1_000_000

// weight returns what b counts for: its Weight, 1 when unset.
func (b Ballot) weight() int {
	if b.Weight == 0 {
		return 1
	}
	return b.Weight
}

// Settings are the poll settings a method needs. Each method reads only its
// own fields and ignores the others. Product defaults (scale 0–5, 8 dots,
// 6 grades) are applied by the caller, not here.
type Settings struct {
	// ScaleMin and ScaleMax bound a score ballot; ScaleMin < ScaleMax, both
	// within ±MaxSetting.
	ScaleMin, ScaleMax int
	// Dots is the number of dots each member may spread in a dot vote,
	// 1..MaxSetting.
	Dots int
	// Grades is the number of grades in majority judgment, 2..MaxGrades,
	// grade 0 the worst.
	Grades int
	// JuryWeight is the jury's weight in a contest, in percent 0..100. The
	// public gets the rest.
	JuryWeight int
	// Seats is the number of candidates an STV count elects,
	// 1..options−1.
	Seats int
	// Meek counts an STV poll by Meek's method instead of the Scottish rules.
	Meek bool
	// Lots lets a seeded lot break an STV tie that the earlier-stage rule
	// leaves: LotSeed seeds it, and is published with the result. Without
	// Lots no lot is drawn: see Result.Tied.
	Lots    bool
	LotSeed uint64
	// Withdrawn lists options withdrawn before an STV count (a BLT file's
	// negative line): they are skipped on every ballot and never elected.
	Withdrawn []int
}

// Result is the outcome of a count. Method, Ballots and Ranking are always
// set; of the other fields only those that apply to the method are, and the
// rest are nil or zero. Per-option slices are indexed by option.
type Result struct {
	// Method is the method counted.
	Method Method
	// Ballots is the number of ballots counted.
	Ballots int
	// Weight is the sum of the ballots' weights when at least one ballot
	// had a Weight set (a weighted count), 0 otherwise. Every per-option
	// figure of a weighted count is in weight, not ballots.
	Weight int `json:",omitempty"`
	// Ranking lists tiers of option indexes, best first. A tier with several
	// options is a tie. Indexes are ascending inside a tier.
	Ranking [][]int

	// Counts holds, per option: single and approval, the ballots choosing
	// (approving) it; date, the yes answers; contest, the public's ballots
	// for it.
	Counts []int
	// Maybes holds, per option, the maybe answers of a date poll.
	Maybes []int
	// JuryCounts holds, per option, the jury's ballots for it in a contest.
	JuryCounts []int
	// JuryBallots is the number of jury ballots in a contest. The public cast
	// Ballots − JuryBallots.
	JuryBallots int
	// Shares holds, per option, a contest's weighted result in percent:
	// W·jury share + (100−W)·public share.
	Shares []*big.Rat
	// Totals holds, per option, the sum of scores (score) or of dots (dot).
	Totals []int
	// Points holds, per option, the Borda points.
	Points []*big.Rat
	// Rounds holds the IRV rounds, first round first.
	Rounds []Round
	// Pairwise is Schulze's d: Pairwise[i][j] ballots rank i above j.
	Pairwise [][]int
	// Strongest is Schulze's p: Strongest[i][j] is the strength of the
	// strongest path from i to j (winning votes). The diagonal is 0.
	Strongest [][]int
	// Grades holds, per option, the majority grade of majority judgment.
	Grades []int
	// Profiles holds, per option, its grade distribution in majority
	// judgment: Profiles[i][g] ballots gave option i grade g.
	Profiles [][]int

	// STV fields. Seats is the number of seats, Valid the ballots ranking at
	// least one candidate (blank ballots are not valid papers), Decimals the
	// precision of the count (ScottishDecimals or MeekDecimals).
	Seats, Valid, Decimals int
	// Elected lists the elected options in order of election.
	Elected []int
	// Excluded lists the excluded options in order of exclusion.
	Excluded []int
	// Quota is the quota as a decimal string with Decimals digits; for Meek,
	// the quota at the last stage.
	Quota string
	// Stages holds the stages of the count, first preferences first.
	Stages []Stage
	// Tied lists, ascending, the candidates between whom only a lot could
	// decide when that lot would change who is elected. The count stops
	// there, with fewer than Seats elected. Empty otherwise.
	Tied []int
	// LotSeed is the seed of the lot (Settings.Lots), nil when none was
	// allowed.
	LotSeed *uint64
	// Budget is a participatory-budget poll's outcome (set by the caller,
	// core, which counts the ballots as approval or dot for Ranking).
	Budget *BudgetResult `json:"budget,omitempty"`
}

// Round is one round of an instant-runoff count.
type Round struct {
	// Votes holds, per option, the ballots counting for it this round,
	// exactly (a ballot split between k options equal best gives each 1/k).
	// It is nil for options eliminated in an earlier round.
	Votes []*big.Rat
	// Exhausted is the number of ballots that rank none of the options still
	// in the race.
	Exhausted int
	// Eliminated lists, ascending, the options tied for the fewest votes and
	// eliminated after this round. It is nil in the last round, whose
	// remaining options are the winners.
	Eliminated []int
}

// Validate reports whether b is a well-formed ballot for a poll counted by m
// with n options and settings s. It returns nil or an *[Error] whose Problem
// says what is wrong (ProblemMethod, ProblemOptions and ProblemSettings for
// the poll, the others for the ballot); Error.Ballot is -1. Rank gaps are
// fine; a blank ranked or approval ballot is valid.
func Validate(m Method, n int, b Ballot, s Settings) error {
	k, err := checkPoll(m, n, s)
	if err != nil {
		return err
	}
	if err := checkBallot(k, n, b, s); err != nil {
		return err
	}
	return nil
}

// Count counts ballots for a poll counted by m with n options and settings s.
// It checks the poll and every ballot as Validate does and returns no result
// if one is malformed: it then returns an *[Error], whose Ballot field is the
// index of the first malformed ballot (-1 for a problem with the poll).
// Count does not modify ballots. Its result does not depend on the order of
// the ballots.
func Count(m Method, n int, ballots []Ballot, s Settings) (Result, error) {
	k, perr := checkPoll(m, n, s)
	if perr != nil {
		return Result{}, perr
	}
	// One pass: each ballot is checked and counted while its values are in
	// the cache. A malformed ballot discards the partial count. Only IRV's
	// aggregator must know beforehand whether a ballot has a Weight: other
	// methods do not read the ballots twice (a second read of a large count
	// comes from memory again, not from the cache).
	weighted, total := false, 0
	if k == kIRV {
		weighted = slices.ContainsFunc(ballots, func(b Ballot) bool { return b.Weight != 0 })
	}
	c := newCounter(k, n, s, len(ballots), weighted)
	for i, b := range ballots {
		if err := checkBallot(k, n, b, s); err != nil {
			err.Ballot = i
			return Result{}, err
		}
		if b.Weight != 0 {
			weighted = true
		}
		total += b.weight()
		if k == kSTV && total > MaxSTVBallots { // votes of a count stay within int64
			return Result{}, newError(ProblemWeight, -1, "more than %d ballots in weight", MaxSTVBallots)
		}
		c.add(b)
	}
	r := Result{Method: m, Ballots: len(ballots)}
	if weighted {
		r.Weight = total
	}
	c.finish(&r)
	return r, nil
}

// counter accumulates one method's count, ballot by ballot, and writes the
// result. add receives only valid ballots.
type counter interface {
	add(b Ballot)
	finish(r *Result)
}

// newCounter returns the counter for a poll that passed checkPoll; ballots
// is the number of ballots to come, for preallocation; weighted says, for
// IRV, that some ballot has a Weight.
func newCounter(k kind, n int, s Settings, ballots int, weighted bool) counter {
	switch k {
	case kSingle:
		return &singleCounter{counts: make([]int, n)}
	case kApproval:
		return &approvalCounter{counts: make([]int, n)}
	case kIRV:
		return &irvCounter{agg: newAggregator(n, ballots, weighted)}
	case kSchulze:
		return newSchulzeCounter(n)
	case kBorda:
		return newBordaCounter(n)
	case kScore, kDot:
		return &sumCounter{totals: make([]int, n)}
	case kJudgment:
		return newJudgmentCounter(n, s)
	case kDate:
		return &dateCounter{yes: make([]int, n), maybe: make([]int, n)}
	case kSTV:
		return newSTVCounter(n, s)
	default: // kContest
		return &contestCounter{public: make([]int, n), jury: make([]int, n), weight: s.JuryWeight}
	}
}

// checkPoll checks what does not depend on a ballot: the method, the number
// of options and the settings the method reads. It returns the method's kind.
func checkPoll(m Method, n int, s Settings) (kind, *Error) {
	i := slices.Index(Methods(), m)
	if i < 0 {
		return 0, newError(ProblemMethod, -1, "unknown method %q", m)
	}
	k := kind(i)
	if n < 1 || n > MaxOptions {
		return k, newError(ProblemOptions, -1, "%d options, want 1..%d", n, MaxOptions)
	}
	switch k {
	case kScore:
		if s.ScaleMin >= s.ScaleMax || s.ScaleMin < -MaxSetting || s.ScaleMax > MaxSetting {
			return k, newError(ProblemSettings, -1, "score scale %d..%d, want min < max within ±%d", s.ScaleMin, s.ScaleMax, MaxSetting)
		}
	case kDot:
		if s.Dots < 1 || s.Dots > MaxSetting {
			return k, newError(ProblemSettings, -1, "%d dots, want 1..%d", s.Dots, MaxSetting)
		}
	case kJudgment:
		if s.Grades < 2 || s.Grades > MaxGrades {
			return k, newError(ProblemSettings, -1, "%d grades, want 2..%d", s.Grades, MaxGrades)
		}
	case kContest:
		if s.JuryWeight < 0 || s.JuryWeight > 100 {
			return k, newError(ProblemSettings, -1, "jury weight %d%%, want 0..100", s.JuryWeight)
		}
	case kSTV:
		if err := checkSTVPoll(n, s); err != nil {
			return k, err
		}
	}
	return k, nil
}

// checkBallot checks one ballot against a poll that passed checkPoll.
func checkBallot(k kind, n int, b Ballot, s Settings) *Error {
	if len(b.Values) != n {
		return newError(ProblemLength, -1, "%d values for %d options", len(b.Values), n)
	}
	if b.Jury && k != kContest {
		return newError(ProblemJury, -1, "a jury ballot in a %s poll", Methods()[k])
	}
	if b.Weight < 0 || b.Weight > MaxWeight {
		return newError(ProblemWeight, -1, "weight %d, want 0..%d", b.Weight, MaxWeight)
	}
	switch k {
	case kSingle, kContest:
		return checkSingle(b)
	case kApproval:
		return checkApproval(b)
	case kIRV, kSchulze, kBorda:
		return checkRanked(b)
	case kScore:
		return checkScore(b, s)
	case kDot:
		return checkDot(b, s)
	case kJudgment:
		return checkJudgment(b, s)
	case kDate:
		return checkDate(b)
	case kSTV:
		return checkSTVBallot(b)
	}
	return nil
}

// tiers orders options 0..n-1 by cmp, a three-way comparison that is negative
// when a ranks above b and must be a strict weak order, and groups the
// options comparing equal into one tier, indexes ascending.
func tiers(n int, cmp func(a, b int) int) [][]int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	// Stable: options comparing equal keep their ascending order.
	slices.SortStableFunc(order, cmp)
	var out [][]int
	for i := 0; i < n; {
		j := i + 1
		for j < n && cmp(order[i], order[j]) == 0 {
			j++
		}
		out = append(out, slices.Clone(order[i:j]))
		i = j
	}
	return out
}

// more returns a comparison ranking higher values of v first.
func more(v []int) func(a, b int) int {
	return func(a, b int) int {
		switch {
		case v[a] > v[b]:
			return -1
		case v[a] < v[b]:
			return 1
		}
		return 0
	}
}

// moreRat is more for exact rationals.
func moreRat(v []*big.Rat) func(a, b int) int {
	return func(a, b int) int { return v[b].Cmp(v[a]) }
}

// newError builds an *Error; option is -1 when the problem is not about one
// option.
func newError(p Problem, option int, format string, args ...any) *Error {
	return &Error{Problem: p, Ballot: -1, Option: option, Detail: fmt.Sprintf(format, args...)}
}
