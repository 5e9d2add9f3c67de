package tally_test

import (
	"errors"
	"math/big"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/engage-org/engage/core/tally"
)

// Property tests: the invariants every method must keep, checked on random
// polls with pgregory.net/rapid. Sources for the Schulze properties:
// Schulze (2011), Social Choice and Welfare 36, §4.1 (Condorcet) and §4.5
// (monotonicity).

var rankedMethods = []tally.Method{tally.IRV, tally.Schulze, tally.Borda}

// poll is a random poll: method, options and settings.
type poll struct {
	m tally.Method
	n int
	s tally.Settings
}

// drawPoll draws a valid poll counted by one of methods (all if none).
func drawPoll(t *rapid.T, methods ...tally.Method) poll {
	if len(methods) == 0 {
		methods = tally.Methods()
	}
	m := rapid.SampledFrom(methods).Draw(t, "method")
	n := rapid.IntRange(1, 6).Draw(t, "options")
	if rapid.IntRange(0, 9).Draw(t, "large") == 0 {
		n = rapid.IntRange(7, 20).Draw(t, "manyOptions") // past 15: other aggregation path
	}
	low := rapid.IntRange(-3, 2).Draw(t, "scaleMin")
	s := tally.Settings{
		ScaleMin:   low,
		ScaleMax:   low + rapid.IntRange(1, 5).Draw(t, "scaleSpan"),
		Dots:       rapid.IntRange(1, 10).Draw(t, "dots"),
		Grades:     rapid.IntRange(2, 7).Draw(t, "grades"),
		JuryWeight: rapid.IntRange(0, 100).Draw(t, "juryWeight"),
	}
	if m == tally.STV {
		if n < 2 {
			n = rapid.IntRange(2, 6).Draw(t, "stvOptions")
		}
		s.Seats = rapid.IntRange(1, n-1).Draw(t, "seats")
		s.Meek = rapid.Bool().Draw(t, "meek")
	}
	return poll{m: m, n: n, s: s}
}

// ballotGen generates valid ballots for p.
func ballotGen(p poll) *rapid.Generator[tally.Ballot] {
	return rapid.Custom(func(t *rapid.T) tally.Ballot {
		v := make([]int, p.n)
		var jury bool
		switch p.m {
		case tally.Single, tally.Contest:
			v[rapid.IntRange(0, p.n-1).Draw(t, "choice")] = 1
			jury = p.m == tally.Contest && rapid.Bool().Draw(t, "jury")
		case tally.Approval:
			for i := range v {
				v[i] = rapid.IntRange(0, 1).Draw(t, "approve")
			}
		case tally.IRV, tally.Schulze, tally.Borda:
			// Ranks 0..n+1 give unranked options, ties and gaps.
			for i := range v {
				v[i] = rapid.IntRange(0, p.n+1).Draw(t, "rank")
			}
		case tally.STV:
			// A prefix of a random order: distinct ranks, some unranked.
			order := rapid.Permutation(seq(p.n)).Draw(t, "order")
			k := rapid.IntRange(0, p.n).Draw(t, "ranked")
			for i, o := range order[:k] {
				v[o] = i + 1
			}
		case tally.Score:
			for i := range v {
				v[i] = rapid.IntRange(p.s.ScaleMin, p.s.ScaleMax).Draw(t, "score")
			}
		case tally.Dot:
			left := p.s.Dots
			for i := range v {
				v[i] = rapid.IntRange(0, left).Draw(t, "dots")
				left -= v[i]
			}
		case tally.Judgment:
			for i := range v {
				v[i] = rapid.IntRange(0, p.s.Grades-1).Draw(t, "grade")
			}
		case tally.Date:
			for i := range v {
				v[i] = rapid.IntRange(0, 2).Draw(t, "answer")
			}
		}
		return tally.Ballot{Values: v, Jury: jury}
	})
}

// seq returns 0..n-1.
func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// drawBallots draws up to 30 valid ballots for p.
func drawBallots(t *rapid.T, p poll) []tally.Ballot {
	return rapid.SliceOfN(ballotGen(p), 0, 30).Draw(t, "ballots")
}

// count counts or fails the property.
func count(t *rapid.T, p poll, b []tally.Ballot) tally.Result {
	r, err := tally.Count(p.m, p.n, b, p.s)
	if err != nil {
		t.Fatalf("Count(%s, %d options): %v", p.m, p.n, err)
	}
	return r
}

