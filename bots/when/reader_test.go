package when_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots/when"
)

// readerNow is Monday 1 March 2027, 09:00 in Paris: the horizon is 1 March 2037.
func readerNow(tb testing.TB) (time.Time, *time.Location) {
	tb.Helper()
	loc := paris(tb)
	return time.Date(2027, 3, 1, 9, 0, 0, 0, loc), loc
}

// Ensure a date beyond the horizon is refused as too far, for every class of
// date (numeric day/month/year, ISO, words, durations and compound lengths), in
// Parse and in Find, and never replaced by another reading (a time of day
// today, or the date without its year).
func TestReader_TooFar(t *testing.T) {
	now, loc := readerNow(t)
	limit := time.Date(2037, 3, 1, 9, 0, 0, 0, loc)
	for _, tc := range []struct{ name, text, locale, far string }{
		{"NumericDMY", "12/12/2040", "fr", "12/12/2040"},
		{"NumericDMYTime", "12/12/2040 19:00", "en", "12/12/2040 19:00"},
		{"NumericDotsTimeFr", "le 12.12.2040 à 19h", "fr", "le 12.12.2040 à 19h"},
		{"NumericShortYear", "12-12-99", "fr", "12-12-99"},
		{"ISO", "2040-01-01", "en", "2040-01-01"},
		{"ISOTime", "2040-01-01 19:00", "fr", "2040-01-01 19:00"},
		{"ISOFar", "2099-01-01", "en", "2099-01-01"},
		{"RFC3339", "2040-01-01T18:00:00Z", "en", "2040-01-01T18:00:00Z"},
		{"WordsFr", "12 décembre 2040", "fr", "12 décembre 2040"},
		{"WordsEn", "December 12th, 2040", "en", "December 12th, 2040"},
		{"WeekdayAndYear", "vendredi 12 mars 2040", "fr", "vendredi 12 mars 2040"},
		{"MonthYear", "mars 2040", "fr", "mars 2040"},
		{"QualifiedYear", "fin 2040", "fr", "fin 2040"},
		{"Duration", "dans 20 ans", "fr", "dans 20 ans"},
		{"DurationEn", "in 11 years", "en", "in 11 years"},
		{"Compound", "in 10 years and 2 months", "en", "in 10 years and 2 months"},
		{"CompoundFr", "dans 9 ans et 14 mois", "fr", "dans 9 ans et 14 mois"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := when.Reader{Lang: tc.locale, Locale: tc.locale, Now: now, Loc: loc}
			_, err := r.Parse(tc.text)
			var far *when.TooFarError
			if !errors.As(err, &far) {
				t.Fatalf("Parse(%q): got %v, want too far", tc.text, err)
			}
			if far.Past || !far.Limit.Equal(limit) || !far.Date.Time.After(limit) {
				t.Errorf("Parse(%q): %+v, want after the limit %v", tc.text, far, limit)
			}
			if d, ok := when.Parse(tc.text, tc.locale, now, loc); ok {
				t.Errorf("when.Parse(%q) = %v, want no date", tc.text, d)
			}
			if tc.name == "RFC3339" {
				return // Find reads no instants with an offset
			}
			// In a sentence, the date too far is what is refused.
			sentence := "Assemblée " + tc.text + " Salle des fêtes"
			_, _, err = r.Find(sentence)
			if !errors.As(err, &far) || !strings.Contains(far.Text, strings.Fields(tc.far)[len(strings.Fields(tc.far))-1]) {
				t.Fatalf("Find(%q): got %v, want too far", sentence, err)
			}
			if d, _, ok := when.Find(sentence, tc.locale, now, loc); ok {
				t.Errorf("when.Find(%q) = %v, want no date (not the time alone)", sentence, d)
			}
		})
	}
	// The last day within the horizon still reads; long ago is too far back.
	r := when.Reader{Lang: "fr", Locale: "fr", Now: now, Loc: loc}
	if d, err := r.Parse("01/03/2037"); err != nil || d.String() != "2037-03-01" {
		t.Errorf("01/03/2037: %v %v", d, err)
	}
	var far *when.TooFarError
	if _, err := r.Parse("01/01/2010"); !errors.As(err, &far) || !far.Past {
		t.Errorf("01/01/2010: got %v, want too far back", err)
	}
	if _, err := r.Parse("31/02/2040"); !errors.Is(err, when.ErrNoDate) {
		t.Errorf("31/02/2040: got %v, want no date (impossible beats far)", err)
	}
}

