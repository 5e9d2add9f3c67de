package discord_test

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/discord"
	"github.com/engage-org/engage/adapters/discord/discordtest"
	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/core"
)

// frozen stands for an instance about to die: once on, it takes every event and
// never finishes one (until the test ends).
type frozen struct {
	discord.Handler
	on      atomic.Bool
	release chan struct{}
}

func (f *frozen) Handle(ctx context.Context, ev bots.Event) ([]bots.Message, error) {
	if !f.on.Load() {
		return f.Handler.Handle(ctx, ev)
	}
	<-f.release
	return nil, errors.New("killed")
}

func newFrozen(h discord.Handler) *frozen {
	return &frozen{Handler: h, release: make(chan struct{})}
}

// discordInbox counts the Discord deliveries waiting in the inbox.
func discordInbox(t *testing.T, env *botstest.Env) int {
	t.Helper()
	n := 0
	err := env.Engine.View(context.Background(), func(tx *core.Tx) error {
		items, err := tx.Inbox(bots.PlatformDiscord, "", 1<<20)
		n = len(items)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// restart runs a second instance (http mode: no gateway connection, the dead
// one keeps it) on env, which handles what the inbox kept.
func restart(t *testing.T, fake *discordtest.Server, env *botstest.Env) {
	t.Helper()
	pub, _, _ := ed25519.GenerateKey(nil)
	ad, err := discord.New(discord.Config{Token: fake.Token, APIURL: fake.URL(), GuildID: "900", Handler: env.Bot,
		Commands: env.Bot.Commands(), Texts: texts, Mode: discord.ModeHTTP, PublicKey: hex.EncodeToString(pub),
		Inbox: env.Bot.Inbox(bots.PlatformDiscord)})
	if err != nil {
		t.Fatal(err)
	}
	disp := outbox.NewDispatcher(env.Engine, env.Bot, map[string]bots.Sender{bots.PlatformDiscord: ad}, nil, nil)
	disp.Poll = 50 * time.Millisecond
	env.Bot.OnOutbox(disp.Wake)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = ad.Run(ctx) })
	wg.Go(func() { _ = disp.Run(ctx) })
	t.Cleanup(func() { cancel(); wg.Wait() })
}

// newsIn returns the texts of project P1's news.
func newsIn(env *botstest.Env) []string {
	var out []string
	for _, n := range env.Snapshot().Communities[0].Projects[0].News {
		out = append(out, n.Text)
	}
	return out
}

// Ensure interactions and messages the gateway delivered are stored before they
// are handled: an instance that took them and died before handling any loses
// none, and the next start handles each exactly once, the messages of a chat in
// their order, the interactions answered after the earlier run's deferral.
func TestInbox_GatewayKilledBeforeHandling(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	var dead *frozen
	h := start(t, fake, func(c *discord.Config, env *botstest.Env) {
		dead = newFrozen(env.Bot)
		c.Handler, c.Inbox, c.DeferAfter = dead, env.Bot.Inbox(bots.PlatformDiscord), 100*time.Millisecond
	})
	t.Cleanup(func() { close(dead.release) }) // before the dead instance is stopped
	h.community()
	dead.on.Store(true)
	const n = 8
	var ids []string
	for i := range n {
		ids = append(ids, fake.Command(alice, here, "news", discordtest.S("id", "P1"), discordtest.S("text", fmt.Sprintf("slash-%d", i))))
		fake.Write(alice, here, fmt.Sprintf("/news P1 typed-%d", i))
	}
	fake.Eventually("every delivery stored", func() bool { return discordInbox(t, h.env) == 2*n })
	for _, id := range ids {
		h.answered(id) // deferred by the dying instance
	}
	if got := newsIn(h.env); len(got) != 0 {
		t.Fatalf("news before the restart: %q", got)
	}

	restart(t, fake, h.env)
	fake.Eventually("the inbox emptied", func() bool { return discordInbox(t, h.env) == 0 })
	got := newsIn(h.env)
	var typed []string
	count := map[string]int{}
	for _, text := range got {
		count[text]++
		if strings.HasPrefix(text, "typed-") {
			typed = append(typed, text)
		}
	}
	if len(got) != 2*n || len(count) != 2*n {
		t.Fatalf("news after the restart %q, want %d, once each", got, 2*n)
	}
	for i, text := range typed {
		if text != fmt.Sprintf("typed-%d", i) {
			t.Fatalf("typed news %q: out of order", typed)
		}
	}
	// Each interaction's answer followed its deferral (an edit of the original
	// response), once.
	for _, id := range ids {
		fake.Eventually("the answer to "+id, func() bool {
			in := fake.Interaction(id)
			return in != nil && (in.Original != nil && in.Original.Text() != "" || len(in.Followups) > 0)
		})
	}
}

// Ensure an interaction posted to the endpoint and answered (deferred) by an
// instance that died before handling it is handled exactly once by the next
// start.
func TestInbox_HTTPKilledBeforeHandling(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	h := start(t, fake, nil)
	h.community()
	pub, priv, _ := ed25519.GenerateKey(nil)
	dead := newFrozen(h.env.Bot)
	t.Cleanup(func() { close(dead.release) })
	dead.on.Store(true)
	ad, err := discord.New(discord.Config{Token: fake.Token, APIURL: fake.URL(), GuildID: "900", Handler: dead,
		Commands: h.env.Bot.Commands(), Texts: texts, Mode: discord.ModeHTTP, PublicKey: hex.EncodeToString(pub),
		DeferAfter: 100 * time.Millisecond, Inbox: h.env.Bot.Inbox(bots.PlatformDiscord)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ad)
	t.Cleanup(srv.Close)
	const n = 6
	for i := range n {
		raw, _ := fake.Payload(2, alice, here, map[string]any{"id": "1", "name": "news", "type": 1,
			"options": []discordtest.Opt{discordtest.S("id", "P1"), discordtest.S("text", fmt.Sprintf("posted-%d", i))}}, "")
		code, body := signed(t, srv.URL, priv, time.Now(), raw)
		if code != 200 || !strings.Contains(body, `"type":5`) {
			t.Fatalf("interaction %d: got %d %s, want a deferral", i, code, body)
		}
	}
	if got := discordInbox(t, h.env); got != n {
		t.Fatalf("%d interactions in the inbox, want the %d answered", got, n)
	}
	restart(t, fake, h.env)
	fake.Eventually("the inbox emptied", func() bool { return discordInbox(t, h.env) == 0 })
	got := newsIn(h.env)
	count := map[string]int{}
	for _, text := range got {
		count[text]++
	}
	if len(got) != n || len(count) != n {
		t.Fatalf("news after the restart %q, want %d, once each", got, n)
	}
}
