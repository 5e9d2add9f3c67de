package discord

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/engage-org/engage/bots"
)

// maxLane bounds the messages of one chat waiting to be handled.
const maxLane = 100

// lane is the queue of one chat's messages: they are handled in order, one at a
// time, while different chats go in parallel.
type lane struct {
	queue []bots.Event
}

// decodeMessage reads a MESSAGE_CREATE: a person writing in a channel the bot sees
// or to the bot directly. Bots' and webhooks' messages, and system messages, are
// not events. A leading mention of the bot is taken off ("@Engage /help").
func decodeMessage(raw []byte, botID string) (bots.Event, bool) {
	var m struct {
		ID        string                `json:"id"`
		ChannelID string                `json:"channel_id"`
		GuildID   string                `json:"guild_id"`
		Content   string                `json:"content"`
		Type      discordgo.MessageType `json:"type"`
		WebhookID string                `json:"webhook_id"`
		Author    *discordgo.User       `json:"author"`
		Member    *discordgo.Member     `json:"member"`
	}
	if json.Unmarshal(raw, &m) != nil || m.ID == "" || m.ChannelID == "" || m.Author == nil || m.Author.ID == "" {
		return bots.Event{}, false
	}
	if m.Author.Bot || m.Author.System || m.WebhookID != "" || m.Author.ID == botID {
		return bots.Event{}, false
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return bots.Event{}, false
	}
	text := strings.TrimSpace(m.Content)
	if botID != "" {
		for _, at := range []string{"<@" + botID + ">", "<@!" + botID + ">"} {
			if rest, ok := strings.CutPrefix(text, at); ok {
				text = strings.TrimSpace(rest)
			}
		}
	}
	ev := bots.Event{
		Platform: bots.PlatformDiscord, ChatID: m.ChannelID, Direct: m.GuildID == "",
		UserID: m.Author.ID, UserName: displayName(m.Member, m.Author), Handle: m.Author.Username,
		Kind: bots.KindMessage, Text: text, Key: "discord:" + m.ID,
	}
	ev.Mentions = mentions(text, nil)
	return ev, true
}

// enqueue puts ev in its chat's lane, starting the lane's worker if idle.
func (a *Adapter) enqueue(ev bots.Event) {
	a.mu.Lock()
	defer a.mu.Unlock()
	l, running := a.lanes[ev.ChatID]
	if !running {
		l = &lane{}
		a.lanes[ev.ChatID] = l
	}
	if len(l.queue) >= maxLane {
		a.log.Warn("discord chat busy: message dropped", "channel", ev.ChatID)
		a.inboxDone(ev.Inbox)
		return
	}
	l.queue = append(l.queue, ev)
	if !running {
		a.wg.Go(func() { a.drain(ev.ChatID) })
	}
}

// drain handles a chat's messages in order until its lane is empty.
func (a *Adapter) drain(chat string) {
	for {
		a.mu.Lock()
		l := a.lanes[chat]
		if len(l.queue) == 0 {
			delete(a.lanes, chat)
			a.mu.Unlock()
			return
		}
		ev := l.queue[0]
		l.queue = l.queue[1:]
		a.mu.Unlock()
		a.message(ev)
	}
}

// message handles one message and sends the answer.
func (a *Adapter) message(ev bots.Event) {
	ctx, cancel := context.WithTimeout(a.life, handleTimeout)
	defer cancel()
	select {
	case a.busy <- struct{}{}:
		defer func() { <-a.busy }()
	case <-ctx.Done():
		return
	}
	out, err := a.cfg.Handler.Handle(ctx, ev)
	if err != nil { // the bot logged it; its apology is in out
		a.log.Debug("discord event failed", "key", ev.Key, "err", err)
		if a.life.Err() == nil {
			a.inboxDone(ev.Inbox)
		}
	}
	for _, m := range out {
		if m.Form != nil {
			continue
		}
		if _, err := a.Send(ctx, m); err != nil {
			a.log.Warn("discord send answer", "key", ev.Key, "err", err)
		}
	}
	a.answered(ctx, ev.Key)
}
