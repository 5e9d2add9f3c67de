package core

import (
	"slices"
	"strings"
	"time"
)

// Rules of thumb from the facilitation method, shown to facilitators as health
// signals: aim for about 100 members, of whom 10–20% take part; run 2–3 projects per
// community; referents should answer their check-ins.
const (
	TargetMembers    = 100
	ActiveLowPct     = 10
	ActiveHighPct    = 20
	ProjectsLow      = 2
	ProjectsHigh     = 3
	AnswerRateLowPct = 50
	membersLowPct    = 80 // below 80% of the target the community is still growing
)

// Level places a figure against its rule of thumb.
type Level string

// The levels of a health signal.
const (
	LevelNone Level = ""     // nothing to measure yet
	LevelLow  Level = "low"  // below the rule of thumb
	LevelOK   Level = "ok"   // within it
	LevelHigh Level = "high" // above it
)

// Health is a community's health signals.
type Health struct {
	Members   int `json:"members"`
	Active    int `json:"active"` // acted within ActiveWindow
	ActivePct int `json:"active_pct"`
	Projects  int `json:"projects"` // active projects
	Asked     int `json:"asked"`    // check-in prompts of the last AnswerRateWindow, answered or RemindAfter old
	Answered  int `json:"answered"`
	AnswerPct int `json:"answer_pct"`

	MembersLevel  Level `json:"members_level"`
	ActiveLevel   Level `json:"active_level"`
	ProjectsLevel Level `json:"projects_level"`
	AnswerLevel   Level `json:"answer_level"`
}

// Health measures community c now.
func (tx *Tx) Health(c CommunityID) (*Health, error) {
	ms, err := tx.Members(c)
	if err != nil {
		return nil, err
	}
	return tx.health(c, ms)
}

// health measures community c, whose members are ms, now.
func (tx *Tx) health(c CommunityID, ms []*Member) (*Health, error) {
	h := &Health{}
	for _, m := range ms {
		h.Members++
		if tx.now.Sub(m.LastActive) <= ActiveWindow {
			h.Active++
		}
	}
	ps, err := tx.Projects(c, nil)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.Active() {
			h.Projects++
		}
	}
	prs, err := tx.Prompts(c, tx.now.Add(-AnswerRateWindow))
	if err != nil {
		return nil, err
	}
	for _, pr := range prs {
		answered, err := tx.AnsweredAt(pr)
		if err != nil {
			return nil, err
		}
		switch {
		case !answered.IsZero():
			h.Asked++
			h.Answered++
		case tx.now.Sub(pr.Asked) >= RemindAfter: // a prompt counts once its referent had time to answer
			h.Asked++
		}
	}
	h.ActivePct = pct(h.Active, h.Members)
	h.AnswerPct = pct(h.Answered, h.Asked)
	switch {
	case h.Members == 0:
	case h.Members*100 < TargetMembers*membersLowPct:
		h.MembersLevel = LevelLow
	default:
		h.MembersLevel = LevelOK
	}
	h.ActiveLevel = band(h.Members > 0, h.ActivePct, ActiveLowPct, ActiveHighPct)
	h.ProjectsLevel = band(true, h.Projects, ProjectsLow, ProjectsHigh)
	switch {
	case h.Asked == 0:
	case h.AnswerPct < AnswerRateLowPct:
		h.AnswerLevel = LevelLow
	default:
		h.AnswerLevel = LevelOK
	}
	return h, nil
}

// HealthSame says, line by line, whether health signals say what they said
// before: the members, the active members, the active projects, the check-in
// answers.
type HealthSame struct {
	Members, Active, Projects, Answers bool
}

// Same compares h with prev, line by line (prev nil: nothing is the same).
func (h *Health) Same(prev *Health) HealthSame {
	if prev == nil {
		return HealthSame{}
	}
	return HealthSame{
		Members:  h.Members == prev.Members && h.MembersLevel == prev.MembersLevel,
		Active:   h.Active == prev.Active && h.ActivePct == prev.ActivePct && h.ActiveLevel == prev.ActiveLevel,
		Projects: h.Projects == prev.Projects && h.ProjectsLevel == prev.ProjectsLevel,
		Answers: h.Asked == prev.Asked && h.Answered == prev.Answered && h.AnswerPct == prev.AnswerPct &&
			h.AnswerLevel == prev.AnswerLevel,
	}
}

