package chart

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"gonum.org/v1/plot/vg"
)

// FuzzNumber checks that Number writes what it was given, rounded to two
// decimals, whatever the separators.
func FuzzNumber(f *testing.F) {
	for _, v := range []float64{0, 50, 12.5, 1.0 / 3, -1234567.891, 1e15, -0.004} {
		f.Add(v, true)
	}
	f.Fuzz(func(t *testing.T, v float64, french bool) {
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e15 {
			return
		}
		dec, th := ".", ","
		if french {
			dec, th = ",", "\u202f"
		}
		s := Number(v, dec)
		back, err := strconv.ParseFloat(strings.Replace(strings.ReplaceAll(s, th, ""), dec, ".", 1), 64)
		if err != nil {
			t.Fatalf("Number(%v) = %q: %v", v, s, err)
		}
		if want := math.Round(v*100) / 100; math.Abs(back-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Fatalf("Number(%v) = %q reads %v", v, s, back)
		}
		if strings.HasSuffix(s, "0") && strings.Contains(s, dec) || strings.HasSuffix(s, dec) {
			t.Fatalf("Number(%v) = %q has needless decimals", v, s)
		}
	})
}

// FuzzWrap checks that wrap keeps every word in order when it may use as many
// lines as it needs, and writes no line wider than asked but for a lone glyph.
func FuzzWrap(f *testing.F) {
	for _, s := range []string{"jeudi 11 mars 2027 19:00", "", "   ", "Organise a neighbourhood party with the other associations", "https://example.org/a/very/long/address/without/spaces", "a\nb c"} {
		f.Add(s, 80.0)
	}
	face := newFace(9.5, false)
	f.Fuzz(func(t *testing.T, s string, w float64) {
		if !utf8.ValidString(s) || w < 1 || w > 1000 || math.IsNaN(w) {
			return
		}
		lines := wrap(face, s, toLen(w), 0)
		for _, l := range lines {
			if face.width(l) > toLen(w) && utf8.RuneCountInString(strings.TrimSuffix(l, "…")) > 1 {
				t.Fatalf("line %q is %.1f wide, more than %.1f", l, face.width(l), w)
			}
		}
		if !strings.Contains(strings.Join(lines, ""), "…") {
			if got, want := strings.Fields(strings.Join(lines, " ")), strings.Fields(s); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Fatalf("wrap(%q) = %q", s, lines)
			}
		}
		if cut := wrap(face, s, toLen(w), 2); len(cut) > 2 {
			t.Fatalf("%d lines of at most 2", len(cut))
		}
	})
}

func toLen(w float64) vg.Length { return vg.Length(w) }
