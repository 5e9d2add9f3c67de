package web

import (
	"strings"

	"github.com/engage-org/engage/chart"
	"github.com/engage-org/engage/core"
)

// The preview cards: a 1200×630 PNG per page (og:image), drawn by package chart
// from the same figures as the page.

// cardSub is the data of a card's subtitle.
type cardSub struct {
	Name, ID string
}

// cardCommunity is the data of the community card's line.
type cardCommunity struct {
	Projects, Polls, Campaigns int
}

// progressText is the data of a progress bar's label.
type progressText struct {
	Pledged, Goal core.Money
}

func (s *Server) card(r *Request, c chart.Card) (*Reply, error) {
	c.Footer = strings.TrimPrefix(strings.TrimPrefix(s.base(r.HTTP), "https://"), "http://") + strings.TrimSuffix(r.HTTP.URL.Path, "/card.png")
	png, err := c.PNG()
	if err != nil {
		return nil, core.Internal("card", err)
	}
	return &Reply{Type: "image/png", Body: png}, nil
}

func (s *Server) communityCard(r *Request) (*Reply, error) {
	v, err := s.communityData(r)
	if err != nil {
		return nil, err
	}
	n := v.projectCount()
	c := chart.Card{
		Title:    v.Name,
		Subtitle: s.text(r.Lang, "web.card.community", nil),
		Lines: []string{
			s.text(r.Lang, "web.community.members", v.Members),
			s.text(r.Lang, "web.card.community.line", cardCommunity{Projects: n, Polls: len(v.Polls), Campaigns: len(v.Campaigns)}),
		},
	}
	if n > 0 {
		b := &chart.Bars{YLabel: s.text(r.Lang, "web.card.projects", nil), Decimal: s.text(r.Lang, "chart.decimal", nil), Values: true}
		var vals []float64
		for _, st := range v.Stages {
			b.Labels = append(b.Labels, st.Label)
			vals = append(vals, float64(len(st.Projects)))
		}
		b.Series = []chart.Series{{Values: vals, Color: chart.Blue}}
		c.Bars = b
	}
	return s.card(r, c)
}

// progressOf is a campaign's progress bar, as the cards draw it.
func (s *Server) progressOf(r *Request, cp *core.Campaign) *chart.Progress {
	it := s.campaignItem(r, cp)
	var marks []int64
	for _, st := range cp.Stretch {
		marks = append(marks, st.Amount.Amount)
	}
	return &chart.Progress{
		Value: max(cp.Pledged, 0), Goal: max(cp.Goal.Amount, 1),
		Label: s.text(r.Lang, "web.card.progress", progressText{Pledged: it.Pledged, Goal: it.Goal}),
		Note:  chart.Percent(float64(it.Percent), s.text(r.Lang, "chart.decimal", nil)),
		Marks: marks,
	}
}

// campaignLine is a campaign's backers and days left.
func (s *Server) campaignLine(r *Request, it campaignItem) string {
	days := s.text(r.Lang, "web.campaign.ended", nil)
	if !it.Ended {
		days = s.text(r.Lang, "web.days_left", it.DaysLeft)
	}
	return s.text(r.Lang, "web.backers", it.Backers) + " · " + days
}

func (s *Server) campaignCard(r *Request) (*Reply, error) {
	cp, err := campaignOf(r)
	if err != nil {
		return nil, err
	}
	it := s.campaignItem(r, cp)
	return s.card(r, chart.Card{
		Title:    cp.Title,
		Subtitle: s.text(r.Lang, "web.card.campaign", cardSub{Name: r.Community.Name, ID: cp.ID()}),
		Lines:    []string{s.campaignLine(r, it)},
		Progress: s.progressOf(r, cp),
	})
}

func (s *Server) pollCard(r *Request) (*Reply, error) {
	p, err := pollOf(r)
	if err != nil {
		return nil, err
	}
	v, err := s.pollData(r, p, false)
	if err != nil {
		return nil, err
	}
	c := chart.Card{
		Title:    p.Question,
		Subtitle: s.text(r.Lang, "web.card.poll", cardSub{Name: r.Community.Name, ID: p.ID()}),
		Lines:    []string{s.text(r.Lang, "web.poll.turnout.n", v.Turnout)},
		Accent:   chart.Blue,
	}
	switch {
	case v.Open && v.Hidden:
		c.Lines = append(c.Lines, s.text(r.Lang, "web.poll.hidden", nil))
	case v.Open:
		c.Lines = append(c.Lines, s.text(r.Lang, "web.poll.open", v.Until))
	case v.Result != nil && v.Result.Decided:
		if v.Result.Winner != "" {
			c.Lines = append(c.Lines, s.text(r.Lang, "web.poll.winner", v.Result.Winner))
		}
		res, err := r.Tx.PollResult(p)
		if err != nil {
			return nil, err
		}
		if bars, _, ok := s.pollBars(r, p, res); ok {
			c.Bars = &bars
		}
	case v.Result != nil && v.Result.NoQuorum:
		c.Lines = append(c.Lines, s.text(r.Lang, "web.poll.quorum_missed", nil))
	default:
		c.Lines = append(c.Lines, s.text(r.Lang, "web.poll.no_winner", nil))
	}
	return s.card(r, c)
}

func (s *Server) projectCard(r *Request) (*Reply, error) {
	p, err := projectOf(r)
	if err != nil {
		return nil, err
	}
	c := chart.Card{
		Title:    p.Title,
		Subtitle: s.text(r.Lang, "web.card.project", cardSub{Name: r.Community.Name, ID: p.ID()}),
		Lines:    []string{s.text(r.Lang, "web.project.stage", string(p.Stage))},
		Accent:   chart.Purple,
	}
	if n := nextOf(p, r.Now, r.Community.Location()); n != nil {
		c.Lines = append(c.Lines, s.text(r.Lang, "web.next_step", n))
	}
	camps, err := r.Tx.Campaigns(r.Community.ID)
	if err != nil {
		return nil, err
	}
	for _, cp := range camps {
		if cp.Project == p.Num && !cp.Ended(r.Now) {
			c.Progress = s.progressOf(r, cp)
			c.Lines = append(c.Lines, cp.ID()+" · "+cp.Title+" · "+s.campaignLine(r, s.campaignItem(r, cp)))
			break
		}
	}
	return s.card(r, c)
}
