package core

import (
	"strings"
	"testing"
	"time"
)

// Ensure a dashboard token reads back what was signed, and that no other text —
// an altered token, one signed under another key, anything — reads as a token
// whose signature holds unless it is exactly a token signed under the key.
func FuzzParseDashboard(f *testing.F) {
	key := []byte("a-fuzzing-dashboard-key")
	exp := time.Unix(1_800_000_000, 0)
	good := signDashboard(key, "telegram:-100123", 3, exp)
	for _, s := range []string{
		good, signDashboard([]byte("another-key-of-16b"), "telegram:-100123", 3, exp),
		strings.Replace(good, ".3.", ".4.", 1), good + "A", "", ".", "d1....", "d1.dA.0.0.", "d1.%%%.1.2.AAAA",
		"d1." + b64.EncodeToString([]byte("c")) + ".-1.5." + strings.Repeat("A", 43),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		c, gen, at, ok := parseDashboard(key, tok)
		if !ok {
			return
		}
		if signDashboard(key, c, gen, at) != tok {
			t.Fatalf("%q reads as %q gen %d until %v, which signs differently", tok, c, gen, at)
		}
		if c == "" || gen < 0 {
			t.Fatalf("%q: community %q, generation %d", tok, c, gen)
		}
	})
}

// Ensure what is signed reads back, and a token signed under another key does not.
func TestDashboardToken_RoundTrip(t *testing.T) {
	key := []byte("a-dashboard-key-of-16")
	exp := time.Unix(1_800_000_000, 0)
	for _, c := range []CommunityID{"telegram:-100123", "slack:T1/C2", "é/…", "x.y.z"} {
		tok := signDashboard(key, c, 7, exp)
		got, gen, at, ok := parseDashboard(key, tok)
		if !ok || got != c || gen != 7 || !at.Equal(exp) {
			t.Errorf("%q: got %q %d %v %v", c, got, gen, at, ok)
		}
		if strings.ContainsAny(tok, "/?#%+ ") {
			t.Errorf("%q is not safe in a URL path", tok)
		}
		if _, _, _, ok := parseDashboard([]byte("another-key-of-16b"), tok); ok {
			t.Errorf("%q opens under another key", tok)
		}
	}
}
