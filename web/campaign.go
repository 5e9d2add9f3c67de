package web

import (
	"net/url"
	"time"

	"github.com/engage-org/engage/core"
)

// campaignView is the data of a campaign page.
type campaignView struct {
	Back         linkView
	Item         campaignItem
	Kind         string
	Project      *linkView
	Deadline     time.Time
	AllOrNothing bool
	Rewards      []rewardView
	Stretch      []stretchView
	Named        []namedView
	Ledger       ledgerView
	FAQ          []faqView
	How          howView
	// Progress is the progress bar drawn by package chart (SVG), with the
	// stretch goals as marks; ProgressAlt says it in words.
	Progress    []byte
	ProgressAlt string
}

type linkView struct{ Text, URL string }

type rewardView struct {
	Min   core.Money
	Title string
	Left  int // -1: no limit
}

type stretchView struct {
	Amount  core.Money
	Title   string
	Reached bool
}

// namedView is a backer who made their pledge public: their display name and amount.
type namedView struct {
	Name   string
	Amount core.Money
}

type ledgerView struct {
	Pledged, Collected, Spent, Left core.Money
	Lines                           []lineView
}

// lineView is one spending line of the ledger: money spent or given to a project.
type lineView struct {
	At     time.Time
	Amount core.Money
	What   string
}

type faqView struct{ Question, Answer string }

// howView says how to pledge: the Telegram deep link, the command to type and the
// chats it is typed in.
type howView struct {
	Ended    bool
	Telegram string
	Command  string
	ID       string
	Chats    []string
}

// campaignDescription is the data of a campaign's description and card texts.
type campaignDescription struct {
	Title            string
	Pledged, Goal    core.Money
	Percent, Backers int
}

// campaignOf reads the campaign the route's {id} names.
func campaignOf(r *Request) (*core.Campaign, error) {
	return r.Tx.Campaign(r.Community.ID, r.HTTP.PathValue("id"))
}

func (s *Server) campaignPage(r *Request) (*Reply, error) {
	tx, c := r.Tx, r.Community
	cp, err := campaignOf(r)
	if err != nil {
		return nil, err
	}
	loc := c.Location()
	v := &campaignView{
		Back:         linkView{Text: c.Name, URL: s.communityURL(c)},
		Item:         s.campaignItem(r, cp),
		Kind:         s.text(r.Lang, "campaign.kind."+string(cp.Kind), nil),
		Deadline:     cp.Deadline.In(loc),
		AllOrNothing: cp.AllOrNothing,
	}
	if cp.Project > 0 {
		if p, err := tx.Project(c.ID, "P"+itoa(cp.Project)); err == nil {
			v.Project = &linkView{Text: p.ID() + " · " + p.Title, URL: s.projectURL(c, p.Num)}
		}
	}
	for _, rw := range cp.Rewards {
		v.Rewards = append(v.Rewards, rewardView{Min: rw.Min, Title: rw.Title, Left: rw.Left()})
	}
	for _, st := range cp.Stretch {
		v.Stretch = append(v.Stretch, stretchView{Amount: st.Amount, Title: st.Title, Reached: st.Reached})
	}
	// Only the pledges their backers made public are named, with their amount.
	for _, id := range cp.Public {
		pl, err := tx.MyPledge(id, cp)
		if err != nil || pl == nil || !pl.Public || pl.Status == core.PledgeReleased {
			continue
		}
		name, err := displayName(tx, id)
		if err != nil || name == "" {
			continue
		}
		v.Named = append(v.Named, namedView{Name: name, Amount: pl.Amount})
	}
	v.Ledger = ledgerView{
		Pledged: cp.Money(cp.Pledged), Collected: cp.Money(cp.Collected),
		Spent: cp.Money(cp.Spent), Left: cp.Money(cp.Left()),
	}
	lines, err := tx.Ledger(cp)
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		switch l.Kind {
		case core.LedgerSpend:
			v.Ledger.Lines = append(v.Ledger.Lines, lineView{At: l.At.In(loc), Amount: l.Amount, What: l.Purpose})
		case core.LedgerAllocate:
			what := "P" + itoa(l.Project)
			if p, err := tx.Project(c.ID, what); err == nil {
				what += " " + p.Title
			}
			v.Ledger.Lines = append(v.Ledger.Lines, lineView{At: l.At.In(loc), Amount: l.Amount, What: s.text(r.Lang, "web.ledger.allocate", what)})
		}
		// Collected lines name who paid, and refunds whom: a private pledge's
		// amount would show. The totals above count them.
	}
	faq, err := tx.FAQ(cp)
	if err != nil {
		return nil, err
	}
	for _, f := range faq {
		v.FAQ = append(v.FAQ, faqView{Question: f.Question, Answer: f.Answer})
	}
	v.How = s.howToPledge(r, cp)
	if svg, err := s.progressOf(r, cp).SVG(); err == nil {
		v.Progress, v.ProgressAlt = svg, s.text(r.Lang, "web.progress", v.Item)
	} else {
		s.opt.Log.Warn("campaign progress chart", "campaign", cp.ID(), "err", err)
	}
	desc := campaignDescription{Title: cp.Title, Pledged: v.Item.Pledged, Goal: v.Item.Goal, Percent: v.Item.Percent, Backers: cp.Backers}
	meta := pageMeta{
		Title:       cp.Title,
		Description: s.text(r.Lang, "web.campaign.description", desc),
		ImageAlt:    s.text(r.Lang, "web.campaign.card_alt", desc),
	}
	return s.page(r, "campaign", meta, v)
}

// howToPledge says where to pledge: a deep link to the bot on Telegram when a
// Telegram chat is linked and the bot's name is known, and the community's chats
// by platform and title.
func (s *Server) howToPledge(r *Request, cp *core.Campaign) howView {
	h := howView{Ended: cp.Ended(r.Now), ID: cp.ID(), Command: s.text(r.Lang, "web.how.pledge_command", nil)}
	for _, ch := range r.Community.Chats {
		if ch.Platform == "telegram" && s.opt.Bots["telegram"] != "" && h.Telegram == "" {
			h.Telegram = "https://t.me/" + url.PathEscape(s.opt.Bots["telegram"]) + "?start=" + url.QueryEscape(pledgeStart(r.Community, cp))
		}
		h.Chats = append(h.Chats, s.text(r.Lang, "web.chat", chatView{Platform: s.platformName(r.Lang, ch.Platform), Title: ch.Title}))
	}
	return h
}

// pledgeStart is the payload of the Telegram deep link to pledge to cp:
// "pledge-c1-C2" (Telegram allows letters, digits, _ and -, 64 at most).
func pledgeStart(c *core.Community, cp *core.Campaign) string {
	return "pledge-" + string(c.ID) + "-" + cp.ID()
}

type chatView struct{ Platform, Title string }

// platformName is a platform's name as people write it.
func (s *Server) platformName(lang, platform string) string {
	switch platform {
	case "telegram", "slack", "discord", "console":
		return s.text(lang, "web.platform."+platform, nil)
	}
	return platform
}

// displayName returns the name a person shows in the chat: never a handle or an ID.
func displayName(tx *core.Tx, id core.PersonID) (string, error) {
	p, err := tx.Person(id)
	if err != nil {
		return "", err
	}
	return p.Name, nil
}
