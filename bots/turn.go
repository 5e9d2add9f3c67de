package bots

import (
	"encoding/json"
	"time"

	"github.com/engage-org/engage/core"
)

// turn is one interaction handled inside its transaction — a typed
// command, a button, a form, a dialog step, a timed job, or the dispatcher
// rendering a live message. It holds the transaction, the community in context,
// the actor (none for a job), the languages, the clock (tx.Now) and what the
// language model answered for this interaction; and it is the one way to speak:
//
//   - answer here: reply (in the place's language), replyFile, answer
//   - answer privately: replyPrivate (in the actor's own language)
//   - write to a person: dm (in their language, buttons included, a file if any)
//   - post to every linked chat: post (split within each platform's size)
//   - show or edit a live message: postLive, queueLive, editPosted (live.go)
//
// Everything but the answers goes through the outbox, in the same transaction.
type turn struct {
	b      *Bot
	ev     Event
	tx     *core.Tx
	person *core.Person
	comm   *core.Community // the community in context, nil if none
	member *core.Member    // the person's membership of comm
	lang   string          // the language of answers where the event came from (lang.go)
	own    string          // the actor's own language: their private answers
	cmd    string          // the command name being run
	args   string          // what follows the command name
	out    []Message
	as     *assist // the model's answers for this interaction (llm.go), nil without
	// private: a refusal is answered to the actor alone (a refused ballot).
	// secret: a refusal is not kept with the event key either (it may name a
	// secret ballot's choice).
	private, secret bool
}

// jobTurn is the turn of a timed job, or of the dispatcher rendering a live
// message: no actor, the community's language.
func (b *Bot) jobTurn(tx *core.Tx, comm *core.Community, as *assist) *turn {
	c := &turn{b: b, tx: tx, comm: comm, as: as, lang: b.cfg.Lang}
	if comm != nil && comm.Lang != "" {
		c.lang = comm.Lang
	}
	c.own = c.lang
	return c
}

// within runs fn with comm as the community in context, then restores it.
func (c *turn) within(comm *core.Community, fn func() error) error {
	prev := c.comm
	c.comm = comm
	defer func() { c.comm = prev }()
	return fn()
}

// communitiesOf returns the communities p is a member of.
func (c *turn) communitiesOf(p *core.Person) ([]*core.Community, error) {
	ms, err := c.tx.Memberships(p)
	if err != nil {
		return nil, err
	}
	comms := make([]*core.Community, 0, len(ms))
	for _, m := range ms {
		comm, err := c.tx.Community(m.Community)
		if err != nil {
			return nil, err
		}
		comms = append(comms, comm)
	}
	return comms, nil
}

// inEach runs fn once with each of comms as the community in context.
func (c *turn) inEach(comms []*core.Community, fn func() error) error {
	for _, comm := range comms {
		if err := c.within(comm, fn); err != nil {
			return err
		}
	}
	return nil
}

// text renders key in the language of the place the event came from.
func (c *turn) text(key string, data any) string { return c.b.cat.Text(c.lang, key, data) }

// textIn renders key in lang.
func (c *turn) textIn(lang, key string, data any) string { return c.b.cat.Text(lang, key, data) }

// buttons turns (label, command) pairs into a row of buttons with tokens.
func (c *turn) buttons(pairs ...string) ([]Button, error) {
	var row []Button
	for i := 0; i+1 < len(pairs); i += 2 {
		tok, err := c.tx.ButtonToken(pairs[i+1])
		if err != nil {
			return nil, err
		}
		row = append(row, Button{Label: pairs[i], Token: tok})
	}
	return row, nil
}

// here returns a message addressed where the event came from; private, to the
// actor alone: directly, or ephemerally in the chat on platforms that can.
func (c *turn) here(private bool) Message {
	m := Message{
		Platform: c.ev.Platform, ChatID: c.ev.ChatID, Direct: c.ev.Direct, UserID: c.ev.UserID,
		Name: c.ev.UserName,
	}
	if private {
		m.Direct = true
		m.Ephemeral = !c.ev.Direct
	}
	return m
}

// toActor returns a message to the actor by direct message on the platform the
// event came from (a form asked field by field, a ballot built step by step).
func (c *turn) toActor() Message {
	m := c.here(true)
	m.Ephemeral = false
	return m
}

// answer adds m to the turn's answers, sent by the adapter at once.
func (c *turn) answer(m Message) { c.out = append(c.out, m) }

// reply answers where the event came from.
func (c *turn) reply(key string, data any, rows ...[]Button) {
	m := c.here(false)
	m.Text, m.Buttons = c.text(key, data), rows
	c.answer(m)
}

// replyFile answers where the event came from with a file.
func (c *turn) replyFile(att *Attachment, key string, data any) {
	m := c.here(false)
	m.Text, m.Attachment = c.text(key, data), att
	c.answer(m)
}

