package core_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
	"github.com/engage-org/engage/store/boltstore"
)

// benchValues is the ballot of voter k in a 10-option ranked poll.
func benchValues(k int) []int {
	v := make([]int, 10)
	v[k%10], v[(k+3)%10], v[(k+7)%10] = 1, 2, 3
	return v
}

// BenchmarkVote casts one ballot and reads the running tally back, through core on
// a bbolt file, in a poll that already holds 1k or 1M ballots (10 options, ranked).
// The cost must not grow with the ballots already cast: the tally is kept, never
// recounted. Fsync is off so the figure is the engine's and the file's work, not
// the disk's (which is the same for both sizes).
func BenchmarkVote(b *testing.B) {
	for _, size := range []struct {
		name string
		cast int
	}{{"1k", 1_000}, {"1M", 1_000_000}} {
		db, err := boltstore.Open(filepath.Join(b.TempDir(), "bench.db"), boltstore.Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		now := start
		e := core.New(db, func() time.Time { return now })
		var c core.CommunityID
		var admin *core.Member
		if _, err := e.Update(b.Context(), func(tx *core.Tx) error {
			p, err := tx.ResolveIdentity("bench", "admin", "Admin", "")
			if err != nil {
				return err
			}
			comm, err := tx.CreateCommunity(p.ID, core.ChatRef{Platform: "bench", ChatID: "g"}, false, "Bench", "UTC", "en")
			if err != nil {
				return err
			}
			c = comm.ID
			admin, err = tx.Member(c, p.ID)
			if err != nil {
				return err
			}
			_, err = tx.OpenPoll(admin, core.PollSpec{Method: tally.IRV, Question: "Bench", Options: opts("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")})
			return err
		}); err != nil {
			b.Fatal(err)
		}
		const batch = 20_000
		for from := 0; from < size.cast; from += batch {
			if _, err := e.Update(b.Context(), func(tx *core.Tx) error {
				p, err := tx.Poll(c, "V1")
				if err != nil {
					return err
				}
				for k := from; k < min(from+batch, size.cast); k++ {
					m := &core.Member{Community: c, Person: core.PersonID(fmt.Sprintf("b%07d", k))}
					if _, err := tx.Vote(m, p, benchValues(k)); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
		}
		next := size.cast
		b.Run(size.name, func(b *testing.B) {
			for b.Loop() {
				k := next
				next++
				if _, err := e.Update(b.Context(), func(tx *core.Tx) error {
					p, err := tx.Poll(c, "V1")
					if err != nil {
						return err
					}
					m := &core.Member{Community: c, Person: core.PersonID(fmt.Sprintf("n%07d", k))}
					_, err = tx.Vote(m, p, benchValues(k))
					return err
				}); err != nil {
					b.Fatal(err)
				}
				if err := e.View(b.Context(), func(tx *core.Tx) error {
					p, err := tx.Poll(c, "V1")
					if err == nil && p.Live.Ballots != k+1 {
						err = fmt.Errorf("tally holds %d ballots, want %d", p.Live.Ballots, k+1)
					}
					return err
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
