package web

import (
	"image/color"
	"math/big"
	"time"

	"github.com/engage-org/engage/chart"
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

// pollBars draws p's result as the chat's chart does (bots/pollchart.go): options
// in ranking order, the figure each method ranks by. values holds each option's
// figure as written in the table. ok is false for a result with no figure to draw.
func (s *Server) pollBars(r *Request, p *core.Poll, res *tally.Result) (bars chart.Bars, values []string, ok bool) {
	lang := r.Lang
	var order []int
	for _, tier := range res.Ranking {
		order = append(order, tier...)
	}
	dec := s.text(lang, "chart.decimal", nil)
	bars = chart.Bars{
		Title:   p.ID() + " · " + p.Question,
		YLabel:  s.text(lang, "chart.axis."+string(p.BallotMethod()), nil),
		Decimal: dec,
		Values:  true,
	}
	for _, i := range order {
		bars.Labels = append(bars.Labels, r.Tx.OptionLabel(p, i))
	}
	values = make([]string, len(p.Options))
	series := func(name string, c color.Color, f func(i int) float64) {
		v := make([]float64, len(order))
		for k, i := range order {
			v[k] = f(i)
			if values[i] == "" {
				values[i] = chart.Number(v[k], dec)
			} else {
				values[i] += " · " + chart.Number(v[k], dec)
			}
		}
		bars.Series = append(bars.Series, chart.Series{Name: name, Values: v, Color: c})
	}
	rat := func(x *big.Rat) float64 {
		if x == nil {
			return 0
		}
		f, _ := x.Float64()
		return f
	}
	switch p.BallotMethod() {
	case tally.Judgment:
		grades := p.Grades()
		for g := range grades {
			series(s.gradeName(lang, p, g), chart.Shade(g, len(grades)), func(i int) float64 {
				return 100 * float64(res.Profiles[i][g]) / float64(max(res.Ballots, 1))
			})
		}
		for i := range values {
			values[i] = ""
			if i < len(res.Grades) {
				values[i] = s.gradeName(lang, p, res.Grades[i])
			}
		}
		bars.Values, bars.Percent = false, true
	case tally.Date:
		series(s.text(lang, "answer.yes", nil), chart.Green, func(i int) float64 { return float64(res.Counts[i]) })
		series(s.text(lang, "answer.maybe", nil), chart.Amber, func(i int) float64 { return float64(res.Maybes[i]) })
	case tally.Single, tally.Approval:
		series("", chart.Green, func(i int) float64 { return float64(res.Counts[i]) })
	case tally.Score, tally.Dot:
		series("", chart.Green, func(i int) float64 { return float64(res.Totals[i]) })
	case tally.Borda:
		series("", chart.Green, func(i int) float64 { return rat(res.Points[i]) })
	case tally.Contest:
		series("", chart.Green, func(i int) float64 { return rat(res.Shares[i]) })
		bars.Percent = true
	case tally.IRV:
		votes := lastVotes(res, len(p.Options))
		series("", chart.Green, func(i int) float64 { return rat(votes[i]) })
	case tally.Schulze:
		series("", chart.Green, func(i int) float64 { return float64(schulzeWins(res, i)) })
	case tally.STV:
		if len(res.Stages) == 0 {
			return bars, nil, false
		}
		unit := 1.0
		for range res.Decimals {
			unit *= 10
		}
		first, last := res.Stages[0].Votes, res.Stages[len(res.Stages)-1].Votes
		series(s.text(lang, "chart.stv.first", nil), chart.Amber, func(i int) float64 { return float64(first[i]) / unit })
		series(s.text(lang, "chart.stv.final", nil), chart.Green, func(i int) float64 { return float64(last[i]) / unit })
		bars.Grouped = true
	default:
		return bars, nil, false
	}
	return bars, values, true
}

// gradeName is grade g of p as people read it.
func (s *Server) gradeName(lang string, p *core.Poll, g int) string {
	if len(p.Settings.Grades) > 0 {
		if g < len(p.Settings.Grades) {
			return p.Settings.Grades[g]
		}
		return ""
	}
	if g < 0 || g >= len(core.DefaultGrades) {
		return ""
	}
	return s.text(lang, "grade."+core.DefaultGrades[g], nil)
}

// lastVotes returns, per option, its votes in the last instant-runoff round it was in.
func lastVotes(res *tally.Result, n int) []*big.Rat {
	out := make([]*big.Rat, n)
	for _, rd := range res.Rounds {
		for i, v := range rd.Votes {
			if v != nil && i < n {
				out[i] = v
			}
		}
	}
	return out
}

// schulzeWins is the number of options option i beats by the strongest paths.
func schulzeWins(res *tally.Result, i int) int {
	w := 0
	for j := range res.Strongest {
		if j != i && res.Strongest[i][j] > res.Strongest[j][i] {
			w++
		}
	}
	return w
}
