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
	"time"

	"github.com/engage-org/engage/bots/outbox"
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
	// Last says no later delivery of the event will come (the platform has
	// confirmed it, and the inbox hands it out once): its key is still checked
	// against earlier deliveries, but neither it nor the answer is recorded.
	Last bool `json:"-"`
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

// The messages the bot says, and what goes with them, are the outbox's types
// (bots/outbox): the dispatcher sends them, adapters render them.
type (
	Button     = outbox.Button
	Attachment = outbox.Attachment
	Message    = outbox.Message
	Form       = outbox.Form
	Field      = outbox.Field
	Option     = outbox.Option
	Sender     = outbox.Sender
	// NoDirectError: see outbox.NoDirectError.
	NoDirectError = outbox.NoDirectError
)

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
