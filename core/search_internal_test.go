package core

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// foldReference is fold as it was written first: a new chain for every string.
func foldReference(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(strings.TrimSpace(out))
}

// FuzzFold checks that the pooled, ASCII-short-cut fold folds every string as a
// fresh chain does, whatever the transformer folded before.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"", "Café", "  Étape 2 ", "LYON", "Ça va ?", "🥗 Salade", "naïve Zoë", "\xff\xfe", "e\u0301", "ǅ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := fold(s), foldReference(s); got != want {
			t.Errorf("fold(%q) = %q, want %q", s, got, want)
		}
	})
}
