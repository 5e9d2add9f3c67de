package slack

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/engage-org/engage/bots"
	"github.com/google/go-cmp/cmp"
)

func TestDecodeEvent(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		want    bots.Event
		wantErr error // errIgnored, or any error (errBad)
	}{
		{"OKMention", `{"type":"event_callback","team_id":"T1","event_id":"Ev1","authorizations":[{"user_id":"UB","is_bot":true}],
			"event":{"type":"app_mention","user":"U1","text":"<@UB> role <@U2> admin","channel":"C1","ts":"1.2"}}`,
			bots.Event{Platform: "slack", ChatID: "C1", UserID: "U1", Kind: bots.KindMessage, Text: "/role <@U2> admin",
				Key: "slack:Ev1", Mentions: map[string]string{"<@UB>": "UB", "<@U2>": "U2"}}, nil},
		{"OKMentionAlone", `{"type":"event_callback","event_id":"Ev2","event":{"type":"app_mention","user":"U1","text":"<@UB>","channel":"C1"}}`,
			bots.Event{Platform: "slack", ChatID: "C1", UserID: "U1", Kind: bots.KindMessage, Text: "/help", Key: "slack:Ev2",
				Mentions: map[string]string{"<@UB>": "UB"}}, nil},
		{"OKDirectText", `{"type":"event_callback","event_id":"Ev3","event":{"type":"message","channel_type":"im","user":"U1","text":"we finish the prototype &lt;end of March&gt; &amp; more","channel":"D1"}}`,
			bots.Event{Platform: "slack", ChatID: "D1", UserID: "U1", Kind: bots.KindMessage, Direct: true, Bare: true,
				Text: "we finish the prototype <end of March> & more", Key: "slack:Ev3"}, nil},
		{"OKLinks", `{"type":"event_callback","event_id":"Ev4","event":{"type":"message","channel_type":"im","user":"U1","text":"contact P1 email=<mailto:a@b.org|a@b.org> site <https://x.org|x.org> in <#C9|garden> <!here>","channel":"D1"}}`,
			bots.Event{Platform: "slack", ChatID: "D1", UserID: "U1", Kind: bots.KindMessage, Direct: true, Bare: true,
				Text: "contact P1 email=a@b.org site x.org in #garden @here", Key: "slack:Ev4"}, nil},
		{"IgnoredBotMessage", `{"type":"event_callback","event_id":"Ev5","event":{"type":"message","channel_type":"im","bot_id":"B1","text":"x","channel":"D1"}}`, bots.Event{}, errIgnored},
		{"IgnoredOwnMessage", `{"type":"event_callback","event_id":"Ev6","authorizations":[{"user_id":"UB","is_bot":true}],"event":{"type":"message","channel_type":"im","user":"UB","text":"x","channel":"D1"}}`, bots.Event{}, errIgnored},
		{"IgnoredEdit", `{"type":"event_callback","event_id":"Ev7","event":{"type":"message","subtype":"message_changed","channel_type":"im","channel":"D1"}}`, bots.Event{}, errIgnored},
		{"IgnoredChannelMessage", `{"type":"event_callback","event_id":"Ev8","event":{"type":"message","channel_type":"channel","user":"U1","text":"hi","channel":"C1"}}`, bots.Event{}, errIgnored},
		{"IgnoredOther", `{"type":"app_rate_limited"}`, bots.Event{}, errIgnored},
		{"ErrNoEventID", `{"type":"event_callback","event":{"type":"app_mention","user":"U1","text":"x","channel":"C1"}}`, bots.Event{}, errBad},
		{"ErrNotJSON", `{"type":"event_callback",`, bots.Event{}, errBad},
		{"ErrInnerNotObject", `{"type":"event_callback","event_id":"Ev9","event":[1]}`, bots.Event{}, errBad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := decodeEvent([]byte(tt.raw))
			checkErr(t, err, tt.wantErr)
			if tt.wantErr == nil {
				if diff := cmp.Diff(tt.want, in.ev); diff != "" {
					t.Fatalf("event (-want +got):\n%s", diff)
				}
			}
		})
	}
	in, err := decodeEvent([]byte(`{"type":"url_verification","challenge":"abc"}`))
	if err != nil || in.challenge != "abc" {
		t.Fatalf("got %+v %v, want the challenge", in, err)
	}
}

