package telegram_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/telegram"
	"github.com/engage-org/engage/adapters/telegram/telegramtest"
	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/bots/outbox"
	"github.com/engage-org/engage/core"
)

// testWait bounds how long a test waits for the adapter to catch up.
const testWait = 20 * time.Second

// rig is an adapter on a fake Bot API, with a real bot on bbolt behind it and
// the outbox dispatcher sending through the adapter.
type rig struct {
	t     testing.TB
	fake  *telegramtest.Server
	env   *botstest.Env
	tg    *telegram.Adapter
	disp  *outbox.Dispatcher
	logs  *syncBuffer
	stop  context.CancelFunc
	done  chan struct{}
	group int64
}

type rigOptions struct {
	fakeLimits telegramtest.Limits
	limits     telegram.Limits
	mode       string
	secret     string
	handler    telegram.Handler // nil: the bot
}

func newRig(t testing.TB, opt rigOptions) *rig {
	t.Helper()
	if opt.fakeLimits == (telegramtest.Limits{}) {
		opt.fakeLimits = telegramtest.TelegramLimits
	}
	if opt.limits == (telegram.Limits{}) { // keep to the fake's limits
		opt.limits = telegram.Limits(opt.fakeLimits)
	}
	fake := telegramtest.New(t, opt.fakeLimits)
	env := botstest.NewEnv(t, botstest.Options{NoSync: true, Lang: "en"})
	r := &rig{t: t, fake: fake, env: env, logs: &syncBuffer{}, group: -1001234}
	fake.Group(r.group, "Garden club")
	var h telegram.Handler = env.Bot
	if opt.handler != nil {
		h = opt.handler
	}
	cfg := telegram.Config{
		Token: telegramtest.Token, APIURL: fake.URL(), Handler: h, Mode: opt.mode,
		WebhookURL: "http://127.0.0.1:1/telegram/hook", WebhookSecret: opt.secret,
		Limits: opt.limits, PollTimeout: 2 * time.Second,
		Menus: map[string][]bots.CommandInfo{"": env.Bot.Menu("en"), "en": env.Bot.Menu("en"), "fr": env.Bot.Menu("fr")},
		Log:   slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	tg, err := telegram.New(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	r.tg = tg
	r.disp = outbox.NewDispatcher(env.Engine, env.Bot, map[string]bots.Sender{bots.PlatformTelegram: tg}, nil, nil)
	r.disp.Notify = true
	r.disp.Poll = 50 * time.Millisecond
	env.Bot.OnOutbox(r.disp.Wake)
	ctx, cancel := context.WithCancel(context.Background())
	r.stop, r.done = cancel, make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := tg.Run(ctx); err != nil {
			t.Errorf("run: %v", err)
		}
	})
	wg.Go(func() { _ = r.disp.Run(ctx) })
	go func() { wg.Wait(); close(r.done) }()
	t.Cleanup(r.close)
	if opt.mode == "webhook" {
		fake.Wait(testWait, "webhook set", func() bool { u, _ := fake.Webhook(); return u != "" })
	} else {
		fake.Wait(testWait, "first poll", func() bool { return len(fake.Offsets()) > 0 })
	}
	return r
}

// close stops the adapter and the dispatcher and waits for them.
func (r *rig) close() {
	r.stop()
	select {
	case <-r.done:
	case <-time.After(30 * time.Second):
		r.t.Error("adapter did not stop")
	}
}

// say queues a message and waits until it was handled (its update confirmed).
func (r *rig) say(chat int64, u telegramtest.User, text string) {
	r.t.Helper()
	r.fake.Say(chat, u, text)
	r.settle()
}

// press presses a button and waits until the press was handled.
func (r *rig) press(u telegramtest.User, m telegramtest.Msg, label string) {
	r.t.Helper()
	r.fake.Press(u, m, label)
	r.settle()
}

// settle waits until every queued update was confirmed and no message is due in
// the outbox.
func (r *rig) settle() {
	r.t.Helper()
	r.fake.Wait(testWait, "updates confirmed", func() bool { return r.fake.Pending() == 0 })
	r.fake.Wait(testWait, "outbox sent", func() bool { return r.due() == 0 })
}

// due returns how many messages are due in the outbox.
func (r *rig) due() int {
	n := 0
	_ = r.env.Engine.View(context.Background(), func(tx *core.Tx) error {
		items, err := tx.Outbox("", tx.Now(), 1000)
		n = len(items)
		return err
	})
	return n
}

// outbox returns how many messages wait in the outbox (due or not).
func (r *rig) outbox() int {
	n := 0
	_ = r.env.Engine.View(context.Background(), func(tx *core.Tx) error {
		var err error
		n, _, err = tx.OutboxStats()
		return err
	})
	return n
}

// last returns the last message to chat containing substr, failing if none.
func (r *rig) last(chat int64, substr string) telegramtest.Msg {
	r.t.Helper()
	m, ok := r.fake.Last(chat, substr)
	if !ok {
		var texts []string
		for _, m := range r.fake.Messages(chat) {
			texts = append(texts, m.Text)
		}
		r.t.Fatalf("no message containing %q in chat %d; got %q", substr, chat, texts)
	}
	return m
}

func user(id int64, name string) telegramtest.User {
	return telegramtest.User{ID: id, FirstName: name, Username: strings.ToLower(name), Lang: "en"}
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
