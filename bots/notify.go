package bots

import (
	"encoding/json"
	"time"
	"unicode/utf8"

	"github.com/engage-org/engage/core"
)

// notifier writes to people other than the actor, or from a job that has no actor:
// each message in its recipient's language, buttons included, through the outbox.
type notifier struct {
	b    *Bot
	tx   *core.Tx
	comm *core.Community
}

func (c *call) notifier(comm *core.Community) *notifier {
	return &notifier{b: c.b, tx: c.tx, comm: comm}
}

// btn is a button whose label is rendered in the recipient's language.
type btn struct {
	key  string                              // the label's template key
	data any                                 // the label's template data
	cmd  string                              // the command it runs, or the text it feeds to the open dialog
	form func(n *notifier, lang string) Form // when set, the button opens this form instead
}

// recipient returns person's language and the identity direct messages go to; ok is
// false when there is nobody to write to (a forgotten person).
func (n *notifier) recipient(person core.PersonID) (p *core.Person, id core.Identity, lang string, ok bool, err error) {
	p, err = n.tx.Person(person)
	if core.ErrorCode(err) == core.CodeNotFound {
		return nil, id, "", false, nil
	} else if err != nil {
		return nil, id, "", false, err
	}
	id, ok = p.Latest()
	return p, id, n.lang(p), ok, nil
}

// lang is p's language, else the community's, else the bot's.
func (n *notifier) lang(p *core.Person) string {
	switch {
	case p != nil && p.Lang != "":
		return p.Lang
	case n.comm != nil && n.comm.Lang != "":
		return n.comm.Lang
	}
	return n.b.cfg.Lang
}

func (n *notifier) text(lang, key string, data any) string { return n.b.cat.Text(lang, key, data) }

// rows renders button rows in lang.
func (n *notifier) rows(lang string, rows [][]btn) ([][]Button, error) {
	var out [][]Button
	for _, r := range rows {
		var row []Button
		for _, b := range r {
			cmd := b.cmd
			if b.form != nil {
				raw, err := json.Marshal(b.form(n, lang))
				if err != nil {
					return nil, core.Internal("encode form", err)
				}
				cmd = formPrefix + string(raw)
			}
			tok, err := n.tx.ButtonToken(cmd)
			if err != nil {
				return nil, err
			}
			row = append(row, Button{Label: n.text(lang, b.key, b.data), Token: tok})
		}
		if len(row) > 0 {
			out = append(out, row)
		}
	}
	return out, nil
}

// dm sends key to person by direct message, on the platform they used last.
func (n *notifier) dm(person core.PersonID, key string, data any, att *Attachment, rows ...[]btn) error {
	p, id, lang, ok, err := n.recipient(person)
	if err != nil || !ok {
		return err
	}
	bs, err := n.rows(lang, rows)
	if err != nil {
		return err
	}
	m := Message{Platform: id.Platform, Direct: true, UserID: id.UserID, Text: n.text(lang, key, data), Buttons: bs, Attachment: att, Name: p.Name}
	return enqueue(n.tx, m, "", time.Time{})
}

// post sends key to every chat of the community in its language, split within each
// platform's message size (buttons and the attachment go with the last part).
func (n *notifier) post(key string, data any, att *Attachment, rows ...[]btn) error {
	text := n.text(n.comm.Lang, key, data)
	bs, err := n.rows(n.comm.Lang, rows)
	if err != nil {
		return err
	}
	for _, ch := range n.comm.Chats {
		parts := splitText(text, MaxMessageLen(ch.Platform))
		for i, part := range parts {
			m := Message{Platform: ch.Platform, ChatID: ch.ChatID, Text: part}
			if i == len(parts)-1 {
				m.Buttons, m.Attachment = bs, att
			}
			if err := enqueue(n.tx, m, "", time.Time{}); err != nil {
				return err
			}
		}
	}
	return nil
}

// The message size limits of the known platforms, in characters: Telegram's 4096,
// Discord's 2000, and for Slack the 4000 its documentation recommends (the API
// truncates at 40 000). Other platforms get DefaultMessageLen.
const (
	DefaultMessageLen  = 4000
	telegramMessageLen = 4096
	discordMessageLen  = 2000
	slackMessageLen    = 4000
)

// MaxMessageLen returns how many characters one message may hold on platform.
func MaxMessageLen(platform string) int {
	switch platform {
	case PlatformTelegram:
		return telegramMessageLen
	case PlatformDiscord:
		return discordMessageLen
	case PlatformSlack:
		return slackMessageLen
	}
	return DefaultMessageLen
}

// splitText cuts text into parts of at most limit characters, between lines where
// it can, inside a line (at a space if there is one) only when the line alone is too
// long.
func splitText(text string, limit int) []string {
	if limit <= 0 || utf8.RuneCountInString(text) <= limit {
		return []string{text}
	}
	var parts []string
	var cur []rune
	flush := func() {
		for len(cur) > 0 && (cur[len(cur)-1] == '\n' || cur[len(cur)-1] == ' ') {
			cur = cur[:len(cur)-1]
		}
		if len(cur) > 0 {
			parts = append(parts, string(cur))
		}
		cur = cur[:0]
	}
	for _, line := range splitKeep(text) {
		r := []rune(line)
		if len(cur)+len(r) <= limit {
			cur = append(cur, r...)
			continue
		}
		flush()
		for len(r) > limit { // one line longer than a message: cut it at a space if there is one
			cutAt := limit
			for i := limit; i > limit/2; i-- {
				if r[i-1] == ' ' {
					cutAt = i
					break
				}
			}
			cur = append(cur, r[:cutAt]...)
			flush()
			r = r[cutAt:]
		}
		cur = append(cur, r...)
	}
	flush()
	return parts
}

// splitKeep splits s after each newline, keeping the newlines.
func splitKeep(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i+1])
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
