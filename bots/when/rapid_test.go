package when_test

import (
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/engage-org/engage/bots/when"
)

var frenchMonths = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}

// Ensure any date within ten years, written in any of the usual ways, reads
// back as itself.
func TestParse_WrittenDatesRoundTrip(t *testing.T) {
	loc := paris(t)
	rapid.Check(t, func(rt *rapid.T) {
		now := time.Date(2026, 12, 28, 15, 4, 0, 0, loc).AddDate(0, 0, rapid.IntRange(-3000, 3000).Draw(rt, "shift"))
		want := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, rapid.IntRange(-3000, 3000).Draw(rt, "offset"))
		formats := []struct {
			lang string
			text string
		}{
			{"en", want.Format("2006-01-02")},
			{"fr", want.Format("02/01/2006")},
			{"fr", want.Format("2.1.2006")},
			{"en", want.Format("2 January 2006")},
			{"en", want.Format("January 2nd, 2006")},
			{"en", want.Format("Mon, 2 Jan 2006")},
			{"fr", fmt.Sprintf("le %d %s %d", want.Day(), frenchMonths[want.Month()-1], want.Year())},
		}
		f := formats[rapid.IntRange(0, len(formats)-1).Draw(rt, "format")]
		d, ok := when.Parse(f.text, f.lang, now, loc)
		if !ok || d.HasTime || !d.Time.Equal(want) {
			rt.Fatalf("Parse(%q): got %v (ok %v), want %v", f.text, d, ok, want.Format("2006-01-02"))
		}
	})
}

// Ensure "dans N jours" and "in N days" are N calendar days after today, at
// midnight, across any daylight-saving change.
func TestParse_DaysFromToday(t *testing.T) {
	loc := paris(t)
	rapid.Check(t, func(rt *rapid.T) {
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, loc).Add(time.Duration(rapid.Int64Range(0, 3*365*24*3600).Draw(rt, "seconds")) * time.Second)
		n := rapid.IntRange(0, 3000).Draw(rt, "n")
		text := rapid.SampledFrom([]string{"dans %d jours", "in %d days", "d'ici %d jours"}).Draw(rt, "phrase")
		d, ok := when.Parse(fmt.Sprintf(text, n), "", now, loc)
		y, m, day := now.Date()
		want := time.Date(y, m, day+n, 0, 0, 0, 0, loc)
		if !ok || !d.Time.Equal(want) || d.Time.Hour() != 0 {
			rt.Fatalf("got %v (ok %v), want %v", d.Time, ok, want)
		}
	})
}
