package when_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots/when"
)

// dayOffset is the number of calendar days from now's day to t's day, and
// t's wall-clock time, as "days hh:mm".
func dayOffset(now, t time.Time) (int, string) {
	y1, m1, d1 := now.Date()
	y2, m2, d2 := t.Date()
	a := time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)
	b := time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC)
	return int(b.Sub(a) / (24 * time.Hour)), t.Format("15:04")
}

// Ensure the package reads the time only from its now argument: relative
// phrases read from two instants ten years apart (same weekday, same time of
// day) land at the same distance from each of them, whatever the real clock says.
func TestParse_NowIsTheOnlyClock(t *testing.T) {
	loc := paris(t)
	a := time.Date(2031, 6, 18, 10, 15, 0, 0, loc) // a Wednesday
	b := a.AddDate(0, 0, -7*520)                   // 520 weeks earlier, a Wednesday in 2021
	phrases := []struct{ text, lang string }{
		{"aujourd'hui", "fr"}, {"demain", "fr"}, {"après-demain", "fr"}, {"dans 3 jours", "fr"},
		{"dans deux semaines", "fr"}, {"vendredi", "fr"}, {"ce mercredi", "fr"}, {"vendredi prochain", "fr"},
		{"la semaine prochaine", "fr"}, {"fin de la semaine", "fr"}, {"18h", "fr"}, {"à 9h", "fr"},
		{"demain 10h", "fr"}, {"dans 2 heures", "fr"}, {"in 45 minutes", "en"}, {"next friday at 7pm", "en"},
		{"tomorrow", "en"}, {"in 10 days", "en"}, {"3 days ago", "en"}, {"il y a 2 jours", "fr"},
	}
	for _, ph := range phrases {
		t.Run(ph.text, func(t *testing.T) {
			da, okA := when.Parse(ph.text, ph.lang, a, loc)
			db, okB := when.Parse(ph.text, ph.lang, b, loc)
			if !okA || !okB {
				t.Fatalf("got ok %v and %v, want true and true", okA, okB)
			}
			daysA, clockA := dayOffset(a, da.Time)
			daysB, clockB := dayOffset(b, db.Time)
			if daysA != daysB || clockA != clockB || da.HasTime != db.HasTime {
				t.Errorf("got %d days %s from %v, want %d days %s as from %v", daysB, clockB, b, daysA, clockA, a)
			}
			fa, _, okA := when.Find(ph.text+" on verra", ph.lang, a, loc)
			fb, _, okB := when.Find(ph.text+" on verra", ph.lang, b, loc)
			if okA != okB {
				t.Fatalf("Find: got ok %v and %v, want the same", okA, okB)
			}
			if okA {
				daysA, clockA := dayOffset(a, fa.Time)
				daysB, clockB := dayOffset(b, fb.Time)
				if daysA != daysB || clockA != clockB {
					t.Errorf("Find: got %d days %s from %v, want %d days %s as from %v", daysB, clockB, b, daysA, clockA, a)
				}
			}
		})
	}
}

// Ensure no source file of the package reads the real clock.
func TestSources_NoClock(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, call := range []string{"time.Now(", "time.Since(", "time.Until("} {
			if strings.Contains(string(src), call) {
				t.Errorf("%s calls %s: got a read of the real clock, want only the now argument", f, call)
			}
		}
		checked++
	}
	if checked == 0 {
		t.Fatalf("got 0 source files, want the package's files")
	}
}

// Ensure concurrent calls, including compound and past lengths, agree
// with sequential ones (run with -race).
func TestParse_Concurrent(t *testing.T) {
	now, loc := fuzzNow(t)
	texts := []string{"fin mars", "il y a 3 jours", "vendredi 19h", "in 1 week and 2 days", "call the mayor"}
	want := make([]when.Date, len(texts))
	for i, s := range texts {
		want[i], _ = when.Parse(s, "", now, loc)
	}
	errs := make(chan string, 8*len(texts))
	done := make(chan struct{})
	for range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i, s := range texts {
				if got, _ := when.Parse(s, "", now, loc); !got.Time.Equal(want[i].Time) {
					errs <- s + ": got " + got.String() + ", want " + want[i].String()
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
