package core_test

import (
	"sync"
	"testing"

	"github.com/engage-org/engage/core"
)

// Ensure Fold lowercases, trims and strips accents, ASCII or not, from goroutines
// side by side (the accent strippers are shared).
func TestFold(t *testing.T) {
	cases := map[string]string{
		"Étape": "etape", "  Café  ": "cafe", "ÇA VA": "ca va", "Hello": "hello",
		"naïve": "naive", "": "", "Ελλάδα": "ελλαδα", "IRV": "irv", "C’EST": "c’est",
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 50 {
				for in, want := range cases {
					if got := core.Fold(in); got != want {
						t.Errorf("Fold(%q) = %q, want %q", in, got, want)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
