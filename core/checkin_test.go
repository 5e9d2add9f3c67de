package core_test

import (
	"testing"

	"github.com/engage-org/engage/core"
)

// Ensure the number of referents a slot asks follows the documented rule: one for
// every four active projects, rounded up, between 1 and 3 (none without a project).
func TestReferentsPerSlot(t *testing.T) {
	for projects, want := range map[int]int{0: 0, 1: 1, 2: 1, 3: 1, 4: 1, 5: 2, 6: 2, 8: 2, 9: 3, 12: 3, 40: 3} {
		if got := core.ReferentsPerSlot(projects); got != want {
			t.Errorf("ReferentsPerSlot(%d) = %d, want %d", projects, got, want)
		}
	}
}
