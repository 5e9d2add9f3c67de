package bots

import (
	"context"
	"encoding/json"
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
//
// Several instances sharing one store (pgstore) each run a dispatcher: each batch
// is claimed for Lease before it is sent, so every message is sent by one instance.
// Order is kept within a batch; two instances' batches may interleave in a chat.
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
	// Lease is how long a batch taken from a store shared by several instances is
	// reserved to this dispatcher (default 2 min): another instance's dispatcher
	// skips it meanwhile, and takes it over after, if this instance died.
	Lease time.Duration
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
		Poll: 5 * time.Second, Batch: 50, MaxAttempts: 12, Lease: 2 * time.Minute}
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
// On a store shared by several instances the batch is claimed first, so that each
// message is sent by one instance; what this one could not try is released.
func (d *Dispatcher) sendDue(ctx context.Context, platform string) (int, error) {
	items, err := d.engine.ClaimOutbox(ctx, platform, d.Batch, d.Lease)
	if err != nil {
		return 0, err
	}
	for i, it := range items {
		if err := ctx.Err(); err != nil {
			d.release(ctx, items[i:])
			return 0, err
		}
		if err := d.send(ctx, platform, it); err != nil {
			d.release(ctx, items[i+1:])
			return 0, err
		}
	}
	return len(items), nil
}

// release gives back claimed messages this dispatcher will not send now, even as
// ctx ends (shutting down).
func (d *Dispatcher) release(ctx context.Context, items []*core.OutboxItem) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := d.engine.ReleaseOutbox(ctx, items); err != nil {
		d.log.Warn("release outbox messages", "n", len(items), "err", err)
	}
}

// send delivers one item and records the outcome.
func (d *Dispatcher) send(ctx context.Context, platform string, it *core.OutboxItem) error {
	var m Message
	if err := json.Unmarshal(it.Payload, &m); err != nil {
		d.log.Error("undecodable outbox item dropped", "seq", it.Seq, "err", err)
		_, err := d.engine.Update(ctx, func(tx *core.Tx) error { return tx.OutboxSent(it.Seq) })
		return err
	}
	if m.Ref != "" && m.Edit {
		err := d.engine.View(ctx, func(tx *core.Tx) error {
			var err error
			m.EditID, err = tx.MessageRef(m.Platform, m.chatKey(), m.Ref)
			return err
		})
		if err != nil {
			return err
		}
	}
	sender := d.senders[platform]
	msgID, sendErr := sender.Send(ctx, m)
	if d.metrics != nil {
		d.metrics.Sent(platform, sendErr)
	}
	if sendErr != nil && ctx.Err() != nil {
		return ctx.Err() // shutting down: the item stays for the next start
	}
	_, err := d.engine.Update(ctx, func(tx *core.Tx) error {
		if sendErr == nil {
			if m.Ref != "" && msgID != "" {
				if err := tx.SetMessageRef(m.Platform, m.chatKey(), m.Ref, msgID); err != nil {
					return err
				}
			}
			return tx.OutboxDelivered(it.Seq, it.Version)
		}
		code := core.ErrorCode(sendErr)
		permanent := code == core.CodeInvalid || code == core.CodeForbidden || code == core.CodeNotFound
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
	return err
}

// backoff is the wait after the n-th failed attempt: 1 s doubling up to 10 min.
func backoff(n int) time.Duration {
	d := time.Second << min(n, 10)
	return min(d, 10*time.Minute)
}
