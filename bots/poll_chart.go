package bots

import (
	"image/color"
	"math/big"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/engage-org/engage/chart"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
)

// slotLength is how long a timed slot of a date poll lasts in its calendar file.
const slotLength = 2 * time.Hour

// lastVotes returns, per option, its votes in the last instant-runoff round it was
// in (nil for other methods).
func lastVotes(res *tally.Result, n int) []*big.Rat {
	if len(res.Rounds) == 0 {
		return nil
	}
	out := make([]*big.Rat, n)
	for _, r := range res.Rounds {
		for i, v := range r.Votes {
			if v != nil {
				out[i] = v
			}
		}
	}
	return out
}

// schulzeWins is the number of options that option i beats by the strongest paths.
func schulzeWins(res *tally.Result, i int) int {
	w := 0
	for j := range res.Strongest {
		if j != i && res.Strongest[i][j] > res.Strongest[j][i] {
			w++
		}
	}
	return w
}

// ballotLine is one option of a ballot shown back to its voter.
type ballotLine struct {
	Label  string
	Value  int
	Grade  string
	Answer string // yes, maybe, no
}

// ballot renders a ballot of p in lang, for its voter's receipt.
func (c *turn) pollBallot(p *core.Poll, values []int, lang string) string {
	data := voteBallotText{Method: string(p.BallotMethod())}
	label := func(i int) string { return c.tx.OptionLabel(p, i) }
	switch {
	case core.Ranked(p.BallotMethod()):
		var tiers [][]string
		for rank := 1; ; rank++ {
			next, any := 0, false
			var tier []string
			for i, v := range values {
				if v == rank {
					tier = append(tier, label(i))
				}
				if v > rank && (!any || v < next) {
					next, any = v, true
				}
			}
			if tier != nil {
				tiers = append(tiers, tier)
			}
			if !any {
				break
			}
			rank = next - 1
		}
		data.Tiers = tiers
	case p.BallotMethod() == tally.Single, p.BallotMethod() == tally.Contest, p.BallotMethod() == tally.Approval:
		var chosen []string
		for i, v := range values {
			if v == 1 {
				chosen = append(chosen, label(i))
			}
		}
		data.Chosen = chosen
	default:
		var lines []ballotLine
		for i, v := range values {
			l := ballotLine{Label: label(i), Value: v}
			switch p.BallotMethod() {
			case tally.Judgment:
				l.Grade = c.pollGrade(p, v, lang)
			case tally.Date:
				l.Answer = []string{"no", "maybe", "yes"}[v]
			case tally.Dot:
				if v == 0 {
					continue
				}
			}
			lines = append(lines, l)
		}
		data.Lines = lines
	}
	return c.b.cat.Text(lang, "vote.ballot", data)
}

// pollChart draws p's result as a PNG bar chart (see pollBars); nil when the
// quorum was not met or the method has no chart.
func (c *turn) pollChart(p *core.Poll, res *tally.Result, lang string) (*Attachment, error) {
	bars, ok := c.pollBars(p, res, lang)
	if !ok {
		return nil, nil
	}
	png, err := bars.PNG()
	if err != nil {
		return nil, core.Internal("chart", err)
	}
	return &Attachment{Name: p.ID() + ".png", Type: "image/png", Data: png}, nil
}

// PollBars is the bar chart of p's result in lang, the one the chats get as a
// PNG, for the web pages to draw as SVG (or a preview card) alike; ok is false
// when nothing was decided (quorum not met) or the method has no chart.
func (b *Bot) PollBars(tx *core.Tx, p *core.Poll, res *tally.Result, lang string) (bars chart.Bars, ok bool) {
	return b.jobTurn(tx, nil, nil).pollBars(p, res, lang)
}

