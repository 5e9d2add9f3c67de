package chart

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"time"

	"gonum.org/v1/plot/vg"
)

// Line is one line of a line chart: a value at each time.
type Line struct {
	Name  string
	At    []time.Time
	Y     []float64
	Color color.Color
}

// Panel is one chart of a Lines figure, with its own vertical axis, named by
// YLabel above it ("people", "% answered"), and its legend beside the name.
type Panel struct {
	YLabel  string
	Lines   []Line
	Percent bool // the axis runs from 0 to 100 %
}

// Lines is a figure of line charts over time, its panels one above the other
// sharing the time axis, so that people and percentages never share an axis.
// The last value of each line is written after its end.
type Lines struct {
	Title   string
	Panels  []Panel
	Decimal string
	// Tick writes a date of the time axis ("3 mars", "Mar 3"); nil writes
	// 2027-03-03.
	Tick func(time.Time) string
}

// PNG draws l as a PNG image, 16 cm wide at 192 dpi.
func (l Lines) PNG() ([]byte, error) {
	if err := l.check(); err != nil {
		return nil, err
	}
	return l.picture().png()
}

// SVG draws l as an SVG document.
func (l Lines) SVG() ([]byte, error) {
	if err := l.check(); err != nil {
		return nil, err
	}
	return l.picture().svg()
}

func (l Lines) check() error {
	if len(l.Panels) == 0 {
		return fmt.Errorf("chart: no panel")
	}
	points := 0
	for _, p := range l.Panels {
		for _, ln := range p.Lines {
			if len(ln.At) != len(ln.Y) {
				return fmt.Errorf("chart: line %q has %d times for %d values", ln.Name, len(ln.At), len(ln.Y))
			}
			points += len(ln.At)
		}
	}
	if points == 0 {
		return fmt.Errorf("chart: no point")
	}
	return nil
}

func (l Lines) page(p *painter) vg.Length {
	return l.draw(p, margin, margin, chartWidth-2*margin, 1) + 2*margin
}

func (l Lines) value(v float64, pct bool) string {
	if pct {
		return Percent(v, l.Decimal)
	}
	return Number(v, l.Decimal)
}

func (l Lines) tick(t time.Time) string {
	if l.Tick != nil {
		return l.Tick(t)
	}
	return t.Format("2006-01-02")
}

