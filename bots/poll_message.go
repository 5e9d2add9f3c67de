package bots

import (
	"strconv"
	"time"

	"github.com/engage-org/engage/chart/pollchart"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
)

// pollView is what templates show of a poll.
type pollView struct {
	ID, Question, Method string
	Options              []optionView
	Ballots              int
	Open, Hidden, Secret bool
	Final                bool // secret ballots that cannot be changed
	ShowCounts           bool // the tally is visible: open and not hidden, or closed
	Until                time.Time
	Closed               time.Time // when it closed, by hand or at its deadline (zero while open)
	Quorum               int
	Min, Max, Dots       int
	JuryWeight           int
	JuryBallots          int
	Grades               []string
	Seats                int         // stv
	Meek                 bool        // stv: counted by Meek's method
	Budget               *budgetView // budget polls
	Assembly             assemblyView
}

// budgetView is what a budget poll's message and result show besides the
// approval or dot tally of its ballots.
type budgetView struct {
	Money      core.Money
	Rule, From string
	Min, Max   int
	Points     int
	// Result (closed): the funded options in the order funded, what greedy
	// alone would fund, the money spent and left.
	Funded      []budgetFunded
	Greedy      []string
	Spent, Left core.Money
	Closed      bool
}

// budgetFunded is one funded option of a budget poll's result.
type budgetFunded struct {
	Label         string
	Cost          core.Money
	Payers        int64
	ByEqualShares bool
}

// budget returns p's budget view (nil for another method); with res, its
// result too.
func (c *turn) pollBudget(p *core.Poll, res *tally.Result) *budgetView {
	if p.Method != core.MethodBudget {
		return nil
	}
	s := p.Settings
	money := func(a int64) core.Money { return s.Budget.Plus(a - s.Budget.Amount) }
	v := &budgetView{Money: money(s.Budget.Amount), Rule: s.Rule, From: s.From, Min: s.Min, Max: s.Max, Points: s.Points}
	if res == nil || res.Budget == nil {
		return v
	}
	b := res.Budget
	v.Closed = true
	if b.Spent+b.Left > 0 {
		v.Money = money(b.Spent + b.Left)
	}
	v.Spent, v.Left = money(b.Spent), money(b.Left)
	for k, i := range b.Selected {
		f := budgetFunded{Label: c.tx.OptionLabel(p, i), Cost: money(p.Options[i].Cost), ByEqualShares: k < b.ByMES}
		if k < len(b.Payers) {
			f.Payers = b.Payers[k]
		}
		v.Funded = append(v.Funded, f)
	}
	for _, i := range b.Greedy {
		v.Greedy = append(v.Greedy, c.tx.OptionLabel(p, i))
	}
	return v
}

// optionView is one option in a pollView, with its running figures.
type optionView struct {
	N                         int
	Label                     string
	Count, Maybe, Jury, Total int
	Grade                     string // judgment: the majority grade so far ("" before any ballot)
	Pct                       string // share of ballots choosing it (single, approval, date yes)
}

// view returns what the poll message shows in lang.
func (c *turn) pollViewOf(p *core.Poll, lang string) pollView {
	s := p.Settings
	v := pollView{
		ID: p.ID(), Question: p.Question, Method: string(p.BallotMethod()), Ballots: p.Ballots(),
		Open: p.Open(), Hidden: s.Hidden, Secret: s.Secret, Final: !c.tx.BallotsChangeable(p),
		Until: c.pollUntil(p), Quorum: s.Quorum, Min: s.ScaleMin, Max: s.ScaleMax, Dots: p.TallySettings().Dots, Seats: s.Seats, Meek: s.Meek,
		JuryWeight: s.JuryWeight, Budget: c.pollBudget(p, nil), Assembly: c.pollAssembly(p, p.Live.Weight),
	}
	v.ShowCounts = !p.Open() || !s.Hidden
	if !p.Open() && !p.Closed.IsZero() {
		v.Closed = p.Closed.In(c.pollLoc())
	}
	for g := range p.Grades() {
		v.Grades = append(v.Grades, c.pollGrade(p, g, lang))
	}
	l := p.Live
	v.JuryBallots = l.JuryBallots
	for i := range p.Options {
		o := optionView{N: i + 1, Label: c.tx.OptionLabel(p, i)}
		if l.Counts != nil {
			o.Count = l.Counts[i]
			o.Pct = pct(o.Count, l.Weight, lang) // Weight is Ballots unless weighted
		}
		if l.Maybes != nil {
			o.Maybe = l.Maybes[i]
		}
		if l.JuryCounts != nil {
			o.Jury = l.JuryCounts[i]
		}
		if l.Totals != nil {
			o.Total = l.Totals[i]
		}
		if l.Profiles != nil && l.Ballots > 0 {
			o.Grade = c.pollGrade(p, lowerMedian(l.Profiles[i], l.Weight), lang)
		}
		v.Options = append(v.Options, o)
	}
	return v
}

