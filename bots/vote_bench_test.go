package bots_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/core"
)

// BenchmarkVoteEvent handles one `/vote V1 …` event from a new member, through
// bots, core and bbolt (fsync off), in a 10-option ranked poll that already holds
// 1k or 1M ballots: the ballot, the receipt and the edit of the poll message in
// every chat (coalesced with the pending one). The cost must not grow with the
// ballots already cast.
func BenchmarkVoteEvent(b *testing.B) {
	for _, size := range []struct {
		name string
		cast int
	}{{"1k", 1_000}, {"1M", 1_000_000}} {
		e := botstest.NewEnv(b, botstest.Options{NoSync: true, Lang: "en"})
		e.Say("alice", "/community create Bench lang en")
		e.Say("alice", "/poll new irv Bench | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9")
		var c core.CommunityID = "c1"
		const batch = 20_000
		for from := 0; from < size.cast; from += batch {
			if _, err := e.Engine.Update(context.Background(), func(tx *core.Tx) error {
				p, err := tx.Poll(c, "V1")
				if err != nil {
					return err
				}
				for k := from; k < min(from+batch, size.cast); k++ {
					m := &core.Member{Community: c, Person: core.PersonID(fmt.Sprintf("b%07d", k))}
					if _, err := tx.Vote(m, p, []int{1 + k%3, 0, 2, 0, 0, 3, 0, 0, 0, 0}); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
		}
		k := 0
		b.Run(size.name, func(b *testing.B) {
			for b.Loop() {
				k++
				ev := e.Event(fmt.Sprintf("n%07d", k), "/vote V1 3 > 1 > 7")
				out, err := e.Bot.Handle(context.Background(), ev)
				if err != nil || len(out) != 1 {
					b.Fatalf("got %v, %v", out, err)
				}
			}
		})
	}
}
