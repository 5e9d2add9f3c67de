package slack_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/slack/slackfake"
)

// Ensure the weekly facilitation hour works in Slack: at the slot, the facilitator
// gets the nudge by direct message with its buttons, and a press opens the date
// poll form as a modal; the referent asked by direct message answers in free text.
func TestCheckin_WeeklyNudge(t *testing.T) {
	h := newHarness(t, options{})
	h.community()
	h.fake.Slash("T1", "C1", "U1", "role <@U2|bob> facilitator")
	h.fake.WaitText("C1", "facilitator")
	h.fake.Slash("T1", "C1", "U2", "slot wednesday 10:00")
	h.fake.WaitText("", "facilitation hour is every Wednesday")

	// The clock moves to the slot (Wednesday 2 December 2026, 10:00 UTC).
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	at := time.Date(2026, 12, 2, 10, 1, 0, 0, time.UTC)
	if err := h.env.Scheduler.Advance(ctx, at, h.env.Clock, func(context.Context) error { return nil }); err != nil {
		t.Fatal(err)
	}
	nudge := h.fake.WaitMessage("the facilitator's nudge", func(m slackfake.Message) bool {
		return m.Channel == slackfake.DM("U2") && strings.Contains(m.Text, "Your facilitation hour")
	})
	h.fake.Press("U2", nudge, "Open a date poll")
	v := h.fake.WaitView(1)
	if v.User != "U2" || len(v.Inputs) != 1 || v.Inputs[0].BlockID != "slots" || !v.Inputs[0].Optional {
		t.Fatalf("got modal %+v, want the date poll form for bob", v)
	}
	h.fake.Submit(v, map[string]string{"slots": ""})
	// The date poll opens in the community's channel, a row of yes / if need be /
	// no per slot.
	poll := h.fake.WaitText("C1", "When shall we hold the next general meeting?")
	if got := len(slackfake.Buttons(poll.Blocks)); got != 9 {
		t.Fatalf("got %d buttons on the date poll, want 3 slots × 3 answers", got)
	}
	h.fake.WaitText(slackfake.DM("U2"), "Date poll V1 is open")

	// The referent was asked the three questions by direct message.
	h.fake.WaitMessage("alice's check-in question", func(m slackfake.Message) bool {
		return m.Channel == slackfake.DM("U1") && strings.Contains(m.Text, "what is the next step?")
	})
	h.fake.Direct("T1", "U1", "we build the shed by 2026-12-20, it's posted", "EvCheckin1", 0)
	h.fake.Wait("alice's next step saved", func() bool {
		ns := h.snapshot().Projects[0].NextStep
		return ns != nil && strings.Contains(ns.Text, "shed") && ns.Due != nil
	})

	// A meeting is announced with its calendar file, uploaded to the channel.
	h.fake.Slash("T1", "C1", "U2", "meeting new 2026-12-10 19:00 General assembly")
	h.fake.WaitText("C1", "General assembly")
	h.fake.Wait("the calendar file", func() bool { return len(h.fake.Files()) > 0 })
	f := h.fake.Files()[0]
	if !strings.HasSuffix(f.Name, ".ics") || f.Channel != "C1" || !strings.Contains(string(f.Data), "BEGIN:VCALENDAR") {
		t.Fatalf("got file %s in %s (%d bytes), want a calendar file in C1", f.Name, f.Channel, len(f.Data))
	}
}
