package outbox_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/bots/botstest"
	"github.com/engage-org/engage/core"
)

type retryErr struct{ after time.Duration }

func (e retryErr) Error() string             { return "rate limited" }
func (e retryErr) RetryAfter() time.Duration { return e.after }
func (e retryErr) Unwrap() error             { return core.Errorf(core.CodeUnavailable, "err.internal") }
func outboxLen(t *testing.T, e *botstest.Env) int {
	t.Helper()
	var n int
	_ = e.Engine.View(context.Background(), func(tx *core.Tx) error {
		var err error
		n, _, err = tx.OutboxStats()
		return err
	})
	return n
}

// Ensure a transient failure is retried after the platform's retry-after (or a
// backoff) and then delivered, and a permanent refusal is dropped, not retried.
func TestDispatcher_Retry(t *testing.T) {
	e := setup(t)
	fails := 0
	e.Sent.Fail = func(m bots.Message) error {
		switch {
		case strings.Contains(m.Text, "flaky") && fails < 2:
			fails++
			return retryErr{after: 30 * time.Second}
		case strings.Contains(m.Text, "refused"):
			return core.Errorf(core.CodeForbidden, "err.internal")
		case strings.Contains(m.Text, "down"):
			return errors.New("connection reset")
		}
		return nil
	}
	e.Say("alice", "/news P1 flaky news")
	if got := len(e.Sent.Messages()); got != 0 || outboxLen(t, e) != 2 {
		t.Fatalf("after a 429: sent %d, waiting %d; want 0 and 2 (chat post and bob's DM)", got, outboxLen(t, e))
	}
	// Not before the retry-after.
	e.Clock.Set(botstest.Start.Add(20 * time.Second))
	_ = e.Dispatcher.Flush(context.Background())
	if got := len(e.Sent.Messages()); got != 0 {
		t.Fatalf("sent %d before retry-after", got)
	}
	e.Clock.Set(botstest.Start.Add(31 * time.Second))
	_ = e.Dispatcher.Flush(context.Background())
	if got := len(e.Sent.Messages()); got != 2 || outboxLen(t, e) != 0 {
		t.Fatalf("after retry-after: sent %d, waiting %d", got, outboxLen(t, e))
	}
	e.Sent.Reset()
	e.Say("alice", "/news P1 refused news")
	if outboxLen(t, e) != 0 || len(e.Sent.Messages()) != 0 {
		t.Fatalf("a permanent refusal was kept: waiting %d", outboxLen(t, e))
	}
	e.Say("alice", "/news P1 down news")
	if n := outboxLen(t, e); n != 2 {
		t.Fatalf("an unknown failure was not kept for retry: waiting %d", n)
	}
}

// Ensure a message sent under a Ref is edited in place later, in each chat.
func TestDispatcher_EditByRef(t *testing.T) {
	e := setup(t)
	send := func(text string, edit bool) {
		_, err := e.Engine.Update(context.Background(), func(tx *core.Tx) error {
			return botstest.Outbox(tx, bots.Message{Platform: "test", ChatID: "group", Text: text, Ref: "poll:c1:V1", Edit: edit}, "poll:c1:V1")
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Dispatcher.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	send("tally 0", false)
	send("tally 1", true)
	send("tally 2", true)
	ms := e.Sent.Messages()
	if len(ms) != 3 || ms[0].EditID != "" || ms[1].EditID == "" || ms[2].EditID != ms[1].EditID {
		t.Fatalf("got %+v", ms)
	}
}

// setup makes a community with alice (admin) and project P1 followed by bob.
func setup(t *testing.T) *botstest.Env {
	t.Helper()
	e := botstest.NewEnv(t, botstest.Options{NoSync: true})
	e.Say("alice", "/community create Garden Club lang en")
	e.Say("alice", "/project new Garden — a shared garden")
	e.Say("bob", "/follow P1")
	e.Sent.Reset()
	return e
}
