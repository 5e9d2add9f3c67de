package discord

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/engage-org/engage/bots"
)

// nobody is a Handler that answers nothing.
type nobody struct{}

func (nobody) Handle(context.Context, bots.Event) ([]bots.Message, error) { return nil, nil }
func (nobody) Suggest(context.Context, bots.Event, string, string) ([]bots.Suggestion, error) {
	return nil, nil
}

var interactionSeeds = []string{
	`{"id":"1","application_id":"A","type":1,"token":"t"}`,
	`{"id":"2","type":2,"token":"t","guild_id":"G","channel_id":"C","member":{"user":{"id":"U","username":"u"},"nick":"N"},"locale":"fr","data":{"name":"project","options":[{"name":"new","type":1,"options":[{"name":"title","type":3,"value":"Jardin"}]}]}}`,
	`{"id":"3","type":2,"token":"t","channel_id":"D","user":{"id":"U","username":"u","global_name":"G"},"data":{"name":"role","options":[{"name":"member","type":6,"value":"42"},{"name":"role","type":3,"value":"admin"}]}}`,
	`{"id":"4","type":3,"token":"t","guild_id":"G","channel_id":"C","member":{"user":{"id":"U"}},"message":{"id":"M"},"data":{"custom_id":"b:ABCDEF:2","component_type":2}}`,
	`{"id":"5","type":3,"token":"t","guild_id":"G","channel_id":"C","member":{"user":{"id":"U"}},"data":{"custom_id":"s:0","component_type":3,"values":["TOKEN"]}}`,
	`{"id":"6","type":5,"token":"t","guild_id":"G","channel_id":"C","member":{"user":{"id":"U"}},"data":{"custom_id":"f:FORM","components":[{"type":1,"components":[{"type":4,"custom_id":"text","value":"hello"}]}]}}`,
	`{"id":"7","type":4,"token":"t","guild_id":"G","channel_id":"C","member":{"user":{"id":"U"}},"data":{"name":"follow","options":[{"name":"id","type":3,"value":"p","focused":true}]}}`,
	`{"id":"8","type":3,"token":"t","data":{"custom_id":"b:X","component_type":2}}`,
	`{"id":"9","type":5,"token":"t","user":{"id":"U"},"data":{"custom_id":"f:F","components":[{"type":4,"custom_id":"x","value":"loose"},{"type":1,"components":[{"type":2,"custom_id":"b"}]}]}}`,
	`{"id":"10","type":2,"token":"t","user":{"id":"U"},"data":{"name":"engage","options":[{"name":"command","type":3,"value":"/news P1 é <@1> <@!2>"}]}}`,
	`{"id":"11","type":2,"token":"t","user":{"id":"U"},"data":{"name":"project","options":[null,{"name":"x"}]}}`,
	`{"id":"12","type":9,"token":"t","user":{"id":"U"},"data":{}}`,
	`{"id":"../x","type":1,"token":"t"}`,
	`[]`, `null`, `{"type":2,"data":null}`,
}

// Ensure no interaction payload makes the adapter panic, and what it makes of
// one is well formed: an event keyed by the interaction, with a token that could
// have been ours or the stale "-".
func FuzzInteraction(f *testing.F) {
	for _, s := range interactionSeeds {
		f.Add([]byte(s))
	}
	a, err := New(Config{Token: "x", Handler: nobody{}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		in, err := decodeInteraction(raw, time.Unix(0, 0))
		if err != nil {
			return
		}
		if in.Type == discordgo.InteractionPing {
			return
		}
		if in.Type == discordgo.InteractionApplicationCommandAutocomplete {
			a.cat.focused(in.Data.(discordgo.ApplicationCommandInteractionData))
		}
		ev := a.event(in)
		if ev.Key != "discord:"+in.ID || ev.UserID == "" || ev.Platform != bots.PlatformDiscord {
			t.Fatalf("bad event %+v", ev)
		}
		switch ev.Kind {
		case bots.KindMessage:
			if !strings.HasPrefix(ev.Text, "/") {
				t.Fatalf("command line %q", ev.Text)
			}
			for tok, id := range ev.Mentions {
				if !strings.Contains(ev.Text, tok) || !isSnowflake(id) {
					t.Fatalf("mention %q→%q not in %q", tok, id, ev.Text)
				}
			}
		case bots.KindAction, bots.KindForm:
			if ev.Action != "-" && !validToken(ev.Action) {
				t.Fatalf("action %q", ev.Action)
			}
		default:
			t.Fatalf("kind %q", ev.Kind)
		}
	})
}

// Ensure no message payload makes the adapter panic, and bots never see their
// own kind: messages of bots are not events.
func FuzzMessage(f *testing.F) {
	for _, s := range []string{
		`{"id":"1","channel_id":"C","guild_id":"G","content":"<@99> /help","type":0,"author":{"id":"U","username":"u"}}`,
		`{"id":"2","channel_id":"D","content":"fin mars","type":19,"author":{"id":"U"},"member":{"nick":"N"}}`,
		`{"id":"3","channel_id":"C","content":"x","author":{"id":"B","bot":true}}`,
		`{"id":"4","channel_id":"C","content":"x","type":7,"author":{"id":"U"}}`,
		`{"id":"5","channel_id":"C","content":"x","webhook_id":"W","author":{"id":"U"}}`,
		`{}`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		ev, ok := decodeMessage(raw, "99")
		if !ok {
			return
		}
		if ev.Kind != bots.KindMessage || ev.UserID == "" || ev.UserID == "99" || !strings.HasPrefix(ev.Key, "discord:") {
			t.Fatalf("bad event %+v", ev)
		}
		if strings.HasPrefix(ev.Text, "<@99>") {
			t.Fatalf("the bot's mention was left in %q", ev.Text)
		}
	})
}

// Ensure custom_ids parse without panic, read back only well-formed ones, and
// what is written reads back the same.
func FuzzCustomID(f *testing.F) {
	for _, s := range []string{"b:ABCDEFGHIJKLMNOP", "b:ABC:1", "b:ABC:0", "s:0", "s:12", "f:TOKEN", "b:", "x:y", "", "b:a:b:c", "s:01", "f:a\x00b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		kind, tok, ok := parseCustomID(id)
		if !ok {
			if validToken(id) && utf8.ValidString(id) {
				if k, back, ok := parseCustomID(buttonID(id, 0)); !ok || k != idButton || back != id {
					t.Fatalf("button %q does not read back", id)
				}
			}
			return
		}
		if len(id) > maxCustomID {
			t.Fatalf("accepted %d characters", len(id))
		}
		switch kind {
		case idButton, idForm:
			if !validToken(tok) {
				t.Fatalf("token %q", tok)
			}
		case idSelect:
			if tok != "" {
				t.Fatalf("select with token %q", tok)
			}
		default:
			t.Fatalf("kind %q", kind)
		}
	})
}
