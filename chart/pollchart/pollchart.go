// Package pollchart owns how a poll's result is drawn: the one bar chart the chats
// (as PNG) and the web pages (as SVG, and in preview cards) share, options in
// ranking order with the figure each method ranks by. Its words come from the
// caller's texts; it imports core, core/tally and chart.
package pollchart

import (
	"image/color"
	"math/big"

	"github.com/engage-org/engage/chart"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
)

// Text renders a text of the caller's catalog in the chart's language ("chart.decimal",
// "chart.axis.METHOD", "answer.yes", "answer.maybe", "chart.stv.first",
// "chart.stv.final", "grade.NAME").
type Text func(key string) string

// Bars is p's result as a bar chart, options in ranking order, top to bottom:
// the figure each method ranks by, with each bar's value — for majority judgment
// the grade shares stacked best first, each share written in its part and the
// median marked; for a date poll yes and maybe, each written in its part. labels
// are the options' labels, in the poll's order. order gives, for each bar, the
// option it shows; ok is false when nothing was decided (quorum not met) or the
// method has no chart.
func Bars(p *core.Poll, res *tally.Result, labels []string, text Text) (bars chart.Bars, order []int, ok bool) {
	if !core.Decided(p, res) { // nothing decided: no chart of a tie of every option
		return chart.Bars{}, nil, false
	}
	for _, tier := range res.Ranking {
		order = append(order, tier...)
	}
	bars = chart.Bars{
		Title:   p.ID() + " · " + p.Question,
		YLabel:  text("chart.axis." + string(p.BallotMethod())),
		Decimal: text("chart.decimal"),
		Values:  true,
	}
	for _, i := range order {
		bars.Labels = append(bars.Labels, labels[i])
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
			series(Grade(p, g, text), chart.Shade(g, len(grades)), func(i int) float64 {
				return 100 * float64(res.Profiles[i][g]) / float64(max(res.Ballots, 1))
			})
		}
		bars.Values, bars.Percent = false, true // every stack is 100 %
		bars.Segments, bars.Max, bars.Marks = true, 100, []float64{50}
	case tally.Date:
		series(text("answer.yes"), chart.Green, func(i int) float64 { return float64(res.Counts[i]) })
		series(text("answer.maybe"), chart.Amber, func(i int) float64 { return float64(res.Maybes[i]) })
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
		votes := LastVotes(res, len(p.Options))
		if votes == nil {
			return chart.Bars{}, nil, false
		}
		series("", chart.Green, func(i int) float64 { return rat(votes[i]) })
	case tally.Schulze:
		series("", chart.Green, func(i int) float64 { return float64(SchulzeWins(res, i)) })
	case tally.STV:
		// First preferences beside the final votes, in votes (not units).
		if len(res.Stages) == 0 {
			return chart.Bars{}, nil, false
		}
		unit := 1.0
		for range res.Decimals {
			unit *= 10
		}
		first, last := res.Stages[0].Votes, res.Stages[len(res.Stages)-1].Votes
		series(text("chart.stv.first"), chart.Amber, func(i int) float64 { return float64(first[i]) / unit })
		series(text("chart.stv.final"), chart.Green, func(i int) float64 { return float64(last[i]) / unit })
		bars.Grouped = true
	default:
		return chart.Bars{}, nil, false
	}
	return bars, order, true
}

// Grade is grade g of p as people read it: the poll's own grade names, else the
// default grades' texts ("" for a grade out of range).
func Grade(p *core.Poll, g int, text Text) string {
	if len(p.Settings.Grades) > 0 {
		if g < 0 || g >= len(p.Settings.Grades) {
			return ""
		}
		return p.Settings.Grades[g]
	}
	if g < 0 || g >= len(core.DefaultGrades) {
		return ""
	}
	return text("grade." + core.DefaultGrades[g])
}

// LastVotes returns, per option, its votes in the last instant-runoff round it was
// in (nil without rounds).
func LastVotes(res *tally.Result, n int) []*big.Rat {
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

// SchulzeWins is the number of options option i beats by the strongest paths.
func SchulzeWins(res *tally.Result, i int) int {
	w := 0
	for j := range res.Strongest {
		if j != i && res.Strongest[i][j] > res.Strongest[j][i] {
			w++
		}
	}
	return w
}
