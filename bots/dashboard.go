package bots

import (
	"strings"
	"time"

	"github.com/engage-org/engage/core"
)

// dashboardView is what /dashboard's answers show.
type dashboardView struct {
	Community string
	URL       string    // the signed link ("" for /dashboard revoke)
	Expires   time.Time // when the link stops working, in the community's zone
}

// DashboardPath is where a dashboard link points under the web pages' address:
// DashboardPath + the signed token.
const DashboardPath = "/d/"

// cmdDashboard: /dashboard — a private link to the community's dashboard, valid
// for a day; /dashboard revoke — every link given so far stops working
// (facilitators and admins).
func cmdDashboard(c *turn) error {
	c.private = true // its refusals too go to the asker alone, in their language
	if err := core.RequireFacilitation(c.member); err != nil {
		return err
	}
	if c.sub("revoke") {
		if strings.TrimSpace(c.args) != "" {
			return c.usage()
		}
		if err := c.tx.RevokeDashboardLinks(c.member); err != nil {
			return err
		}
		c.replyPrivate("dashboard.revoked", dashboardView{Community: c.comm.Name})
		return nil
	}
	if strings.TrimSpace(c.args) != "" {
		return c.usage()
	}
	base := strings.TrimRight(c.b.cfg.WebURL, "/")
	if base == "" || !c.tx.DashboardConfigured() {
		return core.Errorf(core.CodeConflict, "err.dashboard_off")
	}
	tok, exp, err := c.tx.DashboardLink(c.member)
	if err != nil {
		return err
	}
	c.replyPrivate("dashboard.link", dashboardView{
		Community: c.comm.Name, URL: base + DashboardPath + tok, Expires: exp.In(c.comm.Location()),
	})
	c.tx.ForgetAnswer() // the link is a key: it is not kept with the event
	return nil
}
