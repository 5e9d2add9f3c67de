package core

import (
	"bytes"
	"regexp"
	"testing"
	"unicode/utf8"
)

// Ensure mentions finds a needle as a whole word whatever the case, and not inside
// another word or number.
func TestMentions(t *testing.T) {
	tests := []struct {
		hay, needle string
		want        bool
	}{
		{`{"user_id":"7730042","text":"hi"}`, "7730042", true},
		{`{"user_id":"77300421"}`, "7730042", false},
		{`"text":"Wenceslas likes P1"`, "wenceslas", true},
		{`"text":"WENCESLAS"`, "wenceslas", true},
		{`"text":"Wenceslasa"`, "wenceslas", false},
		{`wenceslas.k@example.org`, "wenceslas.k@example.org", true},
		{`Zoé!`, "zoé", true},
		{`Zoéa`, "zoé", false},
		{``, "x", false},
	}
	for _, tt := range tests {
		if got := mentions([]byte(tt.hay), [][]byte{[]byte(tt.needle)}); got != tt.want {
			t.Errorf("mentions(%q, %q) = %v, want %v", tt.hay, tt.needle, got, tt.want)
		}
	}
}

// FuzzMentions checks mentions against a regular expression of the same rule on
// valid UTF-8, and that it never panics.
func FuzzMentions(f *testing.F) {
	f.Add(`{"user_id":"7730042"}`, "7730042")
	f.Add("Wenceslasa Wenceslas", "wenceslas")
	f.Add("Zoé!", "zoé")
	f.Add("aaa", "aa")
	f.Fuzz(func(t *testing.T, hay, needle string) {
		low := bytes.ToLower([]byte(needle))
		got := mentions([]byte(hay), [][]byte{low})
		if !utf8.ValidString(hay) || !utf8.ValidString(needle) || len(low) == 0 || !utf8.Valid(low) {
			return
		}
		re := regexp.MustCompile(`(^|[^\p{L}\p{N}])` + regexp.QuoteMeta(string(low)) + `($|[^\p{L}\p{N}])`)
		if want := re.Match(bytes.ToLower([]byte(hay))); got != want {
			t.Fatalf("mentions(%q, %q) = %v, the rule says %v", hay, needle, got, want)
		}
	})
}
