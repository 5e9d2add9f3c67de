package web

import (
	"image/color"
	"slices"
	"time"

	"github.com/engage-org/engage/chart"
	"github.com/engage-org/engage/core"
)

// The impact page (/c/SLUG/impact) and its exports (impact.csv, impact.json) show
// the community's figures over time: the weekly records core keeps (JobFigures)
// and the figures measured now. No breakdown of fewer than MinCell people is
// shown: a count of people from 1 to MinCell−1 is withheld, and so is a rate
// computed from a withheld count.

// MinCell is the fewest people a figure may count and still be shown (0 is shown).
const MinCell = 5

// impactWeeks is how far back the impact page looks: two years of weekly records.
const impactWeeks = 104

// cell is a figure that may be withheld: Known is false when it was not measured
// at that time (a record older than the figure), Small when it counts fewer than
// MinCell people (and more than none).
type cell struct {
	N     int
	Known bool
	Small bool
}

// Shown reports whether the figure may be written.
func (c cell) Shown() bool { return c.Known && !c.Small }

// people is a count of people, withheld when small.
func people(n int, known bool) cell {
	return cell{N: n, Known: known, Small: known && n > 0 && n < MinCell}
}

// ratio is a percentage computed from counts of people: withheld when either is.
func ratio(pct int, of ...cell) cell {
	c := cell{N: pct, Known: true}
	for _, o := range of {
		c.Known = c.Known && o.Known
		c.Small = c.Small || o.Small
	}
	if c.Known && of[len(of)-1].N == 0 { // nothing to measure against
		c.Known = false
	}
	return c
}

// known is a figure that is no count of people, possibly not measured.
func known(n int, ok bool) cell { return cell{N: n, Known: ok} }

// impactPoint is the figures at one time, as the impact page and its exports
// show them.
type impactPoint struct {
	At      time.Time // in the community's zone
	Current bool      // measured now, not a weekly record
	Members int
	// Active30 and Active90 acted within 30 and 90 days, Newcomers joined within 30.
	Active30, Active90, Newcomers cell
	ActivePct                     cell
	// Asked and Answered are the check-ins of the last 12 weeks; AnswerPct their rate.
	Asked, Answered, AnswerPct cell
	OnTime, Overdue, Undated   int
	Stages                     []int // projects per stage, in the order of core.Stages
	StageChanges               cell  // changes of stage so far
	PollsClosed, PollsDecided  cell
	Money                      []core.MoneyFigures
	HoursPledged, HoursGiven   int
}

func newImpactPoint(f *core.Figures, loc *time.Location) impactPoint {
	v2 := f.Version >= 2
	p := impactPoint{
		At: f.At.In(loc), Members: f.Members,
		Active30: people(f.Active, true), Active90: people(f.Active90, v2), Newcomers: people(f.Newcomers, v2),
		Asked: people(f.Asked, true), Answered: people(f.Answered, true),
		OnTime: f.OnTime, Overdue: f.Overdue, Undated: f.Undated,
		StageChanges: known(f.StageChanges, v2), PollsClosed: known(f.PollsClosed, v2), PollsDecided: known(f.PollsDecided, v2),
		Money: f.Money, HoursPledged: f.HoursPledged, HoursGiven: f.HoursGiven,
	}
	p.ActivePct = ratio(f.ActivePct, p.Active30, known(f.Members, true)) // the members' total is no breakdown
	p.AnswerPct = ratio(f.AnswerPct, p.Answered, p.Asked)
	for _, s := range core.Stages {
		p.Stages = append(p.Stages, f.Stages[s])
	}
	return p
}

// impactPoll is a closed poll in the impact figures.
type impactPoll struct {
	ID, Question, URL string
	Method            string
	Closed            time.Time
	Decided           bool
	Ballots           cell
	Members           int  // members when it closed (0: not recorded)
	Turnout           cell // ballots of the members, in whole percent
}

// impactData is everything the impact page and its exports show.
type impactData struct {
	Community  *core.Community
	Points     []impactPoint // oldest first; the last is now
	Polls      []impactPoll  // closed polls, most recently closed first
	Currencies []string      // every currency of the points, sorted
}

// readImpact reads community c's figures of the last impactWeeks weeks and now,
// and its closed polls.
func readImpact(tx *core.Tx, c *core.Community, now time.Time, pollURL func(num int) string) (*impactData, error) {
	loc := c.Location()
	recs, err := tx.FiguresSince(c.ID, now.AddDate(0, 0, -7*impactWeeks))
	if err != nil {
		return nil, err
	}
	cur, err := tx.Figures(c.ID)
	if err != nil {
		return nil, err
	}
	d := &impactData{Community: c}
	for _, f := range recs {
		d.Points = append(d.Points, newImpactPoint(f, loc))
	}
	p := newImpactPoint(cur, loc)
	p.Current = true
	d.Points = append(d.Points, p)
	for _, pt := range d.Points {
		for _, m := range pt.Money {
			if !slices.Contains(d.Currencies, m.Currency) {
				d.Currencies = append(d.Currencies, m.Currency)
			}
		}
	}
	slices.Sort(d.Currencies)
	polls, err := tx.Polls(c.ID, false)
	if err != nil {
		return nil, err
	}
	for _, pl := range polls {
		if pl.Open() {
			continue
		}
		ip := impactPoll{
			ID: pl.ID(), Question: pl.Question, URL: pollURL(pl.Num), Method: string(pl.Method),
			Closed: pl.Closed.In(loc), Decided: pl.QuorumMet && pl.Ballots() > 0,
			Ballots: people(pl.Ballots(), true), Members: pl.Members,
		}
		ip.Turnout = ratio(pct(pl.Ballots(), pl.Members), ip.Ballots, known(pl.Members, pl.Members > 0))
		d.Polls = append(d.Polls, ip)
	}
	slices.SortStableFunc(d.Polls, func(a, b impactPoll) int { return b.Closed.Compare(a.Closed) })
	return d, nil
}

// Now returns the figures measured now.
func (d *impactData) Now() impactPoint { return d.Points[len(d.Points)-1] }

// money returns point p's totals in currency cur (zero when it has none).
func (p impactPoint) money(cur string) core.MoneyFigures {
	for _, m := range p.Money {
		if m.Currency == cur {
			return m
		}
	}
	z := core.Money{Currency: cur}
	return core.MoneyFigures{Currency: cur, Pledged: z, Collected: z, Spent: z}
}

// pct is n out of of in whole percent, rounded half up (0 when of is 0).
func pct(n, of int) int {
	if of <= 0 {
		return 0
	}
	return (n*100 + of/2) / of
}

// series is one line of an impact chart: a name and a figure of each point.
type series struct {
	Name  string
	Color color.Color
	Value func(impactPoint) cell
}

// lineChart draws series over the points as an SVG line chart with one panel;
// withheld and unmeasured figures are left out of their line.
func lineChart(title, ylabel, decimal string, percent bool, tick func(time.Time) string, points []impactPoint, ss []series) ([]byte, error) {
	var lines []chart.Line
	for _, s := range ss {
		ln := chart.Line{Name: s.Name, Color: s.Color}
		for _, p := range points {
			if v := s.Value(p); v.Shown() {
				ln.At = append(ln.At, p.At)
				ln.Y = append(ln.Y, float64(v.N))
			}
		}
		if len(ln.At) > 0 {
			lines = append(lines, ln)
		}
	}
	if len(lines) == 0 {
		return nil, nil
	}
	return chart.Lines{
		Title: title, Decimal: decimal, Tick: tick,
		Panels: []chart.Panel{{YLabel: ylabel, Lines: lines, Percent: percent}},
	}.SVG()
}
