package telegram_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/engage-org/engage/adapters/telegram"
	"github.com/engage-org/engage/adapters/telegram/telegramtest"
	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/core"
)

const secret = "s3cret_Token-42"

// Ensure the webhook is registered with its secret token, a delivery with a
// missing or wrong secret is refused with 401 and changes nothing, and a good
// one delivered twice is handled once.
func TestWebhook(t *testing.T) {
	r := newRig(t, rigOptions{mode: "webhook", secret: secret, fakeLimits: telegramtest.TelegramLimits.Scaled(100)})
	if u, s := r.fake.Webhook(); u != "http://127.0.0.1:1/telegram/hook" || s != secret {
		t.Fatalf("webhook set to %q with secret %q", u, s)
	}
	if r.tg.WebhookPath() != "/telegram/hook" {
		t.Fatalf("webhook path %q", r.tg.WebhookPath())
	}
	srv := httptest.NewServer(r.tg.Webhook())
	defer srv.Close()
	ctx := context.Background()
	alice := user(11, "Alice")
	post := func(raw []byte, sec string) int {
		t.Helper()
		st, err := telegramtest.Post(ctx, srv.URL, raw, sec)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	_, create := r.fake.MessageUpdate(r.group, alice, "/community create Garden club lang en")
	before := r.env.Snapshot()
	for _, sec := range []string{"", "wrong", secret + "x", strings.ToLower(secret)} {
		if st := post(create, sec); st != http.StatusUnauthorized {
			t.Fatalf("secret %q: status %d, want 401", sec, st)
		}
	}
	if diff := cmp.Diff(before, r.env.Snapshot()); diff != "" {
		t.Fatalf("a refused delivery changed the state:\n%s", diff)
	}
	if n := len(r.fake.Calls("sendMessage")); n != 0 {
		t.Fatalf("a refused delivery sent %d messages", n)
	}
	if st := post([]byte(`{"update_id":`), secret); st != http.StatusBadRequest {
		t.Fatalf("garbage: status %d, want 400", st)
	}
	if st := post(create, secret); st != http.StatusOK {
		t.Fatalf("good delivery: status %d", st)
	}
	r.last(r.group, "is now the community")
	_, proj := r.fake.MessageUpdate(r.group, alice, "/project new Seed library")
	if st := post(proj, secret); st != http.StatusOK {
		t.Fatalf("status %d", st)
	}
	r.settle()
	m := r.last(r.group, "Seed library")
	_, press := r.fake.PressUpdate(user(12, "Bob"), m, m.Buttons()[0].Data)
	for range 2 {
		if st := post(press, secret); st != http.StatusOK {
			t.Fatalf("press: status %d", st)
		}
	}
	if got := followers(t, r); got != 1 {
		t.Fatalf("got %d followers after a press delivered twice, want 1", got)
	}
	a := r.fake.Answers()
	if len(a) != 2 || a[1].Text != "" || !strings.Contains(a[0].Text, "You follow P1") {
		t.Fatalf("answers %+v: want the toast, then the second press acknowledged without it (answers are sent once)", a)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET: %d", resp.StatusCode)
	}
}

// gate is a Handler that records the order events reach the bot and can hold
// some of them back.
type gate struct {
	bot  *bots.Bot
	mu   sync.Mutex
	seen map[string][]string // chat → texts in the order handled
	hold map[string]chan struct{}
	fail map[string]int // text → failures left
}

func (g *gate) Handle(ctx context.Context, ev bots.Event) ([]bots.Message, error) {
	g.mu.Lock()
	ch := g.hold[ev.Text]
	g.mu.Unlock()
	if ch != nil {
		<-ch
	}
	g.mu.Lock()
	if g.fail[ev.Text] > 0 {
		g.fail[ev.Text]--
		g.mu.Unlock()
		// As Bot.Handle does for a failure inside: an apology and the error.
		sorry := bots.Message{Platform: ev.Platform, ChatID: ev.ChatID, Direct: ev.Direct, UserID: ev.UserID, Text: "Sorry, something went wrong on my side."}
		return []bots.Message{sorry}, core.Internal("test", errors.New("store broken"))
	}
	g.seen[ev.ChatID] = append(g.seen[ev.ChatID], ev.Text)
	g.mu.Unlock()
	return g.bot.Handle(ctx, ev)
}

func (g *gate) Postpone(ctx context.Context, msgs ...bots.Message) error {
	return g.bot.Postpone(ctx, msgs...)
}

func (g *gate) MoveChat(ctx context.Context, platform, from, to string) error {
	return g.bot.MoveChat(ctx, platform, from, to)
}

// Ensure updates of one chat are handled in order while chats run in parallel,
// and the offset never moves past an update that is not handled yet, even when
// later ones (of other chats) are.
func TestOrderAndOffset(t *testing.T) {
	g := &gate{seen: map[string][]string{}, hold: map[string]chan struct{}{}, fail: map[string]int{}}
	release := make(chan struct{})
	g.hold["/help slow"] = release
	r := newRig(t, rigOptions{handler: g, fakeLimits: telegramtest.TelegramLimits.Scaled(100)})
	g.bot = r.env.Bot
	alice := user(11, "Alice")
	groups := []int64{-1001, -1002, -1003, -1004}
	for _, gid := range groups {
		r.fake.Group(gid, "g")
	}
	slow := r.fake.Say(groups[0], alice, "/help slow")
	for i := range 10 {
		for _, gid := range groups {
			r.fake.Say(gid, alice, fmt.Sprintf("/help %d", i))
		}
	}
	// The other chats are handled while the first is held.
	r.fake.Wait(testWait, "other chats handled", func() bool {
		g.mu.Lock()
		defer g.mu.Unlock()
		return len(g.seen["-1002"]) == 10 && len(g.seen["-1003"]) == 10 && len(g.seen["-1004"]) == 10
	})
	for _, off := range r.fake.Offsets() {
		if off > slow {
			t.Fatalf("offset %d passed the update %d still being handled", off, slow)
		}
	}
	g.mu.Lock()
	if n := len(g.seen["-1001"]); n != 0 {
		t.Fatalf("chat -1001 handled %d updates before its first", n)
	}
	g.mu.Unlock()
	close(release)
	r.settle()
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, gid := range groups {
		want := []string{}
		if gid == groups[0] {
			want = append(want, "/help slow")
		}
		for i := range 10 {
			want = append(want, fmt.Sprintf("/help %d", i))
		}
		if diff := cmp.Diff(want, g.seen[fmt.Sprint(gid)]); diff != "" {
			t.Fatalf("chat %d handled out of order:\n%s", gid, diff)
		}
	}
}

// Ensure an update that fails inside is retried, then skipped with an apology and
// an error in the log, so that its chat goes on and the offset moves past it.
func TestFailingUpdateIsSkipped(t *testing.T) {
	defer telegram.SetHandleBackoff([]time.Duration{time.Millisecond, time.Millisecond})()
	g := &gate{seen: map[string][]string{}, hold: map[string]chan struct{}{}, fail: map[string]int{"/help lang": 100, "/help me": 1}}
	r := newRig(t, rigOptions{handler: g, fakeLimits: telegramtest.TelegramLimits.Scaled(100)})
	g.bot = r.env.Bot
	alice := user(11, "Alice")
	r.fake.Say(r.group, alice, "/help lang") // fails every time
	r.fake.Say(r.group, alice, "/help me")   // fails once
	r.fake.Say(r.group, alice, "/help link")
	r.settle()
	g.mu.Lock()
	if got := g.fail["/help lang"]; got != 100-3 {
		t.Fatalf("the broken update was tried %d times, want 3", 100-got)
	}
	g.mu.Unlock()
	msgs := r.fake.Messages(r.group)
	if len(msgs) != 3 || !strings.Contains(msgs[0].Text, "Sorry") || !strings.Contains(msgs[1].Text, "/me") || !strings.Contains(msgs[2].Text, "/link") {
		var texts []string
		for _, m := range msgs {
			texts = append(texts, m.Text[:min(len(m.Text), 40)])
		}
		t.Fatalf("messages %q: want an apology, then the two answers", texts)
	}
	if !strings.Contains(r.logs.String(), "update skipped") {
		t.Fatal("the skipped update was not logged")
	}
}

// Ensure a fan-out of 600 messages to 60 chats (30 groups, 30 private chats) is
// delivered in full and never exceeds a limit (no 429 from the fake).
func TestFanOutWithinLimits(t *testing.T) {
	r := newRig(t, rigOptions{fakeLimits: telegramtest.TelegramLimits.Scaled(10)})
	msgs := fanOut(r, 60, 10)
	start := time.Now()
	if err := r.env.Bot.Postpone(context.Background(), msgs...); err != nil {
		t.Fatal(err)
	}
	r.fake.Wait(time.Minute, "600 messages delivered", func() bool { n, _, _ := r.fake.Sent(); return n == 600 })
	if f := r.fake.Floods(); f != 0 {
		t.Fatalf("%d messages refused with 429", f)
	}
	t.Logf("600 messages to 60 chats in %v", time.Since(start))
}

// fanOut makes rounds messages to each of chats chats, half groups and half
// private chats of people who started the bot, one round after the other (as a
// series of news to a community's followers comes out of the outbox).
func fanOut(r *rig, chats, rounds int) []bots.Message {
	var ids []string
	for i := range chats {
		if i%2 == 0 {
			id := int64(-2000 - i)
			r.fake.Group(id, "group")
			ids = append(ids, fmt.Sprint(id))
		} else {
			u := user(int64(5000+i), "Person")
			r.fake.Start(u)
			ids = append(ids, fmt.Sprint(u.ID))
		}
	}
	var out []bots.Message
	for round := range rounds {
		for i, id := range ids {
			m := bots.Message{Platform: bots.PlatformTelegram, ChatID: id, Text: fmt.Sprintf("News %d", round)}
			if i%2 == 1 {
				m.ChatID, m.Direct, m.UserID = "", true, id
			}
			out = append(out, m)
		}
	}
	return out
}
