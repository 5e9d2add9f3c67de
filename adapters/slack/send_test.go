package slack_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/slack/slackfake"
	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/core"
)

func send(t *testing.T, h *harness, m bots.Message) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m.Platform = bots.PlatformSlack
	return h.ad.Send(ctx, m)
}

// Ensure a 429 is returned with Slack's Retry-After, for the dispatcher to honour,
// and holds back the next calls of that method; a 5xx is retried at once a few
// times; ok:false errors get the right codes.
func TestSend_Errors(t *testing.T) {
	h := newHarness(t, options{})
	h.fake.Fail("chat.postMessage", 1, http.StatusTooManyRequests, 7, "")
	_, err := send(t, h, bots.Message{ChatID: "C1", Text: "hello"})
	if got := core.ErrorCode(err); got != core.CodeUnavailable {
		t.Fatalf("got code %q, want unavailable", got)
	}
	if d, ok := outbox.RetryAfter(err); !ok || d != 7*time.Second {
		t.Fatalf("got retry after %v %v, want 7s", d, ok)
	}
	// The method is paused: the next post is not even tried.
	calls := len(h.fake.Calls("chat.postMessage"))
	_, err = send(t, h, bots.Message{ChatID: "C2", Text: "hello"})
	if d, ok := outbox.RetryAfter(err); !ok || d < 5*time.Second {
		t.Fatalf("got retry after %v %v during the pause, want about 7s", d, ok)
	}
	if got := len(h.fake.Calls("chat.postMessage")); got != calls {
		t.Fatalf("got %d calls during the pause, want %d", got, calls)
	}

	h2 := newHarness(t, options{})
	h2.fake.Fail("chat.postMessage", 2, http.StatusServiceUnavailable, 0, "")
	if _, err := send(t, h2, bots.Message{ChatID: "C1", Text: "after two 503"}); err != nil {
		t.Fatalf("got %v, want the third attempt to succeed", err)
	}
	h2.fake.Fail("chat.postMessage", 3, http.StatusBadGateway, 0, "")
	_, err = send(t, h2, bots.Message{ChatID: "C1", Text: "after three 502"})
	if got := core.ErrorCode(err); got != core.CodeUnavailable {
		t.Fatalf("got %q after three 5xx, want unavailable", got)
	}
	tests := []struct {
		slackErr string
		want     core.Code
	}{
		{"channel_not_found", core.CodeNotFound},
		{"is_archived", core.CodeForbidden},
		{"invalid_blocks", core.CodeInvalid},
		{"internal_error", core.CodeUnavailable},
		{"invalid_auth", core.CodeUnavailable}, // kept in the outbox: the operator may fix the token
	}
	for _, tt := range tests {
		t.Run(tt.slackErr, func(t *testing.T) {
			h2.fake.Fail("chat.postMessage", 1, http.StatusOK, 0, tt.slackErr)
			if _, err := send(t, h2, bots.Message{ChatID: "C1", Text: "x"}); core.ErrorCode(err) != tt.want {
				t.Fatalf("got %v, want %s", err, tt.want)
			}
		})
	}
}

