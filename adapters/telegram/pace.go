package telegram

import (
	"context"
	"sync"
	"time"
)

// Limits are the sending limits the adapter keeps to. Telegram documents them
// only roughly (Bots FAQ): about 30 messages a second overall, one a second to
// the same chat, 20 a minute to the same group. Edits count as messages.
type Limits struct {
	// PerSecond is the most messages in any one second, overall (0: no limit).
	PerSecond int
	// ChatGap is the least time between two messages to one chat (0: none).
	ChatGap time.Duration
	// PerGroupMinute is the most messages to one group in any one minute (0: no
	// limit).
	PerGroupMinute int
}

// TelegramLimits are Telegram's limits, the default.
var TelegramLimits = Limits{PerSecond: 30, ChatGap: time.Second, PerGroupMinute: 20}

// pacer keeps sends within Limits, before Telegram has to refuse them. Each limit
// is a sliding window over the times sends finished: a send is only counted as
// gone once its answer came back, so however long the request took to arrive,
// Telegram never sees more than the limit in any window. A send in flight counts
// in every window until it finishes.
type pacer struct {
	lim Limits
	now func() time.Time

	mu      sync.Mutex // guards the fields below
	global  window
	chats   map[int64]*chatPace
	changed chan struct{} // closed (and replaced) when a send is taken or finishes
	swept   time.Time
	waiting []*waiter // messages in acquire, first come first
	queued  uint64    // waiters so far
}

// chatPace is the windows of one chat.
type chatPace struct {
	gap   window // one message per ChatGap
	group window // PerGroupMinute per minute, for groups (negative chat IDs)
}

// window is one sliding-window limit: at most n sends in any span.
type window struct {
	n     int
	span  time.Duration
	done  []time.Time // when recent sends finished, oldest first
	busy  int         // sends in flight
	until time.Time   // a 429: nothing before this
}

func newPacer(lim Limits, now func() time.Time) *pacer {
	if now == nil {
		now = time.Now
	}
	return &pacer{
		lim: lim, now: now,
		global:  window{n: lim.PerSecond, span: time.Second},
		chats:   map[int64]*chatPace{},
		changed: make(chan struct{}),
	}
}

// wait returns how long until one more send fits in w: 0 now, -1 once a send in
// flight finishes.
func (w *window) wait(now time.Time) time.Duration {
	if w.n <= 0 || w.span <= 0 {
		if now.Before(w.until) {
			return w.until.Sub(now)
		}
		return 0
	}
	cut := now.Add(-w.span)
	i := 0
	for i < len(w.done) && !w.done[i].After(cut) {
		i++
	}
	w.done = w.done[i:]
	var d time.Duration
	if now.Before(w.until) {
		d = w.until.Sub(now)
	}
	if len(w.done)+w.busy < w.n {
		return d
	}
	if w.busy >= w.n {
		return -1
	}
	return max(d, w.done[len(w.done)+w.busy-w.n].Sub(cut))
}

func (w *window) take() {
	if w.n > 0 {
		w.busy++
	}
}

func (w *window) finish(at time.Time) {
	if w.n > 0 {
		w.busy--
		w.done = append(w.done, at)
	}
}

func (w *window) idle(now time.Time) bool {
	return w.busy == 0 && now.After(w.until) && (len(w.done) == 0 || now.Sub(w.done[len(w.done)-1]) > w.span)
}

func (p *pacer) chat(id int64) *chatPace {
	c := p.chats[id]
	if c == nil {
		c = &chatPace{gap: window{n: 1, span: p.lim.ChatGap}}
		if p.lim.ChatGap <= 0 {
			c.gap.n = 0
		}
		if id < 0 {
			c.group = window{n: p.lim.PerGroupMinute, span: time.Minute}
		}
		p.chats[id] = c
	}
	return c
}

// ticket is one send allowed by the pacer; finish it when the answer is back.
type ticket struct {
	p *pacer
	c *chatPace
}

// acquire waits until a message to chat fits every limit, and counts it in.
// Waiting messages go first come, first served, except that one whose chat must
// wait (its gap, its group's minute) lets the next go: so every chat gets its
// share, and no chat is held back by another's limit.
func (p *pacer) acquire(ctx context.Context, chat int64) (ticket, error) {
	p.mu.Lock()
	p.queued++
	me := &waiter{n: p.queued, chat: chat}
	p.waiting = append(p.waiting, me)
	p.mu.Unlock()
	defer p.leave(me)
	for {
		p.mu.Lock()
		now := p.now()
		p.sweep(now)
		c := p.chat(chat)
		d := p.wait(now, c)
		if d == 0 && !p.earlierReady(me, now) {
			p.global.take()
			c.gap.take()
			c.group.take()
			p.broadcast() // the next in line may go too
			p.mu.Unlock()
			return ticket{p: p, c: c}, nil
		}
		changed := p.changed
		p.mu.Unlock()
		switch {
		case d < 0:
			d = time.Second // a send in flight: its end wakes us sooner
		case d == 0:
			d = 50 * time.Millisecond // an earlier message goes first: its taking wakes us
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ticket{}, ctx.Err()
		case <-changed:
		case <-t.C:
		}
		t.Stop()
	}
}

// waiter is a message waiting in acquire.
type waiter struct {
	n    uint64 // arrival order
	chat int64
}

// earlierReady reports whether a message that came before me could go now.
// Called with mu held.
func (p *pacer) earlierReady(me *waiter, now time.Time) bool {
	for _, w := range p.waiting {
		if w == me {
			return false
		}
		if p.wait(now, p.chat(w.chat)) == 0 {
			return true
		}
	}
	return false
}

// leave takes w out of the line.
func (p *pacer) leave(w *waiter) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, x := range p.waiting {
		if x == w {
			p.waiting = append(p.waiting[:i], p.waiting[i+1:]...)
			break
		}
	}
}

// broadcast wakes every waiter. Called with mu held.
func (p *pacer) broadcast() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// wait returns how long until a message to c fits every limit: 0 now, -1 once a
// send in flight ends. Called with mu held.
func (p *pacer) wait(now time.Time, c *chatPace) time.Duration {
	var d time.Duration
	for _, w := range []*window{&p.global, &c.gap, &c.group} {
		x := w.wait(now)
		if x < 0 {
			return -1
		}
		d = max(d, x)
	}
	return d
}

// finish records that the send of t got its answer.
func (t ticket) finish() {
	if t.p == nil {
		return
	}
	p := t.p
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	p.global.finish(now)
	t.c.gap.finish(now)
	t.c.group.finish(now)
	p.broadcast()
}

// block holds back every message to chat for d (Telegram's retry_after).
func (p *pacer) block(chat int64, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.chat(chat)
	if until := p.now().Add(d); until.After(c.gap.until) {
		c.gap.until = until
	}
}

// sweep forgets idle chats, once a minute.
func (p *pacer) sweep(now time.Time) {
	if now.Sub(p.swept) < time.Minute {
		return
	}
	p.swept = now
	for id, c := range p.chats {
		if c.gap.idle(now) && c.group.idle(now) {
			delete(p.chats, id)
		}
	}
}
