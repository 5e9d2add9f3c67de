package bots

import (
	"bytes"
	"image/color"
	"math/big"
	"time"

	ics "github.com/arran4/golang-ical"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

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
func (n *pollNotifier) ballot(p *core.Poll, values []int, lang string) string {
	data := map[string]any{"Method": string(p.BallotMethod())}
	label := func(i int) string { return n.tx.OptionLabel(p, i) }
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
		data["Tiers"] = tiers
	case p.BallotMethod() == tally.Single, p.BallotMethod() == tally.Contest, p.BallotMethod() == tally.Approval:
		var chosen []string
		for i, v := range values {
			if v == 1 {
				chosen = append(chosen, label(i))
			}
		}
		data["Chosen"] = chosen
	default:
		var lines []ballotLine
		for i, v := range values {
			l := ballotLine{Label: label(i), Value: v}
			switch p.BallotMethod() {
			case tally.Judgment:
				l.Grade = n.gradeName(p, v, lang)
			case tally.Date:
				l.Answer = []string{"no", "maybe", "yes"}[v]
			case tally.Dot:
				if v == 0 {
					continue
				}
			}
			lines = append(lines, l)
		}
		data["Lines"] = lines
	}
	return n.b.cat.Text(lang, "vote.ballot", data)
}

// Chart colours.
var (
	barColor   = color.RGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff}
	maybeColor = color.RGBA{R: 0xf9, G: 0xa8, B: 0x25, A: 0xff}
)

// gradeColor shades grade g of k from red (worst) to green (best).
func gradeColor(g, k int) color.Color {
	f := float64(g) / float64(max(k-1, 1))
	return color.RGBA{R: uint8(200 * (1 - f)), G: uint8(60 + 120*f), B: 60, A: 0xff}
}

