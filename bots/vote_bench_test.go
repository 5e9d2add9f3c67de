package bots_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/internal/cputime"
)

// BenchmarkVoteEvent handles `/vote V1 …` events from new members, through bots,
// core and bbolt (fsync off), in a 10-option ranked poll that already holds 1k
// ballots and in one that holds 1M, 500 on each per iteration, in turn: the
// ballot, the receipt and the edit of the poll message in every chat (coalesced
// with the pending one). It reports the CPU time of an event at each size and
// their ratio, 1M/1k: the cost must not grow with the ballots already cast
// (target ≤ 2).
func BenchmarkVoteEvent(b *testing.B) {
	if _, ok := cputime.Now(); !ok {
		b.Skip("no CPU clock on this platform")
	}
	small, large := voteEnv(b, 1_000), voteEnv(b, 1_000_000)
	vote := func(e *botstest.Env, k int) time.Duration {
		ev := e.Event(fmt.Sprintf("n%07d", k), "/vote V1 3 > 1 > 7")
		start, _ := cputime.Now()
		out, err := e.Bot.Handle(context.Background(), ev)
		end, _ := cputime.Now()
		if err != nil || len(out) != 1 {
			b.Fatalf("got %v, %v", out, err)
		}
		return end - start
	}
	const perLoop = 500 // events at each size per iteration: a ratio of its own with -benchtime 1x
	var at1k, at1M time.Duration
	k := 0
	for b.Loop() {
		for range perLoop {
			k++
			at1k += vote(small, k)
			at1M += vote(large, k)
		}
	}
	events := float64(b.N * perLoop)
	b.ReportMetric(float64(at1k.Nanoseconds())/events, "cpu-ns/event@1k")
	b.ReportMetric(float64(at1M.Nanoseconds())/events, "cpu-ns/event@1M")
	b.ReportMetric(float64(at1M)/float64(at1k), "1M/1k")
}

// voteEnv returns a bot whose community's ranked poll V1 holds cast ballots.
func voteEnv(b *testing.B, cast int) *botstest.Env {
	e := botstest.NewEnv(b, botstest.Options{NoSync: true, Lang: "en"})
	e.Say("alice", "/community create Bench lang en")
	e.Say("alice", "/poll new irv Bench | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9")
	var c core.CommunityID = "c1"
	const batch = 20_000
	for from := 0; from < cast; from += batch {
		if _, err := e.Engine.Update(context.Background(), func(tx *core.Tx) error {
			p, err := tx.Poll(c, "V1")
			if err != nil {
				return err
			}
			for k := from; k < min(from+batch, cast); k++ {
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
	return e
}
