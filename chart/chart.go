// Package chart draws Engage's charts: bar charts (a poll's result, stacked grade
// profiles, yes and maybe) and line charts of figures over time, as PNG for the
// chats and SVG for web pages, from the same code, so that both look alike. It
// owns the look of a chart (colours, fonts, spacing, a value on each bar, a legend
// that covers no bar) and the writing of numbers on axes in each language (no
// needless decimals; a decimal comma in French). Its input is data already put in
// words by the caller: labels, titles and legend names come translated. It imports
// gonum/plot and the standard library, nothing of the project.
package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Palette: a report's colours, readable by the colour-blind in the usual pairs.
var (
	Green  = color.RGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff}
	Amber  = color.RGBA{R: 0xf9, G: 0xa8, B: 0x25, A: 0xff}
	Blue   = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	Red    = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
	Purple = color.RGBA{R: 0x7b, G: 0x4f, B: 0x9d, A: 0xff}
	ink    = color.RGBA{R: 0x33, G: 0x33, B: 0x33, A: 0xff}
	grid   = color.RGBA{R: 0xe0, G: 0xe0, B: 0xe0, A: 0xff}
)

// The charts' text is set in a sans-serif face, as in a report.
func init() {
	plot.DefaultFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
	plotter.DefaultFont = plot.DefaultFont
}

// Shade returns the colour of step g of k on a scale from red (0) to green
// (k-1), for ordered categories such as grades.
func Shade(g, k int) color.Color {
	f := float64(g) / float64(max(k-1, 1))
	return color.RGBA{R: uint8(200 * (1 - f)), G: uint8(60 + 120*f), B: 60, A: 0xff}
}

// Size of every chart: 16 × 10 cm.
const (
	width  = 16 * vg.Centimeter
	height = 10 * vg.Centimeter
)

// maxLabel is the most characters of a category label shown; longer labels end
// with an ellipsis (a whole date, "vendredi 12 mars 2027 19:00", fits).
const maxLabel = 28

// Series is one set of values, one per category or point, with its name in the
// legend ("" for none) and its colour.
type Series struct {
	Name   string
	Values []float64
	Color  color.Color
}

// Bars is a bar chart: one bar a category, several series stacked bottom first
// (or side by side when Grouped).
type Bars struct {
	Title  string
	YLabel string
	Labels []string // the categories, left to right
	Series []Series
	// Decimal is the decimal separator of the numbers written (axis, values):
	// "." (the default) or ",".
	Decimal string
	// Values writes above each bar the total of its stack.
	Values bool
	// Percent writes the values with a % sign.
	Percent bool
	// Grouped sets the series side by side in each category instead of stacked.
	Grouped bool
}

// PNG draws b as a PNG image.
func (b Bars) PNG() ([]byte, error) { return render("png", b.plot) }

// SVG draws b as an SVG document.
func (b Bars) SVG() ([]byte, error) { return render("svg", b.plot) }

func (b Bars) plot() ([]*plot.Plot, error) {
	n := len(b.Labels)
	if n == 0 {
		return nil, fmt.Errorf("chart: no category")
	}
	pl := newPlot(b.Title, b.YLabel, b.Decimal)
	barWidth := vg.Points(math.Min(40, 300/float64(n)))
	if b.Grouped && len(b.Series) > 1 {
		barWidth = vg.Points(math.Min(24, 260/float64(n*len(b.Series))))
	}
	totals := make([]float64, n)
	lo := 0.0
	var under *plotter.BarChart
	legend := false
	var valueLabels []*plotter.Labels
	for k, s := range b.Series {
		if len(s.Values) != n {
			return nil, fmt.Errorf("chart: series %q has %d values for %d categories", s.Name, len(s.Values), n)
		}
		v := make(plotter.Values, n)
		for i, x := range s.Values {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				x = 0
			}
			v[i] = x
			totals[i] += x
			lo = math.Min(lo, x)
		}
		bar, err := plotter.NewBarChart(v, barWidth)
		if err != nil {
			return nil, fmt.Errorf("chart: %w", err)
		}
		bar.Color, bar.LineStyle.Width = s.Color, 0
		if b.Grouped {
			bar.Offset = barWidth * vg.Length(2*k-len(b.Series)+1) / 2
			if b.Values {
				l, err := b.labels(v, bar.Offset)
				if err != nil {
					return nil, err
				}
				valueLabels = append(valueLabels, l)
			}
		} else if under != nil {
			bar.StackOn(under)
		}
		under = bar
		pl.Add(bar)
		if s.Name != "" {
			pl.Legend.Add(s.Name, bar)
			legend = true
		}
	}
	hi := 0.0
	for i, t := range totals {
		if b.Grouped { // the tallest bar, not the sum of a category's bars
			t = 0
			for _, s := range b.Series {
				t = math.Max(t, s.Values[i])
			}
			totals[i] = t
		}
		hi = math.Max(hi, t)
	}
	if hi == 0 {
		hi = 1
	}
	pl.Y.Min, pl.Y.Max = lo, hi*1.15 // room for the values above the bars
	if legend {
		// The legend sits above the tallest bar, never on one.
		pl.Legend.Top, pl.Legend.Left = true, false
		pl.Legend.YOffs = 0
		pl.Y.Max = hi * (1.2 + 0.12*float64(len(b.Series)))
	}
	if b.Values && !b.Grouped {
		l, err := b.labels(totals, 0)
		if err != nil {
			return nil, err
		}
		valueLabels = append(valueLabels, l)
	}
	for _, l := range valueLabels {
		pl.Add(l)
	}
	short := make([]string, n)
	for i, s := range b.Labels {
		short[i] = Clip(s, maxLabel)
	}
	pl.NominalX(short...)
	// Half a bar's room between the first and last bars and the frame.
	pl.X.Min, pl.X.Max = -0.75, float64(n)-0.25
	if n > 4 || longest(short) > 12 {
		pl.X.Tick.Label.Rotation = math.Pi / 6
		pl.X.Tick.Label.XAlign, pl.X.Tick.Label.YAlign = draw.XRight, draw.YTop
	}
	return []*plot.Plot{pl}, nil
}

