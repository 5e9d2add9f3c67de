package bots_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
)

// lastShown returns the last message sent under ref, posted or edited.
func lastShown(msgs []bots.Message, ref string) (bots.Message, bool) {
	var last bots.Message
	found := false
	for _, m := range msgs {
		if m.Ref == ref {
			last, found = m, true
		}
	}
	return last, found
}

// Ensure a live message is rendered when it is sent, not when it is queued: the
// posted poll and campaign card show the state of their send, and a burst of
// changes makes one edit with the last figures.
func TestLive_RenderedAtSend(t *testing.T) {
	e := campaignEnv(t, "en", func(c *bots.Config) { c.CampaignEditDelay = 5 * time.Second })
	e.Say("alice", "/poll new single Bread or cake? | Bread | Cake")
	settle(t, e)
	for _, who := range []string{"bob", "carol", "dan"} {
		e.Say(who, "/vote V1 Bread")
		e.Say(who, "/pledge C1 10")
	}
	for _, m := range e.Sent.Messages() {
		if m.Edit && (m.Ref == "poll:"+commOf(t, e)+":V1" || strings.HasPrefix(m.Ref, "campaign:")) {
			t.Fatalf("edit sent before its delay: %+v", m)
		}
	}
	settle2 := func() []bots.Message {
		e.Clock.Set(e.Clock.Now().Add(time.Minute))
		if err := e.Dispatcher.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		return e.Sent.Messages()
	}
	sent := settle2()
	var pollEdits, cardEdits int
	for _, m := range sent {
		switch {
		case m.Edit && strings.HasPrefix(m.Ref, "poll:"):
			pollEdits++
			if !strings.Contains(m.Text, "3 ballots") {
				t.Fatalf("poll edit shows %q, want the last figures", m.Text)
			}
		case m.Edit && strings.HasPrefix(m.Ref, "campaign:"):
			cardEdits++
			if !strings.Contains(m.Text, "3 backers") {
				t.Fatalf("card edit shows %q, want the last figures", m.Text)
			}
		}
	}
	if pollEdits != 1 || cardEdits != 1 {
		t.Fatalf("%d poll edits and %d card edits, want one each", pollEdits, cardEdits)
	}
}

// commOf returns the ID of the test community.
func commOf(t *testing.T, e *botstest.Env) string {
	t.Helper()
	s := e.Snapshot()
	if len(s.Communities) != 1 {
		t.Fatalf("%d communities", len(s.Communities))
	}
	return string(s.Communities[0].ID)
}

// Ensure /forgetme re-renders every posted poll and campaign card without the
// member, including an edit that was queued before they asked to be forgotten.
func TestLive_ForgetMeRefreshes(t *testing.T) {
	e := campaignEnv(t, "en", func(c *bots.Config) { c.CampaignEditDelay = 5 * time.Second })
	e.Say("alice", "/poll new single Bread or cake? | Bread | Cake")
	e.Say("erin", "/pledge C1 40")
	e.Say("erin", "/vote V1 Cake")
	settle(t, e) // the edits showing erin are sent
	// bob's pledge queues an edit (5 s); erin asks to be forgotten before it goes.
	e.Say("bob", "/pledge C1 10")
	out := e.Say("erin", "/forgetme")
	e.Press("erin", out[0], "erase")
	e.Clock.Set(e.Clock.Now().Add(time.Minute))
	if err := e.Dispatcher.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	sent := e.Sent.Messages()
	for _, m := range sent {
		if m.Ref != "" && strings.Contains(strings.ToLower(m.Text), "erin") {
			t.Fatalf("a live message still names erin: %q", m.Text)
		}
	}
	comm := commOf(t, e)
	card, ok := lastShown(sent, "campaign:"+comm+":C1")
	if !ok || !card.Edit || !strings.Contains(card.Text, "1 backer") {
		t.Fatalf("card after /forgetme: %+v (found %v)", card, ok)
	}
	poll, ok := lastShown(sent, "poll:"+comm+":V1")
	if !ok || !poll.Edit || !strings.Contains(poll.Text, "0 ballots") {
		t.Fatalf("poll after /forgetme: %+v (found %v)", poll, ok)
	}
}

// Ensure linking two accounts that both voted shows every posted copy of the
// poll again with one ballot, not two.
func TestLive_LinkRefreshes(t *testing.T) {
	e := pollEnv(t, "en", botstest.Options{})
	e.Say("alice", "/poll new single Bread or cake? | Bread | Cake")
	e.Say("bob", "/vote V1 Bread")
	other := e.Event("bobby", "/vote V1 Cake")
	other.Platform, other.UserID, other.ChatID = "other", "U42", "chan-9"
	e.Handle(other)
	flush := func() {
		t.Helper()
		e.Clock.Set(e.Clock.Now().Add(time.Minute))
		if err := e.Dispatcher.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	flush()
	ref := "poll:" + commOf(t, e) + ":V1"
	if m, ok := lastShown(e.Sent.Messages(), ref); !ok || !strings.Contains(m.Text, "2 ballots") {
		t.Fatalf("before linking: %+v (found %v)", m, ok)
	}
	e.Sent.Reset()
	code := regexp.MustCompile(`\b[A-Z2-9]{6}\b`).FindString(e.Say("bob", ">/link")[0].Text)
	link := e.Event("bobby", "/link "+code)
	link.Platform, link.UserID, link.ChatID, link.Direct = "other", "U42", "dm:U42", true
	e.Handle(link)
	flush()
	m, ok := lastShown(e.Sent.Messages(), ref)
	if !ok || !m.Edit || !strings.Contains(m.Text, "1 ballot") {
		t.Fatalf("after linking, the poll message: %+v (found %v)", m, ok)
	}
}