// chart draws p's result as a PNG bar chart, options in ranking order: the figure
// each method ranks by (stacked grade profiles for majority judgment, yes and maybe
// for a date poll). It returns nil when the quorum was not met.
func (n *pollNotifier) chart(p *core.Poll, res *tally.Result, lang string) (*Attachment, error) {
	if !p.QuorumMet {
		return nil, nil
	}
	var order []int
	for _, tier := range res.Ranking {
		order = append(order, tier...)
	}
	labels := make([]string, len(order))
	for k, i := range order {
		labels[k] = clip(n.tx.OptionLabel(p, i), 16)
	}
	pl := plot.New()
	pl.Title.Text = clip(p.ID()+" · "+p.Question, 70)
	pl.Y.Label.Text = n.b.cat.Text(lang, "chart.axis."+string(p.BallotMethod()), nil)
	pl.Y.Min = 0
	width := vg.Points(float64(min(40, 360/max(len(order), 1))))
	series := func(f func(i int) float64) plotter.Values {
		v := make(plotter.Values, len(order))
		for k, i := range order {
			v[k] = f(i)
		}
		return v
	}
	addBars := func(v plotter.Values, c color.Color, under *plotter.BarChart, legend string) (*plotter.BarChart, error) {
		b, err := plotter.NewBarChart(v, width)
		if err != nil {
			return nil, core.Internal("chart", err)
		}
		b.Color, b.LineStyle.Width = c, 0
		if under != nil {
			b.StackOn(under)
		}
		pl.Add(b)
		if legend != "" {
			pl.Legend.Add(legend, b)
		}
		return b, nil
	}
	rat := func(r *big.Rat) float64 {
		if r == nil {
			return 0
		}
		f, _ := r.Float64()
		return f
	}
	var err error
	switch p.BallotMethod() {
	case tally.Judgment:
		var under *plotter.BarChart
		grades := p.Grades()
		for g := range grades {
			v := series(func(i int) float64 { return 100 * float64(res.Profiles[i][g]) / float64(max(res.Ballots, 1)) })
			if under, err = addBars(v, gradeColor(g, len(grades)), under, n.gradeName(p, g, lang)); err != nil {
				return nil, err
			}
		}
		pl.Legend.Top = true
	case tally.Date:
		yes, err := addBars(series(func(i int) float64 { return float64(res.Counts[i]) }), barColor, nil, n.b.cat.Text(lang, "answer.yes", nil))
		if err != nil {
			return nil, err
		}
		if _, err = addBars(series(func(i int) float64 { return float64(res.Maybes[i]) }), maybeColor, yes, n.b.cat.Text(lang, "answer.maybe", nil)); err != nil {
			return nil, err
		}
		pl.Legend.Top = true
	default:
		var f func(i int) float64
		switch p.BallotMethod() {
		case tally.Single, tally.Approval:
			f = func(i int) float64 { return float64(res.Counts[i]) }
		case tally.Score, tally.Dot:
			f = func(i int) float64 { return float64(res.Totals[i]) }
			pl.Y.Min = 0
			for _, t := range res.Totals {
				pl.Y.Min = min(pl.Y.Min, float64(t))
			}
		case tally.Borda:
			f = func(i int) float64 { return rat(res.Points[i]) }
		case tally.Contest:
			f = func(i int) float64 { return rat(res.Shares[i]) }
		case tally.IRV:
			votes := lastVotes(res, len(p.Options))
			f = func(i int) float64 { return rat(votes[i]) }
		case tally.Schulze:
			f = func(i int) float64 { return float64(schulzeWins(res, i)) }
		}
		if _, err = addBars(series(f), barColor, nil, ""); err != nil {
			return nil, err
		}
	}
	pl.NominalX(labels...)
	if len(order) > 4 {
		pl.X.Tick.Label.Rotation = 0.6
		pl.X.Tick.Label.XAlign, pl.X.Tick.Label.YAlign = -1, -0.5
	}
	w, err := pl.WriterTo(16*vg.Centimeter, 10*vg.Centimeter, "png")
	if err != nil {
		return nil, core.Internal("chart", err)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return nil, core.Internal("chart", err)
	}
	return &Attachment{Name: p.ID() + ".png", Type: "image/png", Data: buf.Bytes()}, nil
}

// calendar returns the calendar file of a date poll's chosen slot, with the text
// that goes with it; nil when p is no date poll, its quorum was not met, or no
// single slot won (a tie, or nobody said yes).
func (n *pollNotifier) calendar(p *core.Poll, res *tally.Result, lang string) (*Attachment, string, error) {
	if p.BallotMethod() != tally.Date || !p.QuorumMet || len(res.Ranking) == 0 || len(res.Ranking[0]) != 1 {
		return nil, "", nil
	}
	win := res.Ranking[0][0]
	if res.Counts[win] == 0 {
		return nil, "", nil
	}
	o := p.Options[win]
	loc := time.UTC
	if n.comm != nil {
		loc = n.comm.Location()
	}
	cal := ics.NewCalendar()
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//Engage//Polls//EN")
	ev := cal.AddEvent("poll-" + string(p.Community) + "-" + p.ID() + "@engage")
	ev.SetDtStampTime(n.tx.Now())
	ev.SetSummary(p.Question)
	if o.AllDay {
		day := o.Slot.In(loc)
		ev.SetAllDayStartAt(day)
		ev.SetAllDayEndAt(day.AddDate(0, 0, 1))
	} else {
		ev.SetStartAt(o.Slot)
		ev.SetEndAt(o.Slot.Add(slotLength))
	}
	text := n.b.cat.Text(lang, "poll.date_chosen", map[string]any{
		"ID": p.ID(), "Question": p.Question, "Label": o.Label, "At": o.Slot.In(loc), "AllDay": o.AllDay,
	})
	data := []byte(cal.Serialize())
	return &Attachment{Name: p.ID() + ".ics", Type: "text/calendar", Data: data}, text, nil
}
