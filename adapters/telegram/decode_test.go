package telegram

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/engage-org/engage/bots"
)

const botName = "engage_test_bot"

var updateSeeds = []string{
	`{"update_id":10,"message":{"message_id":1,"date":1,"chat":{"id":-1001,"type":"supergroup","title":"Club"},"from":{"id":7,"is_bot":false,"first_name":"Ann","last_name":"Lee","username":"ann","language_code":"fr"},"text":"/vote@engage_test_bot V1 Nashville","entities":[{"type":"bot_command","offset":0,"length":21}]}}`,
	`{"update_id":11,"message":{"message_id":2,"date":1,"chat":{"id":7,"type":"private"},"from":{"id":7,"is_bot":false,"first_name":"Ann"},"text":"/start link-ABC234"}}`,
	`{"update_id":12,"callback_query":{"id":"cbq1","from":{"id":7,"is_bot":false,"first_name":"A"},"chat_instance":"ci","data":"ABCDEFGHIJKLMNOP","message":{"message_id":100,"date":1,"chat":{"id":-100123,"type":"supergroup"}}}}`,
	`{"update_id":13,"callback_query":{"id":"cbq2","from":{"id":7,"is_bot":false,"first_name":"A"},"chat_instance":"ci","data":"../../etc","inline_message_id":"x"}}`,
	`{"update_id":14,"message":{"message_id":3,"date":1,"chat":{"id":-1001,"type":"group"},"from":{"id":8,"is_bot":false,"first_name":"Bo"},"text":"/role Zoé Martin admin","entities":[{"type":"text_mention","offset":6,"length":10,"user":{"id":99,"is_bot":false,"first_name":"Zoé"}}]}}`,
	`{"update_id":15,"message":{"message_id":4,"date":1,"chat":{"id":-1001,"type":"group"},"from":{"id":1087968824,"is_bot":true,"first_name":"Group","username":"GroupAnonymousBot"},"sender_chat":{"id":-1001,"type":"group"},"text":"/help"}}`,
	`{"update_id":16,"channel_post":{"message_id":5,"date":1,"chat":{"id":-100999,"type":"channel"},"text":"hi"}}`,
	`{"update_id":17,"message":{"message_id":6,"date":1,"chat":{"id":-1001,"type":"group"},"from":{"id":9,"is_bot":false,"first_name":"C"},"text":"/help@OtherBot"}}`,
	`{"update_id":18,"message":{"message_id":7,"date":1,"chat":{"id":-1001,"type":"group"},"from":{"id":9,"is_bot":false,"first_name":"C"},"text":"x","entities":[{"type":"text_mention","offset":5,"length":-3,"user":{"id":3}}]}}`,
	`{"update_id":19,"edited_message":{"message_id":7,"date":1,"chat":{"id":1,"type":"private"},"text":"x"}}`,
	`{"update_id":0}`, `{}`, `[]`, `null`, `{"update_id":"1"}`, `{"update_id":5,"update_id":7}`, `{"update_id":012}`,
	`{"update_id":5,"UPDATE_ID":7}`, `{"update\u005fid":8}`, `{"update_id":null,"update_id":9}`, `{"update_id":1e1}`,
	`{"callback_query":{"id":"q1","from":{"id":7,"first_name":"A"},"message":{"message_id":1,"date":"x","chat":{"id":-1,"type":"group"}},"data":"ABC"},"update_id":20}`,
	`{"message":{"message_id":1,"date":1,"chat":{"id":-1,"type":"group"},"from":{"id":7,"first_name":"A"},"text":"hi","message":{"chat":{"id":-2}}},"update_id":21}`,
}

// Ensure the update decoder never panics, and what it lets through is a
// well-formed event: the update's key, numeric chat and user IDs, a clean token.
func FuzzDecodeUpdate(f *testing.F) {
	for _, s := range updateSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		up, err := decodeUpdate(raw, botName)
		if err != nil {
			return
		}
		if up.ID <= 0 {
			t.Fatalf("update id %d accepted", up.ID)
		}
		if id, err := peekID(raw); err != nil || id != up.ID {
			t.Fatalf("peekID %d, %v; decode %d", id, err, up.ID)
		}
		ev := up.Event
		if ev == nil {
			return
		}
		if ev.Key != "telegram:"+strconv.Itoa(up.ID) || ev.Platform != bots.PlatformTelegram {
			t.Fatalf("key %q platform %q", ev.Key, ev.Platform)
		}
		chat, err := strconv.ParseInt(ev.ChatID, 10, 64)
		if err != nil || chat == 0 {
			t.Fatalf("chat %q", ev.ChatID)
		}
		if user, err := strconv.ParseInt(ev.UserID, 10, 64); err != nil || user <= 0 {
			t.Fatalf("user %q", ev.UserID)
		}
		if ev.Direct && chat <= 0 {
			t.Fatalf("direct event in chat %d", chat)
		}
		switch ev.Kind {
		case bots.KindAction:
			if up.Callback == "" || ev.Action != callbackToken(ev.Action) || ev.Action == "" {
				t.Fatalf("press: callback %q, action %q", up.Callback, ev.Action)
			}
		case bots.KindMessage:
			if ev.Text == "" || up.Callback != "" {
				t.Fatalf("message: text %q callback %q", ev.Text, up.Callback)
			}
			if !forUs(ev.Text, botName) {
				t.Fatalf("let through a command for another bot: %q", ev.Text)
			}
		default:
			t.Fatalf("kind %q", ev.Kind)
		}
	})
}

