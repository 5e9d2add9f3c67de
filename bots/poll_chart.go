package bots

import (
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/engage-org/engage/chart"
	"github.com/engage-org/engage/chart/pollchart"
	"github.com/engage-org/engage/core"
	"github.com/engage-org/engage/core/tally"
)

// slotLength is how long a timed slot of a date poll lasts in its calendar file.
const slotLength = 2 * time.Hour

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

// pollBars is p's result as the bar chart the chats and the pages share
// (chart/pollchart), in lang.
func (c *turn) pollBars(p *core.Poll, res *tally.Result, lang string) (chart.Bars, bool) {
	labels := make([]string, len(p.Options))
	for i := range p.Options {
		labels[i] = c.tx.OptionLabel(p, i)
	}
	bars, _, ok := pollchart.Bars(p, res, labels, func(key string) string { return c.textIn(lang, key, nil) })
	return bars, ok
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