// checkPartition fails unless ranking holds each of 0..n-1 once, ascending
// inside each non-empty tier.
func checkPartition(t *rapid.T, ranking [][]int, n int) {
	seen := make([]bool, n)
	for _, tier := range ranking {
		if len(tier) == 0 || !slices.IsSorted(tier) {
			t.Fatalf("tier %v: want non-empty and ascending", tier)
		}
		for _, o := range tier {
			if o < 0 || o >= n || seen[o] {
				t.Fatalf("ranking %v: option %d out of range or repeated", ranking, o)
			}
			seen[o] = true
		}
	}
	if i := slices.Index(seen, false); i >= 0 {
		t.Fatalf("ranking %v misses option %d", ranking, i)
	}
}

// tierOf returns the index of the tier holding option o.
func tierOf(ranking [][]int, o int) int {
	for k, tier := range ranking {
		if slices.Contains(tier, o) {
			return k
		}
	}
	return -1
}

// Ensure the order in which ballots arrive never changes a result.
func TestCount_BallotOrderDoesNotMatter(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawPoll(t)
		b := drawBallots(t, p)
		shuffled := rapid.Permutation(b).Draw(t, "shuffled")
		want, got := count(t, p, b), count(t, p, shuffled)
		if diff := cmp.Diff(want, got, ratEqual); diff != "" {
			t.Fatalf("result (-in order +shuffled):\n%s", diff)
		}
	})
}

// Ensure only the order of ranks counts: spreading ranks apart (gaps, and
// ranks of 64 and more) changes no ranked result.
func TestCount_RankGapsDoNotMatter(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawPoll(t, rankedMethods...)
		b := drawBallots(t, p)
		spread := make([]tally.Ballot, len(b))
		for k, ballot := range b {
			v := slices.Clone(ballot.Values)
			for i := range v {
				if v[i] > 0 {
					v[i] = v[i]*37 + 5
				}
			}
			spread[k] = tally.Ballot{Values: v}
		}
		if diff := cmp.Diff(count(t, p, b), count(t, p, spread), ratEqual); diff != "" {
			t.Fatalf("result (-dense +spread):\n%s", diff)
		}
	})
}

// Ensure an STV count does not depend on how its ballots are grouped: the
// count of the ballots, of the same ballots with their ranks spread apart
// (ranks of 64 and more), and CountSTV's count of their RankedGroups agree,
// with some candidates withdrawn too.
func TestSTV_GroupingDoesNotMatter(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawPoll(t, tally.STV)
		for o := range p.n {
			if rapid.IntRange(0, 5).Draw(t, "withdrawn") == 0 {
				p.s.Withdrawn = append(p.s.Withdrawn, o)
			}
		}
		b := drawBallots(t, p)
		spread := make([]tally.Ballot, len(b))
		for k, ballot := range b {
			v := slices.Clone(ballot.Values)
			for i := range v {
				if v[i] > 0 {
					v[i] = v[i]*37 + 5
				}
			}
			spread[k] = tally.Ballot{Values: v}
		}
		want := count(t, p, b)
		if diff := cmp.Diff(want, count(t, p, spread)); diff != "" {
			t.Fatalf("result (-dense +spread):\n%s", diff)
		}
		groups := tally.RankedGroups(b)
		if !slices.IsSortedFunc(groups, func(x, y tally.RankedGroup) int { return slices.Compare(x.Order, y.Order) }) {
			t.Fatalf("groups %v not sorted by ranking", groups)
		}
		got, err := tally.CountSTV(p.n, groups, p.s)
		if err != nil {
			t.Fatalf("CountSTV: %v", err)
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("result (-ballots +groups):\n%s", diff)
		}
	})
}

// Ensure relabelling the options relabels the result the same way and
// changes nothing else: no tie is ever broken by option order.
func TestCount_OptionOrderDoesNotMatter(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawPoll(t)
		b := drawBallots(t, p)
		ids := make([]int, p.n)
		for i := range ids {
			ids[i] = i
		}
		perm := rapid.Permutation(ids).Draw(t, "perm") // option i becomes perm[i]
		moved := make([]tally.Ballot, len(b))
		for k, ballot := range b {
			moved[k] = tally.Ballot{Values: permute(ballot.Values, perm), Jury: ballot.Jury}
		}
		want, got := relabel(count(t, p, b), perm), count(t, p, moved)
		if p.m == tally.STV {
			// Candidates tied without effect on who is elected (equal votes
			// elected together, voteless candidates excluded one by one) are
			// recorded in option order: only who is elected, the quota and
			// a reported tie must not depend on it.
			want, got = stvOutcome(want, perm), stvOutcome(got, nil)
		}
		if diff := cmp.Diff(want, got, ratEqual); diff != "" {
			t.Fatalf("result (-relabelled +recounted):\n%s", diff)
		}
	})
}