// Ensure the adapter's own wire types read an update as the library's Update
// does: whatever the library decodes (with a single update_id) is decoded, to
// the same update.
func FuzzDecodeMatchesLibrary(f *testing.F) {
	for _, s := range updateSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var lib tgbotapi.Update
		if json.Unmarshal(raw, &lib) != nil || updateIDKeys(raw) > 1 {
			return
		}
		want, wantErr := fromLibrary(lib).update(botName)
		got, err := decodeUpdate(raw, botName)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("decode error %v, library %v", err, wantErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("decoded %+v %+v\nlibrary %+v %+v", got, got.Event, want, want.Event)
		}
	})
}

// updateIDKeys counts the keys of raw's top-level object that encoding/json
// takes for update_id.
func updateIDKeys(raw []byte) int {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return 0
	}
	n := 0
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return n
		}
		if k, ok := tok.(string); ok && strings.EqualFold(k, "update_id") {
			n++
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return n
		}
	}
	return n
}

// fromLibrary is the adapter's wire update of the library's.
func fromLibrary(u tgbotapi.Update) *wireUpdate {
	user := func(u *tgbotapi.User) *wireUser {
		if u == nil {
			return nil
		}
		return &wireUser{ID: u.ID, IsBot: u.IsBot, FirstName: u.FirstName, LastName: u.LastName, UserName: u.UserName, LanguageCode: u.LanguageCode}
	}
	chat := func(c *tgbotapi.Chat) *wireChat {
		if c == nil {
			return nil
		}
		return &wireChat{ID: c.ID, Type: c.Type, Title: c.Title}
	}
	w := &wireUpdate{UpdateID: onceInt{v: u.UpdateID}}
	if m := u.Message; m != nil {
		w.Message = &wireMessage{From: user(m.From), Chat: chat(m.Chat), Text: m.Text, MigrateToChatID: m.MigrateToChatID, MigrateFromChatID: m.MigrateFromChatID}
		for _, e := range m.Entities {
			w.Message.Entities = append(w.Message.Entities, wireEntity{Type: e.Type, Offset: e.Offset, Length: e.Length, User: user(e.User)})
		}
	}
	if q := u.CallbackQuery; q != nil {
		w.CallbackQuery = &wireCallback{ID: q.ID, From: user(q.From), Data: q.Data}
		if q.Message != nil {
			w.CallbackQuery.Message = &struct {
				Chat *wireChat `json:"chat"`
			}{Chat: chat(q.Message.Chat)}
		}
	}
	return w
}

// Ensure callback data becomes a token of at most 64 safe bytes, the same data
// when it is already one, and never anything empty.
func FuzzCallbackToken(f *testing.F) {
	for _, s := range []string{"ABCDEFGHIJKLMNOP", "", "-", "vote:proj-1", strings.Repeat("A", 64), strings.Repeat("A", 65), "é", "a b", "A\x00", "<script>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		tok := callbackToken(data)
		if tok == "" || len(tok) > maxCallback {
			t.Fatalf("token %q from %q", tok, data)
		}
		if tok != data && tok != staleToken {
			t.Fatalf("token %q is neither the data %q nor stale", tok, data)
		}
		for _, c := range []byte(tok) {
			if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("-_:.=", c) >= 0) {
				t.Fatalf("token %q has %q", tok, c)
			}
		}
		if callbackToken(tok) != tok {
			t.Fatalf("token %q is not stable", tok)
		}
	})
}

// Ensure splitting keeps every character (but the line breaks and spaces cut at),
// never cuts a rune, and never makes a part longer than the limit.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"", "a", "hello world", strings.Repeat("é🌱\n", 50), strings.Repeat("x", 30), "a\n\nb"} {
		f.Add(s, 7)
	}
	f.Fuzz(func(t *testing.T, text string, max int) {
		if max < 2 || max > 5000 || !utf8.ValidString(text) {
			return
		}
		parts := split(text, max)
		if len(parts) == 0 {
			t.Fatal("no part")
		}
		var kept strings.Builder
		for _, p := range parts {
			if units(p) > max && utf8.RuneCountInString(p) > 1 {
				t.Fatalf("part %q longer than %d", p, max)
			}
			if !utf8.ValidString(p) {
				t.Fatalf("part %q cuts a rune", p)
			}
			kept.WriteString(p)
		}
		squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
		if squash(kept.String()) != squash(text) {
			t.Fatalf("split lost text: %q from %q", parts, text)
		}
	})
}

