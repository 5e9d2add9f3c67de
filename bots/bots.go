// Package bots is the platform-neutral conversation layer of Engage: a platform
// adapter turns what it receives into an Event, Bot.Handle answers it with Messages,
// and fan-out (news to followers, tallies in every linked chat, nudges) goes through
// the durable outbox that the Dispatcher sends through each platform's Sender.
//
// bots owns the chat language (commands, button actions, dialogs), identity
// resolution and linking, the scheduler of timed jobs, and the outbox dispatcher.
// Business rules stay in core; texts come from prompts. bots imports core and
// prompts, never store or an adapter, and no platform type crosses into it.
package bots

import (
	"context"
	"errors"
	"time"
)

// Platform names. An adapter may use any other name; these are the known ones.
const (
	PlatformConsole  = "console"
	PlatformTelegram = "telegram"
	PlatformSlack    = "slack"
	PlatformDiscord  = "discord"
)

// Kind says what an Event is.
type Kind string

// The kinds of events.
const (
	KindMessage Kind = "message" // text written in a chat or to the bot directly
	KindAction  Kind = "action"  // a button or menu pressed: Action holds its token
	KindForm    Kind = "form"    // a form filled in: Action holds its token, Fields the values
)

// Event is one thing a person did, as an adapter saw it.
type Event struct {
	Platform  string `json:"platform"`
	ChatID    string `json:"chat_id"`              // where it happened
	ChatTitle string `json:"chat_title,omitempty"` // the chat's name, if the platform says
	Direct    bool   `json:"direct,omitempty"`     // a direct-message conversation with the bot
	UserID    string `json:"user_id"`
	UserName  string `json:"user_name,omitempty"` // display name
	Handle    string `json:"handle,omitempty"`    // @name on the platform
	Lang      string `json:"lang,omitempty"`      // the platform's language hint ("fr-FR")
	Kind      Kind   `json:"kind"`
	Text      string `json:"text,omitempty"`
	Action    string `json:"action,omitempty"` // the token of the pressed button
	// Key is the idempotency key: the same key delivered again changes nothing and
	// gets the first answer. Adapters use the platform's own IDs ("telegram:<update_id>").
	Key string `json:"key,omitempty"`
	// Mentions maps mention tokens found in Text ("<@U123>", "@alice") to platform
	// user IDs, for platforms whose mentions carry IDs.
	Mentions map[string]string `json:"mentions,omitempty"`
	// Fields are the values of a submitted form (KindForm), by field name.
	Fields map[string]string `json:"fields,omitempty"`
	// Bare says commands may come without their slash in direct messages (Slack
	// takes a leading slash as its own command): text whose first word names a
	// command runs it when no question is waiting for an answer.
	Bare bool `json:"bare,omitempty"`
	// CanForm says the platform can open a Form in answer to this event (a Slack or
	// Discord interaction with its trigger); otherwise forms are asked in messages.
	CanForm bool `json:"can_form,omitempty"`
	// Inbox is the ID of the delivery in the durable inbox this event came from
	// (see Inbox): handling the event deletes it in the same transaction.
	Inbox string `json:"-"`
}

// Button is a shortcut for a command: pressing it runs the command as the presser.
// Token is what the platform carries back (short enough for every platform's limit);
// the bot resolves it to the command.
type Button struct {
	Label string `json:"label"`
	Token string `json:"token,omitempty"`
	// URL makes a link button instead (a deep link to start a private chat).
	URL string `json:"url,omitempty"`
}

// Attachment is a file sent with a message: a chart, a calendar file, a CSV.
type Attachment struct {
	Name string `json:"name"`
	Type string `json:"type"` // MIME type
	Data []byte `json:"data"`
}

// Message is what the bot says.
type Message struct {
	Platform string `json:"platform"`
	// ChatID is the chat to post in; for a direct message it may be empty and the
	// adapter opens a direct conversation with UserID.
	ChatID string `json:"chat_id,omitempty"`
	Direct bool   `json:"direct,omitempty"`
	UserID string `json:"user_id,omitempty"` // the addressee of a direct or ephemeral message
	// Ephemeral marks an answer only UserID should see in ChatID; platforms without
	// ephemeral messages send it directly.
	Ephemeral  bool        `json:"ephemeral,omitempty"`
	Text       string      `json:"text"`
	Buttons    [][]Button  `json:"buttons,omitempty"`
	Attachment *Attachment `json:"attachment,omitempty"`
	// Ref names this message for later edits ("poll:c1:V2"); Edit asks to replace
	// the message sent earlier under Ref in the same chat. The dispatcher fills
	// EditID with that message's platform ID (empty: send as a new message).
	Ref    string `json:"ref,omitempty"`
	Edit   bool   `json:"edit,omitempty"`
	EditID string `json:"edit_id,omitempty"`
	// Live marks a message that shows state (see live.go): it is queued with its
	// Ref and no text, and rendered from the current state when it is sent.
	Live bool `json:"live,omitempty"`
	// Name is the addressee's display name, for adapters that print it.
	Name string `json:"name,omitempty"`
	// Form, in an answer, asks the actor to fill it (a modal where the platform has
	// them); Text is then its title.
	Form *Form `json:"form,omitempty"`
	// Kept, when not empty, is what is stored of a message that shows a secret
	// ballot (a receipt, a step of a ballot being built) if the message cannot be
	// sent at once and waits in the outbox: Text, buttons and form are replaced by
	// it, so that no record keeps the choice with the voter. It is never stored
	// itself.
	Kept string `json:"-"`
	// Part is the place (1-based) of an answer among those Handle returned for
	// its event, for AnswerDelivered; 0 for other messages.
	Part int `json:"-"`
}

// chatKey is where a message lands, for remembering message IDs.
func (m *Message) chatKey() string {
	if m.Direct {
		return "dm:" + m.UserID
	}
	return m.ChatID
}

// Sender delivers messages to one platform. Send returns the platform's ID of the
// message (used to edit it later). An error with core.CodeUnavailable is retried
// (after RetryAfter when the error has it); CodeInvalid, CodeForbidden and
// CodeNotFound are not: the message is dropped and logged.
type Sender interface {
	Send(ctx context.Context, m Message) (msgID string, err error)
}

// RetryAfter reports how long a platform asked to wait, if err says.
func RetryAfter(err error) (time.Duration, bool) {
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(err, &ra) {
		return ra.RetryAfter(), true
	}
	return 0, false
}

// Sleep waits d, or until ctx ends (then it returns ctx's error): the wait of an
// adapter before a retry. A d of zero or less returns at once.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
