package bots

import (
	"bytes"
	"image/color"
	"strconv"
	"time"

	"github.com/engage-org/engage/core"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// How far back /impact looks: 12 weeks unless told, at most two years.
const (
	defaultImpactWeeks = 12
	maxImpactWeeks     = 104
)

// jobFigures records a community's figures for /impact and schedules next week's.
func jobFigures(b *Bot, tx *core.Tx, j *core.Job) error {
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
func cmdImpact(c *call) error {
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
	data := map[string]any{
		"Community": c.comm.Name, "Weeks": weeks, "Records": records, "First": first, "Now": cur, "Stages": stages,
	}
	png, err := impactChart(c, points, loc)
	if err != nil {
		return err
	}
	c.out = append(c.out, Message{
		Platform: c.ev.Platform, ChatID: c.ev.ChatID, Direct: c.ev.Direct, UserID: c.ev.UserID, Name: c.ev.UserName,
		Text:       c.text("impact", data),
		Attachment: &Attachment{Name: "impact-chart.png", Type: "image/png", Data: png},
	})
	return nil
}

// impactChart draws members, active members and the check-in answer rate over time
// as a PNG, its words in the actor's language.
func impactChart(c *call, points []*core.Figures, loc *time.Location) ([]byte, error) {
	p := plot.New()
	p.Title.Text = c.text("impact.chart.title", map[string]any{"Community": c.comm.Name})
	p.Y.Label.Text = c.text("impact.chart.y", nil)
	p.Y.Min = 0
	p.X.Tick.Marker = dateTicks{c: c, loc: loc}
	series := []struct {
		key   string
		value func(*core.Figures) float64
		color color.RGBA
	}{
		{"impact.chart.members", func(f *core.Figures) float64 { return float64(f.Members) }, color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}},
		{"impact.chart.active", func(f *core.Figures) float64 { return float64(f.Active) }, color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}},
		{"impact.chart.answers", func(f *core.Figures) float64 { return float64(f.AnswerPct) }, color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}},
	}
	for _, s := range series {
		xys := make(plotter.XYs, len(points))
		for i, f := range points {
			xys[i].X = float64(f.At.Unix())
			xys[i].Y = s.value(f)
		}
		line, dots, err := plotter.NewLinePoints(xys)
		if err != nil {
			return nil, core.Internal("impact chart", err)
		}
		line.Color, dots.Color = s.color, s.color
		p.Add(line, dots)
		p.Legend.Add(c.text(s.key, nil), line, dots)
	}
	p.Legend.Top, p.Legend.Left = true, true
	p.Y.Max = max(p.Y.Max, 10) * 1.35 // room for the legend above the lines
	if p.X.Max-p.X.Min < 24*3600 {    // one point: a week's width around it
		p.X.Min -= 3.5 * 24 * 3600
		p.X.Max += 3.5 * 24 * 3600
	}
	w, err := p.WriterTo(16*vg.Centimeter, 9*vg.Centimeter, "png")
	if err != nil {
		return nil, core.Internal("impact chart", err)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return nil, core.Internal("impact chart", err)
	}
	return buf.Bytes(), nil
}

// dateTicks labels the time axis with short dates in the actor's language.
type dateTicks struct {
	c   *call
	loc *time.Location
}

// Ticks implements plot.Ticker.
func (d dateTicks) Ticks(min, max float64) []plot.Tick {
	var out []plot.Tick
	for _, t := range (plot.DefaultTicks{}).Ticks(min, max) {
		if t.Label != "" {
			t.Label = d.c.text("impact.tick", map[string]any{"D": time.Unix(int64(t.Value), 0).In(d.loc)})
		}
		out = append(out, t)
	}
	return out
}
