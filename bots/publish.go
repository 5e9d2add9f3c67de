package bots

import (
	"strings"

	"github.com/engage-org/engage/core"
)

// publishView is the data of the community.publish texts.
type publishView struct {
	Name string
	On   bool
	Slug string
	URL  string
}

// communityPublish: /community publish on [slug NAME] · /community publish off ·
// /community publish (the status). Admins open or close the community's public
// web pages.
func communityPublish(c *call) error {
	if err := c.needCommunity(); err != nil {
		return err
	}
	view := func(comm *core.Community) publishView {
		v := publishView{Name: comm.Name, On: comm.Published, Slug: comm.Slug}
		if comm.Slug != "" {
			v.URL = strings.TrimRight(c.b.cfg.WebURL, "/") + "/c/" + comm.Slug
		}
		return v
	}
	on := c.sub("on")
	if !on && !c.sub("off") {
		if strings.TrimSpace(c.args) != "" {
			return c.usage()
		}
		c.reply("community.publish.status", view(c.comm))
		return nil
	}
	slug := ""
	if on && c.sub("slug") {
		if slug = strings.ToLower(c.word()); slug == "" {
			return c.usage()
		}
	}
	if strings.TrimSpace(c.args) != "" {
		return c.usage()
	}
	comm, err := c.tx.Publish(c.member, on, slug)
	if err != nil {
		return err
	}
	c.comm = comm
	if on { // the impact page shows the weekly records: they start now if not yet
		if err := c.tx.ScheduleFigures(comm.ID); err != nil {
			return err
		}
	}
	c.reply("community.publish.set", view(comm))
	return nil
}
