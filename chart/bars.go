package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
)

// Series is one set of values, one per category, with its name in the legend (""
// for none) and its colour.
type Series struct {
	Name   string
	Values []float64
	Color  color.Color
}

// Bars is a bar chart drawn across: one bar a category, its label on the left
// (wrapped at word boundaries, never cut in a word), several series stacked left
// first (or one under the other when Grouped). The legend, when a series has a
// name, stands between the title and the bars, so it never covers one.
type Bars struct {
	Title  string
	YLabel string   // the name of the value axis ("votes"), written under it
	Labels []string // the categories, top to bottom
	Series []Series
	// Decimal is the decimal separator of the numbers written (axis, values):
	// "." (the default) or "," (then thousands are set apart by a thin space).
	Decimal string
	// Values writes after each bar the total of its stack (each bar's value when
	// Grouped).
	Values bool
	// Segments writes each part of a stack inside it, where it fits (a whole
	// number when Percent).
	Segments bool
	// Percent writes the values with a % sign.
	Percent bool
	// Grouped sets the series one under the other in each category instead of
	// stacked.
	Grouped bool
	// Max is the end of the value axis; 0 fits it to the data (100 for stacks of
	// percentages that add up to 100).
	Max float64
	// Marks are values where a dashed line crosses every bar (50 for the median
	// of grade profiles).
	Marks []float64
}

// PNG draws b as a PNG image, 16 cm wide at 192 dpi.
func (b Bars) PNG() ([]byte, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	return b.picture().png()
}

// SVG draws b as an SVG document.
func (b Bars) SVG() ([]byte, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	return b.picture().svg()
}

func (b Bars) check() error {
	if len(b.Labels) == 0 {
		return fmt.Errorf("chart: no category")
	}
	if len(b.Series) == 0 {
		return fmt.Errorf("chart: no series")
	}
	for _, s := range b.Series {
		if len(s.Values) != len(b.Labels) {
			return fmt.Errorf("chart: series %q has %d values for %d categories", s.Name, len(s.Values), len(b.Labels))
		}
	}
	return nil
}

func (b Bars) page(p *painter) vg.Length {
	return b.draw(p, margin, margin, chartWidth-2*margin, 1, len(b.Labels)) + 2*margin
}

func (b Bars) value(v float64) string {
	if b.Percent {
		return Percent(v, b.Decimal)
	}
	return Number(v, b.Decimal)
}

