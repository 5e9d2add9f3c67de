package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/engage-org/engage/core"
)

// The facilitators' dashboard (/d/TOKEN): what the public pages do not show, for
// whoever holds a link /dashboard gave a facilitator or an admin. The token is
// checked by core (OpenDashboard): a forged, altered, expired or revoked one gets
// the 404 page and nothing else. The page is never cached or indexed.

// dashboardView is the data of the dashboard page.
type dashboardView struct {
	Name     string
	Expires  time.Time
	Checkins []dashCheckin
	Silent   []dashSilent // referents with check-ins unanswered, most first
	Overdue  []dashOverdue
	Pledges  []dashCampaign
	Polls    []dashPoll
}

// dashCheckin is a check-in still unanswered.
type dashCheckin struct {
	Who       string
	Projects  string // "P1 Garden, P3 Benches"
	Asked     time.Time
	Open      bool // its questions are still open (core.PromptLife)
	Reminded  bool
	Escalated bool
}

// dashSilent is a referent who has not answered, and how many times.
type dashSilent struct {
	Who string
	N   int
}

// dashOverdue is a project whose next step's date passed.
type dashOverdue struct {
	Project, Step string
	Due           time.Time
	Referents     string
}

// dashCampaign is a campaign's pledges not paid in full.
type dashCampaign struct {
	ID, Title string
	Status    string
	Due       core.Money // still to collect, over every pledge listed
	Pledges   []dashPledge
}

// dashPledge is one backer's pledge and what is still due of it.
type dashPledge struct {
	Who                string
	Amount, Paid, Left core.Money
	Status             string
}

// dashPoll is a poll's turnout.
type dashPoll struct {
	ID, Question     string
	Open             bool
	Hidden           bool
	Ballots, Members int
	Percent          int
	Until, Closed    time.Time
}

// logPath is a request's path as the log may keep it: a dashboard link's token
// is a key, and is left out.
func logPath(path string) string {
	if strings.HasPrefix(path, DashboardPrefix) {
		return DashboardPrefix + "…"
	}
	return path
}

// DashboardPrefix starts the path of every dashboard link (bots.DashboardPath).
const DashboardPrefix = "/d/"

// dashboardRecent is how far back the dashboard lists closed polls.
const dashboardRecent = 30 * 24 * time.Hour

// dashboardPage: /d/{token}.
func (s *Server) dashboardPage(r *Request) (*Reply, error) {
	tx := r.Tx
	c, exp, err := tx.OpenDashboard(r.HTTP.PathValue("token"))
	if err != nil {
		return nil, err
	}
	lang := s.langOf(r.HTTP, c.Lang)
	loc := c.Location()
	v := dashboardView{Name: c.Name, Expires: exp.In(loc)}
	names := map[core.PersonID]string{}
	name := func(id core.PersonID) string {
		if n, ok := names[id]; ok {
			return n
		}
		n := s.text(lang, "member.former", nil)
		if p, err := tx.Person(id); err == nil && p.Name != "" {
			n = p.Name
		}
		names[id] = n
		return n
	}
	project := func(num int) string {
		id := "P" + strconv.Itoa(num)
		if p, err := tx.Project(c.ID, id); err == nil {
			return id + " " + p.Title
		}
		return id
	}

	// Check-ins of the answer rate's window still unanswered.
	prs, err := tx.Prompts(c.ID, r.Now.Add(-core.AnswerRateWindow))
	if err != nil {
		return nil, err
	}
	silent := map[string]int{}
	for i := len(prs) - 1; i >= 0; i-- { // newest first
		pr := prs[i]
		if pr.Person == "" {
			continue
		}
		at, err := tx.AnsweredAt(pr)
		if err != nil {
			return nil, err
		}
		if !at.IsZero() {
			continue
		}
		ck := dashCheckin{Who: name(pr.Person), Asked: pr.Asked.In(loc), Open: r.Now.Sub(pr.Asked) < core.PromptLife,
			Reminded: !pr.Reminded.IsZero(), Escalated: !pr.Escalated.IsZero()}
		var projects []string
		for _, n := range pr.Projects {
			if !slices.Contains(pr.Done, n) {
				projects = append(projects, project(n))
			}
		}
		ck.Projects = strings.Join(projects, ", ")
		v.Checkins = append(v.Checkins, ck)
		silent[ck.Who]++
	}
	for who, n := range silent {
		v.Silent = append(v.Silent, dashSilent{Who: who, N: n})
	}
	slices.SortFunc(v.Silent, func(a, b dashSilent) int {
		if a.N != b.N {
			return b.N - a.N
		}
		return strings.Compare(a.Who, b.Who)
	})

	// Next steps overdue.
	over, err := tx.Overdue(c.ID, r.Now)
	if err != nil {
		return nil, err
	}
	for _, p := range over {
		o := dashOverdue{Project: p.ID() + " " + p.Title, Step: p.NextStep.Text, Due: p.NextStep.Due.In(loc)}
		var refs []string
		for _, id := range p.Referents {
			refs = append(refs, name(id))
		}
		o.Referents = strings.Join(refs, ", ")
		v.Overdue = append(v.Overdue, o)
	}
	slices.SortFunc(v.Overdue, func(a, b dashOverdue) int { return a.Due.Compare(b.Due) })

	// Pledges not paid in full, campaign by campaign.
	camps, err := tx.Campaigns(c.ID)
	if err != nil {
		return nil, err
	}
	for _, cp := range camps {
		if cp.Status == core.CampaignFailed {
			continue
		}
		ps, err := tx.Pledges(cp)
		if err != nil {
			return nil, err
		}
		dc := dashCampaign{ID: cp.ID(), Title: cp.Title, Status: string(cp.Status), Due: cp.Money(0)}
		for _, p := range ps {
			if p.Status == core.PledgeReleased || p.Paid >= p.Amount.Amount {
				continue
			}
			left := p.Amount.Amount - p.Paid
			dc.Pledges = append(dc.Pledges, dashPledge{Who: name(p.Person), Amount: p.Amount, Paid: cp.Money(p.Paid),
				Left: cp.Money(left), Status: string(p.Status)})
			dc.Due.Amount += left
		}
		if len(dc.Pledges) > 0 {
			slices.SortFunc(dc.Pledges, func(a, b dashPledge) int { return strings.Compare(a.Who, b.Who) })
			v.Pledges = append(v.Pledges, dc)
		}
	}

	// Polls open, and closed lately: their turnout.
	members, err := tx.CountMembers(c.ID)
	if err != nil {
		return nil, err
	}
	polls, err := tx.Polls(c.ID, false)
	if err != nil {
		return nil, err
	}
	for i := len(polls) - 1; i >= 0; i-- {
		p := polls[i]
		if !p.Open() && r.Now.Sub(p.Closed) > dashboardRecent {
			continue
		}
		dp := dashPoll{ID: p.ID(), Question: p.Question, Open: p.Open(), Hidden: p.Settings.Hidden,
			Ballots: p.Ballots(), Members: members}
		if !p.Open() {
			dp.Closed = p.Closed.In(loc)
			if p.Members > 0 {
				dp.Members = p.Members
			}
		} else if !p.Settings.Until.IsZero() {
			dp.Until = p.Settings.Until.In(loc)
		}
		dp.Percent = pct(dp.Ballots, dp.Members)
		v.Polls = append(v.Polls, dp)
	}

	meta := pageMeta{Title: s.text(lang, "web.dash.title", c.Name)}
	body, err := s.render(lang, "dashboard", meta, v)
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	return &Reply{Body: body, Header: h}, nil
}
