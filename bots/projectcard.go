package bots

import (
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

// projectCard renders p's card in the language of the turn (the dispatcher's:
// the community's): its title, description and first referent, its likes, and
// the Follow and Like buttons.
func (c *turn) projectCard(p *core.Project) (string, [][]Button, error) {
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
	return c.text("project.created", projectCreatedText{P: v, By: by}), [][]Button{row}, nil
}

// projectCreatedText is what the text project.created shows.
type projectCreatedText struct {
	P  projectView
	By string
}
