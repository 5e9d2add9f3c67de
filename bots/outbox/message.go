// Package outbox owns what the bot says once it leaves a turn: the message types
// (Message, its buttons, file and form), the Sender a platform implements, and the
// Dispatcher that sends the outbox (core's outbox items) through the senders, within
// each platform's limits, rendering live messages from current state as it sends
// them. It imports core only; the conversation layer (bots) renders for it.
package outbox

import (
	"context"
	"errors"
	"time"
)

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
	// More are the parts that follow Text when a live message, once rendered, is
	// longer than one message of its platform (a digest): the dispatcher sends
	// them after it, in the same chat, as plain messages.
	More []string `json:"-"`
}

// ChatKey is where a message lands, for remembering message IDs.
func (m *Message) ChatKey() string {
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

// Form asks a person for typed input before running a command: a pledge amount, a
// ranked ballot, a check-in answer. Platforms with forms (Slack and Discord modals)
// show it at once in answer to the press; on the others (Telegram, the console) the
// bot asks each field in turn by direct message.
type Form struct {
	Title  string  `json:"title"`
	Fields []Field `json:"fields"`
	// Command runs once the form is filled: each {name} is replaced by the value of
	// the field of that name ("/pledge C1 {amount}").
	Command string `json:"command"`
	// Token identifies the form when it comes back filled (Event.Action of a KindForm
	// event); the bot sets it.
	Token string `json:"token,omitempty"`
	// Submit and Cancel label the form's buttons in the actor's language; the bot
	// sets them when it shows the form.
	Submit string `json:"submit,omitempty"`
	Cancel string `json:"cancel,omitempty"`
}

// Field is one input of a Form.
type Field struct {
	Name        string   `json:"name"`
	Label       string   `json:"label"`
	Placeholder string   `json:"placeholder,omitempty"`
	Options     []Option `json:"options,omitempty"` // a choice among these, if any
	Optional    bool     `json:"optional,omitempty"`
	Multiline   bool     `json:"multiline,omitempty"`
	// Blank is what the command gets for an optional field left blank ("" if unset).
	Blank string `json:"blank,omitempty"`
	// Check is what the value must be, checked as soon as it is typed: "amount" (of
	// Currency, at most Max major units; 0: any) or "count" (a whole number from 0
	// to Max). "" accepts any text.
	Check    string `json:"check,omitempty"`
	Currency string `json:"currency,omitempty"`
	Max      int64  `json:"max,omitempty"`
	// Of names the amount field this one depends on: a count of Unit minor units
	// each may not be worth more than that amount, nor may an option's Min pass it.
	Of   string `json:"of,omitempty"`
	Unit int64  `json:"unit,omitempty"`
}

// Field checks.
const (
	CheckAmount = "amount"
	CheckCount  = "count"
)

// Option is one choice of a Field.
type Option struct {
	Label string `json:"label"`
	Value string `json:"value"`
	Min   int64  `json:"min,omitempty"` // the least amount (minor units of the Of field) it needs
}

// NoDirectError is what a Sender returns (possibly wrapped) when the platform
// refuses a direct message until the person opens a conversation with the bot
// (Telegram: someone who never started the bot, or who blocked it). The dispatcher
// then keeps the message in the outbox, tells the person in their community chat,
// with a button to StartURL, and sends the message as soon as they write to the bot.
type NoDirectError struct {
	// StartURL opens a direct conversation with the bot
	// ("https://t.me/engage_bot?start=dm").
	StartURL string
}

// Error implements error.
func (e *NoDirectError) Error() string {
	return "the person has not opened a direct conversation with the bot"
}

// HoldFor is how long a held direct message waits for its addressee to open a
// conversation with the bot; it is then dropped.
const HoldFor = 7 * 24 * time.Hour

// RetryAfter reports how long a platform asked to wait, if err says.
func RetryAfter(err error) (time.Duration, bool) {
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(err, &ra) {
		return ra.RetryAfter(), true
	}
	return 0, false
}
