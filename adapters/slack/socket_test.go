package slack_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/engage-org/engage/adapters/slack/slackfake"
	"github.com/engage-org/engage/core"
)

// Ensure /engage runs the chat language in a channel: the community is created,
// the project announced with buttons, and a press runs the button's command as the
// presser, answered only to them.
func TestSocket_SlashAndButtons(t *testing.T) {
	h := newHarness(t, options{})
	h.community()
	c := h.snapshot()
	if c.Name != "Garden Club" || len(c.Chats) != 1 || c.Chats[0].Platform != "slack" || c.Chats[0].ChatID != "C1" {
		t.Fatalf("got community %+v, want Garden Club on slack C1", c)
	}
	if got := c.Projects[0].Followers; got != 1 {
		t.Fatalf("got %d followers, want 1", got)
	}
	// Names come from users.info.
	names := map[string]bool{}
	for _, m := range c.Members {
		names[m.Name] = true
	}
	if !names["Alice"] || !names["Bob"] {
		t.Fatalf("got members %+v, want Alice and Bob by their display names", c.Members)
	}
	// Buttons carry the bot's tokens in action_id and value.
	m := h.fake.WaitText("C1", "New project P1")
	bs := slackfake.Buttons(m.Blocks)
	if len(bs) != 2 || bs[0].Value == "" || bs[0].ActionID != "engage:"+bs[0].Value {
		t.Fatalf("got buttons %+v, want Follow and Like carrying their tokens", bs)
	}
}

// Ensure text from people is escaped for mrkdwn: it cannot ping the channel or
// hide a link.
func TestSocket_Escaped(t *testing.T) {
	h := newHarness(t, options{})
	h.community()
	h.fake.Slash("T1", "C1", "U1", "news P1 Beds <!channel> & <https://evil.example|here> are in")
	m := h.fake.WaitText("C1", "Beds")
	text := slackfake.SectionText(m.Blocks)
	if strings.Contains(text, "<!channel>") || strings.Contains(text, "<https://") {
		t.Fatalf("got %q, want markup escaped", text)
	}
	if !strings.Contains(text, "&amp;") {
		t.Fatalf("got %q, want & escaped", text)
	}
}