// permute moves v[i] to index perm[i]; nil stays nil.
func permute[E any](v []E, perm []int) []E {
	if v == nil {
		return nil
	}
	out := make([]E, len(v))
	for i, x := range v {
		out[perm[i]] = x
	}
	return out
}

// relabelSet renames a set of options and sorts it.
func relabelSet(set []int, perm []int) []int {
	if set == nil {
		return nil
	}
	out := make([]int, len(set))
	for k, o := range set {
		out[k] = perm[o]
	}
	slices.Sort(out)
	return out
}

// relabelMatrix renames both indexes of a square matrix.
func relabelMatrix(m [][]int, perm []int) [][]int {
	if m == nil {
		return nil
	}
	out := make([][]int, len(m))
	for i := range out {
		out[i] = make([]int, len(m))
	}
	for i, row := range m {
		for j, x := range row {
			out[perm[i]][perm[j]] = x
		}
	}
	return out
}

// stvOutcome keeps of an STV result what option order must not change: the
// elected (as a set), the tie, the quota; perm relabels (nil: as is).
func stvOutcome(r tally.Result, perm []int) tally.Result {
	if perm == nil {
		perm = seq(len(r.Stages[0].Votes))
	}
	out := tally.Result{Method: r.Method, Ballots: r.Ballots, Quota: r.Quota, Valid: r.Valid}
	if r.Decimals == tally.MeekDecimals {
		// Meek's quota falls as votes exhaust: when candidates tied without
		// effect on who is elected, the one excluded (by option order) decides
		// how many votes exhaust, so the last quota may differ. Who is elected
		// and a reported tie still may not.
		out.Quota = ""
	}
	out.Elected = relabelSet(r.Elected, perm)
	out.Tied = relabelSet(r.Tied, perm)
	return out
}

// relabel renames the options of a result: option i becomes perm[i].
func relabel(r tally.Result, perm []int) tally.Result {
	out := r
	out.Ranking = nil
	for _, tier := range r.Ranking {
		out.Ranking = append(out.Ranking, relabelSet(tier, perm))
	}
	// The relabelled ranking lists tiers in the same order; only their
	// contents change.
	out.Counts = permute(r.Counts, perm)
	out.Maybes = permute(r.Maybes, perm)
	out.JuryCounts = permute(r.JuryCounts, perm)
	out.Shares = permute(r.Shares, perm)
	out.Totals = permute(r.Totals, perm)
	out.Points = permute(r.Points, perm)
	out.Grades = permute(r.Grades, perm)
	out.Profiles = permute(r.Profiles, perm)
	out.Pairwise = relabelMatrix(r.Pairwise, perm)
	out.Strongest = relabelMatrix(r.Strongest, perm)
	out.Rounds = nil
	for _, round := range r.Rounds {
		out.Rounds = append(out.Rounds, tally.Round{
			Votes:      permute(round.Votes, perm),
			Exhausted:  round.Exhausted,
			Eliminated: relabelSet(round.Eliminated, perm),
		})
	}
	return out
}

// Ensure every count of valid ballots succeeds and ranks every option once,
// and that each method's totals add up.
func TestCount_ValidBallotsAlwaysCount(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawPoll(t)
		b := drawBallots(t, p)
		r := count(t, p, b)
		checkPartition(t, r.Ranking, p.n)
		if r.Method != p.m || r.Ballots != len(b) {
			t.Fatalf("got method %v ballots %v, want %v %v", r.Method, r.Ballots, p.m, len(b))
		}
		switch p.m {
		case tally.Borda:
			// Each ballot hands out 0+1+…+(n-1) points, ties or not.
			sum := new(big.Rat)
			for _, x := range r.Points {
				sum.Add(sum, x)
			}
			want := big.NewRat(int64(len(b)*p.n*(p.n-1)/2), 1)
			if sum.Cmp(want) != 0 {
				t.Fatalf("Borda points sum: got %v, want %v", sum, want)
			}
		case tally.IRV:
			for k, round := range r.Rounds {
				sum := big.NewRat(int64(round.Exhausted), 1)
				for _, v := range round.Votes {
					if v != nil {
						sum.Add(sum, v)
					}
				}
				if sum.Cmp(big.NewRat(int64(len(b)), 1)) != 0 {
					t.Fatalf("round %d: votes plus exhausted: got %v, want %v", k, sum, len(b))
				}
			}
		}
	})
}

