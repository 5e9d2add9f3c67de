package core_test

import (
	"testing"

	"github.com/engage-org/engage/core"
)

// Ensure a pledge is First only when the member has no other pledge in the
// community: not a change of it, not a pledge to a second campaign; another
// member's first pledge is First.
func TestPledge_First(t *testing.T) {
	w := newWorld(t, 2)
	w.campaign(t) // C1
	w.campaign(t) // C2
	pledge := func(who core.PersonID, id string, amount int64) bool {
		t.Helper()
		var first bool
		w.update(t, func(tx *core.Tx) error {
			c, err := tx.Campaign(w.comm, id)
			if err != nil {
				return err
			}
			res, err := tx.Pledge(w.member(tx, who), c, core.PledgeInput{Amount: core.Major(amount, "EUR")})
			if err != nil {
				return err
			}
			first = res.First
			return nil
		})
		return first
	}
	m0, m1 := w.members[0], w.members[1]
	for _, tt := range []struct {
		who    core.PersonID
		id     string
		amount int64
		want   bool
	}{
		{m0, "C1", 10, true},  // first pledge in the community
		{m0, "C1", 20, false}, // a change
		{m0, "C2", 10, false}, // a second campaign
		{m1, "C2", 30, true},  // someone else's first
	} {
		if got := pledge(tt.who, tt.id, tt.amount); got != tt.want {
			t.Errorf("pledge of %s to %s: First = %v, want %v", tt.who, tt.id, got, tt.want)
		}
	}
}
