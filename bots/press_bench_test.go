package bots_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
)

// BenchmarkPressHandle handles one button press, a new member's ballot on a
// single-choice poll of a group, through bots, core and bbolt (fsync off, so
// that the figure is the work of a press: allocations and CPU), the poll's
// message edit queued as the adapters have it. Its allocs/op is the press
// path's allocation figure (issue #16, item 3).
func BenchmarkPressHandle(b *testing.B) {
	e := botstest.NewEnv(b, botstest.Options{NoSync: true, Lang: "en"})
	e.Say("alice", "/community create Bench lang en")
	e.Say("alice", "/poll new single Where do we meet? | Library | Café | Park | Garden")
	var poll bots.Message
	for _, m := range e.Sent.Messages() {
		if len(m.Buttons) > 0 {
			poll = m
		}
	}
	if len(poll.Buttons) == 0 {
		b.Fatal("no poll message")
	}
	k := 0
	b.ReportAllocs()
	for b.Loop() {
		k++
		ev := e.Event(fmt.Sprintf("m%07d", k), "")
		ev.Kind, ev.Action = bots.KindAction, poll.Buttons[0][k%len(poll.Buttons[0])].Token
		out, err := e.Bot.Handle(context.Background(), ev)
		if err != nil || len(out) != 1 {
			b.Fatalf("got %v, %v", out, err)
		}
	}
}
