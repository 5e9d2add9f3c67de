package outbox

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
	// Notify, when set, tells a person in their community chat that a direct
	// message waits for them to open a conversation with the bot (see
	// NoDirectError); without it the message waits all the same.
	Notify bool

	render Renderer // renders live messages, and tells of held ones
}

// Renderer is what the dispatcher needs of the conversation layer, inside the
// transaction of a send: a live message rendered from current state (false: what it
// showed is gone, drop it), and the notice, in the person's community chat, that a
// direct message waits for them to open a conversation with the bot.
type Renderer interface {
	RenderLive(tx *core.Tx, m *Message) (bool, error)
	HeldNotice(tx *core.Tx, m Message, startURL string) error
}

// ParallelSender is a Sender that may be called concurrently for different chats.
// The dispatcher then sends each chat's messages in order, one after the other,
// and up to Lanes chats at the same time.
type ParallelSender interface {
	Sender
	Lanes() int
}

// DispatchMetrics is what the dispatcher reports.
type DispatchMetrics interface {
	Sent(platform string, err error)
}

// NewDispatcher returns a dispatcher sending through senders, keyed by platform.
// render renders live messages when they are sent (the bot; nil drops them).
func NewDispatcher(engine *core.Engine, render Renderer, senders map[string]Sender, log *slog.Logger, m DispatchMetrics) *Dispatcher {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d := &Dispatcher{engine: engine, render: render, senders: senders, log: log, metrics: m, wakes: map[string]chan struct{}{},
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
	if ps, ok := d.senders[platform].(ParallelSender); ok && ps.Lanes() > 1 {
		return d.sendLanes(ctx, platform, ps.Lanes())
	}
	items, err := d.engine.ClaimOutbox(ctx, platform, d.Batch, d.Lease)
	if err != nil {
		return 0, err
	}
	for i, it := range items {
		if err := ctx.Err(); err != nil {
			d.release(ctx, items[i:])
			return 0, err
		}
		if _, err := d.send(ctx, platform, it); err != nil {
			d.release(ctx, items[i+1:])
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
// go slowly (a busy group) never holds the others back. A chat with a message put
// off (a retry) waits for it, so that it never sees its messages out of order. It
// returns how many messages it tried, once none is left that can go now.
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
			chats, err := d.claimChats(ctx, platform, active, lanes-len(active))
			first = cmp.Or(first, err)
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

// chatOf is the chat an outbox item goes to (an undecodable one is a chat of its
// own).
func chatOf(it *core.OutboxItem) string {
	var m Message
	if json.Unmarshal(it.Payload, &m) != nil {
		return "seq:" + fmt.Sprint(it.Seq)
	}
	return m.ChatKey()
}

// claimChats claims the due messages of up to max chats that are not busy and
// have no message put off, at most laneBatch a chat, in the order their first
// message was written; what it claimed beyond that it releases.
func (d *Dispatcher) claimChats(ctx context.Context, platform string, busy map[string]bool, max int) ([]laneChat, error) {
	later := map[string]bool{} // chats with a message put off until later
	err := d.engine.View(ctx, func(tx *core.Tx) error {
		clear(later)
		all, err := tx.Outbox(platform, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), maxScan)
		for _, it := range all {
			// A held direct message does not hold back the next ones: they are
			// tried, held too, and all go out in order when released.
			if it.NotBefore.After(tx.Now()) && it.Hold == "" {
				later[chatOf(it)] = true
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	items, err := d.engine.ClaimOutboxWhere(ctx, platform, max*laneBatch, d.Lease, func(it *core.OutboxItem) bool {
		k := chatOf(it)
		return !busy[k] && !later[k]
	})
	if err != nil {
		return nil, err
	}
	var chats []laneChat
	var extra []*core.OutboxItem
	index := map[string]int{}
	for _, it := range items {
		k := chatOf(it)
		i, ok := index[k]
		if !ok && len(chats) < max {
			i, ok = len(chats), true
			index[k] = i
			chats = append(chats, laneChat{key: k})
		}
		if !ok || len(chats[i].items) == laneBatch {
			extra = append(extra, it)
			continue
		}
		chats[i].items = append(chats[i].items, it)
	}
	d.release(ctx, extra)
	return chats, nil
}

// sendChat sends one chat's messages in order, stopping at the first one put off
// (its later ones wait for it, and are released), and returns how many it tried.
func (d *Dispatcher) sendChat(ctx context.Context, platform string, items []*core.OutboxItem) (int, error) {
	for i, it := range items {
		sent, err := d.send(ctx, platform, it)
		if err != nil || !sent {
			d.release(ctx, items[i+1:])
			return i + 1, err
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

// send delivers one item and records the outcome; sent is false when the item
// stays in the outbox for later.
func (d *Dispatcher) send(ctx context.Context, platform string, it *core.OutboxItem) (sent bool, err error) {
	var m Message
	if err := json.Unmarshal(it.Payload, &m); err != nil {
		d.log.Error("undecodable outbox item dropped", "seq", it.Seq, "err", err)
		_, err := d.engine.Update(ctx, func(tx *core.Tx) error { return tx.OutboxSent(it.Seq) })
		return true, err
	}
	if m.Ref != "" && m.Edit && !m.Live { // a live message's edit finds its ID as it is rendered
		err := d.engine.View(ctx, func(tx *core.Tx) error {
			var err error
			m.EditID, err = tx.MessageRef(m.Platform, m.ChatKey(), m.Ref)
			return err
		})
		if err != nil {
			return false, err
		}
	}
	if m.Live {
		show, err := d.renderLive(ctx, &m)
		if err != nil {
			return false, err
		}
		if !show {
			_, err := d.engine.Update(ctx, func(tx *core.Tx) error { return tx.OutboxSent(it.Seq) })
			return true, err
		}
	}
	sender := d.senders[platform]
	msgID, sendErr := sender.Send(ctx, m)
	for _, part := range m.More {
		if sendErr != nil {
			break
		}
		next := Message{Platform: m.Platform, ChatID: m.ChatID, Direct: m.Direct, UserID: m.UserID, Text: part}
		_, sendErr = sender.Send(ctx, next)
	}
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
			if err != nil || !first || !d.Notify || d.render == nil {
				return err
			}
			d.log.Info("direct message held until the person writes to the bot", "platform", platform, "seq", it.Seq)
			return d.render.HeldNotice(tx, m, noDirect.StartURL)
		}
		if sendErr == nil {
			if m.Ref != "" && msgID != "" {
				if err := tx.SetMessageRef(m.Platform, m.ChatKey(), m.Ref, msgID); err != nil {
					return err
				}
			}
			return tx.OutboxDelivered(it.Seq, it.Version)
		}
		code := core.ErrorCode(sendErr)
		permanent := code == core.CodeInvalid || code == core.CodeForbidden || code == core.CodeNotFound || noDirect != nil
		if permanent || it.Attempts+1 >= d.MaxAttempts {
			d.log.Warn("message dropped", "platform", platform, "seq", it.Seq, "attempts", it.Attempts+1, "err", sendErr)
			return tx.OutboxSent(it.Seq)
		}
		wait, ok := RetryAfter(sendErr)
		if !ok {
			wait = Backoff(it.Attempts)
		}
		d.log.Warn("send failed, will retry", "platform", platform, "seq", it.Seq, "in", wait, "err", sendErr)
		return tx.OutboxRetry(it.Seq, tx.Now().Add(wait), fmt.Sprint(code))
	})
	return sendErr == nil, err
}

// renderLive renders a live message from the current state (see live.go), in
// the same transaction that finds the platform ID of the message an edit replaces. It
// reports false when the message is to be dropped: what it showed is gone, or
// there is no bot to render it.
func (d *Dispatcher) renderLive(ctx context.Context, m *Message) (bool, error) {
	if d.render == nil {
		d.log.Error("live message dropped: the dispatcher has no renderer", "ref", m.Ref)
		return false, nil
	}
	var show bool
	_, err := d.engine.Update(ctx, func(tx *core.Tx) error {
		var err error
		if m.Edit {
			if m.EditID, err = tx.MessageRef(m.Platform, m.ChatKey(), m.Ref); err != nil {
				return err
			}
		}
		show, err = d.render.RenderLive(tx, m)
		return err
	})
	return show, err
}

// Backoff is the wait after the n-th failed attempt: 1 s doubling up to 10 min.
func Backoff(n int) time.Duration {
	d := time.Second << min(n, 10)
	return min(d, 10*time.Minute)
}