// errBad stands for "any error but errIgnored" in the tables.
var errBad = errors.New("bad")

func checkErr(t *testing.T, got, want error) {
	t.Helper()
	switch {
	case want == nil && got != nil:
		t.Fatalf("got error %v, want none", got)
	case want == errIgnored && !errors.Is(got, errIgnored):
		t.Fatalf("got %v, want errIgnored", got)
	case want == errBad && (got == nil || errors.Is(got, errIgnored)):
		t.Fatalf("got %v, want an error", got)
	}
}

func TestDecodeInteraction(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		want    bots.Event
		trigger string
		wantErr error
	}{
		{"OKButton", `{"type":"block_actions","team":{"id":"T1"},"user":{"id":"U1","username":"alice","name":"alice"},"trigger_id":"tr1",
			"channel":{"id":"C1","name":"garden"},"container":{"type":"message","channel_id":"C1","message_ts":"1.1"},
			"actions":[{"type":"button","action_id":"engage:TOK","value":"TOK","action_ts":"2.2"}]}`,
			bots.Event{Platform: "slack", ChatID: "C1", ChatTitle: "garden", UserID: "U1", UserName: "alice", Handle: "alice",
				Kind: bots.KindAction, Action: "TOK", Key: "slack:action:U1:2.2", CanForm: true}, "tr1", nil},
		{"OKMenuInDM", `{"type":"block_actions","user":{"id":"U1"},"container":{"channel_id":"D1"},
			"actions":[{"type":"static_select","action_id":"engage:menu:1","selected_option":{"value":"TOK2"},"action_ts":"3.3"}]}`,
			bots.Event{Platform: "slack", ChatID: "D1", UserID: "U1", Direct: true, Kind: bots.KindAction, Action: "TOK2", Key: "slack:action:U1:3.3"}, "", nil},
		{"OKForm", `{"type":"view_submission","team":{"id":"T1"},"user":{"id":"U1"},"view":{"id":"V1","callback_id":"engage_form",
			"private_metadata":"{\"t\":\"FTOK\",\"c\":\"C1\"}","state":{"values":{"amount":{"value":{"type":"plain_text_input","value":"25"}},
			"reward":{"value":{"type":"static_select","selected_option":{"value":"R1"}}}}}}}`,
			bots.Event{Platform: "slack", ChatID: "C1", UserID: "U1", Kind: bots.KindForm, Action: "FTOK", Key: "slack:view:V1",
				Fields: map[string]string{"amount": "25", "reward": "R1"}}, "", nil},
		{"IgnoredLink", `{"type":"block_actions","user":{"id":"U1"},"container":{"channel_id":"C1"},"actions":[{"action_id":"link:1","url":"https://x","action_ts":"1"}]}`, bots.Event{}, "", errIgnored},
		{"IgnoredForeignAction", `{"type":"block_actions","user":{"id":"U1"},"container":{"channel_id":"C1"},"actions":[{"action_id":"other","value":"v","action_ts":"1"}]}`, bots.Event{}, "", errIgnored},
		{"IgnoredOtherModal", `{"type":"view_submission","user":{"id":"U1"},"view":{"id":"V1","callback_id":"someone_else"}}`, bots.Event{}, "", errIgnored},
		{"IgnoredClosed", `{"type":"view_closed","user":{"id":"U1"}}`, bots.Event{}, "", errIgnored},
		{"ErrNoUser", `{"type":"block_actions","actions":[{"action_id":"engage:T","value":"T","action_ts":"1"}]}`, bots.Event{}, "", errBad},
		{"ErrNoAction", `{"type":"block_actions","user":{"id":"U1"},"actions":[]}`, bots.Event{}, "", errBad},
		{"ErrFormMetadata", `{"type":"view_submission","user":{"id":"U1"},"view":{"id":"V1","callback_id":"engage_form","private_metadata":"x"}}`, bots.Event{}, "", errBad},
		{"ErrNotJSON", `[`, bots.Event{}, "", errBad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := decodeInteraction([]byte(tt.raw))
			checkErr(t, err, tt.wantErr)
			if tt.wantErr == nil {
				if diff := cmp.Diff(tt.want, in.ev); diff != "" {
					t.Fatalf("event (-want +got):\n%s", diff)
				}
				if in.trigger != tt.trigger {
					t.Fatalf("got trigger %q, want %q", in.trigger, tt.trigger)
				}
			}
		})
	}
}

