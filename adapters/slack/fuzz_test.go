package slack

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/engage-org/engage/bots"
)

// Seeds beyond those in testdata/fuzz: real payload shapes.
var (
	eventSeeds = []string{
		`{"type":"event_callback","team_id":"T1","event_id":"Ev1","authorizations":[{"user_id":"UB","is_bot":true}],"event":{"type":"app_mention","user":"U1","text":"<@UB> vote V1 <@U2|bob> &amp; <https://x.org|x>","channel":"C1","ts":"1.2"}}`,
		`{"type":"event_callback","event_id":"Ev3","event":{"type":"message","channel_type":"im","user":"U1","text":"next friday","channel":"D1"}}`,
		`{"type":"url_verification","challenge":"c"}`,
	}
	interactionSeeds = []string{
		`{"type":"block_actions","team":{"id":"T1"},"user":{"id":"U1","username":"alice"},"trigger_id":"tr1","container":{"channel_id":"C1","message_ts":"1.1"},"actions":[{"type":"button","action_id":"engage:TOK","value":"TOK","action_ts":"2.2"}]}`,
		`{"type":"block_actions","user":{"id":"U1"},"container":{"channel_id":"D1"},"actions":[{"type":"static_select","action_id":"engage:menu:1","selected_option":{"value":"TOK2"},"action_ts":"3.3"}]}`,
		`{"type":"view_submission","user":{"id":"U1"},"view":{"id":"V1","callback_id":"engage_form","private_metadata":"{\"t\":\"F\",\"c\":\"C1\"}","state":{"values":{"amount":{"value":{"type":"plain_text_input","value":"25"}}}}}}`,
	}
)

// checkEvent holds for every event a decoder returns: enough to be handled, and
// keyed for idempotency within Slack's own IDs.
func checkEvent(t *testing.T, in inbound) {
	t.Helper()
	ev := in.ev
	if ev.Platform != bots.PlatformSlack || ev.UserID == "" || ev.ChatID == "" || !strings.HasPrefix(ev.Key, "slack:") {
		t.Fatalf("incomplete event %+v", ev)
	}
	switch ev.Kind {
	case bots.KindMessage:
		if ev.Direct && !strings.HasPrefix(ev.ChatID, "D") && ev.ChatTitle != "" {
			t.Fatalf("direct event in %q titled %q", ev.ChatID, ev.ChatTitle)
		}
	case bots.KindAction:
		if ev.Action == "" {
			t.Fatal("action without a token")
		}
	case bots.KindForm:
		if ev.Action == "" || ev.Fields == nil {
			t.Fatal("form without a token or fields")
		}
	default:
		t.Fatalf("kind %q", ev.Kind)
	}
	if ev.CanForm && in.trigger == "" {
		t.Fatal("CanForm without a trigger")
	}
}

func FuzzDecodeEvent(f *testing.F) {
	for _, s := range eventSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		in, err := decodeEvent(raw)
		if err != nil || in.challenge != "" {
			return
		}
		checkEvent(t, in)
		if in.ev.Kind != bots.KindMessage {
			t.Fatalf("an event of kind %q", in.ev.Kind)
		}
	})
}

func FuzzDecodeInteraction(f *testing.F) {
	for _, s := range interactionSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		in, err := decodeInteraction(raw)
		if err != nil {
			return
		}
		checkEvent(t, in)
	})
}

func FuzzDecodeSlash(f *testing.F) {
	f.Add("command=%2Fengage&text=vote+V1+Nashville+%3E+Knoxville&team_id=T1&channel_id=C1&channel_name=general&user_id=U1&user_name=alice&trigger_id=tr1")
	f.Add("command=%2Fengage&text=&channel_id=D1&channel_name=directmessage&user_id=U1&trigger_id=tr2")
	f.Fuzz(func(t *testing.T, body string) {
		v, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		in, err := decodeSlashForm(v)
		if err != nil {
			return
		}
		checkEvent(t, in)
		if !strings.HasPrefix(in.ev.Text, "/") {
			t.Fatalf("command text %q without its slash", in.ev.Text)
		}
		// The same command as Socket Mode's JSON decodes the same.
		raw, _ := json.Marshal(map[string]string{
			"command": v.Get("command"), "text": v.Get("text"), "team_id": v.Get("team_id"), "channel_id": v.Get("channel_id"),
			"channel_name": v.Get("channel_name"), "user_id": v.Get("user_id"), "user_name": v.Get("user_name"), "trigger_id": v.Get("trigger_id"),
		})
		in2, err := decodeSlashJSON(raw)
		if utf8.ValidString(body) && (err != nil || in2.ev.Text != in.ev.Text || in2.ev.Key != in.ev.Key) {
			t.Fatalf("JSON decodes to %+v (%v), form to %+v", in2.ev, err, in.ev)
		}
	})
}

