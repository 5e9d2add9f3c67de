package slack_test

import (
	"strings"
	"testing"

	"github.com/engage-org/engage/adapters/slack/slackfake"
)

// receipts counts the ballot receipts shown to user alone (in English or French).
func (h *harness) receipts(user, poll string) int {
	n := 0
	for _, m := range h.fake.Messages("") {
		if m.Ephemeral && m.User == user && (strings.Contains(m.Text, "Your ballot in "+poll) || strings.Contains(m.Text, "Votre bulletin pour "+poll)) {
			n++
		}
	}
	return n
}

// Ensure a poll works in a Slack channel: a single-choice poll takes ballots from
// its buttons, a majority-judgment poll from a modal with a menu of grades per
// option; receipts go to each voter alone; a retried event counts once; and the
// poll message is updated in place with chat.update.
func TestPoll_ButtonsModalAndTally(t *testing.T) {
	h := newHarness(t, options{})
	h.community()
	h.fake.Slash("T1", "C1", "U1", "poll new single Where do we meet? | Nashville | Knoxville | Memphis")
	poll := h.fake.WaitText("C1", "V1 · Where do we meet?")
	if bs := slackfake.Buttons(poll.Blocks); len(bs) != 3 || bs[0].Label != "Nashville" {
		t.Fatalf("got buttons %+v, want one per option", bs)
	}
	h.fake.Press("U1", poll, "Nashville")
	h.fake.Press("U2", poll, "Knoxville")
	h.fake.Mention("T1", "C1", "U3", "vote V1 Memphis", "EvBallot", 0)
	h.fake.Wait("three receipts", func() bool {
		return h.receipts("U1", "V1") == 1 && h.receipts("U2", "V1") == 1 && h.receipts("U3", "V1") == 1
	})
	h.fake.Mention("T1", "C1", "U3", "vote V1 Memphis", "EvBallot", 1) // Slack retries it
	h.fake.Slash("T1", "C1", "U1", "polls")                            // a later command of the same chat
	h.fake.WaitText("C1", "Open polls")
	if got := h.receipts("U3", "V1"); got != 1 {
		t.Fatalf("got %d receipts for chloé's ballot, want 1", got)
	}
	poll = h.edited(poll, "3 ballots")
	if !strings.Contains(poll.Text, "Nashville — 1") {
		t.Fatalf("got tally %q, want one ballot for Nashville", poll.Text)
	}

	// A ballot that is not one press: the Vote button opens the ballot as a modal.
	h.fake.Slash("T1", "C1", "U1", "poll new judgment Which project first? | Oven | Shed")
	mj := h.fake.WaitText("C1", "V2 · Which project first?")
	h.fake.Press("U2", mj, "Vote")
	v := h.fake.WaitView(1)
	if len(v.Inputs) != 2 || v.Inputs[0].Type != "static_select" || len(v.Inputs[0].Options) != 6 {
		t.Fatalf("got modal %+v, want a menu of six grades per option", v)
	}
	h.fake.Submit(v, map[string]string{"o1": "excellent", "o2": "fair"})
	h.fake.Wait("bob's receipt", func() bool { return h.receipts("U2", "V2") == 1 })
	h.edited(mj, "1 ballot")
	for _, p := range h.snapshot().Polls {
		want := map[string]int{"V1": 3, "V2": 1}[p.ID]
		if p.Ballots != want {
			t.Fatalf("got %d ballots in %s, want %d", p.Ballots, p.ID, want)
		}
	}
	// Closed, the poll's result comes with its chart, uploaded to the channel; the
	// poll message loses its buttons.
	h.fake.Slash("T1", "C1", "U1", "poll V1 close")
	h.fake.Wait("the result's chart", func() bool { return len(h.fake.Files()) > 0 })
	if f := h.fake.Files()[0]; f.Channel != "C1" || !strings.HasSuffix(f.Name, ".png") || len(f.Data) < 100 {
		t.Fatalf("got file %s in %s (%d bytes), want a chart in C1", f.Name, f.Channel, len(f.Data))
	}
	closed := h.edited(poll, "Closed")
	if bs := slackfake.Buttons(closed.Blocks); len(bs) != 0 {
		t.Fatalf("got buttons %+v on the closed poll, want none", bs)
	}
}