// labels writes each value above its bar, the bars dx from their category.
func (b Bars) labels(values []float64, dx vg.Length) (*plotter.Labels, error) {
	xys := make(plotter.XYs, len(values))
	text := make([]string, len(values))
	for i, v := range values {
		xys[i] = plotter.XY{X: float64(i), Y: v}
		text[i] = Number(v, b.Decimal)
		if b.Percent {
			text[i] += pct(b.Decimal)
		}
	}
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: text})
	if err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	for i := range l.TextStyle {
		l.TextStyle[i].XAlign = draw.XCenter
		l.TextStyle[i].YAlign = draw.YBottom
		l.TextStyle[i].Color = ink
		l.TextStyle[i].Font.Size = vg.Points(8)
	}
	l.Offset = vg.Point{X: dx, Y: vg.Points(2)}
	return l, nil
}

// Line is one line of a line chart: a value at each time.
type Line struct {
	Name  string
	At    []time.Time
	Y     []float64
	Color color.Color
}

// Panel is one chart of a Lines figure, with its own vertical axis.
type Panel struct {
	YLabel  string
	Lines   []Line
	Percent bool // the axis runs from 0 to 100 %
}

// Lines is a figure of line charts over time, its panels one above the other
// sharing the time axis, so that people and percentages never share an axis.
type Lines struct {
	Title   string
	Panels  []Panel
	Decimal string
	// Tick writes a date of the time axis ("3 mars", "Mar 3").
	Tick func(time.Time) string
}

// PNG draws l as a PNG image.
func (l Lines) PNG() ([]byte, error) { return render("png", l.plots) }

// SVG draws l as an SVG document.
func (l Lines) SVG() ([]byte, error) { return render("svg", l.plots) }

func (l Lines) plots() ([]*plot.Plot, error) {
	if len(l.Panels) == 0 {
		return nil, fmt.Errorf("chart: no panel")
	}
	var xmin, xmax float64 = math.Inf(1), math.Inf(-1)
	for _, p := range l.Panels {
		for _, ln := range p.Lines {
			for _, t := range ln.At {
				x := float64(t.Unix())
				xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
			}
		}
	}
	if math.IsInf(xmin, 0) {
		return nil, fmt.Errorf("chart: no point")
	}
	if xmax-xmin < 24*3600 { // one point: a week's width around it
		xmin -= 3.5 * 24 * 3600
		xmax += 3.5 * 24 * 3600
	}
	var out []*plot.Plot
	for k, p := range l.Panels {
		title := ""
		if k == 0 {
			title = l.Title
		}
		pl := newPlot(title, p.YLabel, l.Decimal)
		pl.X.Min, pl.X.Max = xmin, xmax
		pl.X.Tick.Marker = timeTicks{tick: l.Tick}
		hi := 0.0
		for _, ln := range p.Lines {
			if len(ln.At) != len(ln.Y) {
				return nil, fmt.Errorf("chart: line %q has %d times for %d values", ln.Name, len(ln.At), len(ln.Y))
			}
			xys := make(plotter.XYs, len(ln.At))
			for i, t := range ln.At {
				xys[i] = plotter.XY{X: float64(t.Unix()), Y: ln.Y[i]}
				hi = math.Max(hi, ln.Y[i])
			}
			line, dots, err := plotter.NewLinePoints(xys)
			if err != nil {
				return nil, fmt.Errorf("chart: %w", err)
			}
			line.Color, dots.Color = ln.Color, ln.Color
			line.Width = vg.Points(2)
			pl.Add(line, dots)
			if ln.Name != "" {
				pl.Legend.Add(ln.Name, line, dots)
			}
		}
		pl.Legend.Top, pl.Legend.Left = true, true
		pl.Y.Min = 0
		if p.Percent {
			pl.Y.Max = 130 // 100 %, and room for the legend above it
			pl.Y.Tick.Marker = numberTicks{decimal: l.Decimal, upTo: 100}
		} else {
			pl.Y.Max = math.Max(hi, 5) * (1.3 + 0.1*float64(len(p.Lines)))
		}
		out = append(out, pl)
	}
	return out, nil
}

