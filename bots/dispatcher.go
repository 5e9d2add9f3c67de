package bots

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/engage-org/engage/core"
)

// Dispatcher sends the outbox: one worker per platform takes the messages due, in
// the order they were written, sends them through the platform's Sender and removes
// each once sent. A failed send is retried with backoff (or after the platform's
// retry-after); nothing leaves the outbox unsent except a message the platform
// refuses for good, which is logged. A crash between a send and its removal sends
// that one message again on restart: delivery is at least once.
type Dispatcher struct {
	engine  *core.Engine
	senders map[string]Sender
	log     *slog.Logger
	metrics DispatchMetrics

	mu    sync.Mutex // guards wakes
	wakes map[string]chan struct{}

	// Poll bounds how long a worker sleeps before looking at the outbox again
	// (default 5 s): messages another instance wrote, or delayed ones, are found.
	Poll time.Duration
	// Batch is how many messages a worker takes at once (default 50).
	Batch int
	// MaxAttempts drops a message that failed this many times (default 12).
	MaxAttempts int
	// Notify, when set, tells a person in their community chat that a direct
	// message waits for them to open a conversation with the bot (see
	// NoDirectError); without it the message waits all the same.
	Notify *Bot
}

// ParallelSender is a Sender that may be called concurrently for different chats.
// The dispatcher then sends each chat's messages in order, one chat's after the
// other, and up to Lanes chats at the same time.
type ParallelSender interface {
	Sender
	Lanes() int
}

// DispatchMetrics is what the dispatcher reports.
type DispatchMetrics interface {
	Sent(platform string, err error)
}

// NewDispatcher returns a dispatcher sending through senders, keyed by platform.
func NewDispatcher(engine *core.Engine, senders map[string]Sender, log *slog.Logger, m DispatchMetrics) *Dispatcher {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d := &Dispatcher{engine: engine, senders: senders, log: log, metrics: m, wakes: map[string]chan struct{}{},
		Poll: 5 * time.Second, Batch: 50, MaxAttempts: 12}
	for p := range senders {
		d.wakes[p] = make(chan struct{}, 1)
	}
	return d
}

// Wake tells the workers that messages were written.
func (d *Dispatcher) Wake() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, ch := range d.wakes {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// Run sends until ctx ends: one worker per platform.
func (d *Dispatcher) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for p := range d.senders {
		wg.Go(func() { d.work(ctx, p) })
	}
	wg.Wait()
	return nil
}

