package bots

import (
	"context"

	"github.com/engage-org/engage/core"
)

// Inbox is the durable inbox of one platform's deliveries (core/inbox.go), the one
// mechanism every adapter uses so that nothing acknowledged is lost: a delivery is
// appended (one store write, shared by the store's group commit) before the
// platform is answered, its event carries the inbox ID (Event.Inbox), and handling
// the event deletes it in the transaction that makes its changes. At start, an
// adapter handles what a previous run appended and never handled (Pending).
type Inbox interface {
	// Append stores a delivery and returns its ID; it is durable on return.
	Append(ctx context.Context, payload []byte) (id string, err error)
	// AppendAll stores deliveries received together in one write and returns
	// their IDs, in order; they are durable on return.
	AppendAll(ctx context.Context, payloads [][]byte) (ids []string, err error)
	// Pending returns the deliveries appended by earlier runs (a process that
	// stopped or crashed, another instance) and not handled yet, oldest first.
	Pending(ctx context.Context) ([]Delivery, error)
	// Done deletes a delivery that will not be handled (ignored, undecodable).
	Done(ctx context.Context, id string) error
}

// Delivery is one delivery kept in an Inbox.
type Delivery struct {
	ID      string
	Payload []byte
}

// maxPending bounds how many deliveries one start takes from the inbox.
const maxPending = 100000

// Inbox returns the durable inbox of platform's deliveries for one run of the
// service (call it once per adapter and process).
func (b *Bot) Inbox(platform string) Inbox {
	return &engineInbox{engine: b.engine, platform: platform, run: core.NewRun()}
}

type engineInbox struct {
	engine   *core.Engine
	platform string
	run      string
}

func (i *engineInbox) Append(ctx context.Context, payload []byte) (string, error) {
	return i.engine.AppendInbox(ctx, i.platform, i.run, payload)
}

func (i *engineInbox) AppendAll(ctx context.Context, payloads [][]byte) ([]string, error) {
	return i.engine.AppendInboxAll(ctx, i.platform, i.run, payloads)
}

func (i *engineInbox) Pending(ctx context.Context) ([]Delivery, error) {
	var out []Delivery
	err := i.engine.View(ctx, func(tx *core.Tx) error {
		items, err := tx.Inbox(i.platform, i.run, maxPending)
		out = out[:0]
		for _, it := range items {
			out = append(out, Delivery{ID: it.ID, Payload: it.Payload})
		}
		return err
	})
	return out, err
}

func (i *engineInbox) Done(ctx context.Context, id string) error { return i.engine.InboxDone(ctx, id) }
