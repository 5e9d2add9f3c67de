package bots_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
)

// BenchmarkPledge_64Concurrent: 64 members pledge (and change their pledge) at once
// on one campaign, through the bot, the engine and bbolt (fsync on, group commit),
// while the dispatcher runs. It reports pledges per second and the progress-message
// edits per second, which the throttle bounds to one per chat per delay (10/s here,
// 100 ms) whatever the pledge rate.
// The fsync case is what a deployment sees; nosync shows the CPU cost alone.
func BenchmarkPledge_64Concurrent(b *testing.B) {
	b.Run("fsync", func(b *testing.B) { benchPledges(b, false) })
	b.Run("nosync", func(b *testing.B) { benchPledges(b, true) })
}

func benchPledges(b *testing.B, noSync bool) {
	const pledgers = 64
	delay := 100 * time.Millisecond
	e := botstest.NewEnv(b, botstest.Options{RealTime: true, NoSync: noSync, Tune: func(c *bots.Config) { c.CampaignEditDelay = delay }})
	e.Say("alice", "/community create Club lang en")
	e.Say("alice", "/campaign new donation Oven goal 1 000 000 until in 60 days keep-it-all")
	if len(e.Snapshot().Communities[0].Campaigns) != 1 {
		b.Fatal("no campaign")
	}
	for i := range pledgers {
		e.Say(fmt.Sprintf("m%d", i), "hello")
	}
	var edits atomic.Int64
	e.Sent.Fail = func(m bots.Message) error {
		if m.Edit {
			edits.Add(1)
		}
		return nil
	}
	e.Dispatcher.Poll = delay / 4
	e.Bot.OnOutbox(e.Dispatcher.Wake)
	ctx, cancel := context.WithCancel(context.Background())
	var disp sync.WaitGroup
	disp.Go(func() { _ = e.Dispatcher.Run(ctx) })
	events := make([]bots.Event, b.N)
	for i := range events {
		events[i] = e.Event(fmt.Sprintf("m%d", i%pledgers), fmt.Sprintf("/pledge C1 %d", 10+i%50))
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range pledgers {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				out, err := e.Bot.Handle(ctx, events[i])
				if err != nil || len(out) != 1 || !out[0].Direct {
					b.Errorf("pledge refused: %v %v", err, botstest.Texts(out))
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	time.Sleep(2 * delay) // the last edit
	cancel()
	disp.Wait()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "pledges/s")
	b.ReportMetric(float64(edits.Load())/(elapsed+2*delay).Seconds(), "edits/s")
	b.ReportMetric(float64(time.Second/delay), "edits/s-bound")
}