// Ensure an edit replaces the message in place with chat.update, and that an edit
// of a message that is gone is posted anew.
func TestSend_Edit(t *testing.T) {
	h := newHarness(t, options{})
	id, err := send(t, h, bots.Message{ChatID: "C1", Text: "Tally: 0 votes"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := send(t, h, bots.Message{ChatID: "C1", Text: "Tally: 1 vote", Ref: "poll:V1", Edit: true, EditID: id})
	if err != nil || got != id {
		t.Fatalf("got %q %v, want the same id %q", got, err, id)
	}
	ms := h.fake.Messages("C1")
	if len(ms) != 1 || ms[0].Edits != 1 || ms[0].Text != "Tally: 1 vote" {
		t.Fatalf("got %+v, want one message edited once", ms)
	}
	gone, err := send(t, h, bots.Message{ChatID: "C1", Text: "Tally: 2 votes", Edit: true, EditID: "C1/1.000001"})
	if err != nil || gone == "" || gone == id {
		t.Fatalf("got %q %v, want a new message", gone, err)
	}
	if n := len(h.fake.Messages("C1")); n != 2 {
		t.Fatalf("got %d messages, want 2", n)
	}
}

// Ensure ephemeral answers use chat.postEphemeral, fall back to a direct message
// where the app cannot post, and direct messages open the conversation once.
func TestSend_EphemeralAndDirect(t *testing.T) {
	h := newHarness(t, options{})
	if _, err := send(t, h, bots.Message{ChatID: "C1", UserID: "U1", Direct: true, Ephemeral: true, Text: "only you"}); err != nil {
		t.Fatal(err)
	}
	ms := h.fake.Messages("C1")
	if len(ms) != 1 || !ms[0].Ephemeral || ms[0].User != "U1" {
		t.Fatalf("got %+v, want one ephemeral message to U1", ms)
	}
	h.fake.Fail("chat.postEphemeral", 1, http.StatusOK, 0, "not_in_channel")
	if _, err := send(t, h, bots.Message{ChatID: "C5", UserID: "U1", Direct: true, Ephemeral: true, Text: "by DM then"}); err != nil {
		t.Fatal(err)
	}
	h.fake.WaitText(slackfake.DM("U1"), "by DM then")
	for range 3 {
		if _, err := send(t, h, bots.Message{UserID: "U2", Direct: true, Text: "hi Bob"}); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(h.fake.Calls("conversations.open")); got != 2 { // U1 and U2, each once
		t.Fatalf("got %d conversations.open calls, want 2", got)
	}
}

// Ensure an attachment is uploaded to the conversation (the external upload).
func TestSend_Attachment(t *testing.T) {
	h := newHarness(t, options{})
	csv := []byte("name,amount\nalice,25\n")
	if _, err := send(t, h, bots.Message{ChatID: "C1", Text: "Pledges", Attachment: &bots.Attachment{Name: "pledges.csv", Type: "text/csv", Data: csv}}); err != nil {
		t.Fatal(err)
	}
	fs := h.fake.Files()
	if len(fs) != 1 || fs[0].Name != "pledges.csv" || fs[0].Channel != "C1" || string(fs[0].Data) != string(csv) {
		t.Fatalf("got files %+v, want pledges.csv in C1", fs)
	}
	h.fake.WaitText("C1", "Pledges")
}

// Ensure many buttons in a row become a menu whose options carry the tokens, a
// link button keeps its URL, and a long text is split in sections.
func TestSend_Rendering(t *testing.T) {
	h := newHarness(t, options{})
	var row []bots.Button
	for i := range 8 {
		row = append(row, bots.Button{Label: fmt.Sprintf("Option %d", i+1), Token: fmt.Sprintf("TOKEN%02d", i)})
	}
	long := strings.Repeat("A line of the digest.\n", 400)
	if _, err := send(t, h, bots.Message{ChatID: "C1", Text: long, Buttons: [][]bots.Button{row, {{Label: "Open", URL: "https://example.org/x"}, {Label: "Yes", Token: "YES"}}}}); err != nil {
		t.Fatal(err)
	}
	m := h.fake.Messages("C1")[0]
	bs := slackfake.Buttons(m.Blocks)
	var menu, urls, buttons int
	for _, b := range bs {
		switch {
		case b.Menu:
			menu++
			if !strings.HasPrefix(b.Value, "TOKEN") {
				t.Fatalf("menu option %+v without its token", b)
			}
		case b.URL != "":
			urls++
		default:
			buttons++
		}
	}
	if menu != 8 || urls != 1 || buttons != 1 {
		t.Fatalf("got %d options, %d links, %d buttons; want 8, 1, 1", menu, urls, buttons)
	}
	if got := slackfake.SectionText(m.Blocks); strings.Count(got, "A line of the digest.") != 400 {
		t.Fatalf("got %d lines in the sections, want 400", strings.Count(got, "A line of the digest."))
	}
	// Choosing in the menu presses that option.
	h.fake.Press("U1", m, "Option 3")
	h.fake.WaitMessage("the answer to a stale token", func(m slackfake.Message) bool { return m.Channel == "C1" && m.TS != h.fake.Messages("C1")[0].TS })
}
