package outbox_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/bots/outbox"
)

// laned is a ParallelSender that records the order per chat and how many sends
// ran at once.
type laned struct {
	mu          sync.Mutex
	byChat      map[string][]string
	now, most   int
	failOnce    map[string]bool
	lanes       int
	concurrency time.Duration
}

func (l *laned) Lanes() int { return l.lanes }

func (l *laned) Send(_ context.Context, m bots.Message) (string, error) {
	l.mu.Lock()
	l.now++
	l.most = max(l.most, l.now)
	fail := l.failOnce[m.Text]
	delete(l.failOnce, m.Text)
	l.mu.Unlock()
	time.Sleep(l.concurrency)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.now--
	if fail {
		return "", fmt.Errorf("platform outage")
	}
	l.byChat[m.ChatID] = append(l.byChat[m.ChatID], m.Text)
	return m.Text, nil
}

// Ensure a parallel sender gets several chats at once, each chat's messages in
// order, and a chat's later messages wait for one put off (a retry), across
// batches too.
func TestDispatcherLanes(t *testing.T) {
	e := botstest.NewEnv(t, botstest.Options{NoSync: true})
	l := &laned{byChat: map[string][]string{}, lanes: 4, concurrency: 5 * time.Millisecond, failOnce: map[string]bool{"c2 m1": true}}
	d := outbox.NewDispatcher(e.Engine, e.Bot, map[string]bots.Sender{"lanes": l}, nil, nil)
	d.Batch = 7 // several batches
	var msgs []bots.Message
	for i := range 5 {
		for c := range 6 {
			msgs = append(msgs, bots.Message{Platform: "lanes", ChatID: fmt.Sprintf("c%d", c), Text: fmt.Sprintf("c%d m%d", c, i)})
		}
	}
	if err := e.Bot.Postpone(context.Background(), msgs...); err != nil {
		t.Fatal(err)
	}
	if err := d.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if l.most < 2 || l.most > 4 {
		t.Fatalf("%d sends at once, want 2 to 4", l.most)
	}
	for c := range 6 {
		chat := fmt.Sprintf("c%d", c)
		want := 5
		if c == 2 {
			want = 1 // its second message was put off (retried later): the others wait
		}
		if got := l.byChat[chat]; len(got) != want {
			t.Fatalf("chat %s got %q, want %d messages", chat, got, want)
		}
		for i, text := range l.byChat[chat] {
			if text != fmt.Sprintf("%s m%d", chat, i) {
				t.Fatalf("chat %s out of order: %q", chat, l.byChat[chat])
			}
		}
	}
}