// Ensure a Condorcet winner, an option beating every other one head to
// head, is the Schulze winner, alone in the first tier.
func TestSchulze_CondorcetWinnerWins(t *testing.T) {
	found := 0
	rapid.Check(t, func(t *rapid.T) {
		p := drawPoll(t, tally.Schulze)
		b := drawBallots(t, p)
		r := count(t, p, b)
		d := r.Pairwise
		for x := range p.n {
			wins := true
			for y := range p.n {
				if y != x && d[x][y] <= d[y][x] {
					wins = false
				}
			}
			if wins {
				found++
				if want := []int{x}; !slices.Equal(r.Ranking[0], want) {
					t.Fatalf("first tier: got %v, want %v (d = %v)", r.Ranking[0], want, d)
				}
			}
		}
	})
	if found == 0 {
		t.Error("no poll had a Condorcet winner: the property was not exercised")
	}
}

// Ensure adding a ballot that ranks a Schulze winner X first and leaves
// every other option unranked never makes X lose: X stays in the first
// tier. Such a ballot only strengthens the links out of X and weakens the
// links into X. (A ballot ranking X first but also ordering the others can
// make X lose: see TestSchulze_NoShowParadox.)
func TestSchulze_BulletVoteKeepsWinner(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawPoll(t, tally.Schulze)
		b := drawBallots(t, p)
		before := count(t, p, b)
		x := rapid.SampledFrom(before.Ranking[0]).Draw(t, "winner")
		extra := tally.Ballot{Values: make([]int, p.n)}
		extra.Values[x] = 1
		after := count(t, p, append(slices.Clone(b), extra))
		if !slices.Contains(after.Ranking[0], x) {
			t.Fatalf("winner %d lost: ranking before %v, after %v", x, before.Ranking, after.Ranking)
		}
	})
}

// Ensure raising a Schulze winner X on one ballot, leaving the order of the
// other options alone, never makes X lose (monotonicity, Schulze 2011 §4.5).
func TestSchulze_RaisingWinnerKeepsWinner(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawPoll(t, tally.Schulze)
		b := rapid.SliceOfN(ballotGen(p), 1, 30).Draw(t, "ballots")
		before := count(t, p, b)
		x := rapid.SampledFrom(before.Ranking[0]).Draw(t, "winner")
		k := rapid.IntRange(0, len(b)-1).Draw(t, "ballot")
		old := b[k].Values[x]
		if old == 1 {
			t.Skip("x already ranked first on that ballot")
		}
		top := old - 1
		if old == 0 {
			top = p.n + 1 // unranked: any rank raises x
		}
		raised := slices.Clone(b[k].Values)
		raised[x] = rapid.IntRange(1, top).Draw(t, "rank")
		after := count(t, p, append(slices.Concat(b[:k], b[k+1:]), tally.Ballot{Values: raised}))
		if !slices.Contains(after.Ranking[0], x) {
			t.Fatalf("winner %d lost: ranking before %v, after %v", x, before.Ranking, after.Ranking)
		}
	})
}

// Ensure IRV ends with the options left: one option left is the winner, the
// last round shows only the winners, and a one-option poll returns it.
func TestIRV_LastOptionLeftWins(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawPoll(t, tally.IRV)
		b := drawBallots(t, p)
		r := count(t, p, b)
		last := r.Rounds[len(r.Rounds)-1]
		var left []int
		for o, v := range last.Votes {
			if v != nil {
				left = append(left, o)
			}
		}
		if !slices.Equal(left, r.Ranking[0]) || last.Eliminated != nil {
			t.Fatalf("last round: options left %v eliminated %v, want %v and none", left, last.Eliminated, r.Ranking[0])
		}
		if p.n == 1 && !cmp.Equal(r.Ranking, [][]int{{0}}) {
			t.Fatalf("one option: got %v, want [[0]]", r.Ranking)
		}
	})
}

