package when_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/engage-org/engage/bots/when"
)

// fuzzNow is the reference instant of the fuzz tests.
func fuzzNow(tb testing.TB) (time.Time, *time.Location) {
	tb.Helper()
	loc := paris(tb)
	return time.Date(2026, 12, 28, 15, 4, 0, 0, loc), loc
}

// checkDate fails t unless d is a plausible answer: in loc, within ten
// years of now, and at the start of its day when it has no time.
func checkDate(t *testing.T, d when.Date, now time.Time, loc *time.Location) {
	t.Helper()
	if d.Time.Location() != loc {
		t.Fatalf("location: got %v, want %v", d.Time.Location(), loc)
	}
	if d.Time.Before(now.AddDate(-10, 0, 0)) || d.Time.After(now.AddDate(10, 0, 0)) {
		t.Fatalf("time: got %v, want within ten years of %v", d.Time, now)
	}
	if !d.HasTime {
		y, m, day := d.Time.Date()
		if start := time.Date(y, m, day, 0, 0, 0, 0, loc); !start.Equal(d.Time) {
			t.Fatalf("date-only time: got %v, want %v", d.Time, start)
		}
	}
	if d.End().Before(d.Time) {
		t.Fatalf("End: got %v, want at or after %v", d.End(), d.Time)
	}
}

// fuzzSeeds are added to the committed corpus in testdata/fuzz.
var fuzzSeeds = []string{
	"fin mars", "vendredi 19h", "2026-12-15T18:30", "15/12", "le 1er mars", "next friday", "dans deux semaines",
	"31/02", "25:00", "il y a 3 jours", "Jan 3rd, 2027", "on finit le prototype fin mars",
	"Finish the prototype by next Friday", "we may meet", "à 19h le 12/04", "dans 2h30", "\xff\xfe demain",
	strings.Repeat("le 3 ", 50), "1/2/3/4/5", "mi-", "le", "dans", "2026-", "12:", "6 p.m.",
}

// Ensure Parse never panics and answers either "no" or a plausible date.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "fr")
		f.Add(s, "en")
	}
	now, loc := fuzzNow(f)
	f.Fuzz(func(t *testing.T, text, lang string) {
		d, ok := when.Parse(text, lang, now, loc)
		if ok {
			checkDate(t, d, now, loc)
		}
	})
}

// Ensure Find never panics, answers either "no" or a plausible date, and
// returns a rest cut from the text.
func FuzzFind(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "fr")
		f.Add(s, "en")
	}
	now, loc := fuzzNow(f)
	f.Fuzz(func(t *testing.T, text, lang string) {
		d, rest, ok := when.Find(text, lang, now, loc)
		if !ok {
			if rest != text {
				t.Fatalf("rest without a date: got %q, want the text %q", rest, text)
			}
			return
		}
		checkDate(t, d, now, loc)
		if len(rest) >= len(text) {
			t.Fatalf("rest: got %q, want shorter than %q", rest, text)
		}
		if utf8.ValidString(text) && !utf8.ValidString(rest) {
			t.Fatalf("rest: got invalid UTF-8 %q from valid %q", rest, text)
		}
	})
}

// Ensure long input is read in linear time: 10 KB of near-dates is quick.
func TestFind_LongInput(t *testing.T) {
	now, loc := fuzzNow(t)
	inputs := []string{
		strings.Repeat("le 3 points et 1/2 tasse, ", 400),
		strings.Repeat("\xff9", 5000),
		strings.Repeat("dans ", 2000),
		strings.Repeat("1/", 5000),
	}
	for _, in := range inputs {
		start := time.Now()
		when.Find(in, "fr", now, loc)
		when.Parse(in, "fr", now, loc)
		if el := time.Since(start); el > 2*time.Second {
			t.Errorf("%d bytes: got %v, want well under 2s", len(in), el)
		}
	}
}