// Ensure numeric dates follow the community's convention: day first only in
// French; in English either order, one reading taken when the other is
// impossible, and both readings returned when both exist (with or without a
// year, a time or a weekday), while ISO dates and month names never are.
func TestReader_Ambiguous(t *testing.T) {
	now, loc := readerNow(t)
	type want struct{ date, alt string } // alt "" : no ambiguity; date "" : refused
	for _, tc := range []struct {
		name, text, locale string
		want
	}{
		{"FrenchDayFirst", "5/4", "fr", want{"2027-04-05", ""}},
		{"FrenchTwelveThree", "12/03", "fr", want{"2027-03-12", ""}},
		{"FrenchCAToo", "5/4", "fr-CA", want{"2027-04-05", ""}},
		{"EnglishBoth", "5/4", "en", want{"2027-04-05", "2027-05-04"}},
		{"EnglishTwelveThree", "12/03", "en", want{"2027-03-12", "2027-12-03"}},
		{"EnglishOnlyMonthFirst", "4/15", "en", want{"2027-04-15", ""}},
		{"EnglishOnlyDayFirst", "25/12", "en", want{"2027-12-25", ""}},
		{"EnglishSameBothWays", "5/5", "en", want{"2027-05-05", ""}},
		{"EnglishWithYear", "05/04/2027", "en", want{"2027-04-05", "2027-05-04"}},
		{"EnglishWithTime", "5/4 19:00", "en", want{"2027-04-05 19:00", "2027-05-04 19:00"}},
		{"EnglishDots", "05.04.2027", "en", want{"2027-04-05", "2027-05-04"}},
		{"UnknownLocaleAsks", "5/4", "", want{"2027-04-05", "2027-05-04"}},
		{"ISONever", "2027-04-05", "en", want{"2027-04-05", ""}},
		{"WordsNever", "5 April", "en", want{"2027-04-05", ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := when.Reader{Lang: "en", Locale: tc.locale, Now: now, Loc: loc}
			d, err := r.Parse(tc.text)
			var amb *when.AmbiguousError
			switch {
			case tc.date == "":
				if !errors.Is(err, when.ErrNoDate) {
					t.Fatalf("Parse(%q) = %v, %v; want no date", tc.text, d, err)
				}
			case tc.alt == "":
				if err != nil || d.String() != tc.date {
					t.Fatalf("Parse(%q) = %v, %v; want %s", tc.text, d, err, tc.date)
				}
			case !errors.As(err, &amb):
				t.Fatalf("Parse(%q) = %v, %v; want ambiguous", tc.text, d, err)
			case amb.DayFirst.String() != tc.date || amb.MonthFirst.String() != tc.alt || !strings.HasPrefix(tc.text, amb.Text):
				t.Fatalf("Parse(%q): %q reads %s or %s, want %s or %s", tc.text, amb.Text, amb.DayFirst, amb.MonthFirst, tc.date, tc.alt)
			}
			// The same inside a command's text.
			_, rest, err := r.Find(tc.text + " Assemblée")
			if tc.alt != "" && (!errors.As(err, &amb) || rest != tc.text+" Assemblée") {
				t.Errorf("Find: got %v, want ambiguous and the text unchanged", err)
			}
		})
	}
}

