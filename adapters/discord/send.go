package discord

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/engage-org/engage/bots"
	"github.com/engage-org/engage/core"
)

// Send delivers a message of the outbox: to its channel, or to the addressee's
// direct-message channel (Direct, or Ephemeral outside an interaction). A message
// with EditID replaces that message in place (or is sent anew when it is gone). It
// returns the ID of the message that carries the buttons: the one to edit later.
//
// Errors carry a core code: CodeUnavailable for what may pass (429, with its
// retry-after; 5xx; the network), CodeInvalid, CodeForbidden and CodeNotFound for
// what will not (a refused payload, a missing permission or a user who does not
// take direct messages, a deleted channel).
func (a *Adapter) Send(ctx context.Context, m bots.Message) (string, error) {
	ch := m.ChatID
	if m.Direct || m.Ephemeral || ch == "" {
		if m.UserID == "" {
			return "", core.Errorf(core.CodeInvalid, "err.no_user")
		}
		var err error
		if ch, err = a.dmChannel(ctx, m.UserID); err != nil {
			return "", sendError("open direct messages", err)
		}
	}
	if a := m.Attachment; a != nil && len(a.Data) > MaxFile {
		return "", &core.Error{Code: core.CodeInvalid, Op: "discord send", Err: fmt.Errorf("attachment %s of %d bytes is over %d", a.Name, len(a.Data), MaxFile)}
	}
	ps := a.pieces(m, false)
	if m.EditID != "" {
		id, err := a.edit(ctx, ch, m.EditID, ps)
		if err == nil || core.ErrorCode(err) != core.CodeNotFound {
			return id, err
		}
		a.log.Info("discord message to edit is gone; sending it anew", "channel", ch)
	}
	var id string
	for _, p := range ps {
		msg, err := a.rest.ChannelMessageSendComplex(ch, &discordgo.MessageSend{
			Content: p.content, Embeds: p.embeds(), Components: p.components, Files: p.files, AllowedMentions: noMentions,
		}, discordgo.WithContext(ctx))
		if err != nil {
			return "", sendError("send message", err)
		}
		id = msg.ID
	}
	return id, nil
}

// edit replaces message id of channel ch with the pieces (the first one: an edit
// cannot grow into several messages).
func (a *Adapter) edit(ctx context.Context, ch, id string, ps []piece) (string, error) {
	p := ps[0]
	if len(ps) > 1 {
		p.content = clipText(p.content, maxContent)
		p.components, p.files = ps[len(ps)-1].components, ps[len(ps)-1].files
	}
	comps, embeds := nonNil(p.components), p.embeds()
	msg, err := a.rest.ChannelMessageEditComplex(&discordgo.MessageEdit{
		ID: id, Channel: ch, Content: &p.content, Embeds: &embeds, Components: &comps, Files: p.files, AllowedMentions: noMentions,
	}, discordgo.WithContext(ctx))
	if err != nil {
		return "", sendError("edit message", err)
	}
	return msg.ID, nil
}

// dmChannel returns the direct-message channel with user, opening it once.
func (a *Adapter) dmChannel(ctx context.Context, user string) (string, error) {
	a.mu.Lock()
	ch, ok := a.dms[user]
	a.mu.Unlock()
	if ok {
		return ch, nil
	}
	c, err := a.rest.UserChannelCreate(user, discordgo.WithContext(ctx))
	if err != nil {
		return "", err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.dms) > 100_000 {
		clear(a.dms)
	}
	a.dms[user] = c.ID
	return c.ID, nil
}

// retryError is a rate limit: outbox.RetryAfter reads how long to wait.
type retryError struct {
	after time.Duration
	err   error
}

func (e *retryError) Error() string             { return fmt.Sprintf("%v (retry after %v)", e.err, e.after) }
func (e *retryError) Unwrap() error             { return e.err }
func (e *retryError) RetryAfter() time.Duration { return e.after }

// sendError classifies a REST failure with a core code.
func sendError(op string, err error) error {
	code := core.CodeUnavailable
	var rl *discordgo.RateLimitError
	var re *discordgo.RESTError
	var ne net.Error
	switch {
	case errors.As(err, &rl):
		err = &retryError{after: rl.RetryAfter, err: err}
	case errors.As(err, &re) && re.Response != nil:
		switch s := re.Response.StatusCode; {
		case s == http.StatusTooManyRequests:
			err = &retryError{after: time.Second, err: err}
		case s == http.StatusBadRequest || s == http.StatusRequestEntityTooLarge:
			code = core.CodeInvalid
		case s == http.StatusUnauthorized || s == http.StatusForbidden:
			code = core.CodeForbidden
		case s == http.StatusNotFound:
			code = core.CodeNotFound
		}
	case errors.As(err, &ne), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
	}
	return &core.Error{Code: code, Op: "discord " + op, Err: err}
}

// permanent reports whether a REST failure will not pass by retrying (a bad token,
// a missing permission).
func permanent(err error) bool {
	c := core.ErrorCode(sendError("", err))
	return c == core.CodeForbidden
}
