package discord

import (
	"context"
	"encoding/json"

	"github.com/bwmarrin/discordgo"
	"github.com/engage-org/engage/bots"
)

// With an Inbox (Config.Inbox), what Discord delivers is kept durably before it
// is handled: an interaction (over the gateway, or posted to the interactions
// endpoint) and a message written to the bot are appended to the inbox (one
// write, shared with the others of the moment by the store's group commit), then
// handled; the handling deletes it in the transaction that makes its changes. An
// interaction's answer within Discord's three seconds is unchanged (a form still
// opens as a modal in the answer): the write only comes first. After a crash,
// the next start handles what is left, in the order it came, answering an
// interaction by REST while its token lives and by messages after.

// kept is what the inbox keeps of a delivery: the interaction as Discord sent
// it, or a message with the bot's ID at the time (to read a leading mention).
type kept struct {
	Interaction json.RawMessage `json:"i,omitempty"`
	Message     json.RawMessage `json:"m,omitempty"`
	Bot         string          `json:"bot,omitempty"`
}

// keepInteraction appends an interaction to the inbox, and notes its ID in in.
// It reports false when it could not be stored.
func (a *Adapter) keepInteraction(ctx context.Context, in *incoming, raw []byte) bool {
	if a.cfg.Inbox == nil || !keptInteraction(in) {
		return true
	}
	payload, _ := json.Marshal(kept{Interaction: raw})
	id, err := a.cfg.Inbox.Append(ctx, payload)
	if err != nil {
		a.log.Error("discord inbox: interaction not stored", "interaction", in.ID, "err", err)
		return false
	}
	in.inbox = id
	return true
}

// keptInteraction reports whether an interaction is worth keeping: one the bot
// handles (not a ping or an autocompletion, which change nothing).
func keptInteraction(in *incoming) bool {
	return in.Type != discordgo.InteractionPing && in.Type != discordgo.InteractionApplicationCommandAutocomplete
}

// keepMessage appends a message event to the inbox and returns it with its inbox
// ID; false when it could not be stored (it is then not handled: the gateway
// acknowledges nothing, and the person sees no answer).
func (a *Adapter) keepMessage(ev bots.Event, raw []byte, bot string) (bots.Event, bool) {
	if a.cfg.Inbox == nil {
		return ev, true
	}
	payload, _ := json.Marshal(kept{Message: raw, Bot: bot})
	id, err := a.cfg.Inbox.Append(a.life, payload)
	if err != nil {
		a.log.Error("discord inbox: message not stored", "key", ev.Key, "err", err)
		return ev, false
	}
	ev.Inbox = id
	return ev, true
}

// inboxDone deletes a kept delivery that will not be handled by the bot.
func (a *Adapter) inboxDone(id string) {
	if a.cfg.Inbox == nil || id == "" {
		return
	}
	if err := a.cfg.Inbox.Done(context.WithoutCancel(a.life), id); err != nil {
		a.log.Warn("discord inbox", "err", err)
	}
}

// recoverInbox handles what an earlier run kept and did not handle, in order:
// messages in their chats' lanes, interactions answered by REST.
func (a *Adapter) recoverInbox(ctx context.Context) {
	if a.cfg.Inbox == nil {
		return
	}
	pending, err := a.cfg.Inbox.Pending(ctx)
	if err != nil {
		a.log.Error("discord inbox: deliveries of the previous run not read", "err", err)
		return
	}
	if len(pending) > 0 {
		a.log.Info("discord inbox: handling deliveries received before the restart", "n", len(pending))
	}
	for _, d := range pending {
		var k kept
		if json.Unmarshal(d.Payload, &k) != nil {
			a.inboxDone(d.ID)
			continue
		}
		if len(k.Message) > 0 {
			ev, ok := decodeMessage(k.Message, k.Bot)
			if !ok {
				a.inboxDone(d.ID)
				continue
			}
			ev.Inbox = d.ID
			a.enqueue(ev)
			continue
		}
		in, err := decodeInteraction(k.Interaction, a.cfg.Now())
		if err != nil || !keptInteraction(in) {
			a.inboxDone(d.ID)
			continue
		}
		in.inbox, in.recovered = d.ID, true
		a.wg.Go(func() { a.interact(in, a.restResponder(in)) })
	}
}
