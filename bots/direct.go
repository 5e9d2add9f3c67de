package bots

import (
	"context"
	"fmt"
	"time"

	"github.com/engage-org/engage/core"
)

// Postpone writes msgs to the outbox, for an adapter that could not deliver an
// answer at once (a direct message the platform refused until the person opens a
// conversation, a platform outage): the dispatcher sends them like any fan-out, or
// holds them.
func (b *Bot) Postpone(ctx context.Context, msgs ...Message) error {
	if len(msgs) == 0 {
		return nil
	}
	res, err := b.engine.Update(ctx, func(tx *core.Tx) error {
		for _, m := range msgs {
			if err := writeOutbox(tx, m, "", time.Time{}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postpone messages: %w", err)
	}
	b.woke(res)
	return nil
}

// releaseDirect makes the direct messages held for the actor due now: they just
// wrote to the bot, so the platform lets the bot write back.
func (c *turn) releaseDirect() error {
	_, err := c.tx.ReleaseHeld(core.HoldKey(c.ev.Platform, c.ev.UserID))
	return err
}

// HeldNotice tells the addressee of the held message m, in the chat of their most
// recently active community on m's platform, that a direct message waits for them,
// with a button that opens the conversation. Without such a chat it does nothing:
// the message waits all the same.
func (b *Bot) HeldNotice(tx *core.Tx, m Message, startURL string) error {
	p, err := tx.PersonByAccount(m.Platform, m.UserID)
	if core.ErrorCode(err) == core.CodeNotFound {
		return nil
	} else if err != nil {
		return err
	}
	var comm *core.Community
	var chat core.ChatRef
	var last time.Time
	ms, err := tx.Memberships(p)
	if err != nil {
		return err
	}
	for _, mb := range ms {
		c, err := tx.Community(mb.Community)
		if err != nil {
			return err
		}
		for _, ch := range c.Chats {
			if ch.Platform == m.Platform && (comm == nil || mb.LastActive.After(last)) {
				comm, chat, last = c, ch, mb.LastActive
				break
			}
		}
	}
	if comm == nil {
		return nil
	}
	name, handle := p.Name, ""
	for _, id := range p.Identities {
		if id.Platform == m.Platform && id.UserID == m.UserID {
			handle = id.Handle
			if id.Name != "" {
				name = id.Name
			}
		}
	}
	data := dmClosedText{Name: name, Handle: handle}
	notice := Message{
		Platform: chat.Platform, ChatID: chat.ChatID,
		Text: b.cat.Text(comm.Lang, "dm.closed", data),
	}
	if startURL != "" {
		notice.Buttons = [][]Button{{{Label: b.cat.Text(comm.Lang, "button.start_dm", nil), URL: startURL}}}
	}
	return writeOutbox(tx, notice, "dmclosed:"+core.HoldKey(m.Platform, m.UserID), time.Time{})
}

// MoveChat records that a platform chat got a new ID (Telegram upgrades a group
// to a supergroup under a new ID), so that its community follows it. Adapters
// call it when the platform says so; it is idempotent.
func (b *Bot) MoveChat(ctx context.Context, platform, from, to string) error {
	var moved bool
	_, err := b.engine.Update(ctx, func(tx *core.Tx) error {
		var err error
		moved, err = tx.MoveChat(platform, from, to)
		return err
	})
	if err != nil {
		return fmt.Errorf("move chat: %w", err)
	}
	if moved {
		b.log.Info("community chat moved", "platform", platform, "from", from, "to", to)
	}
	return nil
}

// dmClosedText is what the text dm.closed shows.
type dmClosedText struct {
	Name   string
	Handle string
}
