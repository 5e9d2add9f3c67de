package tally_test

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/engage-org/engage/core/tally"
)

// ratEqual compares exact rationals by value for cmp.Diff.
var ratEqual = cmp.Comparer(func(a, b *big.Rat) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Cmp(b) == 0
})

// Tennessee capital example: 100 voters, options Memphis, Nashville,
// Chattanooga, Knoxville. Source: Wikipedia, "Tennessee's four cities"
// example used in the articles on plurality, instant-runoff, Borda and
// Schulze voting (42% / 26% / 15% / 17%).
const (
	memphis = iota
	nashville
	chattanooga
	knoxville
)

func tennessee(t *testing.T) []tally.Ballot {
	t.Helper()
	return ballots(t, "MNCK",
		42, "M>N>C>K",
		26, "N>C>K>M",
		15, "C>K>N>M",
		17, "K>C>N>M",
	)
}

// ballots builds ranked ballots from pairs of (count, order) where order is
// like "A=C>D", names giving one letter per option; unnamed options are
// unranked.
func ballots(tb testing.TB, names string, spec ...any) []tally.Ballot {
	tb.Helper()
	var out []tally.Ballot
	for i := 0; i < len(spec); i += 2 {
		count, order := spec[i].(int), spec[i+1].(string)
		values := make([]int, len(names))
		if order != "" { // "" is a blank ballot: every option unranked
			for rank, tier := range strings.Split(order, ">") {
				for _, name := range strings.Split(tier, "=") {
					o := strings.Index(names, name)
					if o < 0 || len(name) != 1 {
						tb.Fatalf("option %q not in %q", name, names)
					}
					values[o] = rank + 1
				}
			}
		}
		for range count {
			out = append(out, tally.Ballot{Values: values})
		}
	}
	return out
}

// repeat returns count copies of a ballot with values.
func repeat(count int, jury bool, values ...int) []tally.Ballot {
	out := make([]tally.Ballot, count)
	for i := range out {
		out[i] = tally.Ballot{Values: values, Jury: jury}
	}
	return out
}

