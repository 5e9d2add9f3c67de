package web

import (
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/engage-org/engage/chart"
	"github.com/engage-org/engage/core"
)

// impactView is the data of the impact page: a section a theme, each a chart
// and the table of its figures.
type impactView struct {
	Name      string
	Community string // the community page's address
	CSV, JSON string // the exports' addresses
	MinCell   int
	Key       []keyFigure // today's figures, at the top
	Sections  []impactSection
}

// keyFigure is one of today's figures, written.
type keyFigure struct {
	ID, Label, Value string
}

// impactSection is one chart and its data table. Cells come written already
// (numbers, amounts, percentages, "< 5" for a withheld figure).
type impactSection struct {
	ID, Title, Note string
	Chart           []byte // the SVG chart (nil: none)
	ChartAlt        string
	Head            []string
	Rows            [][]string
	Empty           string // shown instead of the table when it has no row
}

// pollsNote is the data of the polls section's note.
type pollsNote struct{ Closed, Decided int }

// impactTexts writes the impact figures in one language.
type impactTexts struct {
	s    *Server
	lang string
}

func (w impactTexts) t(key string, data any) string { return w.s.text(w.lang, key, data) }

// cell writes a figure: its number, "< 5" when withheld, "—" when not measured.
func (w impactTexts) cell(c cell) string {
	switch {
	case !c.Known:
		return w.t("web.impact.unknown", nil)
	case c.Small:
		return w.t("web.impact.small", MinCell)
	}
	return strconv.Itoa(c.N)
}

// pct writes a percentage figure.
func (w impactTexts) pct(c cell) string {
	if !c.Shown() {
		return w.cell(c)
	}
	return w.t("web.impact.pct", c.N)
}

func (w impactTexts) date(p impactPoint) string {
	if p.Current {
		return w.t("web.impact.date_now", p.At)
	}
	return w.t("web.date", p.At)
}

func (w impactTexts) tick(t time.Time) string { return w.t("impact.tick", map[string]any{"D": t}) }

// chart returns an SVG chart, or nil for none: a chart that fails is left out
// (its table stays) and logged.
func (w impactTexts) chart(svg []byte, err error) []byte {
	if err != nil {
		w.s.opt.Log.Error("impact chart", "err", err)
		return nil
	}
	return svg
}