// Ensure "5/4" reads as a date at the start of a command's text or before a time,
// and stays a fraction inside a sentence.
func TestReader_FractionOrDate(t *testing.T) {
	now, loc := readerNow(t)
	r := when.Reader{Lang: "fr", Locale: "fr", Now: now, Loc: loc}
	for text, want := range map[string]string{
		"5/4 19h Assemblée":          "2027-04-05 19:00",
		"Assemblée le 5/4":           "2027-04-05",
		"Assemblée 5/4 à 19h":        "2027-04-05 19:00",
		"il en reste 1/2 pour mardi": "2027-03-02",
		"Semer avant 5/4":            "2027-04-05",
		"Semer jusqu'au 5/4":         "2027-04-05",
	} {
		d, _, err := r.Find(text)
		if err != nil || d.String() != want {
			t.Errorf("Find(%q) = %v, %v; want %s", text, d, err, want)
		}
	}
}

// Ensure a Reader answers only a date, ErrNoDate, or one of its two refusals.
func FuzzReader(f *testing.F) {
	for _, s := range append(fuzzSeeds, "12/12/2040 19:00", "2040-01-01", "5/4 19h", "05/04/2027", "dans 20 ans") {
		f.Add(s, "fr")
		f.Add(s, "en")
	}
	now, loc := fuzzNow(f)
	f.Fuzz(func(t *testing.T, text, locale string) {
		r := when.Reader{Lang: locale, Locale: locale, Now: now, Loc: loc}
		d, err := r.Parse(text)
		var far *when.TooFarError
		var amb *when.AmbiguousError
		switch {
		case err == nil:
			checkDate(t, d, now, loc)
		case errors.As(err, &amb):
			checkDate(t, amb.DayFirst, now, loc)
			checkDate(t, amb.MonthFirst, now, loc)
			if !strings.Contains(text, amb.Text) {
				t.Fatalf("ambiguous %q is not in %q", amb.Text, text)
			}
		case errors.As(err, &far):
			if !far.Date.Time.Before(now.AddDate(-10, 0, 0)) && !far.Date.Time.After(now.AddDate(10, 0, 0)) {
				t.Fatalf("too far %v is within the horizon", far.Date)
			}
		case errors.As(err, new(*when.DayFirstError)):
		case !errors.Is(err, when.ErrNoDate):
			t.Fatalf("unexpected error %v", err)
		}
		if _, rest, err := r.Find(text); err != nil && rest != text {
			t.Fatalf("Find refused %q but changed it to %q", text, rest)
		}
	})
}

// Ensure an impossible numeric date is refused whole, the time after it included
// (never a time of day today), and that where dates are day first a date that
// reads only month first is told apart, with the reading it would have.
func TestReader_ImpossibleDates(t *testing.T) {
	now, loc := readerNow(t)
	for _, tc := range []struct{ text, locale, want string }{
		{"4/15", "fr", "dayfirst 2027-04-15"},
		{"4/15 19:00 AG", "fr", "dayfirst 2027-04-15"},
		{"AG le 4/15 à 19h", "fr", "dayfirst 2027-04-15"},
		{"31/02 19:00 AG", "fr", "none"},
		{"31/02 19:00 AG", "en", "none"},
		{"2027-02-31 19:00 AG", "en", "none"},
		{"AG 31/02 à 19h", "fr", "none"},
		{"Reach 13/14 points by friday", "en", "2027-03-05"},
		{"4/15 19:00 AG", "en", "2027-04-15 19:00"},
	} {
		r := when.Reader{Lang: tc.locale, Locale: tc.locale, Now: now, Loc: loc}
		d, _, err := r.Find(tc.text)
		var df *when.DayFirstError
		got := d.String()
		switch {
		case errors.As(err, &df):
			got = "dayfirst " + df.MonthFirst.String()
		case errors.Is(err, when.ErrNoDate):
			got = "none"
		case err != nil:
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("Find(%q, %s) = %s, want %s", tc.text, tc.locale, got, tc.want)
		}
		if tc.want == "none" || strings.HasPrefix(tc.want, "dayfirst") {
			if d, _, ok := when.Find(tc.text, tc.locale, now, loc); ok {
				t.Errorf("when.Find(%q) = %v, want no date", tc.text, d)
			}
		}
	}
}
