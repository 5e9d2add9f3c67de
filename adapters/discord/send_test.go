package discord_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/discord"
	"github.com/engage-org/engage/adapters/discord/discordtest"
	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/core"
)

// sender is an adapter that only sends (not started).
func sender(t testing.TB, fake *discordtest.Server) *discord.Adapter {
	t.Helper()
	ad, err := discord.New(discord.Config{Token: fake.Token, APIURL: fake.URL(), Handler: nobody{}, Texts: texts})
	if err != nil {
		t.Fatal(err)
	}
	return ad
}

// Ensure a burst of messages to one channel keeps within its rate limit: the
// adapter waits for the bucket instead of collecting 429s.
func TestSend_WithinLimits(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	fake.Limit, fake.Window = 3, 300*time.Millisecond
	ad := sender(t, fake)
	for i := range 10 {
		if _, err := ad.Send(t.Context(), bots.Message{Platform: "discord", ChatID: "901", Text: "message " + string(rune('A'+i))}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(fake.Messages("901")); n != 10 {
		t.Fatalf("got %d messages, want 10", n)
	}
	if n := fake.Limited(); n != 0 {
		t.Fatalf("got %d 429s, want none", n)
	}
}

// Ensure a 429 is waited out (retry_after) and the message sent; when the
// context cannot wait, the error says to retry after Discord's delay.
func TestSend_429(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	ad := sender(t, fake)
	fake.Force("/channels/901/messages", 1)
	if _, err := ad.Send(t.Context(), bots.Message{ChatID: "901", Text: "hello"}); err != nil {
		t.Fatal(err)
	}
	if len(fake.Messages("901")) != 1 || fake.Limited() != 1 {
		t.Fatalf("got %d messages after %d 429s", len(fake.Messages("901")), fake.Limited())
	}
	fake.Force("/channels/901/messages", 1)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	_, err := ad.Send(ctx, bots.Message{ChatID: "901", Text: "hello again"})
	if core.ErrorCode(err) != core.CodeUnavailable {
		t.Fatalf("got %v, want unavailable", err)
	}
	if wait, ok := outbox.RetryAfter(err); !ok || wait != 50*time.Millisecond {
		t.Fatalf("got retry after %v %v, want 50ms", wait, ok)
	}
}

// Ensure a message with a Ref is a card, edited in place; a card whose message
// is gone is sent anew.
func TestSend_EditInPlace(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	ad := sender(t, fake)
	m := bots.Message{ChatID: "901", Text: "📊 V1 Where?\nNashville: 1", Ref: "poll:c1:V1",
		Buttons: [][]bots.Button{{{Label: "Nashville", Token: "TOKN"}, {Label: "Memphis", Token: "TOKM"}}}}
	id, err := ad.Send(t.Context(), m)
	if err != nil {
		t.Fatal(err)
	}
	m.Text, m.Edit, m.EditID = "📊 V1 Where?\nNashville: 2", true, id
	id2, err := ad.Send(t.Context(), m)
	if err != nil || id2 != id {
		t.Fatalf("got %q %v, want the same message %q", id2, err, id)
	}
	msgs := fake.Messages("901")
	if len(msgs) != 1 || msgs[0].Edits != 1 || msgs[0].Embeds[0].Description != "Nashville: 2" || msgs[0].Embeds[0].Title != "📊 V1 Where?" {
		t.Fatalf("got %+v", msgs)
	}
	if b := msgs[0].Button("Memphis"); b == nil || b.CustomID != "b:TOKM" {
		t.Fatalf("got buttons %+v", msgs[0].Components)
	}
	m.EditID = "999"
	id3, err := ad.Send(t.Context(), m)
	if err != nil || id3 == id {
		t.Fatalf("got %q %v, want a new message", id3, err)
	}
}

// Ensure long texts are split, direct messages go through the user's channel,
// attachments are uploaded, and a user who takes no direct message is an error
// not worth retrying.
func TestSend_SplitDirectAttachment(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	ad := sender(t, fake)
	long := strings.Repeat("A line of the digest.\n", 250)
	_, err := ad.Send(t.Context(), bots.Message{Direct: true, UserID: "1002", Text: long,
		Buttons:    [][]bots.Button{{{Label: "OK", Token: "TOK"}}},
		Attachment: &bots.Attachment{Name: "meeting.ics", Type: "text/calendar", Data: []byte("BEGIN:VCALENDAR")}})
	if err != nil {
		t.Fatal(err)
	}
	msgs := fake.DMs("1002")
	if len(msgs) != 3 {
		t.Fatalf("got %d messages, want 3", len(msgs))
	}
	for i, m := range msgs {
		if len([]rune(m.Content)) > 2000 {
			t.Fatalf("message %d has %d characters", i, len([]rune(m.Content)))
		}
		if (i == 2) != (len(m.Buttons()) == 1) || (i == 2) != (len(m.Files) == 1) {
			t.Fatalf("message %d: buttons %d, files %d; want them on the last", i, len(m.Buttons()), len(m.Files))
		}
	}
	if f := msgs[2].Files[0]; f.Name != "meeting.ics" || string(f.Data) != "BEGIN:VCALENDAR" || f.Type != "text/calendar" {
		t.Fatalf("got %+v", f)
	}
	fake.RefuseDMs("1003")
	_, err = ad.Send(t.Context(), bots.Message{Direct: true, UserID: "1003", Text: "hi"})
	if core.ErrorCode(err) != core.CodeForbidden {
		t.Fatalf("got %v, want forbidden", err)
	}
	// An ephemeral answer outside an interaction goes directly.
	if _, err := ad.Send(t.Context(), bots.Message{ChatID: "901", Ephemeral: true, UserID: "1002", Text: "only you"}); err != nil {
		t.Fatal(err)
	}
	if len(fake.Messages("901")) != 0 || len(fake.DMs("1002")) != 4 {
		t.Fatal("an ephemeral message was posted in the channel")
	}
	// No mention pings anybody.
	for _, r := range fake.Requests() {
		if strings.Contains(r.Path, "/messages") && !strings.Contains(r.Body, `"allowed_mentions":{"parse":[]`) {
			t.Fatalf("a message without allowed_mentions: %s", r.Body)
		}
	}
}

// nobody is a handler that answers nothing.
type nobody struct{}

func (nobody) Handle(context.Context, bots.Event) ([]bots.Message, error) { return nil, nil }
func (nobody) Suggest(context.Context, bots.Event, string, string) ([]bots.Suggestion, error) {
	return nil, nil
}

// testMessage is a tally-like message with a row of buttons.
func testMessage(channel, text string) bots.Message {
	return bots.Message{Platform: bots.PlatformDiscord, ChatID: channel, Text: text,
		Buttons: [][]bots.Button{{{Label: "Nashville", Token: "TOKN"}, {Label: "Memphis", Token: "TOKM"}, {Label: "Knoxville", Token: "TOKK"}}}}
}