// impactSections builds the sections of the impact page in lang.
func (s *Server) impactSections(d *impactData, lang string) []impactSection {
	w := impactTexts{s: s, lang: lang}
	dec := w.t("chart.decimal", nil)
	dates := make([]string, len(d.Points)) // written once for every table
	for i, p := range d.Points {
		dates[i] = w.date(p)
	}
	// rows lists the points newest first, each written by row.
	rows := func(row func(p impactPoint) []string) [][]string {
		out := make([][]string, 0, len(d.Points))
		for i := len(d.Points) - 1; i >= 0; i-- {
			out = append(out, append([]string{dates[i]}, row(d.Points[i])...))
		}
		return out
	}
	count := func(n int) cell { return known(n, true) }
	var out []impactSection

	// Members.
	sec := impactSection{ID: "members", Title: w.t("web.impact.members", nil), Note: w.t("web.impact.members.note", nil)}
	sec.Chart = w.chart(lineChart(sec.Title, w.t("impact.chart.y", nil), dec, false, w.tick, d.Points, []series{
		{w.t("web.impact.col.members", nil), chart.Blue, func(p impactPoint) cell { return count(p.Members) }},
		{w.t("web.impact.col.active30", nil), chart.Green, func(p impactPoint) cell { return p.Active30 }},
		{w.t("web.impact.col.active90", nil), chart.Purple, func(p impactPoint) cell { return p.Active90 }},
		{w.t("web.impact.col.newcomers", nil), chart.Amber, func(p impactPoint) cell { return p.Newcomers }},
	}))
	sec.Head = []string{w.t("web.impact.col.date", nil), w.t("web.impact.col.members", nil), w.t("web.impact.col.active30", nil),
		w.t("web.impact.col.active_pct", nil), w.t("web.impact.col.active90", nil), w.t("web.impact.col.newcomers", nil)}
	sec.Rows = rows(func(p impactPoint) []string {
		return []string{strconv.Itoa(p.Members), w.cell(p.Active30), w.pct(p.ActivePct), w.cell(p.Active90), w.cell(p.Newcomers)}
	})
	out = append(out, sec)

	// Check-ins.
	sec = impactSection{ID: "checkins", Title: w.t("web.impact.checkins", nil), Note: w.t("web.impact.checkins.note", nil)}
	sec.Chart = w.chart(lineChart(sec.Title, w.t("impact.chart.pct", nil), dec, true, w.tick, d.Points, []series{
		{w.t("web.impact.col.answer_pct", nil), chart.Red, func(p impactPoint) cell { return p.AnswerPct }},
	}))
	sec.Head = []string{w.t("web.impact.col.date", nil), w.t("web.impact.col.asked", nil), w.t("web.impact.col.answered", nil), w.t("web.impact.col.answer_pct", nil)}
	sec.Rows = rows(func(p impactPoint) []string {
		return []string{w.cell(p.Asked), w.cell(p.Answered), w.pct(p.AnswerPct)}
	})
	out = append(out, sec)

	// Next steps.
	sec = impactSection{ID: "steps", Title: w.t("web.impact.steps", nil)}
	sec.Chart = w.chart(lineChart(sec.Title, w.t("web.impact.projects.y", nil), dec, false, w.tick, d.Points, []series{
		{w.t("web.impact.col.on_time", nil), chart.Green, func(p impactPoint) cell { return count(p.OnTime) }},
		{w.t("web.impact.col.overdue", nil), chart.Red, func(p impactPoint) cell { return count(p.Overdue) }},
		{w.t("web.impact.col.undated", nil), chart.Amber, func(p impactPoint) cell { return count(p.Undated) }},
	}))
	sec.Head = []string{w.t("web.impact.col.date", nil), w.t("web.impact.col.on_time", nil), w.t("web.impact.col.overdue", nil), w.t("web.impact.col.undated", nil)}
	sec.Rows = rows(func(p impactPoint) []string {
		return []string{strconv.Itoa(p.OnTime), strconv.Itoa(p.Overdue), strconv.Itoa(p.Undated)}
	})
	out = append(out, sec)

	// Projects per stage now, and over time with the changes of stage.
	sec = impactSection{ID: "projects", Title: w.t("web.impact.projects", nil), Note: w.t("web.impact.projects.note", nil)}
	now := d.Now()
	bars := chart.Bars{Title: sec.Title, YLabel: w.t("web.impact.projects.y", nil), Decimal: dec, Values: true}
	var perStage []float64
	sec.Head = []string{w.t("web.impact.col.date", nil)}
	for i, st := range core.Stages {
		label := w.t("stage."+string(st), nil)
		bars.Labels = append(bars.Labels, label)
		perStage = append(perStage, float64(now.Stages[i]))
		sec.Head = append(sec.Head, label)
	}
	sec.Head = append(sec.Head, w.t("web.impact.col.stage_changes", nil))
	bars.Series = []chart.Series{{Values: perStage, Color: chart.Blue}}
	sec.Chart = w.chart(bars.SVG())
	sec.Rows = rows(func(p impactPoint) []string {
		var r []string
		for _, n := range p.Stages {
			r = append(r, strconv.Itoa(n))
		}
		return append(r, w.cell(p.StageChanges))
	})
	out = append(out, sec)

	// Polls closed, their results and turnout.
	decided := 0
	for _, p := range d.Polls {
		if p.Decided {
			decided++
		}
	}
	sec = impactSection{ID: "polls", Title: w.t("web.impact.polls", nil), Note: w.t("web.impact.polls.note", pollsNote{Closed: len(d.Polls), Decided: decided}),
		Empty: w.t("web.impact.polls.none", nil)}
	turnout := chart.Bars{Title: w.t("web.impact.polls.chart", nil), YLabel: w.t("web.impact.col.turnout", nil), Decimal: dec, Values: true, Percent: true}
	var tv []float64
	for i := len(d.Polls) - 1; i >= 0; i-- { // the last 12 closed, oldest left
		p := d.Polls[i]
		if i < 12 && p.Turnout.Shown() {
			turnout.Labels = append(turnout.Labels, p.ID)
			tv = append(tv, float64(p.Turnout.N))
		}
	}
	if len(tv) > 0 {
		turnout.Series = []chart.Series{{Values: tv, Color: chart.Green}}
		sec.Chart = w.chart(turnout.SVG())
	}
	sec.Head = []string{w.t("web.impact.col.poll", nil), w.t("web.impact.col.closed", nil), w.t("web.impact.col.decided", nil),
		w.t("web.impact.col.ballots", nil), w.t("web.impact.col.turnout", nil)}
	for _, p := range d.Polls {
		sec.Rows = append(sec.Rows, []string{p.ID + " · " + p.Question, w.t("web.date", p.Closed), w.t("web.impact.decided", p.Decided), w.cell(p.Ballots), w.pct(p.Turnout)})
	}
	out = append(out, sec)

	// Money, a chart a currency.
	for _, cur := range d.Currencies {
		sec = impactSection{ID: "money-" + cur, Title: w.t("web.impact.money", cur)}
		amount := func(m core.Money) float64 { // major units, for the chart's scale alone
			d, _ := core.MinorUnits(m.Currency)
			return float64(m.Amount) / math.Pow10(d)
		}
		var pledged, collected, spent chart.Line
		pledged = chart.Line{Name: w.t("web.impact.col.pledged", nil), Color: chart.Blue}
		collected = chart.Line{Name: w.t("web.impact.col.collected", nil), Color: chart.Green}
		spent = chart.Line{Name: w.t("web.impact.col.spent", nil), Color: chart.Red}
		for _, p := range d.Points {
			m := p.money(cur)
			for _, l := range []*struct {
				ln *chart.Line
				v  core.Money
			}{{&pledged, m.Pledged}, {&collected, m.Collected}, {&spent, m.Spent}} {
				l.ln.At = append(l.ln.At, p.At)
				l.ln.Y = append(l.ln.Y, amount(l.v))
			}
		}
		sec.Chart = w.chart(chart.Lines{Title: sec.Title, Decimal: dec, Tick: w.tick,
			Panels: []chart.Panel{{YLabel: cur, Lines: []chart.Line{pledged, collected, spent}}}}.SVG())
		sec.Head = []string{w.t("web.impact.col.date", nil), w.t("web.impact.col.pledged", nil), w.t("web.impact.col.collected", nil), w.t("web.impact.col.spent", nil)}
		sec.Rows = rows(func(p impactPoint) []string {
			m := p.money(cur)
			return []string{w.t("web.money", m.Pledged), w.t("web.money", m.Collected), w.t("web.money", m.Spent)}
		})
		out = append(out, sec)
	}

	// Volunteering hours, when a loan counts any.
	if slices.ContainsFunc(d.Points, func(p impactPoint) bool { return p.HoursPledged > 0 || p.HoursGiven > 0 }) {
		sec = impactSection{ID: "hours", Title: w.t("web.impact.hours", nil)}
		sec.Chart = w.chart(lineChart(sec.Title, w.t("web.impact.hours.y", nil), dec, false, w.tick, d.Points, []series{
			{w.t("web.impact.col.hours_pledged", nil), chart.Blue, func(p impactPoint) cell { return count(p.HoursPledged) }},
			{w.t("web.impact.col.hours_given", nil), chart.Green, func(p impactPoint) cell { return count(p.HoursGiven) }},
		}))
		sec.Head = []string{w.t("web.impact.col.date", nil), w.t("web.impact.col.hours_pledged", nil), w.t("web.impact.col.hours_given", nil)}
		sec.Rows = rows(func(p impactPoint) []string {
			return []string{strconv.Itoa(p.HoursPledged), strconv.Itoa(p.HoursGiven)}
		})
		out = append(out, sec)
	}
	for i := range out {
		if out[i].Chart != nil {
			out[i].ChartAlt = w.t("web.impact.chart_alt", out[i].Title)
		}
	}
	return out
}

