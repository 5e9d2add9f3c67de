package tally_test

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/engage-org/engage/core/tally"
)

// readBLT parses a test ballot file.
func readBLT(t *testing.T, path string) *tally.BLT {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	f, err := tally.ParseBLT(fh)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// surname returns the upper-case surname in a Scottish BLT candidate name
// ("Robert Christopher ALDRIDGE (LD)" → "ALDRIDGE").
func surname(name string) string {
	for _, w := range strings.Fields(name) {
		if len(w) > 1 && w == strings.ToUpper(w) && !strings.HasPrefix(w, "(") {
			return w
		}
	}
	return name
}

// Ensure the Scottish count of published ward ballots (cast vote records of
// the Scottish council elections, as BLT files gathered by David McCune,
// github.com/mggg/scot-elex) agrees with the published declarations: the
// valid ballots, the quota, who was elected and at which stage, and, where
// the published count sheet gives them, the candidates' votes at each stage
// (rounded as published).
func TestSTV_ScottishPublishedWards(t *testing.T) {
	type elected struct {
		name  string
		stage int
	}
	cases := []struct {
		file    string
		valid   int    // 0: not published in our source
		quota   string // "": not published in our source
		elected []elected
		// stages: candidate → published votes per stage, rounded to
		// decimals (0 or 1), "" where the sheet leaves the cell empty.
		decimals int
		stages   map[string][]string
	}{
		{
			// Drum Brae/Gyle 2022: valid 9,451, quota 2,363; Aldridge
			// stage 1, Hyslop 5, Thornley 7.
			file: "edinburgh_2022_ward3", valid: 9451, quota: "2363.00000",
			elected: []elected{{"ALDRIDGE", 1}, {"HYSLOP", 5}, {"THORNLEY", 7}},
		},
		{
			// Pentland Hills 2022: Bruce and Gardiner stage 1, Jenkinson 7,
			// Glasgow 9.
			file:    "edinburgh_2022_ward2",
			elected: []elected{{"BRUCE", 1}, {"GARDINER", 1}, {"JENKINSON", 7}, {"GLASGOW", 9}},
		},
		{
			// Pentland Hills 2017: Bruce, Gardiner, Henderson stage 1,
			// Webber 2.
			file:    "edinburgh_2017_ward2",
			elected: []elected{{"BRUCE", 1}, {"GARDINER", 1}, {"HENDERSON", 1}, {"WEBBER", 2}},
		},
		{
			// Drum Brae/Gyle 2017: Aldridge and Bridgman stage 1, Brown 2.
			file:    "edinburgh_2017_ward3",
			elected: []elected{{"ALDRIDGE", 1}, {"BRIDGMAN", 1}, {"BROWN", 2}},
		},
		{
			// Fountainbridge/Craiglockhart 2022: valid 9,028, quota 2,258,
			// Cowdy stage 1, Walker 5, Key 7, and the count sheet.
			file: "edinburgh_2022_ward9", valid: 9028, quota: "2258.00000",
			elected: []elected{{"COWDY", 1}, {"WALKER", 5}, {"KEY", 7}},
			stages: map[string][]string{
				"KEY":     {"2051", "2053", "2058", "2064", "2121", "2145", "3546"},
				"WALKER":  {"2026", "2061", "2067", "2083", "2408"},
				"MCHANEY": {"1800", "1805", "1812", "1824", "1971", "2026"},
				"GRAHAM":  {"642", "691", "700", "719"},
				"RAMSAY":  {"69", "76", "85"},
				"MASSON":  {"41", "44"},
			},
		},
		{
			// Midlothian South 2017: valid 4,949, quota 1,238; Muirhead
			// stage 2, Johnstone 5, Munro 7, and the count sheet to one
			// decimal. (The sheet's 625.5 for Ferry at stage 4 is left out:
			// the other columns fix his votes at 652.5.)
			file: "midlothian_2017_ward6", valid: 4949, quota: "1238.00000",
			elected:  []elected{{"MUIRHEAD", 2}, {"JOHNSTONE", 5}, {"MUNRO", 7}},
			decimals: 1,
			stages: map[string][]string{
				"JOHNSTONE": {"1067.0", "1104.0", "1104.9", "1164.8", "1295.1"},
				"MUNRO":     {"781.0", "801.0", "802.0", "867.0", "1048.4", "1050.7", "1249.7"},
				"SCOTT":     {"658.0", "721.0", "721.9", "748.3", "797.5", "844.1"},
				"FERRY":     {"478.0", "541.0", "541.9"},
				"POTTINGER": {"464.0", "497.0", "510.8"},
				"SPAVEN":    {"283.0"},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			f := readBLT(t, "testdata/stv/"+c.file+".blt")
			r, err := tally.CountSTV(len(f.Candidates), f.Ballots, tally.Settings{Seats: f.Seats, Withdrawn: f.Withdrawn})
			if err != nil {
				t.Fatal(err)
			}
			if c.valid != 0 && r.Valid != c.valid {
				t.Errorf("valid: got %d, want %d", r.Valid, c.valid)
			}
			if c.quota != "" && r.Quota != c.quota {
				t.Errorf("quota: got %s, want %s", r.Quota, c.quota)
			}
			if len(r.Tied) > 0 {
				t.Errorf("tied: %v", r.Tied)
			}
			var got []elected
			for s, st := range r.Stages {
				for _, o := range st.Elected {
					got = append(got, elected{surname(f.Candidates[o]), s + 1})
				}
			}
			// Candidates elected at one stage are listed most votes first;
			// declarations list them alphabetically.
			byStageName := func(a, b elected) int {
				if a.stage != b.stage {
					return a.stage - b.stage
				}
				return strings.Compare(a.name, b.name)
			}
			slices.SortStableFunc(got, byStageName)
			if !slices.Equal(got, c.elected) {
				t.Errorf("elected (name, stage): got %v, want %v", got, c.elected)
			}
			if !slices.IsSortedFunc(r.Elected, func(a, b int) int { return stageOf(r, a) - stageOf(r, b) }) {
				t.Errorf("Elected %v not in order of election", r.Elected)
			}
			for name, want := range c.stages {
				o := slices.IndexFunc(f.Candidates, func(s string) bool { return surname(s) == name })
				if o < 0 {
					t.Fatalf("no candidate %s", name)
				}
				for s, w := range want {
					if g := roundFixed(r.Stages[s].Votes[o], c.decimals); g != w {
						t.Errorf("%s at stage %d: got %s (%s), want %s", name, s+1, g, tally.FormatFixed(r.Stages[s].Votes[o], 5), w)
					}
				}
			}
		})
	}
}

// stageOf returns the stage (from 1) at which option o was elected.
func stageOf(r tally.Result, o int) int {
	for s, st := range r.Stages {
		if slices.Contains(st.Elected, o) {
			return s + 1
		}
	}
	return 0
}

// roundFixed rounds v, in units of 10^-5, half up to d decimals.
func roundFixed(v int64, d int) string {
	unit := int64(100_000)
	for range d {
		unit /= 10
	}
	return tally.FormatFixed((v+unit/2)/unit, d)
}

// Ensure a hand-worked Scottish count: 3 seats, 4 candidates, a surplus
// transferred at a truncated value and its loss.
//
//	A: 7 ballots A>B, 2 ballots A>C; B: 2; C: 3; D: 1 — 15 ballots.
//	quota = floor(15/4) + 1 = 4. Stage 1: A 9 elected.
//	Stage 2: A's surplus 5 over 9 papers: each paper worth 5/9 = 0.55555
//	(truncated). B + 7×0.55555 = 5.88885 elected; C + 2×0.55555 = 4.11110
//	elected. Loss 5 − 9×0.55555 = 0.00005.
func TestSTV_ScottishHandWorked(t *testing.T) {
	var groups []tally.RankedGroup
	add := func(w int, order ...int) { groups = append(groups, tally.RankedGroup{Order: order, Weight: w}) }
	add(7, 0, 1)
	add(2, 0, 2)
	add(2, 1)
	add(3, 2)
	add(1, 3)
	r, err := tally.CountSTV(4, groups, tally.Settings{Seats: 3})
	if err != nil {
		t.Fatal(err)
	}
	if r.Quota != "4.00000" {
		t.Errorf("quota %s, want 4.00000", r.Quota)
	}
	if !slices.Equal(r.Elected, []int{0, 1, 2}) {
		t.Errorf("elected %v, want [0 1 2]", r.Elected)
	}
	if len(r.Stages) != 2 {
		t.Fatalf("%d stages, want 2", len(r.Stages))
	}
	s := r.Stages[1]
	if s.Action != tally.ActionSurplus || !slices.Equal(s.Candidates, []int{0}) {
		t.Errorf("stage 2: %s %v, want surplus of [0]", s.Action, s.Candidates)
	}
	want := []int64{400_000, 588_885, 411_110, 100_000}
	if !slices.Equal(s.Votes, want) {
		t.Errorf("stage 2 votes %v, want %v", s.Votes, want)
	}
	if s.Loss != 5 || s.NonTransferable != 0 {
		t.Errorf("loss %d, non-transferable %d, want 5 and 0", s.Loss, s.NonTransferable)
	}
}

// Ensure the tie rule: a lot that would decide who is elected stops the count
// and is reported; a lot that changes nothing is not; a seeded lot decides
// and is marked; an earlier stage breaks a tie when it can.
func TestSTV_Ties(t *testing.T) {
	g := func(w int, order ...int) tally.RankedGroup { return tally.RankedGroup{Order: order, Weight: w} }
	t.Run("decisive", func(t *testing.T) {
		// A 1, B 1, C 0; one seat: C goes, then A and B tie at every stage.
		for _, meek := range []bool{false, true} {
			r, err := tally.CountSTV(3, []tally.RankedGroup{g(1, 0), g(1, 1)}, tally.Settings{Seats: 1, Meek: meek})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(r.Tied, []int{0, 1}) || len(r.Elected) != 0 {
				t.Errorf("meek %v: tied %v elected %v, want tied [0 1], none elected", meek, r.Tied, r.Elected)
			}
		}
	})
	t.Run("harmless", func(t *testing.T) {
		// A 4 elected; C and D tie at 1 for exclusion, both passing to B.
		groups := []tally.RankedGroup{g(4, 0), g(2, 1), g(1, 2, 1), g(1, 3, 1)}
		r, err := tally.CountSTV(4, groups, tally.Settings{Seats: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Tied) != 0 || !slices.Equal(r.Elected, []int{0, 1}) {
			t.Errorf("tied %v elected %v, want no tie, [0 1]", r.Tied, r.Elected)
		}
	})
	t.Run("lot", func(t *testing.T) {
		seen := map[int]bool{}
		for seed := range uint64(16) {
			r, err := tally.CountSTV(3, []tally.RankedGroup{g(1, 0), g(1, 1)}, tally.Settings{Seats: 1, Lots: true, LotSeed: seed})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Elected) != 1 || len(r.Tied) != 0 || r.LotSeed == nil || *r.LotSeed != seed {
				t.Fatalf("seed %d: elected %v tied %v lot seed %v", seed, r.Elected, r.Tied, r.LotSeed)
			}
			again, _ := tally.CountSTV(3, []tally.RankedGroup{g(1, 0), g(1, 1)}, tally.Settings{Seats: 1, Lots: true, LotSeed: seed})
			if !slices.Equal(again.Elected, r.Elected) {
				t.Fatalf("seed %d: %v then %v", seed, r.Elected, again.Elected)
			}
			if !slices.ContainsFunc(r.Stages, func(s tally.Stage) bool { return s.Lot }) {
				t.Errorf("seed %d: no stage marked as drawn by lot", seed)
			}
			seen[r.Elected[0]] = true
		}
		if len(seen) != 2 {
			t.Errorf("16 seeds elected only %v", seen)
		}
	})
	t.Run("earlier stage", func(t *testing.T) {
		// Stage 1: A 5 (elected, quota 4), B 2, C 3, D 1 (11 ballots, 2
		// seats). D goes first (stage 2: D's paper to B: B 3, C 3). B and C
		// tie at stage 2, but at stage 1 B had fewer: B goes, C is elected.
		groups := []tally.RankedGroup{g(5, 0), g(2, 1), g(3, 2), g(1, 3, 1)}
		r, err := tally.CountSTV(4, groups, tally.Settings{Seats: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Tied) != 0 || !slices.Equal(r.Elected, []int{0, 2}) {
			t.Errorf("tied %v elected %v, want no tie, [0 2]", r.Tied, r.Elected)
		}
	})
}

// Ensure Meek on a hand-worked case: 2 seats; A 6, B 1, C 3 with A's voters
// next preferring B. The quota is 10/3 ≈ 3.333333334; A's keep factor
// falls until A holds a quota and B passes C.
func TestSTV_MeekHandWorked(t *testing.T) {
	groups := []tally.RankedGroup{{Order: []int{0, 1}, Weight: 6}, {Order: []int{1}, Weight: 1}, {Order: []int{2}, Weight: 3}}
	r, err := tally.CountSTV(3, groups, tally.Settings{Seats: 2, Meek: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Elected, []int{0, 1}) {
		t.Errorf("elected %v, want [0 1]", r.Elected)
	}
	if r.Quota != "3.333333334" {
		t.Errorf("quota %s, want 3.333333334", r.Quota)
	}
	// Scottish: A's surplus 6 − 4 = 2 over 6 papers, 0.33333 each: B 2.99998
	// against C 3: B is excluded and C elected.
	s, err := tally.CountSTV(3, groups, tally.Settings{Seats: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Elected, []int{0, 2}) {
		t.Errorf("scottish elected %v, want [0 2]", s.Elected)
	}
}

// Ensure bad STV polls and ballots are refused.
func TestSTV_Refuses(t *testing.T) {
	for _, seats := range []int{0, 3, -1} {
		var e *tally.Error
		if err := tally.Validate(tally.STV, 3, tally.Ballot{Values: []int{1, 0, 0}}, tally.Settings{Seats: seats}); !errors.As(err, &e) || e.Problem != tally.ProblemSettings {
			t.Errorf("seats %d: got %v, want a settings problem", seats, err)
		}
	}
	var e *tally.Error
	if err := tally.Validate(tally.STV, 3, tally.Ballot{Values: []int{1, 1, 2}}, tally.Settings{Seats: 1}); !errors.As(err, &e) || e.Problem != tally.ProblemEqualRanks {
		t.Errorf("equal ranks: got %v, want %s", err, tally.ProblemEqualRanks)
	}
	if err := tally.Validate(tally.STV, 3, tally.Ballot{Values: []int{3, 0, 70}}, tally.Settings{Seats: 2}); err != nil {
		t.Errorf("gaps: %v", err)
	}
	if _, err := tally.CountSTV(3, []tally.RankedGroup{{Order: []int{0, 0}, Weight: 1}}, tally.Settings{Seats: 1}); err == nil {
		t.Error("a candidate ranked twice: no error")
	}
}

// drawSTV draws an STV poll and its ballots: 2..7 candidates, 1..n−1 seats.
func drawSTV(t *rapid.T) (int, []tally.Ballot, tally.Settings) {
	n := rapid.IntRange(2, 7).Draw(t, "candidates")
	s := tally.Settings{Seats: rapid.IntRange(1, n-1).Draw(t, "seats"), Meek: rapid.Bool().Draw(t, "meek")}
	b := rapid.SliceOfN(ballotGen(poll{m: tally.STV, n: n, s: s}), 0, 40).Draw(t, "ballots")
	return n, b, s
}

// Ensure with one seat and no ties the Scottish count elects the IRV winner.
func TestSTV_OneSeatIsIRV(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n, b, s := drawSTV(t)
		s.Seats, s.Meek = 1, false
		irv, err := tally.Count(tally.IRV, n, b, s)
		if err != nil {
			t.Fatal(err)
		}
		if len(irv.Ranking[0]) > 1 {
			t.Skip("IRV tie")
		}
		for _, round := range irv.Rounds {
			if len(round.Eliminated) > 1 {
				t.Skip("IRV tie")
			}
		}
		r, err := tally.Count(tally.STV, n, b, s)
		if err != nil {
			t.Fatal(err)
		}
		if r.Valid == 0 {
			t.Skip("no valid ballot")
		}
		if len(r.Tied) > 0 || !slices.Equal(r.Elected, irv.Ranking[0]) {
			t.Fatalf("STV elected %v (tied %v), IRV %v", r.Elected, r.Tied, irv.Ranking[0])
		}
	})
}

// Ensure at every stage the votes of the candidates plus the non-transferable
// votes and the truncation loss add up to the valid ballots, and that exactly
// Seats are elected unless a reported tie stopped the count.
func TestSTV_ConservesVotesAndFillsSeats(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n, b, s := drawSTV(t)
		r, err := tally.Count(tally.STV, n, b, s)
		if err != nil {
			t.Fatal(err)
		}
		unit := int64(100_000)
		if s.Meek {
			unit = 1_000_000_000
		}
		for i, st := range r.Stages {
			sum := st.NonTransferable + st.Loss
			for _, v := range st.Votes {
				sum += v
			}
			if sum != int64(r.Valid)*unit {
				t.Fatalf("stage %d (%s): votes + non-transferable + loss = %d, want %d", i+1, st.Action, sum, int64(r.Valid)*unit)
			}
			if st.Loss < 0 || st.NonTransferable < 0 {
				t.Fatalf("stage %d: negative loss %d or non-transferable %d", i+1, st.Loss, st.NonTransferable)
			}
		}
		if len(r.Tied) == 0 && len(r.Elected) != s.Seats {
			t.Fatalf("elected %v, want %d seats", r.Elected, s.Seats)
		}
		if len(r.Tied) > 0 && len(r.Elected) >= s.Seats {
			t.Fatalf("tie %v reported with all %d seats filled", r.Tied, s.Seats)
		}
		checkPartition(t, r.Ranking, n)
		if len(r.Elected) > 0 && !slices.Equal(r.Ranking[0], sortedCopy(r.Elected)) {
			t.Fatalf("ranking %v: first tier is not the elected %v", r.Ranking, r.Elected)
		}
	})
}

