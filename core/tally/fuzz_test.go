package tally_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/engage-org/engage/core/tally"
)

// fuzzPoll decodes fuzzer input into a poll and raw ballots. data holds
// ballots back to back: a flag byte (bit 0: jury) then one signed byte per
// option. A method byte past the last method gives an unknown method; the
// options byte maps to -1..10 so that invalid counts occur too.
func fuzzPoll(method, options uint8, scaleMin, scaleSpan int8, dots, grades, weight uint8, data []byte) (tally.Method, int, tally.Settings, []tally.Ballot) {
	methods := tally.Methods()
	m := tally.Method("bogus")
	if int(method) < len(methods) {
		m = methods[method]
	}
	n := int(options%12) - 1
	s := tally.Settings{
		ScaleMin:   int(scaleMin),
		ScaleMax:   int(scaleMin) + int(scaleSpan),
		Dots:       int(dots),
		Grades:     int(grades),
		JuryWeight: int(weight),
	}
	var ballots []tally.Ballot
	if n > 0 {
		for len(data) > n {
			v := make([]int, n)
			for i := range v {
				v[i] = int(int8(data[1+i]))
			}
			ballots = append(ballots, tally.Ballot{Values: v, Jury: data[0]&1 == 1})
			data = data[1+n:]
		}
	}
	return m, n, s, ballots
}

// Ensure Validate and Count never panic, agree with each other, and that
// Live adds and removes exactly the ballots Validate accepts. Seeds are in
// testdata/fuzz/FuzzCount; run with go test -fuzz=FuzzCount ./core/tally/.
func FuzzCount(f *testing.F) {
	// Tennessee, IRV: 42 M>N>C>K and 17 K>C>N>M, in miniature.
	f.Add(uint8(2), uint8(5), int8(0), int8(5), uint8(8), uint8(6), uint8(50), []byte{0, 1, 2, 3, 4, 0, 4, 3, 2, 1})
	// Contest 70/30 with one jury and one public ballot.
	f.Add(uint8(9), uint8(3), int8(0), int8(5), uint8(8), uint8(6), uint8(70), []byte{1, 0, 1, 0, 1, 0})
	// Dot vote over budget, then within.
	f.Add(uint8(6), uint8(3), int8(0), int8(5), uint8(3), uint8(6), uint8(0), []byte{0, 2, 2, 0, 1, 2})
	f.Fuzz(func(t *testing.T, method, options uint8, scaleMin, scaleSpan int8, dots, grades, weight uint8, data []byte) {
		m, n, s, ballots := fuzzPoll(method, options, scaleMin, scaleSpan, dots, grades, weight, data)
		var valid []tally.Ballot
		for _, b := range ballots {
			err := tally.Validate(m, n, b, s)
			var e *tally.Error
			if err != nil && !errors.As(err, &e) {
				t.Fatalf("Validate: got %T %v, want a *tally.Error", err, err)
			}
			if err == nil {
				valid = append(valid, b)
			}
		}
		_, pollErr := tally.Count(m, n, nil, s)
		r, err := tally.Count(m, n, valid, s)
		if (err != nil) != (pollErr != nil) {
			t.Fatalf("Count of validated ballots: got %v, want %v", err, pollErr)
		}
		if _, errAll := tally.Count(m, n, ballots, s); (errAll == nil) != (pollErr == nil && len(valid) == len(ballots)) {
			t.Fatalf("Count of all ballots: got %v with %d of %d valid", errAll, len(valid), len(ballots))
		}
		if err != nil {
			return
		}
		seen := make([]bool, n)
		for _, tier := range r.Ranking {
			if len(tier) == 0 || !slices.IsSorted(tier) {
				t.Fatalf("tier %v: want non-empty and ascending", tier)
			}
			for _, o := range tier {
				if seen[o] {
					t.Fatalf("option %d ranked twice in %v", o, r.Ranking)
				}
				seen[o] = true
			}
		}
		if slices.Contains(seen, false) {
			t.Fatalf("ranking %v misses an option", r.Ranking)
		}

		l, err := tally.NewLive(m, n, s)
		if err != nil {
			t.Fatalf("NewLive: %v", err)
		}
		for _, b := range valid {
			if err := l.Add(b); err != nil {
				t.Fatalf("Live.Add: %v", err)
			}
		}
		for _, b := range valid {
			if err := l.Remove(b); err != nil {
				t.Fatalf("Live.Remove: %v", err)
			}
		}
		if l.Ballots != 0 {
			t.Fatalf("Live.Ballots after removing all: got %v, want 0", l.Ballots)
		}
	})
}
