package telegram_test

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/telegram/telegramtest"
	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/core"
)

// Ensure a long text with markup characters is escaped and split at 4096
// characters (the fake parses the HTML and refuses longer texts), the buttons on
// the last part, and nothing is lost.
func TestSendSplitsAndEscapes(t *testing.T) {
	r := newRig(t, rigOptions{fakeLimits: telegramtest.TelegramLimits.Scaled(100)})
	var b strings.Builder
	for i := 0; b.Len() < 10000; i++ {
		b.WriteString("Line " + strconv.Itoa(i) + ": <b>bold?</b> & &amp; 🌱 — “quotes”\n")
	}
	text := strings.TrimSpace(b.String())
	id, err := send(t, r, bots.Message{ChatID: strconv.FormatInt(r.group, 10), Text: text,
		Buttons: [][]bots.Button{{{Label: "Go", Token: "ABCDEFGHIJKLMNOP"}}}})
	if err != nil {
		t.Fatal(err)
	}
	msgs := r.fake.Messages(r.group)
	if len(msgs) != 3 {
		t.Fatalf("got %d parts, want 3", len(msgs))
	}
	var parts []string
	for i, m := range msgs {
		if n := len([]rune(m.Text)); n > 4096 {
			t.Fatalf("part %d has %d characters", i, n)
		}
		if (len(m.Keyboard) > 0) != (i == len(msgs)-1) {
			t.Fatalf("part %d keyboard %v", i, m.Keyboard)
		}
		parts = append(parts, m.Text)
	}
	if got := strings.Join(parts, "\n"); got != text {
		t.Fatalf("the parts do not make the text back (%d vs %d bytes)", len(got), len(text))
	}
	if id != strconv.Itoa(msgs[2].ID) {
		t.Fatalf("returned ID %s, want the last part's %d", id, msgs[2].ID)
	}
}

// Ensure edits replace the message in place, an edit that changes nothing is a
// success, and an edit of a message that is gone sends it anew.
func TestSendEdits(t *testing.T) {
	r := newRig(t, rigOptions{fakeLimits: telegramtest.TelegramLimits.Scaled(100)})
	chat := strconv.FormatInt(r.group, 10)
	btn := [][]bots.Button{{{Label: "Yes (0)", Token: "ABCDEFGHIJKLMNOP"}}}
	id, err := send(t, r, bots.Message{ChatID: chat, Text: "Tally: 0", Buttons: btn})
	if err != nil {
		t.Fatal(err)
	}
	btn[0][0].Label = "Yes (1)"
	if got, err := send(t, r, bots.Message{ChatID: chat, Text: "Tally: 1", Buttons: btn, EditID: id}); err != nil || got != id {
		t.Fatalf("edit: %q, %v", got, err)
	}
	if got, err := send(t, r, bots.Message{ChatID: chat, Text: "Tally: 1", Buttons: btn, EditID: id}); err != nil || got != id {
		t.Fatalf("edit to the same: %q, %v (not modified is a success)", got, err)
	}
	msgs := r.fake.Messages(r.group)
	if len(msgs) != 1 || msgs[0].Text != "Tally: 1" || msgs[0].Keyboard[0][0].Text != "Yes (1)" || msgs[0].Edits != 1 {
		t.Fatalf("after edits: %+v", msgs)
	}
	got, err := send(t, r, bots.Message{ChatID: chat, Text: "Tally: 2", EditID: "999"})
	if err != nil || got == id || got == "999" {
		t.Fatalf("edit of a gone message: %q, %v", got, err)
	}
	if m := r.fake.Messages(r.group); len(m) != 2 || m[1].Text != "Tally: 2" {
		t.Fatalf("edit of a gone message was not sent anew: %+v", m)
	}
}

