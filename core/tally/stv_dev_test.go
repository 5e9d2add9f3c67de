package tally

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDevSTV(t *testing.T) {
	files, _ := filepath.Glob("testdata/stv/*.blt")
	for _, p := range files {
		fh, _ := os.Open(p)
		f, err := ParseBLT(fh)
		fh.Close()
		if err != nil {
			t.Fatal(p, err)
		}
		for _, meek := range []bool{false, true} {
			r, err := CountSTV(len(f.Candidates), f.Ballots, Settings{Seats: f.Seats, Meek: meek, Withdrawn: f.Withdrawn})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, o := range r.Elected {
				names = append(names, f.Candidates[o])
			}
			t.Logf("%s meek=%v valid=%d quota=%s elected=%q stages=%d tied=%v", p, meek, r.Valid, r.Quota, names, len(r.Stages), r.Tied)
			for i, s := range r.Stages {
				t.Logf("  %d %s %v el=%v nt=%s loss=%s", i+1, s.Action, s.Candidates, s.Elected, FormatFixed(s.NonTransferable, r.Decimals), FormatFixed(s.Loss, r.Decimals))
			}
		}
	}
}