// impactPage: /c/SLUG/impact.
func (s *Server) impactPage(r *Request) (*Reply, error) {
	c := r.Community
	d, err := readImpact(r.Tx, c, r.Now, func(num int) string { return s.pollURL(c, num) })
	if err != nil {
		return nil, err
	}
	base := s.communityURL(c)
	v := impactView{Name: c.Name, Community: base, CSV: base + "/impact.csv", JSON: base + "/impact.json", MinCell: MinCell,
		Key: s.keyFigures(d, r.Lang), Sections: s.impactSections(d, r.Lang)}
	meta := pageMeta{
		Title:       s.text(r.Lang, "web.impact.title", c.Name),
		Description: s.text(r.Lang, "web.impact.description", c.Name),
		ImageAlt:    s.text(r.Lang, "web.impact.card_alt", c.Name),
	}
	return s.page(r, "impact", meta, v)
}

// impactCardLine is the data of the impact card's lines.
type impactCardLine struct {
	Members, Active  int
	Withheld         bool // Active counts fewer than Min people: not shown
	Min              int
	Projects, Closed int
}

// impactCard: /c/SLUG/impact/card.png — the impact page's preview: members and
// active members now, projects and polls, money pledged.
func (s *Server) impactCard(r *Request) (*Reply, error) {
	c := r.Community
	d, err := readImpact(r.Tx, c, r.Now, func(num int) string { return s.pollURL(c, num) })
	if err != nil {
		return nil, err
	}
	w := impactTexts{s: s, lang: r.Lang}
	now := d.Now()
	line := impactCardLine{Members: now.Members, Active: now.Active30.N, Withheld: now.Active30.Small, Min: MinCell, Closed: len(d.Polls)}
	for _, n := range now.Stages {
		line.Projects += n
	}
	card := chart.Card{
		Title:    c.Name,
		Subtitle: w.t("web.impact.card.subtitle", nil),
		Lines:    []string{w.t("web.impact.card.people", line), w.t("web.impact.card.work", line)},
	}
	if len(now.Money) > 0 { // the first currency's, so that the bars keep their room
		card.Lines[1] += " · " + w.t("web.impact.card.money", now.Money[0])
	}
	bars := &chart.Bars{YLabel: w.t("impact.chart.y", nil), Decimal: w.t("chart.decimal", nil), Values: true}
	var vals []float64
	for _, b := range []struct {
		key string
		v   cell
	}{{"web.impact.col.members", known(now.Members, true)}, {"web.impact.col.active30", now.Active30},
		{"web.impact.col.active90", now.Active90}} { // three bars: what the card has room for
		if b.v.Shown() {
			bars.Labels = append(bars.Labels, w.t(b.key, nil))
			vals = append(vals, float64(b.v.N))
		}
	}
	bars.Series = []chart.Series{{Values: vals, Color: chart.Blue}}
	card.Bars = bars
	return s.card(r, card)
}

// keyFigures writes today's figures for the top of the impact page.
func (s *Server) keyFigures(d *impactData, lang string) []keyFigure {
	w := impactTexts{s: s, lang: lang}
	now := d.Now()
	projects := 0
	for _, n := range now.Stages {
		projects += n
	}
	out := []keyFigure{
		{"members", w.t("web.impact.col.members", nil), strconv.Itoa(now.Members)},
		{"active", w.t("web.impact.col.active30", nil), w.cell(now.Active30)},
		{"answers", w.t("web.impact.col.answer_pct", nil), w.pct(now.AnswerPct)},
		{"projects", w.t("web.impact.key.projects", nil), strconv.Itoa(projects)},
		{"polls", w.t("web.impact.key.polls", nil), strconv.Itoa(len(d.Polls))},
	}
	for _, m := range now.Money {
		out = append(out, keyFigure{"pledged-" + m.Currency, w.t("web.impact.col.pledged", nil), w.t("web.money", m.Pledged)})
	}
	if now.HoursPledged > 0 {
		out = append(out, keyFigure{"hours", w.t("web.impact.hours", nil), strconv.Itoa(now.HoursPledged)})
	}
	return out
}