// lowerMedian returns the lower median grade of a grade profile of total ballots.
func lowerMedian(profile []int, total int) int {
	pos, acc := (total-1)/2, 0
	for g, k := range profile {
		acc += k
		if acc > pos {
			return g
		}
	}
	return len(profile) - 1
}

// gradeName shows grade g of p in lang.
func (c *turn) pollGrade(p *core.Poll, g int, lang string) string {
	return pollchart.Grade(p, g, func(key string) string { return c.textIn(lang, key, nil) })
}

// until returns p's deadline in the community's zone (zero when it has none).
func (c *turn) pollUntil(p *core.Poll) time.Time {
	if p.Settings.Until.IsZero() {
		return time.Time{}
	}
	return p.Settings.Until.In(c.pollLoc())
}

// pollLoc is the community's zone (UTC when the turn has no community).
func (c *turn) pollLoc() *time.Location {
	if c.comm != nil {
		return c.comm.Location()
	}
	return time.UTC
}

// pressable reports whether a press on the poll message is a whole ballot or a
// change of one: single and contest, and approval and date polls whose ballots can
// be changed. The others are filled in a form or step by step.
func (c *turn) pollPressable(p *core.Poll) bool {
	switch p.BallotMethod() {
	case tally.Single, tally.Contest:
		return true
	case tally.Approval, tally.Date:
		return c.tx.BallotsChangeable(p)
	}
	return false
}

// voteRows returns the buttons of an open poll in lang: one per option (single,
// contest, approval), yes / maybe / no per slot (date), or one that opens the
// ballot.
func (c *turn) pollVoteRows(p *core.Poll, lang string) ([][]Button, error) {
	if !p.Open() {
		return nil, nil
	}
	cmd := "/vote " + p.ID() + " "
	var rows [][]Button
	add := func(label, command string) error {
		tok, err := c.tx.ButtonToken(command)
		if err != nil {
			return err
		}
		rows = append(rows, []Button{{Label: clip(label, 80), Token: tok}})
		return nil
	}
	if !c.pollPressable(p) {
		return rows, add(c.b.cat.Text(lang, "button.vote", nil), "/vote "+p.ID())
	}
	for i := range p.Options {
		label, num := c.tx.OptionLabel(p, i), strconv.Itoa(i+1)
		switch p.BallotMethod() {
		case tally.Approval:
			if err := add(label, cmd+"+"+num); err != nil {
				return nil, err
			}
		case tally.Date:
			var row []Button
			for _, a := range answerKeys(p) {
				tok, err := c.tx.ButtonToken(cmd + "+" + num + "=" + a)
				if err != nil {
					return nil, err
				}
				text := c.b.cat.Text(lang, "button.vote_answer", buttonVoteAnswerText{Answer: a, Label: label})
				row = append(row, Button{Label: clip(text, 80), Token: tok})
			}
			rows = append(rows, row)
		default:
			if err := add(label, cmd+num); err != nil {
				return nil, err
			}
		}
	}
	return rows, nil
}

// message renders the poll message for the community's language.
func (c *turn) pollMessage(p *core.Poll) (string, [][]Button, error) {
	rows, err := c.pollVoteRows(p, c.comm.Lang)
	if err != nil {
		return "", nil, err
	}
	return c.b.cat.Text(c.comm.Lang, "poll.message", c.pollViewOf(p, c.comm.Lang)), rows, nil
}

// post sends the poll message to every chat of the community: a live message,
// rendered with the current tally when it is sent.
func (c *turn) postPoll(p *core.Poll) error {
	return c.postLive(p.Ref())
}

// refresh edits the poll message in every chat, pollEditDelay from now: ballots
// cast meanwhile join the pending edit, so a burst of ballots makes one edit,
// rendered once when it is sent.
func (c *turn) refreshPoll(p *core.Poll) error {
	return c.queueLive(p.Ref(), c.tx.Now().Add(pollEditDelay))
}

// closed shows that p closed: its message loses its buttons, and the result, with
// its chart, goes to every chat; a date poll with one chosen slot also gets its
// calendar file.
func (c *turn) pollClosed(p *core.Poll, res *tally.Result) error {
	if err := c.tellFundedReferents(p, res); err != nil {
		return err
	}
	lang := c.comm.Lang
	chart, err := c.pollChart(p, res, lang)
	if err != nil {
		return err
	}
	result := c.b.cat.Text(lang, "poll.result", c.pollResult(p, res, lang))
	if p.Method == tally.STV {
		result = c.b.cat.Text(lang, "poll.result_stv", c.pollSTVResult(p, res, lang))
	}
	ics, icsText, err := c.pollCalendar(p, res, lang)
	if err != nil {
		return err
	}
	if err := c.queueLive(p.Ref(), time.Time{}); err != nil {
		return err // the poll message loses its buttons and shows the final tally
	}
	for _, ch := range c.comm.Chats {
		m := Message{Platform: ch.Platform, ChatID: ch.ChatID, Text: result, Attachment: chart}
		if err := c.send(m, "", time.Time{}); err != nil {
			return err
		}
		if ics != nil {
			m := Message{Platform: ch.Platform, ChatID: ch.ChatID, Text: icsText, Attachment: ics}
			if err := c.send(m, "", time.Time{}); err != nil {
				return err
			}
		}
	}
	return nil
}