// Ensure options with identical grade profiles tie under majority judgment,
// whichever members gave the grades.
func TestJudgment_IdenticalProfilesTie(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawPoll(t, tally.Judgment)
		if p.n < 2 {
			p.n = 2
		}
		b := drawBallots(t, p)
		column := make([]int, len(b))
		for k := range b {
			column[k] = b[k].Values[0]
		}
		column = rapid.Permutation(column).Draw(t, "regraded")
		for k := range b {
			b[k].Values[1] = column[k]
		}
		r := count(t, p, b)
		if tierOf(r.Ranking, 0) != tierOf(r.Ranking, 1) {
			t.Fatalf("options 0 and 1 have the same profile but ranking %v", r.Ranking)
		}
	})
}

// Ensure majority judgment agrees with the definition: remove the lower
// median grade one at a time and compare the sequences of medians.
func TestJudgment_MatchesMedianRemoval(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawPoll(t, tally.Judgment)
		b := drawBallots(t, p)
		r := count(t, p, b)
		seq := make([][]int, p.n)
		for i := range p.n {
			var grades []int
			for _, ballot := range b {
				grades = append(grades, ballot.Values[i])
			}
			slices.Sort(grades)
			for len(grades) > 0 {
				m := (len(grades) - 1) / 2
				seq[i] = append(seq[i], grades[m])
				grades = slices.Delete(grades, m, m+1)
			}
			if len(b) > 0 && r.Grades[i] != seq[i][0] {
				t.Fatalf("option %d: majority grade got %v, want %v", i, r.Grades[i], seq[i][0])
			}
		}
		for i := range p.n {
			for j := range p.n {
				c, ti, tj := slices.Compare(seq[i], seq[j]), tierOf(r.Ranking, i), tierOf(r.Ranking, j)
				if (c > 0) != (ti < tj) || (c == 0) != (ti == tj) {
					t.Fatalf("options %d %d: sequences %v %v compare %d, tiers %d %d", i, j, seq[i], seq[j], c, ti, tj)
				}
			}
		}
	})
}

// Ensure Validate rejects each kind of malformed ballot with a *tally.Error,
// and Count refuses a list holding it.
func TestValidate_RejectsMalformed(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawPoll(t)
		good := ballotGen(p).Draw(t, "ballot")
		if err := tally.Validate(p.m, p.n, good, p.s); err != nil {
			t.Fatalf("valid ballot %v: got %v, want nil", good, err)
		}
		bad, want := breakBallot(t, p, good)
		err := tally.Validate(p.m, p.n, bad, p.s)
		var e *tally.Error
		if !errors.As(err, &e) || e.Problem != want {
			t.Fatalf("ballot %v: got %v, want problem %v", bad, err, want)
		}
		list := append(drawBallots(t, p), bad)
		_, err = tally.Count(p.m, p.n, list, p.s)
		if !errors.As(err, &e) || e.Ballot != len(list)-1 {
			t.Fatalf("Count: got %v, want an error for ballot %d", err, len(list)-1)
		}
	})
}

// breakBallot makes a malformed copy of a valid ballot and says which
// problem Validate should find.
func breakBallot(t *rapid.T, p poll, good tally.Ballot) (tally.Ballot, tally.Problem) {
	v := slices.Clone(good.Values)
	i := rapid.IntRange(0, p.n-1).Draw(t, "option")
	switch rapid.IntRange(0, 2).Draw(t, "how") {
	case 0:
		if rapid.Bool().Draw(t, "longer") {
			return tally.Ballot{Values: append(v, 0), Jury: good.Jury}, tally.ProblemLength
		}
		return tally.Ballot{Values: v[:p.n-1], Jury: good.Jury}, tally.ProblemLength
	case 1:
		if p.m != tally.Contest {
			return tally.Ballot{Values: v, Jury: true}, tally.ProblemJury
		}
	}
	low := rapid.IntRange(-1000, -1).Draw(t, "below")
	switch p.m {
	case tally.Single, tally.Contest:
		if p.n > 1 && rapid.Bool().Draw(t, "twoChoices") {
			v[(slices.Index(v, 1)+1)%p.n] = 1
			return tally.Ballot{Values: v, Jury: good.Jury}, tally.ProblemChoice
		}
		v[i] = rapid.SampledFrom([]int{low, 2, 3}).Draw(t, "value")
	case tally.Approval:
		v[i] = rapid.SampledFrom([]int{low, 2}).Draw(t, "value")
	case tally.IRV, tally.Schulze, tally.Borda:
		v[i] = low
	case tally.STV:
		if p.n > 1 && rapid.Bool().Draw(t, "equal") {
			v[i], v[(i+1)%p.n] = 1, 1
			return tally.Ballot{Values: v}, tally.ProblemEqualRanks
		}
		v[i] = low
	case tally.Score:
		v[i] = rapid.SampledFrom([]int{p.s.ScaleMin - 1, p.s.ScaleMax + 1}).Draw(t, "value")
	case tally.Dot:
		if rapid.Bool().Draw(t, "overBudget") {
			v[i] += p.s.Dots - sum(v) + 1
			if v[i] <= p.s.Dots {
				return tally.Ballot{Values: v}, tally.ProblemDots
			}
			return tally.Ballot{Values: v}, tally.ProblemValue
		}
		v[i] = low
	case tally.Judgment:
		v[i] = rapid.SampledFrom([]int{low, p.s.Grades}).Draw(t, "value")
	case tally.Date:
		v[i] = rapid.SampledFrom([]int{low, 3}).Draw(t, "value")
	}
	return tally.Ballot{Values: v, Jury: good.Jury}, tally.ProblemValue
}