func sortedCopy(s []int) []int {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

// Ensure the reference elections of the Proportional Representation
// Foundation's Meek rule (42, 513, M135, SC: ballot files and reference
// reports of Droop, github.com/jklundell/droop, test/blt and test/ref) count
// as the reference reports do, by Meek and by the Scottish rules: who is
// elected, at which stage relative to the others, and the quota. Where the
// references break a tie by file order, Engage reports the tie instead
// (SC-Vm-12, Scottish: X, Y and Z tie exactly at 5 decimals).
func TestSTV_PRFReference(t *testing.T) {
	cases := []struct {
		file  string
		meek  bool
		quota string
		// elected, in order of election; candidates elected at one stage
		// (one round of the reference) are compared as a sorted set,
		// stages separated by "|".
		elected string
		tied    []string
	}{
		{"42", true, "2.000000001", "Castor|Helen", nil},
		{"513", true, "3.000000001", "Castor|Helen", nil},
		{"M135", true, "77.350430329", "C1|C2|C6|C3,C4|C9|C10", nil},
		{"SC", true, "18.586296861", "Pat LaMarche,Rebecca Rotzler|Steve Kramer|Kristen Olsen", nil},
		{"42", false, "3.00000", "Castor|Helen", nil},
		{"513", false, "4.00000", "Castor|Helen", nil},
		{"M135", false, "85.00000", "C1|C2|C10,C3,C4,C6,C9", nil},
		{"SC", false, "19.00000", "Pat LaMarche,Rebecca Rotzler|Steve Kramer|Tom Sevigny", nil},
		{"SC-Vm-12", false, "1001.00000", "A,B", []string{"X", "Y", "Z"}},
		// In exact arithmetic X passes Y (Voting matters 12): Meek at 9
		// decimals finds it; the reference, calling X, Y, Z tied within
		// the surplus, drew X out by file order.
		{"SC-Vm-12", true, "800.620527053", "A,B|X", nil},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/meek=%v", c.file, c.meek), func(t *testing.T) {
			f := readBLT(t, "testdata/stv/prf/"+c.file+".blt")
			r, err := tally.CountSTV(len(f.Candidates), f.Ballots, tally.Settings{Seats: f.Seats, Meek: c.meek, Withdrawn: f.Withdrawn})
			if err != nil {
				t.Fatal(err)
			}
			if r.Quota != c.quota {
				t.Errorf("quota %s, want %s", r.Quota, c.quota)
			}
			var groups []string
			for _, st := range r.Stages {
				if len(st.Elected) == 0 {
					continue
				}
				var names []string
				for _, o := range st.Elected {
					names = append(names, f.Candidates[o])
				}
				slices.Sort(names)
				groups = append(groups, strings.Join(names, ","))
			}
			if got := strings.Join(groups, "|"); got != c.elected {
				t.Errorf("elected %q, want %q", got, c.elected)
			}
			var tied []string
			for _, o := range r.Tied {
				tied = append(tied, f.Candidates[o])
			}
			if !slices.Equal(tied, c.tied) {
				t.Errorf("tied %q, want %q", tied, c.tied)
			}
		})
	}
}