// replyPrivate answers the actor alone, in their own language. Personal answers
// (/me, contact details, receipts) use it.
func (c *turn) replyPrivate(key string, data any, rows ...[]Button) {
	m := c.here(true)
	m.Text, m.Buttons = c.ownText(key, data), rows
	c.answer(m)
}

// btn is a button whose label is rendered in the recipient's language.
type btn struct {
	key  string                          // the label's template key
	data any                             // the label's template data
	cmd  string                          // the command it runs, or the text it feeds to the open dialog
	form func(c *turn, lang string) Form // when set, the button opens this form instead
	made *Button                         // when set, a button already made (a ballot's, labelled in the recipient's language)
}

// made wraps buttons already made, for dm and post.
func made(rows [][]Button) [][]btn {
	out := make([][]btn, len(rows))
	for i, r := range rows {
		for k := range r {
			out[i] = append(out[i], btn{made: &r[k]})
		}
	}
	return out
}

// recipient returns person's language and the identity direct messages go to; ok is
// false when there is nobody to write to (a forgotten person).
func (c *turn) recipient(person core.PersonID) (p *core.Person, id core.Identity, lang string, ok bool, err error) {
	p, err = c.tx.Person(person)
	if core.ErrorCode(err) == core.CodeNotFound {
		return nil, id, "", false, nil
	} else if err != nil {
		return nil, id, "", false, err
	}
	id, ok = p.Latest()
	return p, id, c.langOf(p), ok, nil
}

// langOf is p's language, else the community's, else the bot's.
func (c *turn) langOf(p *core.Person) string {
	switch {
	case p != nil && p.Lang != "":
		return p.Lang
	case c.comm != nil && c.comm.Lang != "":
		return c.comm.Lang
	}
	return c.b.cfg.Lang
}

// rows renders button rows in lang.
func (c *turn) rows(lang string, rows [][]btn) ([][]Button, error) {
	var out [][]Button
	for _, r := range rows {
		var row []Button
		for _, b := range r {
			if b.made != nil {
				row = append(row, *b.made)
				continue
			}
			cmd := b.cmd
			if b.form != nil {
				raw, err := json.Marshal(b.form(c, lang))
				if err != nil {
					return nil, core.Internal("encode form", err)
				}
				cmd = formPrefix + string(raw)
			}
			tok, err := c.tx.ButtonToken(cmd)
			if err != nil {
				return nil, err
			}
			row = append(row, Button{Label: c.textIn(lang, b.key, b.data), Token: tok})
		}
		if len(row) > 0 {
			out = append(out, row)
		}
	}
	return out, nil
}

// dm writes key to person by direct message, on the platform they used last, in
// their language, with a file (att, nil for none) and buttons.
func (c *turn) dm(person core.PersonID, key string, data any, att *Attachment, rows ...[]btn) error {
	p, id, lang, ok, err := c.recipient(person)
	if err != nil || !ok {
		return err
	}
	bs, err := c.rows(lang, rows)
	if err != nil {
		return err
	}
	m := Message{Platform: id.Platform, Direct: true, UserID: id.UserID, Text: c.textIn(lang, key, data), Buttons: bs, Attachment: att, Name: p.Name}
	return c.send(m, "", time.Time{})
}

// post writes key to every chat of the community in context, in its language,
// split within each platform's message size (buttons and the file go with the
// last part).
func (c *turn) post(key string, data any, att *Attachment, rows ...[]btn) error {
	return c.postText(c.textIn(c.comm.Lang, key, data), att, rows...)
}

// postText is post for a text already rendered in the community's language.
func (c *turn) postText(text string, att *Attachment, rows ...[]btn) error {
	bs, err := c.rows(c.comm.Lang, rows)
	if err != nil {
		return err
	}
	for _, ch := range c.comm.Chats {
		parts := splitText(text, MaxMessageLen(ch.Platform))
		for i, part := range parts {
			m := Message{Platform: ch.Platform, ChatID: ch.ChatID, Text: part}
			if i == len(parts)-1 {
				m.Buttons, m.Attachment = bs, att
			}
			if err := c.send(m, "", time.Time{}); err != nil {
				return err
			}
		}
	}
	return nil
}

// send writes m to the outbox in the turn's transaction, to be sent by the
// dispatcher not before notBefore, replacing an unsent message of the same
// coalescing key.
func (c *turn) send(m Message, coalesce string, notBefore time.Time) error {
	return writeOutbox(c.tx, m, coalesce, notBefore)
}

// writeOutbox writes m to the outbox. A message that shows a secret ballot is
// stored as its Kept text only. Turns write through send; the adapters' postponed
// answers (Bot.Postpone) and the dispatcher's own notices through this.
func writeOutbox(tx *core.Tx, m Message, coalesce string, notBefore time.Time) error {
	if m.Kept != "" {
		m.Text, m.Kept, m.Buttons, m.Form, m.Attachment = m.Kept, "", nil, nil, nil
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return core.Internal("encode message", err)
	}
	return tx.Enqueue(m.Platform, raw, coalesce, notBefore)
}
