package tally_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/engage-org/engage/core/tally"
)

// Ensure a BLT file with ids, a withdrawn line, weights, unranked tails and
// lines after the title reads as written.
func TestParseBLT(t *testing.T) {
	in := "4 2\n-3\n(a1) 4 1 2 0\n2 4 0\n\n1 2 1 4 0\n0\n\"Ana\"\n\"Ben\"\n\"Chloé \"\n\"Dan\"\n\"Bureau 2026\"\nanything\n"
	f, err := tally.ParseBLT(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if f.Seats != 2 || !slices.Equal(f.Candidates, []string{"Ana", "Ben", "Chloé", "Dan"}) || f.Title != "Bureau 2026" {
		t.Errorf("got seats %d, candidates %q, title %q", f.Seats, f.Candidates, f.Title)
	}
	if !slices.Equal(f.Withdrawn, []int{2}) {
		t.Errorf("withdrawn %v, want [2]", f.Withdrawn)
	}
	want := []tally.RankedGroup{{Order: []int{0, 1}, Weight: 4}, {Order: []int{3}, Weight: 2}, {Order: []int{1, 0, 3}, Weight: 1}}
	if len(f.Ballots) != len(want) {
		t.Fatalf("ballots %v, want %v", f.Ballots, want)
	}
	for i := range want {
		if f.Ballots[i].Weight != want[i].Weight || !slices.Equal(f.Ballots[i].Order, want[i].Order) {
			t.Errorf("ballot %d: %v, want %v", i, f.Ballots[i], want[i])
		}
	}
}

// Ensure a malformed file is refused with the line at fault and what was
// expected there.
func TestParseBLT_Errors(t *testing.T) {
	cases := []struct {
		name, in string
		line     int
		want     string
	}{
		{"empty", "", 1, "CANDIDATES SEATS"},
		{"header", "3\n", 1, "CANDIDATES SEATS"},
		{"seats", "3 3\n", 1, "SEATS < CANDIDATES"},
		{"withdrawn", "3 1\n-4\n0\n", 2, "withdrawn"},
		{"weight", "3 1\nx 1 0\n", 2, "weight"},
		{"candidate", "3 1\n1 4 0\n", 2, "candidate numbers 1..3"},
		{"twice", "3 1\n1 1 2 1 0\n", 2, "at most once"},
		{"equal", "3 1\n\n1 1=2 0\n", 3, "equal preferences"},
		{"no zero", "3 1\n1 1 2\n", 2, "ending with 0"},
		{"no end", "3 1\n1 1 0\n", 3, "before the end"},
		{"names", "3 1\n1 1 0\n0\n\"A\"\n\"B\n", 5, "name of candidate 2"},
		{"no title", "2 1\n1 1 0\n0\n\"A\"\n\"B\"\n", 6, "title"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := tally.ParseBLT(strings.NewReader(c.in))
			var e *tally.BLTError
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want a *BLTError", err)
			}
			if e.Line != c.line || !strings.Contains(e.Error(), c.want) {
				t.Errorf("got %q (line %d), want line %d and %q", e.Error(), e.Line, c.line, c.want)
			}
		})
	}
}

// FuzzParseBLT checks that any input either is refused with a *BLTError or
// reads into a file that WriteBLT writes back to the same ballots, and that
// such a file always counts.
func FuzzParseBLT(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		b, err := tally.ParseBLT(bytes.NewReader(in))
		if err != nil {
			var e *tally.BLTError
			if !errors.As(err, &e) || e.Line < 1 {
				t.Fatalf("error %v is not a *BLTError with a line", err)
			}
			return
		}
		var out bytes.Buffer
		if err := tally.WriteBLT(&out, b); err != nil {
			t.Fatal(err)
		}
		back, err := tally.ParseBLT(&out)
		if err != nil {
			t.Fatalf("written file does not read back: %v\n%s", err, out.String())
		}
		if back.Seats != b.Seats || !slices.Equal(back.Withdrawn, b.Withdrawn) || len(back.Ballots) != len(b.Ballots) {
			t.Fatalf("round trip: %+v, want %+v", back, b)
		}
		for i := range b.Ballots {
			if back.Ballots[i].Weight != b.Ballots[i].Weight || !slices.Equal(back.Ballots[i].Order, b.Ballots[i].Order) {
				t.Fatalf("ballot %d: %v, want %v", i, back.Ballots[i], b.Ballots[i])
			}
		}
		if len(back.Candidates) != len(b.Candidates) {
			t.Fatalf("candidates %q, want %q", back.Candidates, b.Candidates)
		}
		if len(in) > 2000 {
			return // keep counting cheap
		}
		for _, meek := range []bool{false, true} {
			r, err := tally.CountSTV(len(b.Candidates), b.Ballots, tally.Settings{Seats: b.Seats, Withdrawn: b.Withdrawn, Meek: meek})
			if err != nil {
				t.Fatalf("count: %v", err)
			}
			if len(r.Tied) == 0 && len(r.Elected) > b.Seats {
				t.Fatalf("elected %v for %d seats", r.Elected, b.Seats)
			}
		}
	})
}

// Ensure names written CSV-style, as some published Scottish files do
// ("""Name"" ""Party"""), read as the name.
func TestParseBLT_DoubledQuotes(t *testing.T) {
	in := "2 1\n3 1 0\n1 2 0\n0\n\"\"\"Robert John CRAIG\"\" \"\"Scottish Family Party\"\"\"\n\"Ann \"\"Nan\"\" ROSS\" \"Lab\"\n\"Ward 5\"\n"
	f, err := tally.ParseBLT(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Robert John CRAIG", `Ann "Nan" ROSS`}; !slices.Equal(f.Candidates, want) {
		t.Errorf("candidates %q, want %q", f.Candidates, want)
	}
}
