package web

import (
	"time"

	"github.com/engage-org/engage/core"
)

// projectView is the data of a project page.
type projectView struct {
	Back        linkView
	ID, Title   string
	Description string
	Stage       string
	Next        *nextView
	News        []newsView
	Needs       []string
	Money       []moneyView
	Campaigns   []campaignItem
}

type newsView struct {
	At     time.Time
	Author string
	Text   string
}

// moneyView is what one campaign gave the project.
type moneyView struct {
	Amount   core.Money
	Campaign string
}

// projectDescription is the data of a project's description.
type projectDescription struct {
	Title, Stage string
}

// maxNews is how many news a project page shows, newest first.
const maxNews = 20

// projectOf reads the project the route's {id} names.
func projectOf(r *Request) (*core.Project, error) {
	return r.Tx.Project(r.Community.ID, r.HTTP.PathValue("id"))
}

func (s *Server) projectPage(r *Request) (*Reply, error) {
	tx, c := r.Tx, r.Community
	p, err := projectOf(r)
	if err != nil {
		return nil, err
	}
	loc := c.Location()
	v := &projectView{
		Back: linkView{Text: c.Name, URL: s.communityURL(c)},
		ID:   p.ID(), Title: p.Title, Description: p.Description, Stage: string(p.Stage),
		Next: nextOf(p, r.Now, loc),
	}
	news, err := tx.NewsOf(p, maxNews)
	if err != nil {
		return nil, err
	}
	for _, n := range news {
		name, _ := displayName(tx, n.Author)
		v.News = append(v.News, newsView{At: n.At.In(loc), Author: name, Text: n.Text})
	}
	for _, n := range p.Needs {
		v.Needs = append(v.Needs, n.Text)
	}
	allocs, err := tx.AllocatedTo(c.ID, p.Num)
	if err != nil {
		return nil, err
	}
	for _, a := range allocs {
		v.Money = append(v.Money, moneyView{Amount: a.Amount, Campaign: a.Campaign + " " + a.Title})
	}
	camps, err := tx.Campaigns(c.ID)
	if err != nil {
		return nil, err
	}
	for _, cp := range camps {
		if cp.Project == p.Num {
			v.Campaigns = append(v.Campaigns, s.campaignItem(r, cp))
		}
	}
	desc := projectDescription{Title: p.Title, Stage: string(p.Stage)}
	meta := pageMeta{
		Title:       p.Title,
		Description: s.text(r.Lang, "web.project.description", desc),
		ImageAlt:    s.text(r.Lang, "web.project.card_alt", p.Title),
	}
	if p.Description != "" {
		meta.Description = p.Description
	}
	return s.page(r, "project", meta, v)
}