// Ensure RankedGroups merges identical rankings, sorts them, and hides the
// order of the ballots.
func TestRankedGroups(t *testing.T) {
	b := func(v ...int) tally.Ballot { return tally.Ballot{Values: v} }
	in := []tally.Ballot{b(2, 1, 0), b(1, 0, 0), b(0, 5, 9), b(2, 1, 0), b(0, 0, 0)}
	got := tally.RankedGroups(in)
	want := []tally.RankedGroup{{Order: []int{}, Weight: 1}, {Order: []int{0}, Weight: 1}, {Order: []int{1, 0}, Weight: 2}, {Order: []int{1, 2}, Weight: 1}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].Weight != want[i].Weight || !slices.Equal(got[i].Order, want[i].Order) {
			t.Errorf("group %d: %v, want %v", i, got[i], want[i])
		}
	}
	rev := slices.Clone(in)
	slices.Reverse(rev)
	again := tally.RankedGroups(rev)
	for i := range got {
		if got[i].Weight != again[i].Weight || !slices.Equal(got[i].Order, again[i].Order) {
			t.Errorf("ballot order shows: %v then %v", got, again)
		}
	}
}

// Ensure RankedGroups adds up weights beyond what a count accepts (a BLT
// file may hold them) without overflowing, on both of its grouping paths
// (up to 15 options, and more).
func TestRankedGroups_LargeWeights(t *testing.T) {
	for _, n := range []int{3, 20} {
		heavy := make([]tally.Ballot, 3000)
		for i := range heavy {
			v := make([]int, n)
			v[1] = 1
			heavy[i] = tally.Ballot{Values: v, Weight: tally.MaxWeight}
		}
		got := tally.RankedGroups(heavy)
		if len(got) != 1 || got[0].Weight != 3000*tally.MaxWeight || !slices.Equal(got[0].Order, []int{1}) {
			t.Errorf("%d options: %v, want one group [1] of weight %d", n, got, 3000*tally.MaxWeight)
		}
	}
}