// join concatenates ballot lists.
func join(lists ...[]tally.Ballot) []tally.Ballot {
	var out []tally.Ballot
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// rats builds exact rationals from "n" or "n/d" strings.
func rats(tb testing.TB, s ...string) []*big.Rat {
	tb.Helper()
	out := make([]*big.Rat, len(s))
	for i, v := range s {
		if v == "-" {
			continue
		}
		r, ok := new(big.Rat).SetString(v)
		if !ok {
			tb.Fatalf("bad rational %q", v)
		}
		out[i] = r
	}
	return out
}

// mustCount counts or fails the test.
func mustCount(tb testing.TB, m tally.Method, n int, b []tally.Ballot, s tally.Settings) tally.Result {
	tb.Helper()
	r, err := tally.Count(m, n, b, s)
	if err != nil {
		tb.Fatalf("Count(%s): %v", m, err)
	}
	return r
}

// Ensure the Tennessee example gives each method's published winner and
// detail.
func TestCount_Tennessee(t *testing.T) {
	tests := []struct {
		name   string
		method tally.Method
		want   tally.Result
	}{
		{
			name:   "SingleMemphisWins",
			method: tally.Single,
			want: tally.Result{
				Counts:  []int{42, 26, 15, 17},
				Ranking: [][]int{{memphis}, {nashville}, {knoxville}, {chattanooga}},
			},
		},
		{
			name:   "IRVKnoxvilleWins",
			method: tally.IRV,
			want: tally.Result{
				Ranking: [][]int{{knoxville}, {memphis}, {nashville}, {chattanooga}},
				Rounds: []tally.Round{
					{Votes: rats(t, "42", "26", "15", "17"), Eliminated: []int{chattanooga}},
					{Votes: rats(t, "42", "26", "-", "32"), Eliminated: []int{nashville}},
					{Votes: rats(t, "42", "-", "-", "58"), Eliminated: []int{memphis}},
					{Votes: rats(t, "-", "-", "-", "100")},
				},
			},
		},
		{
			name:   "BordaNashvilleWins",
			method: tally.Borda,
			want: tally.Result{
				Points:  rats(t, "126", "194", "173", "107"),
				Ranking: [][]int{{nashville}, {chattanooga}, {memphis}, {knoxville}},
			},
		},
		{
			name:   "SchulzeNashvilleWins",
			method: tally.Schulze,
			want: tally.Result{
				Pairwise: [][]int{
					{0, 42, 42, 42},
					{58, 0, 68, 68},
					{58, 32, 0, 83},
					{58, 32, 17, 0},
				},
				Strongest: [][]int{
					{0, 0, 0, 0},
					{58, 0, 68, 68},
					{58, 0, 0, 83},
					{58, 0, 0, 0},
				},
				Ranking: [][]int{{nashville}, {chattanooga}, {knoxville}, {memphis}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tennessee(t)
			if tt.method == tally.Single {
				b = asSingle(b)
			}
			got := mustCount(t, tt.method, 4, b, tally.Settings{})
			tt.want.Method, tt.want.Ballots = tt.method, 100
			if diff := cmp.Diff(tt.want, got, ratEqual); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
		})
	}
}

// asSingle turns ranked ballots into single-choice ballots for their first
// choice.
func asSingle(ranked []tally.Ballot) []tally.Ballot {
	out := make([]tally.Ballot, len(ranked))
	for i, b := range ranked {
		v := make([]int, len(b.Values))
		for o, r := range b.Values {
			if r == 1 {
				v[o] = 1
			}
		}
		out[i] = tally.Ballot{Values: v}
	}
	return out
}

// Ensure the 45-voter example of the Schulze method gives E > A > C > B > D
// with the published d and p matrices. Source: Wikipedia, "Schulze method",
// section "Example"; Schulze (2011), "A new monotonic, clone-independent,
// reversal symmetric, and Condorcet-consistent single-winner election
// method", Social Choice and Welfare 36, example 1.
func TestCount_SchulzeWikipedia(t *testing.T) {
	b := ballots(t, "ABCDE",
		5, "A>C>B>E>D",
		5, "A>D>E>C>B",
		8, "B>E>D>A>C",
		3, "C>A>B>E>D",
		7, "C>A>E>B>D",
		2, "C>B>A>D>E",
		7, "D>C>E>B>A",
		8, "E>B>A>D>C",
	)
	got := mustCount(t, tally.Schulze, 5, b, tally.Settings{})
	want := tally.Result{
		Method:  tally.Schulze,
		Ballots: 45,
		Ranking: [][]int{{4}, {0}, {2}, {1}, {3}},
		Pairwise: [][]int{
			{0, 20, 26, 30, 22},
			{25, 0, 16, 33, 18},
			{19, 29, 0, 17, 24},
			{15, 12, 28, 0, 14},
			{23, 27, 21, 31, 0},
		},
		Strongest: [][]int{
			{0, 28, 28, 30, 24},
			{25, 0, 28, 33, 24},
			{25, 29, 0, 29, 24},
			{25, 28, 28, 0, 24},
			{25, 28, 28, 31, 0},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
}

// Ensure ranked-ballot rules for ties: Borda shares points between tied and
// unranked options, IRV splits a ballot between options ranked equal best and
// eliminates options tied for fewest together, and Schulze ties symmetric
// options.
func TestCount_RankedTies(t *testing.T) {
	tests := []struct {
		name    string
		method  tally.Method
		ballots []tally.Ballot
		want    tally.Result
	}{
		{
			// A=B>C, D unranked: A and B share places 1–2 (3+2)/2; C gets 1,
			// D 0. D>A, B and C unranked: they share places 3–4 (1+0)/2.
			name:    "BordaTiedOptionsShareTheAverage",
			method:  tally.Borda,
			ballots: ballots(t, "ABCD", 1, "A=B>C", 1, "D>A"),
			want: tally.Result{
				Points:  rats(t, "9/2", "3", "3/2", "3"),
				Ranking: [][]int{{0}, {1, 3}, {2}},
			},
		},
		{
			name:    "BordaBlankBallotSharesEverything",
			method:  tally.Borda,
			ballots: ballots(t, "ABC", 1, "A", 1, ""),
			// "A": A 2, B and C share (1+0)/2. Blank: all share (2+1+0)/3.
			want: tally.Result{
				Points:  rats(t, "3", "3/2", "3/2"),
				Ranking: [][]int{{0}, {1, 2}},
			},
		},
		{
			// Round 1: A 4, B 3, C 1, D 1: C and D tie for fewest and go
			// together; their ballots move to B, which then beats A.
			name:    "IRVEliminatesTiedFewestTogether",
			method:  tally.IRV,
			ballots: ballots(t, "ABCD", 4, "A", 3, "B", 1, "C>B", 1, "D>B"),
			want: tally.Result{
				Ranking: [][]int{{1}, {0}, {2, 3}},
				Rounds: []tally.Round{
					{Votes: rats(t, "4", "3", "1", "1"), Eliminated: []int{2, 3}},
					{Votes: rats(t, "4", "5", "-", "-"), Eliminated: []int{0}},
					{Votes: rats(t, "-", "5", "-", "-"), Exhausted: 4},
				},
			},
		},
		{
			// The A=B ballot gives each half a vote while both remain; the
			// A-only ballots are exhausted once A is out.
			name:    "IRVSplitsEqualFirstPreferences",
			method:  tally.IRV,
			ballots: ballots(t, "ABC", 2, "A", 1, "A=B", 2, "B", 2, "C>B"),
			want: tally.Result{
				Ranking: [][]int{{1}, {0}, {2}},
				Rounds: []tally.Round{
					{Votes: rats(t, "5/2", "5/2", "2"), Eliminated: []int{2}},
					{Votes: rats(t, "5/2", "9/2", "-"), Eliminated: []int{0}},
					{Votes: rats(t, "-", "5", "-"), Exhausted: 2},
				},
			},
		},
		{
			name:    "IRVAllTiedForFewestTieForTheWin",
			method:  tally.IRV,
			ballots: ballots(t, "ABC", 2, "A>C", 2, "B>C"),
			want: tally.Result{
				Ranking: [][]int{{0, 1}, {2}},
				Rounds: []tally.Round{
					{Votes: rats(t, "2", "2", "0"), Eliminated: []int{2}},
					{Votes: rats(t, "2", "2", "-")},
				},
			},
		},
		{
			name:    "IRVNoBallotsAllTie",
			method:  tally.IRV,
			ballots: nil,
			want: tally.Result{
				Ranking: [][]int{{0, 1, 2}},
				Rounds:  []tally.Round{{Votes: rats(t, "0", "0", "0")}},
			},
		},
		{
			// A Condorcet cycle A>B>C>A with equal margins: nobody beats
			// anybody on strongest paths, so all three tie.
			name:    "SchulzeSymmetricCycleTies",
			method:  tally.Schulze,
			ballots: ballots(t, "ABC", 1, "A>B>C", 1, "B>C>A", 1, "C>A>B"),
			want: tally.Result{
				Pairwise:  [][]int{{0, 2, 1}, {1, 0, 2}, {2, 1, 0}},
				Strongest: [][]int{{0, 2, 2}, {2, 0, 2}, {2, 2, 0}},
				Ranking:   [][]int{{0, 1, 2}},
			},
		},
		{
			// Ranked options beat unranked ones; unranked ones tie.
			name:    "SchulzeUnrankedTiedLast",
			method:  tally.Schulze,
			ballots: ballots(t, "ABC", 1, "B"),
			want: tally.Result{
				Pairwise:  [][]int{{0, 0, 0}, {1, 0, 1}, {0, 0, 0}},
				Strongest: [][]int{{0, 0, 0}, {1, 0, 1}, {0, 0, 0}},
				Ranking:   [][]int{{1}, {0, 2}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := len(tt.want.Ranking[0])
			for _, tier := range tt.want.Ranking[1:] {
				n += len(tier)
			}
			got := mustCount(t, tt.method, n, tt.ballots, tally.Settings{})
			tt.want.Method, tt.want.Ballots = tt.method, len(tt.ballots)
			if diff := cmp.Diff(tt.want, got, ratEqual); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
		})
	}
}

// Ensure the methods with one value per option rank by their documented
// totals and keep ties.
func TestCount_PerOptionMethods(t *testing.T) {
	tests := []struct {
		name     string
		method   tally.Method
		settings tally.Settings
		ballots  []tally.Ballot
		want     tally.Result
	}{
		{
			name:    "ApprovalMostApprovedWins",
			method:  tally.Approval,
			ballots: join(repeat(3, false, 1, 1, 0), repeat(2, false, 0, 1, 1), repeat(1, false, 0, 0, 0)),
			want: tally.Result{
				Counts:  []int{3, 5, 2},
				Ranking: [][]int{{1}, {0}, {2}},
			},
		},
		{
			name:    "ApprovalEqualCountsTie",
			method:  tally.Approval,
			ballots: join(repeat(2, false, 1, 0, 1), repeat(1, false, 0, 1, 0)),
			want: tally.Result{
				Counts:  []int{2, 1, 2},
				Ranking: [][]int{{0, 2}, {1}},
			},
		},
		{
			// Scale 0–5: option 2 has the best total (mean) though it has no 5.
			name:     "ScoreHighestTotalWins",
			method:   tally.Score,
			settings: tally.Settings{ScaleMin: 0, ScaleMax: 5},
			ballots:  join(repeat(1, false, 5, 0, 4), repeat(1, false, 0, 5, 4), repeat(1, false, 0, 1, 3)),
			want: tally.Result{
				Totals:  []int{5, 6, 11},
				Ranking: [][]int{{2}, {1}, {0}},
			},
		},
		{
			name:     "ScoreNegativeScale",
			method:   tally.Score,
			settings: tally.Settings{ScaleMin: -2, ScaleMax: 2},
			ballots:  join(repeat(1, false, -2, 2), repeat(1, false, 1, -1)),
			want: tally.Result{
				Totals:  []int{-1, 1},
				Ranking: [][]int{{1}, {0}},
			},
		},
		{
			name:     "DotMostDotsWinsUnspentDotsAllowed",
			method:   tally.Dot,
			settings: tally.Settings{Dots: 8},
			ballots:  join(repeat(1, false, 3, 5, 0), repeat(1, false, 8, 0, 0), repeat(1, false, 0, 2, 4)),
			want: tally.Result{
				Totals:  []int{11, 7, 4},
				Ranking: [][]int{{0}, {1}, {2}},
			},
		},
		{
			// Slots 0 and 1 have 2 yes each; slot 1 has a maybe more. Slot 2
			// has the most maybes but fewer yes: maybes only break ties.
			name:    "DateTieBrokenByMaybes",
			method:  tally.Date,
			ballots: join(repeat(1, false, 2, 2, 1), repeat(1, false, 2, 2, 1), repeat(1, false, 0, 1, 2)),
			want: tally.Result{
				Counts:  []int{2, 2, 1},
				Maybes:  []int{0, 1, 2},
				Ranking: [][]int{{1}, {0}, {2}},
			},
		},
		{
			name:    "DateEqualYesAndMaybesTie",
			method:  tally.Date,
			ballots: join(repeat(1, false, 2, 1, 0), repeat(1, false, 1, 2, 0)),
			want: tally.Result{
				Counts:  []int{1, 1, 0},
				Maybes:  []int{1, 1, 0},
				Ranking: [][]int{{0, 1}, {2}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := len(tt.ballots[0].Values)
			got := mustCount(t, tt.method, n, tt.ballots, tt.settings)
			tt.want.Method, tt.want.Ballots = tt.method, len(tt.ballots)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
		})
	}
}

// Ensure majority judgment takes the lower median and breaks ties by removing
// median grades. Source of the rule: Balinski and Laraki, "Majority
// Judgment: Measuring, Ranking, and Electing", MIT Press 2011, ch. 13
// (majority value); Wikipedia, "Majority judgment", section "Voting process".
func TestCount_Judgment(t *testing.T) {
	// grades builds one ballot per column from per-option grade rows.
	grades := func(rows ...[]int) []tally.Ballot {
		out := make([]tally.Ballot, len(rows[0]))
		for k := range out {
			v := make([]int, len(rows))
			for i, row := range rows {
				v[i] = row[k]
			}
			out[k] = tally.Ballot{Values: v}
		}
		return out
	}
	tests := []struct {
		name         string
		ballots      []tally.Ballot
		wantGrades   []int
		wantProfiles [][]int
		wantRanking  [][]int
	}{
		{
			// All three have majority grade 3. Removing one 3 leaves 3 for
			// all; removing another leaves A {2,4} → 2, B {1,5} → 1,
			// C {3,3} → 3. So C > A > B, although B has the only 5.
			name: "DecidedByRemovingMedians",
			ballots: grades(
				[]int{2, 3, 3, 4},
				[]int{1, 3, 3, 5},
				[]int{3, 3, 3, 3},
			),
			wantGrades:   []int{3, 3, 3},
			wantProfiles: [][]int{{0, 0, 1, 2, 1, 0}, {0, 1, 0, 2, 0, 1}, {0, 0, 0, 4, 0, 0}},
			wantRanking:  [][]int{{2}, {0}, {1}},
		},
		{
			// Same grades given by different members: identical profiles.
			name: "IdenticalProfilesTie",
			ballots: grades(
				[]int{0, 2, 4, 5},
				[]int{5, 4, 2, 0},
				[]int{1, 1, 2, 2},
			),
			wantGrades:   []int{2, 2, 1},
			wantProfiles: [][]int{{1, 0, 1, 0, 1, 1}, {1, 0, 1, 0, 1, 1}, {0, 2, 2, 0, 0, 0}},
			wantRanking:  [][]int{{0, 1}, {2}},
		},
		{
			// With an even number of grades the lower median counts: A {1,4}
			// has majority grade 1, B {2,2} 2.
			name:         "LowerMedianOnEvenCount",
			ballots:      grades([]int{1, 4}, []int{2, 2}),
			wantGrades:   []int{1, 2},
			wantProfiles: [][]int{{0, 1, 0, 0, 1, 0}, {0, 0, 2, 0, 0, 0}},
			wantRanking:  [][]int{{1}, {0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustCount(t, tally.Judgment, len(tt.wantGrades), tt.ballots, tally.Settings{Grades: 6})
			want := tally.Result{
				Method:   tally.Judgment,
				Ballots:  len(tt.ballots),
				Ranking:  tt.wantRanking,
				Grades:   tt.wantGrades,
				Profiles: tt.wantProfiles,
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
		})
	}
}

// Ensure a contest normalises each group to its size and weights the jury
// and the public by Settings.JuryWeight.
func TestCount_Contest(t *testing.T) {
	tests := []struct {
		name        string
		weight      int
		ballots     []tally.Ballot
		wantShares  []*big.Rat
		wantRanking [][]int
	}{
		{
			// Public 60–40 for A, jury 1–4 for B: A 50·1/5 + 50·60/100 = 40,
			// B 50·4/5 + 50·40/100 = 60. The jury flips the public's winner.
			name:   "JuryFlipsPublicWinnerAt50",
			weight: 50,
			ballots: join(repeat(60, false, 1, 0), repeat(40, false, 0, 1),
				repeat(1, true, 1, 0), repeat(4, true, 0, 1)),
			wantShares:  rats(t, "40", "60"),
			wantRanking: [][]int{{1}, {0}},
		},
		{
			// Public 700–300 for A, jury 3–7 for B: A 70·3/10 + 30·7/10 = 42,
			// B 70·7/10 + 30·3/10 = 58.
			name:   "JuryFlipsPublicWinnerAt70",
			weight: 70,
			ballots: join(repeat(700, false, 1, 0), repeat(300, false, 0, 1),
				repeat(3, true, 1, 0), repeat(7, true, 0, 1)),
			wantShares:  rats(t, "42", "58"),
			wantRanking: [][]int{{1}, {0}},
		},
		{
			// The same ballots with the jury at 30% keep the public's winner.
			name:   "PublicWinnerKeptAt30",
			weight: 30,
			ballots: join(repeat(700, false, 1, 0), repeat(300, false, 0, 1),
				repeat(3, true, 1, 0), repeat(7, true, 0, 1)),
			wantShares:  rats(t, "58", "42"),
			wantRanking: [][]int{{0}, {1}},
		},
		{
			// No jury ballot: the jury's share is 0 for every option.
			name:        "EmptyJuryCountsZero",
			weight:      50,
			ballots:     join(repeat(3, false, 1, 0), repeat(1, false, 0, 1)),
			wantShares:  rats(t, "75/2", "25/2"),
			wantRanking: [][]int{{0}, {1}},
		},
		{
			name:        "EqualSharesTie",
			weight:      50,
			ballots:     join(repeat(1, true, 1, 0), repeat(3, false, 0, 1)),
			wantShares:  rats(t, "50", "50"),
			wantRanking: [][]int{{0, 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustCount(t, tally.Contest, 2, tt.ballots, tally.Settings{JuryWeight: tt.weight})
			if diff := cmp.Diff(tt.wantShares, got.Shares, ratEqual); diff != "" {
				t.Errorf("shares (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantRanking, got.Ranking); diff != "" {
				t.Errorf("ranking (-want +got):\n%s", diff)
			}
			jury := 0
			for _, b := range tt.ballots {
				if b.Jury {
					jury++
				}
			}
			if got.JuryBallots != jury {
				t.Errorf("jury ballots: got %v, want %v", got.JuryBallots, jury)
			}
		})
	}
}

// Ensure Validate names the problem and the option for each kind of
// malformed ballot or poll, and accepts well-formed ones.
func TestValidate(t *testing.T) {
	score := tally.Settings{ScaleMin: 0, ScaleMax: 5}
	tests := []struct {
		name        string
		method      tally.Method
		n           int
		values      []int
		jury        bool
		settings    tally.Settings
		wantProblem tally.Problem // "" means valid
		wantOption  int
	}{
		{name: "OK", method: tally.Single, n: 3, values: []int{0, 1, 0}},
		{name: "OKRankGapsAndTies", method: tally.IRV, n: 4, values: []int{7, 0, 7, 2}},
		{name: "OKBlankRanked", method: tally.Schulze, n: 2, values: []int{0, 0}},
		{name: "OKJuryInContest", method: tally.Contest, n: 2, values: []int{1, 0}, jury: true, settings: tally.Settings{JuryWeight: 50}},
		{name: "OKDotsUnderBudget", method: tally.Dot, n: 2, values: []int{3, 4}, settings: tally.Settings{Dots: 8}},
		{name: "ErrMethod", method: "lottery", n: 2, values: []int{1, 0}, wantProblem: tally.ProblemMethod, wantOption: -1},
		{name: "ErrNoOptions", method: tally.Single, n: 0, values: nil, wantProblem: tally.ProblemOptions, wantOption: -1},
		{name: "ErrTooManyOptions", method: tally.Single, n: tally.MaxOptions + 1, values: nil, wantProblem: tally.ProblemOptions, wantOption: -1},
		{name: "ErrScaleUnset", method: tally.Score, n: 2, values: []int{0, 0}, wantProblem: tally.ProblemSettings, wantOption: -1},
		{name: "ErrNoDots", method: tally.Dot, n: 2, values: []int{0, 0}, wantProblem: tally.ProblemSettings, wantOption: -1},
		{name: "ErrOneGrade", method: tally.Judgment, n: 2, values: []int{0, 0}, settings: tally.Settings{Grades: 1}, wantProblem: tally.ProblemSettings, wantOption: -1},
		{name: "ErrJuryWeightOver100", method: tally.Contest, n: 2, values: []int{1, 0}, settings: tally.Settings{JuryWeight: 101}, wantProblem: tally.ProblemSettings, wantOption: -1},
		{name: "ErrWrongLength", method: tally.Approval, n: 3, values: []int{1, 0}, wantProblem: tally.ProblemLength, wantOption: -1},
		{name: "ErrTwoChoices", method: tally.Single, n: 3, values: []int{1, 0, 1}, wantProblem: tally.ProblemChoice, wantOption: 2},
		{name: "ErrNoChoice", method: tally.Contest, n: 2, values: []int{0, 0}, wantProblem: tally.ProblemChoice, wantOption: -1},
		{name: "ErrSingleValue2", method: tally.Single, n: 2, values: []int{2, 0}, wantProblem: tally.ProblemValue, wantOption: 0},
		{name: "ErrApprovalValue", method: tally.Approval, n: 2, values: []int{1, -1}, wantProblem: tally.ProblemValue, wantOption: 1},
		{name: "ErrNegativeRank", method: tally.Borda, n: 3, values: []int{1, -2, 0}, wantProblem: tally.ProblemValue, wantOption: 1},
		{name: "ErrScoreAboveScale", method: tally.Score, n: 2, values: []int{6, 0}, settings: score, wantProblem: tally.ProblemValue, wantOption: 0},
		{name: "ErrScoreBelowScale", method: tally.Score, n: 2, values: []int{0, -1}, settings: score, wantProblem: tally.ProblemValue, wantOption: 1},
		{name: "ErrDotsOverBudget", method: tally.Dot, n: 3, values: []int{4, 4, 1}, settings: tally.Settings{Dots: 8}, wantProblem: tally.ProblemDots, wantOption: -1},
		{name: "ErrNegativeDots", method: tally.Dot, n: 2, values: []int{-1, 2}, settings: tally.Settings{Dots: 8}, wantProblem: tally.ProblemValue, wantOption: 0},
		{name: "ErrGradeOutsideScale", method: tally.Judgment, n: 2, values: []int{0, 6}, settings: tally.Settings{Grades: 6}, wantProblem: tally.ProblemValue, wantOption: 1},
		{name: "ErrDateAnswer", method: tally.Date, n: 2, values: []int{3, 0}, wantProblem: tally.ProblemValue, wantOption: 0},
		{name: "ErrJuryOutsideContest", method: tally.Single, n: 2, values: []int{1, 0}, jury: true, wantProblem: tally.ProblemJury, wantOption: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tally.Validate(tt.method, tt.n, tally.Ballot{Values: tt.values, Jury: tt.jury}, tt.settings)
			if tt.wantProblem == "" {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			var e *tally.Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want a *tally.Error", err)
			}
			if e.Problem != tt.wantProblem || e.Option != tt.wantOption || e.Ballot != -1 {
				t.Errorf("got problem %v option %v ballot %v, want %v %v -1", e.Problem, e.Option, e.Ballot, tt.wantProblem, tt.wantOption)
			}
		})
	}
}

// Ensure Count refuses a list holding a malformed ballot and names it.
func TestCount_MalformedBallot(t *testing.T) {
	b := join(repeat(2, false, 1, 0), repeat(1, false, 1, 1))
	_, err := tally.Count(tally.Single, 2, b, tally.Settings{})
	var e *tally.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want a *tally.Error", err)
	}
	if e.Ballot != 2 || e.Problem != tally.ProblemChoice {
		t.Errorf("got ballot %v problem %v, want 2 %v", e.Ballot, e.Problem, tally.ProblemChoice)
	}
}

// Ensure Live shows what Count counts for each method and that Remove undoes
// Add.
func TestLive(t *testing.T) {
	tests := []struct {
		name     string
		method   tally.Method
		settings tally.Settings
		ballots  []tally.Ballot
		want     tally.Live
	}{
		{
			name:    "SingleCounts",
			method:  tally.Single,
			ballots: asSingle(ballots(t, "ABC", 2, "A", 1, "C")),
			want:    tally.Live{Counts: []int{2, 0, 1}},
		},
		{
			name:    "RankedFirstPreferencesEqualBestEachCount",
			method:  tally.IRV,
			ballots: ballots(t, "ABC", 2, "A>B", 1, "B=C>A", 1, ""),
			want:    tally.Live{Counts: []int{2, 1, 1}},
		},
		{
			name:     "DotTotals",
			method:   tally.Dot,
			settings: tally.Settings{Dots: 5},
			ballots:  join(repeat(1, false, 3, 2), repeat(1, false, 0, 5)),
			want:     tally.Live{Totals: []int{3, 7}},
		},
		{
			name:     "JudgmentProfiles",
			method:   tally.Judgment,
			settings: tally.Settings{Grades: 3},
			ballots:  join(repeat(1, false, 0, 2), repeat(1, false, 2, 2)),
			want:     tally.Live{Profiles: [][]int{{1, 0, 1}, {0, 0, 2}}},
		},
		{
			name:    "DateYesAndMaybes",
			method:  tally.Date,
			ballots: join(repeat(1, false, 2, 1), repeat(1, false, 1, 0)),
			want:    tally.Live{Counts: []int{1, 0}, Maybes: []int{1, 1}},
		},
		{
			name:     "ContestGroups",
			method:   tally.Contest,
			settings: tally.Settings{JuryWeight: 50},
			ballots:  join(repeat(1, true, 0, 1), repeat(2, false, 1, 0)),
			want:     tally.Live{Counts: []int{2, 0}, JuryCounts: []int{0, 1}, JuryBallots: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := len(tt.ballots[0].Values)
			l, err := tally.NewLive(tt.method, n, tt.settings)
			if err != nil {
				t.Fatal(err)
			}
			empty, err := tally.NewLive(tt.method, n, tt.settings)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range tt.ballots {
				if err := l.Add(b); err != nil {
					t.Fatal(err)
				}
			}
			tt.want.Method, tt.want.Ballots, tt.want.Weight = tt.method, len(tt.ballots), len(tt.ballots)
			if diff := cmp.Diff(tt.want, *l, cmpopts.IgnoreUnexported(tally.Live{})); diff != "" {
				t.Errorf("after Add (-want +got):\n%s", diff)
			}
			for _, b := range tt.ballots {
				if err := l.Remove(b); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(*empty, *l, cmpopts.IgnoreUnexported(tally.Live{})); diff != "" {
				t.Errorf("after Remove (-want +got):\n%s", diff)
			}
		})
	}
}

// Ensure Remove refuses a ballot that cannot have been added, and changes
// nothing.
func TestLive_RemoveNotAdded(t *testing.T) {
	l, err := tally.NewLive(tally.Single, 2, tally.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Add(tally.Ballot{Values: []int{1, 0}}); err != nil {
		t.Fatal(err)
	}
	err = l.Remove(tally.Ballot{Values: []int{0, 1}})
	var e *tally.Error
	if !errors.As(err, &e) || e.Problem != tally.ProblemNotAdded {
		t.Fatalf("got %v, want problem %v", err, tally.ProblemNotAdded)
	}
	if diff := cmp.Diff([]int{1, 0}, l.Counts); diff != "" || l.Ballots != 1 {
		t.Errorf("counts changed (-want +got):\n%s ballots %d", diff, l.Ballots)
	}
}

// Ensure the known limit of Schulze (like every Condorcet method, it fails
// the participation criterion: Moulin 1988, "Condorcet's principle implies
// the no show paradox", J. Econ. Theory 45) shows as documented: a ballot
// ranking D first and A second turns the A–E duel into a tie, which removes
// D's path to A, and A wins. Found by TestSchulze_BulletVoteKeepsWinner's
// first version, which allowed any ranking after X.
func TestSchulze_NoShowParadox(t *testing.T) {
	b := ballots(t, "ABCDE",
		1, "E",
		1, "D>E",
		2, "A=D",
		1, "A>D",
		2, "E>A",
	)
	before := mustCount(t, tally.Schulze, 5, b, tally.Settings{})
	after := mustCount(t, tally.Schulze, 5, append(b, ballots(t, "ABCDE", 1, "D>A")...), tally.Settings{})
	if want := [][]int{{3}, {4}, {0}, {1, 2}}; !cmp.Equal(before.Ranking, want) {
		t.Errorf("before: got %v, want %v", before.Ranking, want)
	}
	if want := [][]int{{0}, {3}, {4}, {1, 2}}; !cmp.Equal(after.Ranking, want) {
		t.Errorf("after: got %v, want %v", after.Ranking, want)
	}
}