// Ensure the decoder reads what matters from realistic updates.
func TestDecodeUpdate(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want *bots.Event
		cb   string
	}{
		{"GroupCommandToUs", updateSeeds[0], &bots.Event{Platform: "telegram", ChatID: "-1001", ChatTitle: "Club", UserID: "7", UserName: "Ann Lee", Handle: "ann", Lang: "fr", Kind: bots.KindMessage, Text: "/vote@engage_test_bot V1 Nashville", Key: "telegram:10"}, ""},
		{"DeepLink", updateSeeds[1], &bots.Event{Platform: "telegram", ChatID: "7", Direct: true, UserID: "7", UserName: "Ann", Kind: bots.KindMessage, Text: "/start link-ABC234", Key: "telegram:11"}, ""},
		{"Press", updateSeeds[2], &bots.Event{Platform: "telegram", ChatID: "-100123", UserID: "7", UserName: "A", Kind: bots.KindAction, Action: "ABCDEFGHIJKLMNOP", Key: "telegram:12"}, "cbq1"},
		{"InlinePressAnsweredOnly", updateSeeds[3], nil, "cbq2"},
		{"TextMention", updateSeeds[4], &bots.Event{Platform: "telegram", ChatID: "-1001", UserID: "8", UserName: "Bo", Kind: bots.KindMessage, Text: "/role Zoé Martin admin", Key: "telegram:14", Mentions: map[string]string{"Zoé Martin": "99", "Zoé": "99"}}, ""},
		{"AnonymousAdminIgnored", updateSeeds[5], nil, ""},
		{"ChannelIgnored", updateSeeds[6], nil, ""},
		{"OtherBotIgnored", updateSeeds[7], nil, ""},
		{"BadEntityIgnored", updateSeeds[8], &bots.Event{Platform: "telegram", ChatID: "-1001", UserID: "9", UserName: "C", Kind: bots.KindMessage, Text: "x", Key: "telegram:18"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up, err := decodeUpdate([]byte(tt.raw), botName)
			if err != nil {
				t.Fatal(err)
			}
			if up.Callback != tt.cb {
				t.Fatalf("callback %q, want %q", up.Callback, tt.cb)
			}
			got, _ := json.Marshal(up.Event)
			want, _ := json.Marshal(tt.want)
			if string(got) != string(want) {
				t.Fatalf("got %s\nwant %s", got, want)
			}
		})
	}
	for _, raw := range []string{`{"update_id":0}`, `[]`, `{"update_id":"1"}`, `{"update_id":5,"update_id":7}`} {
		if _, err := decodeUpdate([]byte(raw), botName); err == nil {
			t.Fatalf("%s accepted", raw)
		}
	}
}

// Ensure the pacer keeps every sliding window, waits out a block, and lets a
// send in flight count until it ends.
func TestPacer(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	p := newPacer(Limits{PerSecond: 3, ChatGap: time.Second, PerGroupMinute: 2}, func() time.Time { return now })
	p.mu.Lock()
	c := p.chat(-1)
	d := p.chat(5)
	p.mu.Unlock()
	// Three sends to three chats fit; a fourth waits for the oldest to leave.
	var at []time.Time
	for i, chat := range []int64{1, 2, 3} {
		w := p.waitFor(chat)
		if w != 0 {
			t.Fatalf("send %d waits %v", i, w)
		}
		p.take(chat)
		now = now.Add(100 * time.Millisecond)
		p.end(chat)
		at = append(at, now)
	}
	if w := p.waitFor(4); w != at[0].Add(time.Second).Sub(now) {
		t.Fatalf("fourth send waits %v, want %v", w, at[0].Add(time.Second).Sub(now))
	}
	now = now.Add(2 * time.Second)
	// Two to the group in a minute, one a second.
	p.take(-1)
	p.end(-1)
	if w := p.waitFor(-1); w != time.Second {
		t.Fatalf("second message to the group waits %v, want 1s", w)
	}
	now = now.Add(time.Second)
	p.take(-1)
	p.end(-1)
	if w := p.waitFor(-1); w != 59*time.Second {
		t.Fatalf("third message to the group waits %v, want 59s", w)
	}
	_ = c
	// A send in flight to a chat blocks the next one until it ends.
	p.take(5)
	if w := p.waitFor(5); w >= 0 {
		t.Fatalf("send behind one in flight waits %v, want -1", w)
	}
	p.end(5)
	p.block(5, 3*time.Second)
	if w := p.waitFor(5); w != 3*time.Second {
		t.Fatalf("blocked chat waits %v", w)
	}
	_ = d
}

// waitFor, take and end drive the pacer by hand.
func (p *pacer) waitFor(chat int64) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.wait(p.now(), p.chat(chat))
}

func (p *pacer) take(chat int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.chat(chat)
	p.global.take()
	c.gap.take()
	c.group.take()
}

func (p *pacer) end(chat int64) {
	p.mu.Lock()
	c := p.chat(chat)
	p.mu.Unlock()
	ticket{p: p, c: c}.finish()
}
