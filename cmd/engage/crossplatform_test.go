package main

import (
	"context"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/console"
	"github.com/engage-org/engage/adapters/slack/slackfake"
	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/core"
)

// crossPlatform is the service's wiring with two platforms at once: Slack (the
// adapter as `engage run` builds it, against a fake Slack) and the console (lines
// written to it, its output read back).
type crossPlatform struct {
	t    *testing.T
	fake *slackfake.Server
	app  *app
	in   *io.PipeWriter
	out  *syncBuffer
	seen int // how much console output was already matched
}

func newCrossPlatform(t *testing.T) *crossPlatform {
	t.Helper()
	f := slackFake(t, e2eTeam)
	cfg := DefaultConfig()
	cfg.Store.Path = filepath.Join(t.TempDir(), "engage.db")
	cfg.Community.Lang = "en"
	cfg.Slack.BotToken, cfg.Slack.AppToken, cfg.Slack.APIURL = e2eTeam.BotToken, e2eTeam.AppToken, f.APIURL()
	log := newLogger(LogConfig{Level: "error"}, io.Discard)
	a, err := openApp(cfg, time.Now, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	set, err := buildAdapters(ctx, cfg, a)
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	cp := &crossPlatform{t: t, fake: f, app: a, in: pw, out: &syncBuffer{}}
	disp := outbox.NewDispatcher(a.eng, a.bot, set.senders, log, nil)
	disp.Poll = 100 * time.Millisecond
	con := console.New(console.Config{
		In: pr, Out: cp.out, Handler: a.bot, Now: a.eng.Now, Lang: "en",
		Flush:   func(context.Context) error { disp.Wake(); return nil }, // the dispatcher sends for both platforms
		Advance: func(context.Context, time.Time) error { return nil },   // the scheduler runs on its own
	})
	set.senders[bots.PlatformConsole] = con
	a.bot.OnOutbox(disp.Wake)
	var wg sync.WaitGroup
	for _, s := range append(set.services, disp, a.sched) {
		wg.Go(func() { _ = s.Run(ctx) })
	}
	wg.Go(func() {
		if err := con.Run(ctx); err != nil {
			t.Errorf("console: %v", err)
		}
	})
	t.Cleanup(func() {
		_ = pw.Close()
		cancel()
		wg.Wait()
		_ = a.Close()
	})
	f.WaitConnected(e2eTeam.AppToken)
	return cp
}

// say writes a console line.
func (cp *crossPlatform) say(line string) {
	cp.t.Helper()
	if _, err := io.WriteString(cp.in, line+"\n"); err != nil {
		cp.t.Fatal(err)
	}
}

// expect waits for console output matching re after what was matched before, and
// returns the match.
func (cp *crossPlatform) expect(re string) []string {
	cp.t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(10 * time.Second)
	for {
		out := cp.out.String()
		if loc := rx.FindStringSubmatchIndex(out[cp.seen:]); loc != nil {
			m := rx.FindStringSubmatch(out[cp.seen:])
			cp.seen += loc[1]
			return m
		}
		if time.Now().After(deadline) {
			cp.t.Fatalf("no console output matching %q; after %d bytes it printed:\n%s", re, cp.seen, out[cp.seen:])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// snapshot reads the state while the service runs.
func (cp *crossPlatform) snapshot() core.CommunitySnapshot {
	cp.t.Helper()
	var s *core.Snapshot
	if err := cp.app.eng.View(context.Background(), func(tx *core.Tx) error {
		var err error
		s, err = tx.Snapshot()
		return err
	}); err != nil {
		cp.t.Fatal(err)
	}
	return s.Communities[0]
}

// link makes the console's group a community, joined by Slack channel C1, with
// project P1 announced in both.
func (cp *crossPlatform) link() slackfake.Message {
	cp.t.Helper()
	cp.say("alice: /community create Garden Club lang en")
	cp.expect(`\[group\] .*Garden Club`)
	cp.say("alice: /community invite")
	code := cp.expect(`join ([A-Z0-9-]+)`)[1]
	cp.fake.Slash("T1", "C1", "U1", "community join "+code)
	cp.fake.WaitText("C1", "joined the community")
	cp.expect(`\[group\] .*slack chat joined`)
	cp.say("alice: /project new Garden — a shared garden")
	cp.expect(`\[group\] .*New project P1`)
	return cp.fake.WaitText("C1", "New project P1")
}

// Ensure one community spans a Slack channel and the console: what is done on one
// platform counts in the same community, and fan-out reaches both.
func TestCrossPlatform_SlackAndConsole(t *testing.T) {
	t.Parallel()
	cp := newCrossPlatform(t)
	announce := cp.link()
	c := cp.snapshot()
	if len(c.Chats) != 2 || c.Chats[0].Platform != "console" || c.Chats[1].Platform != "slack" {
		t.Fatalf("got chats %+v, want the console's group and slack C1", c.Chats)
	}
	// Likes from both platforms count on one project.
	cp.fake.Press("U2", announce, "Like")
	cp.fake.WaitText("C1", "You like P1 Garden (1 like in all)")
	cp.say("carol: /like P1")
	cp.expect(`\[dm carol\] .*You like P1 Garden \(2 likes in all\)`)
	// A follower on Slack gets the console's news by direct message; the news is
	// posted in both chats.
	cp.fake.Press("U2", announce, "Follow")
	cp.fake.WaitMessage("bob's follow receipt", func(m slackfake.Message) bool {
		return m.Ephemeral && m.User == "U2" && strings.Contains(m.Text, "You follow P1")
	})
	cp.say("alice: /news P1 Compost delivered")
	cp.expect(`\[group\] .*Compost delivered`)
	cp.fake.WaitText("C1", "Compost delivered")
	cp.fake.WaitText(slackfake.DM("U2"), "Compost delivered")
	if p := cp.snapshot().Projects[0]; p.Likes != 2 || p.Followers != 1 {
		t.Fatalf("got %+v, want 2 likes and 1 follower", p)
	}
	members := map[string]string{}
	for _, m := range cp.snapshot().Members {
		members[m.Name] = strings.Join(m.Platforms, ",")
	}
	if members["Bob"] != "slack" || members["carol"] != "console" {
		t.Fatalf("got members %v, want Bob on slack and carol on the console", members)
	}

}

// Ensure pledges made on Slack (through its modal) and on the console count in one
// campaign total, and the campaign's card is updated in place on both platforms.
func TestCrossPlatform_PledgesOneTotal(t *testing.T) {
	t.Parallel()
	cp := newCrossPlatform(t)
	cp.link()
	until := time.Now().AddDate(0, 2, 0).Format("2006-01-02")
	cp.say("alice: /campaign new donation Community oven goal 500 EUR until " + until)
	cp.expect(`\[group\] 💶 C1 Community oven`)
	card := cp.fake.WaitText("C1", "C1 Community oven")
	cp.fake.Press("U2", card, "Another amount")
	cp.fake.Submit(cp.fake.WaitView(1), map[string]string{"amount": "40"})
	cp.fake.WaitMessage("bob's receipt", func(m slackfake.Message) bool { return m.Ephemeral && m.User == "U2" })
	cp.say("carol: /pledge C1 60")
	cp.expect(`\[dm carol\] Thank you! You pledged to C1`)
	// Both cards end up showing the one total.
	cp.expect(`\[group\] \(edit\) 💶 C1 Community oven[^\n]*\n[^\n]*€100\.00 of €500\.00 · 2 backers`)
	cp.fake.Wait("the Slack card updated to the one total", func() bool {
		for _, m := range cp.fake.Messages("C1") {
			if m.TS == card.TS && m.Edits > 0 && strings.Contains(m.Text, "2 backers") {
				return true
			}
		}
		return false
	})
	if c := cp.snapshot().Campaigns[0]; c.Pledged != 10000 || c.Backers != 2 {
		t.Fatalf("got campaign %+v, want 100.00 EUR from two backers", c)
	}
}

// Ensure ballots cast on Slack (a button) and on the console (a button there) count
// in one tally, and the poll message is updated in place on both platforms.
func TestCrossPlatform_BallotsOneTally(t *testing.T) {
	t.Parallel()
	cp := newCrossPlatform(t)
	cp.link()
	cp.say("alice: /poll new single Where do we meet? | Nashville | Knoxville")
	cp.expect(`\[group\] 🗳 V1 · Where do we meet\?`)
	poll := cp.fake.WaitText("C1", "V1 · Where do we meet?")
	cp.fake.Press("U2", poll, "Knoxville")
	cp.fake.WaitMessage("bob's receipt", func(m slackfake.Message) bool { return m.Ephemeral && m.User == "U2" })
	cp.say("carol [2]") // Knoxville, on the console's poll message
	cp.expect(`\[dm carol\] 🗳 Your ballot in V1 is counted: Knoxville`)
	cp.expect(`\[group\] \(edit\) 🗳 V1 · Where do we meet\?(?s:.*?)2\. Knoxville — 2 \(100%\)(?s:.*?)2 ballots`)
	cp.fake.Wait("the Slack poll message updated to the one tally", func() bool {
		for _, m := range cp.fake.Messages("C1") {
			if m.TS == poll.TS && m.Edits > 0 && strings.Contains(m.Text, "Knoxville — 2 (100%)") {
				return true
			}
		}
		return false
	})
	for _, p := range cp.snapshot().Polls {
		if p.ID == "V1" && p.Ballots != 2 {
			t.Fatalf("got %d ballots, want 2", p.Ballots)
		}
	}
}