// AgendaHealth measures community c now for the facilitator's weekly agenda. It
// returns the signals, those last shown in an agenda and when (nil and zero the
// first time), and records these as the last shown when they changed: the agenda
// repeats only the lines that changed, and "unchanged since" keeps its date.
func (tx *Tx) AgendaHealth(c CommunityID) (h, prev *Health, since time.Time, err error) {
	if h, err = tx.Health(c); err != nil {
		return nil, nil, time.Time{}, err
	}
	f, err := tx.Facilitation(c)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	prev, since = f.Health, f.HealthAt
	if prev != nil && *prev == *h {
		return h, prev, since, nil // unchanged since then: "since" stays
	}
	f.Health, f.HealthAt = h, tx.now
	if err := tx.putFacilitation(f); err != nil {
		return nil, nil, time.Time{}, err
	}
	return h, prev, since, nil
}

// pct is n out of of, in whole percent (0 when of is 0).
func pct(n, of int) int {
	if of == 0 {
		return 0
	}
	return (n*100 + of/2) / of
}

func band(measured bool, v, low, high int) Level {
	switch {
	case !measured:
		return LevelNone
	case v < low:
		return LevelLow
	case v > high:
		return LevelHigh
	}
	return LevelOK
}

// JobFigures records a community's figures once a week (Monday 00:00, its time).
const JobFigures = "impact_week"

// Figures are a community's impact figures at one time (PRODUCT.md § 5): members,
// active members and the participation rate, the check-in answer rate, next steps on
// time and overdue, projects per stage, money pledged, collected and spent, and
// volunteering hours pledged and given.
type Figures struct {
	// Version is FiguresVersion when the figures were measured; records of an
	// earlier version lack the figures added since (0 there means "not measured").
	Version   int           `json:"version,omitempty"`
	At        time.Time     `json:"at"`
	Members   int           `json:"members"`
	Active    int           `json:"active"`
	ActivePct int           `json:"active_pct"`
	Active90  int           `json:"active_90,omitempty"` // acted within ActiveWindow90 (version 2)
	Newcomers int           `json:"newcomers,omitempty"` // joined within NewcomerWindow (version 2)
	Asked     int           `json:"asked"`
	Answered  int           `json:"answered"`
	AnswerPct int           `json:"answer_pct"`
	OnTime    int           `json:"on_time"` // next steps whose date has not passed
	Overdue   int           `json:"overdue"`
	Undated   int           `json:"undated"` // next steps without a date
	Stages    map[Stage]int `json:"stages"`
	// StageChanges counts every change of a project's stage so far; PollsClosed the
	// polls closed so far, PollsDecided those whose result stands (version 2).
	StageChanges int `json:"stage_changes,omitempty"`
	PollsClosed  int `json:"polls_closed,omitempty"`
	PollsDecided int `json:"polls_decided,omitempty"`
	// Money is pledged, collected and spent over all campaigns, one entry a currency;
	// HoursPledged and HoursGiven are the volunteering hours of zero-interest loans.
	Money        []MoneyFigures `json:"money,omitempty"`
	HoursPledged int            `json:"hours_pledged,omitempty"`
	HoursGiven   int            `json:"hours_given,omitempty"`
}

// FiguresVersion is the version of the figures measured now (see Figures.Version):
// 2 added Active90, Newcomers, StageChanges, PollsClosed and PollsDecided.
const FiguresVersion = 2

// The windows of the figures added in version 2: active over 90 days, newcomers
// over 30.
const (
	ActiveWindow90 = 90 * 24 * time.Hour
	NewcomerWindow = 30 * 24 * time.Hour
)

// MoneyFigures are a community's campaign totals in one currency.
type MoneyFigures struct {
	Currency  string `json:"currency"`
	Pledged   Money  `json:"pledged"`
	Collected Money  `json:"collected"`
	Spent     Money  `json:"spent"`
}