// Ensure attachments go as a photo or a document with the text as caption, and a
// text too long for a caption goes first as a message.
func TestSendAttachments(t *testing.T) {
	r := newRig(t, rigOptions{fakeLimits: telegramtest.TelegramLimits.Scaled(100)})
	chat := strconv.FormatInt(r.group, 10)
	png := &bots.Attachment{Name: "tally.png", Type: "image/png", Data: []byte("\x89PNG fake")}
	if _, err := send(t, r, bots.Message{ChatID: chat, Text: "Results <final>", Attachment: png,
		Buttons: [][]bots.Button{{{Label: "Details", Token: "ABCDEFGHIJKLMNOP"}}}}); err != nil {
		t.Fatal(err)
	}
	ics := &bots.Attachment{Name: "meeting.ics", Type: "text/calendar", Data: []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")}
	if _, err := send(t, r, bots.Message{ChatID: chat, Text: strings.Repeat("long ", 300), Attachment: ics}); err != nil {
		t.Fatal(err)
	}
	msgs := r.fake.Messages(r.group)
	if len(msgs) != 3 {
		t.Fatalf("got %d messages, want 3: %+v", len(msgs), msgs)
	}
	if msgs[0].File != "photo:tally.png" || msgs[0].Text != "Results <final>" || len(msgs[0].Keyboard) != 1 {
		t.Fatalf("photo: %+v", msgs[0])
	}
	if msgs[1].File != "" || !strings.HasPrefix(msgs[1].Text, "long long") {
		t.Fatalf("long caption not sent first as text: %+v", msgs[1])
	}
	if msgs[2].File != "document:meeting.ics" || msgs[2].FileSize != len(ics.Data) || msgs[2].Text != "" {
		t.Fatalf("document: %+v", msgs[2])
	}
}

// Ensure an edit of a message posted with a file (a meeting's card with its
// calendar file) edits its caption and buttons, Telegram refusing editMessageText
// there.
func TestSendEditCaption(t *testing.T) {
	r := newRig(t, rigOptions{fakeLimits: telegramtest.TelegramLimits.Scaled(100)})
	chat := strconv.FormatInt(r.group, 10)
	ics := &bots.Attachment{Name: "M1.ics", Type: "text/calendar", Data: []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")}
	id, err := send(t, r, bots.Message{ChatID: chat, Text: "M1: 0 coming", Attachment: ics,
		Buttons: [][]bots.Button{{{Label: "Coming", Token: "ABCDEFGHIJKLMNOP"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := send(t, r, bots.Message{ChatID: chat, Text: "M1: 1 coming", Edit: true, EditID: id,
		Buttons: [][]bots.Button{{{Label: "Coming", Token: "ABCDEFGHIJKLMNOP"}}}}); err != nil {
		t.Fatal(err)
	}
	msgs := r.fake.Messages(r.group)
	if len(msgs) != 1 || msgs[0].Text != "M1: 1 coming" || msgs[0].File != "document:M1.ics" || msgs[0].Edits != 1 || len(msgs[0].Keyboard) != 1 {
		t.Fatalf("caption not edited in place: %+v", msgs)
	}
	if n := len(r.fake.Calls("editMessageCaption")); n != 1 {
		t.Errorf("editMessageCaption calls = %d, want 1", n)
	}
}

// Ensure a 429 is waited out and retried, server errors are retried with backoff
// and then reported as unavailable, and refusals are not retried.
func TestSendErrors(t *testing.T) {
	r := newRig(t, rigOptions{fakeLimits: telegramtest.TelegramLimits.Scaled(100)})
	chat := strconv.FormatInt(r.group, 10)
	fails := map[string][]int{} // text → statuses to answer, in turn
	r.fake.FailWith(func(method string, form url.Values) (int, string, int) {
		q := fails[form.Get("text")]
		if len(q) == 0 {
			return 0, "", 0
		}
		fails[form.Get("text")] = q[1:]
		switch q[0] {
		case 429:
			return 429, "Too Many Requests: retry after 1", 1
		case 500:
			return 500, "Internal Server Error", 0
		case 400:
			return 400, "Bad Request: something", 0
		case 403:
			return 403, "Forbidden: bot was kicked from the supergroup chat", 0
		}
		return 0, "", 0
	})
	calls := func(text string) int {
		n := 0
		for _, c := range r.fake.Calls("sendMessage") {
			if c.Form.Get("text") == text {
				n++
			}
		}
		return n
	}
	fails["flood"] = []int{429}
	start := time.Now()
	if _, err := send(t, r, bots.Message{ChatID: chat, Text: "flood"}); err != nil {
		t.Fatalf("429 then OK: %v", err)
	}
	if d := time.Since(start); d < time.Second || calls("flood") != 2 {
		t.Fatalf("429: retried after %v with %d calls, want after retry_after (1 s), 2 calls", d, calls("flood"))
	}
	fails["outage"] = []int{500, 500}
	if _, err := send(t, r, bots.Message{ChatID: chat, Text: "outage"}); err != nil || calls("outage") != 3 {
		t.Fatalf("500, 500 then OK: %v after %d calls", err, calls("outage"))
	}
	fails["down"] = []int{500, 500, 500, 500}
	_, err := send(t, r, bots.Message{ChatID: chat, Text: "down"})
	if core.ErrorCode(err) != core.CodeUnavailable || calls("down") != 3 {
		t.Fatalf("server down: %v (code %s) after %d calls, want unavailable after 3", err, core.ErrorCode(err), calls("down"))
	}
	fails["bad"] = []int{400, 400}
	if _, err := send(t, r, bots.Message{ChatID: chat, Text: "bad"}); core.ErrorCode(err) != core.CodeInvalid || calls("bad") != 1 {
		t.Fatalf("400: %v after %d calls, want invalid after 1", err, calls("bad"))
	}
	fails["kicked"] = []int{403, 403}
	if _, err := send(t, r, bots.Message{ChatID: chat, Text: "kicked"}); core.ErrorCode(err) != core.CodeForbidden || calls("kicked") != 1 {
		t.Fatalf("403: %v after %d calls, want forbidden after 1", err, calls("kicked"))
	}
	var nd *bots.NoDirectError
	if _, err := send(t, r, bots.Message{Direct: true, UserID: "4242", Text: "hi"}); !errors.As(err, &nd) || nd.StartURL == "" {
		t.Fatalf("direct message to someone who never started the bot: %v", err)
	}
	fails["long flood"] = []int{429}
	r.fake.FailWith(func(method string, form url.Values) (int, string, int) {
		if form.Get("text") == "long flood" {
			return 429, "Too Many Requests: retry after 40", 40
		}
		return 0, "", 0
	})
	_, err = send(t, r, bots.Message{ChatID: chat, Text: "long flood"})
	if ra, ok := outbox.RetryAfter(err); !ok || ra != 40*time.Second || core.ErrorCode(err) != core.CodeUnavailable {
		t.Fatalf("long 429: %v, retry after %v %v, want 40 s for the outbox", err, ra, ok)
	}
	if strings.Contains(r.logs.String(), telegramtest.Token) {
		t.Fatal("the token appears in the logs")
	}
}