// clean is v with NaN and infinities read as 0.
func clean(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// draw lays out b in the box from x, y, w wide, its text k times the chart's
// sizes, showing the first rows categories; it returns the height used.
func (b Bars) draw(p *painter, x, y, w vg.Length, k float64, rows int) vg.Length {
	K := vg.Length(k)
	var (
		title  = newFace(12.5*K, true)
		label  = newFace(9.5*K, false)
		small  = newFace(8.5*K, false)
		values = newFace(9*K, false)
	)
	top := y
	rows = min(rows, len(b.Labels))
	if b.Title != "" {
		y += p.lines("title", title, x, y, 0, wrap(title, b.Title, w, 2), ink) + 6*K
	}
	y += legend(p, small, x, y, w, K, b.Series, false)

	// The value axis: from the lowest to the highest stack (or bar).
	lo, hi := 0.0, 0.0
	ends := make([][2]float64, rows) // per category: the most negative and most positive end
	for i := range rows {
		var neg, pos float64
		for _, s := range b.Series {
			v := clean(s.Values[i])
			switch {
			case b.Grouped:
				neg, pos = math.Min(neg, v), math.Max(pos, v)
			case v < 0:
				neg += v
			default:
				pos += v
			}
		}
		ends[i] = [2]float64{neg, pos}
		lo, hi = math.Min(lo, neg), math.Max(hi, pos)
	}
	var all [][]float64
	for _, s := range b.Series {
		all = append(all, s.Values)
	}
	var sc scale
	switch {
	case b.Max > 0:
		sc = niceScale(lo, b.Max, false)
		sc.hi = math.Max(sc.hi, b.Max)
	case b.Percent && hi > 99.5 && hi < 100.5 && !b.Grouped:
		sc = niceScale(lo, 100, false)
	default:
		sc = niceScale(lo, hi, whole(all...))
	}
	tickText := make([]string, len(sc.ticks))
	for i, t := range sc.ticks {
		tickText[i] = b.value(t)
	}

	// Columns: the labels, the bars, the values after them.
	labelW := min(widest(label, b.Labels[:rows]), 0.4*w)
	wrapped := make([][]string, rows)
	for i := range rows {
		wrapped[i] = wrap(label, b.Labels[i], labelW, 3)
	}
	labelW = 0
	for _, l := range wrapped {
		labelW = max(labelW, widest(label, l))
	}
	valueW := widest(small, tickText[len(tickText)-1:]) / 2
	var texts []string
	if b.Values {
		for i := range rows {
			if b.Grouped {
				for _, s := range b.Series {
					texts = append(texts, b.value(clean(s.Values[i])))
				}
			} else {
				texts = append(texts, b.value(ends[i][1]+ends[i][0]))
			}
		}
		valueW = max(valueW, widest(values, texts)+6*K)
	}
	negW := vg.Length(0)
	if b.Values && lo < 0 {
		negW = widest(values, texts) + 6*K
	}
	x0 := x + labelW + 10*K + negW
	x1 := x + w - valueW
	at := func(v float64) vg.Length { return sc.at(v, x0, x1) }

	// Rows: a bar a series when grouped, one stack otherwise.
	n := len(b.Series)
	barH := 15 * K
	gap := 2 * K
	if b.Grouped && n > 1 {
		barH = 10 * K
	}
	block := barH
	if b.Grouped {
		block = vg.Length(n)*barH + vg.Length(n-1)*gap
	}
	plotTop := y
	var pitch []vg.Length
	for i := range rows {
		pitch = append(pitch, max(block+10*K, vg.Length(len(wrapped[i]))*label.line()+8*K))
	}
	plotH := vg.Length(0)
	for _, h := range pitch {
		plotH += h
	}
	// The grid first, under the bars.
	for _, t := range sc.ticks {
		c := rule
		if t == 0 {
			c = axis
		}
		p.stroke(0.75*K, c, nil, vg.Point{X: at(t), Y: plotTop}, vg.Point{X: at(t), Y: plotTop + plotH})
	}
	p.note("plot", "", x0, plotTop, x1, plotTop+plotH)
	ry := plotTop
	var spans [][2]vg.Length // the rows' bars, top and bottom: the marks cross between them
	for i := range rows {
		mid := ry + pitch[i]/2
		spans = append(spans, [2]vg.Length{mid - block/2, mid + block/2})
		// The label, right-aligned against the bars, centred on its row.
		lh := vg.Length(len(wrapped[i])) * label.line()
		p.lines("label", label, x0-10*K-negW, mid-lh/2, 1, wrapped[i], ink)
		by := mid - block/2
		var pos, neg float64
		for _, s := range b.Series {
			v := clean(s.Values[i])
			var from, to float64
			switch {
			case b.Grouped:
				from, to = 0, v
			case v < 0:
				from, to = neg, neg+v
				neg += v
			default:
				from, to = pos, pos+v
				pos += v
			}
			l, r := at(math.Min(from, to)), at(math.Max(from, to))
			p.rect("bar", l, by, r-l, barH, s.Color)
			if b.Segments && v != 0 {
				t := b.value(v)
				if b.Percent { // shares in a stack read best whole: 33 %, not 33,33 %
					t = Percent(math.Round(v), b.Decimal)
				}
				if tw := values.width(t); tw+6*K <= r-l {
					p.text("segment", values, (l+r)/2, by+barH/2+values.ascent()/2-values.descent()/4, 0.5, t, contrast(s.Color))
				}
			}
			if b.Grouped {
				if b.Values {
					b.endValue(p, values, v, at(v), by+barH/2, K)
				}
				by += barH + gap
			}
		}
		if b.Values && !b.Grouped {
			total := ends[i][0] + ends[i][1]
			end := at(ends[i][1])
			if total < 0 {
				end = at(ends[i][0])
			}
			b.endValue(p, values, total, end, mid, K)
		}
		ry += pitch[i]
	}
	// A mark is drawn between the bars, not over them (nor over what is written
	// in them), from above the first to below the last.
	for _, m := range b.Marks {
		if m < sc.lo || m > sc.hi {
			continue
		}
		from := plotTop - 3*K
		for _, sp := range append(spans, [2]vg.Length{plotTop + plotH + 3*K, 0}) {
			p.stroke(1.2*K, ink, []vg.Length{2.5 * K, 2 * K}, vg.Point{X: at(m), Y: from}, vg.Point{X: at(m), Y: sp[0]})
			p.note("mark", "", at(m)-0.6*K, from, at(m)+0.6*K, sp[0])
			from = sp[1]
		}
	}
	y = plotTop + plotH + 4*K
	// Tick labels under the axis, then the axis' name.
	for i, t := range sc.ticks {
		p.text("tick", small, at(t), y+small.ascent(), 0.5, tickText[i], muted)
	}
	y += small.line()
	if b.YLabel != "" {
		y += 2 * K
		y += p.lines("axis", small, (x0+x1)/2, y, 0.5, wrap(small, b.YLabel, x1-x0, 1), muted)
	}
	return y - top
}

// endValue writes v just after the end of its bar (before it when negative).
func (b Bars) endValue(p *painter, f face, v float64, end, mid vg.Length, K vg.Length) {
	base := mid + f.ascent()/2 - f.descent()/4
	if v < 0 {
		p.text("value", f, end-4*K, base, 1, b.value(v), ink)
		return
	}
	p.text("value", f, end+4*K, base, 0, b.value(v), ink)
}

// legend writes the named series as swatches and names in rows from x, y within
// w; it returns the height used (0 when no series has a name). lines draws a
// short line instead of a square.
func legend(p *painter, f face, x, y, w, K vg.Length, series []Series, lines bool) vg.Length {
	type item struct {
		name string
		c    color.Color
	}
	var items []item
	for _, s := range series {
		if s.Name != "" {
			items = append(items, item{s.Name, s.Color})
		}
	}
	return legendItems(p, f, x, y, w, K, len(items), func(i int) (string, color.Color) { return items[i].name, items[i].c }, lines)
}

func legendItems(p *painter, f face, x, y, w, K vg.Length, n int, item func(int) (string, color.Color), lines bool) vg.Length {
	if n == 0 {
		return 0
	}
	sw := 9 * K
	if lines {
		sw = 14 * K
	}
	cx, cy := x, y
	for i := range n {
		name, c := item(i)
		name = wrap(f, name, w-sw-4*K, 1)[0]
		iw := sw + 4*K + f.width(name)
		if cx > x && cx+iw > x+w {
			cx, cy = x, cy+f.line()
		}
		mid := cy + f.line()/2
		if lines {
			p.note("legend", "", cx, mid-1.5*K, cx+sw, mid+1.5*K)
			p.stroke(2*K, c, nil, vg.Point{X: cx, Y: mid}, vg.Point{X: cx + sw, Y: mid})
			p.dot(cx+sw/2, mid, 2.5*K, c)
		} else {
			p.rect("legend", cx, mid-sw/2, sw, sw, c)
		}
		p.text("legend", f, cx+sw+4*K, mid+f.ascent()/2-f.descent()/4, 0, name, muted)
		cx += iw + 14*K
	}
	return cy + f.line() + 6*K - y
}

// contrast is the colour of text written on c: ink on light colours, white on
// dark ones.
func contrast(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	l := (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b)) / 0xffff
	if l > 0.6 {
		return ink
	}
	return paper
}

func (b Bars) picture() picture {
	return picture{w: chartWidth, bg: paper, dpi: pngDPI, title: b.Title, paint: b.page}
}
