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

// weighBallots gives some of b a weight 1..5 (0 leaves one unset) and returns
// them with the same ballots copied as many times as their weight.
func weighBallots(t *rapid.T, b []tally.Ballot) (weighted, copies []tally.Ballot) {
	for i, x := range b {
		w := rapid.IntRange(0, 5).Draw(t, "weight")
		if i == 0 && w < 2 {
			w = 2 // at least one weighted ballot
		}
		x.Weight = w
		weighted = append(weighted, x)
		x.Weight = 0
		for range max(w, 1) {
			copies = append(copies, tally.Ballot{Values: slices.Clone(x.Values), Jury: x.Jury})
		}
	}
	return weighted, copies
}

// Ensure a ballot of weight k counts exactly as k copies of it, in every
// method: same ranking and same figures; only the number of ballots differs,
// and Weight, the sum of the weights, is the number of copies.
func TestCount_WeightIsCopies(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawPoll(t)
		b := rapid.SliceOfN(ballotGen(p), 1, 20).Draw(t, "ballots")
		weighted, copies := weighBallots(t, b)
		got := count(t, p, weighted)
		want := count(t, p, copies)
		if got.Ballots != len(weighted) || got.Weight != len(copies) {
			t.Fatalf("Ballots %d Weight %d, want %d and %d", got.Ballots, got.Weight, len(weighted), len(copies))
		}
		if want.Weight != 0 {
			t.Fatalf("unweighted count has Weight %d", want.Weight)
		}
		got.Ballots, got.Weight = want.Ballots, 0
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty(), cmp.Comparer(func(a, b *big.Rat) bool { return (a == nil) == (b == nil) && (a == nil || a.Cmp(b) == 0) })); diff != "" {
			t.Fatalf("%s: weighted (+) vs copies (-):\n%s", p.m, diff)
		}
	})
}

// Ensure the running tally counts a ballot of weight k as k copies, and that
// removing a weighted ballot takes off all of its weight.
func TestLive_WeightIsCopies(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := drawPoll(t)
		b := rapid.SliceOfN(ballotGen(p), 1, 20).Draw(t, "ballots")
		weighted, copies := weighBallots(t, b)
		lw, _ := tally.NewLive(p.m, p.n, p.s)
		lc, _ := tally.NewLive(p.m, p.n, p.s)
		for _, x := range weighted {
			if err := lw.Add(x); err != nil {
				t.Fatal(err)
			}
		}
		for _, x := range copies {
			if err := lc.Add(x); err != nil {
				t.Fatal(err)
			}
		}
		if lw.Weight != len(copies) || lw.Ballots != len(weighted) {
			t.Fatalf("live Weight %d Ballots %d, want %d and %d", lw.Weight, lw.Ballots, len(copies), len(weighted))
		}
		ignore := cmpopts.IgnoreFields(tally.Live{}, "Ballots", "JuryBallots")
		if diff := cmp.Diff(*lc, *lw, cmpopts.IgnoreUnexported(tally.Live{}), ignore); diff != "" {
			t.Fatalf("%s: live weighted (+) vs copies (-):\n%s", p.m, diff)
		}
		// Removing the weighted first ballot leaves the tally of the others.
		if err := lw.Remove(weighted[0]); err != nil {
			t.Fatalf("Remove: %v", err)
		}
		rest, _ := tally.NewLive(p.m, p.n, p.s)
		for _, x := range weighted[1:] {
			if err := rest.Add(x); err != nil {
				t.Fatal(err)
			}
		}
		if diff := cmp.Diff(*rest, *lw, cmpopts.IgnoreUnexported(tally.Live{})); diff != "" {
			t.Fatalf("%s: after Remove (+) vs without it (-):\n%s", p.m, diff)
		}
	})
}

// Ensure a weight out of range is refused.
func TestValidate_Weight(t *testing.T) {
	for _, w := range []int{-1, tally.MaxWeight + 1} {
		err := tally.Validate(tally.Single, 2, tally.Ballot{Values: []int{1, 0}, Weight: w}, tally.Settings{})
		var te *tally.Error
		if !errors.As(err, &te) || te.Problem != tally.ProblemWeight {
			t.Errorf("weight %d: %v, want ProblemWeight", w, err)
		}
	}
}

// Ensure an stv count refuses more weight than MaxSTVBallots, which keeps its
// votes within int64.
func TestCount_STVWeightBound(t *testing.T) {
	b := tally.Ballot{Values: []int{1, 2, 0}, Weight: tally.MaxWeight}
	ballots := make([]tally.Ballot, tally.MaxSTVBallots/tally.MaxWeight+1)
	for i := range ballots {
		ballots[i] = b
	}
	_, err := tally.Count(tally.STV, 3, ballots, tally.Settings{Seats: 1})
	var te *tally.Error
	if !errors.As(err, &te) || te.Problem != tally.ProblemWeight {
		t.Fatalf("err = %v, want ProblemWeight", err)
	}
}

// BenchmarkCountWeighted counts 100k ballots of 10 options per method, each
// with weight 1 (unset) or a weight from 1 to 100: a weighted count must cost
// about what an unweighted one does (irv aggregates weighted rankings in a map).
func BenchmarkCountWeighted(b *testing.B) {
	const n = 100_000
	for _, m := range tally.Methods() {
		ballots, s := benchBallots(m, n)
		weighted := make([]tally.Ballot, n)
		for i, x := range ballots {
			x.Weight = 1 + i%100
			weighted[i] = x
		}
		for _, c := range []struct {
			name string
			bs   []tally.Ballot
		}{{"plain", ballots}, {"weighted", weighted}} {
			b.Run(string(m)+"/"+c.name, func(b *testing.B) {
				for b.Loop() {
					if _, err := tally.Count(m, benchOptions, c.bs, s); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