func sum(v []int) int {
	s := 0
	for _, x := range v {
		s += x
	}
	return s
}

// Ensure arbitrary input never makes Validate or Count panic, and every
// ballot Validate accepts is counted.
func TestCount_ArbitraryInputNeverPanics(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := rapid.SampledFrom(append(tally.Methods(), "bogus")).Draw(t, "method")
		n := rapid.IntRange(-1, 7).Draw(t, "options")
		s := tally.Settings{
			ScaleMin:   rapid.IntRange(-5, 5).Draw(t, "scaleMin"),
			ScaleMax:   rapid.IntRange(-5, 5).Draw(t, "scaleMax"),
			Dots:       rapid.IntRange(-1, 5).Draw(t, "dots"),
			Grades:     rapid.IntRange(-1, 5).Draw(t, "grades"),
			JuryWeight: rapid.IntRange(-10, 110).Draw(t, "juryWeight"),
		}
		raw := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) tally.Ballot {
			return tally.Ballot{
				Values: rapid.SliceOfN(rapid.IntRange(-2, 8), max(n-1, 0), max(n+1, 0)).Draw(t, "values"),
				Jury:   rapid.Bool().Draw(t, "jury"),
			}
		}), 0, 20).Draw(t, "raw")
		var valid []tally.Ballot
		for _, b := range raw {
			err := tally.Validate(m, n, b, s)
			var e *tally.Error
			if err != nil && !errors.As(err, &e) {
				t.Fatalf("Validate: got %T %v, want a *tally.Error", err, err)
			}
			if err == nil {
				valid = append(valid, b)
			}
		}
		r, err := tally.Count(m, n, valid, s)
		if err != nil {
			if len(valid) > 0 {
				t.Fatalf("Count of validated ballots: %v", err)
			}
			return
		}
		checkPartition(t, r.Ranking, n)
	})
}

// Ensure Live, fed the ballots one by one, shows the counts Count reports,
// and that changing a ballot (Remove old, Add new) equals counting the new.
func TestLive_MatchesCount(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawPoll(t)
		b := drawBallots(t, p)
		l, err := tally.NewLive(p.m, p.n, p.s)
		if err != nil {
			t.Fatal(err)
		}
		for _, ballot := range b {
			if err := l.Add(ballot); err != nil {
				t.Fatal(err)
			}
		}
		if len(b) > 0 {
			k := rapid.IntRange(0, len(b)-1).Draw(t, "changed")
			next := ballotGen(p).Draw(t, "new")
			if err := l.Remove(b[k]); err != nil {
				t.Fatalf("Remove: %v", err)
			}
			if err := l.Add(next); err != nil {
				t.Fatal(err)
			}
			b = append(slices.Clone(b[:k]), append([]tally.Ballot{next}, b[k+1:]...)...)
		}
		r := count(t, p, b)
		want := tally.Live{Method: p.m, Ballots: len(b), Weight: len(b)}
		switch p.m {
		case tally.Single, tally.Approval, tally.Date:
			want.Counts, want.Maybes = r.Counts, r.Maybes
		case tally.Contest:
			want.Counts, want.JuryCounts, want.JuryBallots = r.Counts, r.JuryCounts, r.JuryBallots
		case tally.Score, tally.Dot:
			want.Totals = r.Totals
		case tally.Judgment:
			want.Profiles = r.Profiles
		case tally.IRV, tally.Schulze, tally.Borda, tally.STV:
			want.Counts = make([]int, p.n)
			for _, ballot := range b {
				best := 0
				for _, v := range ballot.Values {
					if v > 0 && (best == 0 || v < best) {
						best = v
					}
				}
				for i, v := range ballot.Values {
					if best > 0 && v == best {
						want.Counts[i]++
					}
				}
			}
		}
		got := *l
		if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(tally.Live{})); diff != "" {
			t.Fatalf("live (-count +live):\n%s", diff)
		}
	})
}