// Ensure a mention of the app runs a command, and a retried event (same event_id)
// changes nothing and is answered once.
func TestSocket_MentionRetriedOnce(t *testing.T) {
	h := newHarness(t, options{})
	h.community()
	h.fake.Mention("T1", "C1", "U1", "like P1", "Ev100", 0)
	h.fake.WaitText("C1", "You like P1")
	h.fake.Mention("T1", "C1", "U1", "like P1", "Ev100", 1)
	h.fake.Mention("T1", "C1", "U1", "like P1", "Ev100", 2)
	// A later, distinct event of the same chat is handled after the retries: once
	// its answer is seen, the retries have been dealt with.
	h.fake.Mention("T1", "C1", "U1", "news P1 First beds are in", "Ev101", 0)
	h.fake.WaitText("C1", "First beds are in")
	if got := h.snapshot().Projects[0].Likes; got != 1 {
		t.Fatalf("got %d likes, want 1", got)
	}
	n := 0
	for _, m := range h.fake.Messages("C1") {
		if strings.Contains(m.Text, "You like P1") {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("got the answer posted %d times in C1, want 1", n)
	}
}

// Ensure a button that asks for text opens a modal with the press's trigger, and
// the modal's answer runs the command in the chat where the button was.
func TestSocket_FormModal(t *testing.T) {
	h := newHarness(t, options{})
	h.community()
	h.fake.Slash("T1", "C1", "U1", "news P1")
	v := h.fake.WaitView(1)
	if v.CallbackID != "engage_form" || v.Submit != "Send" || v.Close != "Cancel" || len(v.Inputs) != 1 || v.Inputs[0].BlockID != "text" || !v.Inputs[0].Multiline {
		t.Fatalf("got modal %+v, want one multiline input 'text' with Send and Cancel", v)
	}
	h.fake.Submit(v, map[string]string{"text": "Compost is ready"})
	h.fake.WaitText("C1", "Compost is ready")
	// The follower gets it by direct message: conversations.open, then a post in
	// the DM channel.
	h.fake.WaitText(slackfake.DM("U2"), "Compost is ready")
	if len(h.fake.Calls("conversations.open")) == 0 {
		t.Fatal("no conversations.open call for the direct message")
	}
	// The next step form has two fields; the optional date may be left empty.
	h.fake.Slash("T1", "C1", "U1", "nextstep P1")
	v = h.fake.WaitView(2)
	if len(v.Inputs) != 2 || v.Inputs[1].BlockID != "due" || !v.Inputs[1].Optional {
		t.Fatalf("got modal %+v, want text and an optional due", v)
	}
	h.fake.Submit(v, map[string]string{"text": "Build the shed", "due": "2026-12-15"})
	h.fake.WaitText("C1", "Build the shed")
	ns := h.snapshot().Projects[0].NextStep
	if ns == nil || ns.Text != "Build the shed" || ns.Due == nil || !ns.Shared {
		t.Fatalf("got next step %+v, want 'Build the shed' by 2026-12-15, shared", ns)
	}
}

// Ensure a mention names a member exactly: /engage role <@U2|bob> facilitator.
func TestSocket_MentionsResolved(t *testing.T) {
	h := newHarness(t, options{})
	h.community()
	h.fake.Slash("T1", "C1", "U1", "role <@U2|bob> facilitator")
	h.fake.WaitText("C1", "facilitator")
	for _, m := range h.snapshot().Members {
		if m.Name == "Bob" && m.Role != core.RoleFacilitator {
			t.Fatalf("got Bob %s, want facilitator", m.Role)
		}
	}
}

// Ensure text written to the app directly goes to the bot as a direct message, and
// its answer comes back in the direct conversation.
func TestSocket_DirectMessage(t *testing.T) {
	h := newHarness(t, options{})
	h.community()
	h.fake.Direct("T1", "U2", "hello there", "Ev200", 0)
	m := h.fake.WaitMessage("an answer in bob's DM", func(m slackfake.Message) bool { return m.Channel == slackfake.DM("U2") })
	if m.Text == "" {
		t.Fatal("empty answer")
	}
	// A message the app itself posted in the DM is not an event for the bot.
	before := len(h.fake.Messages(""))
	env := h.fake.EventCallback(team1, "Ev201", map[string]any{
		"type": "message", "channel_type": "im", "user": "UBOT", "bot_id": "BT1", "text": "echo", "channel": slackfake.DM("U2"), "ts": "1.1",
	})
	id := h.fake.Envelope(team1, "events_api", env, 0)
	h.fake.WaitAck(id)
	// A command typed without its slash (Slack keeps a leading slash for itself).
	h.fake.Direct("T1", "U2", "projects", "Ev202", 0)
	h.fake.WaitText(slackfake.DM("U2"), "P1 Garden")
	for _, m := range h.fake.Messages("")[before:] {
		if strings.Contains(m.Text, "echo") {
			t.Fatalf("the app answered its own message: %q", m.Text)
		}
	}
}

// Ensure a payload the adapter does not understand is acknowledged all the same,
// so Slack does not send it again, and changes nothing.
func TestSocket_BadEnvelopeAcked(t *testing.T) {
	h := newHarness(t, options{})
	id := h.fake.Envelope(team1, "interactive", map[string]any{"type": "block_actions", "user": map[string]any{"id": "U1"}, "actions": json.RawMessage(`"nope"`)}, 0)
	h.fake.WaitAck(id)
	id = h.fake.Envelope(team1, "events_api", map[string]any{"type": "event_callback", "event": map[string]any{"type": "reaction_added"}}, 0)
	h.fake.WaitAck(id)
	if got := len(h.env.Snapshot().Communities); got != 0 {
		t.Fatalf("got %d communities, want none", got)
	}
}

// Ensure a command typed in a private channel the app was not invited to is
// answered through the command's response URL.
func TestSocket_AnswerThroughResponseURL(t *testing.T) {
	h := newHarness(t, options{})
	h.fake.Uninvited("G7")
	h.fake.Slash("T1", "G7", "U1", "help")
	m := h.fake.WaitMessage("the help through the response url", func(m slackfake.Message) bool { return m.Channel == "G7" })
	if !m.ViaResponseURL || !strings.Contains(m.Text, "community create") {
		t.Fatalf("got %+v, want the help posted through the response url", m)
	}
}

// The time from a slash command to its answer in the channel, through Socket
// Mode, the bot on bbolt and chat.postMessage (Slack's pace left out: at 300 posts
// a minute the workspace's budget would be what is measured).
func BenchmarkSocket_CommandToAnswer(b *testing.B) {
	h := newHarnessTB(b, options{})
	h.fake.Slash("T1", "C1", "U1", "community create Bench lang en")
	h.fake.WaitText("C1", "Bench")
	for b.Loop() {
		h.ad.ResetLimits()
		before := len(h.fake.Messages("C1"))
		h.fake.Slash("T1", "C1", "U1", "projects")
		h.fake.Wait("the answer", func() bool { return len(h.fake.Messages("C1")) > before })
	}
}

// Ensure the adapter reconnects when Slack asks it to (a connection refresh), and
// deliveries go on through the new connection.
func TestSocket_Reconnect(t *testing.T) {
	h := newHarness(t, options{})
	n := h.fake.Disconnect(team1.AppToken)
	h.fake.WaitReconnected(team1.AppToken, n)
	h.fake.Slash("T1", "C1", "U1", "community create After Refresh lang en")
	h.fake.WaitText("C1", "After Refresh")
}