func (d *Dispatcher) work(ctx context.Context, platform string) {
	d.mu.Lock()
	wake := d.wakes[platform]
	d.mu.Unlock()
	for ctx.Err() == nil {
		n, err := d.sendDue(ctx, platform)
		if err != nil && ctx.Err() == nil {
			d.log.Error("send outbox", "platform", platform, "err", err)
		}
		if n > 0 && err == nil {
			continue // there may be more
		}
		t := time.NewTimer(d.Poll)
		select {
		case <-ctx.Done():
		case <-wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// Flush sends every message due now on every platform, including those the sends
// themselves cause, and returns when none is left (the console runs it after each
// line, so output is deterministic).
func (d *Dispatcher) Flush(ctx context.Context) error {
	for {
		total := 0
		for p := range d.senders {
			n, err := d.sendDue(ctx, p)
			if err != nil {
				return err
			}
			total += n
		}
		if total == 0 {
			return nil
		}
	}
}

// sendDue sends one batch of platform's due messages and returns how many it tried.
func (d *Dispatcher) sendDue(ctx context.Context, platform string) (int, error) {
	lanes := 1
	if ps, ok := d.senders[platform].(ParallelSender); ok {
		lanes = ps.Lanes()
	}
	if lanes > 1 {
		return d.sendLanes(ctx, platform, lanes)
	}
	var items []*core.OutboxItem
	err := d.engine.View(ctx, func(tx *core.Tx) error {
		var err error
		items, err = tx.Outbox(platform, tx.Now(), d.Batch)
		return err
	})
	if err != nil {
		return 0, err
	}
	for _, it := range items {
		if _, err := d.send(ctx, platform, it); err != nil {
			return 0, err
		}
	}
	return len(items), nil
}

// Bounds of sendLanes.
const (
	maxScan    = 10000                 // outbox items looked at in one scan
	laneBatch  = 20                    // messages one lane takes from one chat at a time
	laneRescan = 50 * time.Millisecond // how often free lanes look for new messages
)

// sendLanes sends platform's due messages through up to lanes lanes, one chat a
// lane: each chat's messages in order, different chats at once. A lane that ends
// frees its place for the next chat with messages due, so that a chat that must
// go slowly (a busy group) never holds the others back. A chat's message waits for
// every earlier one of the same chat, even one put off until later (a retry), so
// that a chat never sees its messages out of order. It returns how many messages
// it tried, once none is left that can go now.
func (d *Dispatcher) sendLanes(ctx context.Context, platform string, lanes int) (int, error) {
	type result struct {
		chat string
		n    int
		err  error
	}
	results := make(chan result, lanes)
	active := map[string]bool{} // chats with a lane running
	total := 0
	var first error
	for {
		if len(active) < lanes && first == nil && ctx.Err() == nil {
			chats, err := d.dueByChat(ctx, platform, active, lanes-len(active))
			if err != nil {
				first = err
			}
			for _, c := range chats {
				active[c.key] = true
				go func() { // owned by this loop, which waits for every lane's result
					n, err := d.sendChat(ctx, platform, c.items)
					results <- result{chat: c.key, n: n, err: err}
				}()
			}
		}
		if len(active) == 0 {
			return total, first
		}
		var rescan <-chan time.Time
		var t *time.Timer
		if len(active) < lanes {
			t = time.NewTimer(laneRescan)
			rescan = t.C
		}
		select {
		case r := <-results:
			delete(active, r.chat)
			total += r.n
			first = cmp.Or(first, r.err)
		case <-rescan:
		}
		if t != nil {
			t.Stop()
		}
	}
}

// laneChat is one chat's due messages, in order.
type laneChat struct {
	key   string
	items []*core.OutboxItem
}

// dueByChat returns the due messages of up to max chats not in busy, in the order
// their first message was written.
func (d *Dispatcher) dueByChat(ctx context.Context, platform string, busy map[string]bool, max int) ([]laneChat, error) {
	var chats []laneChat
	err := d.engine.View(ctx, func(tx *core.Tx) error {
		chats = nil
		all, err := tx.Outbox(platform, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), maxScan)
		if err != nil {
			return err
		}
		index := map[string]int{}
		skip := map[string]bool{} // chats to leave for now
		for _, it := range all {
			var m Message
			k := "seq:" + fmt.Sprint(it.Seq) // an undecodable item is a chat of its own
			if json.Unmarshal(it.Payload, &m) == nil {
				k = m.chatKey()
			}
			if busy[k] || skip[k] {
				continue
			}
			if it.NotBefore.After(tx.Now()) {
				// A message put off holds back its chat's later ones; a held direct
				// message does not: they are tried, held too, and all go out in
				// order when released.
				skip[k] = it.Hold == ""
				continue
			}
			i, ok := index[k]
			if !ok {
				if len(chats) == max {
					continue
				}
				i = len(chats)
				index[k] = i
				chats = append(chats, laneChat{key: k})
			}
			if len(chats[i].items) < laneBatch {
				chats[i].items = append(chats[i].items, it)
			}
		}
		return nil
	})
	return chats, err
}

// sendChat sends one chat's messages in order, stopping at the first one put off
// (its later ones wait for it), and returns how many it tried.
func (d *Dispatcher) sendChat(ctx context.Context, platform string, items []*core.OutboxItem) (int, error) {
	for i, it := range items {
		sent, err := d.send(ctx, platform, it)
		if err != nil || !sent {
			return i + 1, err
		}
	}
	return len(items), nil
}

// send delivers one item and records the outcome; sent is false when the item
// stays in the outbox for later.
func (d *Dispatcher) send(ctx context.Context, platform string, it *core.OutboxItem) (sent bool, err error) {
	var m Message
	if err := json.Unmarshal(it.Payload, &m); err != nil {
		d.log.Error("undecodable outbox item dropped", "seq", it.Seq, "err", err)
		_, err := d.engine.Update(ctx, func(tx *core.Tx) error { return tx.OutboxSent(it.Seq) })
		return true, err
	}
	if m.Ref != "" && m.Edit {
		err := d.engine.View(ctx, func(tx *core.Tx) error {
			var err error
			m.EditID, err = tx.MessageRef(m.Platform, m.chatKey(), m.Ref)
			return err
		})
		if err != nil {
			return false, err
		}
	}
	sender := d.senders[platform]
	msgID, sendErr := sender.Send(ctx, m)
	if d.metrics != nil {
		d.metrics.Sent(platform, sendErr)
	}
	if sendErr != nil && ctx.Err() != nil {
		return false, ctx.Err() // shutting down: the item stays for the next start
	}
	var noDirect *NoDirectError
	_, err = d.engine.Update(ctx, func(tx *core.Tx) error {
		if sendErr != nil && errors.As(sendErr, &noDirect) && m.UserID != "" && tx.Now().Sub(it.Created) < HoldFor {
			first, err := tx.HoldOutbox(it.Seq, core.HoldKey(m.Platform, m.UserID), tx.Now().Add(HoldFor))
			if err != nil || !first || d.Notify == nil {
				return err
			}
			d.log.Info("direct message held until the person writes to the bot", "platform", platform, "seq", it.Seq)
			return d.Notify.noDirect(tx, m, noDirect.StartURL)
		}
		if sendErr == nil {
			if m.Ref != "" && msgID != "" {
				if err := tx.SetMessageRef(m.Platform, m.chatKey(), m.Ref, msgID); err != nil {
					return err
				}
			}
			return tx.OutboxSent(it.Seq)
		}
		code := core.ErrorCode(sendErr)
		permanent := code == core.CodeInvalid || code == core.CodeForbidden || code == core.CodeNotFound || noDirect != nil
		if permanent || it.Attempts+1 >= d.MaxAttempts {
			d.log.Warn("message dropped", "platform", platform, "seq", it.Seq, "attempts", it.Attempts+1, "err", sendErr)
			return tx.OutboxSent(it.Seq)
		}
		wait, ok := RetryAfter(sendErr)
		if !ok {
			wait = backoff(it.Attempts)
		}
		d.log.Warn("send failed, will retry", "platform", platform, "seq", it.Seq, "in", wait, "err", sendErr)
		return tx.OutboxRetry(it.Seq, tx.Now().Add(wait), fmt.Sprint(code))
	})
	return sendErr == nil, err
}

// backoff is the wait after the n-th failed attempt: 1 s doubling up to 10 min.
func backoff(n int) time.Duration {
	d := time.Second << min(n, 10)
	return min(d, 10*time.Minute)
}
