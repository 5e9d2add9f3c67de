package bots_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
)

// BenchmarkHandle measures follow and news events (half each) through bots + core + boltstore
// with fsync on, from 1 and from 64 concurrent senders, with group commit and with
// one transaction (and one fsync) per event, the baseline. The figure to read is
// events/s.
func BenchmarkHandle(b *testing.B) {
	for _, mode := range []struct {
		name    string
		noGroup bool
	}{{"GroupCommit", false}, {"OneFsyncPerEvent", true}} {
		for _, senders := range []int{1, 64} {
			b.Run(fmt.Sprintf("%s/senders=%d", mode.name, senders), func(b *testing.B) {
				e := botstest.NewEnv(b, botstest.Options{NoGroupCommit: mode.noGroup})
				e.Say("alice", "/community create Bench lang en")
				// News go to P1 (no followers: one chat post each); follows spread over
				// P2…P201, so no project's follower list grows large.
				for i := range 201 {
					e.Say("alice", fmt.Sprintf("/project new Project %d", i+1))
				}
				var n atomic.Int64
				events := make(chan bots.Event, senders)
				var wg sync.WaitGroup
				for range senders {
					wg.Go(func() {
						for ev := range events {
							if _, err := e.Bot.Handle(context.Background(), ev); err != nil {
								b.Error(err)
							}
						}
					})
				}
				b.ResetTimer()
				for i := range b.N {
					k := n.Add(1)
					ev := e.Event("alice", fmt.Sprintf("/news P1 bench news %d", k))
					if i%2 == 0 {
						ev = e.Event(fmt.Sprintf("member%d", k), fmt.Sprintf("/follow P%d", 2+k%200))
					}
					ev.Key = fmt.Sprintf("bench:%s:%d:%d", b.Name(), senders, k)
					events <- ev
				}
				close(events)
				wg.Wait()
				b.StopTimer()
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
			})
		}
	}
}