func TestDecodeSlash(t *testing.T) {
	v := url.Values{"command": {"/engage"}, "text": {"referent P1 <@U2|bob>"}, "team_id": {"T1"}, "channel_id": {"C1"},
		"channel_name": {"garden"}, "user_id": {"U1"}, "user_name": {"alice"}, "trigger_id": {"tr9"}}
	in, err := decodeSlashForm(v)
	if err != nil {
		t.Fatal(err)
	}
	want := bots.Event{Platform: "slack", ChatID: "C1", ChatTitle: "garden", UserID: "U1", UserName: "alice", Handle: "alice",
		Kind: bots.KindMessage, Text: "/referent P1 <@U2|bob>", Mentions: map[string]string{"<@U2|bob>": "U2"},
		Key: "slack:command:tr9", CanForm: true}
	if diff := cmp.Diff(want, in.ev); diff != "" {
		t.Fatalf("event (-want +got):\n%s", diff)
	}
	in, err = decodeSlashJSON([]byte(`{"command":"/engage","text":"","channel_id":"D1","channel_name":"directmessage","user_id":"U1","trigger_id":"tr10"}`))
	if err != nil || in.ev.Text != "/help" || !in.ev.Direct || in.ev.ChatTitle != "" {
		t.Fatalf("got %+v %v, want /help in a direct message", in.ev, err)
	}
	for _, bad := range []string{`{"command":"/engage","channel_id":"C1","user_id":"U1"}`, `{"command":"engage","channel_id":"C1","user_id":"U1","trigger_id":"t"}`, `{`} {
		if _, err := decodeSlashJSON([]byte(bad)); err == nil {
			t.Fatalf("decoded %s, want an error", bad)
		}
	}
}

func TestSplitText(t *testing.T) {
	s := strings.Repeat("é", 7000)
	parts := splitText(s, 3000)
	if len(parts) != 3 || utf8.RuneCountInString(parts[0]) != 3000 || strings.Join(parts, "") != s {
		t.Fatalf("got %d parts, want 3 of at most 3000 characters making the text", len(parts))
	}
	lines := strings.Repeat("0123456789\n", 500)
	for _, p := range splitText(lines, 3000) {
		if utf8.RuneCountInString(p) > 3000 || strings.HasPrefix(p, "\n") || !strings.HasSuffix(p, "9") {
			t.Fatalf("got a part cut inside a line: %q…", p[:20])
		}
	}
}