// resultView is what templates show of a closed poll's result.
type resultView struct {
	ID, Question, Method string
	Ballots              int
	QuorumMet            bool
	NoBallot             bool // closed with no ballot cast: nothing decided
	Quorum               int
	Tiers                []tierView
	Rounds               int // irv
	JuryWeight           int // contest
	JuryBallots          int
	Min, Max             int // score
	Budget               *budgetView
	Assembly             assemblyView
}

// tierView is one place of a ranking: one option, or several tied.
type tierView struct {
	Place   int
	Options []resultOption
}

// resultOption is an option in a result, with the figures its method ranks by.
type resultOption struct {
	Label                           string
	Count, Maybe, Total, Wins, Jury int
	Points, Votes, Share, Grade     string
}

// result returns what the result message shows in lang.
func (c *turn) pollResult(p *core.Poll, res *tally.Result, lang string) resultView {
	v := resultView{
		ID: p.ID(), Question: p.Question, Method: string(p.BallotMethod()), Ballots: res.Ballots,
		QuorumMet: p.QuorumMet, Quorum: p.Settings.Quorum, Rounds: len(res.Rounds),
		JuryWeight: p.Settings.JuryWeight, JuryBallots: res.JuryBallots,
		Min: p.Settings.ScaleMin, Max: p.Settings.ScaleMax, NoBallot: res.Ballots == 0, Budget: c.pollBudget(p, res),
		Assembly: c.pollAssembly(p, res.Weight),
	}
	if v.Assembly.Needed > v.Quorum {
		v.Quorum = v.Assembly.Needed
	}
	if v.NoBallot {
		return v
	}
	irvVotes := pollchart.LastVotes(res, len(p.Options))
	place := 1
	for _, tier := range res.Ranking {
		t := tierView{Place: place}
		for _, i := range tier {
			o := resultOption{Label: c.tx.OptionLabel(p, i)}
			if res.Counts != nil {
				o.Count = res.Counts[i]
			}
			if res.Maybes != nil {
				o.Maybe = res.Maybes[i]
			}
			if res.JuryCounts != nil {
				o.Jury = res.JuryCounts[i]
			}
			if res.Totals != nil {
				o.Total = res.Totals[i]
			}
			if res.Points != nil {
				o.Points = ratString(res.Points[i], lang)
			}
			if res.Shares != nil {
				o.Share = ratString(res.Shares[i], lang)
			}
			if res.Grades != nil {
				o.Grade = c.pollGrade(p, res.Grades[i], lang)
			}
			if irvVotes != nil {
				o.Votes = ratString(irvVotes[i], lang)
			}
			if res.Strongest != nil {
				o.Wins = pollchart.SchulzeWins(res, i)
			}
			t.Options = append(t.Options, o)
		}
		v.Tiers = append(v.Tiers, t)
		place += len(tier)
	}
	return v
}

// tellReferents writes to the referents of each project a budget poll
// funded from a campaign (the money is allocated and the project is at stage
// funded).
func (c *turn) tellFundedReferents(p *core.Poll, res *tally.Result) error {
	if p.Method != core.MethodBudget || p.Settings.From == "" || res.Budget == nil || !p.QuorumMet {
		return nil
	}
	for _, i := range res.Budget.Selected {
		o := p.Options[i]
		if o.Project == 0 {
			continue
		}
		pr, err := c.tx.Project(p.Community, o.ProjectID())
		if err != nil {
			return err
		}
		data := budgetFundedReferentText{Poll: p.ID(), Project: pr.ID(), Title: pr.Title,
			Amount: p.Settings.Budget.Plus(o.Cost - p.Settings.Budget.Amount), Campaign: p.Settings.From}
		for _, ref := range pr.Referents {
			if err := c.dm(ref, "budget.funded_referent", data, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// buttonVoteAnswerText is what the text button.vote_answer shows.
type buttonVoteAnswerText struct {
	Answer string
	Label  string
}

// budgetFundedReferentText is what the text budget.funded_referent shows.
type budgetFundedReferentText struct {
	Poll     string
	Project  string
	Title    string
	Amount   core.Money
	Campaign string
}
