package web

import (
	"time"

	"github.com/engage-org/engage/core"
)

// communityView is the data of the community page.
type communityView struct {
	Name      string
	Members   int
	Meeting   *meetingView
	Campaigns []campaignItem
	Polls     []pollItem
	Stages    []stageView
}

type meetingView struct {
	Title  string
	At     time.Time
	AllDay bool
}

// campaignItem is a campaign in a list: the community's page, a project's.
type campaignItem struct {
	ID, Title, URL string
	Pledged, Goal  core.Money
	Percent, Bar   int // Bar: Percent capped at 100, for the progress bar
	Backers        int
	DaysLeft       int
	Ended          bool
	Status         string
}

type pollItem struct {
	ID, Question, URL string
	Ballots           int
	Until             time.Time
}

type stageView struct {
	Stage    string
	Label    string
	Projects []projectItem
}

type projectItem struct {
	ID, Title, URL string
	Next           *nextView
}

// nextView is a project's next step.
type nextView struct {
	Text    string
	Due     time.Time
	Overdue bool
}

// communityDescription is the data of the community page's description.
type communityDescription struct {
	Name                       string
	Projects, Polls, Campaigns int
}

// communityData reads what the community page and its card show.
func (s *Server) communityData(r *Request) (*communityView, error) {
	tx, c := r.Tx, r.Community
	loc := c.Location()
	v := &communityView{Name: c.Name}
	var err error
	if v.Members, err = tx.CountMembers(c.ID); err != nil {
		return nil, err
	}
	if next, _, err := tx.NextMeeting(c.ID, r.Now); err != nil {
		return nil, err
	} else if next != nil {
		v.Meeting = &meetingView{Title: next.Title, At: next.At.In(loc), AllDay: next.AllDay}
	}
	camps, err := tx.Campaigns(c.ID)
	if err != nil {
		return nil, err
	}
	for _, cp := range camps {
		if cp.Ended(r.Now) {
			continue
		}
		v.Campaigns = append(v.Campaigns, s.campaignItem(r, cp))
	}
	polls, err := tx.Polls(c.ID, true)
	if err != nil {
		return nil, err
	}
	for _, p := range polls {
		it := pollItem{ID: p.ID(), Question: p.Question, URL: s.pollURL(c, p.Num), Ballots: p.Ballots()}
		if !p.Settings.Until.IsZero() {
			it.Until = p.Settings.Until.In(loc)
		}
		v.Polls = append(v.Polls, it)
	}
	projects, err := tx.Projects(c.ID, nil)
	if err != nil {
		return nil, err
	}
	byStage := map[core.Stage][]projectItem{}
	for _, p := range projects {
		byStage[p.Stage] = append(byStage[p.Stage], projectItem{
			ID: p.ID(), Title: p.Title, URL: s.projectURL(c, p.Num), Next: nextOf(p, r.Now, loc),
		})
	}
	for _, st := range core.Stages {
		if ps := byStage[st]; len(ps) > 0 {
			v.Stages = append(v.Stages, stageView{Stage: string(st), Label: s.text(r.Lang, "stage."+string(st), nil), Projects: ps})
		}
	}
	return v, nil
}

func (s *Server) communityPage(r *Request) (*Reply, error) {
	v, err := s.communityData(r)
	if err != nil {
		return nil, err
	}
	n := v.projectCount()
	desc := communityDescription{Name: v.Name, Projects: n, Polls: len(v.Polls), Campaigns: len(v.Campaigns)}
	meta := pageMeta{
		Title:       v.Name,
		Description: s.text(r.Lang, "web.community.description", desc),
		ImageAlt:    s.text(r.Lang, "web.community.card_alt", desc),
	}
	return s.page(r, "community", meta, v)
}

// campaignItem summarises campaign cp for a list.
func (s *Server) campaignItem(r *Request, cp *core.Campaign) campaignItem {
	it := campaignItem{
		ID: cp.ID(), Title: cp.Title, URL: s.campaignURL(r.Community, cp.Num),
		Pledged: cp.Money(cp.Pledged), Goal: cp.Goal, Percent: cp.Percent(), Backers: cp.Backers,
		Ended: cp.Ended(r.Now), Status: string(cp.Status),
	}
	it.Bar = min(it.Percent, 100)
	if !it.Ended {
		it.DaysLeft = daysLeft(r.Now, cp.Deadline, r.Community.Location())
	}
	return it
}

// daysLeft counts the days from now's day to the deadline's, in loc.
func daysLeft(now, deadline time.Time, loc *time.Location) int {
	a, b := now.In(loc), deadline.In(loc)
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return max(int(db.Sub(da).Hours()/24), 0)
}

// nextOf returns p's next step, or nil.
func nextOf(p *core.Project, now time.Time, loc *time.Location) *nextView {
	if p.NextStep == nil {
		return nil
	}
	n := &nextView{Text: p.NextStep.Text}
	if !p.NextStep.Due.IsZero() {
		n.Due = p.NextStep.Due.In(loc)
		n.Overdue = p.NextStep.Due.Before(now)
	}
	return n
}

func (s *Server) communityURL(c *core.Community) string { return "/c/" + c.Slug }

func (s *Server) campaignURL(c *core.Community, num int) string {
	return s.communityURL(c) + "/campaigns/C" + itoa(num)
}

func (s *Server) pollURL(c *core.Community, num int) string {
	return s.communityURL(c) + "/polls/V" + itoa(num)
}

func (s *Server) projectURL(c *core.Community, num int) string {
	return s.communityURL(c) + "/projects/P" + itoa(num)
}

// projectCount is how many active projects the community page lists.
func (v *communityView) projectCount() int {
	n := 0
	for _, st := range v.Stages {
		n += len(st.Projects)
	}
	return n
}