// draw lays out the figure from x, y, w wide, text k times the chart's sizes; it
// returns the height used.
func (l Lines) draw(p *painter, x, y, w vg.Length, k float64) vg.Length {
	K := vg.Length(k)
	var (
		title = newFace(12.5*K, true)
		head  = newFace(9.5*K, true)
		small = newFace(8.5*K, false)
		end   = newFace(9*K, false)
	)
	top := y
	if l.Title != "" {
		y += p.lines("title", title, x, y, 0, wrap(title, l.Title, w, 2), ink) + 8*K
	}
	// The times of every point, for the axis shared by the panels.
	seen := map[int64]time.Time{}
	for _, pn := range l.Panels {
		for _, ln := range pn.Lines {
			for _, t := range ln.At {
				seen[t.Unix()] = t
			}
		}
	}
	var times []time.Time
	for _, t := range seen {
		times = append(times, t)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	tmin, tmax := float64(times[0].Unix()), float64(times[len(times)-1].Unix())
	if tmax-tmin < 24*3600 { // one time: a week around it
		tmin, tmax = tmin-3.5*24*3600, tmax+3.5*24*3600
	}
	tickLabels := make([]string, len(times))
	for i, t := range times {
		tickLabels[i] = l.tick(t)
	}

	// The same columns in every panel, so their time axes line up.
	type axisText struct {
		sc    scale
		ticks []string
	}
	axes := make([]axisText, len(l.Panels))
	leftW, rightW := vg.Length(0), vg.Length(0)
	for i, pn := range l.Panels {
		hi := 0.0
		var ys [][]float64
		for _, ln := range pn.Lines {
			ys = append(ys, ln.Y)
			for _, v := range ln.Y {
				hi = math.Max(hi, clean(v))
			}
			if len(ln.Y) > 0 {
				rightW = max(rightW, end.width(l.value(clean(ln.Y[len(ln.Y)-1]), pn.Percent)))
			}
		}
		var sc scale
		if pn.Percent {
			sc = scale{lo: 0, hi: 100, ticks: []float64{0, 25, 50, 75, 100}}
		} else {
			sc = niceScale(0, math.Max(hi, 1), whole(ys...))
		}
		a := axisText{sc: sc}
		for _, t := range sc.ticks {
			a.ticks = append(a.ticks, l.value(t, pn.Percent))
		}
		axes[i] = a
		leftW = max(leftW, widest(small, a.ticks))
	}
	x0 := x + leftW + 8*K
	x1 := x + w - rightW - 10*K
	x1 = min(x1, x+w-widest(small, tickLabels[len(tickLabels)-1:])/2)
	span := x1 - x0
	pad := span * 0.03
	atX := func(t time.Time) vg.Length {
		return x0 + pad + (span-2*pad)*vg.Length((float64(t.Unix())-tmin)/(tmax-tmin))
	}
	// Every stride-th time is written, so that no two labels touch.
	stride := 1
	labelW := widest(small, tickLabels) + 10*K
	if len(times) > 1 {
		step := (span - 2*pad) * vg.Length(float64(times[1].Unix()-times[0].Unix())/(tmax-tmin))
		for i := 1; i < len(times); i++ {
			step = min(step, (span-2*pad)*vg.Length(float64(times[i].Unix()-times[i-1].Unix())/(tmax-tmin)))
		}
		for step > 0 && vg.Length(stride)*step < labelW {
			stride++
		}
	}

	const plotH = 118
	for i, pn := range l.Panels {
		if i > 0 {
			y += 10 * K
		}
		// The panel's name, then its legend beside it.
		hx := x
		if pn.YLabel != "" {
			hx += p.text("panel", head, x, y+head.ascent()+(small.line()-head.size())/2, 0, pn.YLabel, ink) + 14*K
		}
		named := make([]Series, len(pn.Lines))
		for j, ln := range pn.Lines {
			named[j] = Series{Name: ln.Name, Color: ln.Color}
		}
		lh := legend(p, small, hx, y, x+w-hx, K, named, true)
		y += max(lh, small.line()+6*K) + 6*K // the top tick's label stands half above the plot

		a := axes[i]
		ph := plotH * K
		if pn.Percent {
			ph = ph * 3 / 4
		}
		atY := func(v float64) vg.Length { return a.sc.at(v, y+ph, y) }
		for j, t := range a.sc.ticks {
			c := rule
			if t == 0 {
				c = axis
			}
			p.stroke(0.75*K, c, nil, vg.Point{X: x0, Y: atY(t)}, vg.Point{X: x1, Y: atY(t)})
			p.text("tick", small, x0-6*K, atY(t)+small.ascent()/2-small.descent()/4, 1, a.ticks[j], muted)
		}
		p.note("plot", "", x0, y, x1, y+ph)
		type ending struct {
			y    vg.Length
			text string
			c    color.Color
			x    vg.Length
		}
		var ends []ending
		for _, ln := range pn.Lines {
			pts := make([]vg.Point, len(ln.At))
			for j, t := range ln.At {
				pts[j] = vg.Point{X: atX(t), Y: atY(math.Min(clean(ln.Y[j]), a.sc.hi))}
			}
			p.stroke(2*K, ln.Color, nil, pts...)
			if len(pts) <= 40 {
				for _, pt := range pts {
					p.dot(pt.X, pt.Y, 2.6*K, ln.Color)
					p.dot(pt.X, pt.Y, 1.2*K, paper)
				}
			}
			if n := len(pts); n > 0 {
				ends = append(ends, ending{y: pts[n-1].Y, text: l.value(clean(ln.Y[n-1]), pn.Percent), c: ln.Color, x: pts[n-1].X})
			}
		}
		// The last values, moved apart so they do not overlap.
		sort.Slice(ends, func(i, j int) bool { return ends[i].y < ends[j].y })
		for j := 1; j < len(ends); j++ {
			ends[j].y = max(ends[j].y, ends[j-1].y+end.line())
		}
		// None below the plot's bottom (where the dates are), nor above its top.
		if n := len(ends); n > 0 && ends[n-1].y > y+ph-end.size()/2 {
			ends[n-1].y = y + ph - end.size()/2
			for j := n - 2; j >= 0; j-- {
				ends[j].y = min(ends[j].y, ends[j+1].y-end.line())
			}
		}
		for _, e := range ends {
			p.text("value", end, e.x+6*K, e.y+end.ascent()/2-end.descent()/4, 0, e.text, e.c)
		}
		y += ph + 4*K
		for j := 0; j < len(times); j += stride {
			p.text("tick", small, atX(times[j]), y+small.ascent(), 0.5, tickLabels[j], muted)
		}
		y += small.line()
	}
	return y - top
}

func (l Lines) picture() picture {
	return picture{w: chartWidth, bg: paper, dpi: pngDPI, title: l.Title, paint: l.page}
}