// Figures measures community c now.
func (tx *Tx) Figures(c CommunityID) (*Figures, error) {
	ms, err := tx.Members(c)
	if err != nil {
		return nil, err
	}
	h, err := tx.health(c, ms)
	if err != nil {
		return nil, err
	}
	f := &Figures{
		Version: FiguresVersion, At: tx.now, Members: h.Members, Active: h.Active, ActivePct: h.ActivePct,
		Asked: h.Asked, Answered: h.Answered, AnswerPct: h.AnswerPct, Stages: map[Stage]int{},
	}
	for _, m := range ms {
		if tx.now.Sub(m.LastActive) <= ActiveWindow90 {
			f.Active90++
		}
		if tx.now.Sub(m.Joined) <= NewcomerWindow {
			f.Newcomers++
		}
	}
	fac, err := tx.Facilitation(c)
	if err != nil {
		return nil, err
	}
	f.StageChanges = fac.StageChanges
	polls, err := tx.Polls(c, false)
	if err != nil {
		return nil, err
	}
	for _, p := range polls {
		if p.Open() {
			continue
		}
		f.PollsClosed++
		if p.QuorumMet && p.Ballots() > 0 {
			f.PollsDecided++
		}
	}
	ps, err := tx.Projects(c, nil)
	if err != nil {
		return nil, err
	}
	cs, err := tx.Campaigns(c)
	if err != nil {
		return nil, err
	}
	for _, cp := range cs {
		i := slices.IndexFunc(f.Money, func(m MoneyFigures) bool { return m.Currency == cp.Goal.Currency })
		if i < 0 {
			cur := cp.Goal.Currency
			f.Money = append(f.Money, MoneyFigures{Currency: cur, Pledged: Money{Currency: cur}, Collected: Money{Currency: cur}, Spent: Money{Currency: cur}})
			i = len(f.Money) - 1
		}
		f.Money[i].Pledged.Amount += cp.Pledged
		f.Money[i].Collected.Amount += cp.Collected
		f.Money[i].Spent.Amount += cp.Spent
		f.HoursPledged += cp.HoursPledged
		f.HoursGiven += cp.HoursGiven
	}
	slices.SortFunc(f.Money, func(a, b MoneyFigures) int { return strings.Compare(a.Currency, b.Currency) })
	for _, p := range ps {
		f.Stages[p.Stage]++
		if !p.Active() || p.NextStep == nil {
			continue
		}
		switch {
		case p.NextStep.Due.IsZero():
			f.Undated++
		case p.NextStep.Due.Before(tx.now):
			f.Overdue++
		default:
			f.OnTime++
		}
	}
	return f, nil
}

// RecordFigures measures community c now and keeps the figures for /impact.
func (tx *Tx) RecordFigures(c CommunityID) (*Figures, error) {
	f, err := tx.Figures(c)
	if err != nil {
		return nil, err
	}
	return f, tx.putJSON(bucketFigures, key(string(c), pad20(uint64(max(tx.now.Unix(), 0)))), f)
}

// FiguresSince returns community c's recorded figures from since on, oldest first.
func (tx *Tx) FiguresSince(c CommunityID, since time.Time) ([]*Figures, error) {
	var out []*Figures
	start := key(string(c), pad20(uint64(max(since.Unix(), 0))))
	err := scanJSON(tx, bucketFigures, string(c)+"/", false, func(k string, f *Figures) error {
		if k >= start {
			out = append(out, f)
		}
		return nil
	})
	return out, err
}

// ScheduleFigures makes sure community c's figures are recorded every week: the
// next Monday at 00:00 in its time zone, unless a recording is already scheduled.
func (tx *Tx) ScheduleFigures(c CommunityID) error {
	id := JobFigures + "/" + string(c)
	if j, err := tx.ScheduledJob(id); err != nil || j != nil {
		return err
	}
	comm, err := tx.Community(c)
	if err != nil {
		return err
	}
	d := tx.now.In(comm.Location())
	days := (int(time.Monday) - int(d.Weekday()) + 7) % 7
	if days == 0 {
		days = 7
	}
	due := time.Date(d.Year(), d.Month(), d.Day()+days, 0, 0, 0, 0, d.Location())
	return tx.Schedule(Job{ID: id, Due: due, Kind: JobFigures, Community: c})
}
