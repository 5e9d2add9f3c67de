package core_test

import (
	"testing"
	"time"

	"github.com/engage-org/engage/core"
)

// Ensure a community's digest is claimed at most once per day of its zone, and the
// refusal says when the day's digest was posted.
func TestClaimDigest_OnePerLocalDay(t *testing.T) {
	e, _ := newEngine(t)
	c, _ := community(t, e) // Europe/Paris
	claim := func(at time.Time) (time.Time, bool) {
		var posted time.Time
		var ok bool
		update(t, e, func(tx *core.Tx) error {
			var err error
			posted, ok, err = tx.ClaimDigest(c.ID, at)
			return err
		})
		return posted, ok
	}
	first := time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC) // 09:00 in Paris
	steps := []struct {
		at   time.Time
		ok   bool
		when time.Time
	}{
		{first, true, first},
		{first.Add(time.Minute), false, first},
		{time.Date(2027, 3, 1, 22, 30, 0, 0, time.UTC), false, first}, // 23:30 in Paris, same day
		{time.Date(2027, 3, 1, 23, 30, 0, 0, time.UTC), true, time.Date(2027, 3, 1, 23, 30, 0, 0, time.UTC)}, // 00:30 the next day
		{time.Date(2027, 3, 2, 12, 0, 0, 0, time.UTC), false, time.Date(2027, 3, 1, 23, 30, 0, 0, time.UTC)},
	}
	for i, s := range steps {
		posted, ok := claim(s.at)
		if ok != s.ok || !posted.Equal(s.when) {
			t.Fatalf("step %d at %v: got %v %v, want %v %v", i, s.at, ok, posted, s.ok, s.when)
		}
	}
}
