package telegram_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engage-org/engage/adapters/telegram"
	"github.com/engage-org/engage/adapters/telegram/telegramtest"
	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/core"
)

// frozen is the handler of an instance about to die: it takes every update and
// never finishes one, until the instance is killed.
type frozen struct {
	telegram.Handler
	killed chan struct{}
	mu     sync.Mutex
	got    int
}

func (f *frozen) Handle(ctx context.Context, ev bots.Event) ([]bots.Message, error) {
	f.mu.Lock()
	f.got++
	f.mu.Unlock()
	<-f.killed
	return nil, errors.New("killed")
}

// instance runs a Telegram adapter with the inbox on r's fake and store; stop
// ends it as a crash would (its context ends, nothing more is handled).
func instance(t *testing.T, r *rig, h telegram.Handler, mode string) (*telegram.Adapter, func()) {
	t.Helper()
	tg, err := telegram.New(t.Context(), telegram.Config{
		Token: telegramtest.Token, APIURL: r.fake.URL(), Handler: h, Mode: mode,
		WebhookURL: "http://127.0.0.1:1/telegram/hook", WebhookSecret: "s3cret",
		PollTimeout: time.Second, Inbox: r.env.Bot.Inbox(bots.PlatformTelegram),
		Log: slog.New(slog.NewTextHandler(r.logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := tg.Run(ctx); err != nil {
			t.Errorf("run: %v", err)
		}
	}()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Error("adapter did not stop")
			}
		})
	}
	t.Cleanup(stop)
	return tg, stop
}

// inboxLen counts the Telegram updates waiting in the inbox.
func inboxLen(t *testing.T, r *rig) int {
	t.Helper()
	n := 0
	err := r.env.Engine.View(context.Background(), func(tx *core.Tx) error {
		items, err := tx.Inbox(bots.PlatformTelegram, "", 1<<20)
		n = len(items)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Ensure an update stored in the inbox is confirmed to Telegram at once (the
// offset moves past it before it is handled: nothing is fetched twice) and,
// when the instance dies before handling it, is handled exactly once by the next
// start, in the order of its chat: news posted once each, in order, and every
// press counted once.
func TestInbox_PollingAcknowledgedThenKilled(t *testing.T) {
	testInboxKilled(t, telegram.ModePolling)
}

// Ensure the same with the webhook: a delivery answered 200 (stored, not handled
// yet) survives the death of the instance and is handled once by the next start.
func TestInbox_WebhookAcknowledgedThenKilled(t *testing.T) {
	testInboxKilled(t, telegram.ModeWebhook)
}

func testInboxKilled(t *testing.T, mode string) {
	r := newRig(t, rigOptions{})
	alice := user(11, "Alice")
	r.say(r.group, alice, "/community create Garden club lang en")
	r.say(r.group, alice, "/project new Seed library")
	proj := r.last(r.group, "Seed library")
	r.close() // the adapter of the set-up, without an inbox

	dead := &frozen{Handler: r.env.Bot, killed: make(chan struct{})}
	tg, kill := instance(t, r, dead, mode)
	const news, presses = 12, 8
	var raws [][]byte
	for i := range news {
		_, raw := r.fake.MessageUpdate(r.group, alice, fmt.Sprintf("/news P1 item-%02d", i))
		raws = append(raws, raw)
		if i < presses {
			_, raw := r.fake.PressUpdate(user(int64(200+i), fmt.Sprintf("Member%d", i)), proj, proj.Buttons()[0].Data)
			raws = append(raws, raw)
		}
	}
	if mode == telegram.ModeWebhook {
		r.fake.Wait(testWait, "webhook set", func() bool { u, _ := r.fake.Webhook(); return u != "" })
		srv := httptest.NewServer(tg.Webhook())
		defer srv.Close()
		for i, raw := range raws {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			st, err := telegramtest.Post(ctx, srv.URL, raw, "s3cret")
			cancel()
			if err != nil || st != 200 {
				t.Fatalf("delivery %d: status %d, %v: not answered 200 before it was handled", i, st, err)
			}
		}
	} else {
		for _, raw := range raws {
			r.fake.Queue(raw)
		}
		// Confirmed to Telegram while none is handled: the offset moved as soon
		// as they were stored.
		r.fake.Wait(5*time.Second, "the updates confirmed before they are handled", func() bool { return r.fake.Pending() == 0 })
	}
	if got := inboxLen(t, r); got != len(raws) {
		t.Fatalf("%d updates in the inbox, want the %d acknowledged", got, len(raws))
	}
	go func() { // the handlers stuck in the dead instance return once its context ended
		time.Sleep(100 * time.Millisecond)
		close(dead.killed)
	}()
	kill()
	if got := len(r.env.Snapshot().Communities[0].Projects[0].News); got != 0 {
		t.Fatalf("%d news before the restart", got)
	}

	_, stop := instance(t, r, r.env.Bot, telegram.ModePolling)
	r.fake.Wait(testWait, "the inbox emptied", func() bool { return inboxLen(t, r) == 0 })
	stop()
	snap := r.env.Snapshot().Communities[0].Projects[0]
	if len(snap.News) != news {
		t.Fatalf("%d news after the restart, want %d", len(snap.News), news)
	}
	for i, n := range snap.News {
		if want := fmt.Sprintf("item-%02d", i); !strings.Contains(n.Text, want) {
			t.Fatalf("news %d is %q, want %s: handled out of order", i, n.Text, want)
		}
	}
	if snap.Followers != presses {
		t.Fatalf("%d followers, want %d", snap.Followers, presses)
	}
	if got := len(r.fake.Answers()); got != presses {
		t.Fatalf("%d presses answered, want %d, once each", got, presses)
	}
	_, stop = instance(t, r, r.env.Bot, telegram.ModePolling) // a further start finds nothing to do
	time.Sleep(200 * time.Millisecond)
	stop()
	if got := len(r.env.Snapshot().Communities[0].Projects[0].News); got != news {
		t.Fatalf("%d news after a second restart, want %d", got, news)
	}
}
