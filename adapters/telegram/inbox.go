package telegram

import (
	"context"
	"encoding/json"
	"sync"
)

// With an Inbox (Config.Inbox), updates are kept durably from the moment they are
// received: long polling appends every update of a getUpdates answer in one write
// (shared with the others of the moment by the store's group commit), then asks
// for the next ones with the offset past them, so that Telegram forgets them at
// once and nothing is fetched or decoded twice; the webhook appends its update
// before it answers 200. Each update is then handled from the inbox in the order
// of its chat (the orderer's lanes), and its handling deletes it in the
// transaction that makes its changes. A crash loses nothing: the next start
// handles what is left in the inbox first, in the order it was received.

// maxInflight bounds the updates received and not handled yet: past it, polling
// waits for the handling to catch up (the inbox keeps them meanwhile).
const maxInflight = 4 * pollWindow

// keptUpdate reports whether an update is worth keeping in the inbox: one with
// something to handle. A press on a foreign message, a photo, a service message
// are answered (a press's toast) or ignored at once.
func keptUpdate(up update) bool { return up.Event != nil || up.MoveTo != "" }

// gate counts the updates received and not handled yet.
type gate struct {
	mu      sync.Mutex // guards the fields below
	n       int
	changed chan struct{} // closed (and replaced) when an update ends
}

func newGate() *gate { return &gate{changed: make(chan struct{})} }

func (g *gate) add(n int) {
	g.mu.Lock()
	g.n += n
	g.mu.Unlock()
}

func (g *gate) done() {
	g.mu.Lock()
	g.n--
	close(g.changed)
	g.changed = make(chan struct{})
	g.mu.Unlock()
}

// busy returns how many updates are in flight, and a channel closed when one ends.
func (g *gate) busy() (int, <-chan struct{}) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.n, g.changed
}

// wait returns once fewer than limit updates are in flight, or ctx ends.
func (g *gate) wait(ctx context.Context, limit int) error {
	for {
		g.mu.Lock()
		n, ch := g.n, g.changed
		g.mu.Unlock()
		if n < limit {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		}
	}
}

// recoverInbox queues the updates an earlier run received and did not handle,
// oldest first, and returns their update IDs: Telegram may send them again (the
// earlier run died before its next getUpdates confirmed them), and those are
// then skipped.
func (a *Adapter) recoverInbox(ctx context.Context, o *orderer) map[int]bool {
	seen := map[int]bool{}
	if a.cfg.Inbox == nil {
		return seen
	}
	pending, err := a.cfg.Inbox.Pending(ctx)
	if err != nil {
		a.log.Error("telegram inbox: updates of the previous run not read", "err", err)
		return seen
	}
	if len(pending) > 0 {
		a.log.Info("telegram inbox: handling updates received before the restart", "n", len(pending))
	}
	for _, d := range pending {
		up, err := decodeUpdate(d.Payload, a.name)
		if err != nil || !keptUpdate(up) {
			a.log.Warn("telegram inbox: update not handled", "err", err)
			a.inboxDone(ctx, d.ID)
			continue
		}
		seen[up.ID] = true
		a.submitKept(o, up, d.ID)
	}
	return seen
}

// submitKept hands an update kept in the inbox under id to the orderer.
func (a *Adapter) submitKept(o *orderer, up update, id string) {
	up.inbox = id
	if up.Event != nil {
		up.Event.Inbox = id
	}
	a.inflight.add(1)
	o.submit(a.job(up, func(bool) { a.inflight.done() }))
}

// inboxDone deletes an update the inbox kept and that will not be handled by bots.
func (a *Adapter) inboxDone(ctx context.Context, id string) {
	if a.cfg.Inbox == nil || id == "" {
		return
	}
	if err := a.cfg.Inbox.Done(context.WithoutCancel(ctx), id); err != nil {
		a.log.Warn("telegram inbox", "err", err)
	}
}

// pollInbox is the long-polling loop with an inbox: the updates of each answer
// are appended to it, the offset moves past them at once, and they are handled
// from it. skip holds the updates recovered from the inbox at start.
func (a *Adapter) pollInbox(ctx context.Context, o *orderer, skip map[int]bool) error {
	offset, fails := 0, 0
	for ctx.Err() == nil {
		if a.inflight.wait(ctx, maxInflight) != nil {
			return nil
		}
		// No pause between polls while updates are handled, unlike polling
		// without an inbox: no poll fetches an update a second time, and the
		// poll at once after one confirms its updates, whose answers then need
		// no record (mayComeBack).
		raws, err := a.updates(ctx, offset, a.pollTimeout)
		if err == nil {
			a.confirm(offset)
			offset, err = a.keep(ctx, o, raws, offset, skip)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			fails++
			if !a.waitAfterFailure(ctx, err, fails) {
				return nil
			}
			continue
		}
		fails = 0
	}
	return nil
}

// keep appends the updates of one getUpdates answer to the inbox (one write),
// hands them to the orderer and returns the offset past them. When they cannot
// be stored, the offset stays: Telegram sends them again.
func (a *Adapter) keep(ctx context.Context, o *orderer, raws []json.RawMessage, offset int, skip map[int]bool) (int, error) {
	next := offset
	var ups []update
	var payloads [][]byte
	for _, raw := range raws {
		up, err := decodeUpdate(raw, a.name)
		if err != nil {
			// Confirmed all the same if it has an ID, so that it does not come back.
			id, perr := peekID(raw)
			if perr != nil {
				a.log.Warn("update without an id ignored", "err", err)
			} else if id >= offset {
				next = max(next, id+1)
				a.log.Warn("undecodable update skipped", "update_id", id, "err", err)
			}
			continue
		}
		id := up.ID
		if id < offset {
			continue // below the offset: a stale delivery, stored and taken already
		}
		next = max(next, id+1)
		if skip[id] {
			continue // recovered from the inbox: handled from there
		}
		if !keptUpdate(up) {
			if up.Callback != "" { // a press with nothing to do: its toast only
				a.inflight.add(1)
				o.submit(a.job(up, func(bool) { a.inflight.done() }))
			}
			continue
		}
		ups = append(ups, up)
		payloads = append(payloads, raw)
	}
	if len(ups) > 0 {
		ids, err := a.cfg.Inbox.AppendAll(ctx, payloads)
		if err != nil {
			a.log.Error("telegram inbox: updates not stored, they will be fetched again", "n", len(ups), "err", err)
			return offset, err
		}
		for i, up := range ups {
			a.submitKept(o, up, ids[i])
		}
	}
	for id := range skip {
		if id < next {
			delete(skip, id)
		}
	}
	return next, nil
}
