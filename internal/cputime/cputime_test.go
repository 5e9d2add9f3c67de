package cputime_test

import (
	"testing"
	"time"

	"github.com/engage-org/engage/internal/cputime"
)

// Ensure CPU time grows with work done, where it is measured.
func TestNow_GrowsWithWork(t *testing.T) {
	start, ok := cputime.Now()
	if !ok {
		t.Skip("no CPU clock on this platform")
	}
	x := 0
	for range 10_000 {
		for i := range 1_000_000 {
			x += i ^ x
		}
		if end, _ := cputime.Now(); end-start >= 20*time.Millisecond {
			return
		}
	}
	t.Fatalf("CPU time did not grow by 20 ms over 10¹⁰ additions (%d)", x)
}
