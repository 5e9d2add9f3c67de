package bots

import (
	"strconv"
	"time"

	"github.com/engage-org/engage/chart"
	"github.com/engage-org/engage/core"
)

// How far back /impact looks: 12 weeks unless told, at most two years.
const (
	defaultImpactWeeks = 12
	maxImpactWeeks     = 104
)

// jobFigures records a community's figures for /impact and schedules next week's.
func jobFigures(c *turn, j *core.Job) error {
	tx := c.tx
	if _, err := tx.Community(j.Community); err != nil {
		return ignoreGone(err)
	}
	if _, err := tx.RecordFigures(j.Community); err != nil {
		return err
	}
	return tx.ScheduleFigures(j.Community)
}

// stageCount is one stage and how many projects are at it.
type stageCount struct {
	Stage string
	N     int
}

// cmdImpact: /impact [weeks N] — the community's figures over time, with a chart
// (facilitators and admins).
func cmdImpact(c *turn) error {
	if err := core.RequireFacilitation(c.member); err != nil {
		return err
	}
	weeks := defaultImpactWeeks
	c.sub("weeks", "semaines")
	if w := c.word(); w != "" {
		n, err := strconv.Atoi(w)
		if err != nil || n < 1 || n > maxImpactWeeks {
			return core.Errorf(core.CodeInvalid, "err.impact_weeks", "max", maxImpactWeeks)
		}
		weeks = n
	}
	if err := c.tx.ScheduleFigures(c.comm.ID); err != nil {
		return err
	}
	now := c.tx.Now()
	loc := c.comm.Location()
	points, err := c.tx.FiguresSince(c.comm.ID, now.AddDate(0, 0, -7*weeks))
	if err != nil {
		return err
	}
	records := len(points)
	cur, err := c.tx.Figures(c.comm.ID)
	if err != nil {
		return err
	}
	points = append(points, cur)
	var stages []stageCount
	for _, s := range core.Stages {
		if n := cur.Stages[s]; n > 0 {
			stages = append(stages, stageCount{Stage: string(s), N: n})
		}
	}
	first := *points[0]
	first.At = first.At.In(loc)
	data := impactText{
		Community: c.comm.Name, Weeks: weeks, Records: records, First: first, Now: cur, Stages: stages,
	}
	png, err := impactChart(c, points, loc)
	if err != nil {
		return err
	}
	c.replyFile(&Attachment{Name: "impact-chart.png", Type: "image/png", Data: png}, "impact", data)
	return nil
}

// impactChart draws ImpactLines as a PNG in the actor's language.
func impactChart(c *turn, points []*core.Figures, loc *time.Location) ([]byte, error) {
	png, err := c.b.ImpactLines(c.lang, c.comm.Name, points, loc).PNG()
	if err != nil {
		return nil, core.Internal("impact chart", err)
	}
	return png, nil
}

// ImpactLines is the chart of /impact in lang, the one the chats get as a PNG,
// for the web pages to draw alike: members and active members over time, and
// below them the check-in answer rate on an axis of its own, so that people and
// percentages never share an axis. Dates are written in loc.
func (b *Bot) ImpactLines(lang, community string, points []*core.Figures, loc *time.Location) chart.Lines {
	text := func(key string, data any) string { return b.cat.Text(lang, key, data) }
	at := make([]time.Time, len(points))
	for i, f := range points {
		at[i] = f.At
	}
	values := func(v func(*core.Figures) int) []float64 {
		out := make([]float64, len(points))
		for i, f := range points {
			out[i] = float64(v(f))
		}
		return out
	}
	return chart.Lines{
		Title:   text("impact.chart.title", impactChartTitleText{Community: community}),
		Decimal: text("chart.decimal", nil),
		Tick:    func(t time.Time) string { return text("impact.tick", impactTickText{D: t.In(loc)}) },
		Panels: []chart.Panel{
			{YLabel: text("impact.chart.y", nil), Lines: []chart.Line{
				{Name: text("impact.chart.members", nil), At: at, Y: values(func(f *core.Figures) int { return f.Members }), Color: chart.Blue},
				{Name: text("impact.chart.active", nil), At: at, Y: values(func(f *core.Figures) int { return f.Active }), Color: chart.Green},
			}},
			{YLabel: text("impact.chart.pct", nil), Percent: true, Lines: []chart.Line{
				{Name: text("impact.chart.answers", nil), At: at, Y: values(func(f *core.Figures) int { return f.AnswerPct }), Color: chart.Purple},
			}},
		},
	}
}

// impactText is what the text impact shows.
type impactText struct {
	Community string
	Weeks     int
	Records   int
	First     core.Figures
	Now       *core.Figures
	Stages    []stageCount
}

// impactChartTitleText is what the text impact.chart.title shows.
type impactChartTitleText struct {
	Community string
}

// impactTickText is what the text impact.tick shows.
type impactTickText struct {
	D time.Time
}
