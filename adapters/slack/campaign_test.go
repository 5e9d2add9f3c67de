package slack_test

import (
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/slack/slackfake"
)

// Ensure a pledge works end to end in Slack: the campaign's card carries amount
// buttons and a form button; a press pledges, the form opens as a modal whose
// answer changes the pledge (with a reward chosen in a menu), receipts are shown
// to the backer alone, and the card is updated in place with chat.update.
func TestCampaign_PledgeThroughModal(t *testing.T) {
	h := newHarness(t, options{})
	h.community()
	h.fake.Slash("T1", "C1", "U1", "campaign new reward Community oven goal 1000 EUR until 2026-12-31")
	first := h.fake.WaitText("C1", "C1 Community oven")
	h.fake.Slash("T1", "C1", "U1", "reward C1 30 A loaf of bread limit 10")
	h.fake.WaitMessage("the reward's confirmation", func(m slackfake.Message) bool { return strings.Contains(m.Text, "Reward R1") })
	// The card's edits are throttled: once the delay is past, the card is updated
	// in place with chat.update.
	card := h.edited(first, "A loaf of bread")
	// A preset amount, pressed.
	h.fake.Press("U2", card, "10")
	h.fake.WaitMessage("bob's receipt", func(m slackfake.Message) bool {
		return m.Ephemeral && m.User == "U2" && strings.Contains(m.Text, "You pledged to C1")
	})

	// Another amount: the form, as a modal, with the reward in a menu.
	h.fake.Press("U2", card, "Another amount")
	v := h.fake.WaitView(1)
	if len(v.Inputs) != 2 || v.Inputs[0].BlockID != "amount" || v.Inputs[1].BlockID != "reward" || v.Inputs[1].Type != "static_select" || !v.Inputs[1].Optional {
		t.Fatalf("got modal %+v, want an amount and an optional reward menu", v)
	}
	h.fake.Submit(v, map[string]string{"amount": "40", "reward": "R1"})
	h.fake.WaitMessage("bob's changed pledge", func(m slackfake.Message) bool {
		return m.Ephemeral && m.User == "U2" && strings.Contains(m.Text, "is changed") && strings.Contains(m.Text, "40")
	})
	// A bad amount in the form is refused, in the backer's language, and changes nothing.
	h.fake.Press("U3", card, "Another amount")
	v = h.fake.WaitView(2)
	h.fake.Submit(v, map[string]string{"amount": "beaucoup"})
	h.fake.WaitMessage("chloé's refusal", func(m slackfake.Message) bool {
		return m.Channel == "C1" && strings.Contains(m.Text, "beaucoup")
	})

	h.edited(card, "40")
	c := h.snapshot().Campaigns[0]
	if c.Pledged != 4000 || c.Backers != 1 || c.Rewards[0].Taken != 1 {
		t.Fatalf("got campaign %+v, want 40.00 EUR from one backer with reward R1", c)
	}
	if len(h.fake.Calls("chat.update")) == 0 {
		t.Fatal("no chat.update call")
	}
}

// edited moves the bot's clock past the throttle of edits and waits until m was
// updated in place to a text containing sub; it returns the message as it stands.
func (h *harness) edited(m slackfake.Message, sub string) slackfake.Message {
	h.t.Helper()
	h.env.Clock.Set(h.env.Clock.Now().Add(10 * time.Second))
	var got slackfake.Message
	h.fake.Wait("message "+m.TS+" updated with "+sub, func() bool {
		for _, x := range h.fake.Messages(m.Channel) {
			if x.TS == m.TS && x.Edits > m.Edits && strings.Contains(x.Text, sub) {
				got = x
				return true
			}
		}
		return false
	})
	return got
}
