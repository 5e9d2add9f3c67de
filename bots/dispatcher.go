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

// maxScan bounds the outbox items sendLanes looks at in one pass.
const maxScan = 10000

// sendLanes sends one batch of platform's due messages grouped by chat: each
// chat's in order, up to lanes chats at once. A chat's message waits for every
// earlier one of the same chat, even one put off until later (a retry), so that a
// chat never sees its messages out of order.
func (d *Dispatcher) sendLanes(ctx context.Context, platform string, lanes int) (int, error) {
	var chats [][]*core.OutboxItem
	n := 0
	err := d.engine.View(ctx, func(tx *core.Tx) error {
		all, err := tx.Outbox(platform, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), maxScan)
		if err != nil {
			return err
		}
		index := map[string]int{}
		later := map[string]bool{} // chats with a message put off
		for _, it := range all {
			var m Message
			_ = json.Unmarshal(it.Payload, &m) // an undecodable item has a lane of its own ("")
			k := m.chatKey()
			if later[k] && k != "" {
				continue
			}
			if it.NotBefore.After(tx.Now()) {
				// A held direct message does not hold back the next ones: they are
				// tried, and held too, and all go out together when released.
				later[k] = it.Hold == ""
				continue
			}
			i, ok := index[k]
			if !ok || k == "" {
				i = len(chats)
				index[k] = i
				chats = append(chats, nil)
			}
			chats[i] = append(chats[i], it)
			if n++; n >= d.Batch {
				break
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	sem := make(chan struct{}, lanes)
	var wg sync.WaitGroup
	var mu sync.Mutex // guards first
	var first error
	for _, chat := range chats {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			for _, it := range chat {
				sent, err := d.send(ctx, platform, it)
				if err != nil {
					mu.Lock()
					first = cmp.Or(first, err)
					mu.Unlock()
					return
				}
				if !sent {
					return // put off: the chat's later messages wait for it
				}
			}
		})
	}
	wg.Wait()
	if first != nil {
		return 0, first
	}
	return n, nil
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