// newPlot is a plot with Engage's look: a light grid, no top or right frame
// ticks, readable fonts, numbers written in the language's way.
func newPlot(title, ylabel, decimal string) *plot.Plot {
	pl := plot.New()
	pl.Title.Text = Clip(title, 70)
	pl.Title.TextStyle.Font.Size = vg.Points(13)
	pl.Title.TextStyle.Color = ink
	pl.Title.Padding = vg.Points(8)
	pl.Y.Label.Text = ylabel
	pl.Y.Label.TextStyle.Color = ink
	pl.Y.Tick.Marker = numberTicks{decimal: decimal}
	pl.X.Tick.Label.Font.Size = vg.Points(9)
	pl.Y.Tick.Label.Font.Size = vg.Points(9)
	pl.X.Padding, pl.Y.Padding = vg.Points(4), vg.Points(4)
	g := plotter.NewGrid()
	g.Vertical.Width = 0
	g.Horizontal.Color = grid
	pl.Add(g)
	pl.Legend.TextStyle.Font.Size = vg.Points(9)
	pl.Legend.Padding = vg.Points(2)
	return pl
}

// render draws plots one above the other on a canvas of the format and returns
// the bytes.
func render(format string, build func() ([]*plot.Plot, error)) ([]byte, error) {
	plots, err := build()
	if err != nil {
		return nil, err
	}
	h := height
	if len(plots) > 1 {
		h = vg.Length(len(plots)) * 7 * vg.Centimeter
	}
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.New(width, h)}
	case "svg":
		c = vgsvg.New(width, h)
	default:
		return nil, fmt.Errorf("chart: format %q", format)
	}
	dc := draw.New(c)
	grid := make([][]*plot.Plot, len(plots))
	for i, p := range plots {
		grid[i] = []*plot.Plot{p}
	}
	tiles := draw.Tiles{Rows: len(plots), Cols: 1, PadY: vg.Points(6), PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(10)}
	canvases := plot.Align(grid, tiles, dc)
	for i, p := range plots {
		p.Draw(canvases[i][0])
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: write %s: %w", format, err)
	}
	return buf.Bytes(), nil
}

// Number writes v with no needless decimals (50, 12.5, 0.33) and decimal as the
// decimal separator ("." when empty).
func Number(v float64, decimal string) string {
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	if s == "-0" {
		s = "0"
	}
	if decimal != "" && decimal != "." {
		s = strings.Replace(s, ".", decimal, 1)
	}
	return s
}

// pct is the percent sign after a number: with a space in French.
func pct(decimal string) string {
	if decimal == "," {
		return "\u202f%"
	}
	return "%"
}

// Clip cuts s to at most n characters, the last an ellipsis when cut.
func Clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

func longest(ss []string) int {
	n := 0
	for _, s := range ss {
		n = max(n, utf8.RuneCountInString(s))
	}
	return n
}

// numberTicks are gonum's default ticks with labels written by Number, none
// above upTo when it is set (a percent axis stops at 100).
type numberTicks struct {
	decimal string
	upTo    float64
}

// Ticks implements plot.Ticker.
func (t numberTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	if t.upTo == 100 {
		ticks = nil
		for v := 0.0; v <= 100; v += 25 {
			ticks = append(ticks, plot.Tick{Value: v, Label: "x"})
		}
	}
	var out []plot.Tick
	for _, tk := range ticks {
		if t.upTo != 0 && tk.Value > t.upTo {
			continue
		}
		if tk.Label != "" {
			tk.Label = Number(tk.Value, t.decimal)
		}
		out = append(out, tk)
	}
	return out
}

// timeTicks label a time axis (Unix seconds) with tick.
type timeTicks struct{ tick func(time.Time) string }

// Ticks implements plot.Ticker.
func (t timeTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ticks {
		if ticks[i].Label != "" {
			at := time.Unix(int64(ticks[i].Value), 0)
			if t.tick != nil {
				ticks[i].Label = t.tick(at)
			} else {
				ticks[i].Label = at.Format("2006-01-02")
			}
		}
	}
	return ticks
}
