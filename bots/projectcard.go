package bots

import (
	"time"

	"github.com/engage-org/engage/core"
)

// The project card.
//
// /project new posts the project's card to every chat of the community: a live
// message (live.go) rendered when it is sent, with Follow and Like buttons. A
// like does not post anything to the group: the liker is answered privately and
// the card, where it was posted, is edited to show the count.

// projectRef names a project's card in every chat, for edits.
func projectRef(p *core.Project) string {
	return "project:" + string(p.Community) + ":" + p.ID()
}

// projectCard renders p's card in comm's language: its title, description and
// first referent, its likes, and the Follow and Like buttons.
func (b *Bot) projectCard(tx *core.Tx, comm *core.Community, p *core.Project) (string, [][]Button, error) {
	lang := comm.Lang
	if lang == "" {
		lang = b.cfg.Lang
	}
	c := &call{b: b, tx: tx, comm: comm, lang: lang, own: lang}
	v, err := c.view(p, false)
	if err != nil {
		return "", nil, err
	}
	var by string
	if len(v.Referents) > 0 {
		by = v.Referents[0]
	}
	row, err := c.buttons(c.text("button.follow", nil), "/follow "+p.ID(), c.text("button.like", nil), "/like "+p.ID())
	if err != nil {
		return "", nil, err
	}
	return c.text("project.created", map[string]any{"P": v, "By": by}), [][]Button{row}, nil
}

// editProjectCard queues an edit of p's card in every chat where it was posted;
// a card not posted yet shows the current state when it goes. Edits of one card
// in one chat coalesce.
func editProjectCard(tx *core.Tx, comm *core.Community, p *core.Project) error {
	ref := projectRef(p)
	for _, ch := range comm.Chats {
		id, err := tx.MessageRef(ch.Platform, ch.ChatID, ref)
		if err != nil {
			return err
		}
		if id == "" {
			continue // posted before cards were live, or not sent yet
		}
		if err := enqueue(tx, liveMessage(ch, ref, true), liveCoalesce(ref, ch), time.Time{}); err != nil {
			return err
		}
	}
	return nil
}
