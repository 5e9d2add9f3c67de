package when_test

import (
	"strings"
	"testing"

	"github.com/engage-org/engage/bots/when"
)

// BenchmarkParse reads typical command arguments with the package's rules.
func BenchmarkParse(b *testing.B) {
	now, loc := fuzzNow(b)
	inputs := []string{"fin mars", "vendredi 19h", "2026-12-15", "next friday", "dans deux semaines", "le 12/04", "Jan 3rd"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, ok := when.Parse(inputs[i%len(inputs)], "fr", now, loc); !ok {
			b.Fatal("got ok false, want true")
		}
	}
}

// BenchmarkParse_Spans reads compound and past lengths of time.
func BenchmarkParse_Spans(b *testing.B) {
	now, loc := fuzzNow(b)
	inputs := []string{"il y a 3 jours", "in 1 week and 2 days"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, ok := when.Parse(inputs[i%len(inputs)], "", now, loc); !ok {
			b.Fatal("got ok false, want true")
		}
	}
}

// BenchmarkParse_NotADate measures a refusal.
func BenchmarkParse_NotADate(b *testing.B) {
	now, loc := fuzzNow(b)
	b.ReportAllocs()
	for b.Loop() {
		when.Parse("call the mayor", "en", now, loc)
	}
}

// BenchmarkFind reads check-in answers.
func BenchmarkFind(b *testing.B) {
	now, loc := fuzzNow(b)
	inputs := []string{
		"on finit le prototype fin mars",
		"Finish the prototype by next Friday",
		"Relancer la mairie d'ici 10 jours",
		"call the mayor",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		when.Find(inputs[i%len(inputs)], "fr", now, loc)
	}
}

// BenchmarkFind_10KB reads a long message with no date in it.
func BenchmarkFind_10KB(b *testing.B) {
	now, loc := fuzzNow(b)
	text := strings.Repeat("le 3 points et une demi tasse, ", 330)
	b.ReportAllocs()
	for b.Loop() {
		when.Find(text, "fr", now, loc)
	}
}
