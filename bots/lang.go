package bots

import "github.com/engage-org/engage/core"

// The language of an answer.
//
// An answer is in the language of those who see it. In a community's group
// chat, what everyone sees — the answer to a command typed there, a refusal
// shown there, an announcement — is in the community's language, whatever
// language the member who typed the command chose with /lang. What only the
// actor sees — a direct message, an ephemeral answer, a receipt, a form asked
// field by field — is in the actor's own language. turn.lang is the language of
// the place the event came from; turn.own is the actor's. What the actor types
// (a date, "by", a poll's date options) is read in their own language: parse
// with c.own.

// privateCommands are the commands whose answers are for the actor alone
// wherever they are typed (their receipts, their ballot, their settings): they
// are answered in the actor's own language even in a group.
var privateCommands = map[string]bool{
	"me": true, "lang": true, "link": true, "forgetme": true,
	"pledge": true, "schedule": true, "refund": true, "vote": true,
}

// placeLang is the language of answers in the place the event came from: the
// community's in its group chats, else the actor's own.
func (c *turn) placeLang() string {
	if !c.ev.Direct && c.comm != nil && c.comm.Lang != "" {
		return c.comm.Lang
	}
	return c.own
}

// ownText renders key in the actor's own language (answers only they see).
func (c *turn) ownText(key string, data any) string { return c.b.cat.Text(c.own, key, data) }

// dateLocale is the convention by which the actor's numeric dates are read (day
// or month first): their own language's, else the community's. A French speaker
// writes 12/03 for 12 March whatever the community; an English speaker's 5/4
// reads two ways and is asked.
func (c *turn) dateLocale(comm *core.Community) string {
	if c.own != "" || comm == nil {
		return c.own
	}
	return comm.Lang
}
