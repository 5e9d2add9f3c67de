package web

import (
	"time"

	"github.com/engage-org/engage/chart"
	"github.com/engage-org/engage/chart/pollchart"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
)

// pollView is the data of a poll page.
type pollView struct {
	Back            linkView
	ID, Question    string
	Method, Explain string
	Open            bool
	Until, Closed   time.Time
	Turnout         turnoutView
	Hidden          bool // open and hidden: the turnout alone
	Result          *resultView
}

type turnoutView struct {
	Ballots, Members, Percent int
}

// resultView is a closed poll's result: its ranking with the figure each option
// is ranked by, and the chart of it.
type resultView struct {
	Decided  bool
	Winner   string
	Head     string // the figure's name (the chart's axis)
	Rows     []rankRow
	Chart    []byte // SVG
	ChartAlt string
	NoQuorum bool
}

type rankRow struct {
	Rank  int
	Label string
	Value string
}

// pollDescription is the data of a poll's description.
type pollDescription struct {
	Question string
	Ballots  int
}

// pollOf reads the poll the route's {id} names.
func pollOf(r *Request) (*core.Poll, error) {
	return r.Tx.Poll(r.Community.ID, r.HTTP.PathValue("id"))
}

func (s *Server) pollPage(r *Request) (*Reply, error) {
	c := r.Community
	p, err := pollOf(r)
	if err != nil {
		return nil, err
	}
	v, err := s.pollData(r, p, true)
	if err != nil {
		return nil, err
	}
	meta := pageMeta{
		Title:       p.ID() + " · " + p.Question,
		Description: s.text(r.Lang, "web.poll.description", pollDescription{Question: p.Question, Ballots: p.Ballots()}),
		ImageAlt:    s.text(r.Lang, "web.poll.card_alt", p.Question),
	}
	v.Back = linkView{Text: c.Name, URL: s.communityURL(c)}
	return s.page(r, "poll", meta, v)
}

// pollData reads what the poll page and its card show; svg draws the chart.
func (s *Server) pollData(r *Request, p *core.Poll, svg bool) (*pollView, error) {
	loc := r.Community.Location()
	v := &pollView{
		ID: p.ID(), Question: p.Question, Open: p.Open(),
		Method:  s.text(r.Lang, "method."+string(p.Method), nil),
		Explain: s.text(r.Lang, "web.method."+string(p.Method), nil),
	}
	if !p.Settings.Until.IsZero() {
		v.Until = p.Settings.Until.In(loc)
	}
	if !p.Closed.IsZero() {
		v.Closed = p.Closed.In(loc)
	}
	members, err := r.Tx.CountMembers(r.Community.ID)
	if err != nil {
		return nil, err
	}
	v.Turnout = turnoutView{Ballots: p.Ballots(), Members: members}
	if members > 0 {
		v.Turnout.Percent = p.Ballots() * 100 / members
	}
	if p.Open() {
		// Open, a poll shows its turnout only: a hidden poll's tally is not to be
		// seen before it closes, and the others show theirs in the chat.
		v.Hidden = p.Settings.Hidden
		return v, nil
	}
	res, err := r.Tx.PollResult(p)
	if err != nil {
		return nil, err
	}
	v.Turnout.Ballots = res.Ballots
	if members > 0 {
		v.Turnout.Percent = res.Ballots * 100 / members
	}
	v.Result, err = s.resultOf(r, p, res, svg)
	return v, err
}

// resultOf builds a closed poll's ranking and chart.
func (s *Server) resultOf(r *Request, p *core.Poll, res *tally.Result, svg bool) (*resultView, error) {
	rv := &resultView{Decided: core.Decided(p, res), NoQuorum: !p.QuorumMet}
	if !rv.Decided {
		return rv, nil
	}
	bars, values, ok := s.pollBars(r, p, res)
	rv.Head = bars.YLabel
	rank := 1
	for _, tier := range res.Ranking {
		for _, i := range tier {
			row := rankRow{Rank: rank, Label: r.Tx.OptionLabel(p, i)}
			if ok {
				row.Value = values[i]
			}
			rv.Rows = append(rv.Rows, row)
		}
		rank += len(tier)
	}
	if len(res.Ranking) > 0 && len(res.Ranking[0]) == 1 {
		rv.Winner = r.Tx.OptionLabel(p, res.Ranking[0][0])
	}
	if p.Method == tally.STV {
		rv.Winner = ""
	}
	if ok && svg {
		out, err := bars.SVG()
		if err != nil {
			return nil, core.Internal("poll chart", err)
		}
		rv.Chart = out
		rv.ChartAlt = s.text(r.Lang, "web.poll.chart_alt", p.Question)
	}
	return rv, nil
}

// pollBars draws p's result as the chats' chart (chart/pollchart). values holds
// each option's figure as written in the table (the median grade for majority
// judgment). ok is false for a result with no figure to draw.
func (s *Server) pollBars(r *Request, p *core.Poll, res *tally.Result) (bars chart.Bars, values []string, ok bool) {
	text := func(key string) string { return s.text(r.Lang, key, nil) }
	labels := make([]string, len(p.Options))
	for i := range p.Options {
		labels[i] = r.Tx.OptionLabel(p, i)
	}
	bars, order, ok := pollchart.Bars(p, res, labels, text)
	if !ok {
		return bars, nil, false
	}
	values = make([]string, len(p.Options))
	if p.BallotMethod() == tally.Judgment {
		for i := range values {
			if i < len(res.Grades) {
				values[i] = pollchart.Grade(p, res.Grades[i], text)
			}
		}
		return bars, values, true
	}
	for _, sr := range bars.Series {
		for k, i := range order {
			n := chart.Number(sr.Values[k], bars.Decimal)
			if values[i] == "" {
				values[i] = n
			} else {
				values[i] += " · " + n
			}
		}
	}
	return bars, values, true
}