func TestModal(t *testing.T) {
	f := &bots.Form{Title: "Pledge to C1 Community oven for the village", Token: "FT", Submit: "Envoyer", Cancel: "Annuler",
		Fields: []bots.Field{
			{Name: "amount", Label: "Amount", Placeholder: "25"},
			{Name: "reward", Label: "Reward", Optional: true, Options: []bots.Option{{Label: "Bread", Value: "R1"}, {Label: "Cake", Value: "R2"}}},
			{Name: "huge", Label: "Too many", Options: manyOptions(150)},
		}}
	v, ok := modal(f, "", "C1", false)
	if !ok {
		t.Fatal("no modal")
	}
	if v.Title.Text != "Pledge to C1 Community …" || v.Submit.Text != "Envoyer" || v.Close.Text != "Annuler" {
		t.Fatalf("got title %q submit %q close %q", v.Title.Text, v.Submit.Text, v.Close.Text)
	}
	if v.PrivateMetadata != `{"t":"FT","c":"C1"}` || v.CallbackID != formCallback {
		t.Fatalf("got metadata %q callback %q", v.PrivateMetadata, v.CallbackID)
	}
	if n := len(v.Blocks.BlockSet); n != 4 { // the long title, then three inputs
		t.Fatalf("got %d blocks, want 4", n)
	}
	if _, ok := modal(&bots.Form{Title: "x"}, "", "C1", false); ok {
		t.Fatal("a form without a token was rendered")
	}
}

func manyOptions(n int) []bots.Option {
	var out []bots.Option
	for i := range n {
		out = append(out, bots.Option{Label: "o", Value: strings.Repeat("v", i%3+1) + string(rune('a'+i%26))})
	}
	return out
}

// Ensure posts to one channel are paced (a burst of three, then one per interval),
// other channels are not held back, and a 429's pause holds the method back.
func TestLimiter(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	l := newLimiter(time.Second, 3)
	l.now = func() time.Time { return now }
	var waits []time.Duration
	for range 5 {
		waits = append(waits, l.reserve("0", "chat.postMessage", "C1"))
	}
	want := []time.Duration{0, 0, 0, time.Second, 2 * time.Second}
	if diff := cmp.Diff(want, waits); diff != "" {
		t.Fatalf("waits (-want +got):\n%s", diff)
	}
	if w := l.reserve("0", "chat.postMessage", "C2"); w != 0 {
		t.Fatalf("got %v for another channel, want 0", w)
	}
	// chat.update is tier 3: 50 a minute, then one every 1.2 s.
	for range 50 {
		if w := l.reserve("0", "chat.update", ""); w != 0 {
			t.Fatalf("got a wait of %v within the tier", w)
		}
	}
	if w := l.reserve("0", "chat.update", ""); w != 1200*time.Millisecond {
		t.Fatalf("got %v beyond the tier, want 1.2s", w)
	}
	l.pause("0", "views.open", 30*time.Second)
	if w := l.reserve("0", "views.open", ""); w != 30*time.Second {
		t.Fatalf("got %v during a pause, want 30s", w)
	}
	if w := l.reserve("1", "views.open", ""); w != 0 {
		t.Fatalf("got %v in another workspace, want 0", w)
	}
	now = now.Add(time.Minute)
	if w := l.reserve("0", "views.open", ""); w != 0 {
		t.Fatalf("got %v after the pause, want 0", w)
	}
}

func TestRecent(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	r := newRecent(time.Minute)
	r.now = func() time.Time { return now }
	if !r.add("a") || r.add("a") {
		t.Fatal("a key was not remembered")
	}
	now = now.Add(90 * time.Second)
	if r.add("a") {
		t.Fatal("a key was forgotten before its time")
	}
	now = now.Add(3 * time.Minute)
	if !r.add("a") {
		t.Fatal("a key was kept too long")
	}
	r.remove("a")
	if !r.add("a") {
		t.Fatal("a removed key was kept")
	}
}

func TestClipRunes(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want string
	}{{"abc", 3, "abc"}, {"abcd", 3, "ab…"}, {"", 3, ""}, {"é", 1, "é"}, {"éé", 1, "…"}, {"ééé", 2, "é…"}} {
		if got := clipRunes(c.s, c.n); got != c.want {
			t.Fatalf("clipRunes(%q, %d) = %q, want %q", c.s, c.n, got, c.want)
		}
	}
	if got := utf8.RuneCountInString(clipRunes(strings.Repeat("é", 100), 75)); got != 75 {
		t.Fatalf("got %d characters, want 75", got)
	}
}
