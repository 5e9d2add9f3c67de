package bots_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/core"
)

// closedDM refuses direct messages to the people in it, as Telegram does until
// they start the bot.
type closedDM struct {
	mu     sync.Mutex
	closed map[string]bool
}

func (c *closedDM) fail(m bots.Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if (m.Direct || m.Ephemeral) && c.closed[m.UserID] {
		return errors.Join(&core.Error{Code: core.CodeForbidden}, &bots.NoDirectError{StartURL: "https://t.me/bot?start=dm"})
	}
	return nil
}

func (c *closedDM) open(user string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.closed, user)
}

// Ensure a direct message the platform refuses until the person opens a
// conversation waits in the outbox, the person is told once in the community
// chat with a start button (in the community's language), and the messages go
// out, in order, when they next write to the bot.
func TestDirectMessageHeldUntilStart(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		t.Run(lang, func(t *testing.T) {
			e := botstest.NewEnv(t, botstest.Options{NoSync: true})
			dm := &closedDM{closed: map[string]bool{"bob": true}}
			e.Sent.Fail = dm.fail
			e.Say("alice", "/community create Club lang "+lang)
			e.Say("alice", "/project new Garden")
			e.Say("bob", "/follow P1")
			e.Say("alice", "/news P1 First seeds are in")
			e.Say("alice", "/news P1 Second batch")
			var notices []bots.Message
			for _, m := range e.Sent.Messages() {
				if len(m.Buttons) == 1 && m.Buttons[0][0].URL != "" {
					notices = append(notices, m)
				}
				if m.Direct && m.UserID == "bob" {
					t.Fatalf("a direct message reached bob before he opened the conversation: %q", m.Text)
				}
			}
			if len(notices) != 1 {
				t.Fatalf("got %d notices, want 1", len(notices))
			}
			n := notices[0]
			want := map[string]string{"en": "private message for you", "fr": "message privé pour vous"}[lang]
			if n.ChatID != e.Chat || n.Direct || !strings.Contains(n.Text, want) || !strings.Contains(n.Text, "@bob") ||
				n.Buttons[0][0].URL != "https://t.me/bot?start=dm" {
				t.Fatalf("notice %+v", n)
			}
			e.Sent.Reset()
			dm.open("bob")
			e.Say("bob", "> /start dm")
			var got []string
			for _, m := range e.Sent.Messages() {
				if m.Direct && m.UserID == "bob" {
					got = append(got, m.Text)
				}
			}
			if len(got) != 2 || !strings.Contains(got[0], "First seeds") || !strings.Contains(got[1], "Second batch") {
				t.Fatalf("bob got %q after starting, want both news in order", got)
			}
			e.Sent.Reset()
			if err := e.Dispatcher.Flush(context.Background()); err != nil {
				t.Fatal(err)
			}
			if n := len(e.Sent.Messages()); n != 0 {
				t.Fatalf("%d messages sent again", n)
			}
		})
	}
}