// pollBars is p's result as a bar chart, options in ranking order, top to bottom:
// the figure each method ranks by, with each bar's value — for majority judgment
// the grade shares stacked best first, each share written in its part and the
// median marked; for a date poll yes and maybe, each written in its part.
func (c *turn) pollBars(p *core.Poll, res *tally.Result, lang string) (chart.Bars, bool) {
	if !core.Decided(p, res) { // nothing decided: no chart of a tie of every option
		return chart.Bars{}, false
	}
	var order []int
	for _, tier := range res.Ranking {
		order = append(order, tier...)
	}
	bars := chart.Bars{
		Title:   p.ID() + " · " + p.Question,
		YLabel:  c.b.cat.Text(lang, "chart.axis."+string(p.BallotMethod()), nil),
		Decimal: c.b.cat.Text(lang, "chart.decimal", nil),
		Values:  true,
	}
	for _, i := range order {
		bars.Labels = append(bars.Labels, c.tx.OptionLabel(p, i))
	}
	series := func(name string, c color.Color, f func(i int) float64) {
		v := make([]float64, len(order))
		for k, i := range order {
			v[k] = f(i)
		}
		bars.Series = append(bars.Series, chart.Series{Name: name, Values: v, Color: c})
	}
	rat := func(r *big.Rat) float64 {
		if r == nil {
			return 0
		}
		f, _ := r.Float64()
		return f
	}
	switch p.BallotMethod() {
	case tally.Judgment:
		// Best grade first, from the left; the median line at 50 %.
		grades := p.Grades()
		for g := len(grades) - 1; g >= 0; g-- {
			series(c.pollGrade(p, g, lang), chart.Shade(g, len(grades)), func(i int) float64 {
				return 100 * float64(res.Profiles[i][g]) / float64(max(res.Ballots, 1))
			})
		}
		bars.Values, bars.Percent = false, true // every stack is 100 %
		bars.Segments, bars.Max, bars.Marks = true, 100, []float64{50}
	case tally.Date:
		series(c.b.cat.Text(lang, "answer.yes", nil), chart.Green, func(i int) float64 { return float64(res.Counts[i]) })
		series(c.b.cat.Text(lang, "answer.maybe", nil), chart.Amber, func(i int) float64 { return float64(res.Maybes[i]) })
		bars.Segments = true // yes and maybe each written in its part, the total after
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
		// First preferences beside the final votes, in votes (not units).
		if len(res.Stages) == 0 {
			return chart.Bars{}, false
		}
		unit := 1.0
		for range res.Decimals {
			unit *= 10
		}
		first, last := res.Stages[0].Votes, res.Stages[len(res.Stages)-1].Votes
		series(c.b.cat.Text(lang, "chart.stv.first", nil), chart.Amber, func(i int) float64 { return float64(first[i]) / unit })
		series(c.b.cat.Text(lang, "chart.stv.final", nil), chart.Green, func(i int) float64 { return float64(last[i]) / unit })
		bars.Grouped = true
	default:
		return chart.Bars{}, false
	}
	return bars, true
}

// calendar returns the calendar file of a date poll's chosen slot, with the text
// that goes with it; nil when p is no date poll, its quorum was not met, or no
// single slot won (a tie, or nobody said yes).
func (c *turn) pollCalendar(p *core.Poll, res *tally.Result, lang string) (*Attachment, string, error) {
	if p.BallotMethod() != tally.Date || !core.Decided(p, res) || len(res.Ranking) == 0 || len(res.Ranking[0]) != 1 {
		return nil, "", nil
	}
	win := res.Ranking[0][0]
	if res.Counts[win] == 0 {
		return nil, "", nil
	}
	o := p.Options[win]
	loc := time.UTC
	if c.comm != nil {
		loc = c.comm.Location()
	}
	cal := ics.NewCalendar()
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//Engage//Polls//EN")
	ev := cal.AddEvent("poll-" + string(p.Community) + "-" + p.ID() + "@engage")
	ev.SetDtStampTime(c.tx.Now())
	ev.SetSummary(p.Question)
	if o.AllDay {
		day := o.Slot.In(loc)
		ev.SetAllDayStartAt(day)
		ev.SetAllDayEndAt(day.AddDate(0, 0, 1))
	} else {
		ev.SetStartAt(o.Slot)
		ev.SetEndAt(o.Slot.Add(slotLength))
	}
	text := c.b.cat.Text(lang, "poll.date_chosen", pollDateChosenText{
		ID: p.ID(), Question: p.Question, Label: o.Label, At: o.Slot.In(loc), AllDay: o.AllDay,
	})
	data := []byte(cal.Serialize())
	return &Attachment{Name: p.ID() + ".ics", Type: "text/calendar", Data: data}, text, nil
}

// pollDateChosenText is what the text poll.date_chosen shows.
type pollDateChosenText struct {
	ID       string
	Question string
	Label    string
	At       time.Time
	AllDay   bool
}

// voteBallotText is what the text vote.ballot shows.
type voteBallotText struct {
	Method string
	Lines  []ballotLine
	Chosen []string
	Tiers  [][]string
}