// Ensure the ranked methods agree with their definitions, computed here the
// slow way, ballot by ballot, without aggregation or scaling.
func TestCount_RankedMatchesDefinition(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawPoll(t, rankedMethods...)
		b := drawBallots(t, p)
		got := count(t, p, b)
		// worse reports whether option i is ranked below j on a ballot.
		worse := func(v []int, i, j int) bool { return v[j] > 0 && (v[i] == 0 || v[i] > v[j]) }
		var want tally.Result
		switch p.m {
		case tally.Borda:
			for i := range p.n {
				pts := new(big.Rat)
				for _, ballot := range b {
					for j := range p.n {
						switch {
						case j == i:
						case worse(ballot.Values, j, i):
							pts.Add(pts, big.NewRat(1, 1))
						case !worse(ballot.Values, i, j):
							pts.Add(pts, big.NewRat(1, 2)) // tied
						}
					}
				}
				want.Points = append(want.Points, pts)
			}
			if diff := cmp.Diff(want.Points, got.Points, ratEqual); diff != "" {
				t.Fatalf("points (-definition +count):\n%s", diff)
			}
		case tally.Schulze:
			want.Pairwise = make([][]int, p.n)
			for i := range p.n {
				want.Pairwise[i] = make([]int, p.n)
				for j := range p.n {
					for _, ballot := range b {
						if worse(ballot.Values, j, i) {
							want.Pairwise[i][j]++
						}
					}
				}
			}
			if diff := cmp.Diff(want.Pairwise, got.Pairwise); diff != "" {
				t.Fatalf("pairwise (-definition +count):\n%s", diff)
			}
		case tally.IRV:
			alive := make([]bool, p.n)
			for i := range alive {
				alive[i] = true
			}
			var out [][]int
			for {
				round := tally.Round{Votes: make([]*big.Rat, p.n)}
				for o := range p.n {
					if alive[o] {
						round.Votes[o] = new(big.Rat)
					}
				}
				for _, ballot := range b {
					best := 0
					for o, v := range ballot.Values {
						if alive[o] && v > 0 && (best == 0 || v < best) {
							best = v
						}
					}
					if best == 0 {
						round.Exhausted++
						continue
					}
					k := 0
					for o, v := range ballot.Values {
						if alive[o] && v == best {
							k++
						}
					}
					for o, v := range ballot.Values {
						if alive[o] && v == best {
							round.Votes[o].Add(round.Votes[o], big.NewRat(1, int64(k)))
						}
					}
				}
				var fewest *big.Rat
				for _, v := range round.Votes {
					if v != nil && (fewest == nil || v.Cmp(fewest) < 0) {
						fewest = v
					}
				}
				var tied, left []int
				for o, v := range round.Votes {
					if v != nil {
						left = append(left, o)
						if v.Cmp(fewest) == 0 {
							tied = append(tied, o)
						}
					}
				}
				if len(tied) == len(left) {
					want.Rounds = append(want.Rounds, round)
					want.Ranking = append([][]int{tied}, out...)
					break
				}
				round.Eliminated = tied
				want.Rounds = append(want.Rounds, round)
				out = append([][]int{tied}, out...)
				for _, o := range tied {
					alive[o] = false
				}
			}
			if diff := cmp.Diff(want.Rounds, got.Rounds, ratEqual); diff != "" {
				t.Fatalf("rounds (-definition +count):\n%s", diff)
			}
			if diff := cmp.Diff(want.Ranking, got.Ranking); diff != "" {
				t.Fatalf("ranking (-definition +count):\n%s", diff)
			}
		}
	})
}
