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
func communityPublish(c *turn) error {
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

// startPledgeView is the data of the start.pledge text.
type startPledgeView struct {
	Name, ID, Title, Community string
	Member, Ended              bool
}

// startPledge answers the deep link of a campaign's web page ("pledge-c1-C2"):
// a member of its community whose direct messages are about that community gets
// the pledge form at once; anyone else is told where to pledge. A community whose
// pages are not published, or a campaign that does not exist, gets the greeting
// alone: the link tells nothing its page would not.
func startPledge(c *turn, ref string) error {
	greet := func() error {
		c.reply("start", startText{Name: c.person.Name})
		return nil
	}
	i := strings.LastIndexByte(ref, '-')
	if i <= 0 {
		return greet()
	}
	comm, err := c.tx.Community(core.CommunityID(ref[:i]))
	if err != nil || !comm.Published {
		return greet()
	}
	camp, err := c.tx.Campaign(comm.ID, ref[i+1:])
	if err != nil {
		return greet()
	}
	v := startPledgeView{Name: c.person.Name, ID: camp.ID(), Title: camp.Title, Community: comm.Name, Ended: camp.Ended(c.tx.Now())}
	m, err := c.tx.Member(comm.ID, c.person.ID)
	if err != nil && core.ErrorCode(err) != core.CodeNotFound {
		return err
	}
	v.Member = m != nil
	if v.Member && !v.Ended && c.comm != nil && c.comm.ID == comm.ID {
		return c.askForm(c.b.pledgeForm(camp, c.lang))
	}
	c.reply("start.pledge", v)
	return nil
}