func FuzzDecodeEnvelope(f *testing.F) {
	for _, s := range eventSeeds {
		f.Add([]byte(`{"type":"events_api","envelope_id":"e1","payload":` + s + `}`))
	}
	for _, s := range interactionSeeds {
		f.Add([]byte(`{"type":"interactive","envelope_id":"e2","payload":` + s + `}`))
	}
	f.Add([]byte(`{"type":"slash_commands","envelope_id":"e3","payload":{"command":"/engage","text":"help","channel_id":"C1","user_id":"U1","trigger_id":"t"}}`))
	f.Add([]byte(`{"type":"disconnect","reason":"refresh_requested"}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		_, in, err := decodeEnvelope(raw)
		if err != nil || in.challenge != "" {
			return
		}
		checkEvent(t, in)
	})
}

// Ensure reading Slack's text never panics, keeps valid text valid, and maps every
// mention to a user ID.
func FuzzReadText(f *testing.F) {
	f.Add("role <@U2|bob> admin &amp; <https://x.org|x> <#C1|general> <!channel> <mailto:a@b|a@b>")
	f.Add("<<@U1>>&lt;&gt;")
	f.Fuzz(func(t *testing.T, s string) {
		text, mentions := readText(s)
		if utf8.ValidString(s) && !utf8.ValidString(text) {
			t.Fatalf("readText(%q) = %q, invalid UTF-8", s, text)
		}
		for tok, id := range mentions {
			if !strings.HasPrefix(tok, "<@") || id == "" || !strings.Contains(tok, id) {
				t.Fatalf("mention %q → %q", tok, id)
			}
		}
		if got := asCommand(stripBot(text, "UB")); !strings.HasPrefix(got, "/") {
			t.Fatalf("asCommand gave %q", got)
		}
	})
}

// Ensure rendering never breaks Block Kit's limits, whatever the message.
func FuzzMessageBlocks(f *testing.F) {
	f.Add("Tally: <b> & *bold*", "Yes", "TOK1", 3, 0)
	f.Add(strings.Repeat("x", 5000), "A very long label that goes well beyond the seventy-five characters a button may show", "T", 9, 2)
	f.Fuzz(func(t *testing.T, text, label, token string, nButtons, nLinks int) {
		nButtons, nLinks = min(max(nButtons, 0), 300), min(max(nLinks, 0), 30)
		var row []bots.Button
		for range nButtons {
			row = append(row, bots.Button{Label: label, Token: token})
		}
		for range nLinks {
			row = append(row, bots.Button{Label: label, URL: "https://example.org"})
		}
		blocks, fallback := messageBlocks(bots.Message{Text: text, Buttons: [][]bots.Button{row}})
		if len(blocks) > maxBlocks || utf8.RuneCountInString(fallback) > maxFallback {
			t.Fatalf("%d blocks, fallback of %d characters", len(blocks), utf8.RuneCountInString(fallback))
		}
		raw, err := json.Marshal(blocks)
		if err != nil {
			t.Fatal(err)
		}
		var decoded []struct {
			Type string `json:"type"`
			Text *struct {
				Text string `json:"text"`
			} `json:"text"`
			Elements []struct {
				ActionID string `json:"action_id"`
				Text     *struct {
					Text string `json:"text"`
				} `json:"text"`
				Options []json.RawMessage `json:"options"`
			} `json:"elements"`
		}
		if err := json.Unmarshal(raw, &decoded); err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, b := range decoded {
			if b.Text != nil && (utf8.RuneCountInString(b.Text.Text) > maxSectionText || strings.ContainsAny(b.Text.Text, "<>")) {
				t.Fatalf("section text of %d characters or unescaped", utf8.RuneCountInString(b.Text.Text))
			}
			if len(b.Elements) > maxActionsBlock {
				t.Fatalf("%d elements in an actions block", len(b.Elements))
			}
			for _, e := range b.Elements {
				if ids[e.ActionID] {
					t.Fatalf("action_id %q twice", e.ActionID)
				}
				ids[e.ActionID] = true
				if e.Text != nil && utf8.RuneCountInString(e.Text.Text) > maxButtonText {
					t.Fatalf("button label of %d characters", utf8.RuneCountInString(e.Text.Text))
				}
				if len(e.Options) > maxOptions {
					t.Fatalf("%d options", len(e.Options))
				}
			}
		}
	})
}
